package judge

import (
	"strings"

	"downforai/probe"
)

// Claude Code's sessions are the detector's third source, beside our
// probes and the status page: their calls open incidents of their own
// ("sessions:provider", "sessions:yours") by the same thresholds — three
// failed calls of one side in a row open one, two calls in a row that
// answer close it. As the sessions call only while the user works, an
// incident of theirs also closes when they have made no call for
// SessionsFresh: from then on nothing says it goes on. Its end is then
// its last failure, the last moment known to fail.

// sessionSubjectPrefix starts the subject of the sessions' incidents.
const sessionSubjectPrefix = "sessions:"

// sessionCall notes a session call and reports whether it counts: a
// network failure or a refused request says nothing of either side
// (classifySession), so it neither fails nor recovers an incident; nor
// does an attempt Claude Code retries — the call counts once, by its
// outcome (the answer, or the error shown), so one request retried three
// times is one failed call, not four (cold6 E6).
func (d *Detector) sessionCall(r probe.Result) bool {
	if r.Time.After(d.lastSession) {
		d.lastSession = r.Time
	}
	return classifySession(r) != sNone && !probe.RetryAttempt(r)
}

// sessionCategory is "yours" for the account's refusals, "provider" for
// Anthropic's side.
func sessionCategory(r probe.Result) string {
	if classifySession(r) == sAccount {
		return "yours"
	}
	return "provider"
}

// sessionSubject names a sessions' incident: Anthropic's side speaks for
// Claude Code (LocalIncident.Components adds the Claude API, whose calls
// they are, so either component's official incident links).
func sessionSubject(cat string) (string, probe.IncidentKind, string) {
	if cat == "yours" {
		return sessionSubjectPrefix + "yours", probe.KindYourSide, ""
	}
	return sessionSubjectPrefix + "provider", probe.KindProvider, "claude_code"
}

// closeQuiet closes the sessions' open incidents once they have made no
// call for SessionsFresh.
func (d *Detector) closeQuiet(changed map[*probe.LocalIncident]bool) {
	now := d.now()
	for subj, l := range d.open {
		if !strings.HasPrefix(subj, sessionSubjectPrefix) {
			continue
		}
		last := d.lastSession
		if l.LastFailure.After(last) {
			last = l.LastFailure
		}
		if now.Sub(last) < SessionsFresh {
			continue
		}
		l.Recovered = l.LastFailure
		l.Closed = now
		delete(d.open, subj)
		delete(d.clear, subj)
		d.recent = append(d.recent, l)
		changed[l] = true
	}
}

// QuietClosed reports whether the sessions' incident l was closed for want
// of calls, rather than by calls that answered.
func QuietClosed(l probe.LocalIncident) bool {
	return FromSessions(l) && !l.Active() && l.Recovered.Equal(l.LastFailure)
}

// FromSessions reports whether the incident is the sessions' own.
func FromSessions(l probe.LocalIncident) bool {
	return strings.HasPrefix(l.Subject, sessionSubjectPrefix)
}
