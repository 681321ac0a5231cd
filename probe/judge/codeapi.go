package judge

import (
	"fmt"
	"net/url"
	"strings"

	"downforai/probe"
)

// throughAPI holds Claude Code to the API it calls: every Claude Code call
// goes to the Claude API, so while our probes see the API failing from
// here, Claude Code is not operational whatever `claude --version` says
// (it only proves the CLI is installed). Claude Code then takes the API's
// verdict when that is worse than its own, with the fact that says why:
// "Claude Code: CLI installed 2.0.50; the Claude API it calls is failing
// from here (529 overloaded)". Its verdict is then ours, not the page's.
func (j judgement) throughAPI(svs []probe.ServiceVerdict) {
	var api, c *probe.ServiceVerdict // c is Claude Code's
	for i := range svs {
		switch svs[i].Service.Key {
		case "api":
			api = &svs[i]
		case "claude_code":
			c = &svs[i]
		}
	}
	if api == nil || c == nil {
		return
	}
	if fact, ok := j.codeElsewhere(); ok {
		// Our API probes go somewhere Claude Code does not: what they see
		// is not what its calls meet, failing or answering. After what
		// was seen of Claude Code itself (its sessions' failed calls
		// come first), before what the page says of it.
		if c.Kind.Rank() > probe.VerdictOperational.Rank() {
			c.Facts = append(c.Facts, fact)
		} else {
			c.Facts = append([]string{fact}, c.Facts...)
		}
		return
	}
	w := j.leadView(*api)
	// Worse than its own; or as bad as what only the page said of it, now
	// seen by our probes too.
	worse := api.Kind.Rank() > c.Kind.Rank() || c.PageOnly && api.Kind.Rank() == c.Kind.Rank()
	if !(w.state.failing() || w.unstable) || !worse {
		return
	}
	if j.leadView(*c).target == probe.TargetSessions && j.ownLimit() {
		// Its sessions are refused in their own words (the plan's limit):
		// that is what Claude Code meets, whatever the API does.
		return
	}
	if _, ok := j.codeReachedAPI(); ok && w.state.local() {
		// Its sessions got the API's answers since our probe stopped
		// reaching it: what fails here is our probe's way to the API,
		// not Claude Code's.
		return
	}
	if api.Kind == probe.VerdictLocalConfig && !baseURLFromEnv(j.in.Local) {
		// --api-url alone is downforai's setting: Claude Code does not
		// go there.
		return
	}
	c.Kind, c.PageOnly, c.Local, c.ThroughAPI, c.Gateway = api.Kind, false, "", true, api.Gateway
	what := "is failing from here (" + failureWords(w) + ")"
	switch {
	case j.gatewayCut(w):
		// The gateway set in its place took no connection, or cut it:
		// the way through it fails, not Anthropic seen failing.
		what = "is unreachable through your gateway (" + failureWords(w) + ")"
		if w.state == sUnreach {
			what = "is unreachable through your gateway (" + failureWords(w) + beforeConnected(w.evidence) + ")"
		}
	case w.unstable:
		what = fmt.Sprintf("fails on and off from here (%s failed, %s)", w.failedOf("probe", "probes"), classWords(w.class, w.status))
	case w.state == sAccount:
		what = "refuses the credential it sends (" + failureWords(w) + ")"
	case w.state == sUnreach:
		what = "is unreachable from here (" + failureWords(w) + ")"
		if _, ok := probe.GatewayAnswer(w.evidence); ok {
			what = "is unreachable through your gateway (it answered " + probe.StatusText(w.evidence.HTTPStatus) + " for itself)"
		}
	case w.state == sPath || w.state == sProxy && w.evidence.HTTPStatus != 0:
		// Someone else answered in its place: say what, not "server error".
		what = "is not reached: something in between answered instead (" + probe.StatusText(w.evidence.HTTPStatus) + ")"
		if w.evidence.HTTPStatus == 0 {
			what = "is not reached: something in between answered instead"
		}
	case w.state.network():
		what = "is not reached from here (" + failureWords(w) + ")"
	}
	calls := "the Claude API it calls "
	if w.target.IsModel() {
		// Only models' canaries fail: say which, every one, not the
		// whole API — a session on another model is not hit by it.
		calls = "the Claude API it calls, for " + probe.AndList(j.failingModels(w.target)) + ", "
	}
	rest := calls + what
	if w.state == sConfig {
		rest = "ANTHROPIC_BASE_URL sends it to the same URL, so its calls likely get the same 404"
	}
	fact := "Claude Code: " + rest
	if v, ok := j.views[probe.TargetCode]; ok && v.latest.Class.Up() && v.latest.Detail != "" {
		fact = "Claude Code: CLI installed " + probe.Line(v.latest.Detail, 40) + "; " + rest
	}
	c.Facts = append([]string{fact}, c.Facts...)
}

// baseURLFromEnv reports whether the local checks saw ANTHROPIC_BASE_URL
// set to an http(s) URL: Claude Code then goes where our API probes go.
func baseURLFromEnv(l *probe.LocalReport) bool {
	c, ok := l.Check(probe.CheckBaseURL)
	return ok && (strings.HasPrefix(c.Text, "ANTHROPIC_BASE_URL sends") || strings.HasPrefix(c.Text, "ANTHROPIC_BASE_URL points"))
}

// codeElsewhere is the fact that our API probes go to a URL Claude Code
// does not call — --api-url (or api_url in the config) while
// ANTHROPIC_BASE_URL, which Claude Code reads, is unset or names another
// URL: "Claude Code: our API probe goes to --api-url
// (http://127.0.0.1:4000), not where Claude Code calls
// (api.anthropic.com): its API was not probed". false when they go to the
// same URL, or the local checks do not say where Claude Code calls.
func (j judgement) codeElsewhere() (string, bool) {
	ours, where, ok := j.probedElsewhere()
	if !ok {
		return "", false
	}
	return "Claude Code: " + ours + ", not where Claude Code calls (" + where + "): its API was not probed", true
}

// probedElsewhere is codeElsewhere's two sides: "our API probe goes to
// --api-url (http://127.0.0.1:4000)" and where Claude Code calls
// ("api.anthropic.com"); false when they are the same place, or not known.
func (j judgement) probedElsewhere() (ours, where string, ok bool) {
	return ProbedElsewhere(j.in.Local)
}

// ProbedElsewhere is where our API probe goes and where Claude Code calls
// when the two differ ("our API probe goes to --api-url
// (http://127.0.0.1:4000)", "api.anthropic.com"): what the probe sees
// then says nothing of Claude Code's calls. false when they go to the same
// place, or the local report does not say where Claude Code calls.
func ProbedElsewhere(l *probe.LocalReport) (ours, where string, ok bool) {
	if l == nil || strings.TrimSpace(l.APIURL) == "" || strings.HasPrefix(l.APIURLFrom, "ANTHROPIC_BASE_URL") {
		return "", "", false
	}
	probed := probe.MaskURL(strings.TrimRight(strings.TrimSpace(l.APIURL), "/"))
	code, full := strings.TrimRight(strings.TrimSpace(l.CodeURL), "/"), true
	if code == "" {
		var ok bool
		if code, full, ok = codeFromCheck(l); !ok {
			return "", "", false
		}
	}
	same := probe.SameBaseURL(code, probed)
	if !full {
		u, err := url.Parse(probed)
		same = err != nil || strings.EqualFold(code, u.Host)
	}
	if same {
		return "", "", false
	}
	where = "ANTHROPIC_BASE_URL, " + code
	if strings.EqualFold(code, probe.DefaultAPIURL) || strings.EqualFold(code, "api.anthropic.com") {
		where = "api.anthropic.com"
	}
	ours = "our API probe goes to " + probed
	if l.APIURLFrom != "" {
		ours = "our API probe goes to " + probe.Line(l.APIURLFrom, 100) + " (" + probed + ")"
	}
	return ours, where, true
}

// codeFromCheck is where Claude Code calls as the API endpoint check words
// it, for a report recorded before LocalReport.CodeURL was kept: the URL
// when ANTHROPIC_BASE_URL is unset (full), else the host alone; false when
// the check is missing or names none.
func codeFromCheck(l *probe.LocalReport) (code string, full, ok bool) {
	c, ok := l.Check(probe.CheckBaseURL)
	switch {
	case !ok:
		return "", false, false
	case strings.HasPrefix(c.Text, "ANTHROPIC_BASE_URL unset"):
		return probe.DefaultAPIURL, true, true
	case strings.HasPrefix(c.Text, "ANTHROPIC_BASE_URL points at api.anthropic.com"):
		return "api.anthropic.com", false, true
	}
	rest, ok := strings.CutPrefix(c.Text, "ANTHROPIC_BASE_URL sends Claude Code to ")
	if !ok {
		return "", false, false
	}
	host, _, ok := strings.Cut(rest, ", not api.anthropic.com")
	return host, false, ok
}

// failingModels names the models whose canaries fail, lead first.
func (j judgement) failingModels(lead probe.Target) []string {
	names := []string{lead.Label()}
	for _, t := range j.modelTargets() {
		if v := j.views[t]; t != lead && v.state.failing() {
			names = append(names, t.Label())
		}
	}
	return names
}
