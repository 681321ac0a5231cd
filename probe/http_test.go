package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// noProxy keeps tests off any proxy the environment names: they must never
// leave the machine.
func noProxy(*http.Request) (*url.URL, error) { return nil, nil }

func testProber() *HTTPProber {
	return NewHTTPProber(HTTPOptions{Version: "test", Proxy: noProxy, Resolver: noSuchHostResolver})
}

// serve starts a plain HTTP test server closed at the end of the test.
func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// serveTLS starts a TLS test server and returns a prober that trusts it.
func serveTLS(t *testing.T, h http.HandlerFunc) (*httptest.Server, *HTTPProber) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return srv, NewHTTPProber(HTTPOptions{Version: "test", Proxy: noProxy, TLSConfig: &tls.Config{RootCAs: pool}, Resolver: noSuchHostResolver})
}

// hang blocks until the client gives up (or the test ends), so a server
// that never answers still lets httptest.Server.Close return.
func hang(w http.ResponseWriter, r *http.Request) {
	<-r.Context().Done()
}

// resetMidBody sends headers promising more body than it writes, then
// aborts the connection with a RST.
func resetMidBody(w http.ResponseWriter, r *http.Request) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"page\":")
	buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

func huge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	chunk := []byte(strings.Repeat("a", 64<<10))
	for i := 0; i < 10<<20/len(chunk); i++ { // 10 MiB
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

func redirectLoop(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, r.URL.Path, http.StatusFound)
}

// refusedURL is an address where nothing listens any more.
func refusedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestHTTPProberPhasesTLS(t *testing.T) {
	srv, p := serveTLS(t, func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("User-Agent"); got != "downforai/test" {
			t.Errorf("User-Agent = %q", got)
		}
		io.WriteString(w, `{"ok":true}`)
	})
	r := p.Get(context.Background(), srv.URL+"/x", nil)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if r.Status != 200 || string(r.Body) != `{"ok":true}` || r.Truncated {
		t.Fatalf("got %d %q truncated=%v", r.Status, r.Body, r.Truncated)
	}
	ph := r.Phases
	if ph.DNS != 0 {
		t.Errorf("DNS = %v for an IP literal, want 0", ph.DNS)
	}
	if ph.Connect <= 0 || ph.TLS <= 0 || ph.FirstByte <= 0 || ph.Total <= 0 {
		t.Errorf("phases %+v: connect, TLS, first byte and total must all be measured", ph)
	}
	if ph.Total < ph.Connect+ph.TLS {
		t.Errorf("total %v shorter than connect+TLS %v", ph.Total, ph.Connect+ph.TLS)
	}
}

func TestHTTPProberPhasesDNSNoTLS(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	u := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	r := testProber().Get(context.Background(), u, nil)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if r.Phases.DNS <= 0 || r.Phases.Connect <= 0 || r.Phases.FirstByte <= 0 {
		t.Errorf("phases %+v: DNS, connect and first byte must be measured", r.Phases)
	}
	if r.Phases.TLS != 0 {
		t.Errorf("TLS = %v over plain HTTP, want 0", r.Phases.TLS)
	}
}

func TestHTTPProberHugeBodyBounded(t *testing.T) {
	srv := serve(t, huge)
	r := testProber().Get(context.Background(), srv.URL, nil)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if !r.Truncated || len(r.Body) != MaxBodyBytes {
		t.Fatalf("len %d truncated %v, want %d and true", len(r.Body), r.Truncated, MaxBodyBytes)
	}
}

func TestHTTPProberMaxBodyOption(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "0123456789") })
	p := NewHTTPProber(HTTPOptions{Proxy: noProxy, MaxBody: 10})
	if r := p.Get(context.Background(), srv.URL, nil); r.Truncated || string(r.Body) != "0123456789" {
		t.Errorf("exactly MaxBody: truncated=%v body=%q", r.Truncated, r.Body)
	}
	p = NewHTTPProber(HTTPOptions{Proxy: noProxy, MaxBody: 4})
	if r := p.Get(context.Background(), srv.URL, nil); !r.Truncated || string(r.Body) != "0123" {
		t.Errorf("over MaxBody: truncated=%v body=%q", r.Truncated, r.Body)
	}
}

// TestHTTPFailures drives every transport failure through the prober and the
// classifier.
func TestHTTPFailures(t *testing.T) {
	plain := serve(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "plain") })
	untrusted := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0)
	untrusted.StartTLS()
	t.Cleanup(untrusted.Close)

	tests := []struct {
		name     string
		url      string
		timeout  time.Duration
		class    Class
		errType  string
		contains string
	}{
		{"refused", refusedURL(t), 0, ClassNetwork, NetRefused, "refused"},
		{"dns", "http://nonexistent.invalid/", 0, ClassNetwork, NetDNS, "DNS lookup of nonexistent.invalid"},
		{"timeout", serve(t, hang).URL, 50 * time.Millisecond, ClassNetwork, NetTimeout, "timed out after 50ms"},
		{"reset mid-body", serve(t, resetMidBody).URL, 0, ClassNetwork, NetReset, "connection"},
		{"redirect loop", serve(t, redirectLoop).URL + "/loop", 0, ClassUnexpected, "redirect", "stopped after 5 redirects"},
		{"unknown CA", untrusted.URL, 0, ClassNetwork, NetTLS, "TLS handshake failed: certificate signed by unknown authority"},
		{"http on https", strings.Replace(plain.URL, "http://", "https://", 1), 0, ClassNetwork, NetTLS, "TLS handshake failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel, timeout := probeContext(context.Background(), tt.timeout)
			defer cancel()
			r := testProber().Get(ctx, tt.url, nil)
			if r.Err == nil {
				t.Fatalf("no error; status %d", r.Status)
			}
			var res Result
			transportResult(ctx, &res, r.Err, hostOf(tt.url), timeout)
			c, typ, msg := res.Class, res.ErrorType, res.Message
			if c != tt.class || typ != tt.errType || !strings.Contains(msg, tt.contains) {
				t.Errorf("got %v %q %q, want %v %q containing %q (err %v)", c, typ, msg, tt.class, tt.errType, tt.contains, r.Err)
			}
			if strings.Contains(msg, "://") {
				t.Errorf("message %q repeats the URL", msg)
			}
		})
	}
}

func TestClassifyTransportError(t *testing.T) {
	opErr := func(op string, err error) error {
		return &url.Error{Op: "Get", URL: "https://user:secret@api.example/v1?key=secret", Err: &net.OpError{Op: op, Net: "tcp", Err: err}}
	}
	tests := []struct {
		name    string
		err     error
		class   Class
		errType string
		msg     string
	}{
		{"dns not found", &net.DNSError{Err: "no such host", Name: "api.anthropic.com", IsNotFound: true}, ClassNetwork, NetDNS, "DNS lookup of api.anthropic.com failed: no such host"},
		{"dns server", &net.DNSError{Err: "server misbehaving", Name: "api.anthropic.com"}, ClassNetwork, NetDNS, "DNS lookup of api.anthropic.com failed: server misbehaving"},
		{"dns timeout", &net.DNSError{Err: "i/o timeout", Name: "api.anthropic.com", IsTimeout: true}, ClassNetwork, NetDNS, "DNS lookup of api.anthropic.com timed out"},
		{"refused", opErr("dial", os.NewSyscallError("connect", syscall.ECONNREFUSED)), ClassNetwork, NetRefused, "connection to api.example refused"},
		{"reset", opErr("read", os.NewSyscallError("read", syscall.ECONNRESET)), ClassNetwork, NetReset, "connection reset by peer"},
		{"unexpected EOF", fmt.Errorf("reading body: %w", io.ErrUnexpectedEOF), ClassNetwork, NetReset, "connection closed before the answer was complete"},
		{"deadline", &url.Error{Op: "Get", URL: "https://x", Err: context.DeadlineExceeded}, ClassNetwork, NetTimeout, "timed out after 10s"},
		{"canceled", context.Canceled, ClassUnknown, "canceled", "probe canceled"},
		{"unknown CA", &url.Error{Op: "Get", URL: "https://x", Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}, ClassNetwork, NetTLS, "TLS handshake failed: certificate signed by unknown authority"},
		{"hostname", x509.HostnameError{Certificate: &x509.Certificate{}, Host: "api.anthropic.com"}, ClassNetwork, NetTLS, "TLS handshake failed: certificate is not valid for any names"},
		{"record header", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, ClassNetwork, NetTLS, "TLS handshake failed: the server did not answer with TLS"},
		{"proxy", opErr("proxyconnect", os.NewSyscallError("connect", syscall.ECONNREFUSED)), ClassNetwork, NetProxy, "proxy connection failed: connection refused"},
		{"unreachable", opErr("dial", os.NewSyscallError("connect", syscall.ENETUNREACH)), ClassNetwork, NetConnect, "cannot reach api.example"},
		{"redirects", &url.Error{Op: "Get", URL: "https://x", Err: errTooManyRedirects}, ClassUnexpected, "redirect", "stopped after 5 redirects (redirect loop?)"},
		{"not HTTP", errors.New("malformed HTTP response \"\\x1b[2J\""), ClassUnexpected, "malformed", `api.example answered with a malformed HTTP response (malformed HTTP response "\x1b[2J")`},
		{"other", errors.New("something else broke"), ClassNetwork, NetConnect, "something else broke"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, typ, msg := ClassifyTransportError(tt.err, "api.example", 10*time.Second)
			if c != tt.class || typ != tt.errType || !strings.HasPrefix(msg, tt.msg) {
				t.Errorf("got %v %q %q, want %v %q %q", c, typ, msg, tt.class, tt.errType, tt.msg)
			}
			if strings.Contains(msg, "secret") || strings.ContainsRune(msg, 0x1b) {
				t.Errorf("message %q leaks the URL or holds an escape", msg)
			}
		})
	}
}

func TestRedirectDropsCredentialOffHost(t *testing.T) {
	seen := make(chan http.Header, 1)
	other := serve(t, func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Clone()
		io.WriteString(w, `{"data":[]}`)
	})
	// Same machine, different host name: Go would forward x-api-key.
	target := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + "/v1/models"
	first := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusTemporaryRedirect)
	})
	h := http.Header{"X-Api-Key": {"sk-ant-api03-SECRET"}, "Authorization": {"Bearer tok"}, "Anthropic-Version": {AnthropicVersion}}
	r := testProber().Get(context.Background(), first.URL, h)
	if r.Err != nil || r.Status != 200 {
		t.Fatalf("status %d err %v", r.Status, r.Err)
	}
	got := <-seen
	if got.Get("X-Api-Key") != "" || got.Get("Authorization") != "" {
		t.Errorf("credential followed the redirect to another host: %v", got)
	}
	if got.Get("Anthropic-Version") != AnthropicVersion {
		t.Errorf("harmless header dropped: %v", got)
	}
}

func TestLooksHTML(t *testing.T) {
	for in, want := range map[string]bool{
		"<!DOCTYPE html><html>":   true,
		"\ufeff\n  <html>":        true,
		"<?xml version=\"1.0\"?>": true,
		`{"a":1}`:                 false,
		"":                        false,
		"plain text":              false,
	} {
		if got := looksHTML([]byte(in)); got != want {
			t.Errorf("looksHTML(%q) = %v", in, got)
		}
	}
}

func TestSlowOrOK(t *testing.T) {
	if c, _ := slowOrOK(time.Second, 0, "x"); c != ClassOK {
		t.Errorf("1s under default budget: %v", c)
	}
	if c, m := slowOrOK(4*time.Second, 0, "x"); c != ClassSlow || !strings.Contains(m, "budget 3s") {
		t.Errorf("4s over default budget: %v %q", c, m)
	}
	if c, _ := slowOrOK(time.Hour, -1, "x"); c != ClassOK {
		t.Errorf("negative budget must disable: %v", c)
	}
}

func TestRedirectLimitOption(t *testing.T) {
	srv := serve(t, redirectLoop)
	p := NewHTTPProber(HTTPOptions{Proxy: noProxy, MaxRedirects: 2})
	r := p.Get(context.Background(), srv.URL+"/x", nil)
	c, typ, msg := ClassifyTransportError(r.Err, "h", 0)
	if c != ClassUnexpected || typ != "redirect" || msg != "stopped after 2 redirects (redirect loop?)" {
		t.Errorf("%v %q %q", c, typ, msg)
	}
}

// TestHTTPProberPhasesOfAFailedRequest: a request that got as far as a
// connection still says how long that took (a refused TLS handshake is
// not a request that took no time), for Do and Stream alike; one that
// could not even be built has no phases.
func TestHTTPProberPhasesOfAFailedRequest(t *testing.T) {
	untrusted := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0)
	untrusted.StartTLS()
	t.Cleanup(untrusted.Close)
	p := testProber()
	noRead := func(time.Time, io.Reader) error { return nil }
	for name, send := range map[string]func(url string) HTTPResponse{
		"Do": func(url string) HTTPResponse { return p.Get(context.Background(), url, nil) },
		"Stream": func(url string) HTTPResponse {
			return p.Stream(context.Background(), http.MethodPost, url, nil, []byte("{}"), noRead).HTTPResponse
		},
	} {
		r := send(untrusted.URL)
		if r.Err == nil {
			t.Fatalf("%s: no error from an untrusted certificate", name)
		}
		if r.Phases.Connect <= 0 || r.Phases.Total <= 0 {
			t.Errorf("%s: phases %+v of a refused handshake: connect and total must be measured", name, r.Phases)
		}
		r = send("http://[::1")
		if r.Err == nil || r.Phases != (Phases{}) {
			t.Errorf("%s: a URL that does not parse: err %v, phases %+v, want an error and none", name, r.Err, r.Phases)
		}
	}
}
