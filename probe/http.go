package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"
)

// MaxBodyBytes bounds how much of a response body a probe reads. Every answer
// we judge (summary.json ~2 KB, an error JSON, a models page) is far below
// it; anything bigger is cut and marked truncated.
const MaxBodyBytes = 1 << 20

// DefaultMaxRedirects is how many redirects a probe follows before it gives
// up, so a redirect loop ends as a clear error instead of a timeout.
const DefaultMaxRedirects = 5

// DefaultSlowAfter is the latency budget when none is configured: a healthy
// answer slower than this is ClassSlow.
const DefaultSlowAfter = 3 * time.Second

// redirectError is returned by CheckRedirect; ClassifyTransportError
// recognises it.
type redirectError struct{ n int }

func (e redirectError) Error() string { return fmt.Sprintf("stopped after %d redirects", e.n) }

// errTooManyRedirects is the default limit's error, for tests.
var errTooManyRedirects = redirectError{DefaultMaxRedirects}

// HTTPOptions configure an HTTPProber. The zero value is usable.
type HTTPOptions struct {
	Version      string                                // for the User-Agent, "dev" when empty
	TLSConfig    *tls.Config                           // nil: system roots; tests pass a pool
	Proxy        func(*http.Request) (*url.URL, error) // nil: http.ProxyFromEnvironment
	MaxRedirects int                                   // 0: DefaultMaxRedirects
	MaxBody      int64                                 // 0: MaxBodyBytes
	Resolver     *net.Resolver                         // nil: the system's; tests pass one that never leaves the process
}

// HTTPProber sends one request at a time and measures it like
// blackbox_exporter: DNS, connect, TLS, first byte and total, with keep-alives
// off so every sample pays (and measures) the whole connection set-up.
type HTTPProber struct {
	client    *http.Client
	userAgent string
	maxBody   int64
}

// NewHTTPProber builds a prober with its own client and transport.
func NewHTTPProber(o HTTPOptions) *HTTPProber {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	tr.Proxy = http.ProxyFromEnvironment
	if o.Proxy != nil {
		tr.Proxy = o.Proxy
	}
	if o.TLSConfig != nil {
		tr.TLSClientConfig = o.TLSConfig.Clone()
	}
	if o.Resolver != nil {
		// http.DefaultTransport's dialer, with the given resolver.
		tr.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Resolver: o.Resolver}).DialContext
	}
	maxRedirects := o.MaxRedirects
	if maxRedirects <= 0 {
		maxRedirects = DefaultMaxRedirects
	}
	maxBody := o.MaxBody
	if maxBody <= 0 {
		maxBody = MaxBodyBytes
	}
	version := o.Version
	if version == "" {
		version = "dev"
	}
	return &HTTPProber{
		client: &http.Client{
			Transport: tr,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= maxRedirects {
					return redirectError{maxRedirects}
				}
				// Go forwards custom headers on every redirect; only
				// Authorization is dropped for another host. x-api-key must
				// never follow a redirect off the host it was meant for.
				if req.URL.Host != via[0].URL.Host {
					req.Header.Del("x-api-key")
					req.Header.Del("Authorization")
					req.Header.Del("anthropic-beta")
				}
				return nil
			},
		},
		userAgent: "downforai/" + version,
		maxBody:   maxBody,
	}
}

// HTTPResponse is what one HTTP exchange produced. Err is set when no
// complete answer arrived (transport failure, or the body broke off); Status
// and Header may still be set when the failure came while reading the body.
type HTTPResponse struct {
	Status    int
	Header    http.Header
	Body      []byte // at most the prober's MaxBody bytes
	Truncated bool   // the body was longer than MaxBody
	Phases    Phases
	Err       error
}

// Get is Do with GET.
func (p *HTTPProber) Get(ctx context.Context, rawURL string, header http.Header) HTTPResponse {
	return p.Do(ctx, http.MethodGet, rawURL, header)
}

// request is a request traced into tl, with the given extra headers and
// our User-Agent — what Do and Stream send alike.
func (p *HTTPProber) request(ctx context.Context, tl *timeline, method, rawURL string, header http.Header, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, tl.trace()), method, rawURL, body)
	if err != nil {
		return nil, err
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("User-Agent", p.userAgent)
	return req, nil
}

// Do sends one request with the given extra headers and reads the answer,
// timing each phase. It never returns a nil Header.
func (p *HTTPProber) Do(ctx context.Context, method, rawURL string, header http.Header) HTTPResponse {
	tl := &timeline{}
	out := HTTPResponse{Header: http.Header{}}
	resp, _ := p.send(ctx, tl, method, rawURL, header, nil, &out)
	if resp == nil {
		return out
	}
	defer resp.Body.Close()
	out.Status, out.Header = resp.StatusCode, resp.Header
	out.Body, out.Truncated, out.Err = p.readCapped(resp.Body)
	out.Phases = tl.phases(time.Now())
	return out
}

// send builds the request (request) and sends it, timed by tl from
// start. When there is no answer it returns nil and writes the error into
// out, with the phases so far once the request was sent.
func (p *HTTPProber) send(ctx context.Context, tl *timeline, method, rawURL string, header http.Header, body io.Reader, out *HTTPResponse) (resp *http.Response, start time.Time) {
	req, err := p.request(ctx, tl, method, rawURL, header, body)
	if err != nil {
		out.Err = err
		return nil, time.Time{}
	}
	start = time.Now()
	tl.start(start)
	if resp, err = p.client.Do(req); err != nil {
		out.Err = err
		out.Phases = tl.phases(time.Now())
		return nil, start
	}
	return resp, start
}

// readCapped reads at most the prober's body cap (HTTPOptions.MaxBody) of an
// answer; truncated says there was more.
func (p *HTTPProber) readCapped(body io.Reader) (b []byte, truncated bool, err error) {
	b, err = io.ReadAll(io.LimitReader(body, p.maxBody+1))
	if int64(len(b)) > p.maxBody {
		return b[:p.maxBody], true, err
	}
	return b, false, err
}

// timeline records httptrace hook times. The hooks fire on the transport's
// dial and read goroutines, so every access holds mu. A redirect or a retried
// dial starts a new hop; DNS, connect and TLS add up over hops, first byte is
// the last hop's.
type timeline struct {
	mu    sync.Mutex
	begin time.Time
	hops  []hop
}

type hop struct {
	dnsStart, dnsDone   time.Time
	connStart, connDone time.Time
	tlsStart, tlsDone   time.Time
	wrote, firstByte    time.Time
}

func (t *timeline) start(now time.Time) {
	t.mu.Lock()
	t.begin = now
	t.mu.Unlock()
}

// cur returns the current hop; the caller holds mu.
func (t *timeline) cur() *hop {
	if len(t.hops) == 0 {
		t.hops = append(t.hops, hop{})
	}
	return &t.hops[len(t.hops)-1]
}

func (t *timeline) at(f func(h *hop, now time.Time)) {
	now := time.Now()
	t.mu.Lock()
	f(t.cur(), now)
	t.mu.Unlock()
}

func (t *timeline) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn: func(string) {
			t.mu.Lock()
			t.hops = append(t.hops, hop{})
			t.mu.Unlock()
		},
		DNSStart: func(httptrace.DNSStartInfo) { t.at(func(h *hop, n time.Time) { h.dnsStart = n }) },
		DNSDone:  func(httptrace.DNSDoneInfo) { t.at(func(h *hop, n time.Time) { h.dnsDone = n }) },
		ConnectStart: func(string, string) {
			// Happy eyeballs may dial twice in parallel: keep the first start.
			t.at(func(h *hop, n time.Time) {
				if h.connStart.IsZero() {
					h.connStart = n
				}
			})
		},
		ConnectDone: func(_, _ string, err error) {
			if err == nil {
				t.at(func(h *hop, n time.Time) { h.connDone = n })
			}
		},
		TLSHandshakeStart: func() { t.at(func(h *hop, n time.Time) { h.tlsStart = n }) },
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			if err == nil {
				t.at(func(h *hop, n time.Time) { h.tlsDone = n })
			}
		},
		WroteRequest:         func(httptrace.WroteRequestInfo) { t.at(func(h *hop, n time.Time) { h.wrote = n }) },
		GotFirstResponseByte: func() { t.at(func(h *hop, n time.Time) { h.firstByte = n }) },
	}
}

func span(a, b time.Time) time.Duration {
	if a.IsZero() || b.IsZero() || b.Before(a) {
		return 0
	}
	return b.Sub(a)
}

func (t *timeline) phases(end time.Time) Phases {
	t.mu.Lock()
	defer t.mu.Unlock()
	var p Phases
	for _, h := range t.hops {
		p.DNS += span(h.dnsStart, h.dnsDone)
		p.Connect += span(h.connStart, h.connDone)
		p.TLS += span(h.tlsStart, h.tlsDone)
	}
	if n := len(t.hops); n > 0 {
		h := t.hops[n-1]
		p.FirstByte = span(h.wrote, h.firstByte)
	}
	p.Total = span(t.begin, end)
	return p
}

// Network error kinds, the ErrorType of a ClassNetwork result.
const (
	NetDNS     = "dns"
	NetRefused = "refused"
	NetReset   = "reset"
	NetTimeout = "timeout"
	NetTLS     = "tls"
	NetProxy   = "proxy"
	NetConnect = "connect"
)

// ClassifyTransportError judges an error from an HTTP exchange (anything
// HTTPProber.Do puts in Err). Network failures are ClassNetwork with
// ErrorType one of dns, refused, reset, timeout, tls, proxy, connect; a
// redirect loop is ClassUnexpected ("redirect"); a cancelled probe (the
// engine is stopping) is ClassUnknown ("canceled"). host names the server in
// messages; timeout, when known, is quoted in the timeout message. The
// message is sanitised and never holds the URL (which could carry
// credentials in its query or userinfo).
func ClassifyTransportError(err error, host string, timeout time.Duration) (Class, string, string) {
	c, typ, msg := classifyTransport(err, host, timeout)
	return c, typ, Line(msg, 200)
}

func classifyTransport(err error, host string, timeout time.Duration) (Class, string, string) {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // url.Error's text repeats the URL: drop it
	}
	var re redirectError
	if errors.As(err, &re) {
		return ClassUnexpected, "redirect", re.Error() + " (redirect loop?)"
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return ClassUnknown, "canceled", "probe canceled"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ETIMEDOUT) ||
		(errors.As(err, &ne) && ne.Timeout()):
		if errors.As(err, &dnsErr) {
			return ClassNetwork, NetDNS, fmt.Sprintf("DNS lookup of %s timed out", hostOr(dnsErr.Name, host))
		}
		if timeout > 0 {
			return ClassNetwork, NetTimeout, "timed out after " + roundDur(timeout).String()
		}
		return ClassNetwork, NetTimeout, "timed out"
	case errors.As(err, &dnsErr):
		reason := dnsErr.Err
		if dnsErr.IsNotFound {
			reason = "no such host"
		}
		return ClassNetwork, NetDNS, fmt.Sprintf("DNS lookup of %s failed: %s", hostOr(dnsErr.Name, host), reason)
	}
	if typ, msg, ok := tlsError(err); ok {
		return ClassNetwork, typ, msg
	}
	if errors.As(err, &opErr) && opErr.Op == "proxyconnect" {
		return ClassNetwork, NetProxy, "proxy connection failed: " + innerText(opErr.Err)
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return ClassNetwork, NetRefused, fmt.Sprintf("connection to %s refused", host)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return ClassNetwork, NetReset, "connection reset by peer"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return ClassNetwork, NetReset, "connection closed before the answer was complete"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return ClassNetwork, NetConnect, fmt.Sprintf("cannot reach %s: %s", host, innerText(err))
	}
	if errors.As(err, &opErr) {
		return ClassNetwork, NetConnect, fmt.Sprintf("%s to %s failed: %s", opErr.Op, host, innerText(opErr.Err))
	}
	if why, ok := malformed(err); ok {
		// The connection was made and the server sent bytes, but not an
		// HTTP answer Go can read: that is what answered, not a network
		// that failed to connect (cold6 E3: a control character in a
		// header read "network: connect … unreachable from here", and an
		// incident on "your side").
		return ClassUnexpected, "malformed", fmt.Sprintf("%s answered with a malformed HTTP response (%s)", host, why)
	}
	// net/http reports a proxy's refusal of CONNECT without a typed error.
	if s := err.Error(); strings.Contains(s, "proxy") {
		return ClassNetwork, NetProxy, s
	}
	return ClassNetwork, NetConnect, err.Error()
}

func tlsError(err error) (string, string, bool) {
	var (
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		invalid    x509.CertificateInvalidError
		verifyErr  *tls.CertificateVerificationError
		recordErr  tls.RecordHeaderError
		alertErr   tls.AlertError
		unknownCAp *x509.UnknownAuthorityError
	)
	switch {
	case errors.As(err, &unknownCA), errors.As(err, &unknownCAp):
		return NetTLS, "TLS handshake failed: certificate signed by unknown authority", true
	case errors.As(err, &hostErr):
		return NetTLS, "TLS handshake failed: " + strings.TrimPrefix(hostErr.Error(), "x509: "), true
	case errors.As(err, &invalid):
		return NetTLS, "TLS handshake failed: " + strings.TrimPrefix(invalid.Error(), "x509: "), true
	case errors.As(err, &verifyErr):
		return NetTLS, "TLS handshake failed: " + strings.TrimPrefix(innerText(verifyErr.Err), "x509: "), true
	case errors.As(err, &recordErr):
		return NetTLS, "TLS handshake failed: the server did not answer with TLS (plain HTTP on an https URL?)", true
	case errors.As(err, &alertErr):
		return NetTLS, "TLS handshake failed: " + alertErr.Error(), true
	}
	// net/http turns a RecordHeaderError that looks like HTTP into this
	// untyped error.
	if s := err.Error(); strings.Contains(s, "server gave HTTP response to HTTPS client") {
		return NetTLS, "TLS handshake failed: the server answered plain HTTP on an https URL", true
	}
	if s := err.Error(); strings.Contains(s, "tls: ") {
		return NetTLS, "TLS handshake failed: " + s[strings.Index(s, "tls: ")+len("tls: "):], true
	}
	return "", "", false
}

// innerText is the innermost useful text of err: for *net.OpError and
// *os.SyscallError chains, the bottom error ("connection refused").
func innerText(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

func hostOr(name, host string) string {
	if name != "" {
		return name
	}
	return host
}

// roundDur makes "10s" of 9.99999s left on a deadline, and keeps
// sub-second budgets readable.
func roundDur(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// probeContext applies the probe's hard timeout and says what it is, for
// the "timed out after 10s" message. timeout 0 keeps the caller's deadline.
func probeContext(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc, time.Duration) {
	if timeout > 0 {
		c, cancel := context.WithTimeout(ctx, timeout)
		return c, cancel, timeout
	}
	c, cancel := context.WithCancel(ctx)
	if d, ok := ctx.Deadline(); ok {
		return c, cancel, time.Until(d)
	}
	return c, cancel, 0
}

// transportResult classifies a failed exchange, trusting the context over
// the error text: whatever error the transport surfaced after our deadline
// passed, the cause is the timeout.
func transportResult(ctx context.Context, err error, host string, timeout time.Duration) (Class, string, string) {
	switch ctx.Err() {
	case context.DeadlineExceeded:
		err = context.DeadlineExceeded
	case context.Canceled:
		err = context.Canceled
	}
	return ClassifyTransportError(err, host, timeout)
}

// hostOf is the host[:port] of rawURL for messages, without userinfo.
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return "the server"
	}
	return u.Host
}

// looksHTML reports whether body is an HTML page rather than JSON.
func looksHTML(body []byte) bool {
	s := strings.TrimLeft(string(body[:min(len(body), 512)]), " \t\r\n\ufeff")
	// JSON never starts with '<'; a challenge page, an error page from a
	// proxy or a captive portal does.
	return strings.HasPrefix(s, "<")
}

// slowOrOK turns a healthy class into ClassSlow when total is over budget,
// adding the figures to msg. budget < 0 disables; 0 means DefaultSlowAfter.
func slowOrOK(total, budget time.Duration, msg string) (Class, string) {
	if budget == 0 {
		budget = DefaultSlowAfter
	}
	if budget > 0 && total > budget {
		return ClassSlow, fmt.Sprintf("%s; slow: %s, budget %s", msg, roundDur(total), budget)
	}
	return ClassOK, msg
}

// malformed reports whether err is net/http failing to read what the
// server sent (a status line, a header, a chunked body that is not
// HTTP), with Go's words for it after the "transport connection broken"
// wrapper. Only the transport's words say so: its errors for this are
// textproto's ProtocolError or untyped strings.
func malformed(err error) (string, bool) {
	var pe textproto.ProtocolError
	s := err.Error()
	if !errors.As(err, &pe) && !strings.Contains(s, "malformed ") &&
		!strings.Contains(s, "invalid chunked") && !strings.Contains(s, "response headers exceeded") {
		return "", false
	}
	if i := strings.LastIndex(s, "connection broken: "); i >= 0 {
		s = s[i+len("connection broken: "):]
	}
	return s, true
}
