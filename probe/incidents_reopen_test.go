package probe

import (
	"net/http/httptest"
	"testing"
	"time"

	"downforai/probe/fakeupstream"
)

// TestMergeIncidentReopened (cold5 D7): the incidents feed marked the
// incident resolved, then a newer read of summary.json lists the same id
// open again — with timestamps older than the resolution, as a page (or
// the fake) may serve them. The newest read wins, in either order: it is
// open, with no resolution time left over.
func TestMergeIncidentReopened(t *testing.T) {
	resolved := Incident{ID: "a", Name: "A", Status: "resolved", Impact: "major",
		StartedAt: t0, UpdatedAt: t0.Add(40 * time.Minute), ResolvedAt: t0.Add(40 * time.Minute),
		Seen:    t0.Add(39 * time.Minute),
		Updates: []IncidentUpdate{{ID: "r", Status: "resolved", At: t0.Add(40 * time.Minute)}, {ID: "u1", Status: "identified", At: t0.Add(25 * time.Minute)}}}
	reopened := Incident{ID: "a", Name: "A", Status: "identified", Impact: "major",
		StartedAt: t0.Add(time.Minute), UpdatedAt: t0.Add(26 * time.Minute),
		Seen:    t0.Add(46 * time.Minute),
		Updates: []IncidentUpdate{{ID: "u1", Status: "identified", At: t0.Add(26 * time.Minute)}}}
	for i, m := range []Incident{MergeIncident(resolved, reopened), MergeIncident(reopened, resolved)} {
		if m.Status != "identified" || m.Final() || !m.ResolvedAt.IsZero() || !m.End().IsZero() {
			t.Errorf("order %d: status %q resolved_at %v end %v, want open again", i, m.Status, m.ResolvedAt, m.End())
		}
		if !m.Seen.Equal(reopened.Seen) {
			t.Errorf("order %d: seen %v, want the newest read %v", i, m.Seen, reopened.Seen)
		}
	}
	// Without a read of it open (a resolved copy from incidents.json
	// only), a summary read after the resolution re-opens it too.
	resolved.Seen = time.Time{}
	if m := MergeIncident(resolved, reopened); m.Final() {
		t.Errorf("a read listing it open after its resolution left it %q", m.Status)
	}
	// And the ordinary resolution still wins over an older open copy.
	open := reopened
	open.Seen = t0.Add(39 * time.Minute)
	resolvedFeed := resolved // from incidents.json: no Seen
	if m := MergeIncident(open, resolvedFeed); !m.Final() {
		t.Errorf("the feed's resolution lost to an older open read: %q", m.Status)
	}
}

// TestMergeIncidentUnlisted: a copy marked Unlisted keeps the first read
// without it; a newer read that lists it again clears it.
func TestMergeIncidentUnlisted(t *testing.T) {
	open := Incident{ID: "m", Status: "in_progress", Impact: "maintenance", StartedAt: t0, UpdatedAt: t0, Seen: t0.Add(10 * time.Minute)}
	gone := open
	gone.Unlisted = t0.Add(10*time.Minute + 6*time.Second)
	m := MergeIncident(open, gone)
	if !m.Gone() || !m.Unlisted.Equal(gone.Unlisted) || !m.Seen.Equal(open.Seen) {
		t.Fatalf("gone copy not kept: %+v", m)
	}
	later := gone
	later.Unlisted = t0.Add(20 * time.Minute)
	if m2 := MergeIncident(m, later); !m2.Unlisted.Equal(gone.Unlisted) {
		t.Errorf("unlisted moved to %v, want the first read without it %v", m2.Unlisted, gone.Unlisted)
	}
	back := open
	back.Seen = t0.Add(30 * time.Minute)
	if m3 := MergeIncident(m, back); m3.Gone() {
		t.Errorf("listed again at %v but still gone: %+v", back.Seen, m3)
	}
}

// TestProbeOfficialMarksUnlisted (cold5 D6, D2): when summary.json stops
// listing a maintenance in progress and an upcoming one without saying
// they ended, ProbeOfficial hands out copies marked Unlisted at that read,
// Seen at the last read that listed them. A resolved incident is not.
func TestProbeOfficialMarksUnlisted(t *testing.T) {
	h := fakeupstream.NewHandler(fakeupstream.ModeMaintenance)
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer h.Close()
	p := NewStatusProber(srv.URL, NewHTTPProber(HTTPOptions{}))
	p.Timeout = 5 * time.Second

	_, st := p.Probe(t.Context())
	if st == nil {
		t.Fatal("summary not read")
	}
	first := st.Fetched
	for _, in := range p.ProbeOfficial(t.Context(), st) {
		if in.Gone() {
			t.Errorf("listed %s marked gone", in.ID)
		}
	}
	for _, in := range st.Maintenances {
		if !in.Seen.Equal(first) {
			t.Errorf("maintenance %s seen %v, want the read %v", in.ID, in.Seen, first)
		}
	}
	h.SetMode(fakeupstream.ModeOperational)
	_, st = p.Probe(t.Context())
	if st == nil {
		t.Fatal("summary not read")
	}
	gone := map[string]Incident{}
	for _, in := range p.ProbeOfficial(t.Context(), st) {
		if in.Gone() {
			gone[in.ID] = in
		}
	}
	for _, id := range []string{fakeupstream.MaintenanceID, "upc0m1ngm41n"} {
		in, ok := gone[id]
		if !ok {
			t.Errorf("%s not marked unlisted; gone: %v", id, gone)
			continue
		}
		if !in.Unlisted.Equal(st.Fetched) || !in.Seen.Equal(first) {
			t.Errorf("%s: seen %v unlisted %v, want %v and %v", id, in.Seen, in.Unlisted, first, st.Fetched)
		}
	}
	if len(gone) != 2 {
		t.Errorf("gone %d, want 2: %v", len(gone), gone)
	}
	// Said once: the next read has nothing new to say.
	_, st = p.Probe(t.Context())
	for _, in := range p.ProbeOfficial(t.Context(), st) {
		if in.Gone() {
			t.Errorf("%s marked gone again", in.ID)
		}
	}

	// An outage resolved in the feed is not "no longer listed".
	h.SetMode(fakeupstream.ModeMajorOutage)
	_, st = p.Probe(t.Context())
	p.ProbeOfficial(t.Context(), st)
	h.SetMode(fakeupstream.ModeOperational)
	_, st = p.Probe(t.Context())
	for _, in := range p.ProbeOfficial(t.Context(), st) {
		if in.ID == fakeupstream.OutageIncidentID && (in.Gone() || !in.Final()) {
			t.Errorf("resolved outage: status %q gone %v", in.Status, in.Gone())
		}
	}
}
