package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// TestRestartSaysLastKnownUntilThisRunAnswers (cold6 E7): quit during an
// outage, restart with the same database: what the database holds is the
// last run's state, however young (6 s), until every network probe of this
// run has answered — even after the local checks' event (it made the board
// live: the first frames said "✖ Anthropic outage · checked <1m ago" with no
// marker while the fake hung).
func TestRestartSaysLastKnownUntilThisRunAnswers(t *testing.T) {
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 120, Height: 40}, outageSnapshot(testNow.Add(-6*time.Second), ringSize))
	local := &probe.LocalReport{Time: testNow}
	m = send(m, eventMsg{Result: local.Result(), Local: local})
	banner := func() string { return strings.Join(strings.Fields(m.banner()), " ") }
	for _, want := range []string{"Last known, 13:59 UTC (6 s ago): Anthropic outage", "stale — last known state from 13:59:54"} {
		if !strings.Contains(banner(), want) {
			t.Errorf("after a restart, before this run's probes: the banner does not say %q:\n%s", want, banner())
		}
	}
	// The status page and claude.ai answer: the API's verdict still
	// rests on the database.
	for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetClaudeAI} {
		m = send(m, eventMsg{Result: probe.Result{Target: tg, Time: testNow, Class: probe.ClassOK, HTTPStatus: 200}})
	}
	if !strings.Contains(banner(), "Last known") {
		t.Errorf("the API not probed this run yet, the banner is not the last known state:\n%s", banner())
	}
	for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey} {
		r := overloaded(99)
		r.Target, r.Time = tg, testNow
		m = send(m, eventMsg{Result: r})
	}
	if b := banner(); strings.Contains(b, "Last known") || strings.Contains(b, "stale") {
		t.Errorf("every network probe answered this run, the banner still says it is old:\n%s", b)
	}
}
