package ui

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// liveTab shows, per service, the official status next to our own probes,
// then the other official components and what stands out right now.
type liveTab struct {
	b    *board
	st   *styles
	w, h int
	obs  []observation // recomputed on data, not on every frame
	// step and end place every strip on one time scale (stripStep,
	// stripEnd); recomputed on data, so an idle screen never moves them.
	step  time.Duration
	end   time.Time
	quiet []quiet
	// latency is the latency section, drawn from data and width alone:
	// recomputed on data and on a change of width, not on every frame.
	latency section
}

// observation is one sentence of "What we're seeing right now".
type observation struct {
	tone tone
	sym  string
	text string
	kind obsKind
}

// obsKind says what an observation repeats of a context section, so a
// section that shows it in full can drop it from the list.
type obsKind uint8

const (
	obsOther obsKind = iota
	obsIncident
	obsMaintenance
	obsLatency // "claude.ai answers in 140 ms": the latency lines say more
	obsKinds
)

func newLiveTab(b *board, st *styles) liveTab { return liveTab{b: b, st: st, step: defaultStep} }

func (l *liveTab) setSize(w, h int) {
	if w != l.w {
		l.w = w
		l.latency = l.latencySection()
	}
	l.h = h
}

func (l liveTab) update(msg tea.Msg) (liveTab, tea.Cmd) {
	switch msg.(type) {
	case snapshotMsg, eventMsg:
		l.obs = observe(l.b)
		ts := l.stripTargets()
		// The step moves with the jitter of every new gap; a label of the
		// time scale placed by it would hop a cell back and forth (and
		// rewrite the line) with each probe, so it changes only when the
		// interval does, by more than 3%.
		if st := stripStep(l.b, ts); l.step <= 0 || st < l.step*97/100 || st > l.step*103/100 {
			l.step = st
		}
		l.end = stripEnd(l.b, ts)
		l.quiet = quietSpans(l.b, ts, l.step)
		l.latency = l.latencySection()
	}
	return l, nil
}

// Column widths of the service table. The sparkline takes what is left.
const (
	colName     = 18 // "Claude (claude.ai)"
	colOfficial = 16 // "✖ partial outage"
	colProbe    = 23 // "✖ rate limited 429 1.2s"
	colAgo      = 5  // "<1m", "12m", "never"
	colGap      = 1
	minSpark    = 4
	// maxSpark caps the strip at what the board keeps of a target (at 160
	// columns a strip is 94 cells, at 200 it would be 134). The strips use
	// the width (issue 17, "width becomes history"): that no longer costs
	// the bytes it did when every probe rewrote each row whole, since
	// Output writes only the cells that changed (linediff.go).
	maxSpark = ringSize
)

func (l liveTab) sparkWidth() int {
	w := l.w - colName - colOfficial - colProbe - colAgo - 4*colGap
	if w < minSpark {
		return 0
	}
	return min(w, maxSpark)
}

func (l liveTab) view() string {
	if l.w <= 0 || l.h <= 0 {
		return ""
	}
	return clamp(strings.Join(l.lines(), "\n"), l.w, l.h)
}

// lines are the tab's lines before the last-resort clamp, which the
// tests require to have nothing to cut.
func (l liveTab) lines() []string {
	st := l.st
	lines := l.table()
	also, quiet := l.otherComponents()
	obs := l.obs
	// What is below the table today is kept first: the other components
	// and every observation. The context sections take the lines left,
	// in order, each whole or summarised, never scrolled; a section drawn
	// takes the place of the observations it repeats, which come back
	// when it is not drawn.
	secs := l.context()
	var kinds [obsKinds]int
	for _, o := range obs {
		kinds[o.kind]++
	}
	var drop [obsKinds]bool
	for _, sec := range secs {
		drop[sec.drops] = sec.drops != obsOther
	}
	kept := 0
	for k, n := range kinds {
		if !drop[k] {
			kept += n
		}
	}
	reserve := 2 + max(kept, 1)
	// The other components are kept before the sections when one of them
	// has a problem; all operational, they give way to the sections on
	// what fails now (cold7 E6: at 80x24 during an outage "Open
	// incidents" went while "Also on the status page: ✔ …" stayed).
	if len(also) > 0 && !quiet {
		reserve += len(also) + 1
	}
	spare := l.h - len(lines) - reserve
	left := 0        // sections not drawn for want of room, said in one line
	var blocks []int // where each block after the table begins, to drop whole
	for _, sec := range secs {
		body := sec.lines
		switch {
		case len(body)+1 <= spare:
		case sec.more != nil && spare >= 3:
			body = sec.more(spare - 1)
		default:
			if sec.drops != obsOther {
				drop[sec.drops] = false
				spare -= kinds[sec.drops]
			}
			left++
			continue
		}
		blocks = append(blocks, len(lines))
		lines = append(lines, "")
		lines = append(lines, body...)
		spare -= len(body) + 1
	}
	if len(also) > 0 && quiet && spare < len(also)+1 {
		also = nil // no room left beside the sections drawn
		left++
	}
	if len(also) > 0 {
		blocks = append(blocks, len(lines))
		if spare >= 0 {
			lines = append(lines, "") // the time scale parts them where room is short
		}
		lines = append(lines, also...)
	}
	shown := obs[:0:0]
	for _, o := range obs {
		if o.kind == obsOther || !drop[o.kind] {
			shown = append(shown, o)
		}
	}
	// The observations take the room left, less the line that says what
	// was left out; a heading is never drawn without a line under it.
	room := l.h - len(lines) - 2
	if left > 0 {
		room--
	}
	if room < 1 {
		return l.fitHeight(lines, blocks, left+1)
	}
	blocks = append(blocks, len(lines))
	lines = append(lines, "", st.heading.Render("What we're seeing right now"))
	if len(shown) == 0 {
		lines = append(lines, st.muted.Render("  nothing yet: the first probes are on their way"))
		return l.fitHeight(lines, blocks, left)
	}
	// Each observation whole, wrapped, when they all fit; else, in
	// order, each whole where it fits with a line left for the next, one
	// line cut at a word where it does not, and a count of the rest.
	wrapOne := func(o observation) []string {
		var out []string
		for i, part := range wrap(probe.Line(o.text, 0), max(l.w-4, 1)) {
			lead := "  " + st.tone[o.tone].Render(o.sym) + " "
			if i > 0 {
				lead = "    "
			}
			out = append(out, lead+part)
		}
		return out
	}
	var wrapped []string
	for _, o := range shown {
		wrapped = append(wrapped, wrapOne(o)...)
	}
	if len(wrapped) <= room {
		return l.fitHeight(append(lines, wrapped...), blocks, left)
	}
	for i, o := range shown {
		last := i == len(shown)-1
		if room <= 1 && !last {
			lines = append(lines, st.muted.Render("  "+moreObservations(shown[i:])))
			break
		}
		if whole := wrapOne(o); len(whole) > 1 && (len(whole) < room || last && len(whole) <= room) {
			lines = append(lines, whole...)
			room -= len(whole)
			continue
		}
		lines = append(lines, "  "+st.tone[o.tone].Render(o.sym)+" "+probe.CutWords(probe.Line(o.text, 0), l.w-4))
		room--
	}
	return l.fitHeight(lines, blocks, left)
}

// fitHeight is lines cut to the tab's height whole: the blocks after the
// table (each begins at an index of blocks) go from the bottom, then the
// table's last rows, and one line says what was left out ("… 2 more
// sections: make the terminal taller") — never a heading whose items were
// cut away, never a silent cut (a short terminal ended with an empty
// "Also on the status page:").
func (l liveTab) fitHeight(lines []string, blocks []int, left int) []string {
	limit := l.h
	if left > 0 {
		limit--
	}
	for len(lines) > limit && len(blocks) > 0 {
		lines = lines[:blocks[len(blocks)-1]]
		blocks = blocks[:len(blocks)-1]
		if left == 0 {
			limit--
		}
		left++
	}
	rows := 0
	if len(lines) > limit {
		if left == 0 {
			limit--
		}
		// The header needs a row under it, else neither is drawn.
		keep := max(limit, 0)
		if keep < 2 {
			keep = 0
		}
		rows = len(lines) - keep
		lines = lines[:keep]
	}
	for len(lines) > 0 && strings.TrimSpace(ansi.Strip(lines[len(lines)-1])) == "" {
		lines = lines[:len(lines)-1] // no blank line above the note
	}
	if left == 0 && rows == 0 {
		return lines
	}
	var parts []string
	if rows > 0 {
		parts = append(parts, fmt.Sprintf("%d more row%s", rows, probe.Plural(rows)))
	}
	if left > 0 {
		parts = append(parts, fmt.Sprintf("%d more section%s", left, probe.Plural(left)))
	}
	if l.h <= len(lines) {
		return lines // not even the note fits
	}
	return append(lines, l.st.muted.Render(probe.CutWords("… "+strings.Join(parts, ", ")+": make the terminal taller", l.w)))
}

// moreObservations is the line that stands for the observations that do
// not fit: how many, and the key of the tab that shows what they say —
// Incidents for the status page's incidents and maintenances, else
// Troubleshooting (why we say so, the latest failures).
func moreObservations(rest []observation) string {
	healthy, official := true, true
	for _, o := range rest {
		healthy = healthy && o.tone == toneGood
		official = official && (o.kind == obsIncident || o.kind == obsMaintenance)
	}
	key := "press 3"
	if official {
		key = "press 2"
	}
	if healthy {
		return fmt.Sprintf("… and %d more, all fine: %s", len(rest), key)
	}
	return fmt.Sprintf("… and %d more: %s", len(rest), key)
}

// table is the column header, one row per service and target (with the
// rows other features add under a service, liveSlots) and the strips'
// time scale with the legend of their shared latency axis.
func (l liveTab) table() []string {
	spark := l.sparkWidth()
	h := l.st.colHeader.Render
	lines := []string{l.row(h("Service"), h(l.pageHeader()), h("Our probe"), h("Recent probes"), h("Last"))}
	for _, s := range probe.Services() {
		lines = append(lines, l.serviceRows(s, spark)...)
		lines = append(lines, l.slotRows(s)...)
	}
	if spark > 0 {
		brk, older := l.scaleBreak(spark)
		legend := fit(l.st.muted.Render(axisLegend(colName+colOfficial+colProbe+colGap, brk >= 0)), colName+colOfficial+colProbe+2*colGap)
		lines = append(lines, legend+" "+l.st.muted.Render(timeScale(spark, l.step, l.scaleRight(), brk, older, l.firstCell(spark))))
	}
	return lines
}

// scaleBreak is where the time scale stops counting back from the right:
// the rightmost break in the strip of the target with the most results,
// with the time of day of the probe left of it; -1 for none.
func (l liveTab) scaleBreak(w int) (int, string) {
	var ref []probe.Result
	for _, t := range l.stripTargets() {
		if rs := l.b.results(t); len(rs) > len(ref) {
			ref = rs
		}
	}
	if len(ref) > w {
		ref = ref[len(ref)-w:]
	}
	pos, breaks := stripCells(ref, w, l.end, l.step, l.quiet)
	if len(breaks) == 0 {
		return -1, ""
	}
	brk := breaks[0]
	for i := len(pos) - 1; i >= 0; i-- {
		if pos[i] >= 0 && pos[i] < brk {
			return brk, clockMinute(l.b.now, ref[i].Time)
		}
	}
	return brk, ""
}

// firstCell is the leftmost strip cell any target's probe is drawn on
// (w when none is): the time scale covers no more than that.
func (l liveTab) firstCell(w int) int {
	first := w
	for _, t := range l.stripTargets() {
		rs := l.b.results(t)
		if len(rs) > w {
			rs = rs[len(rs)-w:]
		}
		pos, _ := stripCells(rs, w, l.end, l.step, l.quiet)
		for _, p := range pos {
			if p >= 0 && p < first {
				first = p
			}
		}
	}
	return first
}

// scaleRight names the strips' right edge: "now" while the newest probe
// is at most two steps old, else its time of day.
func (l liveTab) scaleRight() string {
	if l.end.IsZero() || l.b.now.Sub(l.end) <= 2*l.step {
		return "now"
	}
	return l.end.In(l.b.loc()).Format("15:04")
}

// stripTargets are the targets drawn as strips, in table order.
func (l liveTab) stripTargets() []probe.Target {
	var ts []probe.Target
	for _, s := range probe.Services() {
		ts = append(ts, l.shownTargets(s)...)
	}
	return ts
}

// row lays out one table line from cells that carry their own styles.
func (l liveTab) row(name, official, probeCell, sparkCell, agoCell string) string {
	spark := l.sparkWidth()
	cells := []string{fit(name, colName), fit(official, colOfficial), fit(probeCell, colProbe)}
	if spark > 0 {
		cells = append(cells, fit(sparkCell, spark))
	}
	cells = append(cells, fit(agoCell, colAgo))
	return strings.Join(cells, strings.Repeat(" ", colGap))
}

func (l liveTab) serviceRows(s probe.Service, spark int) []string {
	st := l.st
	official := st.muted.Render(symUnknown + " " + officialWord(l.b.verdict.Official))
	if sv, ok := serviceVerdict(l.b.verdict, s); ok && l.b.verdict.Official.Drives {
		switch {
		case sv.NotOnPage:
			official = st.muted.Render(symUnknown + " not on page")
		case sv.Official != "" && l.b.verdict.Official.State != probe.OfficialFresh:
			// The last good read, not a current one: no ✔ on it, and the
			// header says how old it is.
			word, _, _ := componentLook(sv.Official)
			official = st.muted.Render(symUnknown + " " + word)
		case sv.Official != "":
			word, sym, tn := componentLook(sv.Official)
			official = st.tone[tn].Render(sym + " " + word)
		}
	}
	name := st.heading.Render(s.Name)
	targets := l.shownTargets(s)
	if len(targets) == 1 {
		return []string{l.targetRow(name, official, targets[0], spark)}
	}
	rows := []string{l.row(name, official, "", "", "")}
	for _, t := range targets {
		rows = append(rows, l.targetRow(st.text.Render("  "+subLabel(t)), "", t, spark))
	}
	return rows
}

// pageHeader is the Status page column's header: while the page's last
// good read is not a current one (it failed since), its age — every
// official fact carries it.
func (l liveTab) pageHeader() string {
	o := l.b.verdict.Official
	if o.State == probe.OfficialFresh || !o.Drives || o.Read.IsZero() {
		return "Status page"
	}
	return "Page (" + age(l.b.now.Sub(o.Read)) + " ago)"
}

// officialWord is the Status page column while the page is not a current
// fact: why, in a word or two.
func officialWord(o probe.Official) string {
	switch o.State {
	case probe.OfficialUnreadable:
		return "unreadable"
	case probe.OfficialStale:
		return "stale"
	case probe.OfficialForeign:
		return "not Claude's"
	case probe.OfficialNone:
		return "not read yet"
	}
	return "unknown"
}

// serviceVerdict is the verdict's judgement of one service.
func serviceVerdict(v probe.Verdict, s probe.Service) (probe.ServiceVerdict, bool) {
	for _, sv := range v.Services {
		if sv.Service.Key == s.Key {
			return sv, true
		}
	}
	return probe.ServiceVerdict{}, false
}

// shownTargets drops the key target when no key is configured.
func (l liveTab) shownTargets(s probe.Service) []probe.Target {
	var ts []probe.Target
	for _, t := range s.Targets {
		if t == probe.TargetAPIKey && !l.b.hasKey {
			continue
		}
		ts = append(ts, t)
	}
	return ts
}

func subLabel(t probe.Target) string {
	switch t {
	case probe.TargetAPI:
		return "└ no key"
	case probe.TargetAPIKey:
		return "└ your key"
	}
	return "└ " + t.Label()
}

func (l liveTab) targetRow(name, official string, t probe.Target, spark int) string {
	st := l.st
	r, ok := l.b.latest(t)
	if !ok {
		return l.row(name, official, st.muted.Render(symNone+" no data yet"), "", st.muted.Render("never"))
	}
	return l.row(name, official, probeCell(st, r),
		l.strip(l.b.results(t), spark), st.muted.Render(age(l.b.now.Sub(r.Time))))
}

// strip draws results on the table's shared time and latency scale.
func (l liveTab) strip(rs []probe.Result, w int) string {
	return strip(l.st, rs, w, l.end, l.step, l.quiet)
}

// otherComponents lists the official components we do not watch, compactly
// on at most two lines, and reports whether the page is fresh and every one
// of them operational (quiet: nothing there needs the user's eye).
func (l liveTab) otherComponents() (lines []string, quiet bool) {
	if l.b.status == nil || !l.b.verdict.Official.Drives {
		return nil, false // what an unread or foreign page once said is no current fact
	}
	st := l.st
	o := l.b.verdict.Official
	fresh := o.State == probe.OfficialFresh
	quiet = fresh
	var items []string
	for _, c := range l.b.status.Components {
		if c.Group || probe.IsWatched(c.ID) {
			continue
		}
		word, sym, tn := componentLook(c.Status)
		if !fresh {
			sym, tn = symUnknown, toneMuted // what it said, not what is
		}
		item := st.tone[tn].Render(sym) + " " + probe.Line(c.Name, 40)
		if c.Status != "operational" || !fresh {
			item += " " + st.tone[tn].Render(word)
		}
		quiet = quiet && c.Status == "operational"
		items = append(items, item)
	}
	if len(items) == 0 {
		return nil, quiet
	}
	const maxLines = 2
	sep := st.muted.Render(" · ")
	head := "Also on the status page: "
	if !fresh {
		head = "Also on the status page, last read " + clock(l.b.now, o.Read) + " (" + age(l.b.now.Sub(o.Read)) + " ago): "
	}
	cur := st.muted.Render(head)
	empty := true
	room := maxLines
	if lipgloss.Width(cur+items[0]) > l.w {
		// The heading alone, then the items: never one cut mid-word.
		lines, cur = append(lines, st.muted.Render(strings.TrimSuffix(head, " "))), "  "
		room++
	}
	for i, it := range items {
		if !empty && lipgloss.Width(cur+sep+it) > l.w {
			if len(lines)+1 == room {
				cur += st.muted.Render(fmt.Sprintf(" +%d more", len(items)-i))
				break
			}
			lines = append(lines, cur)
			cur, empty = "  ", true
		}
		if !empty {
			cur += sep
		}
		cur += it
		empty = false
	}
	return append(lines, cur), quiet
}
