package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"downforai/probe"
)

// chart draws the selected target's latency over the window: p50 as solid
// bars, p95 shaded above, failures and official incidents on the axis.
func (t historyTab) chart(height int) []string {
	sel := t.selected()
	cols := t.data.chart
	if t.data.req.sel != sel || t.data.req.win != t.win {
		cols = nil // the selection changed; its data is on its way
	}
	sc := chartScale{cols: cols, width: t.chartCols(), height: height, top: chartTop(cols)}
	lines := []string{t.chartTitle(sel)}
	for r := range height {
		lines = append(lines, t.chartRow(sc, r))
	}
	return append(lines, t.chartAxis(sc), t.chartLabels(sc.width))
}

// chartScale maps the chart's cells onto its columns of data and its
// latencies onto eighths of a cell.
type chartScale struct {
	cols          []chartCol
	width, height int
	top           time.Duration
}

// level is d in eighths of a cell, 0 at the bottom, height*chartCellSteps at top.
func (sc chartScale) level(d time.Duration) int64 {
	if sc.top <= 0 {
		return 0
	}
	units := int64(sc.height * chartCellSteps)
	return min((int64(d)*units+int64(sc.top)-1)/int64(sc.top), units)
}

// col is the data column under screen column x, false when there is none.
func (sc chartScale) col(x int) (chartCol, bool) {
	if len(sc.cols) == 0 {
		return chartCol{}, false
	}
	return sc.cols[min(x*len(sc.cols)/sc.width, len(sc.cols)-1)], true
}

// chartTitle names the target and the window, then the legend.
func (t historyTab) chartTitle(sel probe.Target) string {
	legend := "   █ p50  ░ p95  ✖ failures  " + t.incidentLegend()
	return t.st.heading.Render("Latency · "+sel.Label()+" · last "+histWindows[t.win].label) + t.st.muted.Render(legend)
}

// chartRow is row r of the bars (0 the top): the scale on the left, then
// p50 in block eighths over p95 shade; the bottom row marks failures and
// gaps.
func (t historyTab) chartRow(sc chartScale, r int) string {
	st := t.st
	label := strings.Repeat(" ", histAxis-1) + "│"
	if r == 0 && sc.top > 0 {
		label = fitRight(latency(sc.top), histAxis-1) + "┤"
	}
	var b strings.Builder
	b.WriteString(st.muted.Render(label))
	floor := int64(sc.height-1-r) * chartCellSteps
	bottom := r == sc.height-1
	runs := newToneRuns(st, &b)
	for x := range sc.width {
		c, ok := sc.col(x)
		ch, tn := ' ', toneMuted
		switch {
		case !ok:
		case c.up:
			f50, f95 := sc.level(c.p50)-floor, sc.level(c.p95)-floor
			tn = toneGood
			if c.worst == probe.ClassSlow {
				tn = toneWarn
			}
			switch {
			case f50 >= chartCellSteps:
				ch = '█'
			case f50 > 0:
				ch = sparkBlocks[f50-1]
			case f95 > 0:
				ch, tn = '░', toneMuted
			}
		case bottom && c.failures > 0:
			_, tn = classLook(c.worst)
			ch = sparkFail
		case bottom:
			ch = sparkGap
		}
		runs.addRune(ch, tn)
	}
	runs.flush()
	return b.String()
}

// chartAxis is the axis: failures and official incidents where they
// happened.
func (t historyTab) chartAxis(sc chartScale) string {
	st := t.st
	var axis strings.Builder
	axis.WriteString(st.muted.Render(strings.Repeat(" ", histAxis-1) + "└"))
	runs := newToneRuns(st, &axis)
	for x := range sc.width {
		c, ok := sc.col(x)
		switch {
		case ok && c.failures > 0:
			runs.add(classLook(c.worst))
		case ok && t.incidentAt(c, true):
			runs.add(markOfficial, toneBad)
		case ok && t.incidentAt(c, false):
			runs.add(markOurs, toneLocal)
		default:
			runs.addPaint("─", &st.rulePaint)
		}
	}
	runs.flush()
	return axis.String()
}

// chartLabels puts the window's start, middle and "now" under the axis,
// each only where it fits.
func (t historyTab) chartLabels(width int) string {
	win := histWindows[t.win]
	left, mid := "-"+short(win.span), "-"+short(win.span/2)
	// short writes days from daysFrom on: a half that is no whole number of
	// days ("-3d" of 3.5 days) is written in hours instead.
	if half := win.span / 2; half >= daysFrom && half%(24*time.Hour) != 0 {
		mid = fmt.Sprintf("-%dh", int(half/time.Hour))
	}
	labels := strings.Repeat(" ", histAxis) + left
	midAt := histAxis + width/2 - len(mid)/2
	if pad := midAt - len(labels); pad > 1 {
		labels += strings.Repeat(" ", pad) + mid
	}
	if pad := histAxis + width - len("now") - len(labels); pad > 1 {
		labels += strings.Repeat(" ", pad) + "now"
	}
	return t.st.muted.Render(labels)
}

// The chart's axis marks an official incident and one of ours
// differently, an official one where both overlap.
const (
	markOfficial = "━"
	markOurs     = "┄"
)

// incidentLegend explains the axis marks: the incident by name when it is
// the only one in the window (the spans are the window's), else the kinds
// there are.
func (t historyTab) incidentLegend() string {
	ins := t.data.incidents
	if len(ins) == 1 {
		if ins[0].official {
			return markOfficial + " " + ins[0].name
		}
		return markOurs + " ours: " + ins[0].name
	}
	var official, ours bool
	for _, in := range ins {
		official = official || in.official
		ours = ours || !in.official
	}
	switch {
	case official && ours:
		return markOfficial + " official  " + markOurs + " our incidents"
	case official:
		return markOfficial + " incidents"
	case ours:
		return markOurs + " our incidents"
	}
	return markOfficial + " official incident"
}

// incidentAt reports whether an incident of the kind (official, else
// ours) covers the column.
func (t historyTab) incidentAt(c chartCol, official bool) bool {
	for _, in := range t.data.incidents {
		if in.official == official && in.from.Before(c.to) && in.to.After(c.from) {
			return true
		}
	}
	return false
}

// chartTop is the latency at the top of the chart: the 90th percentile of
// the columns' p95, so that one slow spell does not flatten the rest
// (columns above it are drawn clipped), but never below the highest p50.
func chartTop(cols []chartCol) time.Duration {
	var p95s []time.Duration
	var maxP50 time.Duration
	for _, c := range cols {
		if c.up {
			p95s = append(p95s, c.p95)
			maxP50 = max(maxP50, c.p50)
		}
	}
	if len(p95s) == 0 {
		return 0
	}
	slices.Sort(p95s)
	return niceCeil(max(p95s[(len(p95s)-1)*9/10], maxP50))
}

// niceCeil rounds d up to 1, 2 or 5 times a power of ten milliseconds.
func niceCeil(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	for step := time.Millisecond; ; step *= 10 {
		for _, m := range []time.Duration{1, 2, 5} {
			if m*step >= d {
				return m * step
			}
		}
	}
}
