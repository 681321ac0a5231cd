package ui

import (
	"fmt"
	"math"
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
	if t.refusedNote() != "" {
		avail--
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
	if t.shortOf(histWindows[len(histWindows)-1]) {
		// Younger than a window: its figures are of less time than its
		// name says, and the columns so marked say it (a walker read
		// "100%" under 90d beside "<1m of history" as 90 days up).
		title += st.tone[toneWarn].Render(" · *only " + age(t.b.now.Sub(t.data.since)) + " of history")
	}
	hint := st.muted.Render("s/S service · w/W window · b strip · ↑↓ probes")
	lines := []string{spread(title, hint, t.w)}
	if t.data.err != nil {
		lines = append(lines, st.tone[toneWarn].Render(probe.Line("could not read all history: "+t.data.err.Error(), t.w)))
	}
	return lines
}

// shortOf reports whether the history there is began after w's start:
// w's figures count only that, marked "*".
func (t historyTab) shortOf(w histWindow) bool {
	since := t.data.since
	return !since.IsZero() && t.b.now.Sub(since) < w.span
}

// summaryLines are the uptime table: a row per target with its uptime
// per window and the selected window's percentiles, the strips the layout
// has room for, and the selected target's error rate by class.
func (t historyTab) summaryLines(l histLayout) []string {
	st := t.st
	h := st.colHeader.Render
	head := "  " + fit(h("Service"), histColName)
	for _, w := range histWindows {
		label := w.label
		if t.shortOf(w) {
			label += "*"
		}
		head += fitRight(h(label), histColUptime)
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
	if note := t.refusedNote(); note != "" {
		lines = append(lines, strings.Repeat(" ", histRowIndent)+st.muted.Render(probe.Line(note, t.w-histRowIndent)))
	}
	return lines
}

// refusedNote says, for the selected window, how the account refused the
// key, by kind, and for how long: "Key refused in 24h: 5× rejected, 2× rate
// limited, 20m in all — not counted as API downtime" (probe.Summary.Uptime),
// so a 401 run does not read as the API down. "Your key was refused 7× in
// 24h (<1m)" read as the age of the last refusal, and hid which kind (cold
// walk of Dec 7). The longest form that fits the width: the kinds without
// the time, then the count alone. "" when there was none.
func (t historyTab) refusedNote() string {
	for i := range t.data.rows {
		row := &t.data.rows[i]
		if row.target != probe.TargetAPIKey {
			continue
		}
		s := &row.windows[t.win]
		d, n := s.Refused()
		if n == 0 {
			return ""
		}
		var kinds []string
		for _, k := range []struct {
			c    probe.Class
			what string
		}{{probe.ClassAuth, "rejected"}, {probe.ClassRateLimited, "rate limited"}, {probe.ClassBilling, "billing refused"}} {
			if c := int(s.Counts[k.c]); c > 0 {
				kinds = append(kinds, fmt.Sprintf("%d× %s", c, k.what))
			}
		}
		win, tail := histWindows[t.win].label, " — not counted as API downtime"
		room := t.w - histRowIndent
		forms := []string{"Key refused in " + win + ": " + strings.Join(kinds, ", ") + tail}
		if d > 0 {
			forms = append([]string{"Key refused in " + win + ": " + strings.Join(kinds, ", ") + ", " + age(d) + " in all" + tail}, forms...)
		}
		forms = append(forms, fmt.Sprintf("Key refused %d× in %s%s", n, win, tail))
		for _, f := range forms {
			if ansi.StringWidth(f) <= room {
				return f
			}
		}
		return forms[len(forms)-1]
	}
	return ""
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
	// Claude Code's sessions are records, not probes: a call it retried
	// is its attempts and the record that ends them, one call of those
	// the line above counts (cold8 E5).
	calls := t.selected() == probe.TargetSessions
	heading, of, unit := "Recent probes · ", "", "probes"
	if calls {
		heading, of, unit = "Recent records · ", " records", "records"
	}
	pos := st.muted.Render("none yet")
	switch {
	case t.data.req.gen == 0:
		pos = st.muted.Render("loading…")
	case len(rs) > 0 && to > from:
		pos = st.muted.Render(fmt.Sprintf("%d–%d of %d%s, newest first", from+1, to, len(rs), of))
	case len(rs) > 0:
		// No row fits (the help is open, the window is short): a range
		// such as "1–0" would be false.
		pos = st.muted.Render(fmt.Sprintf("%d %s", len(rs), unit))
	}
	lines := []string{st.heading.Render(heading+t.selected().Label()) + "  " + pos}
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
		if calls {
			if d := probe.ParseSessionDetail(r.Detail); d.Attempt > 0 {
				a := fmt.Sprintf("attempt %d", d.Attempt)
				if d.MaxAttempts > 0 {
					a += fmt.Sprintf(" of %d", d.MaxAttempts)
				}
				errText = a + ", retried · " + errText
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
