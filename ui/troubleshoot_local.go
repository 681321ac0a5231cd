package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
	"downforai/probe/diagnose"
)

func (t troubleshootTab) localChecks() []string {
	st, l := t.st, t.b.local
	if l == nil {
		return []string{st.muted.Render("  not run yet: they run at start and every few minutes")}
	}
	var lines []string
	for _, c := range diagnose.LocalChecks(l, t.b.evidence().Recent) {
		sym, tn := localLook(c.Level)
		prefix := "  " + st.tone[tn].Render(sym) + " " + fit(st.text.Render(c.Name), localNameWidth) + " "
		lines = append(lines, t.wrapped(prefix, c.Text)...)
	}
	return lines
}

func localLook(l probe.LocalLevel) (string, tone) {
	switch l {
	case probe.LocalOK:
		return symOK, toneGood
	case probe.LocalInfo:
		return symInfo, toneInfo
	case probe.LocalWarn:
		return symWarn, toneWarn
	case probe.LocalFail:
		return symBad, toneLocal
	}
	return symNone, toneMuted
}

// gauges draws one bar per limit: "requests ███████░░░ 999/1000 · resets 14:01:00".
// The bars share one width, what the longest text leaves of the line (up
// to gaugeMax), so no line is cut at the edge (cold C21).
func (t troubleshootTab) gauges(hs []diagnose.Headroom) []string {
	st := t.st
	texts := make([]string, len(hs))
	longest := 0
	for i, h := range hs {
		texts[i] = fmt.Sprintf(" %d/%d left (%.0f%%)", h.Remaining, h.Limit, 100*h.Fraction())
		switch {
		case h.ResetPast(t.b.now):
			// Counted before a reset that has happened since: not what
			// is left now (cold walk of Dec 7).
			texts[i] += " · counted before its reset " + clock(t.b.now, h.Reset) + " (" + ago(t.b.now, h.Reset) + ")"
		case !h.Reset.IsZero():
			texts[i] += " · resets " + clock(t.b.now, h.Reset)
		}
		longest = max(longest, ansi.StringWidth(texts[i]))
	}
	barW := max(min(t.w-gaugeIndent-gaugeName-longest, gaugeMax), gaugeMin)
	var lines []string
	for i, h := range hs {
		filled := int(h.Fraction()*float64(barW) + 0.5)
		tn := toneGood
		switch f := h.Fraction(); {
		case f < 0.1:
			tn = toneBad
		case f < 0.3:
			tn = toneWarn
		}
		bar := st.tone[tn].Render(strings.Repeat("█", filled)) + st.muted.Render(strings.Repeat("░", barW-filled))
		lines = append(lines, strings.Repeat(" ", gaugeIndent)+fit(st.text.Render(h.Name), gaugeName)+bar+st.text.Render(texts[i]))
	}
	return lines
}
