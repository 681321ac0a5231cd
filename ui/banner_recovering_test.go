package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// TestUnacknowledgedBannerWhileRecovering: once the newest probes of an
// unacknowledged incident's targets succeed (the verdict holds it until
// enough succeed in a row), the banner's line about it says the failures
// as past and that the service answers again — never "failing since"
// beside rows that read ✔ 200 (walk: 529 → ok through a gateway).
func TestUnacknowledgedBannerWhileRecovering(t *testing.T) {
	m := ranThisRun(send(New(testOptions()), unacknowledgedSnapshot()))
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow.Add(-15 * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529}},
		eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow.Add(-5 * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529}},
		tea.WindowSizeMsg{Width: 120, Height: 35})
	if b := strings.Join(strings.Fields(ansi.Strip(strings.Join(m.incidentBanner(), " "))), " "); !strings.Contains(b, "Claude API failing since") {
		t.Fatalf("no failing line before the recovery: %q", b)
	}
	for _, tg := range ourAPIIncident("").Targets {
		m = send(m, eventMsg{Result: probe.Result{Target: tg, Time: testNow.Add(-2 * time.Second), Class: probe.ClassOK, HTTPStatus: 200}})
	}
	b := strings.Join(strings.Fields(ansi.Strip(strings.Join(m.incidentBanner(), " "))), " ")
	if m.board.verdict.Kind != probe.VerdictUnacknowledged {
		t.Skipf("the verdict moved on at once (%s): nothing held to say", m.board.verdict.Kind)
	}
	if strings.Contains(b, "failing since") || !strings.Contains(b, "answering again since") || !strings.Contains(b, "failed from 13:19:20 UTC") {
		t.Errorf("the banner line while the API answers again: %q", b)
	}
}
