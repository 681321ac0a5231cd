package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// classBreakdown reports whether the selected target's History carries a
// line of its error rate by class: Claude Code's sessions, whose calls
// (not probes at an interval) fail in more ways than one, and where the
// class says whose side it is (issue 14).
func (t historyTab) classBreakdown() bool { return t.selected() == probe.TargetSessions }

// classLine is the selected window's error rate by class, w cells wide at
// most: "Claude Code calls, last 24h: 1,234 calls, 4.1% failed —
// overloaded 3.1% (38) · rate limited 1.0% (12)". The rate is of the calls
// judged, as a call (unlike a probe) speaks for no stretch of time. Where
// it is too wide the counts go first, then the rarest classes, whole.
func (t historyTab) classLine(s *probe.Summary, w int) string {
	st := t.st
	head := t.selected().Label() + ", last " + histWindows[t.win].label + ": "
	if s == nil {
		return st.heading.Render(head) + st.muted.Render("loading…")
	}
	n := s.Judged()
	if n == 0 {
		return st.heading.Render(head) + st.muted.Render("no calls")
	}
	failed := n - s.Up()
	calls := groupDigits(int64(n)) + " call" + probe.Plural(n)
	if failed == 0 {
		return st.heading.Render(head) + st.text.Render(calls+", none failed")
	}
	rate := calls + ", " + pct(failed, n) + " failed"
	tail := classTail(failedByClass(s), n, w-ansi.StringWidth(head+rate))
	tn := toneWarn
	if failed*100 >= n { // 1% or more
		tn = toneBad
	}
	return st.heading.Render(head) + st.tone[tn].Render(rate) + st.text.Render(tail)
}

// classCount is how many calls of a window failed in one class.
type classCount struct {
	c probe.Class
	n int
}

// failedByClass is a window's failing classes, the commonest first.
func failedByClass(s *probe.Summary) []classCount {
	var parts []classCount
	for c, k := range s.Counts {
		if cl := probe.Class(c); k > 0 && cl != probe.ClassUnknown && !cl.Up() {
			parts = append(parts, classCount{cl, int(k)})
		}
	}
	slices.SortStableFunc(parts, func(a, b classCount) int { return cmp.Compare(b.n, a.n) })
	return parts
}

// classTail is " — overloaded 3.1% (38) · rate limited 1.0% (12)" for
// the failing classes of n calls in room cells at most: every class with
// its count, else every class, else the commonest ("…" for the rest),
// else "".
func classTail(parts []classCount, n, room int) string {
	byClass := func(counts bool, keep int) string {
		var words []string
		for _, p := range parts[:keep] {
			word := classWord(p.c) + " " + pct(p.n, n)
			if counts {
				word += fmt.Sprintf(" (%d)", p.n)
			}
			words = append(words, word)
		}
		if keep < len(parts) {
			words = append(words, "…")
		}
		return " — " + strings.Join(words, " · ")
	}
	if b := byClass(true, len(parts)); ansi.StringWidth(b) <= room {
		return b
	}
	for keep := len(parts); keep >= 1; keep-- {
		if b := byClass(false, keep); ansi.StringWidth(b) <= room {
			return b
		}
	}
	return ""
}

// pct is k of n as a percentage for people: "3.1%", "0.05%", "100%";
// never rounded to 0% or 100% when it is neither.
func pct(k, n int) string {
	if n <= 0 {
		return "-"
	}
	v := 100 * float64(k) / float64(n)
	switch {
	case k == n:
		return "100%"
	case v >= 99.95:
		return "99.9%"
	case v >= 10:
		return fmt.Sprintf("%.0f%%", v)
	case v >= 0.1:
		return fmt.Sprintf("%.1f%%", v)
	case k > 0:
		return fmt.Sprintf("%.2f%%", max(v, 0.01))
	}
	return "0%"
}
