// The sentences about a proxy that answered CONNECT in a host's place:
// the proxy's own answer, whose it is, and the fix.

package judge

import (
	"net/http"
	"strings"

	"downforai/probe"
)

// proxyRefusal is the proxy's refusal r records (its answer to CONNECT
// in the target's place), read back from the probe's words.
func proxyRefusal(r probe.Result) (*probe.ProxyRefusal, bool) {
	if !ProxyAnswered(r) {
		return nil, false
	}
	return probe.ParseProxyRefusal(r.Message, r.HTTPStatus)
}

// proxyVar is the variable the requests take their proxy from, as the
// Proxy check found it: "HTTPS_PROXY" unless only https_proxy is set.
// Every host the probes CONNECT to is https://, so it is never HTTP_PROXY.
func (j judgement) proxyVar() string {
	if c, ok := j.in.Local.Check(probe.CheckProxy); ok {
		if v := probe.ProxyVar(c); strings.EqualFold(v, "HTTPS_PROXY") {
			return v
		}
	}
	return "HTTPS_PROXY"
}

// proxyAuthFix is the fix of a proxy's 407: with no credentials in the
// proxy URL, set them there; with credentials there (the request carried
// them, or the Proxy check sent them and met the same 407), check them.
// The proxy's address is the one it answered from; a password is never
// written (the probe's words hold none).
func (j judgement) proxyAuthFix(pr *probe.ProxyRefusal) string {
	v := j.proxyVar()
	if j.credsSent(pr) {
		return "check the user and password in " + v + " (URL-encode special characters: @ as %40), or ask your IT for the proxy's login"
	}
	addr := probe.Line(pr.Proxy, 80)
	if addr == "" {
		addr = "host:port"
	}
	return "set the proxy's credentials in " + v + " (" + v + "=http://user:password@" + addr + "), or ask your IT for the proxy's login"
}

// credsSent reports whether the proxy's 407 answered credentials: the
// probe sent the proxy URL's, or the Proxy check did and met a 407.
func (j judgement) credsSent(pr *probe.ProxyRefusal) bool {
	if pr.Sent {
		return true
	}
	c, ok := j.in.Local.Check(probe.CheckProxy)
	return ok && c.Cause == probe.CauseProxyCreds
}

// proxyEverywhere is the headline when the proxy answered CONNECT for
// every Anthropic host and the status page, all with one status: the
// proxy is the component at fault (it asked none of them), said with
// its answer and the fix. ok is false when their answers differ or do
// not read back: the cause's own words are said then.
func (j judgement) proxyEverywhere(cause probe.Result) (string, bool) {
	pr, ok := proxyRefusal(cause)
	if !ok {
		return "", false
	}
	for _, t := range httpTargets {
		r := j.off.last
		if t != probe.TargetStatus {
			r = j.views[t].latest
		}
		if r.Target == "" || r.Class == probe.ClassUnknown {
			continue
		}
		if other, ok := proxyRefusal(r); !ok || other.Status != pr.Status || other.Proxy != pr.Proxy {
			return "", false
		}
	}
	head := "Your proxy at " + probe.Line(pr.Proxy, 80) + " answered " + pr.Answer() + " to CONNECT for every Anthropic host and the status page, not Anthropic: "
	switch {
	case pr.Status == http.StatusProxyAuthRequired:
		want := "it wants credentials of its own"
		if j.credsSent(pr) {
			want = "the proxy rejects the credentials in " + j.proxyVar()
		}
		if pr.Auth != "" {
			want += " (" + pr.Auth + ")"
		}
		return head + want + " — " + j.proxyAuthFix(pr) + ".", true
	case pr.Status >= 500:
		return head + "it reached none of them, so none was asked — the proxy, or its own way out, is what fails; ask whoever runs it.", true
	}
	return head + "it refuses the tunnel to each of them — ask whoever runs it to allow them.", true
}

// proxyUnreachable is the headline of one host the proxy could not reach
// (its 5xx to CONNECT) while others answer: not your network, which
// carries the others, and not known to be Anthropic's — the host, or the
// proxy's route to it.
func (j judgement) proxyUnreachable(sv probe.ServiceVerdict, w view, who string) (head, fact string, ok bool) {
	pr, ok := proxyRefusal(w.evidence)
	if !ok || pr.Status < 500 {
		return "", "", false
	}
	target := probe.Line(pr.Target, 80)
	// One parenthesis, never one inside another: who the proxy is and
	// its own code after the answer.
	answer := probe.StatusText(pr.Status) + " to CONNECT " + target
	var about []string
	for _, a := range []string{pr.Server, pr.Code} {
		if a != "" {
			about = append(about, a)
		}
	}
	if len(about) > 0 {
		answer += "; " + strings.Join(about, ", ")
	}
	head = who + " unreachable from here through your proxy (the proxy could not reach it: " + answer + ")" +
		j.others(sv.Service) + ": Anthropic's host or the proxy's route to it"
	fact = "to tell them apart, ask whoever runs the proxy at " + probe.Line(pr.Proxy, 80) + " whether it reaches " + target +
		", or try from a network without the proxy: if it answers there, the proxy's route to it fails"
	return head, fact, true
}
