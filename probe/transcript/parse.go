// Package transcript follows Claude Code's session transcripts — the JSON
// lines it appends to $CLAUDE_CONFIG_DIR/projects/<project>/<session>.jsonl
// (default ~/.claude/projects) — and turns them into what a monitor needs:
// one probe.Result per API call Claude Code made (its status, class, error
// type, a short cleaned message, request id, retry attempt, whether it gave
// up) and the tokens each answer used, for the 5-hour usage window.
//
// The format is not an official API; it is described by third parties
// (reference/anthropic-formats.md §3.6) and changes between versions. The
// parser therefore keeps to a few fields, accepts another shape of any of
// them (a string where an object was, a number as text), and skips what it
// does not recognise instead of failing.
//
// What it keeps is deliberately little: never a prompt, tool input or
// output, file contents, a path or the working directory. The session id is
// kept only as a short hash; messages are cleaned of control characters,
// credentials and paths, and cut short.
package transcript

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"

	"downforai/probe"
	"downforai/probe/diagnose"
	"downforai/probe/lazyre"
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

// number64 reads a count written as a number or as text.
func number64(v gjson.Result) (int64, bool) {
	switch v.Type {
	case gjson.Number, gjson.String:
		return count(json.RawMessage(v.Raw))
	}
	return 0, false
}

// hashSession is the first 8 hex digits of the session id's SHA-256: enough
// to tell sessions apart on one machine, useless to find one.
func hashSession(id string) string {
	if id == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:4])
}

// answerKey identifies one answer across the lines Claude Code writes for
// it (one per streamed content block): message id and request id, as
// ccusage deduplicates. Without ids the line stands alone.
func answerKey(msgID, reqID string, at time.Time) uint64 {
	h := sha256.New()
	if msgID == "" && reqID == "" {
		h.Write([]byte(at.Format(time.RFC3339Nano)))
	}
	h.Write([]byte(msgID))
	h.Write([]byte{0})
	h.Write([]byte(reqID))
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	k := uint64(0)
	for _, c := range sum[:8] {
		k = k<<8 | uint64(c)
	}
	return k
}

// number reads an integer written as a number or as text.
func number(v gjson.Result) (int, bool) {
	n, ok := number64(v)
	return int(n), ok && n < 1<<31
}

// numberRaw is number for a value decoded with encoding/json.
func numberRaw(raw json.RawMessage) (int, bool) {
	n, ok := count(raw)
	return int(n), ok && n < 1<<31
}

func count(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(string(bytes.TrimSpace(raw)), `"`)
	if s == "" || s == "null" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e15 {
		return 0, false
	}
	return int64(f), true
}

func truthy(raw json.RawMessage) bool {
	s := string(bytes.TrimSpace(raw))
	return s == "true" || s == `"true"`
}

// stringOf is a JSON string's value, "" for anything else.
func stringOf(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// contentText is the text of message.content: a string, or the text blocks
// of an array, joined.
func contentText(raw json.RawMessage) string {
	if s := stringOf(raw); s != "" {
		return s
	}
	var blocks []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &blocks) != nil {
		return ""
	}
	var parts []string
	for _, b := range blocks {
		if b.Type == "text" && b.Text != "" {
			parts = append(parts, b.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// retryErr is the error object of a retry record. Seen fields: status,
// message, requestID, headers, error (the API's error body), type, cause
// (for network failures), isNetworkDown.
type retryErr struct {
	Status    json.RawMessage `json:"status"`
	Message   json.RawMessage `json:"message"`
	RequestID json.RawMessage `json:"requestID"`
	Body      json.RawMessage `json:"error"`
	Cause     *struct {
		Code    json.RawMessage `json:"code"`
		Message json.RawMessage `json:"message"`
	} `json:"cause"`
	NetworkDown json.RawMessage `json:"isNetworkDown"`
}

// retryError fills res from a retry record's error (an object, or
// sometimes only a string) and content.
func retryError(res *probe.Result, raw, content json.RawMessage) {
	var e retryErr
	if json.Unmarshal(raw, &e) != nil {
		// Not an object: a bare message, or nothing at all.
		text := stringOf(raw)
		if text == "" {
			text = stringOf(content)
		}
		fromText(res, 0, text)
		return
	}
	status, _ := numberRaw(e.Status)
	msg := stringOf(e.Message)
	res.RequestID = firstNonEmpty(probe.Line(stringOf(e.RequestID), 100), res.RequestID)
	var code string
	if e.Cause != nil {
		code = stringOf(e.Cause.Code)
		if msg == "" {
			msg = stringOf(e.Cause.Message)
		}
	}
	if status == 0 && (code != "" || truthy(e.NetworkDown)) {
		res.Class, res.ErrorType = probe.ClassNetwork, netKind(code, msg)
		text := msg
		if code != "" && !strings.Contains(text, code) {
			text = strings.TrimSpace(code + " " + text)
		}
		res.Message = clean(firstNonEmpty(text, "network down"))
		return
	}
	if status == 0 {
		fromText(res, 0, firstNonEmpty(msg, stringOf(content)))
		return
	}
	res.HTTPStatus = status
	body := apiBody(e.Body)
	if body == nil && msg != "" && strings.Contains(msg, "{") {
		// Some versions put the API's body in the message as text.
		body = []byte(msg[strings.IndexByte(msg, '{'):])
	}
	if body == nil {
		fromText(res, status, msg)
		return
	}
	class, typ, apiMsg, rid := probe.ClassifyAPIError(status, body)
	if class == probe.ClassUnexpected || class == probe.ClassOK {
		// The body was not the API's: judge by the status Claude Code saw.
		fromText(res, status, firstNonEmpty(msg, apiMsg))
		return
	}
	res.Class, res.ErrorType = class, typ
	res.RequestID = firstNonEmpty(res.RequestID, rid)
	res.Message = clean(apiMsg)
}

// apiBody turns the error body a retry record carries into the API's
// {"type":"error","error":{…}} form for probe.ClassifyAPIError: it is
// either that already, or only its inner {"type","message"} object.
func apiBody(raw json.RawMessage) []byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	var probeShape struct {
		Type  string          `json:"type"`
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(raw, &probeShape) != nil {
		return nil
	}
	if probeShape.Type == "error" || len(probeShape.Error) > 0 {
		return raw
	}
	return append(append([]byte(`{"type":"error","error":`), raw...), '}')
}

// finalError fills res from the error record Claude Code wrote when it gave
// up: apiErrorStatus, its own code ("rate_limit", "authentication_failed"
// …) and the text the user saw, which the catalogue reads as a pasted
// error would be.
func finalError(res *probe.Result, status int, code string, raw json.RawMessage, text string) {
	if code == "" && len(raw) > 0 && raw[0] == '{' {
		// Some records carry the retry shape here instead of a code.
		var e retryErr
		if json.Unmarshal(raw, &e) == nil {
			if s, ok := numberRaw(e.Status); ok && status == 0 {
				status = s
			}
			text = firstNonEmpty(text, stringOf(e.Message))
		}
	}
	if !fromText(res, status, text) {
		res.Class = classOfCode(code)
	}
	if res.ErrorType == "" {
		res.ErrorType = probe.Line(code, 40)
	}
}

// fromText classifies error text the way a pasted error is: the catalogue
// entry's class when one matches, else by status. It reports false when
// neither said anything (the class is then ClassUnexpected).
func fromText(res *probe.Result, status int, text string) bool {
	d := diagnose.Diagnose(text)
	if status == 0 {
		status = d.Status
	}
	res.HTTPStatus = status
	res.ErrorType = d.ErrorType
	res.RequestID = firstNonEmpty(res.RequestID, d.RequestID)
	res.Message = clean(firstNonEmpty(d.Message, text)) // the API's message, when the text carries its body
	if d.Entry != nil && d.Entry.Class != probe.ClassUnknown {
		res.Class = d.Entry.Class
		return true
	}
	res.Class = classOfStatus(status)
	return status != 0
}

// classOfStatus is the class of an HTTP status Claude Code got from the
// API (or the gateway it was pointed at).
func classOfStatus(status int) probe.Class {
	switch {
	case status == 529:
		return probe.ClassOverloaded
	case status == 429:
		return probe.ClassRateLimited
	case status == 401 || status == 403:
		return probe.ClassAuth
	case status == 402:
		return probe.ClassBilling
	case status >= 500:
		return probe.ClassServer
	}
	return probe.ClassUnexpected
}

// classOfCode maps Claude Code's own error codes to classes, for records
// with no status and no text that says more.
func classOfCode(code string) probe.Class {
	switch code {
	case "rate_limit":
		return probe.ClassRateLimited
	case "authentication_failed", "oauth_org_not_allowed":
		return probe.ClassAuth
	case "billing_error":
		return probe.ClassBilling
	case "overloaded":
		return probe.ClassOverloaded
	case "server_error":
		return probe.ClassServer
	case "connection_error", "network_error":
		return probe.ClassNetwork
	}
	return probe.ClassUnexpected
}

// netKind is the probe's network kind for a Node or Bun error code.
func netKind(code, msg string) string {
	s := strings.ToLower(code + " " + msg)
	switch {
	case strings.Contains(s, "enotfound") || strings.Contains(s, "eai_again") || strings.Contains(s, "dns"):
		return probe.NetDNS
	case strings.Contains(s, "refused"):
		return probe.NetRefused
	case strings.Contains(s, "reset") || strings.Contains(s, "socket hang up") || strings.Contains(s, "epipe"):
		return probe.NetReset
	case strings.Contains(s, "timedout") || strings.Contains(s, "timeout") || strings.Contains(s, "timed out"):
		return probe.NetTimeout
	case strings.Contains(s, "cert") || strings.Contains(s, "ssl") || strings.Contains(s, "tls"):
		return probe.NetTLS
	case strings.Contains(s, "proxy"):
		return probe.NetProxy
	}
	return probe.NetConnect
}

// rePath matches what looks like a file path: /home/…, ~/…, C:\…. Error
// text rarely holds one, but a monitor has no business keeping it.
var rePath = lazyre.New(`(?:~|[A-Za-z]:)?(?:[/\\][\w.@+-]+){2,}[/\\]?`)

// reURL keeps URLs out of rePath's way: "https://status.claude.com" is
// useful and names no file.
var reURL = lazyre.New(`[a-z][a-z0-9+.-]*://[^\s"'<>]+`)

// clean makes error text fit to keep: credentials masked, paths replaced,
// one line, cut short.
func clean(s string) string {
	return probe.Line(scrubPaths(probe.Redact(s)), maxMessage)
}

// scrubPaths replaces file paths with "…", leaving URLs alone.
func scrubPaths(s string) string {
	paths := rePath.FindAllStringIndex(s, -1)
	if paths == nil {
		return s
	}
	urls := reURL.FindAllStringIndex(s, -1)
	var b strings.Builder
	last := 0
	for _, p := range paths {
		inURL := false
		for _, u := range urls {
			if p[0] < u[1] && u[0] < p[1] {
				inURL = true
				break
			}
		}
		if inURL {
			continue
		}
		b.WriteString(s[last:p[0]])
		b.WriteString("…")
		last = p[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
