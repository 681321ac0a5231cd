package ui

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"downforai/probe"
	"downforai/probe/judge"
)

// incidentLoad is how many incidents of each kind the snapshot reads.
const incidentLoad = 500

// incidentBook holds every official and local incident the dashboard
// knows, by id. It only grows: what the status page drops stays.
type incidentBook struct {
	official map[string]probe.Incident
	local    map[string]probe.LocalIncident
	// listed and gone are, per official id, the newest read of the page
	// that listed it open and the first that no longer did: an incident
	// dropped without resolved_at ended between them.
	listed, gone map[string]time.Time
}

func (k *incidentBook) init() {
	if k.official == nil {
		k.official = map[string]probe.Incident{}
		k.local = map[string]probe.LocalIncident{}
		k.listed, k.gone = map[string]time.Time{}, map[string]time.Time{}
	}
}

// read notes which open incidents a read of the page lists, and the first
// read that no longer lists one.
func (k *incidentBook) read(st *probe.Status) {
	if st == nil {
		return
	}
	k.init()
	for _, list := range [][]probe.Incident{st.Incidents, st.Maintenances} {
		for _, in := range list {
			if in.ID != "" && st.Fetched.After(k.listed[in.ID]) {
				k.listed[in.ID] = st.Fetched
			}
		}
	}
	for id, in := range k.official {
		// The stored Seen counts as a read that listed it: after a restart
		// the first read without it still bounds its end.
		l := k.listed[id]
		if in.Seen.After(l) {
			l = in.Seen
		}
		if !l.IsZero() && l.Before(st.Fetched) && !in.Final() {
			if g, seen := k.gone[id]; !seen || g.Before(l) {
				k.gone[id] = st.Fetched
			}
		}
	}
}

func (k *incidentBook) putOfficial(ins ...probe.Incident) {
	k.init()
	for _, in := range ins {
		if in.ID == "" {
			continue
		}
		if old, ok := k.official[in.ID]; ok {
			in = probe.MergeIncident(old, in)
		}
		k.official[in.ID] = in
	}
}

// putLocal keeps the copy with the higher Version: events from different
// checks may arrive out of order.
func (k *incidentBook) putLocal(ls ...probe.LocalIncident) {
	k.init()
	for _, l := range ls {
		if old, ok := k.local[l.ID]; ok && old.Version > l.Version {
			continue
		}
		k.local[l.ID] = l
	}
}

// apply takes the incidents an event carries.
func (k *incidentBook) apply(ev probe.Event) {
	if ev.Status != nil {
		k.putOfficial(ev.Status.Incidents...)
		k.putOfficial(ev.Status.Maintenances...)
		k.read(ev.Status)
	}
	k.putOfficial(ev.Official...)
	k.putLocal(ev.LocalIncidents...)
}

// timeline is the book as one list, newest first. st is the latest status
// snapshot: an incident or maintenance stored as open that the page no
// longer lists is shown as over (unlisted reports which, with the range
// its end lies in: Entry.Gone), since a completed maintenance drops out of
// every list this program reads.
func (k *incidentBook) timeline(st *probe.Status) (entries []judge.TimelineEntry, unlisted map[string]bool) {
	listed := map[string]bool{}
	if st != nil {
		for _, list := range [][]probe.Incident{st.Incidents, st.Maintenances} {
			for _, in := range list {
				listed[in.ID] = true
			}
		}
	}
	unlisted = map[string]bool{}
	off := make([]probe.Incident, 0, len(k.official))
	ranges := map[string]*judge.Unlisted{}
	for _, in := range k.official {
		if in.Gone() && (st == nil || !listed[in.ID]) ||
			st != nil && !in.Final() && !listed[in.ID] && !st.Fetched.Before(in.UpdatedAt) && !st.Fetched.Before(in.Seen) &&
				(!in.Upcoming() || !in.Seen.IsZero() || !k.listed[in.ID].IsZero()) {
			// Over (or, scheduled, off the page) without the page saying
			// so: the end is a range, never a resolution time we did not see.
			unlisted[in.ID] = true
			r := k.endRange(in, st)
			ranges[in.ID] = r
			if in.Unlisted.IsZero() || in.Unlisted.Before(r.After) {
				in.Unlisted = r.By
			}
		}
		off = append(off, in)
	}
	sort.Slice(off, func(i, j int) bool { return off[i].ID < off[j].ID }) // deterministic
	loc := make([]probe.LocalIncident, 0, len(k.local))
	for _, l := range k.local {
		loc = append(loc, l)
	}
	entries = judge.Timeline(off, loc)
	for i, e := range entries {
		if e.Official != nil && unlisted[e.Official.ID] {
			entries[i].Gone = ranges[e.Official.ID]
		}
	}
	return entries, unlisted
}

// endRange is when an incident the page dropped while open ended: after
// the last time it was known open (its newest update, or the last read
// that listed it), no later than the first read that no longer listed it
// (else the latest read, all this program knows).
//
// The bounds are reads recorded with the incident (Seen, Unlisted) when
// there are: they survive a restart, so the end never becomes "between
// its start and now" (cold5 D6).
func (k *incidentBook) endRange(in probe.Incident, st *probe.Status) *judge.Unlisted {
	r := judge.Unlisted{After: in.UpdatedAt}
	if st != nil {
		r.By = st.Fetched
	}
	if len(in.Updates) > 0 && in.Updates[0].At.After(r.After) {
		r.After = in.Updates[0].At
	}
	for _, l := range []time.Time{k.listed[in.ID], in.Seen} {
		if l.After(r.After) {
			r.After = l
		}
	}
	for _, g := range []time.Time{k.gone[in.ID], in.Unlisted} {
		if g.After(r.After) && (r.By.IsZero() || g.Before(r.By)) {
			r.By = g
		}
	}
	if r.After.IsZero() {
		r.After = in.Start()
	}
	return &r
}

// unacknowledged are our open incidents no official one covers yet.
func (k *incidentBook) unacknowledged(st *probe.Status) []probe.LocalIncident {
	var out []probe.LocalIncident
	for _, l := range k.local {
		if judge.Unacknowledged(l, st) {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FirstFailure.Before(out[j].FirstFailure) })
	return out
}

// loadIncidents reads the stored incidents into the snapshot.
func loadIncidents(ih probe.IncidentHistory, msg *snapshotMsg) error {
	var errs []error
	off, err := ih.OfficialIncidents(incidentLoad)
	if err != nil {
		errs = append(errs, fmt.Errorf("official incidents: %w", err))
	}
	loc, err := ih.LocalIncidents(incidentLoad)
	if err != nil {
		errs = append(errs, fmt.Errorf("our incidents: %w", err))
	}
	msg.official, msg.local = off, loc
	return errors.Join(errs...)
}

// incidentBanner is the banner's line about incidents of ours Anthropic has
// not acknowledged: it shows on every tab, Live signals first of all.
func (m *Model) incidentBanner() []string {
	b := m.board
	// One verdict per moment: this line only spells out the banner's
	// "not yet acknowledged", never a second opinion beside another one.
	if b.verdict.Kind != probe.VerdictUnacknowledged || !b.verdict.Official.Drives {
		return nil
	}
	un := b.book.unacknowledged(b.status)
	if len(un) == 0 {
		return nil
	}
	var parts []string
	who := map[string]bool{}
	for _, l := range un {
		// The counts are the whole incident's, which the sparklines'
		// last few probes need not show: say what they count, and how
		// fresh the last failure is.
		counted := incidentCount(l)
		who[incidentSource(l)] = true
		if !l.LastFailure.IsZero() {
			counted += ", the last " + ago(b.now, l.LastFailure)
		}
		if u := unprobed(l); u != "" {
			counted += "; " + u + " of it not probed"
		}
		// The time of day with its zone and age, as the verdict's
		// sentences say theirs (cold4 C10: a bare "since 13:19:20").
		if back, ok := b.answeringSince(l); ok {
			// The verdict holds the incident until enough succeed in a
			// row: its failures are past, said so beside the ✔ rows.
			parts = append(parts, fmt.Sprintf("%s failed from %s %s, %s (%s); answering again since %s, recovering",
				serviceLabel(l), clock(b.now, l.FirstFailure), b.zone(), ago(b.now, l.FirstFailure), counted, clock(b.now, back)))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s failing since %s %s, %s (%s)",
			serviceLabel(l), clock(b.now, l.FirstFailure), b.zone(), ago(b.now, l.FirstFailure), counted))
	}
	lead := "Our probes"
	switch {
	case who["your sessions"] && who["our probes"]:
		lead = "Our probes and your Claude Code sessions"
	case who["your sessions"]:
		lead = "Your Claude Code sessions"
	}
	text := symBad + " " + lead + ": " + strings.Join(parts, "; ") + " — not yet acknowledged by Anthropic"
	return wrap(m.styles.strong[toneBad].Render(text), m.width)
}

// answeringSince is when every target of an open incident of ours
// answered again — the first of the successes its newest probes are, of
// the one that answered last — while the newest probe of each succeeds;
// false while any still fails, or has not been probed since.
func (b *board) answeringSince(l probe.LocalIncident) (time.Time, bool) {
	if len(l.Targets) == 0 || l.LastFailure.IsZero() {
		return time.Time{}, false
	}
	var back time.Time
	for _, t := range l.Targets {
		if r, ok := b.latest(t); !ok || !r.Class.Up() || !r.Time.After(l.LastFailure) {
			return time.Time{}, false
		}
		// The start of the run of successes that ends the ring (the
		// incident's LastFailure may be a version behind the probes).
		var first time.Time
		rs := b.results(t)
		for i := len(rs) - 1; i >= 0 && rs[i].Class.Up(); i-- {
			first = rs[i].Time
		}
		if first.After(back) {
			back = first
		}
	}
	return back, true
}

// serviceLabel names what an incident of ours is about, briefly.
func serviceLabel(l probe.LocalIncident) string {
	// A model's canaries failing is that model, not the API (cold4 C10:
	// "Claude API failing since …" while Haiku answered).
	var models []string
	for _, t := range l.Targets {
		if !t.IsModel() {
			models = nil
			break
		}
		models = append(models, t.Label())
	}
	if len(models) > 0 {
		return strings.Join(models, ", ")
	}
	for _, s := range probe.Services() {
		if s.Key == l.Service && l.Service != "" {
			return s.Name
		}
	}
	if len(l.Targets) > 0 {
		return l.Targets[0].Label()
	}
	return "our probes"
}
