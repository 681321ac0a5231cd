package ui

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestRestartForgetsHoursOldFailures (verdicts item 3): after a restart
// the database's results are weighed only within the horizon, as check
// and diagnose weigh them. Two hours ago the API failed twelve times; now
// everything answers: one fresh success must not read as "recovering"
// from a failure nobody has seen for two hours.
func TestRestartForgetsHoursOldFailures(t *testing.T) {
	old := testNow.Add(-2 * time.Hour)
	fail := func(int) (probe.Result, bool) { return overloaded(1), true }
	snap := healthySnapshot(old, 12)
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 12, old, 30*time.Second, 200*time.Millisecond, fail)
	snap.recent[probe.TargetAPIKey] = series(probe.TargetAPIKey, 12, old, 30*time.Second, 200*time.Millisecond, fail)
	fresh := testNow.Add(-5 * time.Second)
	st := operationalStatus(fresh)
	round := []any{
		eventMsg{Result: series(probe.TargetStatus, 1, fresh, time.Second, 100*time.Millisecond, never)[0], Status: &st},
		eventMsg{Result: series(probe.TargetAPI, 1, fresh, time.Second, 200*time.Millisecond, never)[0]},
		eventMsg{Result: series(probe.TargetAPIKey, 1, fresh, time.Second, 200*time.Millisecond, never)[0]},
		eventMsg{Result: series(probe.TargetClaudeAI, 1, fresh, time.Second, 140*time.Millisecond, never)[0]},
	}
	for _, tc := range []struct {
		name    string
		horizon time.Duration
		want    probe.VerdictKind
	}{
		{"with the horizon", 6 * time.Minute, probe.VerdictOperational},
		// Without it, the hours-old streak still holds the banner: the
		// defect this fixes.
		{"without", 0, probe.VerdictUnacknowledged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions()
			opts.Horizon = tc.horizon
			m := send(New(opts), snap)
			for _, ev := range round {
				m = send(m, ev.(eventMsg))
			}
			if v := m.board.verdict; v.Kind != tc.want {
				t.Errorf("verdict %s %q, want %s", v.Kind.Key(), v.Headline, tc.want.Key())
			}
			if tc.horizon > 0 && strings.Contains(m.board.verdict.Headline, "recover") {
				t.Errorf("headline says recovering: %q", m.board.verdict.Headline)
			}
			// The strips still hold the old results: only the verdict forgets.
			if n := len(m.board.rings[probe.TargetAPI].items()); n != 13 {
				t.Errorf("API ring holds %d results, want 13", n)
			}
		})
	}
}
