package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
	"downforai/probe/judge"
)

// TestIncidentAfterTheOfficialEnded (cold C2): Anthropic resolved its
// incident, our probes recovered, and a minute later a new failure of ours
// began. It is its own row — ours, ongoing, not yet acknowledged — under
// every filter that should show it, never filed under the resolved
// official incident ("ours still failing", "both").
func TestIncidentAfterTheOfficialEnded(t *testing.T) {
	official := outageStatus(testNow).Incidents[0]
	official.Status, official.ResolvedAt = "resolved", testNow.Add(-3*time.Minute)
	old := ourAPIIncident(official.ID)
	old.LastFailure, old.Recovered, old.Closed = testNow.Add(-4*time.Minute), testNow.Add(-3*time.Minute-30*time.Second), testNow.Add(-3*time.Minute)
	fresh := ourAPIIncident("") // as the detector leaves it: Correlate links nothing
	fresh.ID = "18e2/provider:api"
	fresh.FirstFailure, fresh.Opened, fresh.LastFailure = testNow.Add(-2*time.Minute), testNow.Add(-90*time.Second), testNow.Add(-10*time.Second)
	fresh.Failures, fresh.Probes = 8, 8
	if _, linked := judge.Correlate(fresh, []probe.Incident{official}); linked {
		t.Errorf("the new failure is linked to the resolved incident")
	}
	m := New(testOptions())
	snap := outageSnapshot(testNow.Add(-10*time.Second), ringSize)
	snap.official = []probe.Incident{official}
	snap.local = []probe.LocalIncident{old, fresh}
	m = send(m, snap, tea.WindowSizeMsg{Width: 160, Height: 40})
	m.active = tabIncidents
	for _, f := range []string{"active", "official", "ours", "all"} {
		m = send(m, keyRunes("f"))
		v := m.incidents.view()
		if !strings.Contains(m.View(), "["+f+"]") {
			t.Fatalf("filter %s not shown as current", f)
		}
		if strings.Contains(v, "ours still failing") {
			t.Errorf("filter %s: the new failure is filed under the resolved incident:\n%s", f, v)
		}
		ongoing := strings.Contains(v, "ongoing")
		if want := f != "official"; ongoing != want {
			t.Errorf("filter %s: our ongoing row shown %v, want %v:\n%s", f, ongoing, want, v)
		}
		if f == "active" && strings.Contains(v, official.Name) {
			t.Errorf("filter active shows the resolved official incident:\n%s", v)
		}
	}
}
