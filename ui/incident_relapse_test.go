package ui

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestEvidenceSaysARecoveryThatDidNotHold: an incident of ours taken back
// by a failure before its recovery held says how often it answered
// briefly; one that never did says nothing of it.
func TestEvidenceSaysARecoveryThatDidNotHold(t *testing.T) {
	now := time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		relapses int
		want     string
	}{
		{0, "still failing"},
		{1, "still failing; answered again briefly once, failing again before the recovery held"},
		{3, "still failing; answered again briefly 3 times, failing again before the recovery held"},
	} {
		l := probe.LocalIncident{Subject: "provider:api", FirstFailure: now.Add(-time.Minute), Relapses: tc.relapses}
		if got := evidenceState(l, now); got != tc.want {
			t.Errorf("%d relapses: %q, want %q", tc.relapses, got, tc.want)
		}
		if tc.relapses == 0 && strings.Contains(evidenceState(l, now), "briefly") {
			t.Errorf("no relapse, yet %q", evidenceState(l, now))
		}
	}
}
