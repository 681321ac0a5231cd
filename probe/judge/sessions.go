package judge

import (
	"fmt"
	"strings"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
)

// SessionsFresh is how long a call of Claude Code's own sessions (read
// from its transcripts) counts as a current fact. Sessions call when the
// user works, not on a schedule: a call older than this says what was,
// not what is.
const SessionsFresh = 15 * time.Minute

// freshSessions keeps the session calls of the last SessionsFresh,
// oldest first: calls, not attempts — the attempts Claude Code retried
// and their outcome are one call (probe.SessionCalls, cold6 E6).
func freshSessions(rs []probe.Result, now time.Time) []probe.Result {
	for i, r := range rs {
		if now.Sub(r.Time) <= SessionsFresh {
			return probe.SessionCalls(rs[i:])
		}
	}
	return nil
}

// watchSessions judges the sessions' calls as watch does a probe's, with
// one difference: a failed call is what the user met, so the newest one
// counts at once, until recover calls in a row succeed after it.
func watchSessions(rs []probe.Result, recover int) view {
	v := watch(probe.TargetSessions, rs, recover, true)
	if v.unstable {
		return v
	}
	if recover < 1 {
		recover = DefaultRecoverThreshold
	}
	succ := 0
	for i := len(rs) - 1; i >= 0; i-- {
		switch s := classifySession(rs[i]); {
		case s == sNone:
		case s.up():
			if succ++; succ >= recover {
				return v
			}
		case s == v.state:
			return v // the streak watch saw: its start stands
		default:
			v.state, v.evidence, v.since, v.pending = s, rs[i], rs[i].Time, succ
			return v
		}
	}
	return v
}

// sessionClock is "14:01:50 UTC (10 s ago)": to the second, as the
// transcripts and the Live line say it.
func (j judgement) sessionClock(t time.Time) string {
	return j.zoned(t, "15:04:05 MST") + " (" + ago(j.in.Now.Sub(t)) + ")"
}

// sessionClockIn is sessionClock inside a parenthesis: "14:01:50 UTC,
// 10 s ago".
func (j judgement) sessionClockIn(t time.Time) string {
	return j.zoned(t, "15:04:05 MST") + ", " + ago(j.in.Now.Sub(t))
}

// targets are the targets that speak for the service: its own, and for
// Claude Code the calls its sessions made.
func (j judgement) targets(s probe.Service) []probe.Target {
	if s.Key == "claude_code" {
		return append(s.Targets[:len(s.Targets):len(s.Targets)], probe.TargetSessions)
	}
	if s.Key == "api" {
		// The canaries speak for the API model by model (models.go).
		return append(s.Targets[:len(s.Targets):len(s.Targets)], j.modelTargets()...)
	}
	return s.Targets
}

// classifySession sorts one call of Claude Code's sessions by who it
// points at. Only what the call itself proves moves the verdict: an
// overload or a server error is Anthropic's; a 401, a usage limit or a
// credit refusal is the account's. A network failure is said beside the
// verdict, not in it (a reset mid-answer may be either side, and our
// probes judge the path); a refused request (prompt too long, a bad
// parameter) is about that request.
func classifySession(r probe.Result) state {
	e, matched := catalogue.MatchResult(r)
	switch {
	case r.Class.Up():
		return sUp
	case r.Class == probe.ClassUnknown, r.Class == probe.ClassNetwork:
		return sNone
	case matched && e.Side == catalogue.SideRequest:
		return sNone
	case matched && e.Side == catalogue.SideAnthropic:
		return sAnthropic // a 429 "Anthropic is limiting requests" too
	case r.Class.UserSide():
		return sAccount
	case r.Class == probe.ClassOverloaded, r.Class == probe.ClassServer:
		return sAnthropic
	case r.Class == probe.ClassUnexpected && r.HTTPStatus >= 500:
		return sAnthropic
	}
	return sNone
}

// sessionsComponent widens Claude Code's official state with the Claude
// API's when the sessions lead: their calls are API calls, so an incident
// or maintenance on either component covers them, and the worse of the
// two statuses speaks.
func (j judgement) sessionsComponent(comp probe.ComponentStatus, onPage bool, inc, mnt *probe.Incident) (probe.ComponentStatus, bool, *probe.Incident, *probe.Incident) {
	for _, s := range probe.Services() {
		if s.Key != "api" {
			continue
		}
		c, on, i, m := j.component(s)
		if rankComponent(c) > rankComponent(comp) {
			comp = c
		}
		onPage = onPage || on
		if inc == nil {
			inc = i
		}
		if mnt == nil {
			mnt = m
		}
	}
	return comp, onPage, inc, mnt
}

func rankComponent(c probe.ComponentStatus) int {
	switch c {
	case probe.ComponentOperational:
		return 1
	case probe.ComponentDegraded:
		return 2
	case probe.ComponentMaintenance:
		return 3
	case probe.ComponentPartialOutage:
		return 4
	case probe.ComponentMajorOutage:
		return 5
	}
	return 0
}

// sessionsTally counts the fresh session calls: calls, failures, the
// failures by kind ("529 overloaded ×3"), the newest failure.
type sessionsTally struct {
	calls, fails int
	kinds        []string
	byKind       map[string]int
	last         probe.Result
	lastByKind   map[string]probe.Result
}

func (j judgement) tally() sessionsTally {
	t := sessionsTally{byKind: map[string]int{}, lastByKind: map[string]probe.Result{}}
	for _, r := range freshSessions(j.in.Recent[probe.TargetSessions], j.in.Now) {
		if r.Class == probe.ClassUnknown {
			continue
		}
		t.calls++
		if !r.Class.Failing() {
			continue
		}
		t.fails++
		k := probe.SessionErrorKind(r)
		if t.byKind[k] == 0 {
			t.kinds = append(t.kinds, k)
		}
		t.byKind[k]++
		if !r.Time.Before(t.last.Time) {
			t.last = r
		}
		if !r.Time.Before(t.lastByKind[k].Time) {
			t.lastByKind[k] = r
		}
	}
	return t
}

// summary is "3 errors in the last 15 min (529 overloaded ×2, 429 ×1) of
// 12 calls, the last 14:01:50 UTC (10 s ago) · req_…".
func (t sessionsTally) summary(j judgement) string {
	var ks []string
	for _, k := range t.kinds {
		ks = append(ks, fmt.Sprintf("%s ×%d", k, t.byKind[k]))
	}
	s := fmt.Sprintf("%d error%s in the last 15 min (%s) of %d call%s, the last %s",
		t.fails, probe.Plural(t.fails), strings.Join(ks, ", "), t.calls, probe.Plural(t.calls), j.sessionClock(t.last.Time))
	if t.last.RequestID != "" {
		s += " · " + t.last.RequestID
	}
	return s
}

// countOf is "3 in the last 15 min, the last at 14:01:50 UTC, 10 s ago"
// for the failures of r's kind — the kind a headline names, never the
// others under its name (three 401s are no 529s) — and the other kinds
// beside it: "; also 401 ×3". "" when none of r's kind is fresh.
func (t sessionsTally) countOf(j judgement, r probe.Result) string {
	k := probe.SessionErrorKind(r)
	n := t.byKind[k]
	if n == 0 {
		return ""
	}
	s := fmt.Sprintf("%d in the last 15 min, the last at %s", n, j.sessionClockIn(t.lastByKind[k].Time))
	var others []string
	for _, o := range t.kinds {
		if o != k {
			others = append(others, fmt.Sprintf("%s ×%d", o, t.byKind[o]))
		}
	}
	if len(others) > 0 {
		s += "; also " + strings.Join(others, ", ")
	}
	return s
}

// sessionsFacts are the facts the sessions add to Claude Code's verdict
// when they fail: what they met, with times.
func (j judgement) sessionsFacts(w view) []string {
	t := j.tally()
	if t.fails == 0 {
		return nil
	}
	facts := []string{"your Claude Code sessions: " + t.summary(j)}
	if w.target == probe.TargetSessions && w.state == sAnthropic && j.apiAnswers() {
		facts = append(facts, "our API probe lists models without asking one: likely the model or the path Claude Code uses")
	}
	return facts
}

// apiAnswers reports whether one of our API probes answered as it should
// and is a current fact.
func (j judgement) apiAnswers() bool {
	if j.sessionsUncompared() != "" {
		return false
	}
	for _, t := range []probe.Target{probe.TargetAPIKey, probe.TargetAPI} {
		v, ok := j.views[t]
		if !ok || !v.state.up() {
			continue
		}
		if j.in.StaleAfter <= 0 || j.in.Now.Sub(v.latest.Time) <= j.in.StaleAfter {
			return true
		}
	}
	return false
}

// apiFails reports whether our API probes fail on Anthropic's side now.
func (j judgement) apiFails() bool {
	if j.sessionsUncompared() != "" {
		return false
	}
	for _, t := range []probe.Target{probe.TargetAPIKey, probe.TargetAPI} {
		if v, ok := j.views[t]; ok && (v.state == sAnthropic || v.unstable) {
			return true
		}
	}
	return false
}

// apiLocal is our API probes failing on this machine's side now — the
// name not resolving, TLS interception, the proxy, no route, someone else
// answering, a URL the user set — as the view of the one that began
// first (its since: the first probe of the failure we saw). ok is false
// when none does, or when the failing one's newest probe is old news or
// answers again.
func (j judgement) apiLocal() (view, bool) {
	var out view
	found := false
	if j.sessionsUncompared() != "" {
		return out, false
	}
	for _, t := range []probe.Target{probe.TargetAPIKey, probe.TargetAPI} {
		v, ok := j.views[t]
		if !ok || v.unstable || !(v.state.local() || v.state == sConfig) || !v.latest.Class.Failing() {
			continue
		}
		if j.in.StaleAfter > 0 && j.in.Now.Sub(v.latest.Time) > j.in.StaleAfter {
			continue
		}
		if !found || v.since.Before(out.since) {
			out, found = v, true
		}
	}
	return out, found
}

// sessionsUncompared is "; our API probe goes to --api-url
// (http://127.0.0.1:4000), not where Claude Code calls
// (api.anthropic.com), so it does not compare" when our API probes go
// somewhere Claude Code does not (probedElsewhere): what they see, failing
// or answering, says nothing of the calls its sessions made. "" when they
// go where it calls — apiAnswers, apiFails and apiLocal are then facts
// about those calls' way.
func (j judgement) sessionsUncompared() string {
	ours, where, ok := j.probedElsewhere()
	if !ok {
		return ""
	}
	return "; " + ours + ", not where Claude Code calls (" + where + "), so it does not compare"
}

// lastSessionFailure is the newest fresh call of Claude Code's sessions
// that failed on Anthropic's side (zero: none).
func (j judgement) lastSessionFailure() probe.Result {
	var last probe.Result
	for _, r := range freshSessions(j.in.Recent[probe.TargetSessions], j.in.Now) {
		if classifySession(r) == sAnthropic && !r.Time.Before(last.Time) {
			last = r
		}
	}
	return last
}

// codeReachedAPI is the newest fresh call of Claude Code's sessions that
// got the API's answer (a success, or an HTTP error of the API's) after
// our API probes' live local failure began (apiLocal); ok false when
// none did.
func (j judgement) codeReachedAPI() (probe.Result, bool) {
	l, ok := j.apiLocal()
	if !ok {
		return probe.Result{}, false
	}
	var last probe.Result
	for _, r := range freshSessions(j.in.Recent[probe.TargetSessions], j.in.Now) {
		if r.Time.Before(l.since) || r.Class == probe.ClassUnknown || r.Class == probe.ClassNetwork || !(r.Class.Up() || r.HTTPStatus != 0) {
			continue
		}
		if !r.Time.Before(last.Time) {
			last = r
		}
	}
	return last, !last.Time.IsZero()
}

// sessionsBeforeLocal reports whether the view is Claude Code's sessions
// failing on Anthropic's side, every such call older than the first probe
// of our API probes' live local failure (apiLocal): live beats older —
// what the sessions met then does not outrank what fails here now, it is
// said beside it (cold10 E3: one 529 a minute before the API's name
// stopped resolving here read "Anthropic problem, not yet acknowledged").
func (j judgement) sessionsBeforeLocal(w view) bool {
	if w.target != probe.TargetSessions || w.state != sAnthropic || w.unstable {
		return false
	}
	l, ok := j.apiLocal()
	if !ok {
		return false
	}
	last := j.lastSessionFailure()
	return !last.Time.IsZero() && last.Time.Before(l.since)
}

// sessionsEarlier is the sentence beside a live local failure of our API
// probes that leads when Claude Code's sessions met Anthropic's side only
// before it began (sessionsBeforeLocal): "Earlier, your Claude Code
// sessions got 529 overloaded (1 in the last 15 min, the last at 14:01:00
// UTC, 1 min ago), before our API probe's failure here began at 14:01:20
// UTC." — said, never the verdict. "" otherwise.
func (j judgement) sessionsEarlier(lead probe.ServiceVerdict) string {
	w, ok := j.views[probe.TargetSessions]
	if lead.Service.Key != "api" || !lead.Kind.Local() || !ok || !j.sessionsBeforeLocal(w) || answering(w) {
		// (Answering again since: "Recovering: Claude Code …" says it.)
		return ""
	}
	l, _ := j.apiLocal()
	r := j.lastSessionFailure()
	what := classWords(r.Class, r.HTTPStatus)
	if c := j.tally().countOf(j, r); c != "" {
		what += " (" + c + ")"
	}
	return "Earlier, your Claude Code sessions got " + what + ", before our API probe's failure here began at " + j.zoned(l.since, "15:04:05 MST") + "."
}

// oneCall reports whether the view is Claude Code's sessions failing on
// Anthropic's side in one call alone (its retries folded into it) within
// SessionsFresh, while none of our API probes fails on Anthropic's side
// and one answers, or cannot reach the API from here (apiLocal: no
// evidence either way): an observation, likely brief — not an outage
// until a second call fails or our probes do (the lead's policy; the
// probes' own hysteresis wants two in a row).
func (j judgement) oneCall(w view) bool {
	if w.target != probe.TargetSessions || w.state != sAnthropic || w.unstable || j.apiFails() {
		return false
	}
	if _, local := j.apiLocal(); !j.apiAnswers() && !local && j.sessionsUncompared() == "" {
		// (Probes that go elsewhere are no evidence either way.)
		return false
	}
	n := 0
	for _, r := range freshSessions(j.in.Recent[probe.TargetSessions], j.in.Now) {
		if classifySession(r) == sAnthropic {
			n++
		}
	}
	return n == 1
}
