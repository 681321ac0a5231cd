package judge

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"downforai/probe"
)

// Input is what Judge looks at.
type Input struct {
	Status     *probe.Status                   // the last status snapshot read, nil if none
	Recent     map[probe.Target][]probe.Result // recent own results per target, oldest first
	Now        time.Time
	StaleAfter time.Duration // older data is not a current fact; 0: never stale
	// Horizon is how far back from Now a target's results count in its
	// window (Horizon(interval, statusInterval), as check reads the
	// database); the newest result counts however old. 0: no limit.
	Horizon time.Duration
	Local   *probe.LocalReport // latest local checks, nil if none
	// Recover is how many successes in a row end a failure
	// (--recover-threshold); 0 means probe.DefaultRecoverThreshold.
	Recover int
	// Recorded: some target's results are all from the database, none
	// of this run yet (the dashboard's first frames after a restart):
	// the verdict is the last known state, said so with its age however
	// young (cold6 E7), not only past the stale limit.
	Recorded bool
	// RecordedAt is, with Recorded, the newest result of the targets
	// still from the database: "Last known" is of then, not of another
	// target's answer of now ("Last known, 12:55 UTC (0 s ago)" over API
	// rows of minutes before — cold walk of Dec 7). Zero: Checked.
	RecordedAt time.Time
	// URLs are the URLs probed, for while Local is nil (a dashboard's
	// first frames after a restart, before its local checks ran):
	// whether a target's URL is plain http decides whether a recorded
	// timeout came after connecting (connected) — unknown, it was judged
	// https, and the last known "timed out after connecting" read back as
	// "unreachable from here: Anthropic or a firewall" (cold F1).
	URLs URLs
}

// URLs are the probed URLs of the API, claude.ai and the status page.
type URLs struct{ API, ClaudeAI, Status string }

// local is Local, or while it is nil a report of the URLs alone, for
// https.
func (in Input) local() *probe.LocalReport {
	if in.Local == nil && in.URLs != (URLs{}) {
		return &probe.LocalReport{APIURL: in.URLs.API, ClaudeURL: in.URLs.ClaudeAI, StatusURL: in.URLs.Status}
	}
	return in.Local
}

// httpTargets are the targets that cross the network.
var httpTargets = []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI}

// https reports whether the target's URL is https (unknown: yes, as the
// real endpoints are).
func https(t probe.Target, l *probe.LocalReport) bool {
	if l == nil {
		return true
	}
	raw := ""
	switch t {
	case probe.TargetAPI, probe.TargetAPIKey:
		raw = l.APIURL
	default:
		if t.IsModel() {
			raw = l.APIURL
		}
	case probe.TargetClaudeAI:
		raw = l.ClaudeURL
	case probe.TargetStatus:
		raw = l.StatusURL
	}
	u, err := url.Parse(raw)
	return err != nil || u.Scheme != "http"
}

// judgement is everything the decision looked at, for the sentences.
type judgement struct {
	in    Input
	off   official
	views map[probe.Target]view
}

// Judge fuses the status page, our probes and the local checks into one
// Verdict, following the decision table in the package comment.
func Judge(in Input) probe.Verdict {
	v := decide(in)
	old := in.StaleAfter > 0 && in.Now.Sub(v.Checked) > in.StaleAfter
	if !v.Checked.IsZero() && v.Kind != probe.VerdictUnknown && (old || in.Recorded) {
		// Our own probes are old news, or the last run's: say so before
		// what they said.
		at := v.Checked
		if in.Recorded && !in.RecordedAt.IsZero() && in.RecordedAt.Before(at) && !old {
			at = in.RecordedAt
		}
		v.Headline = "Last known, " + (judgement{in: in}).clock(at) + ": " + v.Headline
	}
	return v
}

// decide is Judge's verdict before its age is said: what we know, then
// the decision table's rows in order (the package comment), the first
// that matches deciding.
func decide(in Input) probe.Verdict {
	j := judgement{in: in, views: map[probe.Target]view{}}
	v, last := j.gather()
	if last.IsZero() {
		v.Kind, v.Headline = probe.VerdictUnknown, j.checking()
		return v
	}
	for _, row := range []func(*probe.Verdict) bool{
		j.noHostAnswers,     // every HTTP probe fails at the network level → Your network
		j.pathComesBack,     // that, then some hosts answer again → Your network, recovering
		j.everyHostSlow,     // every host answers, all slow → Your network
		j.worstServiceLeads, // the rest: each service judged, the worst leads
	} {
		if row(&v) {
			break
		}
	}
	j.newestDiffers(&v)
	return finish(v)
}

// newestDiffers says, after a failing verdict's headline, a newest probe
// that failed another way than the state it holds: the verdict moves when
// two in a row agree, and until then the headline is the state before —
// "Your network: a proxy … answered (407 …)" stood over rows of 529s for a
// round, as though of now (cold walk of Dec 7).
func (j judgement) newestDiffers(v *probe.Verdict) {
	if v.Kind == probe.VerdictOperational || v.Kind == probe.VerdictUnknown {
		return
	}
	for _, s := range probe.Services() {
		for _, t := range s.Targets {
			w, ok := j.views[t]
			if !ok || t == probe.TargetCode || !t.HTTP() || !w.state.failing() || w.unstable || w.pending > 0 {
				continue
			}
			st := classify(w.latest, https(t, j.in.local()))
			if !st.failing() || st == w.state || w.latest.Time.Equal(w.evidence.Time) {
				continue
			}
			probeOf := "probe"
			if t == probe.TargetAPIKey {
				probeOf = "probe with your key"
			}
			v.Headline += " The newest " + s.Name + " " + probeOf + " got " + failureWords(view{target: t, state: st, evidence: w.latest}) +
				": a second in a row changes the verdict."
			return
		}
	}
}

// gather reads the page and every target's results into the judgement's
// views and judges each service: the verdict's parts before its
// headline, and the time of the newest data of any kind (zero: none).
func (j *judgement) gather() (probe.Verdict, time.Time) {
	in := j.in
	j.off = readPage(in.Status, in.Recent[probe.TargetStatus], in.Now, in.StaleAfter)
	v := probe.Verdict{Official: probe.Official{State: j.off.state, Read: j.off.read, Since: j.off.since, Why: j.off.why, Drives: j.off.drives}}
	var newest time.Time
	for t, rs := range in.Recent {
		if t == probe.TargetLocal || t == probe.TargetStatus {
			continue
		}
		if t == probe.TargetSessions {
			// Claude Code's own calls: a current fact for a while, never
			// "when our probes last checked".
			if rs = freshSessions(rs, in.Now); len(rs) > 0 {
				j.views[t] = watchSessions(rs, in.Recover)
			}
			continue
		}
		j.views[t] = watch(t, afterGap(t, InWindow(t, rs, in.Now, in.Horizon), in.StaleAfter), in.Recover, https(t, in.local()))
		if n := len(rs); n > 0 && rs[n-1].Time.After(newest) {
			newest = rs[n-1].Time
		}
	}
	v.Checked = newest
	last := newest
	if j.off.last.Time.After(last) {
		last = j.off.last.Time
	}
	if in.Status != nil && in.Status.Fetched.After(last) {
		last = in.Status.Fetched
	}
	if in.StaleAfter > 0 && !last.IsZero() && in.Now.Sub(last) > in.StaleAfter {
		v.Stale = true
	}

	for _, s := range probe.Services() {
		sv := j.service(s)
		if !j.probed(s) && sv.Kind != probe.VerdictUnknown {
			// Anthropic's report only when a page that counts was read;
			// else what answered here is what it rests on.
			if j.off.drives {
				sv.PageOnly = true
			} else {
				sv.Local = j.localBasis(s)
			}
		}
		v.Services = append(v.Services, sv)
	}
	j.throughAPI(v.Services) // codeapi.go
	v.Models = j.models()    // models.go
	return v, last
}

// noHostAnswers: every HTTP probe fails at the network level.
func (j judgement) noHostAnswers(v *probe.Verdict) bool {
	cause, facts, hung, ok := j.networkDown()
	if !ok {
		return false
	}
	v.Kind = probe.VerdictLocalNetwork
	v.Headline = "Your network or proxy: no Anthropic host answers from here (" + facts[0] + ")."
	if j.everyLookupFails() {
		// Each host's name failed to resolve: evidence about this
		// machine's DNS, none about a proxy.
		v.Headline = "Your network's DNS: no Anthropic name resolves here, nor the status page's (" + facts[0] + ") — likely your resolver, or no connection to it."
	}
	if facts[len(facts)-1] == ProxiedFact {
		// The proxy's own answer, in its words (cold8 E1): not a network
		// that failed to connect.
		msg := probe.Line(cause.Message, 200)
		if rest, ok := strings.CutPrefix(msg, "the proxy at "); ok {
			msg = "Your proxy at " + rest
		} else {
			msg = "Your proxy: " + msg
		}
		v.Headline = msg + " — and so for every Anthropic host and the status page."
		if h, ok := j.proxyEverywhere(cause); ok {
			v.Headline = h
		}
	}
	if hung {
		// Every host took the connection and the TLS handshake, then
		// stalled: no evidence about DNS, connect or TLS, so not a
		// fact about the network. The status page is another
		// operator's host (Statuspage), so Anthropic's side does not
		// explain it either: what they share is the path from here.
		v.Headline = "Likely your network or a proxy on the path: every Anthropic host and the status page accepted the connection, then did not answer (" + facts[0] + ")."
	}
	v.Facts = facts[1:]
	kind := probe.VerdictLocalNetwork
	if host, ok := j.in.local().OneServer(); ok && !hung && facts[len(facts)-1] != ProxiedFact {
		// Every URL set points at one server that is not Anthropic's (a
		// local fake, a mirror): nothing of Anthropic's, nor the path to
		// it, was asked (cold walk: "no Anthropic host answers" with
		// advice to allow api.anthropic.com in the firewall).
		kind = probe.VerdictLocalConfig
		v.Headline = "Your configuration: nothing answers at " + host + ", where every URL set points (" + facts[0] + ") — no Anthropic host was asked; is the server there running?"
		for i, f := range v.Facts {
			if rest, ok := strings.CutPrefix(f, "every Anthropic host and the status page failed"); ok {
				v.Facts[i] = "every URL set, the API's, claude.ai's and the status page's, failed" + rest
			}
		}
	}
	v.Kind = kind
	for i := range v.Services {
		if v.Services[i].Kind != probe.VerdictUnknown {
			v.Services[i].Kind = kind
		}
	}
	for _, sv := range v.Services {
		if e := j.sessionsEarlier(sv); e != "" {
			v.Headline += " " + e
		}
	}
	return true
}

// pathComesBack: every host failed at the network level, and some answer
// again while the others were not probed since, or answered fewer than
// --recover-threshold times.
func (j judgement) pathComesBack(v *probe.Verdict) bool {
	back, waiting, held, ok := pathRecovering(j.in.Recent, j.views)
	if !ok {
		return false
	}
	v.Kind = probe.VerdictLocalNetwork
	v.Headline = "Likely your network or a proxy on the path, recovering: hosts answer again since " + j.clockIn(back)
	if len(waiting) > 0 {
		v.Headline += "; " + HostNames(waiting) + " not probed again yet"
	}
	// A host with one probe not asked again is said as waiting: the
	// API's key probe answering once beside its keyless one waiting.
	held = slices.DeleteFunc(held, func(t probe.Target) bool {
		return slices.ContainsFunc(waiting, func(w probe.Target) bool { return hostOf(w) == hostOf(t) })
	})
	if len(held) > 0 {
		recover := j.in.Recover
		if recover < 1 {
			recover = DefaultRecoverThreshold
		}
		v.Headline += fmt.Sprintf("; all clear after %d answers in a row from %s", recover, HostNames(held))
	}
	v.Headline += " (the last probe failed at the network level, with every other host)."
	for i := range v.Services {
		if v.Services[i].Kind.Rank() > probe.VerdictOperational.Rank() {
			v.Services[i].Kind = probe.VerdictLocalNetwork
		}
	}
	return true
}

// everyHostSlow: every host answers, the status page too, all over the
// latency budget.
func (j judgement) everyHostSlow(v *probe.Verdict) bool {
	head, facts, ok := j.pathSlow(v.Services)
	if !ok {
		return false
	}
	v.Kind, v.Headline, v.Facts = probe.VerdictLocalNetwork, head, facts
	for i := range v.Services {
		if v.Services[i].Kind == probe.VerdictDegraded && j.leadView(v.Services[i]).state == sSlow {
			v.Services[i].Kind = probe.VerdictLocalNetwork
		}
	}
	return true
}

// worstServiceLeads: the services judged one by one (service.go), the
// worst leads the headline and the others are said beside it.
func (j judgement) worstServiceLeads(v *probe.Verdict) bool {
	lead, pageOnly := j.leads(v.Services)
	switch {
	case lead < 0 && (pageOnly < 0 || v.Services[pageOnly].Kind.Rank() <= probe.VerdictOperational.Rank()):
		// The page answered, our probes have not: that is not "all clear".
		v.Kind, v.Headline = probe.VerdictUnknown, j.checking()
		return true
	case lead < 0 || (pageOnly >= 0 && v.Services[lead].Kind.Rank() <= probe.VerdictOperational.Rank() &&
		v.Services[pageOnly].Kind.Rank() > probe.VerdictOperational.Rank()):
		lead = pageOnly
	}
	lead = j.refusalLeads(v.Services, lead)
	lead = j.ownLimitLeads(v.Services, lead)
	if head, ok := j.keyless(v.Services); ok && v.Services[lead].Kind.Rank() <= probe.VerdictOperational.Rank() {
		// Nor for the API behind a gateway that asked for its own key.
		v.Kind, v.Headline = probe.VerdictUnknown, head
		v.Facts = j.leadFacts(v.Services, slices.IndexFunc(v.Services, func(sv probe.ServiceVerdict) bool { return sv.Service.Key == "api" }))
		return true
	}
	if head, ok := j.unlisted(v.Services); ok && v.Services[lead].Kind.Rank() <= probe.VerdictOperational.Rank() {
		// The rest answering is no all clear for a service not judged.
		v.Kind, v.Headline = probe.VerdictUnknown, head
		return true
	}
	if head, ok := j.unanswered(); ok && v.Services[lead].Kind.Rank() <= probe.VerdictOperational.Rank() {
		// Nor for a host our probes have not heard from yet.
		v.Kind, v.Headline = probe.VerdictUnknown, head
		return true
	}
	v.Kind = v.Services[lead].Kind
	v.Headline, v.Facts = j.headline(v.Services, lead)
	j.modelHeadline(v, lead) // models.go
	return true
}

// unanswered is the headline while the Claude API or claude.ai has no
// result to judge and every probe that answered succeeds: "our probes
// succeed" would speak for a host not heard from (cold walk: a restart
// after an outage said "All clear: our probes succeed" on claude.ai's
// first answer, while the API's probe, still under way, was to time out —
// its results from before the restart no longer count). false when both
// have answered.
func (j judgement) unanswered() (string, bool) {
	var missing, answered []string
	for _, t := range []probe.Target{probe.TargetAPI, probe.TargetClaudeAI} {
		name := "the Claude API"
		if t == probe.TargetClaudeAI {
			name = "claude.ai"
		}
		if v, ok := j.views[t]; ok && !v.latest.Time.IsZero() {
			answered = append(answered, name)
		} else {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		return "", false
	}
	verb := " has"
	if len(missing) > 1 {
		verb = " have"
	}
	head := "Checking… " + probe.AndList(missing) + verb + " not answered yet"
	if len(answered) > 0 {
		head += "; " + probe.AndList(answered) + " answers"
	}
	switch clause, calm := j.pageClause(); {
	case calm:
		head += ", and " + clause
	case clause != "":
		head += "; " + clause
	}
	return head + ".", true
}

// leads picks the service the headline speaks for: of those our probes
// judged, the worst (lead), and of those only the page speaks for, the
// worst the page reports (pageOnly); -1 for none.
func (j judgement) leads(svs []probe.ServiceVerdict) (lead, pageOnly int) {
	// Services our probes speak for lead; one only the page speaks for
	// (Claude Code without its CLI) leads only when every probed one is
	// fine, so what Anthropic reports about it is not outvoted by silence.
	lead, pageOnly = -1, -1
	for i, sv := range svs {
		if j.probed(sv.Service) {
			// Of equal rank, a steady failure leads an intermittent one.
			steadier := lead >= 0 && sv.Kind == svs[lead].Kind && j.leadView(svs[lead]).unstable && !j.leadView(sv).unstable
			// Of equal rank, one that fails leads one that does not (a
			// maintenance our probes pass beside one the sessions fail in).
			failing := lead >= 0 && sv.Kind == svs[lead].Kind && !j.leadView(svs[lead]).state.failing() && j.leadView(sv).state.failing()
			// Of equal rank, one failing now leads one whose newest probes
			// answer again (recovering), whichever is worse off.
			same := lead >= 0 && sv.Kind == svs[lead].Kind
			now := same && answering(j.leadView(svs[lead])) && j.leadView(sv).state.failing() && !answering(j.leadView(sv))
			behind := same && answering(j.leadView(sv)) && !answering(j.leadView(svs[lead]))
			// Of equal rank and both failing, the one worse off leads: the
			// API at 529 and in major outage before claude.ai's 503.
			worse := same && !steadier && !failing && !behind && j.worseOff(sv, svs[lead])
			// Of equal rank, a verdict taken from the API (Claude Code's,
			// throughAPI) never leads the API it was taken from: the API's
			// own evidence is the cause (its sessions' older 529 read "Your
			// network: Overloaded (for Claude Code)" beside the API's DNS
			// failure).
			if same && sv.ThroughAPI {
				continue
			}
			through := same && svs[lead].ThroughAPI
			if lead < 0 || sv.Kind.Rank() > svs[lead].Kind.Rank() || steadier || failing || now || worse || through {
				lead = i
			}
		} else if po := pageOnly; po < 0 || sv.Kind.Rank() > svs[po].Kind.Rank() ||
			sv.Kind == svs[po].Kind && componentSeverity(sv.Official) > componentSeverity(svs[po].Official) {
			pageOnly = i // the worst the page reports leads, its facts first
		}
	}
	return lead, pageOnly
}

// HostNames names the hosts the targets ask, each once: "the status page,
// claude.ai and the Claude API".
func HostNames(ts []probe.Target) string {
	var names []string
	for _, t := range ts {
		name := map[probe.Target]string{probe.TargetStatus: "the status page", probe.TargetClaudeAI: "claude.ai"}[t]
		if name == "" {
			name = "the Claude API"
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return probe.AndList(names)
}

// probed reports whether a probe of ours that crosses the network judged
// the service, or the service's own live check failed (Claude Code's
// login).
func (j judgement) probed(s probe.Service) bool {
	for _, t := range j.targets(s) {
		// The local CLI and Claude Code's sessions speak when they fail
		// or go up and down: a session that worked says nothing of a
		// page's outage.
		if v, ok := j.views[t]; ok && v.state != sNone && ((t != probe.TargetCode && t != probe.TargetSessions) || v.state.failing() || v.unstable) {
			return true
		}
	}
	return false
}

// localBasis names what a verdict no network probe of ours and no page
// judged rests on: the local CLI answering, and the Claude API it calls
// when our probes see it answer.
func (j judgement) localBasis(s probe.Service) string {
	basis := "a local check"
	if v, ok := j.views[probe.TargetCode]; ok && v.latest.Class.Up() && s.Key == "claude_code" {
		basis = "CLI installed"
		if v.latest.Detail != "" {
			basis += " " + probe.Line(v.latest.Detail, 40)
		}
	} else if v, ok := j.views[probe.TargetSessions]; ok && v.state.up() && s.Key == "claude_code" {
		basis = "its sessions' calls succeed"
	}
	if _, elsewhere := j.codeElsewhere(); s.Key != "claude_code" || elsewhere {
		// Our API probes go elsewhere (codeapi.go): they say nothing of
		// the API Claude Code calls.
		return basis
	}
	for _, t := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey} {
		if v, ok := j.views[t]; ok && v.state.up() && !v.unstable {
			return basis + "; the Claude API it calls answers"
		}
	}
	return basis
}

func finish(v probe.Verdict) probe.Verdict {
	// One verdict per moment: a service judged as the overall verdict
	// carries its certainty (check's and report's rows said "Your
	// network" under "Likely your network or a proxy on the path").
	if v.Hedged() {
		for i := range v.Services {
			v.Services[i].Likely = v.Services[i].Kind == v.Kind
		}
	}
	v.Facts = slices.Compact(v.Facts)
	var out []string
	for _, f := range v.Facts {
		if f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) > 3 {
		out = out[:3]
	}
	v.Facts = out
	return v
}

func failingCheck(l *probe.LocalReport, id string) (probe.LocalCheck, bool) {
	c, ok := l.Check(id)
	return c, ok && c.Level == probe.LocalFail
}
