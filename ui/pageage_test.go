package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// TestUnreadPageCarriesItsAge: after a good read the status page stops
// answering. While its last read still counts (within the stale limit),
// what it said is shown with its age — the column header and "Also on the
// status page, last read …" — and nothing it said is a ✔ any more: a read
// that failed since is not "operational" now.
func TestUnreadPageCarriesItsAge(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		m := send(New(testOptions()), tea.WindowSizeMsg{Width: size.w, Height: size.h})
		read := testNow.Add(-90 * time.Second)
		st := operationalStatus(read)
		m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: read, Class: probe.ClassOK, HTTPStatus: 200}, Status: &st})
		for _, at := range []time.Time{testNow.Add(-60 * time.Second), testNow.Add(-30 * time.Second)} {
			m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: at, Class: probe.ClassServer, HTTPStatus: 503, Message: "503 Service Unavailable"}})
		}
		for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetClaudeAI} {
			m = send(m, eventMsg{Result: probe.Result{Target: tg, Time: testNow.Add(-10 * time.Second), Class: probe.ClassOK, HTTPStatus: okCode(tg),
				Phases: probe.Phases{Connect: time.Millisecond, TLS: time.Millisecond, Total: 80 * time.Millisecond}}})
		}
		if o := m.board.verdict.Official; o.State != probe.OfficialUnreadable || !o.Drives {
			t.Fatalf("official %+v: want unreadable, its last read still counting", o)
		}
		view := m.View()
		for _, line := range strings.Split(view, "\n") {
			if strings.Contains(line, "✔ operational") {
				t.Errorf("%dx%d: a ✔ from a read that failed since: %q", size.w, size.h, line)
			}
			if strings.HasPrefix(line, "Also on the status page") && !strings.Contains(line, "last read 13:58") {
				t.Errorf("%dx%d: other components without the read's age: %q", size.w, size.h, line)
			}
		}
		if !strings.Contains(view, "Page (1m ago)") && !strings.Contains(view, "Page (<2m ago)") && !strings.Contains(view, "Page (90s ago)") {
			t.Errorf("%dx%d: the Status page column does not say how old its read is:\n%s", size.w, size.h, view)
		}
	}
}
