package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestClaudeCodeVerdictNamesItsSource (cold C3): Claude Code with its CLI
// installed and the API answering is judged by no network probe of ours;
// its verdict says "Anthropic's report" only when a page that counts was
// read, and otherwise names what it really rests on — never a page that
// was not read (challenge, garbage, hang, GitHub's page, none yet, stale).
func TestClaudeCodeVerdictNamesItsSource(t *testing.T) {
	for _, tc := range []struct {
		page  string
		state probe.OfficialState
		cli   string // "" not installed
		words string // Claude Code's Words()
	}{
		{"operational", probe.OfficialFresh, "2.0.50", "Operational (Anthropic's report)"},
		{"operational", probe.OfficialFresh, "", "Operational (Anthropic's report)"},
		{"unreadable_html", probe.OfficialUnreadable, "2.0.50", "Operational (CLI installed 2.0.50; the Claude API it calls answers)"},
		{"unreadable_garbage", probe.OfficialUnreadable, "2.0.50", "Operational (CLI installed 2.0.50; the Claude API it calls answers)"},
		{"unreadable_timeout", probe.OfficialUnreadable, "2.0.50", "Operational (CLI installed 2.0.50; the Claude API it calls answers)"},
		{"stale", probe.OfficialStale, "2.0.50", "Operational (CLI installed 2.0.50; the Claude API it calls answers)"},
		{"foreign", probe.OfficialForeign, "2.0.50", "Operational (CLI installed 2.0.50; the Claude API it calls answers)"},
		{"none", probe.OfficialNone, "2.0.50", "Operational (CLI installed 2.0.50; the Claude API it calls answers)"},
	} {
		t.Run(tc.page+" cli="+tc.cli, func(t *testing.T) {
			pg := tc.page
			if pg == "stale" {
				pg = "operational"
			}
			in := input(row{pg, "ok", "ok", "good", "ok", 0, "", nil})
			if tc.page == "stale" {
				// The last read, good, is older than the stale limit.
				back := staleAfter + time.Minute
				in.Status.Fetched = in.Status.Fetched.Add(-back)
				for i := range in.Recent[probe.TargetStatus] {
					in.Recent[probe.TargetStatus][i].Time = in.Recent[probe.TargetStatus][i].Time.Add(-back)
				}
			}
			for i, r := range in.Recent[probe.TargetCode] {
				if tc.cli != "" {
					r.Class, r.Detail, r.Message = probe.ClassOK, tc.cli, "Claude Code "+tc.cli+" installed"
				} else {
					r.Class, r.Detail, r.Message = probe.ClassUnknown, "not installed", "claude not found"
				}
				in.Recent[probe.TargetCode][i] = r
			}
			v := Judge(in)
			if v.Official.State != tc.state {
				t.Fatalf("page state %s, want %s", v.Official.State, tc.state)
			}
			var code probe.ServiceVerdict
			for _, sv := range v.Services {
				if sv.Service.Key == "claude_code" {
					code = sv
				}
			}
			if got := code.Words(); got != tc.words {
				t.Errorf("Claude Code %q, want %q", got, tc.words)
			}
			if code.PageOnly != v.Official.Drives || code.PageOnly && code.Local != "" {
				t.Errorf("PageOnly %v Local %q with the page %s", code.PageOnly, code.Local, tc.state)
			}
			if !v.Official.Drives && strings.Contains(code.Words()+code.Local, "Anthropic") {
				t.Errorf("credits Anthropic while no page counts: %q", code.Words())
			}
		})
	}
}
