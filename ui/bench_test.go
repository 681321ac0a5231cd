package ui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// benchModel is the outage state at 160×48 with full rings, so every
// sparkline is as wide as it gets and mixes failures with successes.
func benchModel(b *testing.B, t tab) Model {
	b.Helper()
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 160, Height: 48}, outageSnapshot(testNow, ringSize))
	m.active = t
	return m
}

func benchView(b *testing.B, t tab) {
	m := benchModel(b, t)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

func BenchmarkLiveView160x48(b *testing.B)         { benchView(b, tabLive) }
func BenchmarkIncidentsView160x48(b *testing.B)    { benchView(b, tabIncidents) }
func BenchmarkTroubleshootView160x48(b *testing.B) { benchView(b, tabTroubleshoot) }
func BenchmarkHistoryView160x48(b *testing.B)      { benchView(b, tabHistory) }

// BenchmarkEvent is the cost of one live event: ring push, verdict and
// the tabs' cached summaries.
func BenchmarkEvent(b *testing.B) {
	m := benchModel(b, tabLive)
	ev := eventMsg{Result: overloaded(1)}
	ev.Result.Target, ev.Result.Time = probe.TargetAPI, testNow
	b.ReportAllocs()
	for b.Loop() {
		next, _ := m.Update(ev)
		m = next.(Model)
	}
}

// BenchmarkTick is the cost of one idle second: the clock moves, the
// verdict is judged again over full rings, nothing new arrived.
func BenchmarkTick(b *testing.B) {
	m := benchModel(b, tabLive)
	now := testNow
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Second)
		m.board.setNow(now)
	}
}
