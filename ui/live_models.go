package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"downforai/probe"
)

// The Claude API's per-model canaries on the Live tab (--canary): one row
// per model under the API's own rows, in the table's columns and on its
// strips' time scale — status, TTFT, strip, age. A model an official
// incident names says "incident" in the Status page column.

// modelTargets are the canary targets the board knows, in the order the
// engine listed them.
func (b *board) modelTargets() []probe.Target {
	var ts []probe.Target
	for _, t := range b.targets {
		if t.IsModel() {
			ts = append(ts, t)
		}
	}
	return ts
}

// modelVerdict is the verdict's judgement of one model.
func modelVerdict(v probe.Verdict, t probe.Target) (probe.ModelVerdict, bool) {
	for _, mv := range v.Models {
		if mv.Target == t {
			return mv, true
		}
	}
	return probe.ModelVerdict{}, false
}

// modelLabel is "└ Opus 4.5": the family and version fit the name column.
func modelLabel(t probe.Target) string {
	return "└ " + strings.TrimPrefix(t.Label(), "Claude ")
}

// modelCell is a canary's latest outcome: the probe cell (class, HTTP
// code, TTFT), or why none was sent.
func modelCell(st *styles, r probe.Result) string {
	switch {
	case r.ErrorType == "budget":
		return st.muted.Render("‖ paused: budget spent")
	case r.ErrorType == "not_found_error":
		return st.tone[toneLocal].Render(symLocal + " no such model 404")
	case r.Class == probe.ClassUnknown && r.Detail == "no credential":
		return st.muted.Render(symNone + " no API key")
	}
	return probeCell(st, r)
}

func (l liveTab) apiModelRows() []string {
	st := l.st
	spark := l.sparkWidth()
	var rows []string
	for _, t := range l.b.modelTargets() {
		name := st.text.Render("  " + modelLabel(t))
		official := ""
		if mv, ok := modelVerdict(l.b.verdict, t); ok && mv.Incident != "" {
			official = st.tone[toneBad].Render(symBad + " incident")
		}
		r, ok := l.b.latest(t)
		if !ok {
			rows = append(rows, l.row(name, official, st.muted.Render(symNone+" no data yet"), "", st.muted.Render("never")))
			continue
		}
		rows = append(rows, l.row(name, official, modelCell(st, r), l.strip(l.b.results(t), spark), st.muted.Render(age(l.b.now.Sub(r.Time)))))
	}
	return rows
}

// canarySection is the canaries' context section: each model's TTFT over
// its last canaries and what the verdict says of it, then the day's token
// use against the budget with an estimate of its cost.
func (l liveTab) canarySection() section {
	b, st := l.b, l.st
	ts := b.modelTargets()
	if len(ts) == 0 {
		return section{}
	}
	lines := []string{st.heading.Render("Canaries") + st.muted.Render(" (one request per model, max_tokens 1: they cost tokens)")}
	var spent, limit int64
	known := false
	var models []string
	for _, t := range ts {
		id, _ := t.Model()
		models = append(models, id)
		rs := b.results(t)
		var ok []time.Duration
		for _, r := range rs {
			if r.Class.Up() && r.Phases.FirstToken > 0 {
				ok = append(ok, r.Phases.FirstToken)
			}
			if s, lim, found := probe.ParseTokensToday(r.Detail); found && probe.Day(r.Time) == probe.Day(b.now) {
				spent, limit, known = max(spent, s), lim, true
			}
		}
		p50, p95 := "-", "-"
		if len(ok) > 0 {
			slices.Sort(ok)
			p50, p95 = roughLatency(quantile(ok, 0.50)), roughLatency(quantile(ok, 0.95))
		}
		text := ""
		tn := toneMuted
		if mv, found := modelVerdict(b.verdict, t); found {
			text = mv.Text
			if mv.Failing {
				tn = toneBad
			}
		}
		lines = append(lines, fit(st.text.Render("  "+strings.TrimPrefix(t.Label(), "Claude ")), colLatName)+" "+
			st.text.Render("TTFT p50 "+fit(p50, 6)+" p95 "+fit(p95, 6))+" "+st.tone[tn].Render(probe.CutWords(probe.Line(text, 0), max(l.w-colLatName-30, 10))))
	}
	if known {
		lines = append(lines, st.muted.Render("  "+canaryTokensLine(spent, limit, models)))
	}
	return section{lines: lines, more: func(n int) []string { return lines[:max(min(n, len(lines)), 1)] }}
}

// canaryTokensLine is the day's canary tokens and what they likely cost:
// an estimate at a list price the table knows, or "cost unknown" naming
// the model the table has no price for — never a guess (Troubleshooting
// says which price and where it is from).
func canaryTokensLine(spent, limit int64, models []string) string {
	e := probe.EstimateCanaryCost(spent, models)
	if !e.Known {
		return fmt.Sprintf("tokens today %d of %d (cost unknown: no list price for %s; press 3)",
			spent, limit, strings.Join(e.Unknown, ", "))
	}
	return fmt.Sprintf("tokens today %d of %d (≈ $%.4f, an estimate at list price; the whole budget ≈ $%.2f a day)",
		spent, limit, e.Dollars, probe.EstimateCanaryCost(limit, models).Dollars)
}
