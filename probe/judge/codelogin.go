package judge

import (
	"fmt"

	"downforai/probe"
)

// Claude Code's login refused live: the usage call (--code-usage) asks
// with that login every --local-interval, so its 401 is an observation of
// now, not a reading of the credentials file (cold2 C20).

// liveLoginRefused reports whether the usage call's latest answer refused
// Claude Code's login, and that login is what Claude Code sends (no key in
// the environment stands in for it).
func liveLoginRefused(l *probe.LocalReport) bool {
	if l == nil || l.CodeUsage == nil || !l.CodeUsage.Rejected {
		return false
	}
	_, ok := codeLoginProblem(l)
	return ok
}

// loginRefusalLeads reports whether Claude Code's login refused live
// leads over the service's failure w: when that failure rests only on its
// sessions' earlier calls (a live failure of our probes still leads, as
// in refusalLeads).
func (j judgement) loginRefusalLeads(w view) bool {
	return w.target == probe.TargetSessions && liveLoginRefused(j.in.Local)
}

// codeLoginWords is the login check's finding for a headline: when the
// usage call refused the login, with the call's time and age ("Claude
// Code's login is rejected by Anthropic (401 to its usage call at 14:01
// UTC, 12 s ago) — run /login in Claude Code"); else the check's text.
func (j judgement) codeLoginWords(c probe.LocalCheck) string {
	u := j.in.Local.CodeUsage
	if c.ID != probe.CheckCodeLogin || c.Cause != probe.CauseRejected || u == nil || !u.Rejected {
		return c.Text
	}
	status := "refused"
	if u.HTTPStatus != 0 {
		status = fmt.Sprint(u.HTTPStatus)
	}
	return fmt.Sprintf("Claude Code's login is rejected by Anthropic (%s to its usage call at %s) — run /login in Claude Code", status, j.clockIn(u.Time))
}
