package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// TestOpenIncidentDuringMaintenance (cold walk of Dec 7): an incident of
// ours filed under a maintenance in progress on its component was listed as
// a red "✖ Claude API: overloaded (529)" under the banner's "◇ Maintenance":
// it is the errors Anthropic said to expect, and reads so; once the page is
// not a current fact, or the maintenance is over, it is a failure again.
func TestOpenIncidentDuringMaintenance(t *testing.T) {
	until := testNow.Add(50 * time.Minute)
	mt := probe.Incident{ID: "mnt1", Name: "Scheduled maintenance of the Claude API", Impact: "maintenance", Status: "in_progress",
		CreatedAt: testNow.Add(-2 * time.Hour), ScheduledFor: testNow.Add(-45 * time.Minute), ScheduledUntil: until,
		StartedAt: testNow.Add(-45 * time.Minute), Components: []string{"k8w3r06qmzrp"}}
	build := func(mt probe.Incident, readAt time.Time) string {
		m := New(testOptions())
		snap := outageSnapshot(testNow.Add(-40*time.Second), ringSize)
		st := operationalStatus(readAt)
		st.Components = components("operational", "under_maintenance", "operational")
		st.Indicator, st.Description = "maintenance", "System under maintenance"
		st.Maintenances = []probe.Incident{mt}
		snap.status = &st
		snap.recent[probe.TargetStatus] = nil // the read below is the page's only one
		snap.local = []probe.LocalIncident{ourAPIIncident("mnt1")}
		ev := eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: readAt, Class: probe.ClassOK, HTTPStatus: 200}, Status: &st}
		m = thisRun(send(m, snap, ev, tea.WindowSizeMsg{Width: 160, Height: 60}))
		return m.View()
	}
	line := func(v string) string {
		for _, l := range strings.Split(v, "\n") {
			if strings.Contains(l, "Claude API: overloaded (529)") {
				return l
			}
		}
		return ""
	}
	v := build(mt, testNow.Add(-10*time.Second))
	got := line(v)
	if !strings.Contains(got, symInfo+" Claude API") || !strings.Contains(got, "expected: maintenance in progress until 14:50") {
		t.Errorf("during the maintenance, the incident reads %q\n%s", got, v)
	}
	done := mt
	done.Status, done.ResolvedAt = "completed", testNow.Add(-time.Minute)
	for name, v := range map[string]string{
		"the maintenance completed": build(done, testNow.Add(-10*time.Second)),
		"the page read 20 min ago":  build(mt, testNow.Add(-20*time.Minute)),
	} {
		if got := line(v); got == "" || strings.Contains(got, "expected") || !strings.Contains(got, symBad) {
			t.Errorf("%s: the incident reads %q\n%s", name, got, v)
		}
	}
}

// TestBreakIsInTheLegend (cold walk of Dec 7): the strips' ┊ — a stretch in
// which nothing was probed — stood in the strips and the time scale with no
// word for it. The legend names it while a break is drawn, and only then.
func TestBreakIsInTheLegend(t *testing.T) {
	legend := func(m Model) string {
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.Contains(l, "failed") && strings.Contains(l, "100ms") {
				return l
			}
		}
		return ""
	}
	snap := healthySnapshot(testNow.Add(-10*time.Second), ringSize)
	m := send(New(testOptions()), snap, tea.WindowSizeMsg{Width: 120, Height: 40})
	if l := legend(m); l == "" || strings.ContainsRune(l, sparkBreak) {
		t.Errorf("without a break, the legend is %q", l)
	}
	snap = healthySnapshot(testNow.Add(-10*time.Second), ringSize)
	for tg, rs := range snap.recent {
		for i := range rs {
			if rs[i].Time.Before(testNow.Add(-10 * time.Minute)) {
				rs[i].Time = rs[i].Time.Add(-3 * time.Hour) // the program was off for three hours
			}
		}
		snap.recent[tg] = rs
	}
	m = send(New(testOptions()), snap, tea.WindowSizeMsg{Width: 120, Height: 40})
	if l := legend(m); !strings.Contains(l, string(sparkBreak)+"no probes") {
		t.Errorf("with a break, the legend is %q\n%s", l, m.View())
	}
}

// TestOpenIncidentsAsOfTheLastRead (cold walk of Dec 7): the status page
// listed a major incident, then answered a challenge page; once its last
// read was past the stale limit the incident left Open incidents. It is
// listed as of that read, never as now.
func TestOpenIncidentsAsOfTheLastRead(t *testing.T) {
	read := testNow.Add(-10 * time.Minute)
	snap := healthySnapshot(testNow.Add(-10*time.Second), ringSize)
	st := outageStatus(read)
	snap.status = &st
	var page []probe.Result
	for i := range 12 {
		page = append(page, probe.Result{Target: probe.TargetStatus, Time: read.Add(time.Duration(i+1) * 45 * time.Second), Class: probe.ClassUnexpected,
			HTTPStatus: 403, ErrorType: "html", Message: "status page answered 403 Forbidden, an HTML challenge page"})
	}
	snap.recent[probe.TargetStatus] = append([]probe.Result{{Target: probe.TargetStatus, Time: read, Class: probe.ClassOK, HTTPStatus: 200, Detail: "major"}}, page...)
	m := thisRun(send(New(testOptions()), snap, tea.WindowSizeMsg{Width: 160, Height: 60}))
	if m.board.verdict.Official.Drives {
		t.Fatalf("the page read 10 min ago still drives the verdict: %+v", m.board.verdict.Official)
	}
	v := m.View()
	want := symUnknown + " Elevated errors for multiple models · identified · as of the last read 13:50 (10m ago), status page"
	if !strings.Contains(v, want) {
		t.Errorf("Open incidents lacks %q\n%s", want, v)
	}
}
