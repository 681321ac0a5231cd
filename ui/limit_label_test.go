package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// TestAPastedLimitIsNoNowLine: a usage-limit notice pasted days after
// its reset shows what the notice said under "limit:", never a "now:"
// line saying the plan's limit was used up (issue 19): "now:" is for what
// the probes see at this moment.
func TestAPastedLimitIsNoNowLine(t *testing.T) {
	end := testNow.Add(-20 * time.Second)
	m := send(New(sessionsOptions()), healthySnapshot(end, 30), tea.WindowSizeMsg{Width: 160, Height: 48})
	m.active = tabTroubleshoot
	m = send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")})
	paste := fmt.Sprintf("Claude AI usage limit reached|%d", testNow.Add(-3*24*time.Hour).Unix())
	m = send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(paste), Paste: true})
	m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
	v := m.View()
	if !strings.Contains(v, "limit: this notice said your plan's usage limit was used up") {
		t.Errorf("no limit line saying what the notice said:\n%s", v)
	}
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, "now:") && strings.Contains(line, "used up") {
			t.Errorf("a now: line says the limit was used up: %q", line)
		}
	}
}
