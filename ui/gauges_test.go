package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
	"downforai/probe/diagnose"
)

// At 80 columns the headroom bars shrink so each line keeps its reset
// time whole, and the bars stay one width (cold C21).
func TestGaugesFitTheWidth(t *testing.T) {
	st := newStyles(asciiRenderer())
	b := newBoard(probe.Targets(), testNow, 0, "")
	hs := []diagnose.Headroom{
		{Name: "requests", Remaining: 999, Limit: 1000, Reset: testNow.Add(52 * time.Second)},
		{Name: "tokens", Remaining: 96000, Limit: 96000, Reset: testNow.Add(52 * time.Second)},
	}
	for _, w := range []int{80, 100, 160} {
		tb := troubleshootTab{b: b, st: &st, w: w}
		lines := tb.gauges(hs)
		bars := map[int]bool{}
		for _, l := range lines {
			if ansi.StringWidth(l) > w || !strings.HasSuffix(l, "resets 14:00:52") {
				t.Errorf("width %d: %q is wider than the screen or lost its reset time", w, l)
			}
			bars[strings.Count(l, "█")+strings.Count(l, "░")] = true
		}
		if len(bars) != 1 {
			t.Errorf("width %d: bars of different widths %v:\n%s", w, bars, strings.Join(lines, "\n"))
		}
	}
}
