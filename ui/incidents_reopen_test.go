package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// TestIncidentReopened (cold5 D7): the incidents feed marked 461yvfrzpwtt
// resolved; a newer read of summary.json lists it open again (identified),
// its timestamps older than the resolution. The Incidents tab follows the
// newest read: identified, under "active", with our 529s filed under it —
// never "resolved" while Live lists it open.
func TestIncidentReopened(t *testing.T) {
	st := outageStatus(testNow.Add(-5 * time.Second))
	for i := range st.Incidents {
		st.Incidents[i].Seen = st.Fetched // as StatusProber.Probe stamps it
	}
	resolved := st.Incidents[0]
	resolved.Status, resolved.ResolvedAt = "resolved", testNow.Add(-4*time.Minute)
	resolved.UpdatedAt, resolved.Seen = resolved.ResolvedAt, testNow.Add(-4*time.Minute-5*time.Second)
	resolved.Updates = append([]probe.IncidentUpdate{{ID: "r", Status: "resolved", Body: "This incident has been resolved.", At: resolved.ResolvedAt}}, resolved.Updates...)

	ours := ourAPIIncident("")
	ours.FirstFailure, ours.Opened = testNow.Add(-2*time.Minute), testNow.Add(-100*time.Second)
	ours.Failures, ours.Probes = 12, 12
	m := New(testOptions())
	snap := outageSnapshot(st.Fetched.Add(-5*time.Second), ringSize)
	snap.status = nil
	snap.official = []probe.Incident{resolved} // what the database held
	snap.local = []probe.LocalIncident{ours}
	// Then this round's read of the page, as the engine sends it.
	m = send(m, snap, eventMsg(probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: st.Fetched, Class: probe.ClassOK, HTTPStatus: 200},
		Status: &st, Official: st.Incidents}), tea.WindowSizeMsg{Width: 160, Height: 40})
	m.active = tabIncidents
	m = send(m, keyRunes("f")) // active
	if !strings.Contains(m.View(), "[active]") {
		t.Fatal("filter active not shown as current")
	}
	v := m.incidents.view()
	row := ""
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, "Elevated errors") {
			row = line
		}
	}
	if row == "" {
		t.Fatalf("the re-opened incident is missing from the active filter:\n%s", v)
	}
	if strings.Contains(row, "resolved") || !strings.Contains(row, "identified") || !strings.Contains(row, "both") {
		t.Errorf("re-opened incident row %q, want identified with ours linked (both)", row)
	}
	if strings.Contains(v, "ours still failing") {
		t.Errorf("ours filed as outlasting a resolved incident:\n%s", v)
	}
}

// TestIncidentAfterMaintenanceLeftThePage (cold5 D6): the page listed the
// API maintenance in progress until 13:50:00 and no longer at 13:50:06;
// our 529s began at 13:53 — linked to it by a detector that did not know.
// The maintenance is over: ours is its own row, the maintenance's end is
// the observed range in seconds, never "lasted 0s", and after a restart
// (a new dashboard reading the stored copy, the page still without it)
// the same bounds — not "between its start and now".
func TestIncidentAfterMaintenanceLeftThePage(t *testing.T) {
	start := testNow.Add(-20 * time.Minute)
	maint := probe.Incident{ID: "m4nt3n4nc3aa", Name: "Scheduled maintenance of the Claude API", Status: "in_progress", Impact: "maintenance",
		CreatedAt: start.Add(-72 * time.Hour), StartedAt: start, UpdatedAt: start,
		ScheduledFor: start, ScheduledUntil: start.Add(time.Hour), Components: []string{"k8w3r06qmzrp"},
		Updates: []probe.IncidentUpdate{{ID: "m1", Status: "in_progress", Body: "Scheduled maintenance is currently in progress.", At: start}},
		Seen:    testNow.Add(-10 * time.Minute)}
	gone := maint
	gone.Unlisted = testNow.Add(-10*time.Minute + 6*time.Second)

	ours := ourAPIIncident(maint.ID)
	ours.FirstFailure, ours.Opened = testNow.Add(-7*time.Minute), testNow.Add(-6*time.Minute)
	ours.Failures, ours.Probes = 30, 60

	st := operationalStatus(testNow.Add(-5 * time.Second))
	check := func(name string, m Model) {
		t.Helper()
		m.active = tabIncidents
		v := m.incidents.view()
		if strings.Contains(v, "ours still failing") || strings.Contains(v, "lasted 0s") {
			t.Errorf("%s: our new 529s filed under the maintenance that left the page:\n%s", name, v)
		}
		if !strings.Contains(v, "ended 13:50:00–13:50:06") {
			t.Errorf("%s: the maintenance's end is not the observed range:\n%s", name, v)
		}
		if !strings.Contains(v, "our probes") || !strings.Contains(v, "ongoing") {
			t.Errorf("%s: our 529s have no row of their own:\n%s", name, v)
		}
	}

	// Live: the round that read the page without it carries the copy
	// marked Unlisted.
	m := New(testOptions())
	snap := healthySnapshot(testNow.Add(-30*time.Second), ringSize)
	snap.status = nil
	snap.official = []probe.Incident{maint}
	snap.local = []probe.LocalIncident{ours}
	m = send(m, snap, eventMsg(probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: st.Fetched, Class: probe.ClassOK, HTTPStatus: 200},
		Status: &st, Official: []probe.Incident{gone}}), tea.WindowSizeMsg{Width: 160, Height: 40})
	check("live", m)

	// Restart: the database holds the merged copy; the first read is
	// minutes later.
	later := operationalStatus(testNow)
	r := New(testOptions())
	snap = healthySnapshot(testNow, ringSize)
	snap.status = &later
	snap.official = []probe.Incident{probe.MergeIncident(maint, gone)}
	snap.local = []probe.LocalIncident{ours}
	r = send(r, snap, tea.WindowSizeMsg{Width: 160, Height: 40})
	check("restart", r)
}
