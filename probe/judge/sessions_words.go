package judge

import (
	"fmt"
	"strings"

	"downforai/probe"
	"downforai/probe/catalogue"
)

// sessionsHeadline is the headline when Claude Code's own sessions lead
// the verdict: what they met, against what our probes and the page say.
func (j judgement) sessionsHeadline(sv probe.ServiceVerdict, w view) string {
	r := w.evidence
	what := classWords(r.Class, r.HTTPStatus)
	t := j.tally()
	at := ""
	if c := t.countOf(j, r); c != "" {
		at = " (" + c + ")"
	}
	who := "your Claude Code sessions get " + what + at
	l, local := j.apiLocal()
	var probes string
	switch {
	case j.sessionsUncompared() != "":
		probes = j.sessionsUncompared()
	case j.apiFails():
		probes = " — our API probe fails too"
	case j.apiAnswers():
		probes = " while our API probe answers"
	case local:
		probes = "; our API probe cannot reach the API from here to compare (" + probe.Line(l.latest.Message, 100) + ")"
	default:
		probes = "; our API probes have no fresh answer to compare"
	}
	comp, _, inc, mnt := j.sessionsComponent(j.component(sv.Service))
	switch sv.Kind {
	case probe.VerdictDegraded:
		switch {
		case j.oneCall(w) && !j.apiAnswers():
			return "Likely brief: one Claude Code call failed (" + what + ") at " + j.sessionClock(r.Time) + probes + "; one failed call alone is no outage."
		case j.oneCall(w):
			return "Likely brief: one Claude Code call failed (" + what + ") at " + j.sessionClock(r.Time) + " while our probes succeed; one failed call alone is no outage."
		}
		return fmt.Sprintf("Unstable: %d of your Claude Code sessions' last %d calls failed (%s)%s.", w.fails, w.total, classWords(w.class, w.status), probes)
	case probe.VerdictMaintenance:
		return "Maintenance: " + who + " during scheduled maintenance" + j.until(mnt) + "."
	case probe.VerdictOutage:
		switch {
		case inc != nil:
			return "Anthropic outage: " + who + " — acknowledged on the status page (" + probe.Line(inc.Name, 80) + ")."
		case comp.Outage() || comp == probe.ComponentDegraded:
			return "Anthropic outage: " + who + " — acknowledged on the status page (" + comp.String() + ")."
		}
		return "Anthropic outage: " + who + "; the status page reported a problem during it and now shows none."
	case probe.VerdictUnacknowledged:
		return "Anthropic problem, not yet acknowledged: " + who + probes + ", and the status page shows Claude Code and the Claude API operational."
	case probe.VerdictFailing:
		return "Anthropic problem: " + who + probes + "; " + j.pageWhyFor("Claude Code") + ", so we cannot say whether Anthropic has acknowledged it" + j.lastReported() + "."
	case probe.VerdictLocalCredential:
		return j.sessionsRefusedWords(r)
	case probe.VerdictLocalQuota:
		e, _ := catalogue.MatchResult(r)
		switch {
		case r.Class == probe.ClassBilling:
			return "Your quota or billing: your Claude Code sessions are refused (" + sessionWords(r) + ")" + j.whileAPI() + "."
		case e.ID == catalogue.EntryUsageLimit:
			return "Your plan's limit: your Claude Code sessions hit the usage limit (" + sessionWords(r) + ")" + j.whileAPI() + j.notOutage() + j.ranOnLogin() + "."
		case j.apiAnswers() && j.sessionsKey() != "":
			// An API key has rate limits and a spend limit, no plan.
			return "Likely your API key's rate limit: your Claude Code sessions are refused (" + sessionWords(r) + ") while the API answers" + j.notOutage() + "."
		case j.apiAnswers():
			return "Likely your plan's limit: your Claude Code sessions are refused (" + sessionWords(r) + ") while the API answers" + j.notOutage() + "."
		}
		return "Your quota: your Claude Code sessions are refused (" + sessionWords(r) + ")" + j.whileAPI() + "."
	}
	return ""
}

// whileAPI is " while the API answers" when a fresh probe of ours says so.
func (j judgement) whileAPI() string {
	switch {
	case j.sessionsUncompared() != "":
		return j.sessionsUncompared()
	case j.apiAnswers():
		return " while the API answers"
	case j.apiFails():
		return " while our API probe fails too"
	}
	return "; our API probes have no fresh answer to compare"
}

// notOutage is ": not an outage" only when a fresh status page shows
// neither Claude Code nor the Claude API failing and our probes answer.
func (j judgement) notOutage() string {
	if !j.off.drives || !j.apiAnswers() {
		return ""
	}
	// Nor while the sessions' own Anthropic-side failures still count (an
	// incident of ours stays open on them): "not an outage" beside "Claude
	// Code, your sessions: overloaded (529)" would contradict it (cold2 C13).
	for _, r := range freshSessions(j.in.Recent[probe.TargetSessions], j.in.Now) {
		if r.Class.ProviderSide() {
			return ""
		}
	}
	for _, s := range probe.Services() {
		if s.Key != "api" && s.Key != "claude_code" {
			continue
		}
		c, _, inc, _ := j.component(s)
		if c.Outage() || c == probe.ComponentDegraded || inc != nil {
			return ""
		}
	}
	return ", not an outage"
}

// sessionsKey is the API key variable Claude Code would use on this
// machine now (the first credential of Local checks, in Claude Code's
// order), "" when it would use its login or nothing is known. It decides
// the words for a refusal without a subscription's own words.
func (j judgement) sessionsKey() string {
	l := j.in.Local
	if l == nil || len(l.Credentials) == 0 {
		return ""
	}
	if c := l.Credentials[0]; c.Kind == "API key" && (c.Source == "ANTHROPIC_API_KEY" || c.Source == "ANTHROPIC_AUTH_TOKEN") {
		return c.Source
	}
	return ""
}

// sessionsRefusedWords is the headline for the sessions' refused
// credential: the one the refusal's own words name (an OAuth token's
// expiry or revocation is the login; "invalid x-api-key" a key), else
// likely the one Claude Code sends here (Local checks). A login is fixed with /login;
// a key in the environment is not, and the login is then not in use
// here — the sessions that met it ran elsewhere (another shell).
func (j judgement) sessionsRefusedWords(r probe.Result) string {
	key := j.sessionsKey()
	words := "(" + sessionWords(r) + ")" + j.whileAPI()
	e, _ := catalogue.MatchResult(r)
	switch e.ID {
	case catalogue.EntryOAuthExpired, catalogue.EntryOAuthRevoked, catalogue.EntryOAuthNotSupported, catalogue.EntryOAuthOrgNotAllowed:
		if key != "" {
			return "Your credential: Claude Code's login is refused " + words + " — an OAuth login's refusal, so those sessions ran on your Claude login, not on the " + key +
				" Claude Code would use here now; run /login in Claude Code where they ran."
		}
	default:
		if key != "" && strings.Contains(strings.ToLower(r.Message), "key") {
			return "Your credential: your Claude Code sessions' key is refused " + words + " — Claude Code sends " + key + " here: check it in Local checks (masked) or replace it."
		}
		if key != "" {
			return "Likely your credential: your Claude Code sessions are refused " + words + " — Claude Code sends " + key + " here, so likely that key: check it in Local checks (masked)."
		}
	}
	return "Your credential: Claude Code's login is refused " + words + " — run /login in Claude Code."
}

// ranOnLogin reconciles a subscription's limit in the sessions' own words
// with Local checks saying Claude Code uses an API key here: the message
// is a fact of the sessions, the key one of this shell's environment, so
// the sessions ran on a Claude login (another shell, before the key was
// set), and an API key has no session limit.
func (j judgement) ranOnLogin() string {
	if k := j.sessionsKey(); k != "" {
		return " — a Claude subscription's limit, so those sessions ran on your Claude login, not on the " + k + " Claude Code would use here now"
	}
	return ""
}

// sessionWords is the session error in Anthropic's or Claude Code's own
// words: `429 "You've hit your session limit · resets 12:50am"`.
func sessionWords(r probe.Result) string {
	s := ""
	if r.HTTPStatus != 0 {
		s = fmt.Sprintf("%d", r.HTTPStatus)
	}
	// Anthropic's error type ("authentication_error"); Claude Code's own
	// codes ("rate_limit") say nothing the message does not.
	if strings.HasSuffix(r.ErrorType, "_error") && !strings.Contains(r.Message, r.ErrorType) {
		s = strings.TrimSpace(s + " " + r.ErrorType)
	}
	if m := probe.Line(apiMessage(r), 90); m != "" {
		s = strings.TrimSpace(s + " " + probe.Quote(m))
	}
	if s == "" {
		s = r.Class.String()
	}
	return s
}
