// The sentences about your side: the network and the path, your account
// and credential, the URLs you set — and what the page acknowledges beside
// them.

package judge

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
)

// network is the headline of a local network fault on one service.
func (j judgement) network(sv probe.ServiceVerdict, w view, facts []string) (string, []string) {
	r := w.evidence
	name := sv.Service.Name
	switch w.state {
	case sPath:
		// The message says who answered; "not Anthropic" once.
		msg := probe.Line(r.Message, 160)
		if strings.Contains(msg, " instead of ") {
			// The message names who answered in the target's place.
			return "Your network or proxy: " + msg + " — not Anthropic.", facts
		}
		if !strings.Contains(msg, "not Anthropic") {
			msg += " (not Anthropic)"
		}
		return "Your network or proxy: something between you and " + name + " answered in its place — " + msg + ".", facts
	case sDNS:
		if c, ok := failingCheck(j.in.Local, probe.CheckDNS); ok {
			facts = append([]string{"DNS: " + c.Text}, facts...)
		}
		// The resolver's fact, named: which name, which error, what
		// resolves beside it (cold10 E3) — evidence about the resolver,
		// not about the network.
		host, why := dnsParts(r.Message)
		head := "Your DNS resolver cannot resolve " + host + " (" + why + ")" + j.others(sv.Service) + " — likely your resolver or a DNS filter"
		if host == r.Message {
			head = "Your DNS resolver: " + probe.Line(r.Message, 100) + j.others(sv.Service) + " — likely your resolver or a DNS filter"
		}
		return head + j.codeReachesIt(sv, "resolves the name another way (a cached address, its own resolver, a proxy)") + ".", facts
	case sProxy:
		if c, ok := failingCheck(j.in.Local, probe.CheckProxy); ok {
			facts = append([]string{"proxy: " + c.Text}, facts...)
		}
		if c, ok := j.in.Local.Check(probe.CheckProxy); ok && r.HTTPStatus == 407 && probe.ProxyDirect(c) {
			// No proxy the requests use, so HTTPS_PROXY is not the fix: one
			// on the path answered (transparent or corporate, or the base URL).
			// The other place it may sit is the API URL the user set,
			// named as set; under Anthropic's own URL there is none.
			or := ""
			if _, _, ok := j.gateway(); ok && (r.Target == probe.TargetAPI || r.Target == probe.TargetAPIKey) {
				or = ", or " + j.gatewayAt() + " pointing at one"
			}
			return "Your network: a proxy our requests were not sent to answered instead of " + name + " (407 Proxy Authentication Required) — a transparent or corporate proxy on the path" + or + "; " + directWhy(c) + ".", facts
		}
		fix := ""
		if r.HTTPStatus == http.StatusProxyAuthRequired {
			// The proxy wants a login, or rejects the one in the URL: say
			// the fix, never the password.
			pr, ok := proxyRefusal(r)
			if !ok {
				pr = &probe.ProxyRefusal{} // its address is not in its words
			}
			fix = " — " + j.proxyAuthFix(pr)
		}
		if rest, ok := strings.CutPrefix(probe.Line(r.Message, 160), "a proxy answered instead of the API"); ok {
			return "Your proxy: a proxy answered instead of " + name + rest + fix + ".", facts
		}
		if pr, ok := proxyRefusal(r); ok {
			return "Your proxy at " + probe.Line(pr.Proxy, 80) + " answered " + pr.Reply() + " (for " + name + ")" + fix + ".", facts
		}
		return "Your proxy: " + probe.Line(r.Message, 100) + " (for " + name + ")" + fix + ".", facts
	case sTLS:
		return "Your network: " + probe.Line(r.Message, 100) + " for " + name + " (TLS interception by a proxy or security software?).", facts
	case sNoRoute:
		return "Your network: " + probe.Line(r.Message, 100) + " (no route from this machine).", facts
	}
	return "Your network: " + probe.Line(r.Message, 100) + " (for " + name + ").", facts
}

// dnsParts splits the probe's "DNS lookup of api.anthropic.com failed: no
// such host" (or "… timed out") into the name and the resolver's error,
// sanitized; host is the whole message when it is not in those words.
func dnsParts(msg string) (host, why string) {
	msg = probe.Line(msg, 200)
	rest, ok := strings.CutPrefix(msg, "DNS lookup of ")
	if !ok {
		return msg, ""
	}
	if h, ok := strings.CutSuffix(rest, " timed out"); ok && !strings.Contains(h, " ") {
		return h, "timed out"
	}
	if h, w, ok := strings.Cut(rest, " failed: "); ok && !strings.Contains(h, " ") && w != "" {
		return h, w
	}
	return msg, ""
}

// codeReachesIt is "; Claude Code's own calls reach it: the last at
// 14:01:40 UTC (20 s ago) succeeded — likely it <how>, or the failure
// comes and goes" when the API's failure is of this machine's side
// (apiLocal) and a call of Claude Code's sessions got the API's answer
// since that failure began: live, the sessions reach what our probe
// cannot, so the fault is in our probe's way to it, not the API nor every
// way from here. "" otherwise.
func (j judgement) codeReachesIt(sv probe.ServiceVerdict, how string) string {
	if sv.Service.Key != "api" {
		return ""
	}
	r, ok := j.codeReachedAPI()
	if !ok {
		return ""
	}
	got := "succeeded"
	if !r.Class.Up() {
		got = "got " + sessionWords(r)
	}
	return "; Claude Code's own calls reach it: the last at " + j.sessionClock(r.Time) + " " + got +
		" — likely it " + how + ", or the failure comes and goes"
}

// account is the headline of a refused credential, quota or billing: which
// credential, which error, in the API's own words.
func (j judgement) account(k probe.VerdictKind, w view, facts []string) (string, []string) {
	l := j.in.Local
	r := w.evidence
	word := "Your credential"
	if k == probe.VerdictLocalQuota {
		word = "Your quota or billing"
	}
	cred := "your API key or login"
	if p, ok := l.Probed(); ok {
		cred = p.Source
	}
	e, _ := catalogue.MatchLive(r, l)
	var head string
	gwWords, byGateway := probe.GatewayAnswer(r)
	switch {
	case byGateway && r.Class == probe.ClassAuth:
		// The gateway the user set refuses it, in its words: not "the
		// API rejects" — the key it wants may be one it issued.
		at := "the gateway at the API URL set"
		if setting, url, ok := j.gateway(); ok {
			at = "the gateway at " + setting + " (" + url + ")"
		}
		head = fmt.Sprintf("%s: %s rejects %s: it answered %s — check the key it expects (one it issued, or the one its admin gave you).", word, at, cred, probe.Line(gwWords, 160))
	case catalogue.OAuthInKeyVar(r, l):
		// Not "Invalid API key": it is no API key at all.
		head = fmt.Sprintf("%s: ANTHROPIC_API_KEY holds a Claude subscription token (sk-ant-oat01-…), not an API key: the API rejects it (%d) — "+
			"move it to CLAUDE_CODE_OAUTH_TOKEN for Claude Code, or set an API key (sk-ant-api03-…).", word, r.HTTPStatus)
	case r.ErrorType == probe.ErrUnsendable:
		// Go refused to build the request: nothing was sent, so the API
		// rejected nothing and no network is to blame.
		head = fmt.Sprintf("%s: %s.", word, r.Message)
	case e.ID == "" && r.Class == probe.ClassAuth:
		head = fmt.Sprintf("%s: the API rejects %s.", word, cred)
	case e.ID == "":
		head = word + ": requests refused for quota, rate limit or billing."
	case r.Class == probe.ClassAuth:
		// The entry's title is our reading, the answer the API's words:
		// "— Invalid API key." read as a quote of an API that had said
		// "Invalid authentication credentials" (cold7 E3).
		head = fmt.Sprintf("%s: the API rejects %s (%s): it answered %s.", word, cred, e.Title, answerWords(r))
	default:
		head = fmt.Sprintf("%s: %s on %s.", word, e.Title, cred)
	}
	if ra := r.RateLimit.RetryAfter; ra > 0 && strings.HasSuffix(head, ".") && r.Class.UserSide() {
		// When to try again is the API's, in the same answer: check said
		// it, the banner did not (cold walk of Dec 7).
		head = strings.TrimSuffix(head, ".") + "; the API says retry after " + probe.Span{Units: 2, Least: time.Second}.Format(ra) +
			" (" + j.zoned(r.Time.Add(ra), "15:04:05 MST") + ")."
	}
	if by := j.relayedRefusal(w); by != "" && strings.HasSuffix(head, ".") {
		// Anthropic-shaped, but with no request-id of Anthropic's: the
		// gateway's report, whose key or limit it was unknown.
		head = strings.TrimSuffix(head, ".") + " — as " + by + " reports it, with no Anthropic request-id: the key or limit may be the gateway's own, or the one it sends upstream."
	}
	if nw := w.latest; w.pending > 0 && nw.Class.Up() && nw.Time.After(r.Time) {
		// Live results beat the hysteresis's memory: a credential whose
		// newest probe succeeded is not "rejected" now, only until then.
		what := fmt.Sprint(r.HTTPStatus)
		if e.Title != "" {
			what += " " + e.Title
		}
		left := max(cmp.Or(j.in.Recover, DefaultRecoverThreshold)-w.pending, 1)
		head = fmt.Sprintf("%s: the API refused %s until %s (%s); the newest probe, at %s, succeeded — likely fixed, confirmed after %d more success%s in a row.",
			word, cred, j.zoned(r.Time, "15:04:05 MST"), what, j.zoned(nw.Time, "15:04:05"), left, map[bool]string{true: "", false: "es"}[left == 1])
	}
	out := []string{j.evidenceLine(r, l)}
	if o := j.outageBeside(); o != "" {
		// The refusal is the verdict; an outage Anthropic acknowledges at
		// the same moment is a fact beside it, never left unsaid.
		head += " " + strings.ToUpper(o[:1]) + o[1:] + "."
		out = append(out, o)
	}
	if p, ok := l.Probed(); ok {
		sends := "sends"
		if c, ok := l.Check("code_auth"); ok && c.Cause == probe.CauseNotInstalled {
			sends = "would send" // no claude here: nothing sends it yet (cold walk)
		}
		out = append(out, fmt.Sprintf("credential: %s, %s %s (the one Claude Code %s)", p.Source, p.Kind, p.Masked, sends))
	}
	if alt, ok := strings.CutPrefix(r.Detail, probe.AlsoPrefix); ok {
		out = append(out, "also set, not sent by Claude Code: "+alt)
	}
	// A format oddity is a note beside a rejection, never its cause, and
	// nothing beside a 429 or a credit refusal: the API read the key.
	if c, ok := l.Check(probe.CheckKeyFormat); ok && c.Level >= probe.LocalWarn && r.Class == probe.ClassAuth {
		out = append(out, "key format: "+c.Text)
	}
	return head, append(out, facts...)
}

// codeLoginProblem is Claude Code's own login, missing or expired for
// good, when nothing in the environment stands in for it.
func codeLoginProblem(l *probe.LocalReport) (probe.LocalCheck, bool) {
	if l == nil {
		return probe.LocalCheck{}, false
	}
	if len(l.Credentials) > 0 && l.Credentials[0].Source != "Claude Code login" {
		return probe.LocalCheck{}, false
	}
	for _, id := range []string{probe.CheckCodeLogin, probe.CheckCodeAuth} {
		if c, ok := failingCheck(l, id); ok {
			return c, true
		}
	}
	return probe.LocalCheck{}, false
}

// roomWords is what the key's rate-limit headers said: "your key's limits
// show room (requests 49 of 50 left)", or that there were none.
func roomWords(rl probe.RateLimit) string {
	switch {
	case rl.RequestsLimit > 0:
		return fmt.Sprintf("your key's limits show room (requests %d of %d left)", rl.RequestsRemaining, rl.RequestsLimit)
	case rl.TokensLimit > 0:
		return fmt.Sprintf("your key's limits show room (tokens %d of %d left)", rl.TokensRemaining, rl.TokensLimit)
	}
	return "no rate-limit header names your key's limit"
}

// besideOutage adds the outage a fresh page acknowledges to an
// account-side headline and its facts (second, under the cut of three):
// the refusal is the verdict, the outage at the same moment is never left
// unsaid.
func (j judgement) besideOutage(head string, facts []string) (string, []string) {
	o := j.outageBeside()
	if o == "" {
		return head, facts
	}
	head += " " + strings.ToUpper(o[:1]) + o[1:] + "."
	if len(facts) == 0 {
		return head, []string{o}
	}
	return head, append([]string{facts[0], o}, facts[1:]...)
}

// outageBeside is what a fresh status page acknowledges while the verdict
// is about your account: "also, Anthropic reports Claude API as major
// outage (incident: Elevated errors for multiple models, identified)";
// "" when it acknowledges nothing.
func (j judgement) outageBeside() string {
	var what []string
	var inc *probe.Incident
	svs := probe.Services()
	// The worst first: a major outage before a partial one.
	slices.SortStableFunc(svs, func(a, b probe.Service) int {
		sa, _, _, _ := j.component(a)
		sb, _, _, _ := j.component(b)
		return componentSeverity(sb) - componentSeverity(sa)
	})
	for _, s := range svs {
		st, _, in, mnt := j.component(s)
		if !st.Outage() && in == nil && (st == probe.ComponentMaintenance || mnt != nil) {
			// A refusal during the service's maintenance may be the
			// maintenance's: said beside it, as an outage is (cold5 D27).
			what = append(what, s.Name+" under scheduled maintenance"+j.until(mnt))
			continue
		}
		if st.Outage() || in != nil {
			if st.Outage() {
				what = append(what, s.Name+" as "+st.String())
			} else {
				what = append(what, s.Name+" in an open incident")
			}
			if inc == nil {
				inc = in
			}
		}
	}
	if len(what) == 0 {
		return ""
	}
	o := "also, Anthropic reports " + strings.Join(what, ", ")
	if inc != nil {
		o += " (incident: " + probe.Line(inc.Name, 80) + ", " + probe.StatusWord(inc.Status) + ")"
	}
	return o
}

// config is the headline of a URL the user set that is not the API's
// (cold5 D34, D31): what was asked, what answered, what to change. A
// 404 under a base URL ending in /v1 is a fact about that URL; any other
// 404 there, or a configured host that does not resolve, is likely the
// setting (a gateway that serves no /v1/models, a VPN that is down).
func (j judgement) config(sv probe.ServiceVerdict, w view, facts []string) (string, []string) {
	r := w.evidence
	if addr := j.gatewayDown(w); addr != "" {
		return j.besideOutage(j.gatewayDownHeadline(sv, w, addr), facts)
	}
	if addr := j.claudeDown(w); addr != "" {
		return j.besideOutage(j.claudeDownHeadline(sv, addr), facts)
	}
	switch r.ErrorType {
	case probe.ErrBaseURLV1:
		return j.besideOutage("Your configuration: "+probe.Line(r.Message, 200)+".", facts)
	case probe.ErrBaseURL404:
		return j.besideOutage("Likely your configuration: "+probe.Line(r.Message, 200)+".", facts)
	}
	url, setting := "the API URL", "--api-url / ANTHROPIC_BASE_URL"
	if w.target == probe.TargetClaudeAI {
		url, setting = "the claude.ai URL", "--claude-url"
	}
	return j.besideOutage("Likely your configuration: "+url+"'s host "+j.configuredHost(w)+" does not resolve (no such host)"+
		j.others(sv.Service)+" — check "+setting+"; if the name is right, your resolver, VPN or a DNS filter.", facts)
}

// configuredHost is the host of the URL the user set for the view's
// target when it is not an Anthropic host and the name does not exist
// (NXDOMAIN): a mistyped ANTHROPIC_BASE_URL more likely than a resolver
// at fault (cold5 D31). "" otherwise.
func (j judgement) configuredHost(w view) string {
	if w.state != sDNS || !strings.Contains(w.evidence.Message, "no such host") || j.in.Local == nil {
		return ""
	}
	raw := ""
	switch {
	case w.target == probe.TargetAPI, w.target == probe.TargetAPIKey, w.target.IsModel():
		raw = j.in.Local.APIURL
	case w.target == probe.TargetClaudeAI:
		raw = j.in.Local.ClaudeURL
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" || anthropicHost(u.Hostname()) {
		return ""
	}
	return probe.Line(u.Hostname(), 100)
}

// anthropicHost reports whether host is Anthropic's (anthropic.com,
// claude.ai, claude.com, or a name under them).
func anthropicHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, d := range []string{"anthropic.com", "claude.ai", "claude.com"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// slowWords is how slow an answer was against its budget, "5s, over the
// 3s latency budget", from the prober's note ("…; slow: 5s, budget 3s"),
// without the answer's own words around it (no parenthesis in another).
func slowWords(r probe.Result) string {
	return secs(r.Phases.Total) + ", over " + budgetWords(r)
}

// budgetWords is "the 3 s latency budget" of a slow result, from the
// prober's note ("…; slow: 5s, budget 3s").
func budgetWords(r probe.Result) string {
	if _, b, ok := strings.Cut(r.Message, ", budget "); ok {
		if d, err := time.ParseDuration(b); err == nil {
			return "the " + secs(d) + " latency budget"
		}
	}
	return "the latency budget"
}

// secs is a duration in seconds for people: "5 s", "4.1 s", "412 ms".
func secs(d time.Duration) string {
	if d >= time.Second && d%time.Second == 0 {
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return durWords(d)
}

// directWhy says why the requests used no proxy, from the Proxy check:
// "no HTTPS_PROXY is set", or what is set and why it does not apply.
func directWhy(c probe.LocalCheck) string {
	if strings.HasPrefix(c.Text, "no proxy in the environment") {
		return "no HTTPS_PROXY is set"
	}
	return probe.Line(strings.TrimSuffix(c.Text, ": direct connection"), 200)
}

// answerWords is an HTTP answer as the API gave it: its status and, when it
// said one, its message in its own words (401 "invalid x-api-key").
func answerWords(r probe.Result) string {
	w := fmt.Sprint(r.HTTPStatus)
	if m := probe.Line(apiMessage(r), 80); m != "" {
		w += " " + probe.Quote(m)
	}
	return w
}
