package ui

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/diagnose"
	"downforai/probe/human"
	"downforai/probe/judge"
)

// troubleshootTab tells the user what is wrong for them and how to fix it:
// the catalogue entry the live evidence points at (with the evidence line
// and the masked credential), the facts behind the verdict, the local
// checks, the rate-limit headroom, the latest failures and the catalogue.
// `p` opens an input for pasting an error; `c` copies a redacted Markdown
// report to the clipboard with OSC 52; `b` browses the catalogue, `/`
// searches it, `f` opens the FAQ, `enter` the problem at hand.
type troubleshootTab struct {
	b    *board
	st   *styles
	w, h int
	keys troubleKeys
	// headlineCap is the banner's cap on the headline's lines (0: none),
	// so that "Why we say so" gives in full what the banner cut.
	headlineCap int

	clip     io.Writer // where OSC 52 goes: the program's output
	failures []probe.Result
	findings []diagnose.Finding

	input   textinput.Model
	pasting bool // the input has the focus
	// raw is the text as pasted, its line breaks kept (redacted): the
	// one-line input shows it flattened, and a paste's lines are what
	// the diagnosis reads (the last "API Error" line, a reset time, a
	// status at a line start), so the CLI and the tab read the same text.
	// shown is the input's value when raw was last in step with it: an
	// edit by hand makes the input's value the text.
	raw, shown string
	leftOut    int                 // bytes of a long paste's start not kept: its end is the error
	diag       *diagnose.Diagnosis // the last pasted error, nil if none
	note       string              // what the last copy did
	noteAge    int                 // ticks the note has been shown

	page   troublePage           // what the tab shows
	back   troublePage           // where esc goes from an entry
	offset [troublePageCount]int // first line shown, per page
	cat    catalogueList         // the catalogue, its search and cursor
	faq    int                   // the FAQ question under the cursor
	open   catalogue.EntryID     // the entry on pageEntry

	cache *troubleCache // the page's content, built once per change
}

// troublePage is one of the tab's pages.
type troublePage int

const (
	pageMain      troublePage = iota // the live diagnosis
	pageCatalogue                    // the known problems, grouped
	pageEntry                        // one known problem
	pageFAQ                          // the questions
	pageAnswer                       // one answer
	troublePageCount
)

// maxFailures bounds the failures listed.
const maxFailures = 8

// noteTicks is how many clock ticks (about seconds) a copy note stays.
const noteTicks = 5

func newTroubleshootTab(b *board, st *styles, clip io.Writer) troubleshootTab {
	in := newInput(st, "error> ", "paste an error from Claude Code, an SDK or curl, then enter", pasteLimit)
	return troubleshootTab{b: b, st: st, keys: newTroubleKeys(), clip: clip, input: in, cat: newCatalogueList(st), cache: &troubleCache{}}
}

func (t *troubleshootTab) setSize(w, h int) {
	t.w, t.h = w, h
	t.input.Width = max(w-lipgloss.Width(t.input.Prompt)-1, 1)
	// Room for "  39 of 39" after the search.
	t.cat.search.Width = max(w-lipgloss.Width(t.cat.search.Prompt)-searchCountWidth, 1)
	t.follow()
}

// capturing reports whether the tab is taking text input, so the root
// sends it every key.
func (t troubleshootTab) capturing() bool { return t.pasting || t.cat.search.Focused() }

func (t troubleshootTab) update(msg tea.Msg) (troubleshootTab, tea.Cmd) {
	switch msg := msg.(type) {
	case snapshotMsg, eventMsg:
		t.failures = latestFailures(t.b, maxFailures)
		t.findings = diagnose.Findings(t.b.evidence())
	case copiedMsg:
		t.note, t.noteAge = copiedNote(msg), 0
	case tickMsg:
		if t.note != "" {
			if t.noteAge++; t.noteAge >= noteTicks {
				t.note = ""
			}
		}
	case tea.KeyMsg:
		// The note answered the last key; the next one dismisses it.
		t.note = ""
		switch {
		case t.pasting:
			return t.updateInput(msg)
		case t.cat.search.Focused():
			return t.updateSearch(msg)
		}
		switch t.page {
		case pageCatalogue, pageFAQ:
			return t.updateList(msg)
		case pageEntry, pageAnswer:
			return t.updateDoc(msg)
		}
		return t.updateKey(msg)
	}
	return t, nil
}

func (t troubleshootTab) updateKey(msg tea.KeyMsg) (troubleshootTab, tea.Cmd) {
	k := t.keys
	switch {
	case key.Matches(msg, k.Paste):
		t.pasting, t.leftOut = true, 0
		t.input.SetValue("")
		t.raw, t.shown = "", ""
		return t, t.input.Focus()
	case key.Matches(msg, k.Copy):
		t.note, t.noteAge = "copying…", 0
		return t, copyReport(t.clip, diagnose.Report(t.b.evidence()))
	case key.Matches(msg, k.Cancel):
		t.diag = nil
	case key.Matches(msg, k.Browse):
		t.show(pageCatalogue)
		return t, nil
	case key.Matches(msg, k.Search):
		t.show(pageCatalogue)
		return t, t.cat.startSearch()
	case key.Matches(msg, k.FAQ):
		t.show(pageFAQ)
		return t, nil
	case key.Matches(msg, k.Open):
		// The problem at hand: the pasted error's, else the matching one.
		switch {
		case t.diag != nil && t.diag.Known():
			t.openEntry(t.diag.Entry.ID, pageMain)
		case t.diag == nil && len(t.findings) > 0:
			t.openEntry(t.findings[0].Entry.ID, pageMain)
		}
		return t, nil
	}
	t.scroll(msg)
	return t, nil
}

func copiedNote(msg copiedMsg) string {
	if msg.err != nil {
		return "could not copy: " + probe.Line(msg.err.Error(), 120) + " — `downforai report` prints the same report"
	}
	return fmt.Sprintf("copied the report (%s) to your clipboard with OSC 52 — your terminal must allow it; `downforai report` prints the same",
		human.IBytes(uint64(msg.bytes)))
}

// evidence is what the board knows, as the probe package's Evidence.
func (b *board) evidence() diagnose.Evidence {
	ev := diagnose.Evidence{Now: b.now, Version: b.version, Status: b.status, Local: b.local, Sessions: b.sessions,
		StaleAfter: b.staleAfter, Horizon: b.horizon, Recover: b.recover,
		Recent: make(map[probe.Target][]probe.Result, len(b.rings))}
	for t, r := range b.rings {
		if rs := r.items(); len(rs) > 0 {
			ev.Recent[t] = rs
		}
	}
	return ev
}

func latestFailures(b *board, n int) []probe.Result {
	var out []probe.Result
	for _, tg := range b.targets {
		for _, r := range b.results(tg) {
			if r.Class.Failing() {
				out = append(out, r)
			}
		}
	}
	slices.SortStableFunc(out, func(x, y probe.Result) int { return y.Time.Compare(x.Time) })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func (t troubleshootTab) view() string {
	if t.w <= 0 || t.h <= 0 {
		return ""
	}
	head := t.head()
	all := t.content()
	room := max(t.h-len(head), 0)
	off := min(t.offset[t.page], scrollEnd(len(all), room))
	body := all[off:]
	if len(body) > room {
		// A copy: the last line is rewritten, and all is the cache's.
		body = slices.Clone(body[:room])
		if room > 0 {
			body[room-1] = t.st.muted.Render(fmt.Sprintf("  ↓ %d more lines (j/k, pgdown, end)", len(all)-off-room+1))
		}
	}
	return clamp(strings.Join(append(head, body...), "\n"), t.w, t.h)
}

// head is the lines above the scrolling content: the keys, the input
// while pasting, the copy note.
func (t troubleshootTab) head() []string {
	head := []string{t.keyLine()}
	if t.pasting {
		head = append(head, t.input.View())
		if size := t.pasteSize(); size != "" {
			head = append(head, t.wrappedTone(toneMuted, "  ", size)...)
		}
	}
	if t.page == pageCatalogue && (t.cat.search.Focused() || t.cat.query != "") {
		head = append(head, t.cat.searchLine(t.st, t.w))
	}
	if t.note != "" {
		head = append(head, t.wrappedTone(toneInfo, "", t.note)...)
	}
	return head
}

// maxOffset is the last scroll position: the one that shows the end of
// the content at the bottom of the tab.
func (t troubleshootTab) maxOffset() int {
	return scrollEnd(len(t.content()), max(t.h-len(t.head()), 0))
}

// scrollEnd is the offset that shows the last of lines in room lines.
func scrollEnd(lines, room int) int { return max(lines-room, 0) }

// mainLines is the live diagnosis: the pasted error, the matching
// problem, why we say so, the local checks, the headroom, Claude Code's
// sessions, the canaries, the latest failures and the catalogue's groups.
// Each section is drawn by its own method below, in this order.
func (t troubleshootTab) mainLines() []string {
	s := sections{st: t.st}
	if t.diag != nil {
		s.add("Pasted error", t.diagnosis(*t.diag))
	}
	finding := func() {
		s.add(diagnose.FindingHeading(t.findings[0])+t.findings[0].Entry.Title, t.matchingProblem())
	}
	// The matching problem leads; a local finding, no cause of anything
	// failing, comes after the verdict's grounds.
	cause := len(t.findings) > 0 && t.findings[0].IsCause()
	if cause {
		finding()
	}
	s.add("Why we say so", t.whyWeSaySo())
	if len(t.findings) > 0 && !cause {
		finding()
	}
	s.add("Local checks", t.localChecks())
	if hs, r, ok := diagnose.RateHeadroom(t.b.evidence().Recent); ok {
		s.add("Rate-limit headroom (your key, "+clock(t.b.now, r.Time)+", "+ago(t.b.now, r.Time)+")", t.gauges(hs))
	}
	if cc := t.claudeCodeSection(); len(cc) > 0 {
		s.add("Claude Code: your sessions and usage window", cc)
	}
	if cs := t.canarySection(); len(cs) > 0 {
		s.add("Canaries: tokens and cost", cs)
	}
	s.add("Latest failures", t.latestFailures())
	s.add(fmt.Sprintf("Known problems (%d)", len(t.cat.all)), t.knownProblems())
	return s.lines
}

// sections gathers a page's sections: each a heading, its lines, and a
// blank line between one section and the next.
type sections struct {
	st    *styles
	lines []string
}

// add appends a section: its heading even when body is empty.
func (s *sections) add(title string, body []string) {
	if len(s.lines) > 0 {
		s.lines = append(s.lines, "")
	}
	s.lines = append(s.lines, s.st.heading.Render(title))
	s.lines = append(s.lines, body...)
}

// matchingProblem is the first finding drawn whole, then the titles of
// the others.
func (t troubleshootTab) matchingProblem() []string {
	lines := t.finding(t.findings[0])
	if len(t.findings) > 1 {
		var also []string
		for _, o := range t.findings[1:] {
			also = append(also, o.Entry.Title)
		}
		lines = append(lines, t.wrapped("  also seen: ", strings.Join(also, " · "))...)
	}
	return lines
}

// whyWeSaySo is the verdict's grounds: the headline in full where the
// banner cut it, the facts, then a line per service.
func (t troubleshootTab) whyWeSaySo() []string {
	var lines []string
	v := t.b.verdict
	if _, cut := capHeadline(v.Headline, t.w, t.headlineCap); cut {
		// The banner had room for only part of it.
		lines = append(lines, t.wrapped("  ", v.Headline)...)
	}
	for _, f := range v.Facts {
		lines = append(lines, t.bullet(f)...)
	}
	if len(v.Facts) == 0 && !t.b.hasData() {
		lines = append(lines, t.bullet("no observation yet: the verdict appears after the first probes")...)
	}
	for _, sv := range v.Services {
		lines = append(lines, t.serviceVerdict(sv))
	}
	return lines
}

// serviceVerdict is one service's line under "Why we say so": its name,
// its verdict, and where that verdict comes from when it is not our own
// probes of it.
func (t troubleshootTab) serviceVerdict(sv probe.ServiceVerdict) string {
	st := t.st
	sym, tn := verdictLook(sv.Kind)
	line := "  " + fit(st.text.Render(sv.Service.Name), colName) + " " + st.tone[tn].Render(sym+" "+sv.KindName())
	if sv.PageOnly {
		// Not ours: what the page says, beside why we have nothing.
		note := "Anthropic's report"
		if r := sv.Latest; r != nil && r.Target == probe.TargetCode && r.Detail != "" {
			note += "; here: " + probe.Line(r.Detail, phraseMax)
		}
		line += st.muted.Render(" — " + note)
	}
	if sv.Local != "" {
		// No page counts: what answered here, not Anthropic's report.
		line += st.muted.Render(" — " + sv.Local)
	}
	if sv.ThroughAPI {
		// Ours, through the API: its calls go there, and it fails.
		line += st.muted.Render(" — via the Claude API it calls")
	}
	return line
}

// latestFailures is the newest failures, or a line saying there were
// none among the results kept.
func (t troubleshootTab) latestFailures() []string {
	if len(t.failures) == 0 {
		return []string{t.st.muted.Render(fmt.Sprintf("  none among the last %d results of each target", ringSize))}
	}
	var lines []string
	for _, r := range t.failures {
		lines = append(lines, t.failure(r)...)
	}
	return lines
}

// knownProblems is the catalogue's groups with their sizes and the keys
// that open it.
func (t troubleshootTab) knownProblems() []string {
	var groups []string
	for _, g := range catalogue.Groups() {
		n := 0
		for _, e := range t.cat.all {
			if e.Group == g {
				n++
			}
		}
		groups = append(groups, fmt.Sprintf("%s %d", g, n))
	}
	lines := t.wrapped("  ", strings.Join(groups, " · "))
	return append(lines, t.wrappedTone(toneMuted, "  ", "b browses them, / searches their names and error signatures, f opens the FAQ; p matches a pasted error against them")...)
}

// livePhrase is whose problem the finding is: its side's phrase, and for
// one that either side may cause ("either side: the live probes tell
// which"), what the live probes told of its service — "either side; the
// live probes say: Your configuration" — so the Matching problem does not
// leave open what the banner above it decided (one verdict per moment).
func (t troubleshootTab) livePhrase(f diagnose.Finding) string {
	phrase := f.Entry.SidePhrase()
	if f.Entry.Side != catalogue.SideEitherSide || f.Entry.Whose != "" || f.Result == nil {
		return phrase
	}
	s, ok := probe.ServiceOf(f.Result.Target)
	if !ok {
		return phrase
	}
	for _, sv := range t.b.verdict.Services {
		if sv.Service.Key != s.Key {
			continue
		}
		// Only a verdict that names a side settles it.
		switch k := sv.Kind; {
		case k.Local(), k == probe.VerdictUnacknowledged, k == probe.VerdictOutage, k == probe.VerdictFailing, k == probe.VerdictUnreachable,
			k == probe.VerdictMaintenance: // the errors the page said to expect (tmux, Dec 7)
			return "either side; the live probes say: " + sv.Words()
		}
		return phrase
	}
	return phrase
}

// finding draws one catalogue entry with its live evidence: the evidence
// line, the masked credential, what it is, the fix and the confirming
// check.
func (t troubleshootTab) finding(f diagnose.Finding) []string {
	var lines []string
	sym, tn := classLook(f.Entry.Class)
	if f.Entry.Side == catalogue.SideAnthropic {
		tn = toneBad
	}
	lines = append(lines, t.wrappedTone(tn, "  ", sym+" "+t.livePhrase(f))...)
	switch {
	case f.Result != nil:
		lines = append(lines, t.wrapped("  evidence: ", judge.EvidenceLine(*f.Result, t.b.local, t.b.loc()))...)
		// The credential, when the request carried it.
		if c := f.Entry.Class; (c == probe.ClassAuth || c == probe.ClassBilling || c == probe.ClassRateLimited) && !catalogue.Keyless(f.Result.Target) {
			if p, ok := t.b.local.Probed(); ok {
				lines = append(lines, t.wrapped("  credential: ", fmt.Sprintf("%s, %s %s (%s)", p.Source, p.Kind, p.Masked, p.Header))...)
			}
		}
		if ra := f.Result.RateLimit.RetryAfter; ra > 0 {
			lines = append(lines, t.wrapped("  retry after: ", wait(ra))...)
		}
	case f.Local != nil:
		lines = append(lines, t.wrapped("  local check: ", f.Local.Name+": "+f.Local.Text)...)
	}
	if f.Aside != "" {
		lines = append(lines, t.wrapped("  now: ", f.Aside)...)
	}
	if t.diag != nil && t.diag.Entry != nil && t.diag.Entry.ID == f.Entry.ID {
		return append(lines, t.st.muted.Render("  (the pasted error's entry: what it is and the fix are above)"))
	}
	e := f.Entry
	if f.Fix != "" {
		// A local finding while nothing fails: the fix that acts on what
		// the check found, not the list for the problem seen failing.
		e.Fix = []string{f.Fix}
	}
	lines = append(lines, t.entryBody(e)...)
	return lines
}

// entryBody is what an entry says: what it is, the fix, the confirming
// check.
func (t troubleshootTab) entryBody(e catalogue.Entry) []string {
	var lines []string
	lines = append(lines, t.wrapped("  what: ", e.What)...)
	for i, s := range e.Fix {
		prefix := "  fix:  "
		if i > 0 {
			prefix = "        "
		}
		lines = append(lines, t.wrapped(prefix+fmt.Sprintf("%d. ", i+1), s)...)
	}
	lines = append(lines, t.wrappedTone(toneMuted, "  how to confirm: ", e.Confirm)...)
	return lines
}

// localNameWidth fits the longest check name, "Credential in effect".
const localNameWidth = 20

// The headroom gauges' layout: indent, name column, bar width bounds.
const (
	gaugeIndent = 2
	gaugeName   = 9
	gaugeMin    = 5
	gaugeMax    = 30
)
