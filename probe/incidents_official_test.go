package probe

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"downforai/probe/fakeupstream"
)

var t0 = time.Date(2026, 9, 3, 13, 0, 0, 0, time.UTC)

func TestParseIncidentList(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantIDs string
		wantErr error
	}{
		{"incidents", `{"page":{},"incidents":[{"id":"a","name":"A","status":"resolved","resolved_at":"2026-09-03T14:00:00.000Z"},{"id":"b"}]}`, "a,b", nil},
		{"maintenances", `{"scheduled_maintenances":[{"id":"m","impact":"maintenance","scheduled_for":"2026-09-04T00:00:00Z"}]}`, "m", nil},
		{"odd element dropped", `{"incidents":[{"id":"a"},42,{"id":""},{"id":"c","name":7}]}`, "a,c", nil},
		{"empty", `{"incidents":[]}`, "", nil},
		{"html", `<!DOCTYPE html><title>Just a moment...</title>`, "", ErrHTML},
		{"not json", `{"incidents":`, "", ErrNotJSON},
		{"no list", `{"page":{}}`, "", ErrWrongShape},
		{"null list", `{"incidents":null}`, "", ErrWrongShape},
		{"array", `[]`, "", ErrWrongShape},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseIncidentList([]byte(tt.body))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			var ids []string
			for _, in := range got {
				ids = append(ids, in.ID)
			}
			if strings.Join(ids, ",") != tt.wantIDs {
				t.Errorf("ids %v, want %s", ids, tt.wantIDs)
			}
		})
	}
}

func TestParseIncidentListSanitises(t *testing.T) {
	got, err := ParseIncidentList([]byte(`{"incidents":[{"id":"a\u001b[2J","name":"Bad \u001b]8;;http://evil\u0007name","incident_updates":[{"body":"line\u001b[31m red"}]}]}`))
	if err != nil || len(got) != 1 {
		t.Fatal(got, err)
	}
	for _, s := range []string{got[0].ID, got[0].Name, got[0].Updates[0].Body} {
		if strings.ContainsAny(s, "\x1b\x07") {
			t.Errorf("control characters left in %q", s)
		}
	}
}

func TestMergeIncident(t *testing.T) {
	older := Incident{ID: "a", Name: "A", Status: "identified", Impact: "major", UpdatedAt: t0, StartedAt: t0,
		Components: []string{"x"},
		Updates:    []IncidentUpdate{{ID: "u1", Status: "investigating", At: t0}}}
	newer := Incident{ID: "a", Name: "A", Status: "resolved", UpdatedAt: t0.Add(time.Hour), ResolvedAt: t0.Add(time.Hour),
		Components: []string{"y"},
		Updates:    []IncidentUpdate{{ID: "u3", Status: "resolved", At: t0.Add(time.Hour)}, {ID: "u2", Status: "identified", At: t0.Add(time.Minute)}}}
	for _, m := range []Incident{MergeIncident(older, newer), MergeIncident(newer, older)} {
		if m.Status != "resolved" || !m.ResolvedAt.Equal(t0.Add(time.Hour)) || m.Impact != "major" || !m.StartedAt.Equal(t0) {
			t.Errorf("fields: %+v", m)
		}
		var ids []string
		for _, u := range m.Updates {
			ids = append(ids, u.ID)
		}
		if strings.Join(ids, ",") != "u3,u2,u1" {
			t.Errorf("updates %v, want newest first u3,u2,u1", ids)
		}
		if strings.Join(m.Components, ",") != "y,x" {
			t.Errorf("components %v", m.Components)
		}
	}
}

func TestIncidentSpans(t *testing.T) {
	in := Incident{Status: "resolved", CreatedAt: t0.Add(time.Second), StartedAt: t0, Updates: []IncidentUpdate{{At: t0.Add(time.Hour)}}}
	if !in.Start().Equal(t0) || !in.Posted().Equal(t0.Add(time.Second)) || !in.End().Equal(t0.Add(time.Hour)) {
		t.Errorf("start %v posted %v end %v", in.Start(), in.Posted(), in.End())
	}
	up := Incident{Impact: "maintenance", Status: "scheduled", CreatedAt: t0, StartedAt: t0, ScheduledFor: t0.Add(24 * time.Hour)}
	if !up.Upcoming() || !up.Start().Equal(t0.Add(24*time.Hour)) || !up.End().IsZero() {
		t.Errorf("upcoming start %v end %v", up.Start(), up.End())
	}
}

// TestProbeOfficialAgainstFakeStatusPage reads the fake's incidents.json and
// maintenance lists: an active major incident with two updates, resolved
// incidents with their durations, maintenance in progress and upcoming.
func TestProbeOfficialAgainstFakeStatusPage(t *testing.T) {
	h := fakeupstream.NewHandler(fakeupstream.ModeMajorOutage)
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer h.Close()
	p := NewStatusProber(srv.URL, NewHTTPProber(HTTPOptions{}))
	p.Timeout = 5 * time.Second

	_, st := p.Probe(t.Context())
	if st == nil {
		t.Fatal("summary not read")
	}
	got := p.ProbeOfficial(t.Context(), st)
	byID := map[string]Incident{}
	for _, in := range got {
		byID[in.ID] = in
	}
	major, ok := byID[fakeupstream.OutageIncidentID]
	if !ok || major.Impact != "major" || major.Final() || len(major.Updates) != 2 {
		t.Fatalf("active major incident: %+v", major)
	}
	if major.Updates[0].Status != "identified" || major.Updates[1].Status != "investigating" {
		t.Errorf("updates not newest first: %+v", major.Updates)
	}
	q := byID["q7txxvbsftgq"]
	if !q.Final() || q.End().Sub(q.Start()) != 95*time.Minute {
		t.Errorf("resolved incident lasted %v, want 95m: %+v", q.End().Sub(q.Start()), q)
	}
	if v := byID["vmys9qn874h4"]; v.End().Sub(v.Start()) != 40*time.Minute {
		t.Errorf("second resolved incident lasted %v", v.End().Sub(v.Start()))
	}
	n := h.Requests("/api/v2/incidents.json")
	if n != 1 {
		t.Errorf("incidents.json read %d times, want 1", n)
	}

	// Unchanged summary, not due: the lists are not read again.
	_, st = p.Probe(t.Context())
	p.ProbeOfficial(t.Context(), st)
	if h.Requests("/api/v2/incidents.json") != 1 {
		t.Error("incidents.json read again before it was due")
	}

	// The incident resolves and drops out of summary: read at once, and the
	// resolution comes from incidents.json.
	h.SetMode(fakeupstream.ModeMaintenance)
	_, st = p.Probe(t.Context())
	got = p.ProbeOfficial(t.Context(), st)
	if h.Requests("/api/v2/incidents.json") != 2 {
		t.Errorf("incidents.json not re-read when summary's incidents changed")
	}
	byID = map[string]Incident{}
	for _, in := range got {
		byID[in.ID] = in
	}
	if m := byID[fakeupstream.OutageIncidentID]; !m.Final() || m.ResolvedAt.IsZero() || len(m.Updates) != 3 {
		t.Errorf("resolved incident from incidents.json: %+v", m)
	}
	if m := byID[fakeupstream.MaintenanceID]; m.Status != "in_progress" || m.ScheduledUntil.IsZero() {
		t.Errorf("active maintenance: %+v", m)
	}
	if m := byID["upc0m1ngm41n"]; !m.Upcoming() || m.ScheduledUntil.Sub(m.ScheduledFor) != time.Hour {
		t.Errorf("upcoming maintenance: %+v", m)
	}
	if h.Requests("/api/v2/scheduled-maintenances/upcoming.json") != 2 || h.Requests("/api/v2/scheduled-maintenances/active.json") != 2 {
		t.Errorf("maintenance lists: %v", h.RequestCounts())
	}

	// Due again by time: answered 304 from cache, same content.
	p.IncidentsEvery = time.Nanosecond
	again := p.ProbeOfficial(t.Context(), st)
	if len(again) != len(got) {
		t.Errorf("from the 304 cache: %d incidents, want %d", len(again), len(got))
	}
	if p.ProbeOfficial(t.Context(), nil) != nil {
		t.Error("incidents without a status page")
	}
}

// TestProbeOfficialSaysWhenTheFeedIsMissing: a 404 on incidents.json is
// "feed unavailable", kept on the snapshot until the feed is read again.
func TestProbeOfficialSaysWhenTheFeedIsMissing(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	fake.SetScenario(fakeupstream.Scenario{Status: fakeupstream.StatusNoIncidentsFeed})
	p := NewStatusProber(fake.URL, NewHTTPProber(HTTPOptions{}))
	p.Timeout = 5 * time.Second
	_, st := p.Probe(t.Context())
	if st == nil {
		t.Fatal("summary not read")
	}
	p.ProbeOfficial(t.Context(), st)
	if st.FeedErr != "incidents.json answered 404 Not Found" {
		t.Errorf("FeedErr %q", st.FeedErr)
	}
	// Not due again: the next snapshot still says so.
	_, st2 := p.Probe(t.Context())
	p.ProbeOfficial(t.Context(), st2)
	if st2.FeedErr == "" {
		t.Error("a round that does not read the feed forgot it was missing")
	}
	fake.SetScenario(fakeupstream.Scenario{Status: fakeupstream.StatusOperational})
	p.IncidentsEvery = time.Nanosecond
	_, st3 := p.Probe(t.Context())
	p.ProbeOfficial(t.Context(), st3)
	if st3.FeedErr != "" {
		t.Errorf("feed read again, FeedErr %q", st3.FeedErr)
	}
}

// TestProbeOfficialReadsTheListsAtOnce: incidents.json and the two
// maintenance lists are asked together, not one after another (issue 11:
// three round trips after summary's were most of a check's wait on the
// network). Each list answers only once all three requests have arrived,
// so lists read one at a time never get their first answer: it times out.
func TestProbeOfficialReadsTheListsAtOnce(t *testing.T) {
	h := fakeupstream.NewHandler(fakeupstream.ModeMajorOutage)
	defer h.Close()
	var mu sync.Mutex
	arrived := 0
	all := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v2/summary.json" {
			mu.Lock()
			if arrived++; arrived == 3 {
				close(all)
			}
			mu.Unlock()
			select {
			case <-all:
			case <-r.Context().Done():
				return
			}
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	p := NewStatusProber(srv.URL, NewHTTPProber(HTTPOptions{}))
	p.Timeout = time.Second
	_, st := p.Probe(t.Context())
	if st == nil {
		t.Fatal("summary not read")
	}
	got := p.ProbeOfficial(t.Context(), st)
	if st.FeedErr != "" {
		t.Fatalf("the lists were not read together: %s", st.FeedErr)
	}
	found := false
	for _, in := range got {
		found = found || in.ID == "q7txxvbsftgq" // resolved: only incidents.json has it
	}
	if !found {
		t.Errorf("incidents.json's resolved incident missing: %+v", got)
	}
}
