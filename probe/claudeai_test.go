package probe

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestClaudeAIProbe(t *testing.T) {
	challenge := string(fixture(t, "challenge.html"))
	answer := func(status int, body string, hdr ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/" {
				http.NotFound(w, r)
				return
			}
			// claude.ai answers through Cloudflare; a row names another
			// server to play someone else answering.
			w.Header().Set("Server", "cloudflare")
			for i := 0; i+1 < len(hdr); i += 2 {
				w.Header().Set(hdr[i], hdr[i+1])
			}
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	tests := []struct {
		name    string
		h       http.HandlerFunc
		class   Class
		errType string
		detail  string
		msg     string
	}{
		{"200", answer(200, "<html>Claude</html>"), ClassOK, "", "", "reachable (200 OK)"},
		{"403 cf-mitigated", answer(403, challenge, "cf-mitigated", "challenge", "cf-ray", "972a33bb3977d246-FRA"), ClassOK, "", "challenge", "reachable (Cloudflare challenge page)"},
		{"403 just a moment", answer(403, challenge), ClassOK, "", "challenge", "reachable (Cloudflare challenge page)"},
		{"503 challenge", answer(503, challenge, "cf-mitigated", "challenge"), ClassOK, "", "challenge", "reachable (Cloudflare challenge page)"},
		{"503 plain", answer(503, "<html>Service Unavailable</html>"), ClassServer, "http_503", "", "claude.ai answered 503 Service Unavailable"},
		{"500", answer(500, ""), ClassServer, "http_500", "", "500 Internal Server Error"},
		{"502", answer(502, ""), ClassServer, "http_502", "", "502 Bad Gateway"},
		{"504", answer(504, ""), ClassServer, "http_504", "", "504 Gateway Timeout"},
		{"429", answer(429, "", "retry-after", "5"), ClassRateLimited, "rate_limited", "", "429 Too Many Requests"},
		{"404", answer(404, "nope"), ClassOK, "", "", "reachable (404 Not Found)"},
		{"403 plain", answer(403, "Forbidden"), ClassOK, "", "", "reachable (403 Forbidden)"},
		// Someone else answered: a block page is not "reachable", and a
		// proxy's 503 is not claude.ai's.
		{"403 block page", answer(403, "<html><head><title>Website blocked</title></head><body>Access denied by policy</body></html>", "Server", "Zscaler/6.2"),
			ClassUnexpected, ErrNotAnthropic, "", `a filter, proxy or portal on the way (Zscaler/6.2) answered 403 Forbidden instead of claude.ai, with a page titled "Website blocked"`},
		{"503 from a proxy", answer(503, "<html>Service Unavailable</html>", "Server", "squid/5.7"), ClassServer, ErrNotAnthropic, "", "a filter, proxy or portal on the way (squid/5.7) answered 503 Service Unavailable instead of claude.ai"},
		// A captive portal's login page answering 200 in claude.ai's place,
		// without Cloudflare's marks (cold8 E4): not claude.ai, not "ok".
		{"200 captive portal", answer(200, "<html><head><title>Hotel WiFi - Please log in</title></head><body><form>Room number</form></body></html>", "Server", "nginx"),
			ClassUnexpected, ErrNotAnthropic, "", `answered 200 OK instead of claude.ai, with a page titled "Hotel WiFi - Please log in"`},
		{"200 claude's page without cloudflare", answer(200, "<html><head><title>Claude</title></head><body></body></html>", "Server", "nginx"), ClassOK, "", "", "reachable (200 OK)"},
		{"200 other title through cloudflare", answer(200, "<html><head><title>Sign in</title></head></html>"), ClassOK, "", "", "reachable (200 OK)"},
		{"redirect then 200", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/" {
				http.Redirect(w, r, "/login", http.StatusFound)
				return
			}
			io.WriteString(w, "login")
		}, ClassOK, "", "", "reachable (200 OK)"},
		{"redirect loop", redirectLoop, ClassUnexpected, "redirect", "", "redirect loop"},
		{"timeout", hang, ClassNetwork, NetTimeout, "", "timed out after 50ms"},
		{"huge", huge, ClassOK, "", "", "reachable (200 OK)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.h)
			p := NewClaudeAIProber(srv.URL, testProber())
			p.SlowAfter = -1
			p.Timeout = 5 * time.Second
			if tt.name == "timeout" {
				p.Timeout = 50 * time.Millisecond
			}
			res := p.Probe(context.Background())
			if res.Target != TargetClaudeAI || res.Time.IsZero() {
				t.Errorf("target %q time %v", res.Target, res.Time)
			}
			if res.Class != tt.class || res.ErrorType != tt.errType || res.Detail != tt.detail || !strings.Contains(res.Message, tt.msg) {
				t.Errorf("got %v %q %q %q, want %v %q %q containing %q", res.Class, res.ErrorType, res.Detail, res.Message, tt.class, tt.errType, tt.detail, tt.msg)
			}
		})
	}
}

func TestClaudeAIProbeNetworkAndTLS(t *testing.T) {
	res := NewClaudeAIProber(refusedURL(t), testProber()).Probe(context.Background())
	if res.Class != ClassNetwork || res.ErrorType != NetRefused {
		t.Errorf("refused: %+v", res)
	}
	res = NewClaudeAIProber("http://nonexistent.invalid", testProber()).Probe(context.Background())
	if res.Class != ClassNetwork || res.ErrorType != NetDNS {
		t.Errorf("dns: %+v", res)
	}
	srv, hp := serveTLS(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	p := NewClaudeAIProber(srv.URL, hp)
	p.SlowAfter = -1
	res = p.Probe(context.Background())
	if res.Class != ClassOK || res.Phases.TLS <= 0 || res.Phases.Connect <= 0 || res.Phases.DNS != 0 {
		t.Errorf("TLS: %v phases %+v", res.Class, res.Phases)
	}
	// The same server without its CA in the pool is a TLS failure.
	res = NewClaudeAIProber(srv.URL, testProber()).Probe(context.Background())
	if res.Class != ClassNetwork || res.ErrorType != NetTLS || !strings.Contains(res.Message, "unknown authority") {
		t.Errorf("untrusted: %+v", res)
	}
}

func TestClaudeAIProbeResetAfterHeaders(t *testing.T) {
	// The status line arrived, then the connection died: the page did not.
	srv := serve(t, resetMidBody)
	p := NewClaudeAIProber(srv.URL, testProber())
	res := p.Probe(context.Background())
	if res.Class != ClassNetwork || res.ErrorType != NetReset || res.HTTPStatus != 200 {
		t.Errorf("%+v", res)
	}
}
