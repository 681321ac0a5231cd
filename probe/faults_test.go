package probe

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The upstream fault matrix: every HTTP prober against every way an upstream
// can misbehave, one subtest per (fault, prober). The per-prober tests in
// statuspage_test.go, api_test.go and claudeai_test.go hold the detailed
// wording of ordinary answers; this file proves that no fault hangs a probe,
// grows without bound, or yields a Result that is unclassified, unsanitised
// or unstamped. goleak (main_test.go) proves no goroutine outlives it.

// faultProber is one prober as the matrix drives it.
type faultProber struct {
	name     string
	okStatus int // what a healthy answer's status is (the reach probe expects 401)
	run      func(ctx context.Context, base string, hp *HTTPProber, timeout time.Duration) Result
}

func faultProbers() []faultProber {
	return []faultProber{
		{"status", http.StatusOK, func(ctx context.Context, base string, hp *HTTPProber, timeout time.Duration) Result {
			p := NewStatusProber(base, hp)
			p.Timeout, p.SlowAfter = timeout, -1
			r, _ := p.Probe(ctx)
			return r
		}},
		{"api", http.StatusUnauthorized, func(ctx context.Context, base string, hp *HTTPProber, timeout time.Duration) Result {
			p := NewAPIProber(base, hp)
			// The faults are Anthropic's upstream misbehaving: judged as
			// under its own URL, not a gateway's.
			p.Timeout, p.SlowAfter, p.Gateway = timeout, -1, false
			return p.ProbeReach(ctx)
		}},
		{"api_key", http.StatusOK, func(ctx context.Context, base string, hp *HTTPProber, timeout time.Duration) Result {
			p := NewAPIProber(base, hp)
			p.Timeout, p.SlowAfter = timeout, -1
			p.Credential = Credential{APIKey: "sk-ant-api03-FAULTMATRIX"}
			return p.ProbeKey(ctx)
		}},
		{"claude_ai", http.StatusOK, func(ctx context.Context, base string, hp *HTTPProber, timeout time.Duration) Result {
			p := NewClaudeAIProber(base, hp)
			p.Timeout, p.SlowAfter = timeout, -1
			return p.Probe(ctx)
		}},
	}
}

// want is the expected judgement of one prober facing one fault. msg is a
// substring of the message; retryAfter, when set, must be parsed.
type want struct {
	class      Class
	errType    string
	msg        string
	retryAfter time.Duration
}

// sameFor is the same expectation for every prober.
func sameFor(w want) map[string]want {
	return map[string]want{"status": w, "api": w, "api_key": w, "claude_ai": w}
}

// fault is one misbehaving upstream. Either handler (served over HTTP, or
// over TLS with a certificate the prober does not trust when untrusted is
// set) or url (no server at all).
type fault struct {
	name      string
	handler   func(fp faultProber) http.HandlerFunc
	untrusted bool
	url       func(t *testing.T) string
	timeout   time.Duration // the probe's hard limit; 0 means 5s (never reached)
	want      map[string]want
}

// drip sends the status line and then one body byte a second, forever: a
// read-idle timeout would never fire, only the probe's overall limit can
// end it.
func drip(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		if _, err := io.WriteString(w, "{"); err != nil {
			return
		}
		rc.Flush()
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
		}
	}
}

// bigBodyBytes is the size of the "huge body" fault: 64 times what a probe
// may read.
const bigBodyBytes = 64 << 20

// bigBody streams bigBodyBytes of JSON-ish filler with the given status,
// stopping as soon as the client hangs up.
func bigBody(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		chunk := []byte(strings.Repeat("7", 64<<10))
		for n := 0; n < bigBodyBytes; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

// reply answers any path with status, body and header pairs.
func reply(status int, body string, hdr ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// atOK answers with the prober's healthy status.
func atOK(body string) func(faultProber) http.HandlerFunc {
	return func(fp faultProber) http.HandlerFunc { return reply(fp.okStatus, body) }
}

func always(h http.HandlerFunc) func(faultProber) http.HandlerFunc {
	return func(faultProber) http.HandlerFunc { return h }
}

// invalidUTF8 is a body whose strings hold bytes that are not UTF-8, for
// each prober in the shape it reads.
func invalidUTF8(fp faultProber) http.HandlerFunc {
	return badText("Bad\xff\xfe bytes \xc3\x28 here")(fp)
}

// hostileJSON is text a terminal would act on, spelled as JSON escapes:
// an OSC title, a clear screen, an 8-bit CSI, a DEL and every kind of bidi
// control (override, embedding, isolate, mark).
const hostileJSON = `Bad\u001b]0;pwned\u0007 \u001b[2Jbytes\u007f \u009b31m\u202eh\u202be\u2067r\u200ee\u061c\ufeff`

// badText puts bad into every string each prober reads from its body.
func badText(bad string) func(faultProber) http.HandlerFunc {
	return func(fp faultProber) http.HandlerFunc { return badTextFor(fp, bad) }
}

func badTextFor(fp faultProber, bad string) http.HandlerFunc {
	switch fp.name {
	case "status":
		return reply(200, `{"page":{},"status":{"indicator":"none","description":"`+bad+`"},"components":[{"id":"k8w3r06qmzrp","name":"`+bad+`","status":"operational"}]}`)
	case "api", "api_key":
		return reply(401, `{"type":"error","error":{"type":"authentication_error","message":"`+bad+`"},"request_id":"req_`+bad+`"}`)
	}
	return reply(200, "<html>"+bad+"</html>")
}

func faults() []fault {
	network := func(typ, msg string) map[string]want {
		return sameFor(want{class: ClassNetwork, errType: typ, msg: msg})
	}
	return []fault{
		{
			// 300 ms: ten times that is well past 300 ms + faultSlack, so
			// a probe that waits longer than it says is caught.
			name: "hang past the timeout", handler: always(hang), timeout: 300 * time.Millisecond,
			want: network(NetTimeout, "timed out after 300ms"),
		},
		{
			name: "reset mid-body", handler: always(resetMidBody),
			want: network(NetReset, "connection"),
		},
		{
			// One byte a second with a 1.5 s limit: at least one byte
			// arrives after the headers, and the limit still ends it.
			name: "body dripping one byte a second", handler: always(drip), timeout: 1500 * time.Millisecond,
			want: network(NetTimeout, "timed out after 1.5s"),
		},
		{
			name: "64 MiB body", handler: func(fp faultProber) http.HandlerFunc { return bigBody(fp.okStatus) },
			want: map[string]want{
				"status":    {ClassUnexpected, "too_large", "more than 1048576 bytes", 0},
				"api":       {ClassUnexpected, "not_anthropic", "401 without Anthropic's error body", 0},
				"api_key":   {ClassUnexpected, "too_large", "200 OK with more than 1048576 bytes", 0},
				"claude_ai": {ClassOK, "", "reachable (200 OK)", 0}, // any page proves it is up
			},
		},
		{
			name: "HTML with 200", handler: always(reply(200, "<!DOCTYPE html><html><title>Just a moment...</title></html>", "Content-Type", "text/html")),
			want: map[string]want{
				"status":    {ClassUnexpected, "html", "challenge", 0},
				"api":       {ClassUnexpected, "html", "challenge", 0},
				"api_key":   {ClassUnexpected, "html", "challenge", 0},
				"claude_ai": {ClassOK, "", "reachable", 0},
			},
		},
		{
			name: "JSON of the wrong shape", handler: atOK(`{"ok":true,"items":[1,2,3]}`),
			want: map[string]want{
				"status":    {ClassUnexpected, "wrong_shape", "JSON of the wrong shape", 0},
				"api":       {ClassUnexpected, "not_anthropic", "401 without Anthropic's error body", 0},
				"api_key":   {ClassUnexpected, "", "no data array", 0},
				"claude_ai": {ClassOK, "", "reachable (200 OK)", 0},
			},
		},
		{
			name: "error JSON of the wrong shape", handler: always(reply(529, `{"type":"error","error":"Overloaded"}`)),
			want: map[string]want{
				"status":    {ClassServer, "http_529", "529 Overloaded", 0},
				"api":       {ClassOverloaded, "overloaded_error", "529 Overloaded", 0},
				"api_key":   {ClassOverloaded, "overloaded_error", "529 Overloaded", 0},
				"claude_ai": {ClassServer, "http_529", "529 Overloaded", 0},
			},
		},
		{
			name: "invalid UTF-8", handler: invalidUTF8,
			want: map[string]want{
				"status":    {ClassOK, "", "Bad\uFFFD\uFFFD bytes", 0},
				"api":       {ClassOK, "", "401 without key", 0},
				"api_key":   {ClassAuth, "authentication_error", "Bad\uFFFD\uFFFD bytes \uFFFD( here", 0},
				"claude_ai": {ClassOK, "", "reachable (200 OK)", 0},
			},
		},
		{
			name: "escape sequences and bidi controls", handler: badText(hostileJSON),
			want: map[string]want{
				"status":    {ClassOK, "", "Bad bytes here", 0},
				"api":       {ClassOK, "", "401 without key", 0},
				"api_key":   {ClassAuth, "authentication_error", "Bad bytes here", 0},
				"claude_ai": {ClassOK, "", "reachable (200 OK)", 0},
			},
		},
		{
			name: "redirect loop", handler: always(redirectLoop),
			want: sameFor(want{class: ClassUnexpected, errType: "redirect", msg: "stopped after 5 redirects (redirect loop?)"}),
		},
		{
			name: "TLS with an untrusted certificate", handler: always(reply(200, "{}")), untrusted: true,
			want: network(NetTLS, "TLS handshake failed: certificate signed by unknown authority"),
		},
		{
			name: "unresolvable host", url: func(*testing.T) string { return "http://downforai-fault.invalid" },
			want: network(NetDNS, "DNS lookup of downforai-fault.invalid"),
		},
		{
			name: "connection refused", url: refusedURL,
			want: network(NetRefused, "refused"),
		},
		{
			name: "429 with retry-after", handler: always(reply(429, bodyRateLimit, "Retry-After", "30", "Content-Type", "application/json", "cf-ray", "8f1c2d3e4a5b6c7e-FRA")),
			want: map[string]want{
				"status":    {ClassRateLimited, "rate_limited", "429 Too Many Requests", 30 * time.Second},
				"api":       {ClassRateLimited, "rate_limit_error", "(retry after 30s)", 30 * time.Second},
				"api_key":   {ClassRateLimited, "rate_limit_error", "(retry after 30s)", 30 * time.Second},
				"claude_ai": {ClassRateLimited, "rate_limited", "429 Too Many Requests", 30 * time.Second},
			},
		},
		{
			name: "529", handler: always(reply(529, bodyOverloaded)),
			want: map[string]want{
				"status":    {ClassServer, "http_529", "status page answered 529 Overloaded", 0},
				"api":       {ClassOverloaded, "overloaded_error", "529 overloaded_error: Overloaded", 0},
				"api_key":   {ClassOverloaded, "overloaded_error", "529 overloaded_error: Overloaded", 0},
				"claude_ai": {ClassServer, "http_529", "claude.ai answered 529 Overloaded", 0},
			},
		},
		serverFault(500, bodyAPIError, "api_error", "500 api_error: Internal server error"),
		serverFault(502, bodyCFHTML, "http_502", "502 Bad Gateway, an HTML page"),
		serverFault(503, "", "http_503", "503 Service Unavailable"),
		serverFault(504, bodyTimeout, "timeout_error", "504 timeout_error: Request timed out"),
	}
}

// serverFault is a 5xx: the API reads Anthropic's error type when the body
// has one, the others name the status.
func serverFault(code int, body, apiType, apiMsg string) fault {
	text := StatusText(code)
	return fault{
		// Through Anthropic's CDN, as every real answer of its hosts comes.
		name: text, handler: always(reply(code, body, "cf-ray", "8f1c2d3e4a5b6c7e-FRA")),
		want: map[string]want{
			"status":    {ClassServer, fmt.Sprintf("http_%d", code), "status page answered " + text, 0},
			"api":       {ClassServer, apiType, apiMsg, 0},
			"api_key":   {ClassServer, apiType, apiMsg, 0},
			"claude_ai": {ClassServer, fmt.Sprintf("http_%d", code), "claude.ai answered " + text, 0},
		},
	}
}

// faultSlack is how far past its own timeout a probe may return: the
// scheduling and clean-up after the deadline fires, under -race on a busy
// machine. A probe that honours a timeout ten times too long, or none at
// all, runs well past it.
const faultSlack = time.Second

// TestUpstreamFaults runs every fault against every prober and checks the
// judgement, that the Result is well formed, and that the probe returned
// within its timeout plus faultSlack: "nothing hangs" is measured, not
// read from the message. Each subtest has its own deadline, a context the
// probe is given and a limit on the fault's handler, so a probe that
// ignores its timeout fails that subtest within seconds instead of
// running into go test's 10-minute limit.
func TestUpstreamFaults(t *testing.T) {
	for _, f := range faults() {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			for _, fp := range faultProbers() {
				t.Run(fp.name, func(t *testing.T) {
					t.Parallel()
					w, ok := f.want[fp.name]
					if !ok {
						t.Fatalf("no expectation for %s", fp.name)
					}
					timeout := f.timeout
					if timeout == 0 {
						timeout = 5 * time.Second
					}
					base, hp := faultServer(t, f, fp, timeout+3*faultSlack)
					// The probe's own limit should end it first; this one
					// ends a probe that ignores it, still past the bound.
					ctx, cancel := context.WithTimeout(context.Background(), timeout+2*faultSlack)
					defer cancel()
					start := time.Now()
					res := fp.run(ctx, base, hp, timeout)
					if elapsed := time.Since(start); elapsed > timeout+faultSlack {
						t.Errorf("took %v with a %v timeout: a probe must end within its timeout", elapsed.Round(time.Millisecond), timeout)
					}
					if res.Class != w.class || res.ErrorType != w.errType || !strings.Contains(res.Message, w.msg) {
						t.Errorf("got %v %q %q\nwant %v %q containing %q", res.Class, res.ErrorType, res.Message, w.class, w.errType, w.msg)
					}
					if w.retryAfter != 0 && res.RateLimit.RetryAfter != w.retryAfter {
						t.Errorf("retry-after %v, want %v", res.RateLimit.RetryAfter, w.retryAfter)
					}
					checkResultWellFormed(t, res, Target(fp.name))
				})
			}
		})
	}
}

// faultServer starts the fault's server (or none) and returns the base URL
// and a prober that trusts only what a real user's machine would. A
// handler that waits for the client (hang, drip) gives up after limit, so
// even a probe that ignores every deadline gets an answer and the subtest
// ends.
func faultServer(t *testing.T, f fault, fp faultProber, limit time.Duration) (string, *HTTPProber) {
	t.Helper()
	if f.url != nil {
		return f.url(t), testProber()
	}
	inner := f.handler(fp)
	h := func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), limit)
		defer cancel()
		inner(w, r.WithContext(ctx))
	}
	if f.untrusted {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(h))
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.StartTLS()
		t.Cleanup(srv.Close)
		return srv.URL, testProber() // system roots: the test CA is unknown
	}
	return serve(t, h).URL, testProber()
}

// checkResultWellFormed holds for every Result of every probe, whatever
// the upstream did: stamped, classified, explained, and safe to draw.
func checkResultWellFormed(t *testing.T, r Result, target Target) {
	t.Helper()
	if r.Target != target || r.Time.IsZero() {
		t.Errorf("target %q time %v", r.Target, r.Time)
	}
	if !r.Class.Valid() || r.Message == "" {
		t.Errorf("class %v message %q: every result is classified and explained", r.Class, r.Message)
	}
	for field, s := range map[string]string{"Message": r.Message, "ErrorType": r.ErrorType, "RequestID": r.RequestID, "Detail": r.Detail} {
		if !utf8.ValidString(s) {
			t.Errorf("%s is not UTF-8: %q", field, s)
		}
		if c, bad := firstUnsafe(s, false); bad {
			t.Errorf("%s holds control %U: %q", field, c, s)
		}
		if len(s) > MaxTextLen {
			t.Errorf("%s is %d bytes", field, len(s))
		}
	}
	if strings.Contains(r.Message, "://") {
		t.Errorf("message repeats a URL: %q", r.Message)
	}
	if r.Phases.Total < 0 || r.Phases.DNS < 0 || r.Phases.Connect < 0 || r.Phases.TLS < 0 || r.Phases.FirstByte < 0 {
		t.Errorf("negative phase: %+v", r.Phases)
	}
}

// TestHugeBodyReadIsBounded serves 64 MiB and checks what the prober holds:
// exactly MaxBodyBytes, marked truncated, and the heap allocated while
// reading a small multiple of that — never the whole body. (Not parallel:
// it reads the process-wide allocation counter.)
func TestHugeBodyReadIsBounded(t *testing.T) {
	srv := serve(t, bigBody(200))
	p := testProber()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := p.Get(context.Background(), srv.URL, nil)
	runtime.ReadMemStats(&after)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if !r.Truncated || len(r.Body) != MaxBodyBytes {
		t.Fatalf("body %d bytes, truncated %v: want %d and true", len(r.Body), r.Truncated, MaxBodyBytes)
	}
	// io.ReadAll doubles its buffer up to ~MaxBodyBytes; the server side
	// writes one reused 64 KiB chunk. 16 MiB is far above both and a
	// quarter of the body: reading it all would blow through it.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("allocated %d MiB to read a body cut at %d MiB", alloc>>20, MaxBodyBytes>>20)
	}
}

// rawResponse writes a response byte for byte, bypassing net/http's header
// checks, as a hostile or broken upstream could.
func rawResponse(raw string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		buf.WriteString(raw)
		buf.Flush()
	}
}

// TestHostileHeaders sends escape sequences, C1 controls, bidi overrides
// and bytes that are not UTF-8 in the headers probes copy into a Result
// (request-id, cf-ray, retry-after). C0 controls make net/http refuse the
// response: the failure's message must still be clean. High bytes (C1 as
// UTF-8, bidi, invalid UTF-8) pass net/http: they must arrive sanitised.
func TestHostileHeaders(t *testing.T) {
	body := bodyInvalidKey
	response := func(value string) string {
		return "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nrequest-id: " + value +
			"\r\ncf-ray: " + value + "\r\nretry-after: " + value + "\r\nContent-Length: " + fmt.Sprint(len(body)) +
			"\r\nConnection: close\r\n\r\n" + body
	}
	tests := []struct {
		name, value string
		refused     bool // net/http rejects the response
	}{
		{"C0 and ESC", "req_\x1b]0;pwned\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07x", true},
		{"C1, bidi, invalid UTF-8", "req_\u202eabc\u009b2J\u0085\xff\u2066def", false},
	}
	for _, tt := range tests {
		for _, fp := range faultProbers() {
			t.Run(tt.name+"/"+fp.name, func(t *testing.T) {
				srv := serve(t, rawResponse(response(tt.value)))
				res := fp.run(context.Background(), srv.URL, testProber(), 5*time.Second)
				checkResultWellFormed(t, res, Target(fp.name))
				if res.RateLimit.RetryAfter != 0 {
					t.Errorf("retry-after parsed from garbage: %v", res.RateLimit.RetryAfter)
				}
				if tt.refused {
					// net/http refuses the header; the server answered,
					// so it is a malformed answer, not a network failure.
					if res.HTTPStatus != 0 || res.Class != ClassUnexpected || res.ErrorType != "malformed" {
						t.Errorf("a header with C0 controls not refused as a malformed answer: %+v", res)
					}
					return
				}
				if res.HTTPStatus != 401 {
					t.Fatalf("status %d: %+v", res.HTTPStatus, res)
				}
				wantID := map[string]string{"api": Line(tt.value, 100), "api_key": Line(tt.value, 100), "claude_ai": Line(tt.value, 100)}[fp.name]
				if res.RequestID != wantID {
					t.Errorf("request id %q, want %q", res.RequestID, wantID)
				}
				if wantID != "" && wantID != "req_abc\uFFFDdef" {
					t.Errorf("sanitised id %q: not what the sanitiser should make of it", wantID)
				}
			})
		}
	}
}
