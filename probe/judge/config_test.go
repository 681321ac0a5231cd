package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestConfigNeedsEveryAPIPath: a 404 at /v1/models under a gateway's URL is
// the URL only while every API path we ask 404s. When the canaries'
// /v1/messages answers under the same URL, the gateway just lists no
// models: not "Your configuration", and the 404 is said as a fact.
func TestConfigNeedsEveryAPIPath(t *testing.T) {
	haiku := probe.ModelTarget("claude-haiku-4-5")
	for _, c := range []struct {
		name   string
		canary probe.Result
		kind   probe.VerdictKind
		says   string
	}{
		{"no canary answers", res(haiku, probe.ClassUnexpected, 404, probe.ErrBaseURL404, "the API URL https://llm.gateway.example answers 404 Not Found at /v1/messages, a path every Anthropic API serves: check --api-url / ANTHROPIC_BASE_URL"),
			probe.VerdictLocalConfig, "Likely your configuration: the API URL https://llm.gateway.example answers 404 Not Found at /v1/models"},
		{"the canary answers", res(haiku, probe.ClassOK, 200, "", "answered"),
			probe.VerdictOperational, "GET /v1/models answers 404 Not Found under the API URL set (a gateway that lists no models?) while the canaries' /v1/messages answers there"},
		{"the canary gets 529", res(haiku, probe.ClassOverloaded, 529, "overloaded_error", "Overloaded"),
			probe.VerdictUnacknowledged, "Claude Haiku 4.5 failing (529 overloaded"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := input(row{page: "operational", api: "gw_404", claude: "ok", cred: "good", net: "base_gw"})
			for _, at := range []time.Time{now.Add(-40 * time.Second), now.Add(-10 * time.Second)} {
				r := c.canary
				r.Time = at
				in.Recent[haiku] = append(in.Recent[haiku], r)
			}
			v := Judge(in)
			all := v.Headline + "\n" + strings.Join(v.Facts, "\n")
			if v.Kind != c.kind || !strings.Contains(all, c.says) {
				t.Errorf("verdict %s: %s\nwant %s saying %q", v.Kind.Key(), all, c.kind.Key(), c.says)
			}
			// A canary asked /v1/messages: never "no canary asked", and
			// the 404 at /v1/models is not the failure named.
			if strings.Contains(all, "no canary asked") || strings.Contains(v.Headline, "404") && c.canary.HTTPStatus != 404 {
				t.Errorf("the canary asked /v1/messages and got %d, but: %s", c.canary.HTTPStatus, all)
			}
		})
	}
}

// TestConfigReachesClaudeCodeOnlyThroughTheEnvironment: --api-url is
// downforai's own setting; Claude Code goes where ANTHROPIC_BASE_URL
// says. Claude Code takes the API's "Your configuration" only when the
// environment sends it to the same URL.
func TestConfigReachesClaudeCodeOnlyThroughTheEnvironment(t *testing.T) {
	for _, c := range []struct {
		api, env string // the env: the base_url check's text
		through  bool
		fact     string
	}{
		{"v1", "ANTHROPIC_BASE_URL points at api.anthropic.com", true, "Claude Code: ANTHROPIC_BASE_URL sends it to the same URL, so its calls likely get the same 404"},
		{"v1", "ANTHROPIC_BASE_URL unset: Claude Code talks to api.anthropic.com", false, "Claude Code: our API probe goes to https://api.anthropic.com/v1, not where Claude Code calls (api.anthropic.com): its API was not probed"},
		{"dns_gw", "ANTHROPIC_BASE_URL unset: Claude Code talks to api.anthropic.com", false, "Claude Code: our API probe goes to https://llm.gateway.example, not where Claude Code calls (api.anthropic.com): its API was not probed"},
		{"dns_gw", "ANTHROPIC_BASE_URL sends Claude Code to llm.gateway.example, not api.anthropic.com: errors there are the gateway's", true, "Claude Code: the Claude API it calls is not reached from here"},
	} {
		in := input(row{page: "operational", api: c.api, claude: "ok", cred: "good", net: "base_gw"})
		if c.api == "v1" {
			// The probe's 404 is at /v1/v1/models: the API URL ends in /v1.
			in.Local.APIURL = "https://api.anthropic.com/v1"
		}
		for i := range in.Local.Checks {
			if in.Local.Checks[i].ID == probe.CheckBaseURL {
				in.Local.Checks[i].Text = c.env
			}
		}
		v := Judge(in)
		for _, sv := range v.Services {
			if sv.Service.Key != "claude_code" {
				continue
			}
			all := strings.Join(sv.Facts, "\n")
			if sv.ThroughAPI != c.through || sv.Kind == probe.VerdictLocalConfig != c.through || !strings.Contains(all, c.fact) {
				t.Errorf("%s, %q: Claude Code %s through the API %v, facts %q", c.api, c.env, sv.Kind.Key(), sv.ThroughAPI, sv.Facts)
			}
		}
	}
}

// A 404 at /v1/models under the API URL set is no evidence either way
// (the verdict: unknown): the detector opens no "Your side, API
// reachability: not found under the API URL set (404)" on it, however
// many; a canary's 404 at /v1/messages there is evidence and opens one.
func TestDetectorOpensNothingOnAModelsList404(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0.Add(time.Hour) }})
	for i := range 6 {
		for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey} {
			d.Observe(probe.Event{Result: probe.Result{Target: tg, Time: t0.Add(time.Duration(i) * time.Minute), Class: probe.ClassUnexpected,
				HTTPStatus: 404, ErrorType: probe.ErrBaseURL404, Message: "404 Not Found"}})
		}
	}
	if open := d.Open(); len(open) > 0 {
		t.Errorf("a gateway's /v1/models 404 opened %q", open[0].Title())
	}
	canary := probe.ModelTarget("claude-haiku-4-5")
	for i := range 3 {
		d.Observe(probe.Event{Result: probe.Result{Target: canary, Time: t0.Add(time.Duration(10+i) * time.Minute), Class: probe.ClassUnexpected,
			HTTPStatus: 404, ErrorType: probe.ErrBaseURL404, Message: "404 Not Found"}})
	}
	if len(d.Open()) != 1 {
		t.Errorf("a canary's 404 at /v1/messages opened %d incidents, want 1", len(d.Open()))
	}
}
