package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// TestIncidentDetailSaysUnstableAsNow: an incident that was unstable and
// now fails with every probe said "unstable: its probes took turns failing
// and succeeding" beside a banner saying failing (cold10 E5): the detail
// says it was, and what goes on now; closed, what happened in order.
func TestIncidentDetailSaysUnstableAsNow(t *testing.T) {
	for _, tc := range []struct {
		name         string
		steady, done bool
		want, not    string
	}{
		{"unstable now", false, false, "Claude API: unstable, overloaded (529)", "was unstable"},
		{"failing now", true, false, "Claude API: was unstable, now overloaded (529)", "unstable, overloaded"},
		{"closed", true, true, "Claude API: unstable, then overloaded (529)", "was unstable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := ourAPIIncident("461yvfrzpwtt")
			l.Unstable, l.FailingSteadily = true, tc.steady
			if tc.done {
				l.Recovered, l.Closed = testNow.Add(-time.Minute), testNow.Add(-30*time.Second)
			}
			m := New(testOptions())
			snap := outageSnapshot(testNow.Add(-40*time.Second), ringSize)
			snap.official = resolvedIncidents()
			snap.local = []probe.LocalIncident{l}
			st := outageStatus(testNow.Add(-12 * time.Second))
			ev := eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow.Add(-12 * time.Second), Class: probe.ClassOK, HTTPStatus: 200},
				Status: &st, Official: st.Incidents}
			m = thisRun(send(m, snap, ev, tea.WindowSizeMsg{Width: 160, Height: 80}))
			m.active = tabIncidents
			m = send(m, keyRunes("j"), tea.KeyMsg{Type: tea.KeyEnter})
			v := m.incidents.view()
			want := map[bool]string{false: "unstable: its probes took turns failing and succeeding", true: "was unstable: its probes took turns failing and succeeding"}[tc.steady && !tc.done]
			if tc.done {
				want = "; then they failed one way, again and again"
			} else if tc.steady {
				want += " (the banner's rule over the last 12 probes of a target); now they fail one way, again and again"
			}
			for _, w := range []string{tc.want, want} {
				if !strings.Contains(strings.Join(strings.Fields(v), " "), w) {
					t.Errorf("detail lacks %q\n%s", w, v)
				}
			}
			if strings.Contains(v, tc.not) {
				t.Errorf("detail says %q\n%s", tc.not, v)
			}
		})
	}
}

// TestIncidentDetailSaysTheSteadyRunBeforeTheTurns (inc3 I1): 500s with
// every probe, then turns with 529s: the title and the detail say the
// steady run first, not only "unstable, …".
func TestIncidentDetailSaysTheSteadyRunBeforeTheTurns(t *testing.T) {
	l := ourAPIIncident("461yvfrzpwtt")
	l.Classes = map[probe.Class]int{probe.ClassServer: 12, probe.ClassOverloaded: 6}
	l.Unstable, l.SteadyBefore, l.SteadyStatus = true, probe.ClassServer, 500
	l.SteadyClasses = map[probe.Class]int{probe.ClassServer: 12}
	m := New(testOptions())
	snap := outageSnapshot(testNow.Add(-40*time.Second), ringSize)
	snap.official = resolvedIncidents()
	snap.local = []probe.LocalIncident{l}
	st := outageStatus(testNow.Add(-12 * time.Second))
	ev := eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow.Add(-12 * time.Second), Class: probe.ClassOK, HTTPStatus: 200},
		Status: &st, Official: st.Incidents}
	m = thisRun(send(m, snap, ev, tea.WindowSizeMsg{Width: 160, Height: 80}))
	m.active = tabIncidents
	m = send(m, keyRunes("j"), tea.KeyMsg{Type: tea.KeyEnter})
	v := strings.Join(strings.Fields(m.incidents.view()), " ")
	for _, w := range []string{"Claude API: failing (500), then unstable, overloaded (529)",
		"unstable: first it failed 12 times one way, again and again (server 12, newest 500); then its probes took turns failing and succeeding"} {
		if !strings.Contains(v, w) {
			t.Errorf("detail lacks %q\n%s", w, v)
		}
	}
}
