package judge

import (
	"strings"
	"testing"

	"downforai/probe"
)

// TestClaudeCodeFollowsTheAPI (cold F20): `claude --version` working says
// only that the CLI is installed; every Claude Code call goes to the Claude
// API, so while our probes see the API fail from here Claude Code's own
// verdict is the API's, never "Operational" — in check's table, the JSON,
// the report, "Why we say so" and the per-service metric alike, all of
// which read ServiceVerdict.Kind.
func TestClaudeCodeFollowsTheAPI(t *testing.T) {
	for _, tc := range []struct {
		r    row
		cli  string // "2.0.50" installed, "" not installed
		kind probe.VerdictKind
		fact string // a fact of Claude Code's says it ("" none about the API)
	}{
		{row{"operational", "529", "ok", "good", "ok", 0, "", nil}, "2.0.50", probe.VerdictUnacknowledged, "Claude Code: CLI installed 2.0.50; the Claude API it calls is failing from here (529 overloaded)"},
		{row{"operational", "529", "ok", "none", "ok", 0, "", nil}, "", probe.VerdictUnacknowledged, "Claude Code: the Claude API it calls is failing from here (529 overloaded)"},
		{row{"major", "529", "ok", "good", "ok", 0, "", nil}, "2.0.50", probe.VerdictOutage, "the Claude API it calls is failing from here (529 overloaded)"},
		{row{"unreadable_html", "500", "ok", "good", "ok", 0, "", nil}, "2.0.50", probe.VerdictFailing, "(500 server error)"},
		{row{"operational", "timeout", "ok", "good", "ok", 0, "", nil}, "2.0.50", probe.VerdictUnacknowledged, "timed out after 2s, after connecting"},
		{row{"operational", "refused", "ok", "good", "ok", 0, "", nil}, "2.0.50", probe.VerdictUnreachable, "the Claude API it calls is unreachable from here"},
		{row{"operational", "proxy407", "ok", "good", "ok", 0, "", nil}, "2.0.50", probe.VerdictLocalNetwork, "the Claude API it calls is not reached: something in between answered instead (407 Proxy Authentication Required)"},
		{row{"operational", "401", "ok", "bad", "ok", 0, "", nil}, "2.0.50", probe.VerdictLocalCredential, "the Claude API it calls refuses the credential it sends (401 credential rejected)"},
		{row{"flap", "flap", "ok", "good", "ok", 0, "", nil}, "2.0.50", probe.VerdictDegraded, "fails on and off from here (6 of 12 probes in the last minute failed, 529 overloaded)"},
		// The API answering: the CLI's own verdict stands.
		{row{"operational", "ok", "ok", "good", "ok", 0, "", nil}, "2.0.50", probe.VerdictOperational, ""},
		{row{"operational", "ok", "503", "good", "ok", 0, "", nil}, "2.0.50", probe.VerdictOperational, ""},
		// Claude Code's own page outage is worse than an unacknowledged API.
		{row{"major", "ok", "ok", "good", "ok", 0, "", nil}, "", probe.VerdictOutage, ""},
	} {
		t.Run(tc.r.String()+" cli="+tc.cli, func(t *testing.T) {
			in := input(tc.r)
			if tc.cli != "" {
				for i, r := range in.Recent[probe.TargetCode] {
					r.Class, r.Detail, r.Message = probe.ClassOK, tc.cli, "Claude Code "+tc.cli+" installed"
					in.Recent[probe.TargetCode][i] = r
				}
			}
			v := Judge(in)
			var code probe.ServiceVerdict
			for _, sv := range v.Services {
				if sv.Service.Key == "claude_code" {
					code = sv
				}
			}
			if code.Kind != tc.kind {
				t.Errorf("Claude Code %s, want %s (facts %q)", code.Kind.Key(), tc.kind.Key(), code.Facts)
			}
			facts := strings.Join(code.Facts, "\n")
			switch {
			case tc.fact != "" && !strings.Contains(facts, tc.fact):
				t.Errorf("Claude Code's facts do not say %q:\n%s", tc.fact, facts)
			case tc.fact == "" && strings.Contains(facts, "the Claude API it calls"):
				t.Errorf("Claude Code blames the API while it answers:\n%s", facts)
			}
			if code.ThroughAPI != (tc.fact != "") || code.ThroughAPI && code.PageOnly {
				t.Errorf("ThroughAPI %v PageOnly %v", code.ThroughAPI, code.PageOnly)
			}
			if code.Kind == probe.VerdictOperational && v.Kind.Rank() > probe.VerdictOperational.Rank() && tc.r.claude == "ok" {
				t.Errorf("Claude Code operational while the verdict is %s", v.Kind.Key())
			}
		})
	}
}

// TestClaudeCodeOnlyWhereItCalls: our API probes speak for Claude Code
// only when they go where it calls. --api-url (or api_url in the config)
// is downforai's own setting; Claude Code reads ANTHROPIC_BASE_URL. While
// the two differ — a gateway given to downforai alone, or Claude Code sent
// to a gateway while we probe api.anthropic.com — Claude Code never takes
// the API's verdict, and a fact says its API was not probed, failing or
// answering.
func TestClaudeCodeOnlyWhereItCalls(t *testing.T) {
	const gw = "http://127.0.0.1:4000"
	for _, tc := range []struct {
		name           string
		api            string // the API probe's state (table_test.go)
		apiURL, from   string // LocalReport.APIURL, APIURLFrom
		codeURL, check string // LocalReport.CodeURL; the base_url check's text ("" none)
		through        bool
		fact           string // a fact of Claude Code's says it
	}{
		{"--api-url gateway, ANTHROPIC_BASE_URL unset", "529", gw, "--api-url", probe.DefaultAPIURL, "",
			false, "Claude Code: our API probe goes to --api-url (http://127.0.0.1:4000), not where Claude Code calls (api.anthropic.com): its API was not probed"},
		{"api_url in the config, ANTHROPIC_BASE_URL unset", "refused", gw, "api_url in config /home/u/.config/downforai/config.toml", probe.DefaultAPIURL, "",
			false, "Claude Code: our API probe goes to api_url in config /home/u/.config/downforai/config.toml (http://127.0.0.1:4000), not where Claude Code calls (api.anthropic.com)"},
		{"--api-url gateway answering, ANTHROPIC_BASE_URL unset", "ok", gw, "--api-url", probe.DefaultAPIURL, "",
			false, "its API was not probed"},
		{"--api-url Anthropic, ANTHROPIC_BASE_URL a gateway", "529", probe.DefaultAPIURL, "--api-url", gw, "",
			false, "Claude Code: our API probe goes to --api-url (https://api.anthropic.com), not where Claude Code calls (ANTHROPIC_BASE_URL, http://127.0.0.1:4000): its API was not probed"},
		{"ANTHROPIC_BASE_URL in settings.json alone, the probes at Anthropic", "529", probe.DefaultAPIURL, "", gw, "",
			false, "Claude Code: our API probe goes to https://api.anthropic.com, not where Claude Code calls (ANTHROPIC_BASE_URL, http://127.0.0.1:4000): its API was not probed"},
		{"--api-url one gateway, ANTHROPIC_BASE_URL another", "529", "https://llm.corp.example", "--api-url", gw, "",
			false, "not where Claude Code calls (ANTHROPIC_BASE_URL, http://127.0.0.1:4000)"},
		{"--api-url with /v1, ANTHROPIC_BASE_URL unset", "v1", probe.DefaultAPIURL + "/v1", "--api-url", probe.DefaultAPIURL, "",
			false, "not where Claude Code calls (api.anthropic.com): its API was not probed"},
		{"older report: the check's words say it is unset", "529", gw, "", "", "ANTHROPIC_BASE_URL unset: Claude Code talks to api.anthropic.com",
			false, "Claude Code: our API probe goes to http://127.0.0.1:4000, not where Claude Code calls (api.anthropic.com): its API was not probed"},
		// The same place: Claude Code's calls meet what our probes meet.
		{"--api-url the gateway ANTHROPIC_BASE_URL names", "529", gw, "--api-url", gw + "/", "", true, "the Claude API it calls is failing from here (529 overloaded)"},
		{"ANTHROPIC_BASE_URL alone", "529", gw, "ANTHROPIC_BASE_URL", gw, "", true, "the Claude API it calls is failing from here"},
		{"ANTHROPIC_BASE_URL in settings.json alone, the probes follow it", "529", gw, "ANTHROPIC_BASE_URL in ~/.claude/settings.json", gw, "", true, "the Claude API it calls is failing from here"},
		{"defaults", "529", probe.DefaultAPIURL, "", probe.DefaultAPIURL, "", true, "the Claude API it calls is failing from here"},
		{"older report: the check names the same host", "529", gw, "", "", "ANTHROPIC_BASE_URL sends Claude Code to 127.0.0.1:4000, not api.anthropic.com: errors there are the gateway's", true, "the Claude API it calls is failing from here"},
		{"older report: nothing says where Claude Code calls", "529", gw, "--api-url", "", "", true, "the Claude API it calls is failing from here"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := input(row{"operational", tc.api, "ok", "good", "ok", 0, "", nil})
			in.Local.APIURL, in.Local.APIURLFrom, in.Local.CodeURL = tc.apiURL, tc.from, tc.codeURL
			if tc.check != "" {
				in.Local.Checks = append(in.Local.Checks, probe.LocalCheck{ID: probe.CheckBaseURL, Name: "API endpoint", Level: probe.LocalOK, Text: tc.check})
			}
			for i, r := range in.Recent[probe.TargetCode] {
				r.Class, r.Detail, r.Message = probe.ClassOK, "2.0.50", "Claude Code 2.0.50 installed"
				in.Recent[probe.TargetCode][i] = r
			}
			v := Judge(in)
			var code, api probe.ServiceVerdict
			for _, sv := range v.Services {
				switch sv.Service.Key {
				case "claude_code":
					code = sv
				case "api":
					api = sv
				}
			}
			facts := strings.Join(code.Facts, "\n")
			if !strings.Contains(facts, tc.fact) {
				t.Errorf("Claude Code's facts do not say %q:\n%s", tc.fact, facts)
			}
			if code.ThroughAPI != tc.through {
				t.Errorf("ThroughAPI %v, want %v (Claude Code %s, API %s)", code.ThroughAPI, tc.through, code.Kind.Key(), api.Kind.Key())
			}
			if !tc.through {
				if code.Kind != probe.VerdictOperational || strings.Contains(facts, "the Claude API it calls") || strings.Contains(code.Local, "the Claude API it calls") {
					t.Errorf("Claude Code %s (%s) takes the API's word though our probe went elsewhere:\n%s", code.Kind.Key(), code.Words(), facts)
				}
			}
		})
	}
}
