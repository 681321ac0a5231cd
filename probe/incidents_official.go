package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// DefaultIncidentsEvery is how often the status check reads incidents.json
// and the maintenance lists when summary.json's open incidents stay the same.
// A change in them (a new incident, one that resolved and dropped out) makes
// the next round read them at once.
const DefaultIncidentsEvery = 5 * time.Minute

// The Statuspage lists read next to summary.json.
const (
	incidentsPath = "/api/v2/incidents.json"
	upcomingPath  = "/api/v2/scheduled-maintenances/upcoming.json"
	activePath    = "/api/v2/scheduled-maintenances/active.json"
)

// Final reports whether the incident or maintenance is over.
func (in Incident) Final() bool { return finalStatus(in.Status) }

func finalStatus(s string) bool {
	switch s {
	case "resolved", "postmortem", "completed":
		return true
	}
	return false
}

// Said is Anthropic's newest word on it: of its updates that carry a
// status, the newest (on equal or missing times, the first: the lists
// are served newest first).
func (in Incident) Said() (IncidentUpdate, bool) {
	var best IncidentUpdate
	found := false
	for _, u := range in.Updates {
		if u.Status != "" && (!found || u.At.After(best.At)) {
			best, found = u, true
		}
	}
	return best, found
}

// SaidOver is its newest update when that update says it is over
// (resolved, completed) while the incident is not: a read of summary.json
// listed it open after that update (Seen) — the page re-opened it, or
// still listed it from a copy made before. Both are facts, said side by
// side: never "Anthropic has not resolved it yet".
func (in Incident) SaidOver() (IncidentUpdate, bool) {
	if in.Final() {
		return IncidentUpdate{}, false
	}
	if u, ok := in.Said(); ok && finalStatus(u.Status) {
		return u, true
	}
	return IncidentUpdate{}, false
}

// adoptSaid makes the status its newest update's when the status lags it:
// the update is Anthropic's word. One that says it is over ends it
// ("monitoring", with incident_updates[0] "resolved"; resolved_at null) —
// unless a read of summary.json listed it open after that update (Seen):
// that read is newer, and SaidOver says both. One that says it is open,
// posted after the resolution, re-opens it.
func (in *Incident) adoptSaid() {
	u, ok := in.Said()
	if !ok || u.Status == in.Status {
		return
	}
	switch {
	case !in.Final() && finalStatus(u.Status):
		if !in.Seen.IsZero() && (u.At.IsZero() || in.Seen.After(u.At)) {
			return
		}
		in.Status = u.Status
	case in.Final() && !finalStatus(u.Status):
		resolved := in.ResolvedAt
		for _, x := range in.Updates {
			if finalStatus(x.Status) && x.At.After(resolved) {
				resolved = x.At
			}
		}
		if !resolved.IsZero() && u.At.After(resolved) {
			in.Status, in.ResolvedAt = u.Status, time.Time{}
		}
	}
}

// Maintenance reports whether it is a scheduled maintenance.
func (in Incident) Maintenance() bool {
	return in.Impact == "maintenance" || !in.ScheduledFor.IsZero()
}

// Upcoming reports whether it is a maintenance that has not begun.
func (in Incident) Upcoming() bool { return in.Maintenance() && in.Status == "scheduled" }

// Start is when it began: started_at, else created_at, else the oldest
// update; for a maintenance that has not begun, its window's start.
func (in Incident) Start() time.Time {
	if in.Upcoming() && !in.ScheduledFor.IsZero() {
		return in.ScheduledFor
	}
	for _, t := range []time.Time{in.StartedAt, in.CreatedAt, in.ScheduledFor} {
		if !t.IsZero() {
			return t
		}
	}
	if n := len(in.Updates); n > 0 {
		return in.Updates[n-1].At
	}
	return time.Time{}
}

// Posted is when Anthropic first said so: created_at, else the oldest
// update's time; zero when the copy has neither. Never started_at: that
// is when Anthropic dates the start, which it may set back, not when it
// posted anything (FirstRead is when we first read it).
func (in Incident) Posted() time.Time {
	if !in.CreatedAt.IsZero() {
		return in.CreatedAt
	}
	var oldest time.Time
	for _, u := range in.Updates {
		if !u.At.IsZero() && (oldest.IsZero() || u.At.Before(oldest)) {
			oldest = u.At
		}
	}
	return oldest
}

// End is when it was resolved (or completed), zero while it is not over.
// A final incident without resolved_at ends at its newest update that
// says so (resolved_at lags it, or is null).
func (in Incident) End() time.Time {
	if !in.Final() {
		return time.Time{}
	}
	if !in.ResolvedAt.IsZero() {
		return in.ResolvedAt
	}
	if u, ok := in.Said(); ok && finalStatus(u.Status) && !u.At.IsZero() {
		return u.At
	}
	if len(in.Updates) > 0 && !in.Updates[0].At.IsZero() {
		return in.Updates[0].At
	}
	return in.UpdatedAt
}

// MergeIncident folds a newer reading of an incident into a stored one:
// the copy updated last wins field by field, a field it lacks is kept
// from the other, and updates and components are the union of both (a
// summary may carry fewer updates than incidents.json).
//
// The newest read wins when the two disagree on whether it is over: a
// page that lists a resolved incident open again (Seen newer than the
// copy that said resolved) has re-opened it, whatever its timestamps say.
func MergeIncident(old, cur Incident) Incident {
	base, other := cur, old
	switch {
	case old.Final() != cur.Final() && !old.Seen.IsZero() && !cur.Seen.IsZero() && !old.Seen.Equal(cur.Seen):
		if old.Seen.After(cur.Seen) {
			base, other = old, cur
		}
	case old.Final() != cur.Final() && old.Final() && !cur.Final() && cur.Seen.After(old.End()) && !old.End().IsZero():
		// Listed open by a read after the time it was resolved: re-opened.
	case old.UpdatedAt.After(cur.UpdatedAt):
		base, other = old, cur
	}
	out := base
	fillS := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fillT := func(dst *time.Time, src time.Time) {
		if dst.IsZero() {
			*dst = src
		}
	}
	fillS(&out.Name, other.Name)
	fillS(&out.Status, other.Status)
	fillS(&out.Impact, other.Impact)
	fillS(&out.Shortlink, other.Shortlink)
	fillT(&out.CreatedAt, other.CreatedAt)
	fillT(&out.StartedAt, other.StartedAt)
	fillT(&out.UpdatedAt, other.UpdatedAt)
	fillT(&out.ScheduledFor, other.ScheduledFor)
	fillT(&out.ScheduledUntil, other.ScheduledUntil)
	out.Seen = later(base.Seen, other.Seen)
	out.Unlisted = earliest(base.Unlisted, other.Unlisted)
	out.FirstRead = earliest(base.FirstRead, other.FirstRead)
	// The read before the first that listed it goes with that first read.
	out.NotListed = time.Time{}
	for _, c := range []Incident{base, other} {
		if !c.NotListed.IsZero() && c.NotListed.Before(out.FirstRead) {
			out.NotListed = later(out.NotListed, c.NotListed)
		}
	}
	if !out.Unlisted.After(out.Seen) {
		out.Unlisted = time.Time{} // listed again since
	}

	out.Components = nil
	seen := map[string]bool{}
	for _, list := range [][]string{base.Components, other.Components} {
		for _, c := range list {
			if !seen[c] {
				seen[c] = true
				out.Components = append(out.Components, c)
			}
		}
	}
	out.Updates = nil
	key := func(u IncidentUpdate) string {
		if u.ID != "" {
			return u.ID
		}
		return u.At.UTC().Format(time.RFC3339Nano) + "|" + u.Status + "|" + u.Body
	}
	seenU := map[string]bool{}
	for _, list := range [][]IncidentUpdate{base.Updates, other.Updates} {
		for _, u := range list {
			if k := key(u); !seenU[k] {
				seenU[k] = true
				out.Updates = append(out.Updates, u)
			}
		}
	}
	sort.SliceStable(out.Updates, func(i, j int) bool { return out.Updates[i].At.After(out.Updates[j].At) })
	// The union's newest update may say it is over when the copy that won
	// lags it (a cached summary.json read before incidents.json's
	// resolution): the update is Anthropic's word, unless a read listed it
	// open after it.
	out.adoptSaid()
	if out.Final() {
		fillT(&out.ResolvedAt, other.ResolvedAt)
	} else {
		out.ResolvedAt = time.Time{} // re-opened: the old resolution is no end
	}
	return out
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// earliest is the earlier of two times, ignoring a zero one.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}

// ParseIncidentList decodes a Statuspage list — incidents.json,
// incidents/unresolved.json or scheduled-maintenances/*.json — as leniently
// as ParseSummary: one odd element is dropped, not the list. It fails only
// when the body is not such a list at all (HTML, not JSON, no array).
func ParseIncidentList(body []byte) ([]Incident, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if looksHTML(trimmed) {
		return nil, htmlError(trimmed)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &top); err != nil {
		var v any
		if json.Unmarshal(trimmed, &v) == nil {
			return nil, fmt.Errorf("%w (not an object)", ErrWrongShape)
		}
		return nil, ErrNotJSON
	}
	raw, ok := top["incidents"]
	if !ok {
		raw, ok = top["scheduled_maintenances"]
	}
	if !ok {
		return nil, fmt.Errorf("%w (no incidents or scheduled_maintenances array)", ErrWrongShape)
	}
	var list jList[rawIncident]
	_ = json.Unmarshal(raw, &list)
	if list.null {
		return nil, fmt.Errorf("%w (incidents is not an array)", ErrWrongShape)
	}
	out := make([]Incident, 0, len(list.items))
	for _, r := range list.items {
		in := r.incident()
		if in.ID == "" {
			continue // cannot be stored or updated in place
		}
		out = append(out, in)
	}
	return out, nil
}

// officialState is what the status prober remembers between rounds about
// the incident lists.
type officialState struct {
	last  time.Time             // when the lists were last read
	sig   string                // summary's open incidents when they were
	etags map[string]string     // per path
	lists map[string][]Incident // per path, from the last 200
	reads map[string]time.Time  // per path, when that 200 was read
	feed  string                // why incidents.json failed last time, "" if it was read
	// open are the incidents and maintenances the last summary listed,
	// by id: one the next summary leaves out unresolved is Unlisted.
	open map[string]Incident
}

// ProbeOfficial returns every official incident and maintenance known this
// round: st's own (summary.json's unresolved incidents and maintenances),
// plus incidents.json and the upcoming and active maintenance lists when
// they are due — at most every IncidentsEvery, or at once when summary's
// open incidents changed. The lists are read with If-None-Match. A list
// that fails to load is skipped this round and keeps its last good copy;
// it never changes the status check's Result. It returns nil when st is nil.
func (p *StatusProber) ProbeOfficial(ctx context.Context, st *Status) []Incident {
	if st == nil {
		return nil
	}
	every := p.IncidentsEvery
	if every <= 0 {
		every = DefaultIncidentsEvery
	}
	sig := openSignature(st)
	now := time.Now()

	p.mu.Lock()
	o := &p.official
	due := o.last.IsZero() || now.Sub(o.last) >= every || sig != o.sig
	p.mu.Unlock()

	var out []Incident
	out = append(out, st.Incidents...)
	out = append(out, st.Maintenances...)
	if !due {
		p.mu.Lock()
		st.FeedErr = o.feed
		gone := p.unlisted(st, nil)
		p.mu.Unlock()
		return append(out, gone...)
	}
	allOK := true
	feed := ""
	// The three lists at once: read one after another they were three
	// round trips after summary's, most of a check's wait on the network
	// (issue 11). Each keeps its place in out.
	paths := []string{incidentsPath, upcomingPath, activePath}
	lists, whys := make([][]Incident, len(paths)), make([]string, len(paths))
	var wg sync.WaitGroup
	for i, path := range paths {
		wg.Go(func() { lists[i], whys[i] = p.fetchList(ctx, path) })
	}
	wg.Wait()
	for i, path := range paths {
		if whys[i] != "" {
			allOK = false
			if path == incidentsPath {
				feed = "incidents.json " + whys[i]
			}
			continue
		}
		out = append(out, lists[i]...)
	}
	p.mu.Lock()
	o.last = now
	o.feed = feed
	if allOK {
		o.sig = sig
	}
	out = append(out, p.unlisted(st, out)...)
	p.mu.Unlock()
	st.FeedErr = feed
	return dedupeIncidents(out)
}

// unlisted returns, for each incident or maintenance the previous summary
// listed and st no longer does, a copy marked Unlisted at st.Fetched —
// unless read (this round's lists) has it over: the page said how it
// ended. It then remembers st's as the listed ones. p.mu is held.
func (p *StatusProber) unlisted(st *Status, read []Incident) []Incident {
	now := map[string]Incident{}
	for _, list := range [][]Incident{st.Incidents, st.Maintenances} {
		for _, in := range list {
			if in.ID != "" {
				now[in.ID] = in
			}
		}
	}
	over := map[string]bool{}
	for _, in := range read {
		if in.Final() {
			over[in.ID] = true
		}
	}
	var gone []Incident
	for id, in := range p.official.open {
		if _, still := now[id]; still || over[id] || in.Final() {
			continue
		}
		in.Unlisted = st.Fetched
		gone = append(gone, in)
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i].ID < gone[j].ID })
	p.official.open = now
	return gone
}

// fetchList reads one list, answering a 304 from the cached copy. It says
// why it could not, "" when it could.
func (p *StatusProber) fetchList(ctx context.Context, path string) ([]Incident, string) {
	ctx, cancel, _ := probeContext(ctx, p.Timeout)
	defer cancel()
	p.mu.Lock()
	etag, cached := p.official.etags[path], p.official.lists[path]
	p.mu.Unlock()
	h := http.Header{"Accept": {"application/json"}}
	if etag != "" && cached != nil {
		h.Set("If-None-Match", etag)
	}
	r := p.HTTP.Get(ctx, strings.TrimRight(p.BaseURL, "/")+path, h)
	switch {
	case r.Err != nil:
		_, _, msg := ClassifyTransportError(r.Err, hostOf(p.BaseURL), p.Timeout)
		return nil, "failed: " + msg
	case r.Status == http.StatusNotModified && cached != nil:
		p.mu.Lock()
		if _, ok := p.official.reads[path]; ok {
			p.official.reads[path] = time.Now() // the page still lists just these
		}
		p.mu.Unlock()
		return cached, ""
	case r.Status != http.StatusOK:
		return nil, "answered " + StatusText(r.Status)
	case r.Truncated:
		return nil, "answered more than 1 MiB"
	}
	list, err := ParseIncidentList(r.Body)
	if err != nil {
		return nil, "answered " + err.Error()
	}
	now := time.Now()
	stampFirstRead(list, now)
	p.mu.Lock()
	defer p.mu.Unlock()
	// A list read before this one that did not have an incident bounds
	// when the page began to list it, as a summary read does: one posted
	// and resolved between two summary reads is known from the lists alone.
	if prevAt, ok := p.official.reads[path]; ok {
		stampNotListed(list, p.official.lists[path], prevAt)
	}
	if p.official.etags == nil {
		p.official.etags = map[string]string{}
		p.official.lists = map[string][]Incident{}
		p.official.reads = map[string]time.Time{}
	}
	p.official.etags[path], p.official.lists[path], p.official.reads[path] = r.Header.Get("ETag"), list, now
	return list, ""
}

// openSignature identifies summary's open incidents and maintenances with
// their status, so a change is noticed.
func openSignature(st *Status) string {
	var b strings.Builder
	for _, list := range [][]Incident{st.Incidents, st.Maintenances} {
		for _, in := range list {
			b.WriteString(in.ID + "=" + in.Status + ";")
		}
		b.WriteString("|")
	}
	return b.String()
}

// dedupeIncidents merges incidents that appear in several lists.
func dedupeIncidents(ins []Incident) []Incident {
	idx := map[string]int{}
	out := ins[:0:0]
	for _, in := range ins {
		if i, ok := idx[in.ID]; ok {
			out[i] = MergeIncident(out[i], in)
			continue
		}
		idx[in.ID] = len(out)
		out = append(out, in)
	}
	return out
}
