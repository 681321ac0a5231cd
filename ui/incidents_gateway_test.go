package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// TestIncidentDetailSaysTheGateway: the gateway at the API URL the user set
// answering 500 for itself (Envoy's "upstream connect error") was an
// incident "Your side, API reachability: answered by something else, not
// Anthropic (500)", "your side", "this points at your side", beside a
// banner saying the API is unreachable through the gateway: one verdict
// per moment, in the banner's terms (issue 19).
func TestIncidentDetailSaysTheGateway(t *testing.T) {
	for _, tc := range []struct{ setting, at string }{
		{"", "the gateway at the API URL set"}, // stored before the setting was kept
		// inc3 I2: the setting's name, as the banner says it.
		{"ANTHROPIC_BASE_URL", "the gateway at ANTHROPIC_BASE_URL"},
		{"--api-url", "the gateway at --api-url"},
	} {
		t.Run(tc.at, func(t *testing.T) { incidentDetailSaysTheGateway(t, tc.setting, tc.at) })
	}
}

func incidentDetailSaysTheGateway(t *testing.T, setting, at string) {
	l := ourAPIIncident("461yvfrzpwtt")
	l.GatewaySetting = setting
	l.Kind, l.Service = probe.KindYourSide, ""
	l.Classes = map[probe.Class]int{probe.ClassServer: 6}
	l.HTTPStatus, l.ErrorType = 500, probe.ErrNotAnthropic
	l.Message = `500 Internal Server Error (envoy): the gateway's own answer, not Anthropic's: "upstream connect error or disconnect/reset before headers"`
	m := New(testOptions())
	snap := outageSnapshot(testNow, ringSize)
	snap.official = resolvedIncidents()
	snap.local = []probe.LocalIncident{l}
	m = thisRun(send(m, snap, tea.WindowSizeMsg{Width: 160, Height: 80}))
	m.active = tabIncidents
	list := strings.Join(strings.Fields(m.incidents.view()), " ")
	m = send(m, keyRunes("j"), tea.KeyMsg{Type: tea.KeyEnter})
	v := strings.Join(strings.Fields(m.incidents.view()), " ")
	for _, w := range []string{
		"Claude API: unreachable through " + at + ": it answered 500 Internal Server Error (envoy)",
		at + " · still failing",
		"the gateway answered for itself, not with Anthropic's words",
	} {
		if !strings.Contains(v, w) {
			t.Errorf("detail lacks %q\n%s", w, v)
		}
	}
	for _, not := range []string{"something else", "your side"} {
		if strings.Contains(v, not) || strings.Contains(list, not) {
			t.Errorf("says %q\nlist: %s\ndetail: %s", not, list, v)
		}
	}
}

// TestIncidentDetailSaysTheGatewayCut (second cold walk of Dec 7): the
// gateway at the API URL set resetting our connections read "provider side"
// in the detail beside a banner saying "likely the gateway or its upstream
// (…) failed".
func TestIncidentDetailSaysTheGatewayCut(t *testing.T) {
	l := ourAPIIncident("461yvfrzpwtt")
	l.GatewaySetting = "--api-url"
	l.Classes = map[probe.Class]int{probe.ClassNetwork: 6}
	l.LastClass, l.HTTPStatus, l.ErrorType, l.Hung = probe.ClassNetwork, 0, probe.NetReset, true
	l.Message = "connection reset by peer"
	m := New(testOptions())
	snap := outageSnapshot(testNow, ringSize)
	snap.official = resolvedIncidents()
	snap.local = []probe.LocalIncident{l}
	m = thisRun(send(m, snap, tea.WindowSizeMsg{Width: 160, Height: 80}))
	m.active = tabIncidents
	m = send(m, keyRunes("j"), tea.KeyMsg{Type: tea.KeyEnter})
	v := strings.Join(strings.Fields(m.incidents.view()), " ")
	for _, w := range []string{
		"through the gateway at --api-url",
		"likely the gateway at --api-url or its upstream (Anthropic, or the gateway's route to it) · still failing",
	} {
		if !strings.Contains(v, w) {
			t.Errorf("detail lacks %q\n%s", w, v)
		}
	}
	if strings.Contains(v, "provider side") {
		t.Errorf("says provider side:\n%s", v)
	}
}
