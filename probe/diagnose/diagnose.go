package diagnose

import (
	"cmp"
	"fmt"
	"strings"
	"unicode/utf8"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/lazyre"
)

// Diagnosis is what Diagnose made of a piece of error text.
type Diagnosis struct {
	// Entry is the matching catalogue entry; nil means no known signature.
	Entry *catalogue.Entry
	// Matched says what decided it: the signature, code or fragment
	// found, the structure read ("Cloudflare's error page for
	// api.anthropic.com: …"), or "HTTP 529" / "error type overloaded_error"
	// when only those were known.
	Matched string
	// Confidence says how much of the text backs the entry.
	Confidence catalogue.Confidence
	// What could be read from the text; zero when absent.
	Status    int
	StatusBy  string // the SDK exception class Status was read from, "" when written
	ErrorType string
	Message   string
	RequestID string
	// Text is the input, redacted and on one line, for echoing back.
	Text string
	// LeftOut is how many bytes of the start of the input were not read:
	// a long paste (a terminal's scroll-back) has its error at the end,
	// so Diagnose reads its last MaxInput bytes (cold5 D30). 0 when whole.
	LeftOut int
	read    int    // the bytes that were read
	full    string // the text read, redacted: what a usage limit's reset is read from
}

// text is the text read, for the readers after the match (ReadLimit).
func (d Diagnosis) text() string {
	if d.full != "" {
		return d.full
	}
	return d.Text
}

// Known reports whether a catalogue entry matched.
func (d Diagnosis) Known() bool { return d.Entry != nil }

// Read is what could be read from the text, for a "read:" line — HTTP
// status, error type, message (through quote) and request id, those
// present, in that order, joined by " · "; "" when nothing was read.
func (d Diagnosis) Read(quote func(string) string) string {
	var read []string
	if d.Status != 0 {
		s := fmt.Sprintf("HTTP %d", d.Status)
		if d.StatusBy != "" {
			s += " (as " + d.StatusBy + ")"
		}
		read = append(read, s)
	}
	if d.ErrorType != "" {
		read = append(read, d.ErrorType)
	}
	if d.Message != "" {
		read = append(read, quote(d.Message))
	}
	if d.RequestID != "" {
		read = append(read, "request-id "+d.RequestID)
	}
	return strings.Join(read, " · ")
}

// Newlines makes every line break of text a "\n": a terminal pastes a
// line break as "\r" (tmux, most terminals), Windows writes "\r\n", and
// the readers of a paste's lines (its last "API Error" line, a status at
// a line start, a reset time up to the line's end) need its lines.
func Newlines(text string) string {
	if !strings.Contains(text, "\r") {
		return text
	}
	return strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(text)
}

// MaxInput bounds the text Diagnose reads: an error, not a log file.
const MaxInput = 64 << 10

// Tail is the end of text that Diagnose reads: all of it when it fits in
// max bytes, else its last max bytes from the first line start in them
// (from a rune start when they hold no line break), and how many bytes
// of the start it leaves out.
func Tail(text string, max int) (string, int) {
	if len(text) <= max {
		return text, 0
	}
	cut := len(text) - max
	if nl := strings.IndexByte(text[cut:], '\n'); nl >= 0 && nl < len(text)-cut-1 {
		cut += nl + 1
	} else {
		for cut < len(text) && !utf8.RuneStart(text[cut]) {
			cut++
		}
	}
	return text[cut:], cut
}

// LeftOutWords is the sentence that says the start was not read, "" when
// nothing was left out.
func (d Diagnosis) LeftOutWords() string {
	if d.LeftOut <= 0 {
		return ""
	}
	return fmt.Sprintf("the text is long: its first %s were left out, and only its end (%s, from a line start) was read — the error a scroll-back ends with",
		Bytes(d.LeftOut), Bytes(d.read))
}

// Bytes is a size for people: "812 bytes", "63.9 KiB", "1.2 MiB".
func Bytes(n int) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// Diagnose matches error text — from Claude Code, an SDK, curl, an API
// JSON body, a gateway's log — against the catalogue. The text is
// redacted, then read every way people produce it (escaped JSON inside
// JSON, Python and JavaScript reprs, terminal wrapping, HTML pages) and
// matched by catalogue.Find. A retry ladder ends with what finally
// happened: when the text holds several Claude Code "API Error" lines, the
// last one decides if its words or structure can. Text nothing honestly
// fits gets a Diagnosis without Entry: "no known signature".
func Diagnose(text string) Diagnosis {
	text, leftOut := Tail(Newlines(text), MaxInput)
	read := len(text)
	text = probe.Redact(text)
	c := catalogue.Read(text)
	m, ok := catalogue.Find(c)
	if seg, found := lastAttempt(text); found {
		sc := catalogue.Read(seg)
		if sm, sok := catalogue.Find(sc); sok && sm.Decisive && !slowAnswerOf(sm, m, ok) {
			c, m, ok = sc, sm, true
		}
	}
	echo := probe.Line(text, 500)
	if leftOut > 0 {
		// What was read is the end: echo its end, where the error is.
		end, _ := Tail(text, 2000) // Line keeps a long text's start
		if r := []rune(probe.Line(end, 0)); len(r) > 500 {
			echo = "…" + string(r[len(r)-499:])
		}
	}
	d := Diagnosis{Text: echo, full: text, Status: c.Status(), StatusBy: probe.Line(c.SDKClass(), 60), ErrorType: c.ErrorType(),
		Message: c.Message(), RequestID: c.RequestID(), LeftOut: leftOut, read: read}
	if e, found := apiError(text); found {
		d.Message = cmp.Or(e.Message, d.Message)
		d.RequestID = cmp.Or(e.RequestID, d.RequestID)
	}
	if d.Status == 0 {
		d.Status = statusOfType(d.ErrorType)
	}
	d.ErrorType, d.Message, d.RequestID = probe.Line(d.ErrorType, 60), probe.Line(d.Message, 300), probe.Line(d.RequestID, 100)
	if ok {
		d.Entry, d.Matched, d.Confidence = &m.Entry, m.Matched, m.Confidence
	}
	return d
}

// slowAnswerOf reports whether the last attempt's timeout is the ladder's
// overload going on: attempts of the same ladder got an answer from
// Anthropic saying it is overloaded or failing (529, 500 …: whole), so
// the path reached Anthropic seconds before, and a request that then got
// no answer in time is what a slow, overloaded API looks like from the
// client — the timeout entry itself names "Anthropic being slow during an
// incident" among its causes. A connection that could not be made at all
// is another failure (the path changed) and still decides (cold7 E4: 529s
// and one "Request timed out" read as a timeout, group "Your network").
func slowAnswerOf(last, whole catalogue.Match, ok bool) bool {
	return ok && last.Entry.ID == catalogue.EntryTimeout && whole.Decisive && whole.Entry.Side == catalogue.SideAnthropic
}

// lastAttempt is the text from the last of several "API Error" lines to
// the end: the final attempt of a retry ladder. Where that line is wrapper
// words alone ("API Error (Connection error.)") the attempts just before it
// that failed in the same words are taken with it: Claude Code prints the
// cause under some attempts only ("⎿ Error (self signed certificate …)"),
// and it is the cause of the whole run of them.
func lastAttempt(text string) (string, bool) {
	idx := reAPIError.FindAllStringIndex(text, -1)
	if len(idx) < 2 {
		return "", false
	}
	starts := make([]int, len(idx))
	for i, at := range idx {
		starts[i] = at[0]
		if nl := strings.LastIndexByte(text[:at[0]], '\n'); nl >= 0 {
			starts[i] = nl + 1
		}
	}
	line := func(i int) string {
		l := text[starts[i]:]
		if nl := strings.IndexByte(l, '\n'); nl >= 0 {
			l = l[:nl]
		}
		return l
	}
	last := len(starts) - 1
	lm, ok := catalogue.Find(catalogue.Read(line(last)))
	first := last
	for ok && lm.Wrapper && first > 0 {
		pm, pok := catalogue.Find(catalogue.Read(line(first - 1)))
		if !pok || !pm.Wrapper || pm.Entry.ID != lm.Entry.ID {
			break
		}
		first--
	}
	return text[starts[first]:], true
}

var reAPIError = lazyre.New(`API Error`)

// apiError is Anthropic's error body in the text, when one parses whole.
func apiError(text string) (probe.APIError, bool) {
	i := strings.IndexByte(text, '{')
	j := strings.LastIndexByte(text, '}')
	if i < 0 || j <= i {
		return probe.APIError{}, false
	}
	return probe.ParseAPIError([]byte(text[i : j+1]))
}

// statusOfType is the status Anthropic sends with an error type (§2.1).
func statusOfType(t string) int {
	switch t {
	case "invalid_request_error":
		return 400
	case "authentication_error":
		return 401
	case "billing_error":
		return 402
	case "permission_error":
		return 403
	case "not_found_error":
		return 404
	case "request_too_large":
		return 413
	case "rate_limit_error":
		return 429
	case "api_error":
		return 500
	case "timeout_error":
		return 504
	case "overloaded_error":
		return 529
	}
	return 0
}

// describeResult is "529 overloaded_error" or "dns failure".
func describeResult(r probe.Result) string {
	switch {
	case r.HTTPStatus != 0 && r.ErrorType == probe.StatusErrorType(r.HTTPStatus):
		// The prober's own name for a status with no error type of the
		// answer's: "503 Service Unavailable", not "503 http_503".
		return probe.StatusText(r.HTTPStatus)
	case r.HTTPStatus != 0 && r.ErrorType != "":
		return fmt.Sprintf("%d %s", r.HTTPStatus, r.ErrorType)
	case r.HTTPStatus != 0:
		return probe.StatusText(r.HTTPStatus)
	case r.ErrorType != "":
		return r.ErrorType + " failures"
	}
	return r.Class.String()
}
