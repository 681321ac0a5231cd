package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// TestIdleScreenIsQuiet: with no new data, the 1 s clock may change a line
// of the screen at most once a minute. Bubble Tea rewrites every changed
// line whole, so a counter of seconds anywhere costs a full line (a probe
// row is hundreds of bytes) every second on the user's terminal, and
// over ssh on the wire. Every tab, every state, two sizes, a minute of
// ticks (a line that changes twice in it fails).
func TestIdleScreenIsQuiet(t *testing.T) {
	singleGoroutine(t)
	for name, build := range states() {
		for tb := tab(0); tb < tabCount; tb++ {
			for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
				clock := testNow
				m := build()
				m.opts.Now = func() time.Time { return clock }
				m.now = m.opts.Now
				m = send(m, tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
				m.active = tb
				prev := strings.Split(m.View(), "\n")
				lastChange := make([]time.Time, len(prev)+sz.h)
				for range 62 {
					clock = clock.Add(time.Second)
					m = send(m, tickMsg(clock))
					cur := strings.Split(m.View(), "\n")
					for i := range max(len(cur), len(prev)) {
						if i < len(cur) && i < len(prev) && cur[i] == prev[i] {
							continue
						}
						if at := lastChange[i]; !at.IsZero() && clock.Sub(at) < time.Minute {
							t.Errorf("%s, %v, %dx%d: line %d changed at +%v and again at +%v with no new data:\n%q\n%q",
								name, tb, sz.w, sz.h, i, at.Sub(testNow), clock.Sub(testNow), line(prev, i), line(cur, i))
						}
						lastChange[i] = clock
					}
					prev = cur
				}
			}
		}
	}
}

func line(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}
