package ui

// One timeline entry of the Incidents list in words: its badge, status,
// duration, the services it touched.

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
	"downforai/probe/judge"
)

func (t incidentsTab) entryLines(e judge.TimelineEntry, selected bool) []string {
	st, now := t.st, t.b.now
	word, tn := badge(e)
	mark := "  "
	if selected {
		mark = st.heading.Render("› ")
	}
	b := st.strong[tn].Render(fit(word, incColBadge))
	title := probe.Line(e.Title(), 0)
	status := t.rowStatus(e)
	services := t.services(e)
	start := clock(now, e.Start())
	dur := t.rowDuration(e)
	source := t.rowSource(e)
	if t.wide() {
		titleCell := fit(title, t.titleWidth())
		if selected {
			titleCell = st.selected.Render(titleCell)
		} else {
			titleCell = st.text.Render(titleCell)
		}
		return []string{mark + strings.Join([]string{
			b, titleCell, fit(status, t.statusWidth()), fit(services, incColServices),
			fit(start, incColStart), fit(dur, incColDuration), fit(source, t.sourceWidth())}, " ")}
	}
	titleCell := fit(title, max(t.w-2-incColBadge-1, 1))
	if selected {
		titleCell = st.selected.Render(titleCell)
	} else {
		titleCell = st.text.Render(titleCell)
	}
	facts := factsLine(max(t.w-len(incTextIndent), 1), status, services, start, dur, source)
	return []string{
		mark + b + " " + titleCell,
		incTextIndent + st.muted.Render(fit(facts, max(t.w-len(incTextIndent), 1))),
	}
}

// factsLine is the narrow list's second line: the parts joined by " · ",
// fitted to w by dropping whole parts — the start first (the duration says
// when), then the services, then the duration — never cutting one
// mid-word ("lasted 1h 35m · An…"); what is left still too wide is cut
// at a word.
func factsLine(w int, status, services, start, dur, source string) string {
	parts := []string{status, services, start, dur, source}
	join := func() string {
		var keep []string
		for _, p := range parts {
			if p != "" {
				keep = append(keep, p)
			}
		}
		return strings.Join(keep, " · ")
	}
	s := join()
	for _, i := range []int{2, 1, 3} {
		if ansi.StringWidth(s) <= w {
			break
		}
		parts[i] = ""
		s = join()
	}
	return probe.CutWords(s, w)
}

// badge is the severity word: the official impact, or who alone saw it —
// OUR PROBES (or SESSIONS, Claude Code's own calls), as the source column
// says. Not "LOCAL": a first-time user reads that as "your side", the
// opposite of most incidents our probes open (cold F5).
func badge(e judge.TimelineEntry) (string, tone) {
	if e.Official == nil {
		if e.Source() == "sessions" {
			return "SESSIONS", toneLocal
		}
		return "OUR PROBES", toneLocal
	}
	switch e.Official.Impact {
	case "critical":
		return "CRITICAL", toneBad
	case "major":
		return "MAJOR", toneBad
	case "maintenance":
		return "MAINTENANCE", toneInfo
	}
	if e.Official.Maintenance() {
		return "MAINTENANCE", toneInfo
	}
	return "MINOR", toneWarn
}

// entryStatus is the official status in words, else ours; both when
// Anthropic has closed an incident that our probes still see.
func entryStatus(e judge.TimelineEntry) string {
	if e.Gone != nil {
		// The book marked it over; the page never said "resolved".
		s := "no longer listed by Anthropic"
		if e.Official.Upcoming() {
			// It may have been cancelled, or moved: it is not "scheduled".
			s += " (was scheduled)"
		}
		if oursOutlasts(e) {
			s += " · ours still failing"
		}
		return s
	}
	if oursOutlasts(e) {
		return probe.StatusWord(e.Official.Status) + " · ours still failing"
	}
	if e.Official != nil && e.Official.Status != "" {
		return probe.StatusWord(e.Official.Status)
	}
	for _, l := range e.Local {
		if l.Active() {
			return "failing"
		}
	}
	// The one that ended last says how: "recovered" only when its probes
	// answered; one whose failures turned into another kind (the API went
	// from 529 to unreachable) never recovered (cold F6).
	var last probe.LocalIncident
	for _, l := range e.Local {
		if last.ID == "" || l.End().After(last.End()) {
			last = l
		}
	}
	if w := last.BecameWords(); w != "" {
		return "became " + w
	}
	if last.Unobserved {
		return "end not seen (not probed)"
	}
	return "recovered"
}

// oursOutlasts reports whether the official incident is over while one of
// ours is still open: the entry is then active, but "ongoing" would
// contradict the official status beside it.
func oursOutlasts(e judge.TimelineEntry) bool {
	if e.Official == nil || !e.Official.Final() && !e.Official.Gone() {
		return false
	}
	for _, l := range e.Local {
		if l.Active() {
			return true
		}
	}
	return false
}

// duration is "ongoing 25m", "6d ago, lasted 42m", or for an upcoming
// maintenance "in 23h, for 1h". When ours outlasts the official incident,
// it is the official part's ("10m ago, lasted 35m"): the status says that
// ours goes on.
func duration(e judge.TimelineEntry, now time.Time) string {
	s, endedAgo := durationParts(e, now)
	if endedAgo != "" {
		return endedAgo + ", " + s
	}
	return s
}

// detailDuration is duration for the detail's "Duration" field, where
// "11m ago, lasted 42m" read as a duration of 11 minutes: the length
// leads there ("lasted 42m, ended 11m ago").
func detailDuration(e judge.TimelineEntry, now time.Time) string {
	s, endedAgo := durationParts(e, now)
	if g := e.Gone; g != nil && e.Official != nil && !e.Official.Upcoming() && len(e.Local) > 0 && e.End().After(g.By) && !oursOutlasts(e) {
		// Ours ended after the official one left the page unresolved:
		// "lasted 13m, ended 6m ago" was ours, beside a note that
		// Anthropic's ended minutes before — two ends, each said as
		// whose it is.
		s = "Anthropic's ended " + clock(now, g.After) + "–" + clock(now, g.By) + " (no resolution time); ours " + s
	}
	if len(e.Local) == 1 {
		if u := unprobed(e.Local[0]); u != "" {
			s += " (" + u + " not probed)"
		}
	}
	if endedAgo != "" {
		return s + ", " + endedAgo
	}
	return s
}

// durationParts is duration's text; for an ended entry it is the length
// ("lasted 42m") and, apart, how long ago it ended ("11m ago").
func durationParts(e judge.TimelineEntry, now time.Time) (text, endedAgo string) {
	start := e.Start()
	if g := e.Gone; g != nil && e.Official.Upcoming() {
		// Gone from the page before it began: no "in 23h" (cold5 D2).
		return "was due " + clock(now, start), "" // the detail says when it left
	}
	if e.Official != nil && e.Official.Upcoming() {
		if !start.After(now) {
			// Still "scheduled" on the page, but its time has come (or
			// long gone): never "in 0s".
			if u := e.Official.ScheduledUntil; !u.IsZero() && u.Before(now) {
				return "was due " + clock(now, start) + ", never marked done", ""
			}
			return "due " + ago(now, start) + ", not started", ""
		}
		s := "in " + age(start.Sub(now))
		if u := e.Official.ScheduledUntil; !u.IsZero() {
			s += ", for " + span(u.Sub(start))
		}
		return s, ""
	}
	end := e.End()
	if g := e.Gone; g != nil && (oursOutlasts(e) || !end.After(g.By)) {
		// Dropped from the page without a resolution time: say the range
		// its end lies in, not a length we did not see.
		// The status beside it says "no longer listed"; this fits the
		// Duration column whole.
		return "ended " + clock(now, g.After) + "–" + clock(now, g.By), ""
	}
	if len(e.Local) == 1 && e.Local[0].Unobserved && e.Official == nil {
		// Its end was not seen: the range it lies in, as for an
		// official incident that left the page unresolved.
		l := e.Local[0]
		return "ended " + clock(now, l.UnprobedFrom) + "–" + clock(now, l.UnprobedTo), ""
	}
	switch {
	case oursOutlasts(e):
		// The status says ours goes on; the time is the official part's.
		start, end = e.Official.Start(), e.Official.End()
	case e.Active():
		if d := now.Sub(start); d >= time.Minute {
			return "ongoing " + span(d), "" // changes once a minute
		}
		return "ongoing " + age(now.Sub(start)), ""
	}
	if end.IsZero() {
		return "ended", ""
	}
	return "lasted " + span(end.Sub(start)), "ended " + ago(now, end)
}

// services names the affected services briefly.
func (t incidentsTab) services(e judge.TimelineEntry) string {
	var names []string
	for _, id := range e.Components() {
		names = append(names, componentShort(t.b.status, id))
	}
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, ", ")
}

// componentShort is a component's short name: the watched services by
// their names without the brand ("API", "Code", "claude.ai").
func componentShort(s *probe.Status, id string) string {
	for _, sv := range probe.Services() {
		if sv.ComponentID == id {
			return strings.Trim(strings.TrimPrefix(sv.Name, "Claude "), "()")
		}
	}
	if id == probe.ConsoleComponentID {
		return "Console"
	}
	if c, ok := s.Component(id, ""); ok {
		return probe.Line(c.Name, 30)
	}
	return probe.Line(id, 20)
}

// componentName names a component in full, ours by our service names.
func componentName(s *probe.Status, id string) string {
	for _, sv := range probe.Services() {
		if sv.ComponentID == id {
			return sv.Name
		}
	}
	if c, ok := s.Component(id, ""); ok {
		return probe.Line(c.Name, 60)
	}
	return probe.Line(id, 20)
}
