package probe

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// refusingProxy is a proxy that answers every request and CONNECT with
// status and the given headers, as a corporate proxy wanting its login does
// (cold8 E1: `pxy -mode 407`). It records the Proxy-Authorization it got.
func refusingProxy(t *testing.T, status int, header ...string) (addr string, auth *[]string) {
	t.Helper()
	got := &[]string{}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		*got = append(*got, r.Header.Get("Proxy-Authorization"))
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Add(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		w.Write([]byte("<html><title>Access Denied</title>Contact IT</html>"))
	})
	return srv.Listener.Addr().String(), got
}

// A proxy's refusal of CONNECT is the proxy's answer: its status, who it
// is and what it asks, never "network: connect" with the status text as
// if the network had failed (cold8 E1).
func TestProxyRefusesConnect(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header []string
		want   []string
		not    []string
	}{
		{"407 with realm", 407, []string{"Proxy-Authenticate", `Basic realm="Corp Proxy"`, "Server", "squid/5.7"},
			[]string{"the proxy at 127.0.0.1:", "answered 407 Proxy Authentication Required (squid/5.7) to CONNECT api.example.test:443, not Anthropic",
				`it wants credentials of its own (Basic realm "Corp Proxy")`}, nil},
		{"407 NTLM and Negotiate", 407, []string{"Proxy-Authenticate", "NTLM", "Proxy-Authenticate", "Negotiate"},
			[]string{"(NTLM, Negotiate)"}, nil},
		// Go refuses control bytes in a header; a bidi override passes it
		// and must not reach the terminal.
		{"407 realm with a bidi override", 407, []string{"Proxy-Authenticate", "Basic realm=\"Corp\u202e \\\"X\\\" Proxy\", charset=UTF-8"},
			[]string{`(Basic realm "Corp`, `"X" Proxy")`}, []string{"\u202e", "charset"}},
		{"407 without a challenge", 407, nil, []string{"answered 407 Proxy Authentication Required to CONNECT", "it wants credentials of its own"}, []string{"()"}},
		{"403", 403, nil, []string{"answered 403 Forbidden to CONNECT api.example.test:443, not Anthropic: it refuses the tunnel"}, nil},
		// A 5xx to CONNECT is the proxy's report that it could not reach
		// the host: said as the proxy's, with its own error code (squid's
		// ERR_CONNECT_FAIL page), never as Anthropic's answer.
		{"502", 502, nil, []string{"answered 502 Bad Gateway to CONNECT", "not Anthropic: the proxy could not reach the host"}, nil},
		{"squid 503 ERR_CONNECT_FAIL", 503, []string{"Server", "squid/5.7", "X-Squid-Error", "ERR_CONNECT_FAIL 111"},
			[]string{"answered 503 Service Unavailable (squid/5.7, ERR_CONNECT_FAIL 111) to CONNECT api.example.test:443, not Anthropic: the proxy could not reach the host"}, nil},
		{"504 with a code that is not squid's", 504, []string{"X-Squid-Error", "boom \u202e"}, []string{"answered 504 Gateway Timeout to CONNECT"}, []string{"boom", "\u202e"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, _ := refusingProxy(t, tt.status, tt.header...)
			pu := &url.URL{Scheme: "http", Host: addr}
			hp := NewHTTPProber(HTTPOptions{Proxy: func(*http.Request) (*url.URL, error) { return pu, nil }, Resolver: noSuchHostResolver})
			p := NewAPIProber("https://api.example.test", hp)
			for _, res := range []Result{p.ProbeReach(t.Context()), NewClaudeAIProber("https://api.example.test", hp).Probe(t.Context())} {
				if pr, ok := ParseProxyRefusal(res.Message, res.HTTPStatus); !ok || pr.Words() != res.Message {
					t.Errorf("%s: %q reads back as %+v", res.Target, res.Message, pr)
				}
				if res.Class != ClassNetwork || res.ErrorType != NetProxy || res.HTTPStatus != tt.status {
					t.Errorf("%s: %v %q %d, want network proxy %d (%q)", res.Target, res.Class, res.ErrorType, res.HTTPStatus, tt.status, res.Message)
				}
				for _, w := range tt.want {
					if !strings.Contains(res.Message, w) {
						t.Errorf("%s: message %q lacks %q", res.Target, res.Message, w)
					}
				}
				for _, n := range tt.not {
					if strings.Contains(res.Message, n) {
						t.Errorf("%s: message %q holds %q", res.Target, res.Message, n)
					}
				}
			}
		})
	}
}

func TestProxyAuthWords(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{`Basic realm="Corp Proxy"`}, `Basic realm "Corp Proxy"`},
		{[]string{`Digest nonce="x", realm=corp, qop=auth`}, `Digest realm "corp"`},
		{[]string{`Basic xrealm="no", realm="yes"`}, `Basic realm "yes"`},
		{[]string{`Basic realm="a"`, `Basic realm="a"`}, `Basic realm "a"`},
		{[]string{"Negotiate", "NTLM"}, "Negotiate, NTLM"},
		{[]string{`Basic realm="unterminated`}, `Basic realm "unterminated"`},
		{[]string{"  "}, ""},
	} {
		h := http.Header{}
		for _, v := range tt.in {
			h.Add("Proxy-Authenticate", v)
		}
		if got := ProxyAuthWords(h); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
}

// connectProxy answers CONNECT with status, as a proxy does, and records
// the request's Proxy-Authorization.
func connectProxy(t *testing.T, status string) (addr string, auth chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	auth = make(chan string, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				auth <- req.Method + " " + req.Host + " " + req.Header.Get("Proxy-Authorization")
				c.Write([]byte("HTTP/1.1 " + status + "\r\nProxy-Authenticate: Basic realm=\"Corp Proxy\"\r\nContent-Length: 0\r\n\r\n"))
			}()
		}
	}()
	return ln.Addr().String(), auth
}

// The Proxy check asks the proxy for the tunnel the API's requests need:
// a proxy that takes the connection and refuses CONNECT is ✖, with its
// answer, never ✔ "accepts connections" (cold8 E1).
func TestLocalProxyTriesConnect(t *testing.T) {
	for _, tt := range []struct {
		name, status string
		level        LocalLevel
		cause        string
		text         string
	}{
		// The URL carries a user and password, and the proxy still says
		// 407: it rejects them, it does not merely want some.
		{"407", "407 Proxy Authentication Required", LocalFail, CauseProxyCreds,
			`refuses the tunnel: it answered 407 Proxy Authentication Required to CONNECT api.example.test:443, not Anthropic: it rejects the credentials it was sent (Basic realm "Corp Proxy")`},
		{"403", "403 Forbidden", LocalFail, CauseProxyRefused, "refuses the tunnel: it answered 403 Forbidden to CONNECT api.example.test:443"},
		{"502", "502 Bad Gateway", LocalFail, CauseProxyRefused, "opens no tunnel to api.example.test:443: it answered 502 Bad Gateway to CONNECT api.example.test:443, not Anthropic: the proxy could not reach the host"},
		{"200", "200 Connection established", LocalOK, "", "opens a tunnel (CONNECT) to api.example.test:443"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			addr, auth := connectProxy(t, tt.status)
			c := quietChecker(t, map[string]string{"HTTPS_PROXY": "http://bob:pw1234567@" + addr})
			c.o.APIURL = "https://api.example.test"
			chk, _ := c.Run(t.Context()).Check(CheckProxy)
			if chk.Level != tt.level || chk.Cause != tt.cause || !strings.Contains(chk.Text, tt.text) {
				t.Errorf("proxy = %v %q %q, want %v %q containing %q", chk.Level, chk.Cause, chk.Text, tt.level, tt.cause, tt.text)
			}
			if strings.Contains(chk.Text, "pw1234567") || strings.Contains(chk.Text, "accepts connections") {
				t.Errorf("proxy = %q", chk.Text)
			}
			// Sent as net/http sends it: CONNECT host:443 with the URL's
			// user as Basic Proxy-Authorization.
			// The proxy sends what it got before it answers, so it is
			// there once the check has its answer.
			select {
			case got := <-auth:
				if got != "CONNECT api.example.test:443 Basic Ym9iOnB3MTIzNDU2Nw==" {
					t.Errorf("the proxy got %q", got)
				}
			default:
				t.Error("the proxy was asked no CONNECT")
			}
		})
	}
	// A proxy that takes the connection and never answers CONNECT.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { <-done; c.Close() }()
		}
	}()
	c := quietChecker(t, map[string]string{"HTTPS_PROXY": "http://" + ln.Addr().String()})
	c.o.APIURL = "https://api.example.test"
	ctx, cancel := context.WithCancel(t.Context())
	c.o.Timeout = 50 * 1e6 // the check's own deadline ends the wait
	chk, _ := c.Run(ctx).Check(CheckProxy)
	cancel()
	if chk.Level != LocalFail || !strings.Contains(chk.Text, "accepts connections, but CONNECT to api.example.test:443 through it failed (timeout") {
		t.Errorf("silent proxy = %v %q", chk.Level, chk.Text)
	}
}

// A 407 to a request that carried the proxy URL's user and password is a
// rejection of those credentials, not a proxy wanting some: the probe and
// the Proxy check say which, and never the password.
func TestProxy407SaysWhetherCredentialsWereSent(t *testing.T) {
	for _, tt := range []struct {
		name, user string
		meaning    string
		cause      string
	}{
		{"no credentials", "", `it wants credentials of its own (Basic realm "Corp Proxy")`, CauseProxyAuth},
		{"credentials rejected", "bob:pw1234567@", `it rejects the credentials it was sent (Basic realm "Corp Proxy")`, CauseProxyCreds},
	} {
		t.Run(tt.name, func(t *testing.T) {
			addr, _ := refusingProxy(t, 407, "Proxy-Authenticate", `Basic realm="Corp Proxy"`)
			pu, _ := url.Parse("http://" + tt.user + addr)
			hp := NewHTTPProber(HTTPOptions{Proxy: func(*http.Request) (*url.URL, error) { return pu, nil }, Resolver: noSuchHostResolver})
			res := NewAPIProber("https://api.example.test", hp).ProbeReach(t.Context())
			if !strings.HasSuffix(res.Message, "not Anthropic: "+tt.meaning) || strings.Contains(res.Message, "pw1234567") {
				t.Errorf("probe: %q, want it to end %q", res.Message, tt.meaning)
			}
			if pr, ok := ParseProxyRefusal(res.Message, res.HTTPStatus); !ok || pr.Sent != (tt.user != "") || pr.Auth != `Basic realm "Corp Proxy"` {
				t.Errorf("read back: %+v %v", pr, ok)
			}
			caddr, _ := connectProxy(t, "407 Proxy Authentication Required")
			c := quietChecker(t, map[string]string{"HTTPS_PROXY": "http://" + tt.user + caddr})
			c.o.APIURL = "https://api.example.test"
			chk, _ := c.Run(t.Context()).Check(CheckProxy)
			if chk.Cause != tt.cause || !strings.HasSuffix(chk.Text, tt.meaning) || strings.Contains(chk.Text, "pw1234567") {
				t.Errorf("proxy check: %q %q, want %q ending %q", chk.Cause, chk.Text, tt.cause, tt.meaning)
			}
		})
	}
}

// ParseProxyRefusal reads back what Words wrote, whatever the proxy put in
// its headers, and refuses a message that is not a proxy's refusal.
func TestParseProxyRefusal(t *testing.T) {
	for _, pr := range []*ProxyRefusal{
		{Proxy: "127.0.0.1:3128", Target: "api.anthropic.com:443", Status: 407, Auth: `Basic realm "Corp Proxy"`, Server: "squid/5.7"},
		{Proxy: "proxy:8080", Target: "claude.ai:443", Status: 407, Sent: true},
		{Proxy: "proxy:8080", Target: "claude.ai:443", Status: 407, Auth: `NTLM, Negotiate`, Sent: true},
		{Proxy: "[::1]:3128", Target: "status.claude.com:443", Status: 503, Server: "squid/5.7", Code: "ERR_CONNECT_FAIL 111"},
		{Proxy: "p:1", Target: "a:443", Status: 502, Code: "ERR_DNS_FAIL 0"},
		{Proxy: "p:1", Target: "a:443", Status: 504, Server: "Apache, mod_proxy"},
		{Proxy: "p:1", Target: "a:443", Status: 403, Server: "Zscaler/6.2"},
		{Proxy: "p:1", Target: "a:443", Status: 418},
	} {
		got, ok := ParseProxyRefusal(pr.Words(), pr.Status)
		if !ok || *got != *pr {
			t.Errorf("%q read back as %+v (%v), want %+v", pr.Words(), got, ok, pr)
		}
	}
	for _, msg := range []string{"", "proxy connection failed: connection refused", "a proxy answered instead of the API: 407 Proxy Authentication Required (squid/5.7)",
		"the proxy at p:1 answered 502 Bad Gateway", "the proxy at p:1 answered 407 Proxy Authentication Required to CONNECT a:443"} {
		if pr, ok := ParseProxyRefusal(msg, 407); ok && msg != "" && !strings.HasPrefix(msg, "the proxy at") {
			t.Errorf("%q read as %+v", msg, pr)
		}
	}
	if _, ok := ParseProxyRefusal("the proxy at p:1 answered 502 Bad Gateway to CONNECT a:443, not Anthropic: x", 407); ok {
		t.Error("a 502's words read as a 407")
	}
}
