package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

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
	if pr, ok := proxyRefusal(err); ok {
		return ClassNetwork, NetProxy, pr.Words()
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

// transportResult classifies a failed exchange into res, trusting the
// context over the error text: whatever error the transport surfaced after
// our deadline passed, the cause is the timeout. A proxy's refusal of
// CONNECT is an HTTP answer — the proxy's, so its status is the result's
// (407), said as the proxy's.
func transportResult(ctx context.Context, res *Result, err error, host string, timeout time.Duration) {
	switch ctx.Err() {
	case context.DeadlineExceeded:
		err = context.DeadlineExceeded
	case context.Canceled:
		err = context.Canceled
	}
	res.Class, res.ErrorType, res.Message = ClassifyTransportError(err, host, timeout)
	if pr, ok := proxyRefusal(err); ok && res.HTTPStatus == 0 {
		res.HTTPStatus = pr.Status
	}
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

// StatusErrorType is the ErrorType a prober gives an HTTP status whose
// answer named no error type of its own: "http_503".
func StatusErrorType(status int) string { return "http_" + strconv.Itoa(status) }
