package ui

// An official incident that was open at the status page's last read, while
// that read no longer counts as a current fact (the page unreadable,
// stale, not Claude's): the banner then says it "cannot say whether
// Anthropic has acknowledged it", so the Incidents tab must not show the
// incident as a current fact either — no live-counting "ongoing 45m", no
// "both" (cold F23). It is shown as of that read.

import (
	"time"

	"downforai/probe"
	"downforai/probe/judge"
)

// pageRead is the status page's last good read when it no longer counts.
type pageRead struct {
	at  time.Time // the last good read; zero when none is known
	why string    // "status page unreadable since 01:55 (timed out)"
}

// pageAsOf returns the last read and why it no longer counts; ok is false
// while the page is a current fact.
func pageAsOf(b *board) (pageRead, bool) {
	o := b.verdict.Official
	if o.Drives {
		return pageRead{}, false
	}
	r := pageRead{at: o.Read}
	if r.at.IsZero() && b.status != nil {
		r.at = b.status.Fetched
	}
	switch o.State {
	case probe.OfficialUnreadable:
		r.why = "status page unreadable"
		if !o.Since.IsZero() {
			r.why += " since " + clockMinute(b.now, o.Since)
		}
		if o.Why != "" {
			r.why += " (" + o.Why + ")"
		}
	case probe.OfficialStale:
		if !r.at.IsZero() {
			r.why = "status page not read for " + age(b.now.Sub(r.at))
		} else {
			r.why = "status page not read lately"
		}
	case probe.OfficialForeign:
		r.why = "the page read is " + o.Why
	default:
		r.why = "status page not read yet"
	}
	return r, true
}

// frozen reports whether e's official incident is only known as of a read
// that no longer counts: it was open then, and what became of it since is
// not known. A resolved one is history, known for good.
func frozen(b *board, e judge.TimelineEntry) (pageRead, bool) {
	in := e.Official
	if in == nil || in.Final() || in.Upcoming() || e.Gone != nil {
		return pageRead{}, false
	}
	return pageAsOf(b)
}

// asOfWhen is "as of 13:55" (the last good read), or of its newest update
// when no read is known.
func (r pageRead) when(now time.Time, in probe.Incident) string {
	if r.at.IsZero() {
		return "as of its update " + clockMinute(now, in.UpdatedAt)
	}
	return "as of " + clockMinute(now, r.at)
}

// oursOngoing is how long our still-open incidents in e have run: a fact of
// our own probes, whatever the page.
func oursOngoing(e judge.TimelineEntry, now time.Time) (time.Duration, bool) {
	var first time.Time
	for _, l := range e.Local {
		if l.Active() && (first.IsZero() || l.FirstFailure.Before(first)) {
			first = l.FirstFailure
		}
	}
	return now.Sub(first), !first.IsZero()
}

// rowStatus is the list's status cell: entryStatus, and for a frozen entry
// the read it is known as of.
func (t incidentsTab) rowStatus(e judge.TimelineEntry) string {
	s := entryStatus(e)
	if r, ok := frozen(t.b, e); ok {
		s += " " + r.when(t.b.now, *e.Official)
	}
	return s
}

// rowDuration is the list's duration cell: for a frozen entry the length
// known at the read ("40m at that read"), or ours while ours goes on —
// never a length counting on from a read that no longer counts.
func (t incidentsTab) rowDuration(e judge.TimelineEntry) string {
	now := t.b.now
	r, ok := frozen(t.b, e)
	if !ok {
		return duration(e, now)
	}
	if d, on := oursOngoing(e, now); on {
		return "ours ongoing " + span(d)
	}
	if start := e.Official.Start(); !r.at.IsZero() && !r.at.Before(start) {
		return span(r.at.Sub(start)) + " at that read"
	}
	return "open at the last read"
}

// rowSource is the list's source cell: "both" only while the page counts;
// on a frozen read, ours and the read's time ("ours; official last read
// 13:55").
func (t incidentsTab) rowSource(e judge.TimelineEntry) string {
	r, ok := frozen(t.b, e)
	if !ok {
		return e.Source()
	}
	read := "last read " + clockMinute(t.b.now, r.at)
	if r.at.IsZero() {
		read = "not read lately"
	}
	if len(e.Local) > 0 {
		return "ours; official " + read
	}
	return "Anthropic, " + read
}
