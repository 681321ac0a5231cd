package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// oursModel is the Incidents tab with only the given incidents of ours.
func oursModel(w, h int, ls ...probe.LocalIncident) Model {
	m := New(testOptions())
	snap := healthySnapshot(testNow.Add(-20*time.Second), ringSize)
	snap.local = ls
	m = send(m, snap, tea.WindowSizeMsg{Width: w, Height: h})
	m.active = tabIncidents
	return m
}

// TestSupersededIncidentIsNotRecovered: the API answered 529 for 4 min,
// then became unreachable (the fake killed); the tab said "recovered …
// lasted 4m" though nothing answered (cold F6).
func TestSupersededIncidentIsNotRecovered(t *testing.T) {
	first := testNow.Add(-10 * time.Minute)
	l := probe.LocalIncident{
		ID: "18e2/provider:api", Subject: "provider:api", Kind: probe.KindProvider, Service: "api",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey}, FirstFailure: first, LastFailure: first.Add(4 * time.Minute),
		Opened: first.Add(time.Minute), Superseded: first.Add(4*time.Minute + 30*time.Second), Closed: first.Add(5 * time.Minute),
		Became: "Claude API: unreachable (refused)", BecameClass: probe.ClassNetwork,
		Failures: 16, Probes: 18, Classes: map[probe.Class]int{probe.ClassOverloaded: 16}, HTTPStatus: 529, ErrorType: "overloaded_error", Version: 3,
	}
	for _, w := range []int{80, 160} {
		v := oursModel(w, 30, l).incidents.view()
		if strings.Contains(v, "recovered") || !strings.Contains(v, "became unreachable") || !strings.Contains(v, "lasted 4m") {
			t.Errorf("%d columns: the row should say it became unreachable, not recovered:\n%s", w, v)
		}
		m := send(oursModel(w, 40, l), tea.KeyMsg{Type: tea.KeyEnter})
		d := strings.Join(strings.Fields(m.incidents.view()), " ") // unwrapped
		if strings.Contains(d, "· recovered") || !strings.Contains(d, "Status became unreachable") ||
			!strings.Contains(d, "ended 13:54:30, not recovered: became Claude API: unreachable (refused)") {
			t.Errorf("%d columns: detail:\n%s", w, d)
		}
	}
}

// TestIncidentFactsDropWholeParts: at 80 columns a row's second line was
// cut mid-word ("lasted 1h 35m · An…"); it drops whole parts instead — the
// start first, then the services, then the duration.
func TestIncidentFactsDropWholeParts(t *testing.T) {
	const (
		status, svc, start = "resolved", "API, claude.ai", "Sep 2 2026 12:00"
		dur, src           = "24h ago, lasted 1h 35m", "Anthropic"
	)
	for _, tc := range []struct {
		w    int
		want string
	}{
		{200, "resolved · API, claude.ai · Sep 2 2026 12:00 · 24h ago, lasted 1h 35m · Anthropic"},
		{76, "resolved · API, claude.ai · 24h ago, lasted 1h 35m · Anthropic"},
		{50, "resolved · 24h ago, lasted 1h 35m · Anthropic"},
		{30, "resolved · Anthropic"},
	} {
		if got := factsLine(tc.w, status, svc, start, dur, src); got != tc.want {
			t.Errorf("width %d: %q, want %q", tc.w, got, tc.want)
		}
	}
	// What is left too wide is cut at a word, never inside one.
	if got := factsLine(12, "identified as of 13:53", "", "", "", "ours"); strings.HasSuffix(strings.TrimSuffix(got, "…"), "1") || len([]rune(got)) > 12 {
		t.Errorf("cut inside a word: %q", got)
	}
}
