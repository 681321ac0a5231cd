package judge

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
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

// pageWhy is the status page's standing as a clause, "" when it is fresh.
func (j judgement) pageWhy() string {
	switch j.off.state {
	case probe.OfficialUnreadable:
		s := "the status page could not be read"
		if !j.off.since.IsZero() {
			s += " since " + j.since()
		}
		if j.off.why != "" {
			s += " (" + j.off.why + ")"
		}
		return s
	case probe.OfficialForeign:
		return "the page at --status-url is " + j.off.why
	case probe.OfficialStale:
		return "the status page was last read " + j.clock(j.off.read)
	case probe.OfficialNone:
		return "the status page has not been read yet"
	}
	return ""
}

// pageWhyFor is pageWhy for a service failing from here: with the page a
// current fact, what keeps it from saying is that it does not list the
// service ("; , so we cannot say" stood in its place).
func (j judgement) pageWhyFor(name string) string {
	if s := j.pageWhy(); s != "" {
		return s
	}
	return "the status page does not list " + name
}

func (j judgement) since() string {
	return j.zoned(j.off.since, "15:04 MST")
}

// lead is the service the headline speaks of, with its view.
func (j judgement) leadView(sv probe.ServiceVerdict) view {
	var vs []view
	for _, t := range j.targets(sv.Service) {
		// A gateway's 404 at /v1/models judges nothing (service): a
		// canary's 529 there is the failure to name, not the 404.
		if v, ok := j.views[t]; ok && !j.modelsUnlisted(v) {
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
	if a := j.asRead(svs[lead].Kind); a != "" {
		h += " " + a
	}
	return h, facts
}

// asRead is the age of what the sentence took from the status page when
// the newest read failed and the last good one still counts (fresher than
// the stale limit): "The status page as read 14:02:10 UTC (40 s ago); the
// newest read failed (timed out)." Every official fact carries its age
// (cold6 E5); past the stale limit the page no longer speaks at all.
// "" while the page is a current fact, or the verdict does not rest on it.
func (j judgement) asRead(k probe.VerdictKind) string {
	if j.off.state != probe.OfficialUnreadable || !j.off.drives || j.off.read.IsZero() {
		return ""
	}
	switch k {
	case probe.VerdictOutage, probe.VerdictMaintenance, probe.VerdictUnacknowledged, probe.VerdictConflicting, probe.VerdictDegraded, probe.VerdictFailing:
	case probe.VerdictLocalCredential, probe.VerdictLocalQuota:
		if j.outageBeside() == "" {
			return "" // nothing from the page in the sentence
		}
	default:
		// All clear's and Checking's sentence says the page could not
		// be read (pageWhy); the network's and the rest rest on our
		// probes alone.
		return ""
	}
	s := "The status page as read " + j.zoned(j.off.read, "15:04:05 MST") + " (" + ago(j.in.Now.Sub(j.off.read)) + "); "
	if !j.off.since.IsZero() {
		s += "every read since " + j.zoned(j.off.since, "15:04:05 MST") + " failed"
	} else {
		s += "the newest read failed"
	}
	if j.off.why != "" {
		s += " (" + j.off.why + ")"
	}
	return s + "."
}

// covered reports whether the lead's sentence already speaks for o: of
// the lead's kind and failing the same way (or on and off with it).
func (j judgement) covered(o, lead probe.ServiceVerdict) bool {
	if o.Service.Key == lead.Service.Key {
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
			what = fmt.Sprintf("%s failed, %s", probe.OfTheLast(w.fails, w.total, "probe", "probes"), classWords(w.class, w.status))
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
// after 529 overloaded, recovering: the newest probe succeeded; all clear
// after 2 in a row" — fresh 200s are never "failing from here" (cold5
// D24: the first round after a restart, beside rows that read ✔ 200).
func (j judgement) failingNow(w view, what string) string {
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
	return fmt.Sprintf(" answering again after %s, recovering: %s; all clear after %d in a row", what, ok, recover)
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
	facts := append([]string(nil), sv.Facts...)
	for i, o := range svs {
		if i != lead && o.Kind == k && j.covered(o, sv) {
			facts = append(facts, o.Facts...)
		}
	}
	what := failureWords(w)
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
		if cl, ok := codeLoginProblem(j.in.Local); ok {
			return j.besideOutage("Your credential: "+j.codeLoginWords(cl)+".", append([]string{cl.Text}, facts...))
		}
		if blip, ok := j.blip(); ok {
			// One probe just failed after successes: not yet a verdict
			// (two in a row make one), but never "our probes succeed".
			if note := j.pageWhy(); note != "" {
				return "All clear so far: " + blip + "; " + note + ".", facts
			}
			return "All clear so far: " + blip + "; Anthropic reports no problem.", facts
		}
		if note := j.pageWhy(); note != "" {
			return "Claude answers from here; " + note + ".", append(facts, j.pageFacts()...)
		}
		return "All clear: our probes succeed and Anthropic reports no problem.", facts
	case probe.VerdictDegraded:
		switch {
		case w.unstable:
			return fmt.Sprintf("Unstable: %s failed (%s).", probe.OfTheLast(w.fails, w.total, sv.Service.Name+" probe", sv.Service.Name+" probes"), classWords(w.class, w.status)), facts
		case w.state == sLimited && w.evidence.Target == probe.TargetAPIKey:
			return "Degraded: the API turns your key away with " + failureWords(w) + " " + probe.Quote(probe.Line(apiMessage(w.evidence), 60)) +
				" while " + roomWords(w.evidence.RateLimit) + " — likely Anthropic limiting requests, not your quota.", facts
		case w.state == sLimited:
			return fmt.Sprintf("Degraded: %s rate-limits requests from this address (%s).", sv.Service.Name, probe.StatusText(w.evidence.HTTPStatus)), facts
		case w.state == sCLI:
			return "Your Claude Code install: `claude --version` failed (" + probe.Line(w.evidence.Message, 60) + ").", facts
		case w.state == sSlow:
			return "Degraded: " + who + " slow from here (" + slowWords(w.evidence) + ").", facts
		}
		return "Degraded: Anthropic reports " + who + " as degraded performance" + j.probesOK(svs, k, w) + ".", facts
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
		return who + " unreachable from here (" + what + ")" + j.others(sv.Service) +
				": Anthropic or a firewall between you.",
			append(facts, "to tell them apart, try the same request from another network (a phone's hotspot): if it answers there, something on this network blocks it")
	case probe.VerdictFailing:
		return likely(w, "Anthropic problem: ") + who + j.failingNow(w, what) + "; " + j.pageWhyFor(sv.Service.Name) +
			", so we cannot say whether Anthropic has acknowledged it" + once(w) + ".", facts
	case probe.VerdictUnacknowledged:
		it := "it"
		if strings.Contains(who, ", ") {
			it = "them"
		}
		return likely(w, "Anthropic problem, not yet acknowledged: ") + who + j.failingNow(w, what) +
			" while the status page shows " + it + " operational" + once(w) + ".", facts
	case probe.VerdictOutage:
		_, _, inc, _ := j.component(sv.Service)
		switch {
		case w.unstable:
			return fmt.Sprintf("Anthropic outage: %s failing on and off from here (%s failed, %s) — acknowledged on the status page.",
				who, probe.OfTheLast(w.fails, w.total, "probe", "probes"), classWords(w.class, w.status)), facts
		case !w.state.failing():
			if h, ok := j.onset(svs, k, sv); ok {
				// A newest probe that failed agrees with the page.
				return h, facts
			}
			// Only the page speaks for them, each with its own status.
			return "Anthropic outage: Anthropic reports " + reportedAs(svs, k) + ".", facts
		case inc != nil:
			return "Anthropic outage: " + who + j.failingNow(w, what) + " — acknowledged on the status page (" + probe.Line(inc.Name, 80) + ").", facts
		case sv.Official.Outage() || sv.Official == probe.ComponentDegraded:
			return "Anthropic outage: " + who + j.failingNow(w, what) + " — acknowledged on the status page (" + sv.Official.String() + ").", facts
		}
		return "Anthropic outage: " + who + j.failingNow(w, what) + "; the status page reported a problem during it and now shows none.", facts
	}
	return "Checking…", facts
}

// pageFacts are the observations behind "the status page could not be
// read": the newest failed read and the last good one, each with its time.
// Then what answered from here meanwhile, each probe's newest answer with
// its age: the facts behind "Claude answers from here".
func (j judgement) pageFacts() []string {
	var out []string
	if r := j.off.last; r.Target != "" && r.Class.Failing() {
		s := "status page read " + j.zoned(r.Time, "15:04:05 MST") + " (" + ago(j.in.Now.Sub(r.Time)) + "): " + probe.Line(r.Message, 100)
		if !j.off.since.IsZero() {
			s += "; every read since " + j.zoned(j.off.since, "15:04:05 MST") + " failed"
		}
		out = append(out, s)
	}
	if !j.off.read.IsZero() {
		out = append(out, "last good read of the status page: "+j.clock(j.off.read))
	}
	return append(out, j.answerFacts()...)
}

// answerFacts are our probes' newest answers where they succeed: "API
// reachability answered 401 (as expected without a key) at 14:02:10 UTC
// (5 s ago)".
func (j judgement) answerFacts() []string {
	var out []string
	for _, s := range probe.Services() {
		for _, t := range s.Targets {
			v, ok := j.views[t]
			if !ok || !v.state.up() || v.latest.Target == "" || t == probe.TargetCode || t == probe.TargetSessions {
				continue
			}
			r := v.latest
			what := "answered"
			if r.HTTPStatus != 0 {
				what = fmt.Sprintf("answered %d", r.HTTPStatus)
				if t == probe.TargetAPI && r.HTTPStatus == 401 {
					what += " (as expected without a key)"
				}
			}
			out = append(out, fmt.Sprintf("%s %s at %s (%s)", t.Label(), what, j.zoned(r.Time, "15:04:05 MST"), ago(j.in.Now.Sub(r.Time))))
		}
	}
	return out
}

// blip is "the newest Claude API probe failed (529 overloaded) after
// successes — a second failure in a row changes the verdict" when an HTTP
// probe's newest answer failed while its state is still up.
func (j judgement) blip() (string, bool) {
	for _, s := range probe.Services() {
		if w, ok := j.newestFailed(s); ok {
			return blipWords(s, w) + " — a second failure in a row changes the verdict", true
		}
	}
	return "", false
}

// onset is the outage's sentence in the round its page turned and our
// newest probe failed, the one before having succeeded (service): the
// failure of the same moment as the rows, the page's worst first — "Anthropic
// outage: Claude API failing from here (529 overloaded; the newest
// probe, after successes) — acknowledged on the status page (…)."
func (j judgement) onset(svs []probe.ServiceVerdict, k probe.VerdictKind, lead probe.ServiceVerdict) (string, bool) {
	var first *probe.ServiceVerdict
	var fw view
	var also []string
	seen := map[string]bool{}
	order := append([]probe.ServiceVerdict{lead}, svs...)
	slices.SortStableFunc(order, func(a, b probe.ServiceVerdict) int {
		return componentSeverity(b.Official) - componentSeverity(a.Official) // the page's worst first
	})
	for _, o := range order {
		if o.Kind != k || seen[o.Service.Key] {
			continue
		}
		seen[o.Service.Key] = true
		f, ok := j.newestFailed(o.Service)
		switch {
		case !ok:
		case first == nil:
			first, fw = &o, f
		default:
			also = append(also, o.Service.Name+" ("+failureWords(f)+"; "+o.Official.String()+" on the status page)")
		}
	}
	if first == nil {
		return "", false
	}
	ack := first.Official.String()
	if _, _, inc, _ := j.component(first.Service); inc != nil {
		ack = probe.Line(inc.Name, 80)
	}
	h := "Anthropic outage: " + first.Service.Name + " failing from here (" + failureWords(fw) + "; the newest probe, after successes) — acknowledged on the status page (" + ack + ")."
	if len(also) > 0 {
		h += " Also failing from here: " + strings.Join(also, ", ") + "."
	}
	return h, true
}

// newestFailed is the view of the first of s's HTTP probes whose newest
// answer failed while its state is still up: one failure after
// successes is not yet a verdict, but never "our probes succeed" beside
// it (cold6 E1: the first round of an outage said so beside ✖ rows).
func (j judgement) newestFailed(s probe.Service) (view, bool) {
	for _, t := range s.Targets {
		v, ok := j.views[t]
		if !ok || !v.state.up() || t == probe.TargetCode {
			continue
		}
		if st := classify(v.latest, https(t, j.in.Local)); st.failing() {
			return view{target: t, state: st, evidence: v.latest}, true
		}
	}
	return view{}, false
}

// blipWords is "the newest Claude API probe failed (529 overloaded)
// after successes".
func blipWords(s probe.Service, w view) string {
	return "the newest " + s.Name + " probe failed (" + failureWords(w) + ") after successes"
}

// checking is the first screen's sentence: what is on its way, and what
// the page says if it answered first.
func (j judgement) checking() string {
	switch {
	case j.off.state == probe.OfficialFresh && j.off.st.Indicator == "none":
		return "Checking… no probe of ours has answered yet; Anthropic reports no problem."
	case j.off.state == probe.OfficialFresh:
		return "Checking… no probe of ours has answered yet; the status page answered."
	case j.off.state != probe.OfficialNone:
		return "Checking… no probe of ours has answered yet; " + j.pageWhy() + "."
	}
	return "Checking… no probe of ours has answered yet."
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
		if f, ok := j.newestFailed(o.Service); ok {
			return "; " + blipWords(o.Service, f)
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

// network is the headline of a local network fault on one service.
func (j judgement) network(sv probe.ServiceVerdict, w view, facts []string) (string, []string) {
	r := w.evidence
	name := sv.Service.Name
	switch w.state {
	case sPath:
		// The message says who answered; "not Anthropic" once.
		msg := probe.Line(r.Message, 160)
		if strings.Contains(msg, " instead of ") {
			// The message names who answered in the target's place.
			return "Your network or proxy: " + msg + " — not Anthropic.", facts
		}
		if !strings.Contains(msg, "not Anthropic") {
			msg += " (not Anthropic)"
		}
		return "Your network or proxy: something between you and " + name + " answered in its place — " + msg + ".", facts
	case sDNS:
		if c, ok := failingCheck(j.in.Local, probe.CheckDNS); ok {
			facts = append([]string{"DNS: " + c.Text}, facts...)
		}
		return "Your network: " + probe.Line(r.Message, 100) + j.others(sv.Service) + " — likely your resolver or a DNS filter.", facts
	case sProxy:
		if c, ok := failingCheck(j.in.Local, probe.CheckProxy); ok {
			facts = append([]string{"proxy: " + c.Text}, facts...)
		}
		if c, ok := j.in.Local.Check(probe.CheckProxy); ok && r.HTTPStatus == 407 && probe.ProxyDirect(c) {
			// No proxy the requests use, so HTTPS_PROXY is not the fix: one
			// on the path answered (transparent or corporate, or the base URL).
			return "Your network: a proxy our requests were not sent to answered instead of " + name + " (407 Proxy Authentication Required) — a transparent or corporate proxy on the path, or ANTHROPIC_BASE_URL pointing at one; " + directWhy(c) + ".", facts
		}
		if rest, ok := strings.CutPrefix(probe.Line(r.Message, 160), "a proxy answered instead of the API"); ok {
			return "Your proxy: a proxy answered instead of " + name + rest + ".", facts
		}
		return "Your proxy: " + probe.Line(r.Message, 100) + " (for " + name + ").", facts
	case sTLS:
		return "Your network: " + probe.Line(r.Message, 100) + " for " + name + " (TLS interception by a proxy or security software?).", facts
	case sNoRoute:
		return "Your network: " + probe.Line(r.Message, 100) + " (no route from this machine).", facts
	}
	return "Your network: " + probe.Line(r.Message, 100) + " (for " + name + ").", facts
}

// account is the headline of a refused credential, quota or billing: which
// credential, which error, in the API's own words.
func (j judgement) account(k probe.VerdictKind, w view, facts []string) (string, []string) {
	l := j.in.Local
	r := w.evidence
	word := "Your credential"
	if k == probe.VerdictLocalQuota {
		word = "Your quota or billing"
	}
	cred := "your API key or login"
	if p, ok := l.Probed(); ok {
		cred = p.Source
	}
	e, _ := catalogue.MatchLive(r, l)
	var head string
	switch {
	case catalogue.OAuthInKeyVar(r, l):
		// Not "Invalid API key": it is no API key at all.
		head = fmt.Sprintf("%s: ANTHROPIC_API_KEY holds a Claude subscription token (sk-ant-oat01-…), not an API key: the API rejects it (%d) — "+
			"move it to CLAUDE_CODE_OAUTH_TOKEN for Claude Code, or set an API key (sk-ant-api03-…).", word, r.HTTPStatus)
	case r.ErrorType == probe.ErrUnsendable:
		// Go refused to build the request: nothing was sent, so the API
		// rejected nothing and no network is to blame.
		head = fmt.Sprintf("%s: %s.", word, r.Message)
	case e.ID == "" && r.Class == probe.ClassAuth:
		head = fmt.Sprintf("%s: the API rejects %s.", word, cred)
	case e.ID == "":
		head = word + ": requests refused for quota, rate limit or billing."
	case r.Class == probe.ClassAuth:
		head = fmt.Sprintf("%s: the API rejects %s — %s.", word, cred, e.Title)
	default:
		head = fmt.Sprintf("%s: %s on %s.", word, e.Title, cred)
	}
	if nw := w.latest; w.pending > 0 && nw.Class.Up() && nw.Time.After(r.Time) {
		// Live results beat the hysteresis's memory: a credential whose
		// newest probe succeeded is not "rejected" now, only until then.
		what := fmt.Sprint(r.HTTPStatus)
		if e.Title != "" {
			what += " " + e.Title
		}
		left := max(cmp.Or(j.in.Recover, DefaultRecoverThreshold)-w.pending, 1)
		head = fmt.Sprintf("%s: the API refused %s until %s (%s); the newest probe, at %s, succeeded — likely fixed, confirmed after %d more success%s in a row.",
			word, cred, j.zoned(r.Time, "15:04:05 MST"), what, j.zoned(nw.Time, "15:04:05"), left, map[bool]string{true: "", false: "es"}[left == 1])
	}
	out := []string{j.evidenceLine(r, l)}
	if o := j.outageBeside(); o != "" {
		// The refusal is the verdict; an outage Anthropic acknowledges at
		// the same moment is a fact beside it, never left unsaid.
		head += " " + strings.ToUpper(o[:1]) + o[1:] + "."
		out = append(out, o)
	}
	if p, ok := l.Probed(); ok {
		out = append(out, fmt.Sprintf("credential: %s, %s %s (the one Claude Code sends)", p.Source, p.Kind, p.Masked))
	}
	if alt, ok := strings.CutPrefix(r.Detail, probe.AlsoPrefix); ok {
		out = append(out, "also set, not sent by Claude Code: "+alt)
	}
	// A format oddity is a note beside a rejection, never its cause.
	if c, ok := l.Check(probe.CheckKeyFormat); ok && c.Level >= probe.LocalWarn {
		out = append(out, "key format: "+c.Text)
	}
	return head, append(out, facts...)
}

// codeLoginProblem is Claude Code's own login, missing or expired for
// good, when nothing in the environment stands in for it.
func codeLoginProblem(l *probe.LocalReport) (probe.LocalCheck, bool) {
	if l == nil {
		return probe.LocalCheck{}, false
	}
	if len(l.Credentials) > 0 && l.Credentials[0].Source != "Claude Code login" {
		return probe.LocalCheck{}, false
	}
	for _, id := range []string{probe.CheckCodeLogin, probe.CheckCodeAuth} {
		if c, ok := failingCheck(l, id); ok {
			return c, true
		}
	}
	return probe.LocalCheck{}, false
}

// roomWords is what the key's rate-limit headers said: "your key's limits
// show room (requests 49 of 50 left)", or that there were none.
func roomWords(rl probe.RateLimit) string {
	switch {
	case rl.RequestsLimit > 0:
		return fmt.Sprintf("your key's limits show room (requests %d of %d left)", rl.RequestsRemaining, rl.RequestsLimit)
	case rl.TokensLimit > 0:
		return fmt.Sprintf("your key's limits show room (tokens %d of %d left)", rl.TokensRemaining, rl.TokensLimit)
	}
	return "no rate-limit header names your key's limit"
}

// besideOutage adds the outage a fresh page acknowledges to an
// account-side headline and its facts (second, under the cut of three):
// the refusal is the verdict, the outage at the same moment is never left
// unsaid.
func (j judgement) besideOutage(head string, facts []string) (string, []string) {
	o := j.outageBeside()
	if o == "" {
		return head, facts
	}
	head += " " + strings.ToUpper(o[:1]) + o[1:] + "."
	if len(facts) == 0 {
		return head, []string{o}
	}
	return head, append([]string{facts[0], o}, facts[1:]...)
}

// outageBeside is what a fresh status page acknowledges while the verdict
// is about your account: "also, Anthropic reports Claude API as major
// outage (incident: Elevated errors for multiple models, identified)";
// "" when it acknowledges nothing.
func (j judgement) outageBeside() string {
	var what []string
	var inc *probe.Incident
	svs := probe.Services()
	// The worst first: a major outage before a partial one.
	slices.SortStableFunc(svs, func(a, b probe.Service) int {
		sa, _, _, _ := j.component(a)
		sb, _, _, _ := j.component(b)
		return componentSeverity(sb) - componentSeverity(sa)
	})
	for _, s := range svs {
		st, _, in, mnt := j.component(s)
		if !st.Outage() && in == nil && (st == probe.ComponentMaintenance || mnt != nil) {
			// A refusal during the service's maintenance may be the
			// maintenance's: said beside it, as an outage is (cold5 D27).
			what = append(what, s.Name+" under scheduled maintenance"+j.until(mnt))
			continue
		}
		if st.Outage() || in != nil {
			if st.Outage() {
				what = append(what, s.Name+" as "+st.String())
			} else {
				what = append(what, s.Name+" in an open incident")
			}
			if inc == nil {
				inc = in
			}
		}
	}
	if len(what) == 0 {
		return ""
	}
	o := "also, Anthropic reports " + strings.Join(what, ", ")
	if inc != nil {
		o += " (incident: " + probe.Line(inc.Name, 80) + ", " + probe.StatusWord(inc.Status) + ")"
	}
	return o
}

// config is the headline of a URL the user set that is not the API's
// (cold5 D34, D31): what was asked, what answered, what to change. A
// 404 under a base URL ending in /v1 is a fact about that URL; any other
// 404 there, or a configured host that does not resolve, is likely the
// setting (a gateway that serves no /v1/models, a VPN that is down).
func (j judgement) config(sv probe.ServiceVerdict, w view, facts []string) (string, []string) {
	r := w.evidence
	switch r.ErrorType {
	case probe.ErrBaseURLV1:
		return j.besideOutage("Your configuration: "+probe.Line(r.Message, 200)+".", facts)
	case probe.ErrBaseURL404:
		return j.besideOutage("Likely your configuration: "+probe.Line(r.Message, 200)+".", facts)
	}
	url, setting := "the API URL", "--api-url / ANTHROPIC_BASE_URL"
	if w.target == probe.TargetClaudeAI {
		url, setting = "the claude.ai URL", "--claude-url"
	}
	return j.besideOutage("Likely your configuration: "+url+"'s host "+j.configuredHost(w)+" does not resolve (no such host)"+
		j.others(sv.Service)+" — check "+setting+"; if the name is right, your resolver, VPN or a DNS filter.", facts)
}

// configuredHost is the host of the URL the user set for the view's
// target when it is not an Anthropic host and the name does not exist
// (NXDOMAIN): a mistyped ANTHROPIC_BASE_URL more likely than a resolver
// at fault (cold5 D31). "" otherwise.
func (j judgement) configuredHost(w view) string {
	if w.state != sDNS || !strings.Contains(w.evidence.Message, "no such host") || j.in.Local == nil {
		return ""
	}
	raw := ""
	switch {
	case w.target == probe.TargetAPI, w.target == probe.TargetAPIKey, w.target.IsModel():
		raw = j.in.Local.APIURL
	case w.target == probe.TargetClaudeAI:
		raw = j.in.Local.ClaudeURL
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" || anthropicHost(u.Hostname()) {
		return ""
	}
	return probe.Line(u.Hostname(), 100)
}

// anthropicHost reports whether host is Anthropic's (anthropic.com,
// claude.ai, claude.com, or a name under them).
func anthropicHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, d := range []string{"anthropic.com", "claude.ai", "claude.com"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// slowWords is how slow an answer was against its budget, "5s, over the
// 3s latency budget", from the prober's note ("…; slow: 5s, budget 3s"),
// without the answer's own words around it (no parenthesis in another).
func slowWords(r probe.Result) string {
	return secs(r.Phases.Total) + ", over " + budgetWords(r)
}

// budgetWords is "the 3 s latency budget" of a slow result, from the
// prober's note ("…; slow: 5s, budget 3s").
func budgetWords(r probe.Result) string {
	if _, b, ok := strings.Cut(r.Message, ", budget "); ok {
		if d, err := time.ParseDuration(b); err == nil {
			return "the " + secs(d) + " latency budget"
		}
	}
	return "the latency budget"
}

// secs is a duration in seconds for people: "5 s", "4.1 s", "412 ms".
func secs(d time.Duration) string {
	if d >= time.Second && d%time.Second == 0 {
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return durWords(d)
}

// directWhy says why the requests used no proxy, from the Proxy check:
// "no HTTPS_PROXY is set", or what is set and why it does not apply.
func directWhy(c probe.LocalCheck) string {
	if strings.HasPrefix(c.Text, "no proxy in the environment") {
		return "no HTTPS_PROXY is set"
	}
	return probe.Line(strings.TrimSuffix(c.Text, ": direct connection"), 200)
}
