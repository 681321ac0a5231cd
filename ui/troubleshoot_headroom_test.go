package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// TestHeadroomSaysItsAge (cold walk of Dec 7): the gauges said "resets
// 11:23:00" of a time already past, under a heading with a clock and no
// age. The heading says how old the answer is; a count from before a reset
// since says so, and a reset to come is still "resets".
func TestHeadroomSaysItsAge(t *testing.T) {
	snap := healthySnapshot(testNow.Add(-10*time.Second), ringSize)
	keys := snap.recent[probe.TargetAPIKey]
	last := &keys[len(keys)-1]
	last.Time = testNow.Add(-6 * time.Minute)
	last.RateLimit = probe.RateLimit{RequestsLimit: 4000, RequestsRemaining: 3990, RequestsReset: testNow.Add(-5 * time.Minute),
		TokensLimit: 400000, TokensRemaining: 398000, TokensReset: testNow.Add(2 * time.Minute)}
	m := send(New(testOptions()), snap, tea.WindowSizeMsg{Width: 160, Height: 48})
	m.active = tabTroubleshoot
	v := strings.Join(strings.Fields(ansi.Strip(strings.Join(m.troubleshoot.content(), "\n"))), " ")
	for _, want := range []string{
		"Rate-limit headroom (your key, 13:54:00, 6m ago)",
		"3990/4000 left (100%) · counted before its reset 13:55:00 (5m ago)",
		"398000/400000 left (100%) · resets 14:02:00",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("Troubleshooting lacks %q\n%s", want, v)
		}
	}
	if strings.Contains(v, "resets 13:55:00") {
		t.Errorf("a reset past is said to come:\n%s", v)
	}
}
