package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
	"downforai/probe/judge"
)

// incidentFilter picks which timeline entries the list shows.
type incidentFilter int

const (
	filterAll      incidentFilter = iota
	filterActive                  // still going on either side
	filterOfficial                // posted by Anthropic
	filterOurs                    // seen by our probes
	filterCount
)

var filterNames = [filterCount]string{"all", "active", "official", "ours"}

func (f incidentFilter) String() string { return filterNames[f] }

func (f incidentFilter) keep(e judge.TimelineEntry) bool {
	switch f {
	case filterActive:
		return e.Active()
	case filterOfficial:
		return e.Official != nil
	case filterOurs:
		return len(e.Local) > 0
	}
	return true
}

// incidentsTab is Anthropic's incidents and ours on one timeline, newest
// first, with a detail view per entry.
type incidentsTab struct {
	b    *board
	st   *styles
	keys incidentKeys
	w, h int

	all      []judge.TimelineEntry // every entry, newest first; rebuilt on data
	unlisted map[string]bool       // official ids shown as over because the page dropped them
	shown    []judge.TimelineEntry // after filter and search
	filter   incidentFilter
	search   textinput.Model
	query    string // the search applied (kept after the input closes)
	cursor   int
	offset   int    // first entry drawn
	selKey   string // the selected entry's key, kept across rebuilds
	pinned   bool   // the user moved the cursor: keep it on selKey, else stay on top
	detail   bool
	vp       viewport.Model
	openKey  string // the entry the detail shows
}

func newIncidentsTab(b *board, st *styles) incidentsTab {
	ti := newInput(st, "/", "search titles", 80)
	return incidentsTab{b: b, st: st, keys: newIncidentKeys(), search: ti, vp: viewport.New(0, 0)}
}

func (t *incidentsTab) setSize(w, h int) {
	t.w, t.h = w, h
	t.search.Width = max(w-incSearchReserve, minSearchWidth)
	t.vp.Width, t.vp.Height = w, max(h-1, 0)
	if t.detail {
		t.refreshDetail()
	}
}

// capturing reports whether the tab is taking text input, so the root
// sends it every key: true while the search input is focused.
func (t incidentsTab) capturing() bool { return t.search.Focused() }

func entryKey(e judge.TimelineEntry) string {
	if e.Official != nil {
		return "o:" + e.Official.ID
	}
	if len(e.Local) > 0 {
		return "l:" + e.Local[0].ID
	}
	return ""
}

func (t incidentsTab) update(msg tea.Msg) (incidentsTab, tea.Cmd) {
	switch msg := msg.(type) {
	case snapshotMsg:
		t.rebuild()
	case eventMsg:
		// Most events are plain probe results: the timeline changes only
		// with the status page or an incident of ours.
		if msg.Status != nil || len(msg.Official) > 0 || len(msg.LocalIncidents) > 0 {
			t.rebuild()
		}
	case tickMsg:
		if t.detail {
			t.refreshDetail() // "ongoing 25m" moves on
		}
	case tea.KeyMsg:
		return t.key(msg)
	}
	return t, nil
}

func (t *incidentsTab) rebuild() {
	t.all, t.unlisted = t.b.book.timeline(t.b.status)
	t.apply()
	if t.detail {
		t.refreshDetail()
	}
}

// apply filters and searches, keeping the selected entry selected.
func (t *incidentsTab) apply() {
	t.shown = t.shown[:0:0]
	for _, e := range t.all {
		if t.filter.keep(e) && e.Matches(t.query) {
			t.shown = append(t.shown, e)
		}
	}
	t.cursor = min(t.cursor, max(len(t.shown)-1, 0))
	if !t.pinned {
		t.cursor = 0
	}
	for i, e := range t.shown {
		if t.pinned && entryKey(e) == t.selKey && t.selKey != "" {
			t.cursor = i
		}
	}
	t.follow()
}

func (t *incidentsTab) move(d int) {
	t.cursor = max(0, min(t.cursor+d, len(t.shown)-1))
	t.pinned = t.cursor > 0
	t.follow()
}

func (t *incidentsTab) follow() {
	if t.cursor < len(t.shown) {
		t.selKey = entryKey(t.shown[t.cursor])
	}
	rows := max(t.rowsFit(), 1)
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+rows {
		t.offset = t.cursor - rows + 1
	}
	t.offset = max(0, min(t.offset, max(len(t.shown)-rows, 0)))
}

// wide is whether the list fits one line per entry.
func (t incidentsTab) wide() bool { return t.w >= incWideAt }

// listTop is the lines above the entries: the filter bar, and the column
// header when wide.
func (t incidentsTab) listTop() int {
	if t.wide() {
		return 2
	}
	return 1
}

func (t incidentsTab) rowsFit() int {
	per := 2
	if t.wide() {
		per = 1
	}
	return max(t.h-t.listTop(), 0) / per
}

func (t incidentsTab) view() string {
	if t.w <= 0 || t.h <= 0 {
		return ""
	}
	if t.detail {
		return t.detailView()
	}
	st, b := t.st, t.b
	lines := []string{t.filterBar()}
	if len(t.all) == 0 {
		msg := st.muted.Render("The official status page has not been read yet; incidents appear here once it is.")
		switch o := b.verdict.Official; {
		case b.status != nil && b.status.FeedErr != "":
			// Without the feed, "none" is not known: say what failed.
			msg = st.muted.Render(fmt.Sprintf("%s Our probes have seen no incident. Anthropic's incidents feed is unavailable (%s), so its past incidents are unknown.",
				symUnknown, probe.Line(b.status.FeedErr, 80)))
		case b.status != nil && o.State == probe.OfficialFresh:
			msg = st.tone[toneGood].Render(fmt.Sprintf("%s No incidents on record: Anthropic's page lists none (read %s) and our probes have seen none.",
				symOK, ago(b.now, b.status.Fetched)))
		case o.State == probe.OfficialUnreadable || o.State == probe.OfficialForeign || o.State == probe.OfficialStale:
			msg = st.muted.Render(fmt.Sprintf("%s Our probes have seen no incident. %s.", symUnknown, pageStanding(b, o)))
		}
		lines = append(lines, wrap(msg, t.w)...)
		return clamp(strings.Join(lines, "\n"), t.w, t.h)
	}
	if len(t.shown) == 0 {
		lines = append(lines, st.muted.Render(fmt.Sprintf("Nothing matches (filter %s%s).", t.filter, t.queryNote())))
		return clamp(strings.Join(lines, "\n"), t.w, t.h)
	}
	if t.wide() {
		lines = append(lines, t.wideHeader())
	}
	end := min(t.offset+t.rowsFit(), len(t.shown))
	for i := t.offset; i < end; i++ {
		lines = append(lines, t.entryLines(t.shown[i], i == t.cursor)...)
	}
	return clamp(strings.Join(lines, "\n"), t.w, t.h)
}

func (t incidentsTab) queryNote() string {
	if t.query == "" {
		return ""
	}
	return ", search " + probe.Quote(probe.Line(t.query, phraseMax))
}

// filterBar shows the filters with the current one bracketed, the search,
// and the keys.
func (t incidentsTab) filterBar() string {
	st := t.st
	if t.search.Focused() {
		return t.search.View() + st.muted.Render("  enter keep · esc clear")
	}
	var parts []string
	for f := incidentFilter(0); f < filterCount; f++ {
		if f == t.filter {
			parts = append(parts, st.heading.Render("["+f.String()+"]"))
		} else {
			parts = append(parts, st.muted.Render(" "+f.String()+" "))
		}
	}
	bar := strings.Join(parts, "")
	if t.query != "" {
		bar += "  " + st.text.Render("/"+probe.Line(t.query, phraseMax))
	}
	n := fmt.Sprintf("  %d of %d", len(t.shown), len(t.all))
	return bar + st.muted.Render(n+" · f filter · / search · enter details")
}

// incTextIndent sets a row's second line (and a detail's wrapped text) under
// its title; minWrapWidth is the narrowest such text is wrapped to.
const (
	incTextIndent = "    "
	minWrapWidth  = 10
)

// incSearchReserve is what the open search leaves beside its input: the
// prompt and "  enter keep · esc clear", with room to spare.
const incSearchReserve = 30

// Column widths of the wide list.
const (
	incColBadge    = 11 // "MAINTENANCE"
	incColStatus   = 12 // "investigating"
	incColServices = 20 // "claude.ai, API, Code"
	incColStart    = 12 // "Sep 2 13:26"
	incColDuration = 28 // "ended 24h ago, lasted 1h 35m"
	incColSource   = 10 // "our probes"
	incTitleKeep   = 28 // title cells a wide status or source column leaves
	incTitleMin    = 10 // the title column never narrower
	incIndent      = 2  // the cursor's "› " before every row
	incGaps        = 6  // a space between each of the seven columns
	// incWideAt is the width from which an entry fits one line: the fixed
	// columns, their gaps and the indent take 101 cells (with the narrowest
	// status and source), which leaves the title 29, at least incTitleKeep.
	incWideAt = 130
)

// incFixed is the cells of the wide list that are not the title, status
// or source.
const incFixed = incIndent + incColBadge + incColServices + incColStart + incColDuration + incGaps

func (t incidentsTab) titleWidth() int {
	return max(t.w-incFixed-t.statusWidth()-t.sourceWidth(), incTitleMin)
}

// sourceWidth is incColSource, widened for a longer source ("ours;
// official last read 13:55") as far as the titles keep incTitleKeep cells.
func (t incidentsTab) sourceWidth() int {
	longest := 0
	for _, e := range t.shown {
		longest = max(longest, ansi.StringWidth(t.rowSource(e)))
	}
	spare := t.w - incFixed - incColStatus - incColSource - incTitleKeep
	return incColSource + max(min(longest-incColSource, spare), 0)
}

// statusWidth is incColStatus, widened for a longer status ("resolved ·
// ours still failing") as far as the titles keep incTitleKeep cells.
func (t incidentsTab) statusWidth() int {
	longest := 0
	for _, e := range t.shown {
		longest = max(longest, ansi.StringWidth(t.rowStatus(e)))
	}
	spare := t.w - incFixed - incColStatus - t.sourceWidth() - incTitleKeep
	return incColStatus + max(min(longest-incColStatus, spare), 0)
}

func (t incidentsTab) wideHeader() string {
	h := t.st.colHeader.Render
	return "  " + strings.Join([]string{
		fit(h("Severity"), incColBadge), fit(h("Incident"), t.titleWidth()), fit(h("Status"), t.statusWidth()),
		fit(h("Affects"), incColServices), fit(h("Started"), incColStart), fit(h("Duration"), incColDuration),
		fit(h("Source"), t.sourceWidth())}, " ")
}
