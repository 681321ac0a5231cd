// A gateway's URL set as the API URL: a 404 at /v1/models there is no
// evidence either way unless a canary's /v1/messages says (issue 19
// leftover 3).

package judge

import (
	"net"
	"net/url"
	"slices"
	"strings"

	"downforai/probe"
)

// unlistedFact is what a 404 at /v1/models under a gateway's URL, with no
// /v1/messages asked there, tells: not the API failing, not the setting.
const unlistedFact = "GET /v1/models answers 404 Not Found under the API URL set, and no canary asked POST /v1/messages there (--canary): a gateway may serve the API without listing models"

// modelsUnlisted reports whether the view is a 404 at /v1/models under a
// URL the user set (not one ending in /v1) while no canary's
// /v1/messages got a 404 there: not every API path we asked is missing,
// so it is not known to be the setting.
func (j judgement) modelsUnlisted(v view) bool {
	if v.state != sConfig || v.evidence.ErrorType != probe.ErrBaseURL404 || v.target.IsModel() {
		return false
	}
	for t, m := range j.views {
		if t.IsModel() && m.latest.ErrorType == probe.ErrBaseURL404 {
			return false
		}
	}
	return true
}

// unlisted is the headline when the gateway's missing /v1/models is all
// our probes know of the API: hedged, neither blame nor all clear.
func (j judgement) unlisted(svs []probe.ServiceVerdict) (string, bool) {
	for _, sv := range svs {
		if sv.Kind != probe.VerdictUnknown || !slices.Contains(sv.Facts, unlistedFact) {
			continue
		}
		url := "the API URL set"
		if j.in.Local != nil && j.in.Local.APIURL != "" {
			url = "the API URL " + probe.MaskURL(strings.TrimRight(j.in.Local.APIURL, "/"))
		}
		return "Not known whether the Claude API answers through " + url + ": it answers 404 Not Found at /v1/models" + j.others(sv.Service) +
			" — a gateway that does not list models, or a wrong URL; we did not see the API fail, and no canary asked /v1/messages there (--canary asks it and tells them apart).", true
	}
	return "", false
}

// messagesAnswer reports whether a canary's newest probe (POST
// /v1/messages, under the same base URL as /v1/models) answered.
func (j judgement) messagesAnswer() bool {
	for t, v := range j.views {
		if t.IsModel() && v.latest.Class.Up() {
			return true
		}
	}
	return false
}

// gateway is the API URL the user set, masked, and the setting it came
// from ("ANTHROPIC_BASE_URL"); false under Anthropic's own URL, or when the
// local checks have not said which URL is in use. What answers there is
// the user's chosen path: its answers are its words, relayed or its own
// (issue 19).
func (j judgement) gateway() (setting, url string, ok bool) {
	// The URL probed, while the first local report is still to come:
	// the first rounds under --api-url are the gateway's too (a timeout
	// there read "Anthropic problem, not yet acknowledged" until then).
	l := j.in.local()
	if l == nil || strings.TrimSpace(l.APIURL) == "" || !probe.UserBaseURL(l.APIURL) {
		return "", "", false
	}
	return j.apiURLSetting(), probe.MaskURL(strings.TrimRight(l.APIURL, "/")), true
}

// apiURLSetting names the setting the API URL came from:
// "ANTHROPIC_BASE_URL", "--api-url", "api_url in config PATH", or both
// places it may be when the report does not say.
func (j judgement) apiURLSetting() string {
	if l := j.in.Local; l != nil && l.APIURLFrom != "" {
		return probe.Line(l.APIURLFrom, 100)
	}
	return "--api-url / ANTHROPIC_BASE_URL"
}

// relayedBy names the gateway whose words an Anthropic-side failure of the
// API is in, "the gateway at ANTHROPIC_BASE_URL, http://127.0.0.1:4000,":
// an HTTP answer under the URL the user set without Anthropic's
// request-id — a 529 in LiteLLM's JSON, not the API's own — is what the
// gateway reports of its upstream, likely Anthropic, not an answer we saw
// Anthropic give. "" otherwise: Anthropic's own answer, passed on as it
// came (its request-id), is Anthropic's.
func (j judgement) relayedBy(w view) string {
	r := w.evidence
	if w.unstable || w.state != sAnthropic || r.HTTPStatus == 0 || r.RequestID != "" ||
		!(w.target == probe.TargetAPI || w.target == probe.TargetAPIKey || w.target.IsModel()) {
		return ""
	}
	setting, url, ok := j.gateway()
	if !ok {
		return ""
	}
	return "the gateway at " + setting + ", " + url + ","
}

// relayedRefusal names the gateway at the URL the user set when the
// key's refusal (401, 403, 429, a credit error) came from there in
// Anthropic's shape but without Anthropic's request-id: the gateway's
// report of a refusal, of your key, its own, or the key it sends
// upstream — not one we saw Anthropic give. "" otherwise: Anthropic's
// answer passed on as it came is Anthropic's, and the gateway's own
// words (probe.GatewayAnswer) are said as its own.
func (j judgement) relayedRefusal(w view) string {
	r := w.evidence
	if w.unstable || w.state != sAccount || r.HTTPStatus == 0 || r.RequestID != "" ||
		!(w.target == probe.TargetAPIKey || w.target.IsModel()) {
		return ""
	}
	if _, own := probe.GatewayAnswer(r); own {
		return ""
	}
	setting, url, ok := j.gateway()
	if !ok {
		return ""
	}
	return "the gateway at " + setting + " (" + url + ")"
}

// gatewayDown is the host:port of the API URL the user set when our
// connection to it was refused: nothing listens there — the gateway is
// not running, or (on a host of another machine) a firewall refuses it.
// Not Anthropic's, whose host is not asked (issue 19 E2). "" otherwise.
func (j judgement) gatewayDown(w view) string {
	r := w.evidence
	if w.unstable || w.state != sUnreach || r.ErrorType != probe.NetRefused ||
		!(w.target == probe.TargetAPI || w.target == probe.TargetAPIKey || w.target.IsModel()) {
		return ""
	}
	if _, _, ok := j.gateway(); !ok {
		return ""
	}
	u, err := url.Parse(strings.TrimSpace(j.in.local().APIURL))
	if err != nil || u.Hostname() == "" || anthropicHost(u.Hostname()) {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "443", false: "80"}[strings.EqualFold(u.Scheme, "https")]
	}
	return probe.Line(net.JoinHostPort(u.Hostname(), port), 120)
}

// claudeDown is the host:port of the claude.ai URL the user set
// (--claude-url, claude_url in the config) when our connection to it was
// refused on this machine or its own network: nothing listens there —
// claude.ai was not asked, and no firewall sits on the way (issue 19).
// "" otherwise: a refusal by claude.ai, or by another machine's host
// that a firewall may refuse, stays unreachable.
func (j judgement) claudeDown(w view) string {
	r := w.evidence
	if w.unstable || w.state != sUnreach || r.ErrorType != probe.NetRefused || w.target != probe.TargetClaudeAI || j.in.Local == nil {
		return ""
	}
	raw := strings.TrimRight(strings.TrimSpace(j.in.Local.ClaudeURL), "/")
	if raw == "" || strings.EqualFold(raw, probe.DefaultClaudeURL) {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" || anthropicHost(u.Hostname()) || !ownMachine(u.Hostname()) {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "443", false: "80"}[strings.EqualFold(u.Scheme, "https")]
	}
	return probe.Line(net.JoinHostPort(u.Hostname(), port), 120)
}

// claudeDownHeadline says that nothing listens at the claude.ai URL the
// user set, naming the setting as it was given.
func (j judgement) claudeDownHeadline(sv probe.ServiceVerdict, addr string) string {
	setting := "--claude-url"
	if l := j.in.Local; l != nil && l.ClaudeURLFrom != "" {
		setting = probe.Line(l.ClaudeURLFrom, 100)
	}
	return "Your configuration: nothing listens at " + setting + " (" + addr + "): connection refused" + j.others(sv.Service) +
		" — claude.ai itself was not asked; start what should answer there, or point " + setting + " at it (https://claude.ai when unset)."
}

// ownMachine reports whether host (a name or an address) is this machine
// or one on its own network — loopback, a private or link-local address,
// localhost: a refusal there is nothing listening, not a firewall on the
// way.
func ownMachine(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified())
}

// gatewayDownHeadline says that nothing listens at the API URL the user
// set, naming the setting: the gateway is not running. On another
// machine's host a firewall could refuse too: likely, with both.
func (j judgement) gatewayDownHeadline(sv probe.ServiceVerdict, w view, addr string) string {
	setting, _, _ := j.gateway()
	host, _, _ := net.SplitHostPort(addr)
	if ownMachine(host) {
		return "Your configuration: nothing listens at " + setting + " (" + addr + "): connection refused" + j.others(sv.Service) +
			" — is your gateway running? Start it, or point " + setting + " at one that is."
	}
	return "Likely your configuration: nothing listens at " + setting + " (" + addr + "): connection refused" + j.others(sv.Service) +
		" — is your gateway running? If it is, a firewall between you and it refuses the connection."
}

// gatewayUnreachable is the headline of the gateway at the URL the user
// set answering a 5xx of its own (probe.GatewayAnswer): named with its
// setting, in its words, and what it likely means — its upstream failed,
// Anthropic or the gateway's route to it; neither an Anthropic outage we
// saw nor your network (issue 19 E3).
func (j judgement) gatewayUnreachable(sv probe.ServiceVerdict, w view, who string) (head, fact string, ok bool) {
	words, ok := probe.GatewayAnswer(w.evidence)
	if !ok {
		return "", "", false
	}
	setting, url, ok := j.gateway()
	if !ok {
		setting, url = "the API URL set", "" // a result recorded under a URL since changed
	}
	at := setting
	if url != "" {
		at += " (" + url + ")"
	}
	head = who + " unreachable through the gateway at " + at + ": it answered " + probe.Line(words, 200) + j.others(sv.Service) +
		" — likely its upstream (Anthropic, or the gateway's route to it) failed"
	fact = "the gateway answered for itself, not with Anthropic's words: its logs, or whoever runs it, say whether it reaches Anthropic's API"
	return head, fact, true
}

// gatewayCut reports whether the API's failure is the gateway at the URL
// the user set taking our connection and then resetting it or not
// answering: the gateway, or its upstream behind it, failed — not an
// answer we saw Anthropic give, whose host was not asked (issue 19).
func (j judgement) gatewayCut(w view) bool {
	r := w.evidence
	if w.unstable || (w.state != sAnthropic && w.state != sUnreach) || r.Class != probe.ClassNetwork ||
		(r.ErrorType != probe.NetReset && r.ErrorType != probe.NetTimeout) ||
		!(w.target == probe.TargetAPI || w.target == probe.TargetAPIKey || w.target.IsModel()) {
		return false
	}
	_, _, ok := j.gateway()
	return ok
}

// gatewayCutHeadline is the headline of the gateway at the URL the user
// set resetting our connection, or not answering, after taking it: named
// with its setting, what we saw, and what it likely means.
func (j judgement) gatewayCutHeadline(sv probe.ServiceVerdict, w view, who string) (head, fact string, ok bool) {
	if !j.gatewayCut(w) {
		return "", "", false
	}
	others := j.others(sv.Service)
	if others != "" {
		others = "," + others
	}
	if w.state == sUnreach {
		// No connection was made: the gateway's host never took it.
		// Anthropic's host was not asked, so neither is it blamed.
		head = who + " unreachable through the gateway at " + j.gatewayAt() + ": " + failureWords(w) + beforeConnected(w.evidence) + others +
			" — the gateway did not take the connection: likely it is down or overloaded, or a firewall between you and it drops it"
		return head, "no connection to the gateway was made, so Anthropic's API was not asked: is the gateway running and reachable from here?", true
	}
	head = who + " unreachable through the gateway at " + j.gatewayAt() + ": " + failureWords(w) + others +
		" — likely the gateway or its upstream (Anthropic, or the gateway's route to it) failed"
	cut := "reset it"
	if w.evidence.ErrorType == probe.NetTimeout {
		cut = "sent nothing back in time"
	}
	fact = "the gateway took our connection, then " + cut + ", with no answer of its own or Anthropic's: its logs, or whoever runs it, say whether it reaches Anthropic's API"
	return head, fact, true
}

// keyUnasked reports whether v is the keyless probe's view of the gateway
// at the URL the user set asking for a key of its own
// (probe.GatewayAsksKey) while no probe with a credential asked through
// it — none is set: the gateway answers, but that is its answer, not the
// API's, so it judges nothing of the API (issue 19: "ok (HTTP 401)",
// "All clear" and exit 0 stood there).
func (j judgement) keyUnasked(v view) bool {
	if v.target != probe.TargetAPI || v.unstable || !v.state.up() {
		return false
	}
	if _, ok := probe.GatewayAsksKey(v.latest); !ok {
		return false
	}
	for _, t := range append([]probe.Target{probe.TargetAPIKey}, j.modelTargets()...) {
		if o, ok := j.views[t]; ok && o.state != sNone {
			return false // a probe with the key (or a canary) asked
		}
	}
	return true
}

// keylessFact is the API's fact when the gateway asked the keyless probe
// for a key of its own and none is set: what it said, and that the API
// was not asked through it.
func (j judgement) keylessFact(v view) string {
	words, _ := probe.GatewayAsksKey(v.latest)
	return probe.Line("the gateway at "+j.gatewayAt()+" asks for a key of its own (401 to a request without one"+words+
		"); no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN is set, so no probe asked the Claude API through it", 300)
}

// gatewayAt is "ANTHROPIC_BASE_URL (http://127.0.0.1:4000)": the setting
// of the API URL the user set and the URL, masked.
func (j judgement) gatewayAt() string {
	setting, url, ok := j.gateway()
	if !ok {
		return "the API URL set"
	}
	return setting + " (" + url + ")"
}

// keyless is the headline when the gateway's request for a key of its
// own is all our probes know of the API: not known, neither blame nor all
// clear — the key it expects decides.
func (j judgement) keyless(svs []probe.ServiceVerdict) (string, bool) {
	for _, sv := range svs {
		if sv.Kind != probe.VerdictUnknown || sv.Service.Key != "api" {
			continue
		}
		v, ok := j.views[probe.TargetAPI]
		if !ok || !j.keyUnasked(v) {
			continue
		}
		words, _ := probe.GatewayAsksKey(v.latest)
		return probe.Line("Not known whether the Claude API answers through the gateway at "+j.gatewayAt()+
			": it asks for a key of its own (401 to our request without one"+words+") and no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN is set"+
			j.others(sv.Service)+" — we did not see the API fail; set the key the gateway expects and check again.", 0), true
	}
	return "", false
}

// beforeConnected is where a reset or timeout that made no connection
// stopped: ", before connecting", or ", in the TLS handshake" when the
// connection was made and the handshake never finished.
func beforeConnected(r probe.Result) string {
	if r.Phases.Connect > 0 {
		return ", in the TLS handshake"
	}
	return ", before connecting"
}

// throughGatewayFails reports whether w is the API unreachable through the
// gateway the user set: it took no connection or cut it (gatewayCut), or
// answered for itself with a 5xx (its report that its upstream failed).
func (j judgement) throughGatewayFails(w view) bool {
	if j.gatewayCut(w) {
		return true
	}
	if _, _, ok := j.gateway(); !ok || w.unstable || w.state != sUnreach {
		return false
	}
	_, ok := probe.GatewayAnswer(w.evidence)
	return ok && (w.target == probe.TargetAPI || w.target == probe.TargetAPIKey || w.target.IsModel())
}
