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
	StaleAfter time.Duration      // older data is not a current fact; 0: never stale
	Local      *probe.LocalReport // latest local checks, nil if none
	// Recover is how many successes in a row end a failure
	// (--recover-threshold); 0 means probe.DefaultRecoverThreshold.
	Recover int
	// Recorded: some target's results are all from the database, none
	// of this run yet (the dashboard's first frames after a restart):
	// the verdict is the last known state, said so with its age however
	// young (cold6 E7), not only past the stale limit.
	Recorded bool
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
		v.Headline = "Last known, " + (judgement{in: in}).clock(v.Checked) + ": " + v.Headline
	}
	return v
}

// decide is Judge's verdict before its age is said.
func decide(in Input) probe.Verdict {
	j := judgement{in: in, views: map[probe.Target]view{}}
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
		j.views[t] = watch(t, afterGap(t, rs, in.StaleAfter), in.Recover, https(t, in.Local))
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
	if last.IsZero() {
		v.Kind, v.Headline = probe.VerdictUnknown, j.checking()
		return v
	}
	if facts, hung, ok := j.networkDown(); ok {
		v.Kind = probe.VerdictLocalNetwork
		v.Headline = "Your network or proxy: no Anthropic host answers from here (" + facts[0] + ")."
		if hung {
			// Every host took the connection and the TLS handshake, then
			// stalled: no evidence about DNS, connect or TLS, so not a
			// fact about the network. The status page is another
			// operator's host (Statuspage), so Anthropic's side does not
			// explain it either: what they share is the path from here.
			v.Headline = "Likely your network or a proxy on the path: every Anthropic host and the status page accepted the connection, then did not answer (" + facts[0] + ")."
		}
		v.Facts = facts[1:]
		for i := range v.Services {
			if v.Services[i].Kind != probe.VerdictUnknown {
				v.Services[i].Kind = probe.VerdictLocalNetwork
			}
		}
		return finish(v)
	}
	if back, waiting, held, ok := pathRecovering(j.in.Recent, j.views); ok {
		v.Kind = probe.VerdictLocalNetwork
		v.Headline = "Likely your network or a proxy on the path, recovering: hosts answer again since " + j.clockIn(back)
		if len(waiting) > 0 {
			v.Headline += "; " + hostNames(waiting) + " not probed again yet"
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
			v.Headline += fmt.Sprintf("; all clear after %d answers in a row from %s", recover, hostNames(held))
		}
		v.Headline += " (the last probe failed at the network level, with every other host)."
		for i := range v.Services {
			if v.Services[i].Kind.Rank() > probe.VerdictOperational.Rank() {
				v.Services[i].Kind = probe.VerdictLocalNetwork
			}
		}
		return finish(v)
	}
	if head, facts, ok := j.pathSlow(v.Services); ok {
		v.Kind, v.Headline, v.Facts = probe.VerdictLocalNetwork, head, facts
		for i := range v.Services {
			if v.Services[i].Kind == probe.VerdictDegraded && j.leadView(v.Services[i]).state == sSlow {
				v.Services[i].Kind = probe.VerdictLocalNetwork
			}
		}
		return finish(v)
	}
	// Services our probes speak for lead; one only the page speaks for
	// (Claude Code without its CLI) leads only when every probed one is
	// fine, so what Anthropic reports about it is not outvoted by silence.
	lead, pageOnly := -1, -1
	for i, sv := range v.Services {
		if j.probed(sv.Service) {
			// Of equal rank, a steady failure leads an intermittent one.
			steadier := lead >= 0 && sv.Kind == v.Services[lead].Kind && j.leadView(v.Services[lead]).unstable && !j.leadView(sv).unstable
			// Of equal rank, one that fails leads one that does not (a
			// maintenance our probes pass beside one the sessions fail in).
			failing := lead >= 0 && sv.Kind == v.Services[lead].Kind && !j.leadView(v.Services[lead]).state.failing() && j.leadView(sv).state.failing()
			// Of equal rank, one failing now leads one whose newest probes
			// answer again (recovering), whichever is worse off.
			same := lead >= 0 && sv.Kind == v.Services[lead].Kind
			now := same && answering(j.leadView(v.Services[lead])) && j.leadView(sv).state.failing() && !answering(j.leadView(sv))
			behind := same && answering(j.leadView(sv)) && !answering(j.leadView(v.Services[lead]))
			// Of equal rank and both failing, the one worse off leads: the
			// API at 529 and in major outage before claude.ai's 503.
			worse := same && !steadier && !failing && !behind && j.worseOff(sv, v.Services[lead])
			if lead < 0 || sv.Kind.Rank() > v.Services[lead].Kind.Rank() || steadier || failing || now || worse {
				lead = i
			}
		} else if po := pageOnly; po < 0 || sv.Kind.Rank() > v.Services[po].Kind.Rank() ||
			sv.Kind == v.Services[po].Kind && componentSeverity(sv.Official) > componentSeverity(v.Services[po].Official) {
			pageOnly = i // the worst the page reports leads, its facts first
		}
	}
	switch {
	case lead < 0 && (pageOnly < 0 || v.Services[pageOnly].Kind.Rank() <= probe.VerdictOperational.Rank()):
		// The page answered, our probes have not: that is not "all clear".
		v.Kind, v.Headline = probe.VerdictUnknown, j.checking()
		return finish(v)
	case lead < 0 || (pageOnly >= 0 && v.Services[lead].Kind.Rank() <= probe.VerdictOperational.Rank() &&
		v.Services[pageOnly].Kind.Rank() > probe.VerdictOperational.Rank()):
		lead = pageOnly
	}
	lead = j.refusalLeads(v.Services, lead)
	lead = j.ownLimitLeads(v.Services, lead)
	if head, ok := j.unlisted(v.Services); ok && v.Services[lead].Kind.Rank() <= probe.VerdictOperational.Rank() {
		// The rest answering is no all clear for a service not judged.
		v.Kind, v.Headline = probe.VerdictUnknown, head
		return finish(v)
	}
	v.Kind = v.Services[lead].Kind
	v.Headline, v.Facts = j.headline(v.Services, lead)
	j.modelHeadline(&v, lead) // models.go
	return finish(v)
}

// hostNames names the hosts the targets ask, each once: "the status page,
// claude.ai and the Claude API".
func hostNames(ts []probe.Target) string {
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
	if n := len(names); n > 1 {
		return strings.Join(names[:n-1], ", ") + " and " + names[n-1]
	}
	return strings.Join(names, "")
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
	if s.Key != "claude_code" {
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

// component is the service's official status, when a page that counts was
// read: the status, whether the page lists it, and the open incident or
// maintenance in progress that names it.
func (j judgement) component(s probe.Service) (st probe.ComponentStatus, onPage bool, inc, mnt *probe.Incident) {
	if !j.off.drives {
		return "", false, nil, nil
	}
	c, ok := j.off.st.Component(s.ComponentID, s.ComponentName)
	if ok {
		st = c.Status
	}
	for i := range j.off.st.Incidents {
		in := j.off.st.Incidents[i]
		if !in.Final() && !in.Maintenance() && slices.Contains(in.Components, s.ComponentID) && inc == nil {
			inc = &in
		}
	}
	for i := range j.off.st.Maintenances {
		in := j.off.st.Maintenances[i]
		if (in.Status == "in_progress" || in.Status == "verifying") && slices.Contains(in.Components, s.ComponentID) && mnt == nil {
			mnt = &in
		}
	}
	return st, ok, inc, mnt
}

// worst is the state that speaks for the service among its targets' views:
// someone else answering beats a local fault, which beats Anthropic's
// side, then a host refusing, then your account, then up.
func worst(vs []view) view {
	order := []state{sConfig, sPath, sProxy, sTLS, sDNS, sNoRoute, sAnthropic, sUnreach, sAccount, sLimited, sCLI, sSlow, sUp, sNone}
	best := view{}
	bi := len(order)
	for _, v := range vs {
		s := v.state
		if v.unstable {
			s = sAnthropic // ranked with the failures, said as unstable
		}
		i := slices.Index(order, s)
		if v.unstable && !v.state.failing() {
			// On and off, answering now: below a credential or quota
			// refused now (a 429 on the key after a blip is the user's
			// limit, not the blip), above a slow answer: with the CLI's
			// problems, the rank right after sLimited.
			i = slices.Index(order, sCLI)
		}
		if i >= 0 && i < bi {
			best, bi = v, i
		}
	}
	return best
}

// service judges one service: its targets' views against its official
// component.
func (j judgement) service(s probe.Service) probe.ServiceVerdict {
	sv := probe.ServiceVerdict{Service: s, Kind: probe.VerdictUnknown}
	comp, onPage, inc, mnt := j.component(s)
	sv.Official = comp
	sv.NotOnPage = j.off.drives && !onPage
	var vs []view
	var noModelList, unjudged *view
	for _, t := range j.targets(s) {
		v, ok := j.views[t]
		if !ok {
			continue
		}
		if j.modelsUnlisted(v) {
			// Not every API path 404s: the canaries' /v1/messages
			// answers under the same URL, so it is the API's (a gateway
			// that lists no models), not the setting; said as a fact.
			// With no /v1/messages asked there, neither is known: the
			// API is not judged (issue 19 leftover 3).
			if !j.messagesAnswer() {
				unjudged = &v
			}
			noModelList = &v
			continue
		}
		vs = append(vs, v)
		if v.latest.Target != "" && (sv.Latest == nil || v.latest.Time.After(sv.Latest.Time)) {
			l := v.latest
			sv.Latest = &l
		}
	}
	if unjudged != nil && sv.Latest == nil {
		// The 404 is the newest result only when nothing else judged
		// the API: a canary's 529 is the failure to name, not the 404.
		l := unjudged.latest
		sv.Latest = &l
	}
	w := worst(vs)
	// Only probes that cross the network can contradict the page: the
	// local CLI answering says nothing about Anthropic's side.
	remote := false
	for _, v := range vs {
		if v.target != probe.TargetCode && v.target != probe.TargetSessions && v.state != sNone {
			remote = true
		}
	}
	if w.target == probe.TargetSessions && w.state != sNone {
		comp, onPage, inc, mnt = j.sessionsComponent(comp, onPage, inc, mnt)
	}
	acked := comp.Outage() || comp == probe.ComponentDegraded || inc != nil
	switch {
	case w.unstable && (comp == probe.ComponentMaintenance || mnt != nil):
		sv.Kind = probe.VerdictMaintenance
	case w.unstable && acked:
		sv.Kind = probe.VerdictOutage
	case w.unstable:
		sv.Kind = probe.VerdictDegraded
	case w.state == sConfig || j.configuredHost(w) != "":
		sv.Kind = probe.VerdictLocalConfig
	case w.state == sPath || w.state.local():
		sv.Kind = probe.VerdictLocalNetwork
	case w.state == sAnthropic && (comp == probe.ComponentMaintenance || mnt != nil):
		sv.Kind = probe.VerdictMaintenance
	case w.state == sAnthropic && (acked || j.ackedDuring(w)):
		sv.Kind = probe.VerdictOutage
	case w.state == sAnthropic && j.off.drives && onPage:
		sv.Kind = probe.VerdictUnacknowledged
	case w.state == sAnthropic:
		sv.Kind = probe.VerdictFailing
	case w.state == sUnreach:
		sv.Kind = probe.VerdictUnreachable
	case w.state == sAccount && w.evidence.Class == probe.ClassAuth:
		sv.Kind = probe.VerdictLocalCredential
	case w.state == sAccount:
		sv.Kind = probe.VerdictLocalQuota
	case w.state == sLimited, w.state == sCLI:
		sv.Kind = probe.VerdictDegraded
	case w.state.up() && comp.Outage() && remote:
		sv.Kind = probe.VerdictConflicting
		if _, failed := j.newestFailed(s); failed {
			// The newest probe failed: it agrees with the page, whatever
			// the one before said (cold6 E1: "Conflicting: … but our
			// probes succeed" beside ✖ rows at an outage's onset).
			sv.Kind = probe.VerdictOutage
		}
	case w.state.up() && (comp == probe.ComponentMaintenance || mnt != nil):
		sv.Kind = probe.VerdictMaintenance
	case w.state == sSlow || (w.state.up() && comp == probe.ComponentDegraded):
		sv.Kind = probe.VerdictDegraded
	case w.state.up() && remote:
		sv.Kind = probe.VerdictOperational
	case comp.Outage():
		// Nothing of ours speaks for it (Claude Code without the CLI):
		// what Anthropic reports is the fact we have.
		sv.Kind = probe.VerdictOutage
	case comp == probe.ComponentMaintenance || mnt != nil:
		sv.Kind = probe.VerdictMaintenance
	case comp == probe.ComponentDegraded:
		sv.Kind = probe.VerdictDegraded
	case comp == probe.ComponentOperational, w.state.up():
		sv.Kind = probe.VerdictOperational
	}
	if j.oneCall(w) && (sv.Kind == probe.VerdictUnacknowledged || sv.Kind == probe.VerdictFailing) {
		// One failed call, while our probes pass, is an observation,
		// not an outage: red needs persistence, as a probe's does.
		sv.Kind = probe.VerdictDegraded
	}
	if s.Key == "claude_code" && (sv.Kind.Rank() <= probe.VerdictConflicting.Rank() || j.loginRefusalLeads(w)) {
		if c, ok := codeLoginProblem(j.in.Local); ok {
			sv.Kind = probe.VerdictLocalCredential
			sv.Facts = append(sv.Facts, c.Text)
		}
	}
	sv.Facts = append(sv.Facts, j.serviceFacts(sv, w, inc, mnt)...)
	switch {
	case unjudged != nil && len(vs) == 0:
		// Nothing else of ours judged it: the page's report is not ours.
		sv.Kind = probe.VerdictUnknown
		sv.Facts = append(sv.Facts, unlistedFact)
	case unjudged != nil:
		// A canary asked /v1/messages there and did not answer (529,
		// a timeout): its own fact says what it got; the 404 is a note.
		sv.Facts = append(sv.Facts, "GET /v1/models answers 404 Not Found under the API URL set (a gateway that lists no models, or a wrong URL)")
	case noModelList != nil:
		sv.Facts = append(sv.Facts, "GET /v1/models answers 404 Not Found under the API URL set (a gateway that lists no models?) while the canaries' /v1/messages answers there")
	}
	if s.Key == "claude_code" && sv.Kind.Rank() > probe.VerdictOperational.Rank() {
		// First, so the verdict's three facts keep it when services merge.
		sv.Facts = append(j.sessionsFacts(w), sv.Facts...)
	}
	return sv
}

// ackedDuring reports whether the page showed a problem (an indicator
// other than none) while this failure went on, though it shows none now:
// Anthropic acknowledged it and has marked it resolved while our probes
// still fail. That is not "not yet acknowledged".
func (j judgement) ackedDuring(w view) bool {
	if !j.off.drives || j.off.st.Indicator != "none" {
		// The page shows a problem now: whether it names this service
		// is known (its component, its incidents), and a problem of
		// another service is no acknowledgment of this one.
		return false
	}
	for _, r := range j.in.Recent[probe.TargetStatus] {
		if r.Time.Before(w.since) || !r.Class.Up() {
			continue
		}
		if ind := r.Detail; ind != "" && ind != "none" && ind != "maintenance" {
			return true
		}
	}
	return false
}

// serviceFacts are the service's own facts: our probes, then the page.
func (j judgement) serviceFacts(sv probe.ServiceVerdict, w view, inc, mnt *probe.Incident) []string {
	var facts []string
	name := sv.Service.Name
	switch {
	case w.unstable && w.target == probe.TargetSessions:
		// sessionsFacts says it, as calls, not probes.
	case w.unstable:
		facts = append(facts, fmt.Sprintf("%s failed (%s)", probe.OfTheLast(w.fails, w.total, name+" probe", name+" probes"), classWords(w.class, w.status)))
	case w.state.failing():
		facts = append(facts, j.evidenceLine(w.evidence, j.in.Local))
		if w.pending > 0 {
			facts = append(facts, fmt.Sprintf("the last %d probe%s succeeded: recovering", w.pending, probe.Plural(w.pending)))
		}
	}
	if k, ok := j.views[probe.TargetAPIKey]; ok && sv.Service.Key == "api" && !w.state.failing() {
		if alt, ok := strings.CutPrefix(k.latest.Detail, probe.AlsoPrefix); ok {
			facts = append(facts, "the credential Claude Code sends works; also set, not sent by it: "+alt)
		}
	}
	switch {
	case sv.NotOnPage:
		facts = append(facts, name+" is not on the status page")
	case sv.Official != "":
		facts = append(facts, j.pageSays(name+" as "+sv.Official.String()))
	}
	if inc != nil {
		facts = append(facts, fmt.Sprintf("status page incident: %s (%s)", probe.Line(inc.Name, 80), probe.StatusWord(inc.Status)))
	}
	if mnt != nil {
		facts = append(facts, "maintenance in progress: "+probe.Line(mnt.Name, 80)+j.until(mnt))
	}
	return facts
}

// pageSays is "Anthropic reports X", with the read's age when the page can
// no longer be read.
func (j judgement) pageSays(what string) string {
	if j.off.state == probe.OfficialFresh {
		return "Anthropic reports " + what
	}
	return "Anthropic reported " + what + " (last read " + j.clockIn(j.off.read) + ")"
}

// until is " until 16:00 UTC" for a maintenance with an end.
func (j judgement) until(m *probe.Incident) string {
	if m == nil || m.ScheduledUntil.IsZero() {
		return ""
	}
	return " until " + j.zoned(m.ScheduledUntil, "15:04 MST")
}

// zoned is t in the reader's zone, the one the input's clock carries (a
// dashboard viewer's over ssh, the process's for check), so a sentence's
// times agree with the rest of the screen; layouts name the zone.
func (j judgement) zoned(t time.Time, layout string) string {
	return t.In(j.in.Now.Location()).Format(layout)
}

// clock is "14:02 UTC (6 min ago)".
func (j judgement) clock(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return j.zoned(t, "15:04 MST") + " (" + ago(j.in.Now.Sub(t)) + ")"
}

// clockIn is clock for inside a parenthesis, where a second one would
// nest: "14:02 UTC, 6 min ago".
func (j judgement) clockIn(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return j.zoned(t, "15:04 MST") + ", " + ago(j.in.Now.Sub(t))
}

// ago is how long ago, for people: "40 s ago" under a minute (whole
// seconds, never more than has passed), else probe.Words ("6 min ago").
func ago(d time.Duration) string {
	switch {
	case d < 0:
		return "just now"
	case d < time.Minute:
		return probe.Span{Units: 1, Least: time.Second}.Format(d) + " ago"
	}
	return probe.Words(d) + " ago"
}

// classWords is "529 overloaded", "timed out", "500 server error".
func classWords(c probe.Class, status int) string {
	words := map[probe.Class]string{
		probe.ClassOverloaded: "overloaded", probe.ClassServer: "server error", probe.ClassNetwork: "network",
		probe.ClassUnexpected: "unexpected answer", probe.ClassAuth: "credential rejected",
		probe.ClassBilling: "billing", probe.ClassRateLimited: "rate limited",
	}[c]
	if words == "" {
		words = c.String()
	}
	if status != 0 {
		return fmt.Sprintf("%d %s", status, words)
	}
	return words
}

// Endpoint is what the target's probe asks, for evidence lines:
// "GET https://api.anthropic.com/v1/models".
func Endpoint(t probe.Target, l *probe.LocalReport) string {
	var api, status, web string
	if l != nil {
		api, status, web = probe.MaskURL(strings.TrimRight(l.APIURL, "/")), probe.MaskURL(strings.TrimRight(l.StatusURL, "/")), probe.MaskURL(strings.TrimRight(l.ClaudeURL, "/"))
	}
	switch t {
	case probe.TargetAPI, probe.TargetAPIKey:
		return "GET " + api + "/v1/models"
	case probe.TargetStatus:
		return "GET " + status + "/api/v2/summary.json"
	case probe.TargetClaudeAI:
		return "GET " + web + "/"
	case probe.TargetCode:
		return "claude --version"
	case probe.TargetSessions:
		return "your Claude Code session's call"
	}
	return t.Label()
}

// evidenceLine is EvidenceLine in the reader's zone, as the verdict's other
// sentences say times (a viewer in Kolkata read "12:17:22 IST" in the
// Matching problem and "06:47:22 UTC" under "Why we say so").
func (j judgement) evidenceLine(r probe.Result, l *probe.LocalReport) string {
	return EvidenceLine(r, l, j.in.Now.Location())
}

// EvidenceLine is one failing result in the upstream's own words:
// endpoint, status, error type, message, request id and time (in loc; nil
// is UTC).
//
//	GET https://api.anthropic.com/v1/models → 401 authentication_error "invalid x-api-key" · request-id req_011C… · 14:02:11 UTC
func EvidenceLine(r probe.Result, l *probe.LocalReport, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	if r.ErrorType == probe.ErrUnsendable {
		// No request left the machine: there is no answer to quote.
		s := Endpoint(r.Target, l) + " not sent: the credential cannot go in an HTTP header · " + r.Time.In(loc).Format("15:04:05 MST")
		return probe.Redact(probe.Line(s, 0))
	}
	s := Endpoint(r.Target, l) + " →"
	if r.ErrorType == probe.ErrBaseURLV1 || r.ErrorType == probe.ErrBaseURL404 {
		// The words are ours (what the URL means), not the answer's:
		// quote only the status it gave.
		s += " " + probe.StatusText(r.HTTPStatus)
		if r.RequestID != "" {
			s += " · request-id " + r.RequestID
		}
		return probe.Redact(probe.Line(s+" · "+r.Time.In(loc).Format("15:04:05 MST"), 0))
	}
	if r.HTTPStatus != 0 {
		s += fmt.Sprintf(" %d", r.HTTPStatus)
	}
	if r.ErrorType != "" {
		s += " " + r.ErrorType
	}
	if m := apiMessage(r); m != "" {
		s += " " + probe.Quote(m)
	}
	if r.RateLimit.RetryAfter > 0 {
		s += " · retry-after " + r.RateLimit.RetryAfter.String()
	}
	if r.RequestID != "" {
		s += " · request-id " + r.RequestID
	}
	s += " · " + r.Time.In(loc).Format("15:04:05 MST")
	return probe.Redact(probe.Line(s, 0))
}

// apiMessage is the result's message without the "401 authentication_error: "
// prefix the prober puts before Anthropic's own words.
func apiMessage(r probe.Result) string {
	m := r.Message
	if r.ErrorType != "" {
		if _, after, ok := strings.Cut(m, r.ErrorType+": "); ok {
			m = after
		}
	}
	// " (retry after 30s)" is the prober's note of the header, not the
	// API's words: quote only what was said.
	if i := strings.LastIndex(m, " (retry after "); i >= 0 && strings.HasSuffix(m, ")") {
		m = m[:i]
	}
	return m
}

// unlistedFact is what a 404 at /v1/models under a gateway's URL, with no
// /v1/messages asked there, tells: not the API failing, not the setting.
const unlistedFact = "GET /v1/models answers 404 Not Found under the API URL set, and no canary asked POST /v1/messages there (--canary): a gateway may serve the API without listing models"

// modelsUnlisted reports whether the view is a 404 at /v1/models under a
// URL the user set (not one ending in /v1) while no canary's
// /v1/messages got a 404 there: not every API path we asked is missing,
// so it is not known to be the setting.
func (j judgement) modelsUnlisted(v view) bool {
	if v.state != sConfig || v.evidence.ErrorType != probe.ErrBaseURL404 || v.target.IsModel() {
		return false
	}
	for t, m := range j.views {
		if t.IsModel() && m.latest.ErrorType == probe.ErrBaseURL404 {
			return false
		}
	}
	return true
}

// unlisted is the headline when the gateway's missing /v1/models is all
// our probes know of the API: hedged, neither blame nor all clear.
func (j judgement) unlisted(svs []probe.ServiceVerdict) (string, bool) {
	for _, sv := range svs {
		if sv.Kind != probe.VerdictUnknown || !slices.Contains(sv.Facts, unlistedFact) {
			continue
		}
		url := "the API URL set"
		if j.in.Local != nil && j.in.Local.APIURL != "" {
			url = "the API URL " + probe.MaskURL(strings.TrimRight(j.in.Local.APIURL, "/"))
		}
		return "Not known whether the Claude API answers through " + url + ": it answers 404 Not Found at /v1/models" + j.others(sv.Service) +
			" — a gateway that does not list models, or a wrong URL; we did not see the API fail, and no canary asked /v1/messages there (--canary asks it and tells them apart).", true
	}
	return "", false
}

// messagesAnswer reports whether a canary's newest probe (POST
// /v1/messages, under the same base URL as /v1/models) answered.
func (j judgement) messagesAnswer() bool {
	for t, v := range j.views {
		if t.IsModel() && v.latest.Class.Up() {
			return true
		}
	}
	return false
}
