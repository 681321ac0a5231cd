package probe

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
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
	// A proxy's refusal of CONNECT is its answer, typed (http_proxy.go).
	tr.OnProxyConnectResponse = onProxyConnect
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
