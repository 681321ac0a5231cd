package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// History tab column widths, in cells.
const (
	histColName      = 18 // "API with your key"
	histColUptime    = 7  // "99.95%" and a gap, so p50/p95/p99 fit in 80 columns
	histColPct       = 7  // "1.2s", "140ms"
	histAxis         = 7  // y-axis label and tick of the chart
	histChartMax     = 8  // chart rows at most
	histChartMin     = 3  // below this the chart is left out
	histTableMin     = 3  // table rows kept before strips and chart
	histChartColsMin = 10 // the chart's bars at the narrowest
	histRowIndent    = 2  // the cursor's "› " before a name: a strip and the class line start under the name
	// A bar cell's heights: sparkBlocks' eighths, ▁ to █.
	chartCellSteps = 8
	// Lines around the parts that are not rows: the summary's title, blank
	// and header; the chart's blank, title, axis and labels; the probe
	// table's blank, title and header.
	histSummaryChrome = 3
	histChartChrome   = 4
	histTableChrome   = 3
)

// histLayout is how the tab's height is shared out.
type histLayout struct {
	allStrips bool // a strip under every target, else only the selected one's
	oneStrip  bool
	chartH    int // 0: no chart
	tableRows int
}

func (t historyTab) layout() histLayout {
	n := len(t.b.targets)
	avail := t.h - histSummaryChrome - n // and a row per target
	if t.data.err != nil {
		avail--
	}
	if t.classBreakdown() {
		avail-- // the error rate by class
	}
	const tableFixed = histTableChrome
	var l histLayout
	switch {
	case avail >= n+tableFixed+histTableMin:
		l.allStrips = true
		avail -= n
	case avail >= 1+tableFixed+histTableMin:
		l.oneStrip = true
		avail--
	}
	if ch := min(histChartMax, avail-tableFixed-histTableMin-histChartChrome); ch >= histChartMin {
		l.chartH = ch
		avail -= ch + histChartChrome
	}
	l.tableRows = max(avail-tableFixed, 0)
	return l
}

func (t historyTab) tableRows() int { return max(t.layout().tableRows, 1) }

func (t historyTab) chartCols() int { return max(t.w-histAxis, histChartColsMin) }

func (t historyTab) render() string {
	if t.w <= 0 || t.h <= 0 {
		return ""
	}
	l := t.layout()
	lines := t.titleLines()
	lines = append(lines, "")
	lines = append(lines, t.summaryLines(l)...)
	if l.chartH > 0 {
		lines = append(lines, "")
		lines = append(lines, t.chart(l.chartH)...)
	}
	lines = append(lines, "")
	lines = append(lines, t.table(l.tableRows)...)
	return clamp(strings.Join(lines, "\n"), t.w, t.h)
}

// titleLines are the window and strip in use, the keys, and a warning
// when not all history could be read.
func (t historyTab) titleLines() []string {
	st := t.st
	win := histWindows[t.win]
	strip := fmt.Sprintf("%d days", stripDays)
	if t.hours {
		strip = fmt.Sprintf("%d hours", stripHours)
	}
	title := st.heading.Render("Window "+win.label) + st.muted.Render(" · strip "+strip)
	if since := t.data.since; !since.IsZero() && t.b.now.Sub(since) < win.span {
		// Younger than the window: its figures are of less time than its
		// name says.
		title += st.tone[toneWarn].Render(" · " + age(t.b.now.Sub(since)) + " of history")
	}
	hint := st.muted.Render("s/S service · w/W window · b strip · ↑↓ probes")
	lines := []string{spread(title, hint, t.w)}
	if t.data.err != nil {
		lines = append(lines, st.tone[toneWarn].Render(probe.Line("could not read all history: "+t.data.err.Error(), t.w)))
	}
	return lines
}

// summaryLines are the uptime table: a row per target with its uptime
// per window and the selected window's percentiles, the strips the layout
// has room for, and the selected target's error rate by class.
func (t historyTab) summaryLines(l histLayout) []string {
	st := t.st
	h := st.colHeader.Render
	head := "  " + fit(h("Service"), histColName)
	for _, w := range histWindows {
		head += fitRight(h(w.label), histColUptime)
	}
	head += " " + t.pctCells(h("p50"), h("p95"), h("p99"))
	lines := []string{head}
	rows := map[probe.Target]*histRow{}
	for i := range t.data.rows {
		rows[t.data.rows[i].target] = &t.data.rows[i]
	}
	sel := t.selected()
	for _, tg := range t.b.targets {
		row := rows[tg]
		lines = append(lines, t.summaryRow(tg, row, tg == sel))
		if l.allStrips || (l.oneStrip && tg == sel) {
			var cells []stripCell
			if row != nil {
				cells = row.strip
			}
			lines = append(lines, strings.Repeat(" ", histRowIndent)+t.strip(cells, t.w-histRowIndent))
		}
	}
	if t.classBreakdown() {
		var s *probe.Summary
		if row := rows[sel]; row != nil {
			s = &row.windows[t.win]
		}
		lines = append(lines, strings.Repeat(" ", histRowIndent)+t.classLine(s, t.w-histRowIndent))
	}
	return lines
}

// summaryRow is one target's row of the uptime table; row is nil when
// the target has no history.
func (t historyTab) summaryRow(tg probe.Target, row *histRow, selected bool) string {
	st := t.st
	mark, name := "  ", st.text.Render(tg.Label())
	if selected {
		mark, name = st.appName.Render("› "), st.heading.Render(tg.Label())
	}
	line := mark + fit(name, histColName)
	for i := range histWindows {
		cell := st.muted.Render("-")
		if row != nil {
			cell = t.uptime(&row.windows[i])
		}
		line += fitRight(cell, histColUptime)
	}
	var p [3]string
	for i := range p {
		p[i] = st.muted.Render("-")
	}
	if row != nil {
		s := &row.windows[t.win]
		for i, q := range []float64{50, 95, 99} {
			if d, ok := s.Percentile(q); ok {
				p[i] = st.text.Render(latency(d))
			}
		}
	}
	return line + " " + t.pctCells(p[0], p[1], p[2])
}

// pctCells lays out the percentile columns that fit after the uptime ones.
func (t historyTab) pctCells(p50, p95, p99 string) string {
	room := t.w - 2 - histColName - len(histWindows)*histColUptime - 1
	var out string
	for _, c := range []string{p50, p95, p99} {
		if room < histColPct {
			break
		}
		out += fitRight(c, histColPct)
		room -= histColPct
	}
	return out
}

// uptime is a window's uptime for the table: "100%", "99.95%" (never
// rounded up to 100), "-" without judged results. It is the share of the
// time the judged results cover (probe.Summary.Uptime), not of their
// count: "100%" only when none of that time was down.
func (t historyTab) uptime(s *probe.Summary) string {
	u, ok := s.Uptime()
	if !ok {
		return t.st.muted.Render("-")
	}
	tn := toneGood
	switch {
	case u < 0.99:
		tn = toneBad
	case u < 1:
		tn = toneWarn
	}
	if u == 1 {
		return t.st.tone[tn].Render("100%")
	}
	return t.st.tone[tn].Render(fmt.Sprintf("%.2f%%", math.Floor(u*10000)/100))
}

// stripLook is one strip cell: a block when all was well, the worst
// class's symbol otherwise, so the strip reads without colour too.
func stripLook(c stripCell) (string, tone) {
	switch {
	case c.total == 0 || c.worst == probe.ClassUnknown:
		return symNone, toneMuted
	case c.worst == probe.ClassOK:
		return "█", toneGood
	}
	return classLook(c.worst)
}

// strip draws the newest w cells, oldest left, one Render per run of
// equal cells.
func (t historyTab) strip(cells []stripCell, w int) string {
	if w <= 0 {
		return ""
	}
	if len(cells) > w {
		cells = cells[len(cells)-w:]
	}
	var b strings.Builder
	runs := newToneRuns(t.st, &b)
	for _, c := range cells {
		runs.add(stripLook(c))
	}
	runs.flush()
	return b.String()
}

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

// table lists the selected target's recent raw probes, newest first,
// from the scroll position.
func (t historyTab) table(rows int) []string {
	st := t.st
	rs := t.data.recent
	if t.data.req.sel != t.selected() {
		rs = nil
	}
	from := min(t.scroll, max(len(rs)-1, 0))
	to := min(from+rows, len(rs))
	pos := st.muted.Render("none yet")
	switch {
	case t.data.req.gen == 0:
		pos = st.muted.Render("loading…")
	case len(rs) > 0 && to > from:
		pos = st.muted.Render(fmt.Sprintf("%d–%d of %d, newest first", from+1, to, len(rs)))
	case len(rs) > 0:
		// No row fits (the help is open, the window is short): a range
		// such as "1–0" would be false.
		pos = st.muted.Render(fmt.Sprintf("%d probes", len(rs)))
	}
	lines := []string{st.heading.Render("Recent probes · "+t.selected().Label()) + "  " + pos}
	h := st.colHeader.Render
	cols := t.tableCols()
	lines = append(lines, cols.row(h("Time"), h("Class"), h("HTTP"), h("DNS"), h("Connect"), h("TLS"), h("1st byte"), h("Total"), h("Error")))
	for _, r := range rs[from:to] {
		sym, tn := classLook(r.Class)
		code := "-"
		if r.HTTPStatus > 0 {
			code = fmt.Sprint(r.HTTPStatus)
		}
		var errText string
		if r.Class.Failing() {
			errText = r.Message
			if r.ErrorType != "" {
				errText = r.ErrorType + ": " + errText
			}
		}
		// Hundreds of cells: painted directly rather than Rendered one by one.
		text := st.textPaint.wrap
		ms := func(d time.Duration) string { return text(latency(d)) }
		lines = append(lines, cols.row(
			text(clock(t.b.now, r.Time)),
			st.paint[tn].wrap(sym+" "+classWord(r.Class)),
			text(code),
			ms(r.Phases.DNS), ms(r.Phases.Connect), ms(r.Phases.TLS), ms(r.Phases.FirstByte), ms(r.Phases.Total),
			st.paint[toneMuted].wrap(probe.CutWords(probe.Line(errText, 0), cols.errW)),
		))
	}
	return lines
}

// Widths of the probe table: the fixed columns with and without the
// connection phases (DNS, Connect, TLS), and the least room for the error
// below which the phases give theirs up.
const (
	histTableFixed  = probeColTime + probeColClass + probeColHTTP + probeColFirst + probeColTotal + 5 + histTablePhases // 70: time … total, with their gaps
	histTablePhases = probeColDNS + probeColConnect + probeColTLS + 3                                                   // with their gaps
	histTableErrMin = 24
)

// probeCols is how the probe table is laid out at one width.
type probeCols struct {
	phases bool // DNS, Connect and TLS are shown
	errW   int  // cells for the error
}

// tableCols lays out the probe table: the error column gets what is
// left, cut at a word, and at narrow widths (80 columns) the connection
// phases make room for it, so "html: status page…" is not "html: stat".
func (t historyTab) tableCols() probeCols {
	c := probeCols{phases: true, errW: t.w - histTableFixed}
	if c.errW < histTableErrMin {
		c.phases, c.errW = false, c.errW+histTablePhases
	}
	return c
}

// The probe table's columns, each as wide as its widest value or header;
// they and their gaps add up to histTableFixed and histTablePhases.
const (
	probeColTime    = 11 // "Sep 2 13:26"
	probeColClass   = 14 // "✖ rate limited"
	probeColHTTP    = 4  // "529", "HTTP"
	probeColDNS     = 6  // "140ms"
	probeColConnect = 7  // "Connect"
	probeColTLS     = 6
	probeColFirst   = 8 // "1st byte"
	probeColTotal   = 6 // "2.4s", "Total"
)

func (c probeCols) row(when, class, code, dns, conn, tls, fb, total, errText string) string {
	cells := []string{fit(when, probeColTime), fit(class, probeColClass), fitRight(code, probeColHTTP)}
	if c.phases {
		cells = append(cells, fitRight(dns, probeColDNS), fitRight(conn, probeColConnect), fitRight(tls, probeColTLS))
	}
	cells = append(cells, fitRight(fb, probeColFirst), fitRight(total, probeColTotal), errText)
	return strings.Join(cells, " ")
}

// fitRight cuts s to w cells and pads it on the left to exactly w.
func fitRight(s string, w int) string {
	s = fit(s, w)
	trimmed := strings.TrimRight(s, " ")
	return strings.Repeat(" ", len(s)-len(trimmed)) + trimmed
}

// spreadGapMin is the fewest blanks spread leaves between its two sides.
const spreadGapMin = 2

// spread puts left and right on one line w cells wide, right-aligned when
// there is room, else left alone.
func spread(left, right string, w int) string {
	gap := w - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < spreadGapMin {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}
