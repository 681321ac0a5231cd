package transcript

// Reading one line: the few fields a monitor needs, read in place, and the
// Record they make.

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"

	"downforai/probe"
)

// Kind says what a transcript line was to a monitor.
type Kind uint8

// The kinds of line.
const (
	KindOther  Kind = iota // a prompt, a tool result, a summary, a snapshot … — nothing kept
	KindAnswer             // an answer from the API: a successful call, with its usage
	KindRetry              // a failed attempt Claude Code is about to retry
	KindError              // the error Claude Code showed when it gave up
)

// Record is what one line gave: a Result for calls (answers, retries,
// errors) and the Usage of answers.
type Record struct {
	Kind   Kind
	Result probe.Result // for KindAnswer, KindRetry, KindError
	Usage  *Usage       // for KindAnswer, when the answer carried usage
}

// maxMessage bounds a kept message, in runes.
const maxMessage = 160

// line is the subset of a transcript record the monitor reads, as raw JSON
// values (pointing into the line: nothing is copied). Fields whose type
// varies between versions are read leniently.
type line struct {
	typ, subtype, timestamp, sessionID, version, requestID gjson.Result
	isAPIError, apiStatus, err, retryAttempt, maxRetries   gjson.Result
	content                                                gjson.Result
	msgID, msgModel, msgUsage, msgContent                  gjson.Result
}

// mayMatter reports whether a record's type can make it a call: only
// "assistant" (answers, final errors) and "system" (retries) can.
func mayMatter(typ string) bool { return typ == "assistant" || typ == "system" }

// read walks the record's top level once (and its message object), keeping
// the values the monitor needs and skipping the rest — prompts, answers and
// tool output are stepped over, never decoded. It stops at a "type" that
// cannot matter: Claude Code writes "type" before "message" on the user
// records that carry tool output (most of a transcript's bytes), so those
// cost a few hundred bytes of walking, not their whole length. It reports
// false when it stopped so.
//
// The values point into s (no copy): what is kept after Parse returns is
// copied by keep.
func (l *line) read(s string) bool {
	stopped := false
	gjson.Parse(s).ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "type":
			l.typ = v
			if !mayMatter(str(v)) {
				stopped = true
				return false
			}
		case "subtype":
			l.subtype = v
		case "timestamp":
			l.timestamp = v
		case "sessionId":
			l.sessionID = v
		case "version":
			l.version = v
		case "requestId":
			l.requestID = v
		case "isApiErrorMessage":
			l.isAPIError = v
		case "apiErrorStatus":
			l.apiStatus = v
		case "error":
			l.err = v
		case "retryAttempt":
			l.retryAttempt = v
		case "maxRetries":
			l.maxRetries = v
		case "content":
			l.content = v
		case "message":
			if v.IsObject() {
				v.ForEach(func(k, v gjson.Result) bool {
					switch k.Str {
					case "id":
						l.msgID = v
					case "model":
						l.msgModel = v
					case "usage":
						l.msgUsage = v
					case "content":
						l.msgContent = v
					}
					return true
				})
			}
		}
		return true
	})
	return !stopped
}

// whole reports whether s is one JSON object whose strings and brackets
// all close, with no backslash outside a string and nothing after it:
// what tells a whole record from a torn one (cut anywhere, with the next
// record glued to it: a cut outside a string leaves a bracket open; a cut
// inside one turns the glued record's strings inside out, which leaves a
// backslash outside a string or, with none, an odd count of quotes, so a
// string that never closes). It jumps through strings with
// IndexByte, which makes it several times faster than a full validation
// (gjson.Valid), and is checked against it in TestWholeTellsTornLines.
func whole(s string) bool {
	var stack [64]byte
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			for {
				k := strings.IndexByte(s[i+1:], '"')
				if k < 0 {
					return false
				}
				i += k + 1
				n := 0
				for p := i - 1; s[p] == '\\'; p-- {
					n++
				}
				if n%2 == 0 {
					break
				}
			}
		case '\\':
			// Never outside a string in JSON; met when a cut inside a
			// string turned the glued record's strings inside out.
			return false
		case '{', '[':
			if depth == len(stack) {
				return false
			}
			stack[depth] = c + 2 // '{'+2 is '}', '['+2 is ']'
			depth++
		case '}', ']':
			if depth == 0 || stack[depth-1] != c {
				return false
			}
			if depth--; depth == 0 {
				return i == len(s)-1 && s[0] == '{'
			}
		}
	}
	return false
}

// str is a value's text when it is a JSON string, "" otherwise.
func str(v gjson.Result) string {
	if v.Type != gjson.String {
		return ""
	}
	return v.Str
}

// Parse reads one transcript line. ok is false for a line that is not
// JSON or not an object (a torn last line, garbage); a line of a type the
// monitor does not need is ok with KindOther.
func Parse(b []byte) (rec Record, ok bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return Record{}, false
	}
	// The line is read in place: b outlives this call only in what keep
	// copies (TestParseKeepsNothingOfTheLine).
	s := unsafe.String(unsafe.SliceData(b), len(b))
	var l line
	if !l.read(s) || (l.typ.Exists() && !mayMatter(str(l.typ))) {
		// Cheap structural check so a torn line is still told apart.
		return Record{}, b[len(b)-1] == '}'
	}
	if !whole(s) && !gjson.Valid(s) {
		return Record{}, false
	}
	at, err := time.Parse(time.RFC3339Nano, str(l.timestamp))
	if err != nil {
		return Record{Kind: KindOther}, true // no time, nothing to place
	}
	detail := probe.SessionDetail{Version: keep(l.version, 24), Session: hashSession(str(l.sessionID))}
	res := probe.Result{Target: probe.TargetSessions, Time: at.UTC(), RequestID: keep(l.requestID, 100)}
	typ := str(l.typ)
	model := keep(l.msgModel, 60)
	if model == "<synthetic>" {
		model = "" // Claude Code's stand-in on the records it writes itself
	}

	switch {
	case typ == "system" && str(l.subtype) == "api_error":
		detail.Attempt, _ = number(l.retryAttempt)
		detail.MaxAttempts, _ = number(l.maxRetries)
		retryError(&res, raw(l.err), raw(l.content))
		res.Detail = detail.String()
		return Record{Kind: KindRetry, Result: res}, true

	case typ == "assistant" && (l.isAPIError.Type == gjson.True || str(l.isAPIError) == "true"):
		detail.Model = model
		detail.GaveUp = true
		status, _ := number(l.apiStatus)
		finalError(&res, status, strings.Clone(str(l.err)), raw(l.err), contentText(raw(l.msgContent)))
		res.Detail = detail.String()
		return Record{Kind: KindError, Result: res}, true

	case typ == "assistant" && l.msgUsage.IsObject():
		detail.Model = model
		res.Class = probe.ClassOK
		res.Detail = detail.String()
		usage := &Usage{Time: res.Time, Model: detail.Model, Key: answerKey(str(l.msgID), str(l.requestID), res.Time)}
		l.msgUsage.ForEach(func(k, v gjson.Result) bool {
			var n *int64
			switch k.Str {
			case "input_tokens":
				n = &usage.Input
			case "output_tokens":
				n = &usage.Output
			case "cache_creation_input_tokens":
				n = &usage.CacheCreation
			case "cache_read_input_tokens":
				n = &usage.CacheRead
			default:
				return true // "service_tier", "cache_creation" … are not counts we keep
			}
			*n, _ = number64(v)
			return true
		})
		return Record{Kind: KindAnswer, Result: res, Usage: usage}, true
	}
	return Record{Kind: KindOther}, true
}

// keep is a string value cleaned and cut to max runes (probe.Line), in
// memory of its own: the value points into the line being read, which the
// follower reuses.
func keep(v gjson.Result, max int) string {
	return strings.Clone(probe.Line(str(v), max))
}

// raw is a value's JSON text (a copy), for the small objects decoded further.
func raw(v gjson.Result) json.RawMessage {
	if !v.Exists() {
		return nil
	}
	return json.RawMessage(v.Raw)
}
