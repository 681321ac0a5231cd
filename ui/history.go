package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// historyTab summarises the in-memory rings per target: counts by class,
// uptime and latency percentiles.
type historyTab struct {
	b     *board
	st    *styles
	w, h  int
	stats []targetStats // recomputed on data, not on every frame
}

type targetStats struct {
	target   probe.Target
	n, up    int
	p50, p95 time.Duration
	counts   [len(classOrder)]int
	from     time.Time
}

// classOrder is the order outcomes are listed in.
var classOrder = [...]probe.Class{
	probe.ClassOK, probe.ClassSlow, probe.ClassAuth, probe.ClassBilling, probe.ClassRateLimited,
	probe.ClassOverloaded, probe.ClassServer, probe.ClassNetwork, probe.ClassUnexpected, probe.ClassUnknown,
}

func newHistoryTab(b *board, st *styles) historyTab { return historyTab{b: b, st: st} }

func (t *historyTab) setSize(w, h int) { t.w, t.h = w, h }

// capturing reports whether the tab is taking text input, so the root
// sends it every key.
func (t historyTab) capturing() bool { return false }

func (t historyTab) update(msg tea.Msg) (historyTab, tea.Cmd) {
	switch msg.(type) {
	case snapshotMsg, eventMsg:
		t.stats = t.stats[:0:0]
		for _, tg := range t.b.targets {
			if rs := t.b.results(tg); len(rs) > 0 {
				t.stats = append(t.stats, summarise(tg, rs))
			}
		}
	}
	return t, nil
}

func summarise(tg probe.Target, rs []probe.Result) targetStats {
	s := targetStats{target: tg, n: len(rs), from: rs[0].Time}
	lats := make([]time.Duration, 0, len(rs))
	for _, r := range rs {
		if r.Class.Up() {
			s.up++
			lats = append(lats, r.Latency())
		}
		for i, c := range classOrder {
			if r.Class == c {
				s.counts[i]++
			}
		}
	}
	slices.Sort(lats)
	s.p50, s.p95 = percentile(lats, 50), percentile(lats, 95)
	return s
}

// percentile is the nearest-rank percentile of sorted values; 0 if none.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (p*len(sorted) + 99) / 100 // ceil(p/100 · n), 1-based
	return sorted[max(i, 1)-1]
}

const (
	colCount = 7 // "Results"
	colUp    = 7 // "100.0%"
	colLat   = 6 // "1.2s", "140ms"
)

func (t historyTab) view() string {
	if t.w <= 0 || t.h <= 0 {
		return ""
	}
	st := t.st
	if len(t.stats) == 0 {
		return clamp(st.muted.Render(fmt.Sprintf(
			"No results yet. Each target's last %d results are summarised here as they arrive.", ringSize)), t.w, t.h)
	}
	h := st.colHeader.Render
	var lines []string
	intro := fmt.Sprintf("The last %d results per target held in memory; up = ok or slow; latency of successful probes.", ringSize)
	for _, l := range wrap(intro, t.w) {
		lines = append(lines, st.muted.Render(l))
	}
	lines = append(lines, "", t.row(h("Target"), h("Results"), h("Up"), h("p50"), h("p95"), h("Outcomes")))
	for _, s := range t.stats {
		var outcomes []string
		for i, n := range s.counts {
			if n == 0 {
				continue
			}
			sym, tn := classLook(classOrder[i])
			outcomes = append(outcomes, st.tone[tn].Render(fmt.Sprintf("%s %s %d", sym, classWord(classOrder[i]), n)))
		}
		upTone := toneGood
		if s.up < s.n {
			upTone = toneWarn
		}
		lines = append(lines, t.row(
			st.text.Render(s.target.Label()),
			st.text.Render(fmt.Sprintf("%d", s.n)),
			st.tone[upTone].Render(fmt.Sprintf("%.1f%%", 100*float64(s.up)/float64(s.n))),
			st.text.Render(latency(s.p50)),
			st.text.Render(latency(s.p95)),
			strings.Join(outcomes, st.muted.Render(" · ")),
		))
	}
	return clamp(strings.Join(lines, "\n"), t.w, t.h)
}

func (t historyTab) row(name, n, up, p50, p95, outcomes string) string {
	return strings.Join([]string{
		fit(name, colName), fit(n, colCount), fit(up, colUp), fit(p50, colLat), fit(p95, colLat), outcomes,
	}, " ")
}
