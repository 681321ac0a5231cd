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
