package ui

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"downforai/probe"
)

// TestEndToEnd runs the real program loop: events through a channel, keys
// from the "keyboard", and the final model after q.
func TestEndToEnd(t *testing.T) {
	events := make(chan probe.Event, 4)
	opts := testOptions()
	opts.Events = events
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(80, 24))

	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Checking")) },
		teatest.WithDuration(3*time.Second))

	st := outageStatus(testNow)
	events <- probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK, HTTPStatus: 200}, Status: &st}
	for i := 0; i < 3; i++ {
		r := overloaded(i)
		r.Target, r.Time = probe.TargetAPI, testNow.Add(time.Duration(i)*time.Second)
		events <- probe.Event{Result: r}
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Anthropic outage")) },
		teatest.WithDuration(3*time.Second))

	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("2")})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Elevated errors for multiple models")) },
		teatest.WithDuration(3*time.Second))

	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(3*time.Second)).(Model)
	if fm.active != tabIncidents {
		t.Errorf("active tab = %v, want Incidents", fm.active)
	}
	if got := len(fm.board.results(probe.TargetAPI)); got != 3 {
		t.Errorf("API ring holds %d results, want 3", got)
	}
}
