package judge

import (
	"slices"
	"sort"
	"strings"
	"time"

	"downforai/probe"
)

// linkGrace is how far apart in time our incident and an official one may
// lie and still be linked: Anthropic often posts after the errors begin,
// and may resolve a while after they end.
const linkGrace = 30 * time.Minute

// Correlate returns the official incident (or maintenance) that overlaps
// ours in time and component: it must name at least one of our incident's
// components, and its span must meet ours, or begin within linkGrace after
// ours ended (Anthropic posting late); one that ended before ours began is
// never it. Of
// several, one that really overlaps beats one within the grace, then the
// one posted closest to our first failure. Only incidents on Anthropic's
// side are linked: one of your side (key, quota, CLI) or of your network
// is about you, whatever Anthropic says. While ours goes on, an official
// incident still open beats one that has ended (cold8 E6): a problem still
// failing is Anthropic's open incident's, not filed inside one marked
// ended while the open one beside it stays unlinked.
func Correlate(l probe.LocalIncident, official []probe.Incident) (probe.Incident, bool) {
	var best probe.Incident
	bestScore, found := 0, false
	var bestDist time.Duration
	for _, in := range official {
		score := linkScore(l, in)
		if score == 0 {
			continue
		}
		if l.Active() && !Ended(in) {
			score += 2 // above any overlap of an ended one
		}
		dist := absDur(in.Start().Sub(l.FirstFailure))
		if !found || score > bestScore || score == bestScore && dist < bestDist {
			best, bestScore, bestDist, found = in, score, dist, true
		}
	}
	return best, found
}

// linkScore is overlap for an official incident that may be ours' at all
// — ours on Anthropic's side, the official one not upcoming and naming
// one of our components — and 0 for any other.
func linkScore(l probe.LocalIncident, in probe.Incident) int {
	// Only a failure on Anthropic's side can be the official incident's:
	// your key, quota or network is never "what Anthropic posted".
	if l.Kind != probe.KindProvider || l.FirstFailure.IsZero() {
		return 0
	}
	if in.Upcoming() || !sharesComponent(in.Components, l.Components()) {
		return 0
	}
	return overlap(l, in)
}

// Ended reports whether an official incident or maintenance is over:
// resolved or completed, or no longer listed by the page.
func Ended(in probe.Incident) bool { return in.Final() || in.Gone() }

// relink is the official incident ours should move to from cur, the one it
// is linked to: an open one on its components once cur has ended while
// ours goes on; ok is false when the link stands.
func relink(l probe.LocalIncident, cur probe.Incident, official []probe.Incident) (probe.Incident, bool) {
	if !l.Active() || !Ended(cur) {
		return probe.Incident{}, false
	}
	in, ok := Correlate(l, official)
	if !ok || Ended(in) || in.ID == cur.ID {
		return probe.Incident{}, false
	}
	return in, true
}

// overlap is 2 when the spans overlap, 1 when Anthropic posted an
// incident (not a maintenance) within linkGrace after our probes
// recovered, 0 otherwise — and always 0 when ours began after the
// official incident ended.
func overlap(l probe.LocalIncident, in probe.Incident) int {
	ls, le := l.FirstFailure, l.End()
	if l.Unobserved {
		le = l.UnprobedFrom // the last we saw of it; its end in the gap is not known
	}
	ostart, oe := in.Start(), in.End()
	if oe.IsZero() && in.Gone() {
		// The page stopped listing it unresolved: it was over by then,
		// an end just like a resolution (cold5 D6).
		oe = in.Unlisted
	}
	meets := func(grace time.Duration) bool {
		if !le.IsZero() && ostart.After(le.Add(grace)) {
			return false
		}
		return true
	}
	switch {
	case ostart.IsZero():
		return 0
	case !oe.IsZero() && ls.After(oe):
		// Ours began after Anthropic resolved theirs: a new failure, not
		// theirs — filing it under the resolved one would say "lasted 40m"
		// and "both" of what no official incident covers. The grace is
		// only for Anthropic posting late, not for linking across an end.
		return 0
	case meets(0):
		return 2
	case meets(linkGrace) && !in.Maintenance():
		// A maintenance is announced for its window: a failure that
		// ended before the window began is not explained by it, and
		// filing it there drew the maintenance from our failure's start.
		return 1
	}
	return 0
}

// beganAfter reports whether ours began after the official incident was
// over (resolved, or no longer listed): it cannot be theirs.
func beganAfter(l probe.LocalIncident, in probe.Incident) bool {
	oe := in.End()
	if oe.IsZero() && in.Gone() {
		oe = in.Unlisted
	}
	return !oe.IsZero() && !l.FirstFailure.IsZero() && l.FirstFailure.After(oe)
}

// outgrown reports whether a stored link of ours to in is one the rules
// no longer make: a maintenance whose window our failures did not touch
// (filed there by the grace meant for incidents posted late), or an
// official incident posted only during the gap of one of ours that ended
// unobserved. Closed incidents are not restored into the detector, so
// nothing else re-checks a link stored before those rules.
func outgrown(l probe.LocalIncident, in probe.Incident) bool {
	if !in.Maintenance() && !l.Unobserved {
		return false
	}
	return overlap(l, in) == 0
}

func sharesComponent(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// Unacknowledged reports whether our open provider-side incident has no
// official incident or maintenance in progress covering its components in
// st. It is false when st is nil: without the page we cannot tell.
func Unacknowledged(l probe.LocalIncident, st *probe.Status) bool {
	if !l.Active() || l.Kind != probe.KindProvider || st == nil {
		return false
	}
	comps := l.Components()
	if len(comps) == 0 {
		return false
	}
	for _, in := range st.Incidents {
		if !in.Final() && sharesComponent(in.Components, comps) {
			return false
		}
	}
	for _, in := range st.Maintenances {
		if (in.Status == "in_progress" || in.Status == "verifying") && sharesComponent(in.Components, comps) {
			return false
		}
	}
	return true
}

// TimelineEntry is one row of the incident timeline: an official incident
// with the incidents of ours linked to it, or one of ours alone.
type TimelineEntry struct {
	Official *probe.Incident       // nil for ours alone
	Local    []probe.LocalIncident // ours, earliest first
	// Gone is set when the page stopped listing the official incident
	// while it was open, without a resolved_at: its end is a range.
	Gone *Unlisted
	// Also are the other official incidents Local overlapped on one of
	// their components (one that ended as another began, say), newest
	// start first: an incident of ours is linked to one, and the others
	// are said beside it, never left out.
	Also []probe.Incident
	// Elsewhere are the incidents of ours that overlapped Official on one
	// of its components but are listed under another official incident
	// (Under): the entry then says where they are, not "our probes saw
	// no incident".
	Elsewhere []Elsewhere
}

// Elsewhere is an incident of ours listed under another official incident.
type Elsewhere struct {
	Local probe.LocalIncident
	Under probe.Incident
}

// Unlisted is the end of an official incident the page stopped listing
// without saying it ended: some time after After (the last time it was
// known open: its newest update, or the last read that listed it) and no
// later than By (the first read that no longer listed it).
type Unlisted struct{ After, By time.Time }

// Source is "Anthropic", "our probes", "sessions" (Claude Code's own,
// alone) or "both".
func (e TimelineEntry) Source() string {
	switch {
	case e.Official != nil && len(e.Local) > 0:
		return "both"
	case e.Official != nil:
		return "Anthropic"
	}
	for _, l := range e.Local {
		if !FromSessions(l) {
			return "our probes"
		}
	}
	if len(e.Local) > 0 {
		return "sessions"
	}
	return "our probes"
}

// Sessions reports whether Claude Code's sessions saw the entry (one of
// its incidents of ours is theirs).
func (e TimelineEntry) Sessions() bool {
	for _, l := range e.Local {
		if FromSessions(l) {
			return true
		}
	}
	return false
}

// Title is the official name, else our first incident's title.
func (e TimelineEntry) Title() string {
	if e.Official != nil && e.Official.Name != "" {
		return e.Official.Name
	}
	if len(e.Local) > 0 {
		return e.Local[0].Title()
	}
	if e.Official != nil {
		return e.Official.ID
	}
	return ""
}

// Start is the earliest of the official start and our first failure.
func (e TimelineEntry) Start() time.Time {
	var t time.Time
	if e.Official != nil {
		t = e.Official.Start()
	}
	for _, l := range e.Local {
		if t.IsZero() || l.FirstFailure.Before(t) {
			t = l.FirstFailure
		}
	}
	return t
}

// Active reports whether any side is still going: an open official incident
// or maintenance in progress, or an open incident of ours. Upcoming
// maintenance is not active.
func (e TimelineEntry) Active() bool {
	if e.Official != nil && !e.Official.Final() && !e.Official.Upcoming() && !e.Official.Gone() {
		return true
	}
	for _, l := range e.Local {
		if l.Active() {
			return true
		}
	}
	return false
}

// End is the latest end of both sides, zero while active.
func (e TimelineEntry) End() time.Time {
	if e.Active() {
		return time.Time{}
	}
	var t time.Time
	if e.Official != nil {
		t = e.Official.End()
		if e.Official.Upcoming() {
			t = e.Official.ScheduledUntil
		}
		if e.Gone != nil {
			t = e.Gone.By // over by then; when exactly is not known
		}
	}
	for _, l := range e.Local {
		end := l.End()
		if e.Official != nil && l.Unobserved && !l.UnprobedFrom.IsZero() {
			// Ours ended somewhere in a gap of not probing: the last we saw
			// of it, not the restart that closed it ("ended <1m ago" of an
			// incident Anthropic resolved minutes before — cold walk of Dec 7).
			end = l.UnprobedFrom
		}
		if end.After(t) {
			t = end
		}
	}
	return t
}

// Components are the component ids of both sides, official first.
func (e TimelineEntry) Components() []string {
	var ids []string
	seen := map[string]bool{}
	add := func(list []string) {
		for _, id := range list {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if e.Official != nil {
		add(e.Official.Components)
	}
	for _, l := range e.Local {
		add(l.Components())
	}
	return ids
}

// Timeline puts official incidents and ours on one list, newest start
// first. Each of ours joins the official incident it is linked to (its
// OfficialID, else Correlate); incidents merged into a network-wide one
// are left out.
func Timeline(official []probe.Incident, local []probe.LocalIncident) []TimelineEntry {
	byID := map[string]int{}
	entries := make([]TimelineEntry, 0, len(official)+len(local))
	for i := range official {
		in := official[i]
		if _, dup := byID[in.ID]; dup || in.ID == "" {
			continue
		}
		byID[in.ID] = len(entries)
		entries = append(entries, TimelineEntry{Official: &in})
	}
	sorted := append([]probe.LocalIncident(nil), local...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].FirstFailure.Before(sorted[j].FirstFailure) })
	for _, l := range sorted {
		if l.MergedInto != "" {
			continue
		}
		id := l.OfficialID
		if i, ok := byID[id]; ok && id != "" && (beganAfter(l, *entries[i].Official) || outgrown(l, *entries[i].Official)) {
			id = "" // linked before we knew it had ended (cold5 D6), or by a rule since mended
		} else if ok && id != "" {
			if in, moved := relink(l, *entries[i].Official, official); moved {
				id = in.ID // it ended, ours goes on, another is open (cold8 E6)
			}
		}
		if id == "" {
			if in, ok := Correlate(l, official); ok {
				id = in.ID
			}
		}
		if i, ok := byID[id]; ok && id != "" {
			entries[i].Local = append(entries[i].Local, l)
			continue
		}
		entries = append(entries, TimelineEntry{Local: []probe.LocalIncident{l}})
	}
	besides(entries)
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i].Start(), entries[j].Start()
		if !a.Equal(b) {
			return a.After(b)
		}
		return entries[i].Title() < entries[j].Title()
	})
	return entries
}

// besides fills each entry's Also and Elsewhere: every official incident
// an incident of ours overlapped on one of its components, other than the
// one it is listed under, is said on both sides.
func besides(entries []TimelineEntry) {
	for i := range entries {
		for _, l := range entries[i].Local {
			for j := range entries {
				in := entries[j].Official
				if j == i || in == nil || linkScore(l, *in) < 2 {
					continue
				}
				if !slices.ContainsFunc(entries[i].Also, func(o probe.Incident) bool { return o.ID == in.ID }) {
					entries[i].Also = append(entries[i].Also, *in)
				}
				under := probe.Incident{}
				if entries[i].Official != nil {
					under = *entries[i].Official
				}
				entries[j].Elsewhere = append(entries[j].Elsewhere, Elsewhere{Local: l, Under: under})
			}
		}
		slices.SortStableFunc(entries[i].Also, func(a, b probe.Incident) int { return b.Start().Compare(a.Start()) })
	}
}

// Matches reports whether the entry's titles contain q, ignoring case.
func (e TimelineEntry) Matches(q string) bool {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return true
	}
	if e.Official != nil && strings.Contains(strings.ToLower(e.Official.Name), q) {
		return true
	}
	for _, l := range e.Local {
		if strings.Contains(strings.ToLower(l.Title()), q) {
			return true
		}
	}
	return false
}
