package diagnose

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestALimitNoticeIsTheNoticesWord: a pasted usage-limit notice says its
// limit was spent; we did not see that. Its first line says whose word it
// is — "the notice says …" for a reset ahead, "this notice said … was
// used up" for one past (days later, or an old notice) — and only
// Anthropic's usage answer, read now, makes it a bare present fact
// (issue 19).
func TestALimitNoticeIsTheNoticesWord(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	now := time.Date(2026, 12, 4, 13, 35, 0, 0, time.UTC)
	apiOK := map[probe.Target][]probe.Result{probe.TargetAPI: {{Target: probe.TargetAPI, Time: now.Add(-20 * time.Second), Class: probe.ClassOK, HTTPStatus: 200}}}
	for _, tc := range []struct {
		text  string
		local *probe.LocalReport
		first string
	}{
		{"5-hour limit reached ∙ resets May 5 at 9pm (America/New_York)", nil,
			"this notice said your plan's 5-hour window was used up: a limit of your Claude subscription, not an outage; the API itself is fine"},
		{"5-hour limit reached ∙ resets 3am", nil, "this notice said your plan's 5-hour window was used up"},
		{"Claude AI usage limit reached|1764700000", nil, "this notice said your plan's usage limit was used up"},
		{"Claude usage limit reached. Your limit will reset at 9pm (America/New_York).", nil, "the notice says your plan's usage limit is used up"},
		{"You've hit your session limit · resets 9pm (America/New_York)",
			&probe.LocalReport{CodeUsage: &probe.CodeUsage{Time: now.Add(-time.Minute), Limits: []probe.CodeLimit{{Name: "five_hour", Utilization: 100, ResetsAt: now.Add(time.Hour)}}}},
			"your plan's 5-hour window is used up"},
	} {
		got := LimitSays(Diagnose(tc.text), tc.local, nil, apiOK, now, 0, ny)
		if len(got) == 0 || !strings.HasPrefix(got[0], tc.first) {
			t.Errorf("%q: first line %q, want it to start %q", tc.text, got, tc.first)
		}
	}
}
