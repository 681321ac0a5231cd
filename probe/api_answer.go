package probe

import (
	"cmp"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// APIError is what Anthropic's error body says:
// {"type":"error","error":{"type":…,"message":…},"request_id":…}, as sent
// (not sanitised; the request id may be absent or null: "").
type APIError struct {
	Type      string // error.type: authentication_error, overloaded_error …
	Message   string // error.message
	RequestID string // request_id
}

// apiErrorBody is the wire form APIError is read from.
type apiErrorBody struct {
	Type  jString `json:"type"`
	Error *struct {
		Type    jString `json:"type"`
		Message jString `json:"message"`
	} `json:"error"`
	RequestID jString `json:"request_id"`
}

// ParseAPIError returns the body's error when it is Anthropic's error JSON
// (error.type set; the top-level type, when present, is "error").
func ParseAPIError(body []byte) (APIError, bool) {
	var e apiErrorBody
	if json.Unmarshal(body, &e) != nil || e.Error == nil || e.Error.Type == "" {
		return APIError{}, false
	}
	if e.Type != "" && e.Type != "error" {
		return APIError{}, false
	}
	return APIError{Type: string(e.Error.Type), Message: string(e.Error.Message), RequestID: string(e.RequestID)}, true
}

// AnthropicErrorTypes are the error.type values Anthropic's API sends
// (reference §2.1). A body of the same shape with another type — LiteLLM's
// "auth_error", a relay's own — is someone else's words.
var AnthropicErrorTypes = map[string]bool{
	"invalid_request_error": true, "authentication_error": true, "billing_error": true,
	"permission_error": true, "not_found_error": true, "request_too_large": true,
	"rate_limit_error": true, "api_error": true, "timeout_error": true, "overloaded_error": true,
}

// anthropicError returns the body's error when it is in Anthropic's own
// words: an error.type Anthropic sends, or its envelope with a req_ request
// id (a type added since the reference still comes with Anthropic's id).
func anthropicError(body []byte) (APIError, bool) {
	e, ok := ParseAPIError(body)
	return e, ok && (AnthropicErrorTypes[e.Type] || strings.HasPrefix(e.RequestID, "req_"))
}

// ClassifyAPIError judges one Claude API answer by its status and body
// (reference §2.1–2.3). It returns the class, Anthropic's error.type (or a
// short kind of our own when the body has none), a sanitised message, and the
// body's request_id (which may be absent or null: "").
//
//   - 401 authentication_error, 403 permission_error: auth
//   - 402, billing_error, 400 "credit balance is too low" or "organization
//     has been disabled": billing
//   - other 400 and 4xx: unexpected, keeping error.type
//   - 429: rate_limited; 529 or overloaded_error: overloaded
//   - 500 api_error, 502, 503, 504 timeout_error, other 5xx: server
//   - 2xx: ok, unless the body is HTML or not JSON: unexpected
//   - 401/403 without Anthropic's error body: unexpected (someone else
//     answered)
func ClassifyAPIError(status int, body []byte) (class Class, errType, message, requestID string) {
	e, isAPI := anthropicError(body)
	if isAPI {
		errType = Line(e.Type, 60)
		requestID = Line(e.RequestID, 100)
	}
	apiMsg := e.Message
	lower := strings.ToLower(apiMsg)
	// describe: "400 invalid_request_error: This organization has been disabled."
	describe := func() string {
		s := strconv.Itoa(status)
		if errType != "" {
			s += " " + errType
		} else {
			s = StatusText(status)
		}
		if apiMsg != "" {
			s += ": " + apiMsg
		} else if !isAPI {
			s += htmlNote(body)
		}
		return Line(s, 200)
	}

	switch {
	case status >= 200 && status < 300:
		switch {
		case looksHTML(body):
			return ClassUnexpected, "html", Line(StatusText(status)+" with "+htmlWhat(body)+", not API JSON", 200), requestID
		case !json.Valid(body):
			return ClassUnexpected, "not_json", Line(StatusText(status)+" with a body that is not JSON", 200), requestID
		}
		return ClassOK, "", StatusText(status), requestID
	case errType == "overloaded_error" || status == 529:
		return ClassOverloaded, cmp.Or(errType, "overloaded_error"), describe(), requestID
	case errType == "billing_error" || status == http.StatusPaymentRequired:
		return ClassBilling, cmp.Or(errType, "billing_error"), describe(), requestID
	case isAPI && (strings.Contains(lower, "credit balance is too low") || strings.Contains(lower, "organization has been disabled")):
		return ClassBilling, errType, describe(), requestID
	case status == http.StatusTooManyRequests:
		return ClassRateLimited, cmp.Or(errType, "rate_limit_error"), describe(), requestID
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		if isAPI {
			return ClassAuth, errType, describe(), requestID
		}
		return ClassUnexpected, ErrNotAnthropic, describe(), requestID
	case status >= 500:
		return ClassServer, cmp.Or(errType, StatusErrorType(status)), describe(), requestID
	}
	return ClassUnexpected, cmp.Or(errType, StatusErrorType(status)), describe(), requestID
}

// ParseRateLimit reads anthropic-ratelimit-{requests,tokens}-{limit,
// remaining,reset} (reset is RFC 3339) and retry-after (seconds; also
// retry-after-ms). Absent or malformed headers stay zero.
func ParseRateLimit(h http.Header) RateLimit {
	var rl RateLimit
	num := func(name string) int64 {
		n, err := strconv.ParseInt(strings.TrimSpace(h.Get(name)), 10, 64)
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	when := func(name string) time.Time {
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(h.Get(name)))
		if err != nil {
			return time.Time{}
		}
		return t
	}
	rl.RequestsLimit = num("anthropic-ratelimit-requests-limit")
	rl.RequestsRemaining = num("anthropic-ratelimit-requests-remaining")
	rl.RequestsReset = when("anthropic-ratelimit-requests-reset")
	rl.TokensLimit = num("anthropic-ratelimit-tokens-limit")
	rl.TokensRemaining = num("anthropic-ratelimit-tokens-remaining")
	rl.TokensReset = when("anthropic-ratelimit-tokens-reset")
	if s := strings.TrimSpace(h.Get("retry-after")); s != "" {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f < 1e6 {
			rl.RetryAfter = time.Duration(f * float64(time.Second))
		}
	}
	if rl.RetryAfter == 0 {
		if ms := num("retry-after-ms"); ms > 0 && ms < 1e9 {
			rl.RetryAfter = time.Duration(ms) * time.Millisecond
		}
	}
	return rl
}
