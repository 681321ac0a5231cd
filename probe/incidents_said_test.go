package probe

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"downforai/probe/fakeupstream"
)

// TestNewestUpdateIsAnthropicsWord (cold10 E6b): the Incidents tab said
// "Anthropic has not resolved it yet" while the incident's newest update
// (incident_updates[0]) said resolved — its resolved_at null, its status
// lagging, or a cached summary.json listing it open beside incidents.json's
// resolution. The newest update is Anthropic's word: a copy that lags it
// is over, ending at that update; a read that listed it open after the
// update keeps it open (the banner reads the same list) and SaidOver says
// the update beside it, in either order of merging. A real re-open posts a
// newer update, and then nothing is over.
func TestNewestUpdateIsAnthropicsWord(t *testing.T) {
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	upd := func(id, st string, m int) IncidentUpdate { return IncidentUpdate{ID: id, Status: st, At: at(m)} }
	feed := Incident{ID: "a", Name: "A", Status: "resolved", Impact: "major", CreatedAt: at(5), StartedAt: at(0), UpdatedAt: at(40),
		Updates: []IncidentUpdate{upd("u2", "resolved", 40), upd("u1", "investigating", 5)}}
	listed := func(seen int, ups ...IncidentUpdate) Incident {
		return Incident{ID: "a", Name: "A", Status: "investigating", Impact: "major", CreatedAt: at(5), StartedAt: at(0), UpdatedAt: at(5),
			Seen: at(seen), Updates: append([]IncidentUpdate{}, ups...)}
	}
	for _, tc := range []struct {
		name     string
		a, b     Incident
		final    bool
		end      time.Time // when final
		saidOver bool      // when open: the newest update said over
	}{
		{"a cached summary read after the resolution", feed, listed(41, upd("u1", "investigating", 5)), false, time.Time{}, true},
		{"a summary read before the resolution", feed, listed(39, upd("u1", "investigating", 5)), true, at(40), false},
		{"re-opened by a newer update", feed, listed(51, upd("u3", "identified", 50), upd("u1", "investigating", 5)), false, time.Time{}, false},
	} {
		for i, m := range []Incident{MergeIncident(tc.a, tc.b), MergeIncident(tc.b, tc.a)} {
			u, said := m.SaidOver()
			switch {
			case !m.Final() && !said && tc.final:
				t.Errorf("%s, order %d: open (%q), newest update %+v", tc.name, i, m.Status, m.Updates[0])
			case m.Final() && !m.End().Equal(tc.end) && tc.final:
				t.Errorf("%s, order %d: ended %v, want the resolution's update %v", tc.name, i, m.End(), tc.end)
			case !m.Final() && said != tc.saidOver:
				t.Errorf("%s, order %d: open, SaidOver %v %+v, want %v", tc.name, i, said, u, tc.saidOver)
			case !m.Final() && said && (u.Status != "resolved" || !u.At.Equal(at(40))):
				t.Errorf("%s, order %d: SaidOver %+v, want resolved at %v", tc.name, i, u, at(40))
			case !tc.final && tc.saidOver == false && m.Final():
				t.Errorf("%s, order %d: re-opened incident %q", tc.name, i, m.Status)
			}
			if !m.Final() && !m.ResolvedAt.IsZero() {
				t.Errorf("%s, order %d: open with resolved_at %v", tc.name, i, m.ResolvedAt)
			}
		}
	}

	// One copy alone, as incidents.json served it: its status lags its
	// own newest update, resolved_at null.
	body := `{"page":{"id":"tymt9n04zgry"},"incidents":[{"id":"lag1","name":"Elevated errors","status":"monitoring","impact":"minor",
	 "created_at":"2026-09-03T13:05:00.000Z","started_at":"2026-09-03T13:00:00.000Z","updated_at":"2026-09-03T13:35:00.000Z","resolved_at":null,
	 "incident_updates":[
	  {"id":"r","status":"resolved","body":"This incident has been resolved.","created_at":"2026-09-03T13:40:00.000Z","display_at":"2026-09-03T13:40:00.000Z"},
	  {"id":"m","status":"monitoring","body":"A fix has been implemented.","created_at":"2026-09-03T13:35:00.000Z","display_at":"2026-09-03T13:35:00.000Z"}]}]}`
	list, err := ParseIncidentList([]byte(body))
	if err != nil || len(list) != 1 {
		t.Fatalf("parse: %v %v", list, err)
	}
	if in := list[0]; !in.Final() || in.Status != "resolved" || !in.End().Equal(at(40)) {
		t.Errorf("a copy whose newest update says resolved: status %q final %v end %v, want resolved at %v", in.Status, in.Final(), in.End(), at(40))
	}
}

// TestFirstReadIsKept (cold10 E6a): when a copy gives no time it was
// posted, the lead and lag say when we first read it — the first read,
// kept across a 304 of summary.json, a re-read of incidents.json and a
// merge, never the newest.
func TestFirstReadIsKept(t *testing.T) {
	h := fakeupstream.NewHandler(fakeupstream.ModeMajorOutage)
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer h.Close()
	p := NewStatusProber(srv.URL, NewHTTPProber(HTTPOptions{}))
	p.Timeout = 5 * time.Second
	p.IncidentsEvery = time.Nanosecond // every round reads the lists again

	_, st := p.Probe(t.Context())
	if st == nil || len(st.Incidents) == 0 {
		t.Fatal("summary not read")
	}
	first := st.Fetched
	if in := st.Incidents[0]; !in.FirstRead.Equal(first) {
		t.Fatalf("first read %v, want the read %v", in.FirstRead, first)
	}
	stored := map[string]Incident{}
	keep := func(ins []Incident) {
		for _, in := range ins {
			if old, ok := stored[in.ID]; ok {
				in = MergeIncident(old, in)
			}
			stored[in.ID] = in
		}
	}
	keep(p.ProbeOfficial(t.Context(), st))
	listFirst := stored[fakeupstream.OutageIncidentID].FirstRead
	if listFirst.IsZero() || listFirst.After(time.Now()) {
		t.Fatalf("first read %v after the lists", listFirst)
	}
	time.Sleep(2 * time.Millisecond) // a later read has a later clock
	_, st = p.Probe(t.Context())     // a 304, or the same body again
	if st == nil {
		t.Fatal("summary not read again")
	}
	if in := st.Incidents[0]; !in.FirstRead.Equal(first) {
		t.Errorf("the second read says first read %v, want %v", in.FirstRead, first)
	}
	keep(p.ProbeOfficial(t.Context(), st))
	if got := stored[fakeupstream.OutageIncidentID].FirstRead; !got.Equal(listFirst) || got.After(first) && listFirst.Before(first) {
		t.Errorf("stored first read %v, want the first %v", got, listFirst)
	}
}

// TestNotListedBoundsAPostDatedBack (cold walk of Dec 7): an incident whose
// created_at is set back before a read of ours that did not list it was
// not on the page then. The read before the first that lists it is kept
// (NotListed), across a 304 and a merge either way, and Listed says the
// bounds; a post dated inside them keeps its own time.
func TestNotListedBoundsAPostDatedBack(t *testing.T) {
	var body atomic.Value
	body.Store(`{"page":{"id":"tymt9n04zgry"},"status":{"indicator":"none","description":"All Systems Operational"},"components":[],"incidents":[]}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, body.Load())
	}))
	defer srv.Close()
	p := NewStatusProber(srv.URL, NewHTTPProber(HTTPOptions{}))
	p.Timeout = 5 * time.Second
	_, before := p.Probe(t.Context())
	if before == nil {
		t.Fatal("summary not read")
	}
	posted := before.Fetched.Add(-33 * time.Minute).UTC().Format(time.RFC3339)
	body.Store(`{"page":{"id":"tymt9n04zgry"},"status":{"indicator":"major","description":"Major outage"},"components":[],
	 "incidents":[{"id":"back","name":"Elevated errors","status":"investigating","impact":"major","created_at":"` + posted + `","started_at":"` + posted + `","updated_at":"` + posted + `"}]}`)
	time.Sleep(2 * time.Millisecond)
	_, st := p.Probe(t.Context())
	if st == nil || len(st.Incidents) != 1 {
		t.Fatalf("second read: %+v", st)
	}
	in := st.Incidents[0]
	after, by, ok := in.Listed()
	if !ok || !after.Equal(before.Fetched) || !by.Equal(st.Fetched) {
		t.Fatalf("Listed() = %v, %v, %v; want between the read %v and %v", after, by, ok, before.Fetched, st.Fetched)
	}
	time.Sleep(2 * time.Millisecond)
	_, again := p.Probe(t.Context())
	if again == nil || !again.Incidents[0].NotListed.Equal(before.Fetched) {
		t.Errorf("a later read says not listed %v, want %v", again.Incidents[0].NotListed, before.Fetched)
	}
	// A copy read first by another run (no read before it) merged either
	// way keeps the earliest first read, and no bound it does not have.
	earlier := in
	earlier.FirstRead, earlier.NotListed = before.Fetched.Add(-time.Hour), time.Time{}
	for _, m := range []Incident{MergeIncident(earlier, in), MergeIncident(in, earlier)} {
		if _, _, ok := m.Listed(); ok || !m.FirstRead.Equal(earlier.FirstRead) {
			t.Errorf("merged with an earlier first read: first %v not listed %v", m.FirstRead, m.NotListed)
		}
	}
	for _, m := range []Incident{MergeIncident(again.Incidents[0], in), MergeIncident(in, again.Incidents[0])} {
		if _, _, ok := m.Listed(); !ok {
			t.Errorf("merged with its own later read: the bound is lost: %+v", m)
		}
	}
	// Posted between the two reads: created_at holds.
	inside := in
	inside.CreatedAt = after.Add(time.Second)
	if _, _, ok := inside.Listed(); ok {
		t.Error("a post dated between our reads is bounded as though dated back")
	}
}

// TestListsBoundWhenAnIncidentWasListed: an incident posted already
// resolved (dated back, never in summary.json) shows up in incidents.json
// alone. The list read before the one that had it — a 200 or a 304 — bounds
// when the page began to list it, as a summary read does; the first list
// read of a run bounds nothing.
func TestListsBoundWhenAnIncidentWasListed(t *testing.T) {
	summary := `{"page":{"id":"tymt9n04zgry"},"status":{"indicator":"none","description":"All Systems Operational"},"components":[],"incidents":[]}`
	var list atomic.Value
	list.Store(`{"incidents":[]}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v2/incidents.json":
			body := list.Load().(string)
			etag := fmt.Sprintf(`"%d"`, len(body))
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
			fmt.Fprint(w, body)
		case "/api/v2/summary.json":
			fmt.Fprint(w, summary)
		default:
			fmt.Fprint(w, `{"scheduled_maintenances":[]}`)
		}
	}))
	defer srv.Close()
	p := NewStatusProber(srv.URL, NewHTTPProber(HTTPOptions{}))
	p.Timeout, p.IncidentsEvery = 5*time.Second, time.Nanosecond
	round := func() []Incident {
		t.Helper()
		time.Sleep(2 * time.Millisecond) // a later read has a later clock
		_, st := p.Probe(t.Context())
		if st == nil {
			t.Fatal("summary not read")
		}
		return p.ProbeOfficial(t.Context(), st)
	}
	find := func(ins []Incident) (Incident, bool) {
		for _, in := range ins {
			if in.ID == "late" {
				return in, true
			}
		}
		return Incident{}, false
	}
	round()              // 200: none listed
	before := time.Now() // the 304 below is read after this
	round()              // 304: still none
	posted := before.Add(-40 * time.Minute).UTC().Format(time.RFC3339)
	list.Store(`{"incidents":[{"id":"late","name":"Errors on Claude API","status":"resolved","impact":"minor","created_at":"` + posted + `","started_at":"` + posted + `","resolved_at":"` + posted + `","updated_at":"` + posted + `"}]}`)
	in, ok := find(round())
	if !ok {
		t.Fatal("the incident the list has is not returned")
	}
	after, by, ok := in.Listed()
	if !ok || after.Before(before) || !by.Equal(in.FirstRead) || !after.Before(by) {
		t.Fatalf("Listed() = %v, %v, %v; want after the 304 read past %v, by %v", after, by, ok, before, in.FirstRead)
	}
	// Read again (a 304): the same bounds, not a new first read.
	again, _ := find(round())
	if !again.FirstRead.Equal(in.FirstRead) || !again.NotListed.Equal(in.NotListed) {
		t.Errorf("read again: first %v not listed %v, want %v and %v", again.FirstRead, again.NotListed, in.FirstRead, in.NotListed)
	}

	// A run whose first list read has it bounds nothing.
	fresh := NewStatusProber(srv.URL, NewHTTPProber(HTTPOptions{}))
	fresh.Timeout = 5 * time.Second
	_, st := fresh.Probe(t.Context())
	if in, ok := find(fresh.ProbeOfficial(t.Context(), st)); !ok {
		t.Fatal("a fresh run does not read the list")
	} else if _, _, ok := in.Listed(); ok {
		t.Errorf("the first list read of a run bounds it: %+v", in)
	}
}
