package judge

import (
	"strings"
	"time"

	"downforai/probe"
)

// networkWide is the one rule for "your network", shared by the verdict
// and the incident detector: every HTTP target with a judged result fails
// at the network level, and those results come from at least two hosts.
// The API's two probes (without and with a key) ask one host, so the API
// refusing both, while claude.ai and the status page have not answered
// yet, is the API unreachable — never your network. latest gives a
// target's latest result (Target "" or ClassUnknown: none judged yet). The
// first failure, in httpTargets order, is returned as the cause.
func networkWide(latest func(probe.Target) probe.Result) (probe.Result, bool) {
	var cause probe.Result
	hosts := map[string]bool{}
	for _, t := range httpTargets {
		r := latest(t)
		if r.Class == probe.ClassUnknown || r.Target == "" {
			continue
		}
		if r.Class != probe.ClassNetwork {
			return probe.Result{}, false
		}
		if cause.Target == "" {
			cause = r
		}
		hosts[hostOf(t)] = true
	}
	return cause, len(hosts) >= 2
}

// hostOf names the host a target asks: the API's two probes share one.
func hostOf(t probe.Target) string {
	if t == probe.TargetAPIKey {
		return string(probe.TargetAPI)
	}
	return string(t)
}

// networkDown is "your network" (networkWide's rule) with its facts, the
// cause first. hung is true when every one of those failures is a timeout
// or reset after the connection and TLS were made: evidence that the hosts
// accepted and then did not answer, not that the network is down.
func (j judgement) networkDown() (cause probe.Result, facts []string, hung bool, ok bool) {
	latest := func(t probe.Target) probe.Result {
		if t == probe.TargetStatus {
			return j.off.last
		}
		return j.views[t].latest
	}
	cause, ok = networkWide(latest)
	if !ok {
		return cause, nil, false, false
	}
	hung = true
	tls := true     // every one of them made a TLS handshake (plain http to a mirror makes none)
	proxied := true // a proxy answered each in its place (its 407 to CONNECT): none was asked
	for _, t := range httpTargets {
		r := latest(t)
		if r.Target == "" || r.Class == probe.ClassUnknown {
			continue
		}
		if !ProxyAnswered(r) {
			proxied = false
		}
		if classify(r, https(t, j.in.local())) != sAnthropic {
			hung = false
		}
		if r.Phases.TLS <= 0 {
			tls = false
		}
	}
	facts = []string{probe.Line(cause.Message, 80)}
	for _, id := range []string{probe.CheckDNS, probe.CheckProxy} {
		if c, ok := failingCheck(j.in.Local, id); ok {
			facts = append(facts, c.Name+": "+c.Text)
			hung = false
		}
	}
	if proxied {
		return cause, append(facts, ProxiedFact), false, true
	}
	if hung {
		done := "connected"
		if tls {
			done = "connected and finished TLS"
		}
		return cause, append(facts, "every host "+done+", then did not answer: likely a proxy, VPN or filter on the path (the status page is another operator's server, so an Anthropic outage does not explain it)"), true, true
	}
	return cause, append(facts, "every Anthropic host and the status page failed at the network level (DNS, connect, TLS or timeout)"), false, true
}

// everyLookupFails reports whether every HTTP target's latest judged
// result is a DNS lookup that failed, each naming its own host — not one
// name (a proxy's in HTTPS_PROXY) that every request needed.
func (j judgement) everyLookupFails() bool {
	names := map[string]bool{}
	n := 0
	for _, t := range httpTargets {
		r := j.views[t].latest
		if t == probe.TargetStatus {
			r = j.off.last
		}
		if r.Target == "" || r.Class == probe.ClassUnknown {
			continue
		}
		if r.Class != probe.ClassNetwork || r.ErrorType != probe.NetDNS {
			return false
		}
		host, _ := dnsParts(r.Message)
		names[host] = true
		n++
	}
	return n > 0 && len(names) >= 2
}

// ProxiedFact is networkDown's last fact when a proxy answered for every
// host.
const ProxiedFact = "the proxy answered for every Anthropic host and the status page, so none of them was asked: evidence about the proxy, not about Anthropic"

// ProxyAnswered reports whether r is a proxy's own answer in the target's
// place (its 407 or other refusal of CONNECT, or of the request): the
// proxy's words, Anthropic not asked.
func ProxyAnswered(r probe.Result) bool {
	return r.Class == probe.ClassNetwork && r.ErrorType == probe.NetProxy && r.HTTPStatus != 0
}

// pathRecovering is the moment after "your network" when the path has
// come back but not every host has been asked again, or answered often
// enough: some hosts answer again after failing at the network level, and
// every host still failing failed at the network level too, last before
// the first of them answered again. A host that never stopped answering
// (the status page while Anthropic's hosts timed out) says the path never
// went down: no recovery of it. Those failures are what the path did
// then, not evidence against Anthropic: read as a failure of Anthropic's,
// they turned "Likely your network" into "Not yet acknowledged by
// Anthropic" for the seconds until the next probe (cold4 C11) — and, for a
// host that answered once since, until --recover-threshold answers in a
// row end its held failure (views). The hosts must be two at least, as for
// networkWide. It returns the first answer again (the path's recovery),
// the hosts not asked since and the hosts answering again whose failure
// still holds.
func pathRecovering(recent map[probe.Target][]probe.Result, views map[probe.Target]view) (back time.Time, waiting, held []probe.Target, ok bool) {
	hosts := map[string]bool{}
	var lastFail time.Time
	for _, t := range httpTargets {
		rs := judged(recent[t])
		if len(rs) == 0 {
			continue
		}
		n := len(rs)
		if rs[n-1].Class == probe.ClassNetwork {
			waiting = append(waiting, t)
			lastFail = later(lastFail, rs[n-1].Time)
			hosts[hostOf(t)] = true
			continue
		}
		if rs[n-1].Class.Failing() {
			return time.Time{}, nil, nil, false // a host answering with an error speaks for itself
		}
		// Answering now: since when, and was it failing at the network
		// level just before?
		i := n - 1
		for i > 0 && !rs[i-1].Class.Failing() {
			i--
		}
		if i == 0 || rs[i-1].Class != probe.ClassNetwork {
			// It never stopped answering (the status page, through a
			// hang of Anthropic's hosts): the path never went down, so
			// none came back.
			return time.Time{}, nil, nil, false
		}
		if back.IsZero() || rs[i].Time.Before(back) {
			back = rs[i].Time
		}
		hosts[hostOf(t)] = true
		if v, ok := views[t]; ok && v.state.failing() && v.evidence.Class == probe.ClassNetwork {
			// Answered since, not yet often enough: its failure, the
			// path's, still holds.
			held = append(held, t)
			lastFail = later(lastFail, rs[i-1].Time)
		}
	}
	if len(waiting)+len(held) == 0 || back.IsZero() || len(hosts) < 2 || !lastFail.Before(back) {
		return time.Time{}, nil, nil, false
	}
	return back, waiting, held, true
}

// judged drops the results no verdict reads (ClassUnknown).
func judged(rs []probe.Result) []probe.Result {
	return kept(rs, func(r *probe.Result) bool { return r.Class != probe.ClassUnknown })
}

// kept is the results keep says yes to, oldest first: rs itself when it
// keeps every one, which is the common case. The dashboard judges full
// rings every second; copying each ring's results (a few hundred bytes
// each) into a fresh slice for every filter made 0.6 MB of garbage per
// idle tick (BenchmarkTick). Callers only read what it returns.
func kept(rs []probe.Result, keep func(*probe.Result) bool) []probe.Result {
	for i := range rs {
		if keep(&rs[i]) {
			continue
		}
		out := make([]probe.Result, i, len(rs)-1)
		copy(out, rs[:i])
		for j := i + 1; j < len(rs); j++ {
			if keep(&rs[j]) {
				out = append(out, rs[j])
			}
		}
		return out
	}
	return rs
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// pathSlow is "likely your network" when every host we ask answers, but
// slowly: the Claude API, claude.ai and the status page all over the
// latency budget. The status page is another operator's server, so an
// Anthropic slowdown does not explain it — what they share is the path
// from here, as for an all-host hang (cold5 D36: "Degraded: … slow from
// here" read as Anthropic's). Not when a service fares worse than slow:
// that verdict leads.
func (j judgement) pathSlow(svs []probe.ServiceVerdict) (string, []string, bool) {
	page := j.off.last
	if page.Class != probe.ClassSlow || page.Time.IsZero() {
		return "", nil, false
	}
	for _, sv := range svs {
		if sv.Kind.Rank() > probe.VerdictDegraded.Rank() {
			return "", nil, false
		}
	}
	var took []string
	hosts := 0
	for _, t := range []probe.Target{probe.TargetClaudeAI, probe.TargetAPI, probe.TargetAPIKey} {
		v, ok := j.views[t]
		if !ok || v.state == sNone {
			continue
		}
		if v.state != sSlow || v.unstable {
			return "", nil, false
		}
		if t != probe.TargetAPIKey {
			hosts++
			took = append(took, hostName(t)+" "+secs(v.latest.Phases.Total))
		}
	}
	if hosts < 2 {
		return "", nil, false
	}
	took = append(took, "the status page "+secs(page.Phases.Total))
	budget := budgetWords(page)
	head := "Likely your network or a proxy on the path: every Anthropic host and the status page answer, but slowly (" +
		strings.Join(took, ", ") + "; over " + budget + ")."
	facts := []string{"every host answered, each over " + budget + ": the status page is another operator's server, so an Anthropic slowdown does not explain it; likely a proxy, VPN or a congested link"}
	return head, facts, true
}

// hostName names a target's host for people: "claude.ai", "the Claude API".
func hostName(t probe.Target) string {
	if t == probe.TargetClaudeAI {
		return "claude.ai"
	}
	return "the Claude API"
}
