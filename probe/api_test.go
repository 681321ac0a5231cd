package probe

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Real bodies from reference §2.2–2.3.
const (
	bodyInvalidKey   = `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`
	bodyMissingKey   = `{"type":"error","error":{"type":"authentication_error","message":"x-api-key header is required"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fz"}`
	bodyOAuth        = `{"type":"error","error":{"type":"authentication_error","message":"OAuth authentication is currently not supported."},"request_id":"req_011CSSdA5fqJCVm1m4XMjNks"}`
	bodyRevoked      = `{"type":"error","error":{"type":"permission_error","message":"OAuth token has been revoked. Please obtain a new token."},"request_id":null}`
	bodyCredit       = `{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."},"request_id":"req_011CXF1SZ3S3oXChsdxhoUwA"}`
	bodyOrgDisabled  = `{"type":"error","error":{"type":"invalid_request_error","message":"This organization has been disabled."},"request_id":"req_011CXF1SZ3S3oXChsdxhoUwV"}`
	bodyBadVersion   = `{"type":"error","error":{"type":"invalid_request_error","message":"anthropic-version: header is required"},"request_id":"req_1"}`
	bodyBilling      = `{"type":"error","error":{"type":"billing_error","message":"There's an issue with your billing or payment information."},"request_id":"req_2"}`
	bodyNotFound     = `{"type":"error","error":{"type":"not_found_error","message":"Not found"},"request_id":"req_3"}`
	bodyRateLimit    = `{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed your account's rate limit. Please try again later."},"request_id":"req_4"}`
	bodyAPIError     = `{"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_011CXPBk57rUbKp5XVtievhP"}`
	bodyTimeout      = `{"type":"error","error":{"type":"timeout_error","message":"Request timed out"},"request_id":"req_5"}`
	bodyOverloaded   = `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":null}`
	bodyOverloadedNL = `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded.\nhttps://docs.claude.com/en/api/errors"}}`
	bodyCFHTML       = `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>`
)

func TestClassifyAPIError(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		class   Class
		errType string
		msg     string
		reqID   string
	}{
		{"200 models", 200, `{"data":[]}`, ClassOK, "", "200 OK", ""},
		{"200 html", 200, `<!DOCTYPE html><title>Just a moment...</title>`, ClassUnexpected, "html", "200 OK with a browser challenge page, not API JSON", ""},
		{"200 not json", 200, `OK`, ClassUnexpected, "not_json", "200 OK with a body that is not JSON", ""},
		{"401 invalid key", 401, bodyInvalidKey, ClassAuth, "authentication_error", "401 authentication_error: invalid x-api-key", "req_011CSHoEeqs5C35K2UUqR7Fy"},
		{"401 oauth", 401, bodyOAuth, ClassAuth, "authentication_error", "OAuth authentication is currently not supported.", "req_011CSSdA5fqJCVm1m4XMjNks"},
		{"401 not anthropic", 401, `<html>Unauthorized</html>`, ClassUnexpected, "not_anthropic", "401 Unauthorized, an HTML page", ""},
		{"403 revoked", 403, bodyRevoked, ClassAuth, "permission_error", "OAuth token has been revoked", ""},
		{"403 cloudflare", 403, `<!DOCTYPE html><title>Attention Required! | Cloudflare</title>`, ClassUnexpected, "not_anthropic", "403 Forbidden", ""},
		{"402", 402, bodyBilling, ClassBilling, "billing_error", "402 billing_error: There's an issue", "req_2"},
		{"402 no body", 402, ``, ClassBilling, "billing_error", "402 Payment Required", ""},
		{"400 credit", 400, bodyCredit, ClassBilling, "invalid_request_error", "Your credit balance is too low", "req_011CXF1SZ3S3oXChsdxhoUwA"},
		{"400 org disabled", 400, bodyOrgDisabled, ClassBilling, "invalid_request_error", "400 invalid_request_error: This organization has been disabled.", "req_011CXF1SZ3S3oXChsdxhoUwV"},
		{"400 other", 400, bodyBadVersion, ClassUnexpected, "invalid_request_error", "anthropic-version: header is required", "req_1"},
		{"404", 404, bodyNotFound, ClassUnexpected, "not_found_error", "404 not_found_error: Not found", "req_3"},
		{"429", 429, bodyRateLimit, ClassRateLimited, "rate_limit_error", "429 rate_limit_error: This request would exceed", "req_4"},
		{"429 bare", 429, ``, ClassRateLimited, "rate_limit_error", "429 Too Many Requests", ""},
		{"500", 500, bodyAPIError, ClassServer, "api_error", "500 api_error: Internal server error", "req_011CXPBk57rUbKp5XVtievhP"},
		{"502 html", 502, bodyCFHTML, ClassServer, "http_502", "502 Bad Gateway, an HTML page", ""},
		{"503", 503, ``, ClassServer, "http_503", "503 Service Unavailable", ""},
		{"504", 504, bodyTimeout, ClassServer, "timeout_error", "504 timeout_error: Request timed out", "req_5"},
		{"529", 529, bodyOverloaded, ClassOverloaded, "overloaded_error", "529 overloaded_error: Overloaded", ""},
		{"529 newline", 529, bodyOverloadedNL, ClassOverloaded, "overloaded_error", "Overloaded. https://docs.claude.com/en/api/errors", ""},
		{"529 bare", 529, ``, ClassOverloaded, "overloaded_error", "529 Overloaded", ""},
		{"escape in message", 500, `{"type":"error","error":{"type":"api_error","message":"\u001b]52;c;ZXZpbA==\u0007boom"}}`, ClassServer, "api_error", "500 api_error: boom", ""},
		{"wrong top type", 401, `{"type":"message","error":{"type":"authentication_error"}}`, ClassUnexpected, "not_anthropic", "401 Unauthorized", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, typ, msg, id := ClassifyAPIError(tt.status, []byte(tt.body))
			if c != tt.class || typ != tt.errType || !strings.Contains(msg, tt.msg) || id != tt.reqID {
				t.Errorf("got %v %q %q %q, want %v %q containing %q, id %q", c, typ, msg, id, tt.class, tt.errType, tt.msg, tt.reqID)
			}
			if strings.ContainsAny(msg, "\x1b\x07\n") {
				t.Errorf("message not sanitised: %q", msg)
			}
		})
	}
}

func TestParseRateLimit(t *testing.T) {
	h := http.Header{}
	h.Set("anthropic-ratelimit-requests-limit", "1000")
	h.Set("anthropic-ratelimit-requests-remaining", "999")
	h.Set("anthropic-ratelimit-requests-reset", "2025-08-21T12:40:59Z")
	h.Set("anthropic-ratelimit-tokens-limit", "96000")
	h.Set("anthropic-ratelimit-tokens-remaining", "96000")
	h.Set("anthropic-ratelimit-tokens-reset", "2025-08-21T12:41:00.5Z")
	h.Set("retry-after", "30")
	rl := ParseRateLimit(h)
	want := RateLimit{
		RequestsLimit: 1000, RequestsRemaining: 999, RequestsReset: time.Date(2025, 8, 21, 12, 40, 59, 0, time.UTC),
		TokensLimit: 96000, TokensRemaining: 96000, TokensReset: time.Date(2025, 8, 21, 12, 41, 0, 5e8, time.UTC),
		RetryAfter: 30 * time.Second,
	}
	if !rl.RequestsReset.Equal(want.RequestsReset) || !rl.TokensReset.Equal(want.TokensReset) {
		t.Errorf("resets %v %v", rl.RequestsReset, rl.TokensReset)
	}
	rl.RequestsReset, rl.TokensReset, want.RequestsReset, want.TokensReset = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if rl != want {
		t.Errorf("got %+v\nwant %+v", rl, want)
	}
	if !ParseRateLimit(http.Header{}).IsZero() {
		t.Error("no headers must give a zero RateLimit")
	}
	bad := http.Header{}
	bad.Set("anthropic-ratelimit-requests-limit", "lots")
	bad.Set("anthropic-ratelimit-requests-reset", "tomorrow")
	bad.Set("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")
	if rl := ParseRateLimit(bad); !rl.IsZero() {
		t.Errorf("malformed headers: %+v", rl)
	}
	ms := http.Header{}
	ms.Set("retry-after-ms", "1500")
	if rl := ParseRateLimit(ms); rl.RetryAfter != 1500*time.Millisecond {
		t.Errorf("retry-after-ms: %v", rl.RetryAfter)
	}
}

// anthropicLike answers like the API: status, body and headers per test.
func anthropicLike(status int, body string, hdr ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/models" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func TestAPIProbeReach(t *testing.T) {
	tests := []struct {
		name    string
		h       http.HandlerFunc
		class   Class
		errType string
		msg     string
		reqID   string
	}{
		{"401 anthropic", anthropicLike(401, bodyMissingKey, "request-id", "req_hdr"), ClassOK, "", "API answers (401 without key, as expected)", "req_hdr"},
		{"401 body id only", anthropicLike(401, bodyMissingKey), ClassOK, "", "401 without key", "req_011CSHoEeqs5C35K2UUqR7Fz"},
		{"200", anthropicLike(200, `{"data":[]}`), ClassOK, "", "API answers (200 without key)", ""},
		{"401 not anthropic", anthropicLike(401, `<html><body>Login to the corporate proxy</body></html>`), ClassUnexpected, "not_anthropic", "401 without Anthropic's error body", ""},
		{"200 html", anthropicLike(200, string(fixture(t, "challenge.html"))), ClassUnexpected, "html", "a browser challenge page", ""},
		// A gateway's own JSON in Anthropic's shape but a type Anthropic never
		// sends (LiteLLM's real 401, cold8 E3): someone else answered, in its words.
		{"401 gateway json", anthropicLike(401, bodyLiteLLM401), ClassUnexpected, ErrNotAnthropic, `401 without Anthropic's error body (a proxy or gateway answered?): "Authentication Error, Invalid proxy server token passed.`, ""},
		// The same under a base URL the user set: the gateway the user
		// chose asks for a key of its own (issue 19 E1) — it answers.
		{"gateway: 401 in its own json", anthropicLike(401, bodyLiteLLMNoKey), ClassOK, ErrGatewayKey, `gateway answers (401 without key: it asks for its own: "Authentication Error, No api key passed in.")`, ""},
		{"gateway: 401 html", anthropicLike(401, `<html><body>Sign in</body></html>`), ClassOK, ErrGatewayKey, "gateway answers (401 without key: it asks for its own, an HTML page)", ""},
		{"gateway: Anthropic's 401 relayed", anthropicLike(401, bodyMissingKey, "request-id", "req_hdr"), ClassOK, "", "API answers (401 without key, as expected)", "req_hdr"},
		{"gateway: its own 500", anthropicLike(500, "upstream connect error or disconnect/reset before headers. reset reason: connection failure\n", "Server", "envoy", "Content-Type", "text/plain"), ClassServer, ErrNotAnthropic,
			`500 Internal Server Error (envoy): the gateway's own answer, not Anthropic's: "upstream connect error or disconnect/reset before headers. reset reason: connection failure"`, ""},
		{"400 version", anthropicLike(400, bodyBadVersion), ClassUnexpected, "invalid_request_error", "anthropic-version", "req_1"},
		{"429", anthropicLike(429, bodyRateLimit, "retry-after", "12"), ClassRateLimited, "rate_limit_error", "(retry after 12s)", "req_4"},
		{"500", anthropicLike(500, bodyAPIError), ClassServer, "api_error", "Internal server error", "req_011CXPBk57rUbKp5XVtievhP"},
		{"502", anthropicLike(502, bodyCFHTML, "cf-ray", "8f1c2d3e4a5b6c7e-FRA"), ClassServer, "http_502", "502 Bad Gateway", ""},
		{"503", anthropicLike(503, ``, "Server", "cloudflare"), ClassServer, "http_503", "503 Service Unavailable", ""},
		// Someone else answered: no request-id, no Anthropic body, not its CDN.
		{"502 from a gateway", anthropicLike(502, `<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>`, "Server", "nginx/1.24.0"),
			ClassServer, ErrNotAnthropic, "502 Bad Gateway (nginx/1.24.0): an HTML page from a gateway, proxy or captive portal, not Anthropic", ""},
		{"503 bare", anthropicLike(503, ``), ClassServer, ErrNotAnthropic, "503 Service Unavailable: a gateway, proxy or captive portal answered, not Anthropic", ""},
		{"407 from a proxy", anthropicLike(407, `<html><title>ERROR: Cache Access Denied</title></html>`, "Server", "squid/5.7"),
			ClassNetwork, NetProxy, "a proxy answered instead of the API: 407 Proxy Authentication Required (squid/5.7)", ""},
		{"504", anthropicLike(504, bodyTimeout), ClassServer, "timeout_error", "504 timeout_error", "req_5"},
		{"529", anthropicLike(529, bodyOverloaded), ClassOverloaded, "overloaded_error", "529 overloaded_error: Overloaded", ""},
		{"timeout", hang, ClassNetwork, NetTimeout, "timed out after 50ms", ""},
		{"reset", resetMidBody, ClassNetwork, NetReset, "", ""},
		{"redirect loop", redirectLoop, ClassUnexpected, "redirect", "redirect loop", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("x-api-key") != "" || r.Header.Get("Authorization") != "" {
					t.Errorf("reachability probe sent a credential")
				}
				if r.Header.Get("anthropic-version") != "2023-06-01" {
					t.Errorf("anthropic-version %q", r.Header.Get("anthropic-version"))
				}
				tt.h(w, r)
			})
			p := NewAPIProber(srv.URL, testProber())
			if !p.Gateway {
				t.Fatalf("a test server's URL %s is not one the user set", srv.URL)
			}
			// The rows judge answers under Anthropic's own URL, but for
			// the gateway's.
			p.Gateway = strings.HasPrefix(tt.name, "gateway: ")
			p.SlowAfter = -1
			p.Timeout = 5 * time.Second
			if tt.name == "timeout" {
				p.Timeout = 50 * time.Millisecond
			}
			res := p.ProbeReach(context.Background())
			if res.Target != TargetAPI || res.Time.IsZero() {
				t.Errorf("target %q time %v", res.Target, res.Time)
			}
			if res.Class != tt.class || res.ErrorType != tt.errType || !strings.Contains(res.Message, tt.msg) || res.RequestID != tt.reqID {
				t.Errorf("got %v %q %q id %q, want %v %q containing %q id %q", res.Class, res.ErrorType, res.Message, res.RequestID, tt.class, tt.errType, tt.msg, tt.reqID)
			}
		})
	}
}

// TestGatewayAsksKey: the keyless probe's 401 from the gateway at a base
// URL the user set is read back as its request for a key of its own, in
// its words (issue 19): the judge cannot take it for the API answering.
func TestGatewayAsksKey(t *testing.T) {
	tests := []struct {
		name    string
		h       http.HandlerFunc
		gateway bool
		want    string
		ok      bool
	}{
		{"litellm", anthropicLike(401, bodyLiteLLMNoKey), true, `: "Authentication Error, No api key passed in."`, true},
		{"html", anthropicLike(401, `<html><body>Sign in</body></html>`), true, ", an HTML page", true},
		{"no words", anthropicLike(401, ``), true, "", true},
		{"Anthropic's 401 relayed", anthropicLike(401, bodyMissingKey, "request-id", "req_hdr"), true, "", false},
		{"not the user's URL", anthropicLike(401, bodyLiteLLMNoKey), false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewAPIProber(serve(t, tt.h).URL, testProber())
			p.Gateway, p.SlowAfter, p.Timeout = tt.gateway, -1, 5*time.Second
			res := p.ProbeReach(context.Background())
			got, ok := GatewayAsksKey(res)
			if got != tt.want || ok != tt.ok {
				t.Errorf("GatewayAsksKey = %q, %v; want %q, %v (result %v %q %q)", got, ok, tt.want, tt.ok, res.Class, res.ErrorType, res.Message)
			}
		})
	}
}

// TestGatewayAnswer: a 5xx the gateway at a base URL the user set answers
// for itself is read back as its status, Server and own words (Envoy's
// text, nginx's page title, LiteLLM's JSON message) — the verdict quotes
// it (issue 19 E3); under Anthropic's own URL, or with Anthropic's marks,
// it is no gateway's answer.
func TestGatewayAnswer(t *testing.T) {
	tests := []struct {
		name    string
		h       http.HandlerFunc
		gateway bool
		want    string // "": not a gateway's own answer
	}{
		{"envoy", anthropicLike(500, "upstream connect error or disconnect/reset before headers. reset reason: connection failure", "Server", "envoy", "Content-Type", "text/plain"), true,
			`500 Internal Server Error (envoy): "upstream connect error or disconnect/reset before headers. reset reason: connection failure"`},
		{"nginx page", anthropicLike(502, `<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`, "Server", "nginx/1.24.0"), true,
			`502 Bad Gateway (nginx/1.24.0), a page titled "502 Bad Gateway"`},
		{"litellm json", anthropicLike(500, `{"error":{"message":"litellm.APIConnectionError: connection refused","type":"api_connection_error","param":null,"code":"500"}}`), true,
			`500 Internal Server Error: "litellm.APIConnectionError: connection refused"`},
		{"empty", anthropicLike(503, ``), true, `503 Service Unavailable`},
		{"control bytes", anthropicLike(500, "boom\x1b[31m red\x07", "Server", "envoy"), true, `500 Internal Server Error (envoy): "boom red"`},
		{"Anthropic's own 500 relayed", anthropicLike(500, bodyAPIError), true, ""},
		{"not the user's URL", anthropicLike(500, "upstream connect error", "Server", "envoy"), false, ""},
		{"a 4xx", anthropicLike(404, "not here", "Server", "envoy"), true, ""},
		// Its 401 or 403 to the credential sent is its refusal of it
		// (the probe with the key only: without one it asks for its own).
		{"key refused", anthropicLike(401, bodyLiteLLM401), true, "key:" + `401 Unauthorized: "Authentication Error, Invalid proxy server token passed. Received API Key = sk-...AAAA, Key Hash (T…"`},
		{"key forbidden", anthropicLike(403, "forbidden", "Server", "envoy"), true, "key:" + `403 Forbidden (envoy): "forbidden"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewAPIProber(serve(t, tt.h).URL, testProber())
			p.Gateway, p.SlowAfter, p.Timeout = tt.gateway, -1, 5*time.Second
			for _, res := range []Result{p.ProbeReach(context.Background()), func() Result {
				p.Credential = Credential{APIKey: "sk-ant-api03-GATEWAYTEST"}
				return p.ProbeKey(context.Background())
			}()} {
				want := tt.want
				if w, keyOnly := strings.CutPrefix(want, "key:"); keyOnly {
					want = map[bool]string{true: w}[res.Target == TargetAPIKey]
				}
				got, ok := GatewayAnswer(res)
				if ok != (want != "") || got != want {
					t.Errorf("%s: GatewayAnswer = %q, %v; want %q (message %q)", res.Target, got, ok, want, res.Message)
				}
				if res.Target == TargetAPIKey && want != "" && res.HTTPStatus < 500 && res.Class != ClassAuth {
					t.Errorf("the gateway's refusal of the key is class %v, want auth", res.Class)
				}
			}
		})
	}
}

func TestAPIProbeReachNetworkAndSlow(t *testing.T) {
	res := NewAPIProber(refusedURL(t), testProber()).ProbeReach(context.Background())
	if res.Class != ClassNetwork || res.ErrorType != NetRefused {
		t.Errorf("refused: %+v", res)
	}
	res = NewAPIProber("http://nonexistent.invalid", testProber()).ProbeReach(context.Background())
	if res.Class != ClassNetwork || res.ErrorType != NetDNS || !strings.Contains(res.Message, "nonexistent.invalid") {
		t.Errorf("dns: %+v", res)
	}
	srv := serve(t, anthropicLike(401, bodyMissingKey))
	p := NewAPIProber(srv.URL, testProber())
	p.SlowAfter = time.Nanosecond
	if res := p.ProbeReach(context.Background()); res.Class != ClassSlow {
		t.Errorf("over budget: %+v", res)
	}
}

func TestAPIProbeKey(t *testing.T) {
	models := string(fixture(t, "models_list.json"))
	rlHeaders := []string{
		"request-id", "req_011CSLsW7mFqvHHnzrKdKjAE",
		"anthropic-ratelimit-requests-limit", "1000",
		"anthropic-ratelimit-requests-remaining", "999",
		"anthropic-ratelimit-requests-reset", "2025-08-21T12:40:59Z",
	}
	tests := []struct {
		name    string
		h       http.HandlerFunc
		class   Class
		errType string
		msg     string
		reqID   string
	}{
		{"200", anthropicLike(200, models, rlHeaders...), ClassOK, "", "API key accepted (2 models listed)", "req_011CSLsW7mFqvHHnzrKdKjAE"},
		{"200 wrong shape", anthropicLike(200, `{"models":[]}`), ClassUnexpected, "", "no data array", ""},
		{"200 data null", anthropicLike(200, `{"data":null}`), ClassUnexpected, "", "no data array", ""},
		{"200 html", anthropicLike(200, `<!DOCTYPE html><html></html>`), ClassUnexpected, "html", "HTML page", ""},
		{"401 invalid key", anthropicLike(401, bodyInvalidKey), ClassAuth, "authentication_error", "invalid x-api-key", "req_011CSHoEeqs5C35K2UUqR7Fy"},
		{"401 oauth unsupported", anthropicLike(401, bodyOAuth), ClassAuth, "authentication_error", "OAuth authentication is currently not supported.", "req_011CSSdA5fqJCVm1m4XMjNks"},
		{"403", anthropicLike(403, bodyRevoked), ClassAuth, "permission_error", "revoked", ""},
		{"401 gateway json", anthropicLike(401, bodyLiteLLM401), ClassUnexpected, ErrNotAnthropic, `a gateway, proxy or captive portal answered, not Anthropic: "Authentication Error, Invalid proxy server token passed.`, ""},
		{"400 credit", anthropicLike(400, bodyCredit), ClassBilling, "invalid_request_error", "credit balance is too low", "req_011CXF1SZ3S3oXChsdxhoUwA"},
		{"400 org disabled", anthropicLike(400, bodyOrgDisabled), ClassBilling, "invalid_request_error", "organization has been disabled", "req_011CXF1SZ3S3oXChsdxhoUwV"},
		{"402", anthropicLike(402, bodyBilling), ClassBilling, "billing_error", "billing", "req_2"},
		{"429", anthropicLike(429, bodyRateLimit, "retry-after", "30"), ClassRateLimited, "rate_limit_error", "retry after 30s", "req_4"},
		{"500", anthropicLike(500, bodyAPIError), ClassServer, "api_error", "Internal server error", "req_011CXPBk57rUbKp5XVtievhP"},
		{"529", anthropicLike(529, bodyOverloaded), ClassOverloaded, "overloaded_error", "Overloaded", ""},
		{"huge 200", huge, ClassUnexpected, "too_large", "200 OK with more than 1048576 bytes", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.h)
			p := NewAPIProber(srv.URL, testProber())
			p.Credential = Credential{APIKey: "sk-ant-api03-test"}
			p.SlowAfter = -1
			p.Gateway = false // the rows are answers under Anthropic's URL (TestGatewayAnswer: a gateway's)
			res := p.ProbeKey(context.Background())
			if res.Target != TargetAPIKey || res.Time.IsZero() {
				t.Errorf("target %q time %v", res.Target, res.Time)
			}
			if res.Class != tt.class || res.ErrorType != tt.errType || !strings.Contains(res.Message, tt.msg) || res.RequestID != tt.reqID {
				t.Errorf("got %v %q %q id %q, want %v %q containing %q id %q", res.Class, res.ErrorType, res.Message, res.RequestID, tt.class, tt.errType, tt.msg, tt.reqID)
			}
		})
	}
}

func TestAPIProbeKeyRateLimitHeaders(t *testing.T) {
	srv := serve(t, anthropicLike(429, bodyRateLimit,
		"retry-after", "30",
		"anthropic-ratelimit-requests-limit", "50",
		"anthropic-ratelimit-requests-remaining", "0",
		"anthropic-ratelimit-requests-reset", "2026-09-03T14:00:00Z",
		"anthropic-ratelimit-tokens-limit", "40000",
		"anthropic-ratelimit-tokens-remaining", "0",
		"anthropic-ratelimit-tokens-reset", "2026-09-03T14:00:30Z"))
	p := NewAPIProber(srv.URL, testProber())
	p.Credential = Credential{APIKey: "k"}
	res := p.ProbeKey(context.Background())
	rl := res.RateLimit
	if res.Class != ClassRateLimited || rl.RetryAfter != 30*time.Second || rl.RequestsLimit != 50 || rl.RequestsRemaining != 0 ||
		rl.TokensLimit != 40000 || !rl.TokensReset.Equal(time.Date(2026, 9, 3, 14, 0, 30, 0, time.UTC)) {
		t.Errorf("%v %+v", res.Class, rl)
	}
}

func TestAPIProbeKeyHeaders(t *testing.T) {
	tests := []struct {
		name       string
		cred       Credential
		apiKey     string
		auth       string
		beta       string
		kindInText string
	}{
		{"api key", Credential{APIKey: "sk-ant-api03-abc"}, "sk-ant-api03-abc", "", "", "API key"},
		{"oauth token", Credential{AuthToken: "sk-ant-oat01-xyz"}, "", "Bearer sk-ant-oat01-xyz", "oauth-2025-04-20", "auth token"},
		{"gateway token", Credential{AuthToken: "gw-123"}, "", "Bearer gw-123", "", "auth token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan http.Header, 1)
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				got <- r.Header.Clone()
				io.WriteString(w, `{"data":[]}`)
			})
			p := NewAPIProber(srv.URL+"/", testProber()) // trailing slash is trimmed
			p.Credential = tt.cred
			p.SlowAfter = -1
			res := p.ProbeKey(context.Background())
			h := <-got
			if h.Get("x-api-key") != tt.apiKey || h.Get("Authorization") != tt.auth || h.Get("anthropic-beta") != tt.beta {
				t.Errorf("headers x-api-key %q authorization %q beta %q", h.Get("x-api-key"), h.Get("Authorization"), h.Get("anthropic-beta"))
			}
			if h.Get("anthropic-version") != "2023-06-01" || h.Get("User-Agent") != "downforai/test" {
				t.Errorf("version %q UA %q", h.Get("anthropic-version"), h.Get("User-Agent"))
			}
			if res.Class != ClassOK || !strings.HasPrefix(res.Message, tt.kindInText) {
				t.Errorf("%+v", res)
			}
		})
	}
}

// TestAPIProbeKeyJudgesWhatClaudeCodeSends: with ANTHROPIC_AUTH_TOKEN and
// ANTHROPIC_API_KEY both set, Claude Code sends the token (its order of
// precedence), so the key probe's Result is the token's; the key is asked
// too and its answer is in Detail (issue 19, defect 5).
func TestAPIProbeKeyJudgesWhatClaudeCodeSends(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("x-api-key") == "sk-ant-api03-good" && r.Header.Get("Authorization") == "" {
			io.WriteString(w, `{"data":[]}`)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"type":"error","error":{"type":"authentication_error","message":"Invalid authentication credentials"},"request_id":"req_1"}`)
	})
	p := NewAPIProber(srv.URL, testProber())
	p.Credential = Credential{APIKey: "sk-ant-api03-good", AuthToken: "gw-bad-token"}
	p.SlowAfter = -1
	res := p.ProbeKey(context.Background())
	if res.Class != ClassAuth || !strings.Contains(res.Message, "Invalid authentication credentials") {
		t.Errorf("the token's answer: %+v", res)
	}
	if res.Detail != "also ANTHROPIC_API_KEY: accepted (200)" {
		t.Errorf("Detail %q", res.Detail)
	}
	if strings.Contains(fmt.Sprintf("%+v", res), "gw-bad-token") || strings.Contains(fmt.Sprintf("%+v", res), "api03-good") {
		t.Errorf("a credential leaked: %+v", res)
	}
	// The other way round: the token works, the key does not.
	p.Credential = Credential{APIKey: "sk-ant-api03-bad", AuthToken: "sk-ant-api03-good"}
	res = p.ProbeKey(context.Background())
	if res.Detail == "" || !strings.Contains(res.Detail, "also ANTHROPIC_API_KEY: 401") {
		t.Errorf("Detail %q", res.Detail)
	}
}

func TestAPIProbeKeyNoCredential(t *testing.T) {
	res := NewAPIProber("http://127.0.0.1:1", testProber()).ProbeKey(context.Background())
	if res.Class != ClassUnknown || res.Target != TargetAPIKey || res.Time.IsZero() {
		t.Errorf("%+v", res)
	}
}

// TestAPIKeyNeverLeaks echoes the credential back in every place a server
// could (body message, request-id, error type, a redirect) and checks that
// no field of any Result holds it.
func TestAPIKeyNeverLeaks(t *testing.T) {
	const key = "sk-ant-api03-LEAKCANARY0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_0123456789abcdefghiAA"
	const token = "tok-LEAKCANARY-bearer-9f8e7d6c5b4a"
	echo := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			got := r.Header.Get("x-api-key") + r.Header.Get("Authorization")
			w.Header().Set("request-id", "req_"+got)
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"type":"error","error":{"type":"authentication_error %s","message":"invalid x-api-key: %s"},"request_id":"%s"}`, got, got, got)
		}
	}
	handlers := map[string]http.HandlerFunc{
		"401 echo": echo(401),
		"400 echo": echo(400),
		"500 echo": echo(500),
		"529 echo": echo(529),
		"200 echo": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("request-id", r.Header.Get("x-api-key")+r.Header.Get("Authorization"))
			fmt.Fprintf(w, `{"data":[{"id":%q}]}`, r.Header.Get("x-api-key"))
		},
		"html echo": func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "<html>%s</html>", r.Header.Get("x-api-key"))
		},
		// The key straddles where the message is cut to 200 runes.
		"echo at the cut": func(w http.ResponseWriter, r *http.Request) {
			got := r.Header.Get("x-api-key") + r.Header.Get("Authorization")
			w.WriteHeader(401)
			fmt.Fprintf(w, `{"type":"error","error":{"type":"authentication_error","message":"%s%s"}}`, strings.Repeat("x", 170), got)
		},
		"redirect loop": redirectLoop,
		"timeout":       hang,
		"reset":         resetMidBody,
	}
	for _, cred := range []Credential{{APIKey: key}, {AuthToken: token}, {AuthToken: "sk-ant-oat01-" + token}} {
		for name, h := range handlers {
			t.Run(cred.Kind()+"/"+name, func(t *testing.T) {
				srv := serve(t, h)
				p := NewAPIProber(srv.URL, testProber())
				p.Credential = cred
				p.Timeout = 5 * time.Second
				if name == "timeout" {
					p.Timeout = 50 * time.Millisecond
				}
				res := p.ProbeKey(context.Background())
				assertNoSecret(t, fmt.Sprintf("%+v %#v", res, res), "LEAKCANARY")
				assertNoSecret(t, fmt.Sprintf("%v %+v %#v %s", p.Credential, p.Credential, p, p.Credential), "LEAKCANARY")
			})
		}
		t.Run(cred.Kind()+"/refused", func(t *testing.T) {
			p := NewAPIProber(refusedURL(t)+"/"+key, testProber())
			p.Credential = cred
			res := p.ProbeKey(context.Background())
			assertNoSecret(t, fmt.Sprintf("%+v", res), "LEAKCANARY")
		})
	}
}

func assertNoSecret(t *testing.T, s, canary string) {
	t.Helper()
	if strings.Contains(s, canary) {
		t.Errorf("credential leaked: %s", s)
	}
}

// credentialShapedBody is a 1 MiB answer made of credential-shaped text
// (header values, assignments, JSON fields, keys): the worst input for
// Redact's expressions, each match of which allocates.
func credentialShapedBody() []byte {
	unit := `x-api-key: gw-0123456789abcdef ANTHROPIC_API_KEY=abcdefgh12345678 "accessToken":"tok-0123456789" sk-ant-api03-abc `
	return []byte(strings.Repeat(unit, MaxBodyBytes/len(unit)))
}

// TestAPIProbeKeyRedactsBoundedText: with a credential set, the key probe
// scrubs the credential from the whole body but runs Redact only on what
// the body became (a message of at most 200 runes, a type, a request id).
// Redacting the whole 1 MiB costs about a second of CPU and tens of
// thousands of allocations; counting allocations keeps the bound exact
// without timing anything.
func TestAPIProbeKeyRedactsBoundedText(t *testing.T) {
	body := credentialShapedBody()
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write(body)
	})
	p := NewAPIProber(srv.URL, testProber())
	p.Credential = Credential{APIKey: testKey("q")}
	p.Gateway = false // Anthropic's URL: the body is someone else's page
	var res Result
	allocs := testing.AllocsPerRun(2, func() { res = p.ProbeKey(context.Background()) })
	if res.Class != ClassUnexpected || res.ErrorType != "not_anthropic" {
		t.Fatalf("got %v %q %q", res.Class, res.ErrorType, res.Message)
	}
	if strings.Contains(res.Message, "0123456789abcdef") {
		t.Errorf("message not redacted: %q", res.Message)
	}
	// The exchange itself (dial, headers, reading 1 MiB) takes a few
	// hundred; Redact over the body took over 50,000.
	if allocs > 5000 {
		t.Errorf("%.0f allocations for one key probe of a 1 MiB body: Redact runs over the body, not the fields it became", allocs)
	}
}

// BenchmarkAPIProbeKeyHugeBody is one key probe against a 1 MiB answer of
// credential-shaped text: the cost of reading, scrubbing and judging it.
func BenchmarkAPIProbeKeyHugeBody(b *testing.B) {
	body := credentialShapedBody()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write(body)
	}))
	defer srv.Close()
	p := NewAPIProber(srv.URL, testProber())
	p.Credential = Credential{APIKey: testKey("q")}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		p.ProbeKey(context.Background())
	}
}

// BenchmarkRedact is Redact over a report-sized text (8 KiB) with a few
// credentials in it, what a report or a paste costs.
func BenchmarkRedact(b *testing.B) {
	s := strings.Repeat("GET https://api.anthropic.com/v1/models → 401 authentication_error · request-id req_011CSHoEeqs5C35K2UUqR7Fy\n", 70) +
		"x-api-key: " + testKey("r") + "\nANTHROPIC_AUTH_TOKEN=abcdefghijklmnop\n"
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Redact(s)
	}
}

// TestAPIProbeKeyUnsendable (cold5 D33): a credential ending in a newline or
// CR cannot go in a header; Go refuses to build the request. That is the
// variable's fault, said in words (class auth), never "network: connect"
// with Go's error, and nothing is sent.
func TestAPIProbeKeyUnsendable(t *testing.T) {
	key := "sk-ant-api03-" + strings.Repeat("a", 80) + "Xy7A"
	tests := []struct {
		name string
		cred Credential
		want string
	}{
		{"key newline", Credential{APIKey: key + "\n"}, "ANTHROPIC_API_KEY ends with a newline, so it cannot be sent (no request was made) — remove it"},
		{"key CRLF", Credential{APIKey: key + "\r\n"}, "ANTHROPIC_API_KEY ends with a carriage return (CR), so it cannot be sent"},
		{"key newline inside", Credential{APIKey: key[:20] + "\n" + key[20:]}, "ANTHROPIC_API_KEY has a newline inside it, so it cannot be sent"},
		{"token CR", Credential{AuthToken: key + "\r"}, "ANTHROPIC_AUTH_TOKEN ends with a carriage return (CR), so it cannot be sent"},
		{"token sent, bad key beside", Credential{AuthToken: key + "\n", APIKey: key}, "ANTHROPIC_AUTH_TOKEN ends with a newline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("x-api-key") != key || r.Header.Get("Authorization") != "" {
					hits.Add(1)
				}
				w.WriteHeader(200)
				w.Write([]byte(`{"data":[]}`))
			})
			p := NewAPIProber(srv.URL, testProber())
			p.Credential = tt.cred
			p.SlowAfter = -1
			res := p.ProbeKey(context.Background())
			if res.Class != ClassAuth || res.ErrorType != ErrUnsendable || !strings.Contains(res.Message, tt.want) {
				t.Errorf("got %v %q %q, want auth %q containing %q", res.Class, res.ErrorType, res.Message, ErrUnsendable, tt.want)
			}
			if strings.Contains(res.Message, "net/http") || strings.Contains(res.Message, key) {
				t.Errorf("raw error or secret in %q", res.Message)
			}
			if n := hits.Load(); n != 0 {
				t.Errorf("%d requests carried the bad credential", n)
			}
		})
	}
}

// bodyLiteLLM401 is LiteLLM's real 401 to a key it does not know: Anthropic's
// shape, not its words (error.type auth_error, no request_id).
// bodyLiteLLMNoKey is LiteLLM's 401 to a request without a key.
const bodyLiteLLMNoKey = `{"error":{"message":"Authentication Error, No api key passed in.","type":"auth_error","param":"None","code":"401"}}`

const bodyLiteLLM401 = `{"error":{"message":"Authentication Error, Invalid proxy server token passed. Received API Key = sk-...AAAA, Key Hash (Token) =abc123. Unable to find token in cache or ` + "`LiteLLM_VerificationTokenTable`" + `","type":"auth_error","param":"None","code":"401"}}`
