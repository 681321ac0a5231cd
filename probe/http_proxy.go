package probe

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// ProxyRefusal is a proxy's own answer to CONNECT other than 200: the
// proxy answered, Anthropic was never asked. net/http reports it as an
// untyped error holding the status text alone ("Proxy Authentication
// Required"), which read as a network-level connect failure (cold8 E1);
// the transport's OnProxyConnectResponse returns this instead, with what
// the proxy said of itself.
type ProxyRefusal struct {
	Proxy  string // the proxy's host:port (never its userinfo)
	Target string // the host:port the tunnel was asked for
	Status int    // the proxy's status code: 407, 403, 502 …
	Auth   string // Proxy-Authenticate, sanitised: `Basic realm "Corp Proxy"`
	Server string // the proxy's Server header, sanitised
	Code   string // the proxy's own error code (squid's X-Squid-Error: "ERR_CONNECT_FAIL 111"), sanitised
	Sent   bool   // the request carried credentials (the proxy URL's user and password)
}

func (e *ProxyRefusal) Error() string { return e.Words() }

// Words say who answered and what it means: "the proxy at 127.0.0.1:3128
// answered 407 Proxy Authentication Required (squid/5.7) to CONNECT
// api.anthropic.com:443, not Anthropic: it wants credentials of its own
// (Basic realm "Corp Proxy")". ParseProxyRefusal reads them back.
func (e *ProxyRefusal) Words() string {
	return proxyAt + Line(e.Proxy, 80) + " answered " + e.Reply()
}

// Reply is the proxy's answer and what it means, without naming the
// proxy: "407 Proxy Authentication Required (squid/5.7) to CONNECT
// api.anthropic.com:443, not Anthropic: it wants credentials of its own
// (Basic realm "Corp Proxy")".
func (e *ProxyRefusal) Reply() string {
	return e.Answer() + toConnect + Line(e.Target, 80) + notAnthropic + e.Meaning()
}

// Answer is the proxy's status with who it is and its own error code:
// "503 Service Unavailable (squid/5.7, ERR_CONNECT_FAIL 111)".
func (e *ProxyRefusal) Answer() string {
	s := StatusText(e.Status)
	var about []string
	for _, a := range []string{e.Server, e.Code} {
		if a != "" {
			about = append(about, a)
		}
	}
	if len(about) > 0 {
		s += " (" + strings.Join(about, ", ") + ")"
	}
	return s
}

// The meanings of a refusal, as Meaning says them.
const (
	meansAuth     = "it wants credentials of its own"
	meansRejected = "it rejects the credentials it was sent"
	meansNoReach  = "the proxy could not reach the host"
	meansRefused  = "it refuses the tunnel"
	proxyAt       = "the proxy at "
	toConnect     = " to CONNECT "
	notAnthropic  = ", not Anthropic: "
)

// Meaning is what the refusal says: a 407 wants credentials (or rejects
// those sent), a 5xx is the proxy's report that it could not reach the
// host, anything else refuses the tunnel.
func (e *ProxyRefusal) Meaning() string {
	switch {
	case e.Status == http.StatusProxyAuthRequired:
		s := meansAuth
		if e.Sent {
			s = meansRejected
		}
		if e.Auth != "" {
			s += " (" + e.Auth + ")"
		}
		return s
	case e.Status >= 500:
		return meansNoReach
	}
	return meansRefused
}

// ParseProxyRefusal reads back the refusal a result's message says
// (Words), with the result's HTTP status: the verdict names the proxy,
// its answer and the fix from what the probe recorded. A message cut at
// its end (Line's "…") still reads: the realm it cut ends in "…".
func ParseProxyRefusal(msg string, status int) (*ProxyRefusal, bool) {
	rest, ok := strings.CutPrefix(msg, proxyAt)
	if !ok || status == 0 {
		return nil, false
	}
	e := &ProxyRefusal{Status: status}
	e.Proxy, rest, ok = strings.Cut(rest, " answered "+StatusText(status))
	if !ok {
		return nil, false
	}
	about, rest, ok := strings.Cut(rest, toConnect)
	if !ok {
		return nil, false
	}
	if a, ok := strings.CutPrefix(about, " ("); ok {
		a = strings.TrimSuffix(a, ")")
		e.Server = a
		if i := strings.LastIndex(a, ", "); i >= 0 && strings.HasPrefix(a[i+2:], "ERR_") {
			e.Server, e.Code = a[:i], a[i+2:]
		} else if strings.HasPrefix(a, "ERR_") {
			e.Server, e.Code = "", a
		}
	}
	e.Target, rest, ok = strings.Cut(rest, notAnthropic)
	if !ok {
		return nil, false
	}
	if strings.HasPrefix(rest, meansRejected) {
		e.Sent = true
		rest = strings.TrimPrefix(rest, meansRejected)
	} else {
		rest = strings.TrimPrefix(rest, meansAuth)
	}
	if a, ok := strings.CutPrefix(rest, " ("); ok && status == http.StatusProxyAuthRequired {
		e.Auth = strings.TrimSuffix(a, ")")
	}
	if strings.HasSuffix(msg, "…") && e.Auth == "" && status == http.StatusProxyAuthRequired && !strings.HasPrefix(meansAuth, strings.TrimSuffix(rest, "…")) {
		e.Auth = "…"
	}
	return e, true
}

// NewProxyRefusal reads a proxy's answer to CONNECT target; sent tells
// whether the request carried credentials.
func NewProxyRefusal(proxy, target string, status int, h http.Header, sent bool) *ProxyRefusal {
	return &ProxyRefusal{Proxy: proxy, Target: target, Status: status, Sent: sent && status == http.StatusProxyAuthRequired,
		Auth: ProxyAuthWords(h), Server: Line(h.Get("Server"), 40), Code: proxyCode(h)}
}

// proxyCode is a proxy's own error code: squid's X-Squid-Error
// ("ERR_CONNECT_FAIL 111"), sanitised; "" when it says none.
func proxyCode(h http.Header) string {
	c := Line(h.Get("X-Squid-Error"), 40)
	if !strings.HasPrefix(c, "ERR_") {
		return ""
	}
	return c
}

// ProxyAuthWords is what a proxy's Proxy-Authenticate headers ask for,
// sanitised: each scheme with its realm when given (`Basic realm "Corp
// Proxy"`, `Negotiate`, `NTLM`), "" when there is none.
func ProxyAuthWords(h http.Header) string {
	var out []string
	for _, v := range h.Values("Proxy-Authenticate") {
		v = strings.TrimSpace(v)
		scheme, rest, _ := strings.Cut(v, " ")
		scheme = Line(scheme, 20)
		if scheme == "" {
			continue
		}
		w := scheme
		if realm := authParam(rest, "realm"); realm != "" {
			w += " realm " + Quote(Line(realm, 60))
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
		if len(out) == 3 {
			break
		}
	}
	return strings.Join(out, ", ")
}

// authParam is one auth-param of a challenge (RFC 9110 §11.2): name=token
// or name="quoted string".
func authParam(params, name string) string {
	lower := strings.ToLower(params)
	i := -1
	for from := 0; from < len(lower); {
		j := strings.Index(lower[from:], name+"=")
		if j < 0 {
			return ""
		}
		if at := from + j; at == 0 || lower[at-1] == ' ' || lower[at-1] == ',' {
			i = at
			break
		}
		from += j + 1
	}
	if i < 0 {
		return ""
	}
	v := params[i+len(name)+1:]
	if strings.HasPrefix(v, `"`) {
		var b strings.Builder
		for k := 1; k < len(v); k++ {
			switch v[k] {
			case '\\':
				if k+1 < len(v) {
					k++
					b.WriteByte(v[k])
				}
			case '"':
				return b.String()
			default:
				b.WriteByte(v[k])
			}
		}
		return b.String()
	}
	if j := strings.IndexAny(v, ", "); j >= 0 {
		v = v[:j]
	}
	return v
}

// onProxyConnect is the transport's OnProxyConnectResponse: any answer
// but 200 (the only one net/http accepts) is the proxy's refusal.
func onProxyConnect(_ context.Context, proxyURL *url.URL, req *http.Request, res *http.Response) error {
	if res.StatusCode == http.StatusOK {
		return nil
	}
	target := req.Host
	if target == "" && req.URL != nil {
		target = req.URL.Opaque
	}
	proxy, sent := "", false
	if proxyURL != nil {
		proxy, sent = proxyURL.Host, proxyURL.User != nil
	}
	return NewProxyRefusal(proxy, target, res.StatusCode, res.Header, sent)
}

// proxyRefusal returns the proxy's refusal in err, if that is what it is.
func proxyRefusal(err error) (*ProxyRefusal, bool) {
	var pr *ProxyRefusal
	return pr, errors.As(err, &pr)
}
