package judge

import (
	"fmt"
	"slices"
	"strings"

	"downforai/probe"
)

// names lists the services of the kind, "Claude API, Claude Code".
func names(svs []probe.ServiceVerdict, k probe.VerdictKind) string {
	var ns []string
	for _, sv := range svs {
		if sv.Kind == k {
			ns = append(ns, sv.Service.Name)
		}
	}
	return strings.Join(ns, ", ")
}

// reportedAs is what the page says of the services of kind k, each with
// its own status, the worst first, names of one status together: "Claude
// API as major outage, Claude (claude.ai), Claude Code as partial outage".
func reportedAs(svs []probe.ServiceVerdict, k probe.VerdictKind) string {
	var each []probe.ServiceVerdict
	for _, o := range svs {
		if o.Kind == k {
			each = append(each, o)
		}
	}
	slices.SortStableFunc(each, func(a, b probe.ServiceVerdict) int {
		return componentSeverity(b.Official) - componentSeverity(a.Official)
	})
	var what []string
	for i, o := range each {
		if i+1 < len(each) && each[i+1].Official == o.Official {
			what = append(what, o.Service.Name)
			continue
		}
		what = append(what, o.Service.Name+" as "+o.Official.String())
	}
	return strings.Join(what, ", ")
}

// others is ", while claude.ai and the status page answer" for the hosts
// that answer while the named service does not.
func (j judgement) others(except probe.Service) string {
	var up []string
	for _, s := range probe.Services() {
		if s.Key == except.Key || s.Key == "claude_code" {
			continue
		}
		for _, t := range s.Targets {
			if v, ok := j.views[t]; ok && v.latest.Class.Up() {
				up = append(up, s.Name)
				break
			}
		}
	}
	if j.off.last.Class.Up() {
		up = append(up, "the status page")
	}
	if len(up) == 0 {
		return ""
	}
	verb := "answers"
	if len(up) > 1 {
		verb = "answer"
	}
	return " while " + strings.Join(up, " and ") + " " + verb
}

// lead is the service the headline speaks of, with its view.
func (j judgement) leadView(sv probe.ServiceVerdict) view {
	var vs []view
	for _, t := range j.targets(sv.Service) {
		// A gateway's 404 at /v1/models judges nothing (service): a
		// canary's 529 there is the failure to name, not the 404.
		if v, ok := j.views[t]; ok && !j.modelsUnlisted(v) && !j.keyUnasked(v) {
			vs = append(vs, v)
		}
	}
	return worst(vs)
}

// headline is the verdict's sentence and facts, led by the service at
// lead, then what else fails from here: the sentence speaks for every
// service, not only the one that leads it.
func (j judgement) headline(svs []probe.ServiceVerdict, lead int) (string, []string) {
	h, facts := j.leadHeadline(svs, lead)
	also, back := j.alsoFailing(svs, lead)
	if also != "" {
		h += " Also failing from here: " + also + "."
	}
	if back != "" {
		h += " Recovering: " + back + "."
	}
	if e := j.sessionsEarlier(svs[lead]); e != "" {
		h += " " + e
	}
	if a := j.asRead(svs[lead].Kind); a != "" {
		h += " " + a
	}
	return h, facts
}

// covered reports whether the lead's sentence already speaks for o: of
// the lead's kind and failing the same way (or on and off with it).
func (j judgement) covered(o, lead probe.ServiceVerdict) bool {
	if o.Service.Key == lead.Service.Key {
		return true
	}
	if o.ThroughAPI && o.Kind == lead.Kind && lead.Service.Key == "api" && o.Kind.Local() {
		// Its verdict is the API's (throughAPI), which fails on this
		// machine's side: the API's sentence speaks for it and its fact
		// says so — not "Also failing from here: Claude Code (529
		// overloaded)" from a call before the failure began.
		return true
	}
	if o.Kind != lead.Kind {
		return false
	}
	lw, ow := j.leadView(lead), j.leadView(o)
	if lw.unstable || ow.unstable {
		return lw.unstable == ow.unstable
	}
	return !ow.state.failing() || failureWords(ow) == failureWords(lw)
}

// alsoFailing lists the services our probes see failing that the lead's
// sentence does not speak for, each with its own evidence and what the
// page says of it: "Claude (claude.ai) (503 server error; partial outage
// on the status page)"; and apart, those held in a failure whose newest
// probes succeed (recovering).
func (j judgement) alsoFailing(svs []probe.ServiceVerdict, lead int) (failing, recovering string) {
	var out, back []string
	for _, o := range svs {
		w := j.leadView(o)
		if j.covered(o, svs[lead]) || !(w.state.failing() || w.unstable) {
			continue
		}
		what := failureWords(w)
		if answering(w) {
			// Its newest probes succeed: not failing now, only not yet
			// all clear (cold5 D24).
			back = append(back, o.Service.Name+" (answering again after "+what+")")
			continue
		}
		if w.unstable {
			what = fmt.Sprintf("%s failed, %s", w.failedOf("probe", "probes"), classWords(w.class, w.status))
		}
		switch {
		case o.Kind == probe.VerdictUnacknowledged:
			what += "; not yet acknowledged"
		case o.Official != "" && o.Official != probe.ComponentOperational && j.off.drives:
			what += "; " + o.Official.String() + " on the status page"
		}
		out = append(out, o.Service.Name+" ("+what+")")
	}
	return strings.Join(out, ", "), strings.Join(back, ", ")
}

// answering reports whether a target held in a failure (until
// --recover-threshold successes in a row) answers now: its newest probes
// succeeded.
func answering(w view) bool {
	return w.state.failing() && !w.unstable && w.pending > 0 && w.latest.Class.Up()
}

// failingNow is " failing from here (529 overloaded)", or, when the
// newest probes already succeed, what they say now: " answering again
// after 529 overloaded (recovering: the newest probe succeeded; all clear
// after 2 in a row)" — fresh 200s are never "failing from here" (cold5
// D24: the first round after a restart, beside rows that read ✔ 200).
func (j judgement) failingNow(w view, what string) string {
	if w.mostly() {
		return " failing from here most of the time (" + w.failedOf("probe", "probes") + " failed: " + w.classMix() + ")"
	}
	if !answering(w) && !w.relapse.IsZero() {
		return " failing again from here (" + what + "; " + j.heldNot(w) + ")"
	}
	if !answering(w) {
		return " failing from here (" + what + ")"
	}
	recover := j.in.Recover
	if recover < 1 {
		recover = DefaultRecoverThreshold
	}
	ok := "the newest probe succeeded"
	if w.pending > 1 {
		ok = fmt.Sprintf("the last %d probes succeeded", w.pending)
	}
	return fmt.Sprintf(" answering again after %s (recovering: %s; all clear after %d in a row)", what, ok, recover)
}

// heldNot is "2 answers in a row from 14:01:05 UTC did not hold": the
// recovery a relapse ended.
func (j judgement) heldNot(w view) string {
	n := "an answer"
	if w.relapseUps > 1 {
		n = fmt.Sprintf("%d answers in a row", w.relapseUps)
	}
	return n + " from " + j.zoned(w.relapse, "15:04:05 MST") + " did not hold"
}

// firstOnly reports whether the failure rests on one probe alone: the
// first result counts at once (a fault shows on the first screen), but
// one round is no persistence, so its sentence is an inference.
func firstOnly(w view) bool {
	return w.total == 1 && w.state.failing() && !w.unstable
}

// likely is the sentence's opening, "Likely an " before it while the
// failure rests on one probe: "Likely an Anthropic problem, not yet
// acknowledged: …".
func likely(w view, head string) string {
	if firstOnly(w) {
		return "Likely an " + head
	}
	return head
}

// once is " — one probe so far; a second failure in a row confirms it"
// while the failure rests on one probe.
func once(w view) string {
	if firstOnly(w) {
		return " — one probe so far; a second failure in a row confirms it"
	}
	return ""
}

// leadHeadline is the lead service's sentence and the facts.
func (j judgement) leadHeadline(svs []probe.ServiceVerdict, lead int) (string, []string) {
	sv := svs[lead]
	k := sv.Kind
	w := j.leadView(sv)
	who := j.who(svs, sv, w)
	facts := j.leadFacts(svs, lead)
	what := failureWords(w)
	relay := j.relayedBy(w)
	if relay != "" {
		// The gateway's words, not Anthropic's: said as its report, and
		// what it means as likely.
		what += ", as " + relay + " reports"
	}
	likely := func(w view, head string) string {
		if relay != "" && !firstOnly(w) {
			return "Likely an " + head
		}
		return likely(w, head)
	}
	if (w.target == probe.TargetSessions && w.state.failing() || w.target == probe.TargetSessions && w.unstable) && !(k == probe.VerdictLocalCredential && j.loginRefusalLeads(w)) {
		if h := j.sessionsHeadline(sv, w); h != "" {
			if k == probe.VerdictLocalCredential || k == probe.VerdictLocalQuota {
				return j.besideOutage(h, facts)
			}
			return h, facts
		}
	}
	switch k {
	case probe.VerdictUnknown:
		return j.checking(), facts
	case probe.VerdictOperational:
		return j.allClear(facts)
	case probe.VerdictDegraded:
		return j.degraded(svs, sv, w, who), facts
	case probe.VerdictMaintenance:
		_, _, _, mnt := j.component(sv.Service)
		if w.state.failing() {
			return "Maintenance: errors expected on " + who + j.until(mnt) + " (" + what + ").", facts
		}
		return "Maintenance: " + who + " under scheduled maintenance" + j.until(mnt) + j.probesOK(svs, k, w) + ".", facts
	case probe.VerdictConflicting:
		return "Conflicting: Anthropic reports " + reportedAs(svs, k) + ", but our probes succeed.", facts
	case probe.VerdictLocalQuota, probe.VerdictLocalCredential:
		if cl, ok := codeLoginProblem(j.in.Local); ok && w.state != sAccount {
			return j.besideOutage("Your credential: "+j.codeLoginWords(cl)+".", append([]string{cl.Text}, facts...))
		}
		return j.account(k, w, facts)
	case probe.VerdictLocalNetwork:
		return j.network(sv, w, facts)
	case probe.VerdictLocalConfig:
		return j.config(sv, w, facts)
	case probe.VerdictUnreachable:
		// What a fresh page acknowledges goes in the headline, not only
		// the facts: a refusal during Anthropic's own outage of the
		// service is likely that outage (cold7 E10).
		if h, fact, ok := j.gatewayUnreachable(sv, w, who); ok {
			return j.besideOutage(h+".", append(facts, fact))
		}
		if h, fact, ok := j.gatewayCutHeadline(sv, w, who); ok {
			return j.besideOutage(h+".", append(facts, fact))
		}
		if h, fact, ok := j.proxyUnreachable(sv, w, who); ok {
			return j.besideOutage(h+".", append(facts, fact))
		}
		return j.besideOutage(who+" unreachable from here ("+what+")"+j.others(sv.Service)+
			": Anthropic or a firewall between you.",
			append(facts, "to tell them apart, try the same request from another network (a phone's hotspot): if it answers there, something on this network blocks it"))
	case probe.VerdictFailing:
		return likely(w, "Anthropic problem: ") + who + j.failingNow(w, what) + "; " + j.pageWhyFor(sv.Service.Name) +
			", so we cannot say whether Anthropic has acknowledged it" + once(w) + j.lastReported() + ".", facts
	case probe.VerdictUnacknowledged:
		it := "it"
		if strings.Contains(who, ", ") {
			it = "them"
		}
		return likely(w, "Anthropic problem, not yet acknowledged: ") + who + j.failingNow(w, what) +
			" while the status page shows " + it + " operational" + once(w) + ".", facts
	case probe.VerdictOutage:
		return j.outage(svs, sv, w, who, what), facts
	}
	return "Checking…", facts
}

// who names the services the sentence speaks for: those of the lead's
// kind, and while it fails, only those our probes saw fail the same way
// as the lead ("failing from here" of them alone: another cause is said
// on its own).
func (j judgement) who(svs []probe.ServiceVerdict, sv probe.ServiceVerdict, w view) string {
	k := sv.Kind
	who := names(svs, k)
	if w.state.failing() || w.unstable {
		// "failing from here" only for the services our probes saw fail,
		// the same way as the lead: another cause is said on its own.
		var ns []string
		for _, o := range svs {
			if ow := j.leadView(o); o.Kind == k && (ow.state.failing() || ow.unstable) && j.covered(o, sv) {
				ns = append(ns, o.Service.Name)
			}
		}
		who = strings.Join(ns, ", ")
	}
	return who
}

// leadFacts are the lead's facts, then those of the services its
// sentence speaks for.
func (j judgement) leadFacts(svs []probe.ServiceVerdict, lead int) []string {
	sv, k := svs[lead], svs[lead].Kind
	facts := append([]string(nil), sv.Facts...)
	for i, o := range svs {
		if i != lead && o.Kind == k && j.covered(o, sv) {
			facts = append(facts, o.Facts...)
		}
	}
	return facts
}

// allClear is the sentence while our probes answer: all clear, so far
// (one probe just failed), or without the page's word.
func (j judgement) allClear(facts []string) (string, []string) {
	if cl, ok := codeLoginProblem(j.in.Local); ok {
		return j.besideOutage("Your credential: "+j.codeLoginWords(cl)+".", append([]string{cl.Text}, facts...))
	}
	if blip, ok := j.blip(); ok {
		// One probe just failed after successes: not yet a verdict
		// (two in a row make one), but never "our probes succeed".
		if note := j.pageWhy(); note != "" {
			return "One failure, not yet a verdict: " + blip + "; " + note + ".", facts
		}
		return "One failure, not yet a verdict: " + blip + "; " + j.noProblem() + ".", facts
	}
	if note := j.pageWhy(); note != "" {
		return "Claude answers from here; " + note + j.lastReported() + ".", append(facts, j.pageFacts()...)
	}
	return "All clear: our probes succeed" + j.throughGateway() + " and " + j.noProblem() + ".", facts
}

// throughGateway is ", those of the Claude API through the gateway at
// ANTHROPIC_BASE_URL (http://127.0.0.1:4000)," when the API probes that
// succeed asked the gateway the user set, not Anthropic's host: what
// answered is that way, not api.anthropic.com. "" otherwise.
func (j judgement) throughGateway() string {
	if _, _, ok := j.gateway(); !ok {
		return ""
	}
	if v, ok := j.views[probe.TargetAPI]; !ok || !v.state.up() || j.keyUnasked(v) {
		return ""
	}
	return ", those of the Claude API through the gateway at " + j.gatewayAt() + ","
}

// degraded is the sentence of a service degraded: unstable, limited,
// slow, or so reported by the page.
func (j judgement) degraded(svs []probe.ServiceVerdict, sv probe.ServiceVerdict, w view, who string) string {
	k := sv.Kind
	switch {
	case w.unstable:
		return "Unstable: " + j.unstableOf(sv, w) + "."
	case w.state == sLimited && w.evidence.Target == probe.TargetAPIKey:
		return "Degraded: the API turns your key away with " + failureWords(w) + " " + probe.Quote(probe.Line(apiMessage(w.evidence), 60)) +
			" while " + roomWords(w.evidence.RateLimit) + " — likely Anthropic limiting requests, not your quota."
	case w.state == sLimited:
		return fmt.Sprintf("Degraded: %s rate-limits requests from this address (%s).", sv.Service.Name, probe.StatusText(w.evidence.HTTPStatus))
	case w.state == sCLI:
		return "Your Claude Code install: `claude --version` failed (" + probe.Line(w.evidence.Message, 60) + ")."
	case w.state == sSlow:
		return "Degraded: " + who + " slow from here (" + slowWords(w.evidence) + ")."
	}
	return "Degraded: Anthropic reports " + who + " as degraded performance" + j.probesOK(svs, k, w) + "."
}

// outage is the sentence of an outage the page acknowledges.
func (j judgement) outage(svs []probe.ServiceVerdict, sv probe.ServiceVerdict, w view, who, what string) string {
	k := sv.Kind
	_, _, inc, _ := j.component(sv.Service)
	switch {
	case w.unstable:
		return fmt.Sprintf("Anthropic outage: %s failing on and off from here (%s failed, %s) — acknowledged on the status page.",
			who, w.failedOf("probe", "probes"), classWords(w.class, w.status))
	case !w.state.failing():
		if h, ok := j.onset(svs, k, sv); ok {
			// A newest probe that failed agrees with the page.
			return h
		}
		// Only the page speaks for them, each with its own status.
		return "Anthropic outage: Anthropic reports " + reportedAs(svs, k) + "."
	case inc != nil:
		return "Anthropic outage: " + who + j.failingNow(w, what) + " — acknowledged on the status page (" + probe.Line(inc.Name, 80) + ")."
	case sv.Official.Outage() || sv.Official == probe.ComponentDegraded:
		return "Anthropic outage: " + who + j.failingNow(w, what) + " — acknowledged on the status page (" + sv.Official.String() + ")."
	}
	return "Anthropic outage: " + who + j.failingNow(w, what) + "; the status page reported a problem during it and now shows none."
}

// probesOK is "; our probes succeed" when the services of kind k answer
// in their newest probes too, else what the newest one that failed got:
// the sentence speaks of the same moment as the rows.
func (j judgement) probesOK(svs []probe.ServiceVerdict, k probe.VerdictKind, w view) string {
	if !w.state.up() {
		return ""
	}
	for _, o := range svs {
		if o.Kind != k {
			continue
		}
		if ws := j.newestFailedAll(o.Service); len(ws) > 0 {
			return "; " + blipWords(o.Service, ws)
		}
	}
	return "; our probes succeed"
}

// failureWords is the failure in a few words: "529 overloaded",
// "timed out after connecting", "connection refused".
func failureWords(w view) string {
	r := w.evidence
	switch {
	case r.Class == probe.ClassNetwork && (r.ErrorType == probe.NetTimeout || r.ErrorType == probe.NetReset) && w.state == sAnthropic:
		return gist(r.Message, 60) + ", after connecting"
	case r.Class == probe.ClassNetwork:
		return gist(r.Message, 60)
	case r.HTTPStatus != 0:
		return classWords(r.Class, r.HTTPStatus)
	}
	return gist(r.Message, 60)
}
