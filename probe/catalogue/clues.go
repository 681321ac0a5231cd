package catalogue

import (
	"html"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"downforai/probe"
	"downforai/probe/lazyre"
)

// Clues is error text read every way the matcher needs: the escapes of
// JSON inside JSON undone, one-spaced and lower-cased for words, squashed
// for phrases a terminal wrapped, and the structure pulled out — statuses,
// Anthropic's error types, the message, the request id, an HTML page's
// title, and where the error came from.
type Clues struct {
	flat   string // escapes undone, entities decoded, quotes straightened
	lower  string // flat, lower case, every run of blanks one space
	squash string // lower, without blanks, quotes, hyphens, underscores or box drawing
	// squashAt[i] is the byte in flat that squash's byte i came from, so a
	// phrase found in squash can be quoted as the paste spelled it.
	squashAt []int

	statuses  []int    // HTTP statuses, in the order they appear
	types     []string // Anthropic error types, in order
	foreign   []string // error types that are not Anthropic's
	message   string   // the first error message read
	requestID string
	title     string // an HTML page's <title>
	html      bool

	// Where the error came from, when the text says.
	anthropicEdge bool     // Cloudflare's error page for api.anthropic.com
	relayed       bool     // an error wrapped inside another service's error body
	accessLog     bool     // a server's access log: the paste is from a local gateway
	targets       []string // hosts the failing request was sent to
	httpsProxy    bool     // HTTPS_PROXY=https://… in the paste
	foreignBody   string   // the shape of an error body Anthropic never sends ({"detail": …}), "" if none
	// relay is the relay whose own error format carries the error
	// (OpenRouter's "Provider returned error", LiteLLM's exceptions), ""
	// if none; upstream is the provider it names as having answered
	// ("provider_name": "Google"), "" if it names none.
	relay, upstream string
	// billing is the host of a credits or billing page the error sends
	// the user to (https://openrouter.ai/settings/credits), "" if none.
	billing string
	// field is the request field an API validation error names at the
	// start of its message ("messages.1.content.14: …", "tools.0.custom.name:
	// …"), "" if none.
	field string
	// sdkClass is the SDK exception class the status was read from
	// ("anthropic.AuthenticationError"), "" when a status was written.
	sdkClass string
	// envelope: Anthropic's own error envelope, {"type":"error","error":
	// {…}}, with its req_ request id — the whole of Anthropic's format.
	envelope bool
}

// sdkErrorStatus is the HTTP status each of reSDKError's classes stands
// for.
var sdkErrorStatus = map[string]int{
	"BadRequestError": 400, "AuthenticationError": 401, "PermissionDeniedError": 403, "NotFoundError": 404,
	"RequestTooLargeError": 413, "RateLimitError": 429, "InternalServerError": 500,
	"ServiceUnavailableError": 503, "OverloadedError": 529,
}

// anthropicTypes are the error.type values Anthropic's API sends
// (reference §2.1); others come from someone else.
var anthropicTypes = probe.AnthropicErrorTypes

// squashedTypes maps each Anthropic error type as squash writes it.
var squashedTypes = func() map[string]string {
	m := map[string]string{}
	for t := range anthropicTypes {
		m[squash(t)] = t
	}
	return m
}()

var (
	reSquashType = lazyre.New(`type:([a-z]+)`)
	// reSDKError is an exception class of Anthropic's SDKs (Python,
	// TypeScript) that stands for one HTTP status, as the SDK (or a
	// client built on it) names it: "anthropic.RateLimitError"; the
	// package before it, if any, is kept.
	reSDKError = lazyre.New(`(?:\b(\w+)\.)?\b(BadRequestError|AuthenticationError|PermissionDeniedError|NotFoundError|RequestTooLargeError|RateLimitError|InternalServerError|ServiceUnavailableError|OverloadedError)\b`)
	// reStatus finds an HTTP status in every way tools print one, each
	// tried only when its needle (lower case) is in the text: "API Error:
	// 529", "Error code: 401", "HTTP/2 429", "status: 400",
	// "statusCode=407", "E407", Cloudflare's "| 504:", "529 Overloaded", a
	// line starting "429 …", "Server error '529 '".
	reStatus = []struct {
		needle string
		re     *lazyre.Regexp
	}{
		{"api error", lazyre.New(`(?i)API Error:?\s*\(?\s*(\d{3})\b`)},
		{"error code", lazyre.New(`(?i)Error code:\s*(\d{3})\b`)},
		{"http/", lazyre.New(`(?i)\bHTTP/[0-9.]+\s+(\d{3})\b`)},
		{"status", lazyre.New(`(?i)\bstatus(?:[ _]?code)?['"]?\s*[:=]\s*['"]?(\d{3})\b`)},
		{"status code", lazyre.New(`(?i)\bstatus code (\d{3})\b`)},
		{"statuscode=", lazyre.New(`(?i)\bstatusCode=(\d{3})\b`)},
		{"request rejected", lazyre.New(`(?i)\bRequest rejected \((\d{3})\)`)},
		{"http ", lazyre.New(`(?i)\bHTTP (?:code |error )?(\d{3})\b`)},
		{"e4", lazyre.New(`(?i)\bE(4\d\d)\b`)},
		{"| ", lazyre.New(`\| (\d{3}): `)},
		{"", lazyre.New(`(?i)(?:Error|Exception|returned|failed):?\s*\(?(\d{3})\b(?:[\s:,]|$)`)},
		{"", lazyre.New(`(?m)^\W{0,6}([45]\d\d)\s+[^\s\d]`)},
		{" error '", lazyre.New(`(?i)\b(?:Server|Client) error '(\d{3})`)},
		{"code", reCodeStatus},
		{"", lazyre.New(`(?i)\b(\d{3})\s+(?:Overloaded|Unauthorized|Forbidden|Not Found|Bad Gateway|Gateway Time-?out|Service Unavailable|Internal Server Error|Proxy Authentication Required|Request Entity Too Large|Too Many Requests)\b`)},
	}
	reType      = lazyre.New(`(?i)['"]?\btype['"]?\s*[:=]\s*['"]?([A-Za-z_]+)`)
	reCode      = lazyre.New(`['"]code['"]\s*:\s*['"]?([A-Za-z_][A-Za-z_0-9]*)`)
	reMsg       = lazyre.New(`(?i)['"]?\bmessage['"]?\s*[:=]\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')`)
	reMsgBare   = lazyre.New(`(?i)\bmessage:\s*([^,}"'][^,}]*)`)
	reRequestID = lazyre.New(`\breq_[A-Za-z0-9]{8,}`)
	// Claude Code's "API Error: Request rejected (429) · <message>": the
	// upstream's message, whatever the upstream was.
	reRejected = lazyre.New(`(?i)\bRequest rejected \(\d{3}\)\s*[·∙•]\s*([^\n]+)`)
	// Anthropic's error envelope as JSON, a Python repr or a JavaScript
	// object prints it: "type":"error","error":{ / type: 'error', error: {.
	reEnvelope = lazyre.New(`['"]?\btype['"]?\s*[:=]\s*['"]error['"]\s*,\s*['"]?error['"]?\s*[:=]\s*\{`)
	// The request field a validation error names: Anthropic's 400s start
	// their message with the field's path, indexed into the request's
	// lists ("messages.1.content.14: `thinking` … cannot be modified").
	reField = lazyre.New(`\b((?:messages|system|tools)\.\d+(?:\.(?:[a-z_]+|\d+))*|thinking\.budget_tokens):\s`)
	reTitle = lazyre.New(`(?is)<title>(.*?)</title>`)
	reEdge  = lazyre.New(`(?i)\bapi\.anthropic\.com \| (5\d\d):`)
	// An Anthropic error object, or an HTML page, as the string value of
	// another service's "message" or "detail" field.
	reRelayed = lazyre.New(`(?i)["'](?:message|detail)["']\s*:\s*["']\s*(?:\{\s*\\?["']type|\d{3}:\s*<html|Error code: \d{3})|["']detail["']\s*:\s*\{`)
	// A server's access log line for the Messages API: the paste is the
	// log of a gateway the user runs.
	reAccessLog = lazyre.New(`"(?:POST|GET) /v1/messages[^"]*HTTP/[0-9.]+"\s+\d{3}`)
	reTarget    = lazyre.New(`(?i)(?:request to\s+|url['"]?\s*[=:]\s*['"]?|(?:GET|POST|Get|Post)\s+"|curl\s+(?:-\S+\s+)*|\(url=)(?:https?://)([a-z0-9.-]+)`)
	reHTTPSProx = lazyre.New(`(?i)\bhttps?_proxy\s*=\s*["']?https://`)
	// Claude Code names the gateway a 5xx came from: "If it persists,
	// check your inference gateway (172.21.0.18:8317)."
	reInferenceGW = lazyre.New(`(?i)check your inference gateway \(\s*(?:https?://)?([a-z0-9.-]+)`)
	// A page to add credits or pay on, as an error links it: whose
	// account ran out is that host's.
	reBillingURL = lazyre.New(`(?i)https?://([a-z0-9.-]+\.[a-z]{2,})(?::\d+)?/[^\s"'<>)]*(?:credit|billing|balance|top-?up|recharge)`)
	reUpstream   = lazyre.New(`["']provider_name["']\s*:\s*["']([^"']+)["']`)
	// A relay's status as its error body gives it: {"error":{"code":413}}.
	reCodeStatus = lazyre.New(`["']code["']\s*:\s*([45]\d\d)\b`)
	// FastAPI's and Django REST's error body: a server that is not
	// Anthropic's answered.
	reDetailBody = lazyre.New(`\{\s*"detail"\s*:\s*"`)
	// An error body whose "error" is a string ({"error":"Invalid API
	// Key"}): Anthropic's error is always an object. The string's first
	// word tells a log line apart (Claude Code's {"error":"Error: 401 …",
	// "timestamp": …}).
	reErrorString = lazyre.New(`\{\s*"error"\s*:\s*"([A-Za-z]*)`)
)

// Read reads error text. It does not redact: callers redact first.
func Read(text string) Clues {
	var p Clues
	p.flat = unescape(text)
	p.lower = oneSpace(strings.ToLower(p.flat))
	p.squash, p.squashAt = squashed(p.flat)

	type at struct{ pos, status int }
	var found []at
	for _, s := range reStatus {
		if s.needle != "" && !strings.Contains(p.lower, s.needle) {
			continue
		}
		for _, m := range s.re.FindAllStringSubmatchIndex(p.flat, -1) {
			if n, _ := strconv.Atoi(p.flat[m[2]:m[3]]); n >= 400 && n <= 599 {
				found = append(found, at{m[2], n})
			}
		}
	}
	// In the order they appear: the last is the outcome.
	slices.SortStableFunc(found, func(a, b at) int { return a.pos - b.pos })
	for _, f := range found {
		p.statuses = append(p.statuses, f.status)
	}
	if len(p.statuses) == 0 {
		// The SDKs name an API error by its status: a paste of
		// "anthropic.AuthenticationError" alone is a 401.
		// Another library's class of the same name (litellm's,
		// openai's) is its own.
		for _, m := range reSDKError.FindAllStringSubmatch(p.flat, -1) {
			if m[1] == "" || strings.EqualFold(m[1], "anthropic") {
				p.statuses = append(p.statuses, sdkErrorStatus[m[2]])
				p.sdkClass = m[0]
				break
			}
		}
	}
	for _, m := range reType.FindAllStringSubmatch(p.flat, -1) {
		t := m[1]
		switch {
		case anthropicTypes[t]:
			p.types = appendNew(p.types, t)
		case t != "error" && (strings.HasSuffix(t, "_error") || strings.Contains(t, "Request") || strings.Contains(t, "Parameter")):
			p.foreign = appendNew(p.foreign, t)
		}
	}
	// A terminal may have wrapped the type itself ("api_\n    error").
	for _, m := range reSquashType.FindAllStringSubmatch(p.squash, -1) {
		if t, ok := squashedTypes[m[1]]; ok {
			p.types = appendNew(p.types, t)
		}
	}
	for _, m := range reCode.FindAllStringSubmatch(p.flat, -1) {
		if c := m[1]; anthropicTypes[c] || strings.HasSuffix(c, "_error") || strings.Contains(c, "Parameter") {
			if !anthropicTypes[c] {
				p.foreign = appendNew(p.foreign, c)
			}
		}
	}
	if m := reMsg.FindStringSubmatch(p.flat); m != nil {
		p.message = strings.TrimSpace(m[1] + m[2])
	} else if m := reMsgBare.FindStringSubmatch(p.flat); m != nil {
		p.message = strings.TrimSpace(m[1])
	} else if m := reRejected.FindStringSubmatch(p.flat); m != nil {
		// Claude Code's "Request rejected (429) · Rate limited": the
		// words after the dot are the upstream's message, the status
		// before it only that it was refused.
		p.message = strings.TrimSpace(m[1])
	}
	if m := reField.FindStringSubmatch(p.flat); m != nil {
		p.field = m[1]
	}
	p.requestID = reRequestID.FindString(p.flat)
	p.envelope = p.requestID != "" && reEnvelope.MatchString(p.flat)
	if m := reTitle.FindStringSubmatch(p.flat); m != nil {
		p.title = oneSpace(m[1])
	}
	p.html = strings.Contains(p.lower, "<!doctype html") || strings.Contains(p.lower, "<html")
	p.anthropicEdge = reEdge.MatchString(p.flat)
	p.relayed = reRelayed.MatchString(text) || reRelayed.MatchString(p.flat)
	p.accessLog = reAccessLog.MatchString(p.flat)
	for _, m := range reTarget.FindAllStringSubmatch(p.flat, -1) {
		p.targets = appendNew(p.targets, strings.ToLower(m[1]))
	}
	for _, m := range reInferenceGW.FindAllStringSubmatch(p.flat, -1) {
		p.targets = appendNew(p.targets, strings.ToLower(m[1]))
	}
	p.httpsProxy = reHTTPSProx.MatchString(p.flat)
	p.relay = relayOf(p.lower)
	if m := reUpstream.FindStringSubmatch(p.flat); m != nil && !strings.EqualFold(m[1], "null") {
		p.upstream = m[1]
	}
	for _, m := range reBillingURL.FindAllStringSubmatch(p.flat, -1) {
		if h := strings.ToLower(m[1]); !probe.AnthropicHost(h) {
			p.billing = h
			break
		}
	}
	// A relay's generic message ("Provider returned error") says nothing:
	// the words of the answer it relays do.
	if strings.EqualFold(p.message, "Provider returned error") {
		for _, m := range reMsg.FindAllStringSubmatch(p.flat, -1) {
			if msg := strings.TrimSpace(m[1] + m[2]); msg != "" && !strings.EqualFold(msg, p.message) && !strings.HasPrefix(msg, "{") {
				p.message = msg
				break
			}
		}
	}
	switch {
	case reDetailBody.MatchString(p.flat):
		p.foreignBody = `{"detail": …}`
	case errorStringBody(p.flat):
		p.foreignBody = `{"error": "…"}`
	}
	return p
}

// errorStringBody reports whether flat holds an error body whose "error"
// is a string, not Anthropic's object, and not a client's log of an
// exception ("Error: …", "TypeError: …", "AxiosError: …").
func errorStringBody(flat string) bool {
	for _, m := range reErrorString.FindAllStringSubmatch(flat, -1) {
		if !strings.HasSuffix(m[1], "Error") {
			return true
		}
	}
	return false
}

// Status is the last HTTP status read, the outcome of a retry ladder; 0
// when none.
func (p Clues) Status() int {
	if len(p.statuses) == 0 {
		return 0
	}
	return p.statuses[len(p.statuses)-1]
}

// SDKClass is the SDK exception class Status was read from
// ("anthropic.AuthenticationError"), "" when the text wrote a status.
func (p Clues) SDKClass() string { return p.sdkClass }

// ErrorType is the last Anthropic error type read, "" when none.
func (p Clues) ErrorType() string {
	if len(p.types) == 0 {
		return ""
	}
	return p.types[len(p.types)-1]
}

// Message is the first error message read, RequestID the request id.
func (p Clues) Message() string   { return p.message }
func (p Clues) RequestID() string { return p.requestID }

func (p Clues) hasStatus(list []int) bool {
	for _, s := range p.statuses {
		if slices.Contains(list, s) {
			return true
		}
	}
	return false
}

// thirdPartyTarget is the first host the paste sent a request to that is
// neither Anthropic's nor another model provider's (a gateway), "" if none.
func (p Clues) thirdPartyTarget() string {
	for _, h := range p.targets {
		if !firstParty(h) {
			return h
		}
	}
	return ""
}

// relays are relays known by their own error format, and their names.
var relays = []struct{ mark, name string }{
	{"provider returned error", "OpenRouter"},
	{"openrouter", "OpenRouter"},
	{"litellm", "LiteLLM"},
	{"new_api_error", "a new-api relay"},
	{"one_api_error", "a one-api relay"},
}

// relayOf is the relay whose own words the (lower-case) text holds.
func relayOf(lower string) string {
	for _, r := range relays {
		if strings.Contains(lower, r.mark) {
			return r.name
		}
	}
	return ""
}

func firstParty(host string) bool {
	host = strings.TrimSuffix(host, ".")
	if strings.HasPrefix(host, "bedrock") && strings.HasSuffix(host, ".amazonaws.com") {
		return true // bedrock-runtime.us-east-1.amazonaws.com: Amazon Bedrock
	}
	// Google's API hosts and the docs its errors link to ("links":
	// [{"url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]) are
	// Google's, as Azure OpenAI's are Microsoft's: a provider, not a
	// gateway.
	for _, d := range []string{"anthropic.com", "claude.ai", "claude.com", "googleapis.com", "ai.google.dev",
		"api.openai.com", "openai.azure.com", "cognitiveservices.azure.com", "openrouter.ai"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// unescape undoes the layers a paste picks up: JSON string escapes (also
// JSON inside JSON strings, so repeated), HTML entities, and typographic
// quotes. Unknown escapes (Windows paths) stay as they are.
func unescape(s string) string {
	for range 4 {
		next := unescapeOnce(s)
		if next == s {
			break
		}
		s = next
	}
	s = html.UnescapeString(s)
	return strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`).Replace(s)
}

func unescapeOnce(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		switch n := s[i+1]; n {
		case '"', '\'', '/', '`':
			b.WriteByte(n)
			i++
		case '\\':
			b.WriteByte('\\')
			i++
		case 'n':
			b.WriteByte('\n')
			i++
		case 't':
			b.WriteByte('\t')
			i++
		case 'r':
			i++
		case 'u':
			if i+5 < len(s) {
				if r, err := strconv.ParseUint(s[i+2:i+6], 16, 32); err == nil {
					b.WriteRune(rune(r))
					i += 5
					continue
				}
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func oneSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// squash is the form phrases are matched in: lower case with blanks,
// quotes, backticks, hyphens, underscores and terminal decoration gone, so
// "api_\n    error" and "Output \n blocked" still read as one phrase.
func squash(s string) string {
	q, _ := squashed(s)
	return q
}

// squashed is squash with, for each byte of the result, the offset in s
// of the rune it came from.
func squashed(s string) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	at := make([]int, 0, len(s))
	var buf [utf8.UTFMax]byte
	for i, r := range s {
		r = unicode.ToLower(r)
		if unicode.IsSpace(r) || decoration(r) {
			continue
		}
		switch r {
		case '"', '\'', '`', '-', '_', '\\':
			continue
		}
		n := utf8.EncodeRune(buf[:], r)
		b.Write(buf[:n])
		for range n {
			at = append(at, i)
		}
	}
	return b.String(), at
}

// spelled is the paste's own text behind squash[i:i+n], one-spaced: what
// "matched:" quotes, so the user recognises their words ("self signed")
// rather than the signature's ("self-signed").
func (p Clues) spelled(i, n int) string {
	if i < 0 || n <= 0 || i+n > len(p.squashAt) {
		return ""
	}
	start := p.squashAt[i]
	end := len(p.flat)
	if i+n < len(p.squashAt) {
		end = p.squashAt[i+n]
	}
	// Do not carry the blanks, quotes and decoration that stand between
	// the phrase's last rune and the next kept one.
	_, size := utf8.DecodeRuneInString(p.flat[p.squashAt[i+n-1]:])
	end = min(end, p.squashAt[i+n-1]+size)
	start, end = balanced(p.flat, start, end)
	return oneSpace(p.flat[start:end])
}

// balanced widens flat[start:end] by the backtick or double quote that
// opens or closes a quote the span holds only one side of, so "matched:"
// never shows `tool_use` as tool_use` (the squash skipped the opening
// one); a stray one at an edge that has no partner outside is dropped.
func balanced(flat string, start, end int) (int, int) {
	for _, q := range []byte{'`', '"'} {
		if strings.Count(flat[start:end], string(q))%2 == 0 {
			continue
		}
		switch {
		case start > 0 && flat[start-1] == q:
			start--
		case end < len(flat) && flat[end] == q:
			end++
		case end > start && flat[start] == q:
			start++
		case end > start && flat[end-1] == q:
			end--
		}
	}
	return start, end
}

// decoration is a rune terminals draw around text: box drawing and block
// elements, Claude Code's ⎿ ⏺ ✻ ❯, emoji.
func decoration(r rune) bool {
	switch {
	case r >= 0x2500 && r <= 0x259F, r >= 0x1F300 && r <= 0x1FAFF:
		return true
	case r == '⎿' || r == '⏺' || r == '✻' || r == '❯' || r == '✶' || r == '·' || r == '…' || r == utf8.RuneError:
		return true
	case r == '∙' || r == '•' || r == '–' || r == '—':
		// Claude Code's "5-hour limit reached ∙ resets 3pm" and the dashes
		// wrapped text or a chat client puts in: separators, like '·'.
		return true
	}
	return false
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
