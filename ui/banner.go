package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"downforai/probe"
)

// banner is the answer in one glance: verdict word and symbol, when we
// last looked, the headline, and whether this is old news.
func (m *Model) banner() string {
	st, b, w := m.styles, m.board, m.width
	if !b.hasData() {
		line := m.bannerLine(m.spin.View() + " " + st.heading.Render("Checking…"))
		note := "no data yet — probing Anthropic's status page, API, claude.ai and Claude Code"
		if b.loaded && b.loadErr != "" {
			note = b.loadErr
		} else if b.closed {
			note = "no data: the probe engine stopped"
		}
		return line + "\n" + strings.Join(append(wrap(st.muted.Render(note), w), m.storeWarning()...), "\n")
	}
	v := b.verdict
	sym, tn := verdictLook(v.Kind)
	left := st.strong[tn].Render(sym + " " + v.Title())
	note := checkedNote(b)
	var change string
	if at, from, ok := b.change(); ok {
		change = "changed " + at.In(b.loc()).Format("15:04") + " from " + from
		if with := append([]string{change}, note...); m.noteFits(left, m.withViewer(with)) == len(with)+len(m.withViewer(nil)) {
			note, change = with, ""
		}
	}
	lines := []string{m.bannerLine(left, note...)}
	if change != "" {
		lines = append(lines, wrap(st.muted.Render(change), w)...)
	}
	// On a short terminal the headline is cut to a few lines; the
	// Troubleshooting tab's "Why we say so" then has it in full.
	head, _ := capHeadline(v.Headline, w, headlineCap(m.height))
	for _, l := range head {
		lines = append(lines, st.text.Render(l))
	}
	if s := limitReset(b); s != "" {
		lines = append(lines, wrap(st.text.Render(s), w)...)
	}
	lines = append(lines, m.incidentBanner()...)
	if b.stale() {
		lines = append(lines, wrap(st.stale.Render(staleWords(b)), w)...)
	}
	if b.closed {
		// The engine (ours, or the one an attached viewer watched) is gone:
		// nothing on screen will change again.
		lines = append(lines, wrap(st.stale.Render("live updates stopped: the probe engine is gone — restart downforai"), w)...)
	}
	lines = append(lines, m.storeWarning()...)
	return strings.Join(lines, "\n")
}

// staleWords says what on screen is old: after a restart, the targets not
// probed yet in this run with the time of what the database held of them
// ("stale — API reachability, API with your key: last known from 11:58:15
// (2m ago), not answered yet in this run"), not the newest result of
// another target, which is now ("last known state from 12:00:20" while
// the API's rows were of 11:58 — cold walk of Dec 7); else the newest
// result's time.
func staleWords(b *board) string {
	if ts, at := b.notYetLive(); len(ts) > 0 && b.live && !b.verdict.Stale && at.Before(b.lastChecked()) {
		var names []string
		for _, t := range ts {
			names = append(names, t.Label())
		}
		return "stale — " + strings.Join(names, ", ") + ": last known from " + clock(b.now, at) + " (" + ago(b.now, at) + "), not answered yet in this run"
	}
	return "stale — last known state from " + clock(b.now, b.lastChecked())
}

// checkedNote is when our probes last ran and, when it differs, how old
// the status page's state is: "probes 3s ago", "status page 6m ago" —
// whole parts, the more important first, for bannerLine to drop from the
// end.
func checkedNote(b *board) []string {
	v := b.verdict
	probes := v.Checked
	if probes.IsZero() {
		return []string{"checked " + ago(b.now, b.lastChecked())}
	}
	note := []string{"checked " + ago(b.now, probes)}
	o := v.Official
	switch {
	case o.State == probe.OfficialUnreadable:
		note = append(note, "status page unreadable")
	case o.State == probe.OfficialForeign:
		note = append(note, "status page not Claude's")
	case o.Read.IsZero():
		note = append(note, "status page not read")
	case probes.Sub(o.Read) >= time.Minute:
		// A minute or more older than our probes: worth saying.
		note = append(note, "status page "+ago(b.now, o.Read))
	}
	return note
}

// bannerLine is the banner's first line: left, then on the right the
// viewer's marker and the note's parts (when we last looked), joined by
// " · ". The verdict on the left comes first: on a narrow terminal the
// note loses whole parts, the last (least important) first, never a cut
// word (cold7 E7).
func (m *Model) bannerLine(left string, note ...string) string {
	note = m.withViewer(note)
	n := m.noteFits(left, note)
	if n == 0 {
		return left
	}
	right := m.styles.muted.Render(strings.Join(note[:n], " · "))
	gap := max(m.width-lipgloss.Width(left)-lipgloss.Width(right), 2)
	return left + strings.Repeat(" ", gap) + right
}

// withViewer is the note with an attached viewer's marker first.
func (m *Model) withViewer(note []string) []string {
	if m.opts.Viewer == "" {
		return note
	}
	return append([]string{probe.Line(m.opts.Viewer, 40)}, note...)
}

// noteFits is how many of the note's first parts fit beside left, two
// spaces apart, in the terminal's width (all of them while it is unknown).
func (m *Model) noteFits(left string, note []string) int {
	if m.width <= 0 {
		return len(note)
	}
	for n := len(note); n > 0; n-- {
		if lipgloss.Width(left)+2+lipgloss.Width(strings.Join(note[:n], " · ")) <= m.width {
			return n
		}
	}
	return 0
}

// storeWarning is the banner's line while the database refuses writes:
// what is shown is live, but it is not being saved.
func (m *Model) storeWarning() []string {
	if m.board.storeErr == "" {
		return nil
	}
	// The salvage command of a damaged file is copied from here: on its
	// own lines, never broken inside a flag or a path.
	head := "⚠ database write failed: "
	if strings.Contains(m.board.storeErr, " is damaged (") || strings.Contains(m.board.storeErr, " cannot be written (") {
		// Refused at open, never written: no write failed (cold2 C11);
		// or a file it may only read (D11).
		head = "⚠ not recording to the database: "
	}
	return wrapCommands(head+m.board.storeErr, m.width, func(s string) string { return m.styles.stale.Render(s) })
}
