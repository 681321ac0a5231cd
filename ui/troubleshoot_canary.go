package ui

import (
	"fmt"
	"strings"

	"downforai/probe"
)

// canaryTokens is the canaries' token use today as their newest results
// of today report it ("tokens today N of M" in their Detail), with the
// models asked; known is false when no canary of today said it.
func (b *board) canaryTokens() (spent, limit int64, models []string, known bool) {
	for _, t := range b.targets {
		id, ok := t.Model()
		if !ok {
			continue
		}
		models = append(models, id)
		for _, r := range b.results(t) {
			if s, lim, found := probe.ParseTokensToday(r.Detail); found && probe.Day(r.Time) == probe.Day(b.now) {
				spent, limit, known = max(spent, s), lim, true
			}
		}
	}
	return spent, limit, models, known
}

// canarySection is Troubleshooting's account of what the canaries cost:
// the day's tokens against the budget and an estimate of their cost,
// which says it is an estimate and from which list price — or that the
// cost is unknown for a model without one. Nil without canaries.
func (t troubleshootTab) canarySection() []string {
	spent, limit, models, known := t.b.canaryTokens()
	if len(models) == 0 {
		return nil
	}
	var lines []string
	if !known {
		lines = append(lines, t.wrappedTone(toneMuted, "  tokens today: ", "no canary has answered today yet; they use at most --canary-budget tokens per UTC day")...)
	} else {
		lines = append(lines, t.wrapped("  tokens today: ", fmt.Sprintf("%s of %s (the --canary-budget per UTC day; counted from each answer's usage, resets 00:00 UTC)",
			groupDigits(spent), groupDigits(limit)))...)
	}
	e := probe.EstimateCanaryCost(spent, models)
	if !e.Known {
		lines = append(lines, t.wrappedTone(toneWarn, "  cost: ", "unknown — no list price known for "+strings.Join(e.Unknown, ", ")+
			" (the price table, "+probe.PriceSource+", has Opus, Sonnet and Haiku)")...)
		return lines
	}
	day := probe.EstimateCanaryCost(limit, models)
	// A canary is a dozen input tokens and one output token: one in ten
	// is priced as output (EstimateCanaryCost), which the line says.
	text := fmt.Sprintf("≈ $%.4f today (an estimate), at most ≈ $%.2f a day for the whole budget — at %s (%s), one token in ten priced as output",
		e.Dollars, day.Dollars, e.Basis, probe.PriceSource)
	if !known {
		text = fmt.Sprintf("estimated once they answer, at %s (%s)", e.Basis, probe.PriceSource)
	}
	lines = append(lines, t.wrapped("  cost: ", text)...)
	return lines
}

// groupDigits writes n with thousands separated: "20,000".
func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + groupDigits(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
