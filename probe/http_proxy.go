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
}

func (e *ProxyRefusal) Error() string { return e.Words() }

// Words say who answered and what it means: "the proxy at 127.0.0.1:3128
// answered 407 Proxy Authentication Required (squid/5.7) to CONNECT
// api.anthropic.com:443, not Anthropic: it wants credentials of its own
// (Basic realm "Corp Proxy")".
func (e *ProxyRefusal) Words() string {
	return "the proxy at " + Line(e.Proxy, 80) + " answered " + e.Reply()
}

// Reply is the proxy's answer and what it means, without naming the
// proxy: "407 Proxy Authentication Required (squid/5.7) to CONNECT
// api.anthropic.com:443, not Anthropic: it wants credentials of its own
// (Basic realm "Corp Proxy")".
func (e *ProxyRefusal) Reply() string {
	s := StatusText(e.Status)
	if e.Server != "" {
		s += " (" + e.Server + ")"
	}
	s += " to CONNECT " + Line(e.Target, 80) + ", not Anthropic: "
	switch {
	case e.Status == http.StatusProxyAuthRequired:
		s += "it wants credentials of its own"
		if e.Auth != "" {
			s += " (" + e.Auth + ")"
		}
	case e.Status >= 500:
		s += "it did not open the tunnel (its report of the host; Anthropic not asked)"
	default:
		s += "it refuses the tunnel"
	}
	return s
}

// NewProxyRefusal reads a proxy's answer to CONNECT target.
func NewProxyRefusal(proxy, target string, status int, h http.Header) *ProxyRefusal {
	return &ProxyRefusal{Proxy: proxy, Target: target, Status: status,
		Auth: ProxyAuthWords(h), Server: Line(h.Get("Server"), 40)}
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
	proxy := ""
	if proxyURL != nil {
		proxy = proxyURL.Host
	}
	return NewProxyRefusal(proxy, target, res.StatusCode, res.Header)
}

// proxyRefusal returns the proxy's refusal in err, if that is what it is.
func proxyRefusal(err error) (*ProxyRefusal, bool) {
	var pr *ProxyRefusal
	return pr, errors.As(err, &pr)
}
