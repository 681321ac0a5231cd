package probe

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// AnthropicVersion is the API version header every request carries; without
// it the API answers 400.
const AnthropicVersion = "2023-06-01"

// oauthBeta must accompany a Claude subscription OAuth token
// (sk-ant-oat01-…), or the API answers "OAuth authentication is currently not
// supported."
const oauthBeta = "oauth-2025-04-20"

// APIProber probes the Claude API's cheapest endpoint, GET /v1/models: once
// without a credential (does the front door answer?) and once with the
// user's credential (is the key accepted?).
type APIProber struct {
	HTTP       *HTTPProber
	BaseURL    string     // e.g. https://api.anthropic.com, or ANTHROPIC_BASE_URL
	Credential Credential // for ProbeKey; never copied into a Result
	Timeout    time.Duration
	SlowAfter  time.Duration // latency budget; 0 means DefaultSlowAfter, < 0 never slow
	// Gateway: the base URL is one the user set (UserBaseURL), so what
	// answers there is the server the user chose — a gateway, a relay —
	// and its own answers are its words, not an interceptor's.
	Gateway bool
}

// NewAPIProber probes baseURL with hp; set Credential for ProbeKey.
func NewAPIProber(baseURL string, hp *HTTPProber) *APIProber {
	return &APIProber{HTTP: hp, BaseURL: baseURL, Gateway: UserBaseURL(baseURL)}
}

// ModelsURL is the /v1/models URL under the base URL.
func (p *APIProber) ModelsURL() string {
	return strings.TrimRight(p.BaseURL, "/") + "/v1/models"
}

// ProbeReach asks /v1/models without a credential. Anthropic's 401
// authentication_error proves the API front door answers: ClassOK. A 401
// that is not Anthropic's error JSON is, under a base URL the user set
// (Gateway), the gateway asking for a key of its own (LiteLLM's "No api
// key passed in."): it answers, ClassOK, and the probe with the key says
// whether the API answers through it; under Anthropic's own URL someone
// else answered (a proxy, a captive portal): ClassUnexpected. Other
// answers are judged by ClassifyAPIError.
func (p *APIProber) ProbeReach(ctx context.Context) Result {
	res, r, ok := p.get(ctx, TargetAPI, Credential{})
	if !ok {
		return res
	}
	switch {
	case r.Status == http.StatusUnauthorized && res.ErrorType == "authentication_error":
		res.Class, res.Message = slowOrOK(res.Phases.Total, p.SlowAfter, "API answers (401 without key, as expected)")
		res.ErrorType = ""
	case r.Status == http.StatusOK && res.Class == ClassOK:
		res.Class, res.Message = slowOrOK(res.Phases.Total, p.SlowAfter, "API answers (200 without key)")
	case r.Status == http.StatusUnauthorized && p.Gateway:
		res.Class, res.Message = slowOrOK(res.Phases.Total, p.SlowAfter,
			Line(gatewayAsks+cmp.Or(ownWords(r.Body), htmlNote(r.Body))+")", 200))
		res.ErrorType = ErrGatewayKey
	case r.Status == http.StatusUnauthorized:
		res.Class = ClassUnexpected
		res.Message = Line("401 without Anthropic's error body (a proxy or gateway answered?)"+cmp.Or(ownWords(r.Body), htmlNote(r.Body)), 200)
	}
	return res
}

// ErrGatewayKey is the ErrorType of the keyless probe's answer (ClassOK)
// at a base URL the user set whose gateway asked for a key of its own
// (its 401 not in Anthropic's words): the gateway answers, and only a
// probe with a credential can say whether the API answers through it —
// without one, nothing is known of the API there (issue 19).
const ErrGatewayKey = "gateway_key"

// gatewayAsks starts the keyless probe's message for ErrGatewayKey; its
// words follow, then ")".
const gatewayAsks = "gateway answers (401 without key: it asks for its own"

// GatewayAsksKey is what the gateway at a base URL the user set said when
// it asked the keyless probe for a key of its own: its words (": "No api
// key passed in."", ", an HTML page") or "" when it sent none; false for
// any other result.
func GatewayAsksKey(r Result) (words string, ok bool) {
	if r.Target != TargetAPI || r.ErrorType != ErrGatewayKey || !r.Class.Up() {
		return "", false
	}
	_, words, _ = strings.Cut(r.Message, gatewayAsks)
	if i := strings.LastIndex(words, ")"); i >= 0 {
		words = words[:i] // and "; slow: …" after it
	}
	return words, true
}

// ProbeKey asks /v1/models with the credential Claude Code uses and
// expects 200 with a "data" array. When both ANTHROPIC_AUTH_TOKEN and
// ANTHROPIC_API_KEY are set, the one Claude Code does not use is asked too,
// at the same time, and its answer is in Detail ("also ANTHROPIC_API_KEY:
// accepted (200)"), so the verdict can say which works. No credential ever
// appears in the Result.
func (p *APIProber) ProbeKey(ctx context.Context) Result {
	c := p.Credential
	if c.IsZero() {
		return Result{Target: TargetAPIKey, Time: time.Now(), Class: ClassUnknown, Detail: "no credential",
			Message: "no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN set"}
	}
	used, usedVar, other, otherVar := c.split()
	var alt Result
	var wg sync.WaitGroup
	if !other.IsZero() {
		wg.Go(func() { alt = p.probeKey(ctx, other, otherVar) })
	}
	res := p.probeKey(ctx, used, usedVar)
	wg.Wait()
	if !other.IsZero() {
		what := alt.Message
		if alt.Class.Up() {
			what = fmt.Sprintf("accepted (%d)", alt.HTTPStatus)
		}
		res.Detail = Line(AlsoPrefix+otherVar+": "+what, 200)
	}
	c.redactResult(&res)
	return res
}

// AlsoPrefix starts a key probe's Detail that tells how the credential
// Claude Code does not use fared.
const AlsoPrefix = "also "

// ErrUnsendable is the ErrorType of a key probe whose credential holds a
// byte no HTTP header may carry (a newline or CR from a file or a Windows
// .env): Go refuses to build the request, nothing leaves the machine, and
// the fault is the variable's, never the network's.
const ErrUnsendable = "unsendable_credential"

// unsendable says what in the secret keeps it out of an HTTP header (a
// control byte: newline, CR, NUL…), or "" when it can be sent.
func unsendable(secret string) string {
	i := strings.IndexFunc(secret, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f })
	if i < 0 {
		return ""
	}
	what := "a control character"
	switch secret[i] {
	case '\n':
		what = "a newline"
	case '\r':
		what = "a carriage return (CR)"
	}
	if strings.TrimRight(secret, " \t\r\n") == secret[:i] {
		return "ends with " + what
	}
	return "has " + what + " inside it"
}

func (p *APIProber) probeKey(ctx context.Context, c Credential, varName string) Result {
	if why := unsendable(c.APIKey + c.AuthToken); why != "" {
		return Result{Target: TargetAPIKey, Time: time.Now(), Class: ClassAuth, ErrorType: ErrUnsendable,
			Message: varName + " " + why + ", so it cannot be sent (no request was made) — remove it"}
	}
	res, r, ok := p.get(ctx, TargetAPIKey, c)
	if ok && r.Status == http.StatusOK && res.Class == ClassOK {
		var page struct {
			Data *[]json.RawMessage `json:"data"`
		}
		if json.Unmarshal(r.Body, &page) != nil || page.Data == nil {
			res.Class = ClassUnexpected
			res.Message = "200 with JSON of the wrong shape (no data array)"
		} else {
			n := len(*page.Data)
			res.Class, res.Message = slowOrOK(res.Phases.Total, p.SlowAfter,
				fmt.Sprintf("%s accepted (%d model%s listed)", c.Kind(), n, Plural(n)))
		}
	}
	return res
}

// get does the request and fills everything common to both probes. ok is
// false when the Result is final (transport failure).
func (p *APIProber) get(ctx context.Context, t Target, c Credential) (Result, HTTPResponse, bool) {
	res := Result{Target: t, Time: time.Now()}
	ctx, cancel, timeout := probeContext(ctx, p.Timeout)
	defer cancel()
	h := http.Header{
		"Accept":            {"application/json"},
		"Anthropic-Version": {AnthropicVersion},
	}
	c.headers(h)
	u := p.ModelsURL()
	r := p.HTTP.Get(ctx, u, h)
	res.HTTPStatus = r.Status
	res.Phases = r.Phases
	res.RateLimit = ParseRateLimit(r.Header)
	if r.Err != nil {
		transportResult(ctx, &res, r.Err, hostOf(u), timeout)
		res.Message = c.redact(res.Message)
		return res, r, false
	}
	// A gateway could echo the key in its error: take the credential itself
	// out of the body before any of it is read or cut, so no part of it
	// can survive a truncation. That is linear in the body (up to 1 MiB);
	// the full Redact, whose regular expressions cost about a second per
	// MiB, runs on the few bounded fields the body becomes (redactResult).
	body := c.scrub(r.Body)
	var bodyID string
	res.Class, res.ErrorType, res.Message, bodyID = ClassifyAPIError(r.Status, body)
	res.RequestID = Line(r.Header.Get("request-id"), 100)
	if res.RequestID == "" {
		res.RequestID = bodyID
	}
	if ra := res.RateLimit.RetryAfter; ra > 0 && res.Class.Failing() {
		res.Message = Line(fmt.Sprintf("%s (retry after %s)", res.Message, ra), 200)
	}
	if r.Truncated && r.Status >= 200 && r.Status < 300 {
		res.Class, res.ErrorType = ClassUnexpected, "too_large"
		res.Message = fmt.Sprintf("%s with more than %d bytes", StatusText(r.Status), len(r.Body))
	}
	whoAnswered(&res, r, body, p.Gateway, !c.IsZero())
	if r.Status == http.StatusNotFound {
		baseURLNotFound(&res, p.BaseURL, "/v1/models")
	}
	return res, r, true
}

// The ErrorTypes of a 404 under a base URL the user set (--api-url,
// ANTHROPIC_BASE_URL). The paths we ask (/v1/models, /v1/messages) are
// every Anthropic API's, so a 404 there is the base URL's — the user's
// configuration, never an outage (cold5 D34). Under Anthropic's own
// https://api.anthropic.com a 404 stays Anthropic's answer.
const (
	// ErrBaseURLV1: the base URL ends in /v1, so the request went to
	// /v1/v1/… — the SDKs, Claude Code's too, add /v1 themselves.
	ErrBaseURLV1 = "base_url_v1"
	// ErrBaseURL404: a 404 at a path every Anthropic API serves: likely
	// not the API's base URL.
	ErrBaseURL404 = "base_url_404"
)

// UserBaseURL reports whether base is not Anthropic's own API base URL
// (https://api.anthropic.com, with or without a trailing "/"): one the
// user set, a gateway's or a mistyped one.
func UserBaseURL(base string) bool {
	return !strings.EqualFold(strings.TrimRight(strings.TrimSpace(base), "/"), DefaultAPIURL)
}

// BaseURLEndsInV1 reports whether a base URL's path ends in /v1 (or
// /v1/): the classic ANTHROPIC_BASE_URL mistake.
func BaseURLEndsInV1(base string) bool {
	u, err := url.Parse(strings.TrimSpace(base))
	return err == nil && strings.HasSuffix(strings.ToLower(strings.TrimRight(u.Path, "/")), "/v1")
}

// baseURLNotFound marks a 404 at path under a base URL the user set as
// the configuration's (ErrBaseURLV1, ErrBaseURL404), in words that say
// what was asked and what to change; a 404 under Anthropic's own URL is
// left as it is.
func baseURLNotFound(res *Result, base, path string) {
	if !UserBaseURL(base) {
		return
	}
	res.Class = ClassUnexpected
	if BaseURLEndsInV1(base) {
		res.ErrorType = ErrBaseURLV1
		res.Message = "the API URL ends in /v1, so we asked /v1" + path + " and got 404 Not Found — drop the /v1 from --api-url / ANTHROPIC_BASE_URL (Claude Code adds /v1 itself)"
		return
	}
	res.ErrorType = ErrBaseURL404
	res.Message = Line("the API URL "+MaskURL(strings.TrimRight(base, "/"))+" answers 404 Not Found at "+path+
		", a path every Anthropic API serves: check --api-url / ANTHROPIC_BASE_URL", 200)
}

// ErrNotAnthropic is the ErrorType of an answer that did not come from
// Anthropic — no Anthropic error body, no request-id, not its CDN: a
// gateway's, a captive portal's or a filter's page. It is evidence about the
// path between the user and Anthropic, never about Anthropic.
const ErrNotAnthropic = "not_anthropic"

// fromAnthropic reports whether an answer came from Anthropic or its CDN
// (Cloudflare, in front of api.anthropic.com and claude.ai).
func fromAnthropic(r HTTPResponse, body []byte) bool {
	if _, ok := anthropicError(body); ok {
		return true
	}
	return r.Status == 529 || r.Header.Get("request-id") != "" || r.Header.Get("cf-ray") != "" ||
		strings.EqualFold(r.Header.Get("Server"), "cloudflare")
}

// server names who answered, from its Server header: " (squid/5.7)".
func server(h http.Header) string {
	if s := Line(h.Get("Server"), 40); s != "" {
		return " (" + s + ")"
	}
	return ""
}

// whoAnswered marks an error that someone else than Anthropic answered:
// a proxy's 407 is the proxy's (network, proxy); any other error page
// without Anthropic's marks is the path's (not_anthropic) — under a base
// URL the user set (gateway), a 5xx of its own is the gateway's report,
// and its 401 or 403 to a request with a credential (keyed) its refusal
// of that credential (ClassAuth): GatewayAnswer reads either back. The
// message says who answered, what that means, and its own words.
func whoAnswered(res *Result, r HTTPResponse, body []byte, gateway, keyed bool) {
	switch {
	case r.Status == http.StatusProxyAuthRequired:
		res.Class, res.ErrorType = ClassNetwork, NetProxy
		res.Message = Line("a proxy answered instead of the API: "+StatusText(r.Status)+server(r.Header)+
			": it wants credentials of its own", 200)
	case r.Status < 400 || fromAnthropic(r, body):
	case gateway && (r.Status >= 500 || keyed && (r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden)):
		// The server the user chose answered for itself (Envoy's
		// "upstream connect error …", nginx's 502 page): what it says is
		// about its upstream, never seen by us; its 401 refuses the
		// credential sent (LiteLLM's "Invalid proxy server token
		// passed"), the key it wants being its own.
		res.ErrorType = ErrNotAnthropic
		if r.Status < 500 {
			res.Class = ClassAuth
		}
		res.Message = Line(StatusText(r.Status)+server(r.Header)+gatewayOwn+answerWords(body), 200)
	default:
		res.ErrorType = ErrNotAnthropic
		what := "a gateway, proxy or captive portal answered, not Anthropic"
		if looksHTML(body) {
			what = "an HTML page from a gateway, proxy or captive portal, not Anthropic"
		}
		res.Message = Line(StatusText(r.Status)+server(r.Header)+": "+what+ownWords(body), 200)
	}
}

// gatewayOwn marks, in a Result's message, a gateway's own 5xx under the
// base URL the user set: "500 Internal Server Error (envoy): the
// gateway's own answer, not Anthropic's: "upstream connect error …"".
const gatewayOwn = ": the gateway's own answer, not Anthropic's"

// GatewayAnswer is what the gateway at a base URL the user set answered
// for itself without Anthropic's marks — a 5xx, or a 401/403 to the
// credential sent: its status, Server and own words ("500 Internal Server
// Error (envoy): "upstream connect error …""); false for any other result.
func GatewayAnswer(r Result) (string, bool) {
	if r.ErrorType != ErrNotAnthropic || r.HTTPStatus < 400 {
		return "", false
	}
	head, words, ok := strings.Cut(r.Message, gatewayOwn)
	if !ok {
		return "", false
	}
	return head + words, true
}

// answerWords is an error body's own words, quoted after ": ": Anthropic's
// shape's message, a plain-text body's first line (Envoy's "upstream
// connect error …"), or an HTML page's title; "" when it says nothing.
func answerWords(body []byte) string {
	if e, ok := ParseAPIError(body); ok && e.Message != "" {
		// Cut before quoting, so the quote closes within the message.
		return ": " + Quote(Line(e.Message, 100))
	}
	if looksHTML(body) {
		if t := htmlTitle(body); t != "" {
			return ", a page titled " + Quote(t)
		}
		return htmlNote(body)
	}
	if json.Valid(body) {
		return ""
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
	if line = Line(strings.TrimSpace(line), 120); line != "" {
		return ": " + Quote(line)
	}
	return ""
}

// ownWords quotes the message of an error body in Anthropic's shape that
// someone else answered (": \"Invalid proxy server token passed…\""): its
// own words say what it refused and why. "" when the body has none.
func ownWords(body []byte) string {
	if e, ok := ParseAPIError(body); ok && e.Message != "" {
		return ": " + Quote(e.Message)
	}
	return ""
}
