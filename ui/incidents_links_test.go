package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// TestIncidentsLinkTheOpenOfficialIncident (cold8 E6): after degraded →
// flapping → partial outage, our still-failing problem was listed under
// Anthropic's "Degraded performance …" marked "ended 13:57:24–13:57:30"
// ("ours still failing", "both") while the open "Elevated error rates …"
// of the same component stood as Anthropic's alone. Ours is now the open
// incident's, its detail names the ended one it also overlapped, and the
// ended one's detail says where ours is listed — not "our probes saw no
// incident".
func TestIncidentsLinkTheOpenOfficialIncident(t *testing.T) {
	degraded := probe.Incident{ID: "d3gr4d3d0001", Name: "Degraded performance on the Claude API", Status: "investigating", Impact: "minor",
		CreatedAt: testNow.Add(-44 * time.Minute), StartedAt: testNow.Add(-44 * time.Minute), UpdatedAt: testNow.Add(-44 * time.Minute),
		Components: []string{"k8w3r06qmzrp"}, Seen: testNow.Add(-156 * time.Second), Unlisted: testNow.Add(-150 * time.Second),
		Updates: []probe.IncidentUpdate{{ID: "d1", Status: "investigating", Body: "We are seeing degraded performance on the Claude API.", At: testNow.Add(-44 * time.Minute)}}}
	elevated := probe.Incident{ID: "3l3v4t3d0001", Name: "Elevated error rates on the Claude API", Status: "investigating", Impact: "minor",
		CreatedAt: testNow.Add(-154 * time.Second), StartedAt: testNow.Add(-154 * time.Second), UpdatedAt: testNow.Add(-154 * time.Second),
		Components: []string{"k8w3r06qmzrp"},
		Updates:    []probe.IncidentUpdate{{ID: "e1", Status: "investigating", Body: "We are investigating elevated error rates on the Claude API.", At: testNow.Add(-154 * time.Second)}}}
	ours := ourAPIIncident(degraded.ID) // linked while "Degraded performance" was open
	ours.FirstFailure, ours.Opened = testNow.Add(-40*time.Minute), testNow.Add(-39*time.Minute)
	ours.Classes = map[probe.Class]int{probe.ClassServer: 40, probe.ClassOverloaded: 36}
	ours.HTTPStatus, ours.ErrorType, ours.Message = 503, "api_error", "503 Service Unavailable"

	snap := outageSnapshot(testNow.Add(-10*time.Second), ringSize)
	st := *snap.status
	st.Incidents = []probe.Incident{elevated}
	snap.status = &st
	snap.official = []probe.Incident{degraded, elevated}
	snap.local = []probe.LocalIncident{ours}
	m := New(testOptions())
	m = thisRun(send(m, snap, tea.WindowSizeMsg{Width: 160, Height: 40}))
	m.active = tabIncidents
	list := ansi.Strip(m.View())
	requireGolden(t, "incidents_e6_list_160x40", m.View())
	for _, l := range strings.Split(list, "\n") {
		if !strings.Contains(l, "MINOR") {
			continue // the banner names the open one too
		}
		if strings.Contains(l, "Elevated error rates") && !strings.Contains(l, "both") {
			t.Errorf("the open incident is not linked to ours: %q", l)
		}
		if strings.Contains(l, "Degraded performance") && (strings.Contains(l, "both") || strings.Contains(l, "ours still failing")) {
			t.Errorf("ours is still filed under the incident that ended: %q", l)
		}
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
	requireGolden(t, "incidents_e6_detail_ours_160x40", m.View())
	if v := ansi.Strip(m.View()); !strings.Contains(v, `ours also overlapped Anthropic's "Degraded performance on the Claude API" (no longer listed by 13:57:30)`) {
		t.Errorf("ours does not say the ended incident it overlapped:\n%s", v)
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyEsc}, keyRunes("j"), tea.KeyMsg{Type: tea.KeyEnter})
	requireGolden(t, "incidents_e6_detail_ended_160x40", m.View())
	v := ansi.Strip(m.View())
	if strings.Contains(v, "saw no incident") || !strings.Contains(strings.Join(strings.Fields(v), " "), `overlapped it: listed under Anthropic's "Elevated error rates on the Claude API" (ongoing, investigating)`) {
		t.Errorf("the ended incident's detail does not say where ours is:\n%s", v)
	}
}
