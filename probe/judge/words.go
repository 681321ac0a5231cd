// The words every sentence shares: times in the reader's zone, lengths of
// time, a failure's class, and the evidence line that quotes the upstream.

package judge

import (
	"fmt"
	"strings"
	"time"

	"downforai/probe"
)

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
	if m := ownWords(r); m != "" {
		// Only what the answer said: a body that said nothing of its
		// own gets no quote of our words for its status (issue 19).
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

// ownWords is what the API's answer (or the gateway's in its place) said
// in its own words, from the result's message: Anthropic's message, the
// gateway's words our message quotes ("upstream connect error …"), never
// the prober's own text for a body that said nothing — "529 Overloaded"
// is StatusText's, not the gateway's: "" then. Results that are no HTTP
// error answer of the API's targets keep their message as apiMessage has
// it.
func ownWords(r probe.Result) string {
	m := apiMessage(r)
	if r.HTTPStatus < 400 || !(r.Target == probe.TargetAPI || r.Target == probe.TargetAPIKey || r.Target.IsModel()) {
		return m
	}
	if r.ErrorType == ErrNotAnthropic || r.ErrorType == probe.ErrGatewayKey {
		// Our sentence around what it said, quoted: only the quote.
		i, j := strings.IndexByte(m, '"'), strings.LastIndexByte(m, '"')
		if i < 0 || j <= i {
			return ""
		}
		return m[i+1 : j]
	}
	if rest, ok := strings.CutPrefix(m, probe.StatusText(r.HTTPStatus)); ok {
		// The prober's status words, then the body's message if any.
		words, _ := strings.CutPrefix(rest, ": ")
		if words == rest {
			return ""
		}
		return words
	}
	return m
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
