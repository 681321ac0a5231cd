package ui

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/judge"
)

// TestDetailDurationSaysWhoseEnd (cold walk of Dec 7): a maintenance that
// left the page without a resolution time, with ours ending after it, read
// "Duration lasted 13m, ended 6m ago" (ours) beside "it ended between
// 11:51:02 and 11:51:07" (the maintenance's): each end says whose it is.
func TestDetailDurationSaysWhoseEnd(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	start := now.Add(-20 * time.Minute)
	mnt := &probe.Incident{ID: "m1", Name: "Scheduled maintenance", Status: "in_progress", Impact: "maintenance",
		ScheduledFor: start, StartedAt: start, Unlisted: now.Add(-9 * time.Minute)}
	gone := &judge.Unlisted{After: now.Add(-9*time.Minute - 5*time.Second), By: now.Add(-9 * time.Minute)}
	ours := probe.LocalIncident{ID: "x/provider:api", Subject: "provider:api", Kind: probe.KindProvider, Service: "api",
		Targets: []probe.Target{probe.TargetAPI}, FirstFailure: start.Add(time.Minute), LastFailure: now.Add(-7 * time.Minute),
		Recovered: now.Add(-6 * time.Minute), Closed: now.Add(-6 * time.Minute)}
	got := detailDuration(judge.TimelineEntry{Official: mnt, Local: []probe.LocalIncident{ours}, Gone: gone}, now)
	if !strings.HasPrefix(got, "Anthropic's ended 11:50:55–11:51:00 (no resolution time); ours lasted") || !strings.HasSuffix(got, "ended 6m ago") {
		t.Errorf("duration %q", got)
	}
	// Ours ended before it left the page: the range alone, as before.
	ours.Recovered, ours.Closed = now.Add(-12*time.Minute), now.Add(-12*time.Minute)
	if got := detailDuration(judge.TimelineEntry{Official: mnt, Local: []probe.LocalIncident{ours}, Gone: gone}, now); strings.Contains(got, "ours") {
		t.Errorf("duration %q", got)
	}
}
