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

// TestAcknowledgedPageReadCarriesItsAge (cold6 E5): the page acknowledged
// an outage, then its newest read failed. Within the stale limit that read
// still counts — the banner says acknowledged, with the read's age and the
// failure since, and Live's Open incidents keeps the official incident,
// saying how old its read is — never as if read now.
func TestAcknowledgedPageReadCarriesItsAge(t *testing.T) {
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 140, Height: 48})
	read := testNow.Add(-40 * time.Second)
	st := outageStatus(read)
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: read, Class: probe.ClassOK, HTTPStatus: 200, Detail: "major"}, Status: &st})
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow.Add(-20 * time.Second), Class: probe.ClassNetwork, ErrorType: probe.NetTimeout, Message: "timed out after 2s"}})
	for _, at := range []time.Time{testNow.Add(-30 * time.Second), testNow.Add(-15 * time.Second), testNow.Add(-5 * time.Second)} {
		m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: at, Class: probe.ClassOverloaded, HTTPStatus: 529, ErrorType: "overloaded_error", Message: "529 overloaded_error: Overloaded",
			Phases: probe.Phases{Connect: time.Millisecond, TLS: time.Millisecond, Total: 80 * time.Millisecond}}})
	}
	if k := m.board.verdict.Kind; k != probe.VerdictOutage {
		t.Fatalf("verdict %s: want the outage the last good read acknowledged", k)
	}
	view := m.View()
	for _, want := range []string{"acknowledged on the status page", "The status page as read 13:59:20 UTC (40 s ago); the newest read failed (timed out).",
		"Elevated errors for multiple models · identified · 33m · status page, read <1m ago"} {
		if !strings.Contains(strings.Join(strings.Fields(view), " "), want) {
			t.Errorf("the screen does not say %q:\n%s", want, view)
		}
	}
}
