package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/diagnose"
)

// catalogueList is the Troubleshooting tab's browsable catalogue: every
// known problem by group, the `/` search over names and error signatures,
// and the cursor.
type catalogueList struct {
	all    []catalogue.Entry // by group, as catalogue.Groups() orders them
	shown  []catalogueHit    // what the search keeps
	cursor int               // index into shown
	search textinput.Model
	query  string // the search applied (kept after the input closes)
}

// catalogueHit is one entry the search kept, and the signature that
// matched ("" for its name).
type catalogueHit struct {
	entry     catalogue.Entry
	signature string
}

func newCatalogueList(st *styles) catalogueList {
	in := newInput(st, "/", "search names and error signatures", 200)
	var all []catalogue.Entry
	entries := catalogue.Entries()
	for _, g := range catalogue.Groups() {
		for _, e := range entries {
			if e.Group == g {
				all = append(all, e)
			}
		}
	}
	l := catalogueList{all: all, search: in}
	l.apply()
	return l
}

// apply runs the search, keeping the entry under the cursor when it stays.
func (l *catalogueList) apply() {
	var keep catalogue.EntryID
	if l.cursor < len(l.shown) {
		keep = l.shown[l.cursor].entry.ID
	}
	l.shown = l.shown[:0:0]
	l.cursor = 0
	for _, e := range l.all {
		if sig, ok := e.Search(l.query); ok {
			if e.ID == keep {
				l.cursor = len(l.shown)
			}
			l.shown = append(l.shown, catalogueHit{e, sig})
		}
	}
}

func (l *catalogueList) startSearch() tea.Cmd {
	l.search.SetValue(l.query)
	l.search.CursorEnd()
	return l.search.Focus()
}

// searchLine is the search input while it is open, else the search kept.
func (l catalogueList) searchLine(st *styles, w int) string {
	count := st.muted.Render(fmt.Sprintf("  %d of %d", len(l.shown), len(l.all)))
	if l.search.Focused() {
		return l.search.View() + count
	}
	return st.heading.Render("/") + st.text.Render(probe.Line(l.query, max(w-queryReserve, minSearchWidth))) + count
}

// show puts page p on screen.
func (t *troubleshootTab) show(p troublePage) {
	t.page = p
	t.follow()
}

// openEntry shows entry id's page; esc goes back to from.
func (t *troubleshootTab) openEntry(id catalogue.EntryID, from troublePage) {
	t.open, t.back = id, from
	t.offset[pageEntry] = 0
	t.show(pageEntry)
}

func (t troubleshootTab) updateSearch(msg tea.KeyMsg) (troubleshootTab, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEnter:
		t.cat.search.Blur()
		return t, nil
	case tea.KeyEsc:
		t.cat.search.Blur()
		t.cat.search.SetValue("")
		t.cat.query = ""
		t.cat.apply()
		t.follow()
		return t, nil
	}
	var cmd tea.Cmd
	t.cat.search, cmd = t.cat.search.Update(msg)
	t.cat.query = t.cat.search.Value()
	t.cat.apply()
	t.follow()
	return t, cmd
}

// updateList moves the cursor of the catalogue or the FAQ and opens what
// it is on.
func (t troubleshootTab) updateList(msg tea.KeyMsg) (troubleshootTab, tea.Cmd) {
	k := t.keys
	n, cur := len(catalogue.FAQ()), &t.faq
	if t.page == pageCatalogue {
		n, cur = len(t.cat.shown), &t.cat.cursor
	}
	page := max(t.h-4, 1)
	switch {
	case key.Matches(msg, k.Back):
		if t.page == pageCatalogue && t.cat.query != "" {
			t.cat.query = ""
			t.cat.search.SetValue("")
			t.cat.apply()
		} else {
			t.page = pageMain
		}
	case key.Matches(msg, k.Search) && t.page == pageCatalogue:
		return t, t.cat.startSearch()
	case key.Matches(msg, k.Open):
		switch {
		case t.page == pageFAQ:
			t.offset[pageAnswer] = 0
			t.page = pageAnswer
		case *cur < n:
			t.openEntry(t.cat.shown[*cur].entry.ID, pageCatalogue)
		}
		return t, nil
	case key.Matches(msg, k.Up):
		*cur--
	case key.Matches(msg, k.Down):
		*cur++
	case key.Matches(msg, k.PageUp):
		*cur -= page
	case key.Matches(msg, k.PageDown):
		*cur += page
	case key.Matches(msg, k.Top):
		*cur = 0
	case key.Matches(msg, k.End):
		*cur = n - 1
	}
	*cur = max(min(*cur, n-1), 0)
	t.follow()
	return t, nil
}

// updateDoc scrolls an entry or an answer; esc goes back.
func (t troubleshootTab) updateDoc(msg tea.KeyMsg) (troubleshootTab, tea.Cmd) {
	if key.Matches(msg, t.keys.Back) {
		if t.page == pageAnswer {
			t.page = pageFAQ
		} else {
			t.page = t.back
		}
		t.follow()
		return t, nil
	}
	t.scroll(msg)
	return t, nil
}

// follow scrolls a list so that its cursor is on screen, with the group
// heading above the first entry of a group.
func (t *troubleshootTab) follow() {
	if t.page != pageCatalogue && t.page != pageFAQ {
		return
	}
	line := t.cursorLine()
	room := max(t.h-len(t.head())-1, 1) // the last line may say "↓ more"
	off := t.offset[t.page]
	if line-1 < off {
		off = max(line-1, 0)
	}
	if line >= off+room {
		off = line - room + 1
	}
	t.offset[t.page] = max(min(off, t.maxOffset()), 0)
}

// cursorLine is the line of the list's cursor in content().
func (t troubleshootTab) cursorLine() int { return t.cached().cursor }

// catalogueRows is the known problems by group, and the line of the
// cursor: the cursor's entry highlighted, the ones the live evidence
// points at now marked, and — wide, or when the search found it by one —
// an error signature (on a line of its own when narrow).
func (t troubleshootTab) catalogueRows() ([]string, int) {
	st := t.st
	if len(t.cat.shown) == 0 {
		return t.wrappedTone(toneMuted, "  ", fmt.Sprintf("no known problem has %s in its name or error signatures: esc clears the search", probe.Quote(probe.Line(t.cat.query, 60)))), 0
	}
	now := map[catalogue.EntryID]string{}
	for i, f := range t.findings {
		if i == 0 {
			now[f.Entry.ID] = "← matching problem now"
		} else if now[f.Entry.ID] == "" {
			now[f.Entry.ID] = "← also seen now"
		}
	}
	titleW := min(catalogueTitleWidth, max(t.w-4, 1))
	var lines []string
	cursorLine := 0
	var g catalogue.Group
	for i, h := range t.cat.shown {
		e := h.entry
		if i == 0 || e.Group != g {
			if i > 0 {
				lines = append(lines, "")
			}
			g = e.Group
			lines = append(lines, st.heading.Render(string(g)))
		}
		mark, title := "  ", st.text.Render(fit(e.Title, titleW))
		if i == t.cat.cursor {
			mark, title = st.heading.Render("› "), st.selected.Render(fit(e.Title, titleW))
			cursorLine = len(lines)
		}
		line := mark + title
		rest := max(t.w-2-titleW-1, 0)
		var below []string
		switch {
		case now[e.ID] != "":
			line += " " + st.strong[toneWarn].Render(fit(now[e.ID], rest))
		case h.signature != "" && rest >= catalogueSignatureMin:
			line += " " + st.muted.Render(fit("matches “"+h.signature+"”", rest))
		case rest >= catalogueSignatureMin:
			line += " " + st.muted.Render(fit("“"+e.Signatures[0]+"”", rest))
		}
		if h.signature != "" && (rest < catalogueSignatureMin || now[e.ID] != "") {
			below = t.wrappedTone(toneMuted, "    matches ", "“"+h.signature+"”")
		}
		lines = append(lines, strings.TrimRight(line, " "))
		lines = append(lines, below...)
	}
	return lines, cursorLine
}

// catalogueTitleWidth fits the longest title, "Subscription access not
// allowed for this organisation"; catalogueSignatureMin is the least room
// worth showing a signature in.
const (
	catalogueTitleWidth   = 54
	catalogueSignatureMin = 30
)

// entryPage is one known problem as a help page: what it is and whose
// side, what the live probes say about it right now, then its error
// signatures, common causes, how to fix it and how downforai confirms it.
func (t troubleshootTab) entryPage() []string {
	st := t.st
	e, ok := catalogue.ByID(t.open)
	if !ok {
		return []string{st.muted.Render("  no such entry")}
	}
	sym, tn := classLook(e.Class)
	if e.Side == catalogue.SideAnthropic {
		tn = toneBad
	}
	side := "  " + st.tone[tn].Render(sym+" "+e.SidePhrase())
	if e.Group != catalogue.GroupAnthropic { // "on Anthropic's side · Anthropic's side" says it twice
		side += st.muted.Render(" · " + string(e.Group))
	}
	lines := []string{st.heading.Render(e.Title) + st.muted.Render(" · "+string(e.ID)), side}
	lines = append(lines, t.wrapped("  ", e.What)...)
	section := func(title string) { lines = append(lines, "", st.heading.Render(title)) }

	section("Right now (checked " + ago(t.b.now, t.b.lastChecked()) + ")")
	live := diagnose.LiveFor(&e, t.b.evidence().Input())
	switch {
	case live.Contradicted:
		lines = append(lines, t.wrappedStyle(st.strong[toneGood], "  ", "The live probes contradict this problem right now:")...)
	case live.Confirmed:
		lines = append(lines, t.wrappedStyle(st.strong[toneWarn], "  ", "The live probes confirm this problem right now:")...)
	}
	for _, s := range live.Lines {
		lines = append(lines, t.bullet(s)...)
	}

	section("Error signatures")
	for _, s := range e.Signatures {
		lines = append(lines, t.bullet(s)...)
	}
	section("Common causes")
	for _, s := range e.Causes {
		lines = append(lines, t.bullet(s)...)
	}
	section("How to fix it")
	for i, s := range e.Fix {
		lines = append(lines, t.wrapped(fmt.Sprintf("  %d. ", i+1), s)...)
	}
	section("How downforai confirms it live")
	lines = append(lines, t.wrapped("  ", e.Confirm)...)
	return lines
}

// faqLines lists the questions.
func (t troubleshootTab) faqLines() []string {
	st := t.st
	lines := []string{st.heading.Render("Questions people ask with an error in hand")}
	for i, q := range catalogue.FAQ() {
		if i == t.faq {
			lines = append(lines, st.heading.Render("› ")+st.selected.Render(q.Question))
		} else {
			lines = append(lines, "  "+st.text.Render(q.Question))
		}
	}
	return append(lines, "", st.muted.Render("  each answer ends with what the live probes say now"))
}

// answerPage is one question's answer, the entries it is about, and what
// the live probes say about it right now.
func (t troubleshootTab) answerPage() []string {
	st := t.st
	faq := catalogue.FAQ()
	q := faq[max(min(t.faq, len(faq)-1), 0)]
	lines := []string{st.heading.Render(q.Question)}
	for i, p := range q.Answer {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, t.wrapped("  ", p)...)
	}
	var titles []string
	for _, id := range q.Entries {
		if e, ok := catalogue.ByID(id); ok && !slices.Contains(titles, e.Title) {
			titles = append(titles, e.Title)
		}
	}
	if len(titles) > 0 {
		lines = append(lines, "")
		lines = append(lines, t.wrappedTone(toneMuted, "  see: ", strings.Join(titles, " · ")+" (b lists them)")...)
	}
	lines = append(lines, "", st.heading.Render("Right now (checked "+ago(t.b.now, t.b.lastChecked())+")"))
	for _, s := range diagnose.FAQLive(q, t.b.evidence()) {
		lines = append(lines, t.bullet(s)...)
	}
	return lines
}

// searchCountWidth is what "  39 of 39" takes after the search input.
const searchCountWidth = 12

// queryReserve is what a kept search leaves beside its text: the "/" and
// the count, with room to spare; minSearchWidth is the narrowest a search
// input or its kept text gets, at any width (Troubleshooting's and
// Incidents' alike).
const (
	queryReserve   = 20
	minSearchWidth = 10
)
