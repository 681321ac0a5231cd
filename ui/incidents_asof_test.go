package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// unreadModel: the page was read at 13:53 with Anthropic's incident open
// and ours linked to it; every read since timed out.
func unreadModel(w, h int) Model {
	m := New(testOptions())
	end := testNow.Add(-40 * time.Second)
	snap := outageSnapshot(end, ringSize)
	st := outageStatus(testNow.Add(-7 * time.Minute))
	snap.status = &st
	snap.recent[probe.TargetStatus] = series(probe.TargetStatus, ringSize, end, 30*time.Second, 120*time.Millisecond, func(i int) (probe.Result, bool) {
		if i >= ringSize-13 {
			return probe.Result{Class: probe.ClassNetwork, ErrorType: probe.NetTimeout, Message: "timed out after 10s"}, true
		}
		return probe.Result{}, false
	})
	snap.official = st.Incidents
	snap.local = []probe.LocalIncident{ourAPIIncident("461yvfrzpwtt")}
	m = send(m, snap, tea.WindowSizeMsg{Width: w, Height: h})
	m.active = tabIncidents
	return m
}

// TestIncidentsAsOfAnUnreadablePage: with the status page unreadable for
// minutes the banner said it "cannot say whether Anthropic has
// acknowledged it", while the tab showed the last-read incident as
// "identified · ongoing 45m · both" with no age (cold F23). It is shown as
// of that read, its length stops there, and "both" is not claimed.
func TestIncidentsAsOfAnUnreadablePage(t *testing.T) {
	for _, w := range []int{80, 160} {
		m := unreadModel(w, 40)
		if o := m.board.verdict.Official; o.Drives || o.State != probe.OfficialUnreadable {
			t.Fatalf("fixture: the page %s, drives %v", o.State, o.Drives)
		}
		v := strings.Join(strings.Fields(m.incidents.view()), " ")
		for _, bad := range []string{"ongoing 33m", "· both", " both "} {
			if strings.Contains(v, bad) {
				t.Errorf("%d columns: the list says %q from a read that no longer counts:\n%s", w, bad, m.incidents.view())
			}
		}
		for _, want := range []string{"identified as of 13:53", "ours; official last read 13:53", "ours ongoing 40m"} {
			if !strings.Contains(v, want) {
				t.Errorf("%d columns: the list lacks %q:\n%s", w, want, m.incidents.view())
			}
		}
		m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
		d := strings.Join(strings.Fields(m.incidents.view()), " ")
		for _, want := range []string{
			"Source our probes; Anthropic's incident as last read 13:53:00 (7m ago), not known since",
			"identified · major impact, as of 13:53 (7m ago)",
			"open 26m at the last read (13:53:00); not known since; our probes' part ongoing 40m",
			"status page unreadable since 13:53 (timed out): whether Anthropic still lists it, or has resolved it, is not known",
		} {
			if !strings.Contains(d, want) {
				t.Errorf("%d columns: the detail lacks %q:\n%s", w, want, m.incidents.view())
			}
		}
		if strings.Contains(d, "Anthropic and our probes") {
			t.Errorf("%d columns: the detail claims both:\n%s", w, m.incidents.view())
		}
	}
	// Read again: a current fact once more.
	m := unreadModel(160, 40)
	st := outageStatus(testNow)
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK, HTTPStatus: 200}, Status: &st, Official: st.Incidents})
	if v := m.incidents.view(); !strings.Contains(v, "both") || strings.Contains(v, "as of") {
		t.Errorf("after a good read:\n%s", v)
	}
}
