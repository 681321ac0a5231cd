package probe

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// The network checks: the proxy in the environment, DNS of the API host,
// and this clock against the API server's.

func (c *LocalChecker) apiHost() (string, string) {
	u, err := url.Parse(c.o.APIURL)
	if err != nil || u.Host == "" {
		return "", ""
	}
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	return u.Hostname(), port
}

// proxyFor is the proxy URL the API's requests would use, the variable it
// came from, and why the API host goes direct all the same ("" when it goes
// through the proxy). Exemption is decided by golang.org/x/net/http/httpproxy,
// the code net/http itself uses: NO_PROXY=*, host:port entries, domains with
// or without a leading dot, CIDR ranges, and loopback, which is never
// proxied.
func (c *LocalChecker) proxyFor() (raw, from, exempt string) {
	env := func(names ...string) (string, string) {
		for _, n := range names {
			if v := strings.TrimSpace(c.o.Getenv(n)); v != "" {
				return v, n
			}
		}
		return "", ""
	}
	if strings.HasPrefix(c.o.APIURL, "https:") {
		raw, from = env("HTTPS_PROXY", "https_proxy")
	} else {
		raw, from = env("HTTP_PROXY", "http_proxy")
	}
	u, err := url.Parse(c.o.APIURL)
	if raw == "" || err != nil || u.Host == "" {
		return raw, from, ""
	}
	// A stand-in proxy, so the answer is about the host alone; whether the
	// proxy given is a URL is checked on its own.
	const standIn = "http://proxy.invalid"
	direct := func(noProxy string) bool {
		p, err := (&httpproxy.Config{HTTPProxy: standIn, HTTPSProxy: standIn, NoProxy: noProxy}).ProxyFunc()(u)
		return err == nil && p == nil
	}
	noProxy, npFrom := env("NO_PROXY", "no_proxy")
	switch {
	case direct(""):
		return raw, from, "the API host is on this machine, which is never proxied"
	case direct(noProxy):
		return raw, from, npFrom + " exempts the API host"
	}
	return raw, from, ""
}

// proxyVars are the variables that name a proxy, in the order they are
// reported.
var proxyVars = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"}

func (c *LocalChecker) proxy(ctx context.Context) LocalCheck {
	chk := LocalCheck{ID: CheckProxy, Name: "Proxy", Level: LocalOK}
	var socks, set []string
	for _, n := range proxyVars {
		v := strings.TrimSpace(c.o.Getenv(n))
		if v == "" {
			continue
		}
		set = append(set, n+"="+Line(MaskURL(v), 80))
		if strings.HasPrefix(strings.ToLower(v), "socks") {
			socks = append(socks, n+"="+Line(MaskURL(v), 80))
		}
	}
	raw, from, exempt := c.proxyFor()
	switch {
	case len(set) == 0:
		chk.Cause = CauseDirect
		chk.Text = "no proxy in the environment: direct connection"
		return chk
	case raw == "" && len(socks) > 0:
		chk.Level, chk.Class, chk.Cause = LocalWarn, ClassNetwork, CauseSOCKS
		chk.Text = strings.Join(socks, ", ") + ": Claude Code does not support SOCKS proxies"
		return chk
	case raw == "":
		// Set, but not a variable the API's requests read: say what is
		// set, and why the requests go direct all the same (cold6 D19).
		reads := "HTTPS_PROXY (or https_proxy)"
		if !strings.HasPrefix(c.o.APIURL, "https:") {
			reads = "HTTP_PROXY (or http_proxy), the API URL being http://"
		}
		chk.Level, chk.Cause = LocalInfo, CauseDirect
		chk.Text = strings.Join(set, ", ") + " set, but requests to the API read only " + reads
		if c.o.Getenv("ALL_PROXY") != "" || c.o.Getenv("all_proxy") != "" {
			chk.Text += " (downforai does not use ALL_PROXY, and Claude Code's documentation names only HTTPS_PROXY and HTTP_PROXY)"
		}
		chk.Text += ": direct connection"
		return chk
	case exempt != "":
		chk.Level, chk.Cause = LocalInfo, CauseDirect
		chk.Text = from + " is set, but " + exempt + ": direct connection"
		return chk
	}
	shown := from + "=" + Line(MaskURL(raw), 100)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		// Go and Node accept "host:port" without a scheme.
		if u2, err2 := url.Parse("http://" + raw); err2 == nil && u2.Host != "" && !strings.Contains(raw, "://") {
			u, err = u2, nil
		}
	}
	if err != nil || u.Host == "" {
		chk.Level, chk.Class = LocalFail, ClassNetwork
		chk.Text = shown + " is not a URL"
		return chk
	}
	if strings.HasPrefix(strings.ToLower(u.Scheme), "socks") {
		chk.Level, chk.Class, chk.Cause = LocalWarn, ClassNetwork, CauseSOCKS
		chk.Text = shown + ": Claude Code does not support SOCKS proxies"
		return chk
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	dctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	conn, err := c.o.Dial(dctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		_, kind, msg := ClassifyTransportError(err, u.Host, c.o.Timeout)
		chk.Level, chk.Class = LocalFail, ClassNetwork
		chk.Text = shown + " does not accept connections (" + kind + ": " + msg + ")"
		return chk
	}
	defer conn.Close()
	chk.Text = shown + " accepts connections"
	if strings.HasPrefix(c.o.APIURL, "https:") && !strings.EqualFold(u.Scheme, "https") {
		// A proxy that takes the connection may still refuse the tunnel
		// (a 407 wanting its own login): only CONNECT through it to the
		// API host tells them apart (cold8 E1, where the proxy at fault
		// had a ✔ "accepts connections").
		host, hport := c.apiHost()
		target := net.JoinHostPort(host, hport)
		pr, err := connectThrough(dctx, conn, u, target)
		switch {
		case pr != nil:
			chk.Level, chk.Class, chk.Cause = LocalFail, ClassNetwork, CauseProxyRefused
			switch {
			case pr.Status == http.StatusProxyAuthRequired && pr.Sent:
				chk.Cause = CauseProxyCreds
			case pr.Status == http.StatusProxyAuthRequired:
				chk.Cause = CauseProxyAuth
			}
			chk.Text = shown + " refuses the tunnel: it answered " + pr.Reply()
			if pr.Status >= 500 {
				// It tried and could not reach the host: not a refusal.
				chk.Text = shown + " opens no tunnel to " + target + ": it answered " + pr.Reply()
			}
			return chk
		case err != nil:
			_, kind, msg := ClassifyTransportError(err, u.Host, c.o.Timeout)
			chk.Level, chk.Class = LocalFail, ClassNetwork
			chk.Text = shown + " accepts connections, but CONNECT to " + target + " through it failed (" + kind + ": " + msg + ")"
			return chk
		}
		chk.Text = shown + " opens a tunnel (CONNECT) to " + target
	}
	switch {
	case len(socks) > 0:
		chk.Level, chk.Class, chk.Cause = LocalWarn, ClassNetwork, CauseSOCKS
		chk.Text += "; " + strings.Join(socks, ", ") + ": Claude Code does not support SOCKS proxies"
	case strings.EqualFold(u.Scheme, "https"):
		// The scheme is how to talk to the proxy, not to the API: most
		// proxies speak plain HTTP, and TLS to them fails with "wrong
		// version number" (the tunnel to the API is encrypted anyway).
		// Some do speak TLS, and the probes through it tell: a note, not
		// a warning.
		chk.Level, chk.Class, chk.Cause = LocalInfo, ClassNetwork, CauseHTTPSProxy
		chk.Text += ", as https://: most proxies speak plain HTTP, and TLS to them fails with \"wrong version number\"; if you see that, write it http://"
	}
	return chk
}

// connectThrough asks the proxy on conn for a tunnel to target, as
// net/http does (with the proxy URL's user and password as Basic
// Proxy-Authorization): nil, nil when it answers 200; its refusal when it
// answers anything else; err when it does not answer.
func connectThrough(ctx context.Context, conn net.Conn, proxy *url.URL, target string) (*ProxyRefusal, error) {
	if d, ok := ctx.Deadline(); ok {
		conn.SetDeadline(d)
	}
	req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: target}, Host: target, Header: http.Header{}}
	if ui := proxy.User; ui != nil {
		pw, _ := ui.Password()
		req.SetBasicAuth(ui.Username(), pw)
		req.Header["Proxy-Authorization"] = req.Header["Authorization"]
		delete(req.Header, "Authorization")
	}
	if err := req.Write(conn); err != nil {
		return nil, err
	}
	res, err := http.ReadResponse(bufio.NewReader(io.LimitReader(conn, 64<<10)), req)
	if err != nil {
		return nil, err
	}
	if res.StatusCode == http.StatusOK {
		return nil, nil
	}
	return NewProxyRefusal(proxy.Host, target, res.StatusCode, res.Header, proxy.User != nil), nil
}

func (c *LocalChecker) dns(ctx context.Context) LocalCheck {
	chk := LocalCheck{ID: CheckDNS, Name: "DNS", Level: LocalOK}
	host, _ := c.apiHost()
	if host == "" {
		chk.Level, chk.Text = LocalSkip, "no API host to resolve"
		return chk
	}
	if ip := net.ParseIP(host); ip != nil {
		chk.Text = host + " is an address: nothing to resolve"
		return chk
	}
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	start := time.Now()
	addrs, err := c.o.LookupHost(ctx, host)
	took := time.Since(start)
	if err != nil {
		_, _, msg := ClassifyTransportError(err, host, c.o.Timeout)
		if !strings.Contains(msg, host) {
			msg = "DNS lookup of " + host + " failed: " + msg
		}
		chk.Level, chk.Class = LocalFail, ClassNetwork
		chk.Text = msg
		if raw, from, exempt := c.proxyFor(); raw != "" && exempt == "" {
			chk.Level = LocalInfo
			chk.Text += " (" + from + " is set: the proxy resolves names, so this may not matter)"
		}
		return chk
	}
	chk.Text = fmt.Sprintf("%s resolves to %s in %s", host, Line(strings.Join(addrs[:min(len(addrs), 2)], ", "), 80), roundDur(took))
	return chk
}

// clockSkewWarn and clockSkewFail grade the difference between the API
// server's Date header and this machine's clock. Date has one-second
// resolution, so anything under two seconds is noise.
const (
	clockSkewNoise = 2 * time.Second
	clockSkewWarn  = 30 * time.Second
	clockSkewFail  = 5 * time.Minute
)

// clock reads the Date header of an unauthenticated GET /v1/models (it
// answers 401 and costs nothing) and compares it with the local clock at
// the middle of the exchange.
func (c *LocalChecker) clock(ctx context.Context) (LocalCheck, time.Duration, bool) {
	chk := LocalCheck{ID: CheckClock, Name: "Clock", Level: LocalSkip}
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	u := strings.TrimRight(c.o.APIURL, "/") + "/v1/models"
	start := c.o.Now()
	r := c.o.HTTP.Get(ctx, u, http.Header{"Anthropic-Version": {AnthropicVersion}})
	end := c.o.Now()
	if r.Err != nil && r.Status == 0 {
		_, _, msg := ClassifyTransportError(r.Err, hostOf(u), c.o.Timeout)
		chk.Text = "could not read the API server's clock: " + msg
		return chk, 0, false
	}
	date, err := http.ParseTime(r.Header.Get("Date"))
	if err != nil {
		chk.Text = "the API's answer had no Date header to compare with"
		return chk, 0, false
	}
	mid := start.Add(end.Sub(start) / 2)
	skew := date.Sub(mid.Truncate(time.Second))
	abs := skew
	if abs < 0 {
		abs = -abs
	}
	dir := "ahead of"
	if skew > 0 {
		dir = "behind"
	}
	switch {
	case abs < clockSkewNoise:
		chk.Level, chk.Text = LocalOK, "this clock agrees with the API server's (within 2 s)"
		return chk, 0, true
	case abs < clockSkewWarn:
		chk.Level = LocalOK
	case abs < clockSkewFail:
		chk.Level, chk.Class = LocalWarn, ClassNetwork
	default:
		chk.Level, chk.Class = LocalFail, ClassNetwork
	}
	chk.Text = fmt.Sprintf("this clock is %s %s the API server's", humanDur(abs), dir)
	if chk.Level == LocalFail {
		chk.Text += ": certificates and tokens will look expired or not yet valid"
	}
	return chk, skew, true
}

// EnvProxy is the proxy of a request as net/http's ProxyFromEnvironment
// decides it — HTTPS_PROXY for https://, HTTP_PROXY for http://, NO_PROXY,
// loopback never — but read from getenv at every request: the environment
// the Proxy check reads, where ProxyFromEnvironment keeps the process's
// first read for good, so the probes and the check never disagree.
func EnvProxy(getenv func(string) string) func(*http.Request) (*url.URL, error) {
	if getenv == nil {
		return http.ProxyFromEnvironment
	}
	any := func(names ...string) string {
		for _, n := range names {
			if v := getenv(n); v != "" {
				return v
			}
		}
		return ""
	}
	return func(r *http.Request) (*url.URL, error) {
		cfg := httpproxy.Config{
			HTTPProxy:  any("HTTP_PROXY", "http_proxy"),
			HTTPSProxy: any("HTTPS_PROXY", "https_proxy"),
			NoProxy:    any("NO_PROXY", "no_proxy"),
		}
		return cfg.ProxyFunc()(r.URL)
	}
}

// ProxyVar is the variable the Proxy check found the API's proxy in
// ("HTTPS_PROXY", "https_proxy"): the one a fix of the proxy's login
// names. "" when the check names none (no proxy, or direct).
func ProxyVar(c LocalCheck) string {
	if c.ID != CheckProxy || c.Cause == CauseDirect {
		return ""
	}
	name, _, ok := strings.Cut(c.Text, "=")
	if !ok || !slices.Contains(proxyVars, name) {
		return ""
	}
	return name
}
