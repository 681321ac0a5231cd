package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// TestIncidentsShowTheSessionsAsASource: an incident Claude Code's own
// sessions opened is listed as theirs, and its detail counts calls, not
// probes; one closed for want of calls says so.
func TestIncidentsShowTheSessionsAsASource(t *testing.T) {
	first := testNow.Add(-50 * time.Minute)
	l := probe.LocalIncident{
		ID: "18e2/sessions:provider", Subject: "sessions:provider", Kind: probe.KindProvider, Service: "claude_code",
		Targets:      []probe.Target{probe.TargetSessions},
		FirstFailure: first, LastFailure: first.Add(10 * time.Minute), Opened: first.Add(time.Minute),
		Recovered: first.Add(10 * time.Minute), Closed: first.Add(25 * time.Minute),
		Failures: 9, Probes: 12, Classes: map[probe.Class]int{probe.ClassOverloaded: 9},
		HTTPStatus: 529, ErrorType: "overloaded_error", Message: "Overloaded", Version: 5,
	}
	m := New(testOptions())
	snap := outageSnapshot(testNow.Add(-40*time.Second), ringSize)
	snap.local = []probe.LocalIncident{l}
	m = send(m, snap, tea.WindowSizeMsg{Width: 160, Height: 48})
	m.active = tabIncidents
	v := m.incidents.view()
	for _, want := range []string{"Claude Code, your sessions: overloaded (529)", "sessions"} {
		if !strings.Contains(v, want) {
			t.Errorf("list lacks %q\n%s", want, v)
		}
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
	v = m.View()
	for _, want := range []string{"your Claude Code sessions only", "9 failed of 12 calls of your Claude Code sessions",
		"closed: no Claude Code calls for 15 min after the last failure", "targets: Claude Code calls"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q\n%s", want, v)
		}
	}
}
