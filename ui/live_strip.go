package ui

import (
	"slices"
	"sort"
	"strings"
	"time"

	"downforai/probe"
)

// latencyAxis is the one latency scale every strip and sparkline on Live
// signals shares: a result below latencyAxis[i] draws sparkBlocks[i], one
// at or above the last bound draws the tallest block. The bounds grow by
// about 1.6× (a log scale), so a bar's height means the same in every row,
// a probe's connection set-up or a millisecond of noise moves a bar by one
// step at most, and a service twice as slow as another stands a step or
// two taller.
var latencyAxis = [...]time.Duration{
	100 * time.Millisecond,
	160 * time.Millisecond,
	250 * time.Millisecond,
	400 * time.Millisecond,
	630 * time.Millisecond,
	time.Second,
	1600 * time.Millisecond,
}

// sparkSlow marks a probe over its latency budget: a symbol, not only a
// colour, as ✔ ▲ ✖ are elsewhere.
const sparkSlow = '▲'

// A cell in which no probe ran is a space (toneRuns.addSpace).

// defaultStep is the strips' cell width until the results show the
// probes' own interval (downforai's default --interval).
const defaultStep = 30 * time.Second

// latencyLevel is the block a latency draws on the shared axis.
func latencyLevel(d time.Duration) int {
	for i, b := range latencyAxis {
		if d < b {
			return i
		}
	}
	return len(sparkBlocks) - 1
}

// axisCell is one result drawn on the shared axis: a block by latency in
// its class's tone, ▲ for slow, × for a failure, · for no judgement.
func axisCell(r probe.Result) (rune, tone) {
	switch {
	case r.Class.Failing():
		_, t := classLook(r.Class)
		return sparkFail, t
	case r.Class == probe.ClassSlow:
		return sparkSlow, toneWarn
	case !r.Class.Up():
		return sparkGap, toneMuted
	}
	return sparkBlocks[latencyLevel(r.Latency())], toneGood
}

// stripStep is the time one strip cell stands for: the shortest of the
// targets' median times between consecutive results (the probes' interval
// with its jitter), so that one probe of the most frequently probed
// target takes one cell, a target probed less often leaves cells blank
// between its probes, and so does a probe that did not run.
func stripStep(b *board, targets []probe.Target) time.Duration {
	var step time.Duration
	gaps := make([]time.Duration, 0, maxSpark)
	for _, t := range targets {
		rs := b.results(t)
		if len(rs) > maxSpark+1 {
			rs = rs[len(rs)-maxSpark-1:]
		}
		gaps = gaps[:0]
		for i := 1; i < len(rs); i++ {
			if g := rs[i].Time.Sub(rs[i-1].Time); g > 0 {
				gaps = append(gaps, g)
			}
		}
		if len(gaps) == 0 {
			continue
		}
		slices.Sort(gaps)
		if m := gaps[len(gaps)/2]; step == 0 || m < step {
			step = m
		}
	}
	if step == 0 {
		return defaultStep
	}
	return max(step, time.Second)
}

// stripEnd is the time of the newest result among the strips: the right
// edge of every strip. Strips are placed by the data alone, never by the
// clock, so an idle screen (no new results) does not move them, and a
// history loaded from yesterday still fills them.
func stripEnd(b *board, targets []probe.Target) time.Time {
	var end time.Time
	for _, t := range targets {
		if r, ok := b.latest(t); ok && r.Time.After(end) {
			end = r.Time
		}
	}
	return end
}

// sparkBreak stands for a stretch of time in which no target was probed
// at all (the program was not running) for longer than maxHole cells: the
// strips go on with the older probes on its left, so a history loaded
// from the database fills them however long the program was off.
const sparkBreak = '┊'

// maxHole is the longest stretch without any probe, in cells, drawn to
// scale.
const maxHole = 5

// quiet is a stretch of time without any probe, from before to.
type quiet struct{ from, to time.Time }

// quietSpans are the stretches in which none of the targets was probed,
// newest first: see quietIn.
func quietSpans(b *board, targets []probe.Target, step time.Duration) []quiet {
	series := make([][]time.Time, 0, len(targets))
	for _, t := range targets {
		rs := b.results(t)
		if len(rs) > maxSpark {
			rs = rs[len(rs)-maxSpark:]
		}
		ts := make([]time.Time, len(rs))
		for i, r := range rs {
			ts[i] = r.Time
		}
		series = append(series, ts)
	}
	return quietIn(series, step)
}

// quietNeighbours is how many of a target's gaps beside a quiet stretch
// tell what its interval was then.
const quietNeighbours = 8

// quietIn are the stretches between the probe times (one series per
// target, oldest first) in which no target was probed, longer than
// maxHole steps and than three times the interval a target kept around
// it (the median of its own neighbouring gaps; of the targets probed on
// both sides, the most often probed): the program was off, newest first.
// A gap as long as the intervals of its time is drawn to scale — after
// the interval was shortened the older probes are spaced out, not each
// cut off by a break (cold4 C16) — and a target whose kept results begin
// after the gap says nothing of it.
func quietIn(series [][]time.Time, step time.Duration) []quiet {
	var times []time.Time
	for _, ts := range series {
		times = append(times, ts...)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return b.Compare(a) })
	long := time.Duration(maxHole) * step
	var out []quiet
	for i := 1; i < len(times); i++ {
		q := quiet{times[i], times[i-1]}
		d := q.to.Sub(q.from)
		if d <= long {
			continue
		}
		var ref time.Duration
		for _, ts := range series {
			if m := intervalAround(ts, q); m > 0 && (ref == 0 || m < ref) {
				ref = m
			}
		}
		if ref > 0 && d <= 3*ref {
			continue
		}
		out = append(out, q)
	}
	return out
}

// intervalAround is the median of up to quietNeighbours gaps of ts
// (oldest first) beside q, older ones first, or 0 when ts does not reach
// both sides of q.
func intervalAround(ts []time.Time, q quiet) time.Duration {
	// k: the last probe at or before q began; k+1 the first after it.
	k := sort.Search(len(ts), func(i int) bool { return ts[i].After(q.from) }) - 1
	if k < 0 || k+1 >= len(ts) || ts[k+1].Before(q.to) {
		return 0
	}
	var ds []time.Duration
	for j := k; j > 0 && len(ds) < quietNeighbours; j-- {
		ds = append(ds, ts[j].Sub(ts[j-1]))
	}
	for j := k + 2; j < len(ts) && len(ds) < quietNeighbours; j++ {
		ds = append(ds, ts[j].Sub(ts[j-1]))
	}
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// stripCells places rs (oldest first) on w cells that end at end, one cell
// per probe, newest on the right: consecutive probes up to 1.5 steps apart
// take adjacent cells, a longer gap leaves its missed probes blank, and a
// quiet span (no target probed, see quietSpans) inside a gap is one break
// cell, so rows line up on one time scale while the jitter of the
// interval never opens a hole. A row whose newest probe is older than the
// others' starts as many cells in. pos[i] is rs[i]'s cell (-1: off the
// strip); breaks are the break cells, right to left.
func stripCells(rs []probe.Result, w int, end time.Time, step time.Duration, qs []quiet) (pos, breaks []int) {
	n := len(rs)
	pos = make([]int, n)
	if n == 0 {
		return pos, nil
	}
	p := w // the cell right of the last placed
	prev := end
	for i := n - 1; i >= 0; i-- {
		gap := prev.Sub(rs[i].Time)
		cut := 0
		for _, q := range qs {
			if !q.from.Before(rs[i].Time) && !q.to.After(prev) {
				gap -= q.to.Sub(q.from)
				cut++
			}
		}
		switch {
		case i == n-1 && gap <= step*3/2:
			p--
		case i == n-1:
			p -= cellsFor(gap, step) + 1
		default:
			p -= max(cellsFor(gap, step), 1)
		}
		for range cut {
			breaks = append(breaks, p)
			p--
		}
		if p < 0 {
			for j := i; j >= 0; j-- {
				pos[j] = -1
			}
			break
		}
		pos[i] = p
		prev = rs[i].Time
	}
	return pos, breaks
}

// cellsFor is how many cells a gap spans: 1 for a normal interval.
func cellsFor(gap, step time.Duration) int {
	if gap <= step*3/2 {
		return 1
	}
	return int((gap + step/2) / step)
}

// strip draws rs on w cells of the shared time and latency scale.
func strip(st *styles, rs []probe.Result, w int, end time.Time, step time.Duration, qs []quiet) string {
	if w <= 0 {
		return ""
	}
	if len(rs) > w {
		rs = rs[len(rs)-w:]
	}
	pos, breaks := stripCells(rs, w, end, step, qs)
	var b strings.Builder
	runs := newToneRuns(st, &b)
	cell := 0
	blank := func(to int) {
		for ; cell < to; cell++ {
			if slices.Contains(breaks, cell) {
				runs.addRune(sparkBreak, toneMuted)
			} else {
				runs.addSpace()
			}
		}
	}
	for i, r := range rs {
		if pos[i] < 0 {
			continue
		}
		blank(pos[i])
		runs.addRune(axisCell(r))
		cell = pos[i] + 1
	}
	blank(w)
	runs.flush()
	return b.String()
}

// scaleTicks are the candidate spacings of the time scale's labels.
var scaleTicks = []time.Duration{
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute,
	30 * time.Minute, time.Hour, 2 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// timeScale is the line under the strips' w cells: "−20m  −10m  now".
// right names the strips' right edge: "now" while the newest probe is
// fresh, else its time of day, so a label never claims the present for
// old data. brk is the rightmost break cell (-1 for none): labels counted
// from the right stop there, and older, the time of day of the probe left
// of it, ends just left of it. first is the leftmost cell a probe is
// drawn on: no label counts back past it, so 20 s of data reads "now",
// not "−6m … now" over blank cells (cold6 C7: the scale said the strip
// covered minutes it did not).
func timeScale(w int, step time.Duration, right string, brk int, older string, first int) string {
	if w <= 0 {
		return ""
	}
	if step <= 0 {
		step = defaultStep
	}
	cells := []rune(strings.Repeat(" ", w))
	put := func(label string, end int) bool {
		r := []rune(label)
		start := end - len(r) + 1
		if start < 0 {
			return false
		}
		copy(cells[start:], r)
		return true
	}
	rl := []rune(right)
	if len(rl) > w {
		return strings.Repeat(" ", w)
	}
	put(right, w-1)
	free := w - len(rl) - 2 // the last cell a label may end on
	floor := first - 1      // labels must start after this cell
	if brk > free {
		// A break just after a restart sits under the right label (or
		// touches it): the label is kept whole ("n┊w" read as garbage),
		// and no label counted from the right fits after the break.
		return string(cells)
	}
	if brk >= 0 {
		cells[brk] = sparkBreak
		if older != "" && brk-1 < free {
			put(older, brk-1)
		}
		floor = max(floor, brk)
	}
	var tick time.Duration
	for _, t := range scaleTicks {
		if int(t/step) >= 7 { // a label and two spaces between labels
			tick = t
			break
		}
	}
	if tick == 0 {
		return string(cells)
	}
	for k := 1; ; k++ {
		d := tick * time.Duration(k)
		end := w - 1 - int((d+step/2)/step)
		label := "−" + short(d)
		if end > free {
			continue
		}
		if end-len([]rune(label))+1 <= floor || !put(label, end) {
			break
		}
		free = end - len([]rune(label)) - 2
	}
	return string(cells)
}

// axisLegend explains the shared scale in at most w cells, widest first;
// with brk, the strips' sparkBreak too (a cold walker read "10:26┊" as a
// glyph nobody explained), while there is room for it.
func axisLegend(w int, brk bool) string {
	widths := []string{
		"▁ <100ms  ▃ <250ms  ▅ <630ms  █ ≥1.6s  ▲ slow  × failed",
		"▁<100ms ▃<250ms ▅<630ms █≥1.6s ▲slow ×failed",
		"▁<100ms █≥1.6s ▲slow ×failed",
	}
	if brk {
		widths = append([]string{
			"▁ <100ms  ▃ <250ms  ▅ <630ms  █ ≥1.6s  ▲ slow  × failed  " + string(sparkBreak) + " no probes",
			"▁<100ms ▃<250ms ▅<630ms █≥1.6s ▲slow ×failed " + string(sparkBreak) + "no probes",
			"▁<100ms █≥1.6s ▲slow ×failed " + string(sparkBreak) + "no probes",
		}, widths...)
	}
	for _, s := range widths {
		if len([]rune(s)) <= w {
			return s
		}
	}
	return ""
}
