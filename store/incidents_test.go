package store

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/fakeupstream"
	"downforai/probe/judge"
)

func localIncident(id string, first time.Time, version int) probe.LocalIncident {
	return probe.LocalIncident{
		ID: id, Subject: "provider:api", Kind: probe.KindProvider, Service: "api",
		Targets:      []probe.Target{probe.TargetAPI},
		FirstFailure: first, LastFailure: first.Add(time.Minute), Opened: first.Add(time.Minute),
		Failures: 3, Probes: 3, Classes: map[probe.Class]int{probe.ClassOverloaded: 3},
		HTTPStatus: 529, ErrorType: "overloaded_error", Message: "Overloaded",
		RequestIDs: []string{"req_1", "req_2"}, Version: version,
	}
}

func TestLocalIncidentsRoundTripNewestFirst(t *testing.T) {
	s := openTest(t)
	a := localIncident("0000000000000001/provider:api", at(0), 1)
	b := localIncident("0000000000000002/yours:api_key", at(10), 1)
	b.Kind, b.Subject, b.Classes = probe.KindYourSide, "yours:api_key", map[probe.Class]int{probe.ClassAuth: 3}
	b.Recovered, b.Closed = at(20), at(21)
	for _, l := range []probe.LocalIncident{b, a} {
		if err := s.PutLocalIncident(l); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.LocalIncidents(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != b.ID || got[1].ID != a.ID {
		t.Fatalf("order: %+v", got)
	}
	if !reflect.DeepEqual(got[1], a) && !sameLocal(got[1], a) {
		t.Errorf("round trip\n got %+v\nwant %+v", got[1], a)
	}
	if one, _ := s.LocalIncidents(1); len(one) != 1 || one[0].ID != b.ID {
		t.Errorf("limit 1: %+v", one)
	}
	open, err := s.OpenLocalIncidents()
	if err != nil || len(open) != 1 || open[0].ID != a.ID {
		t.Errorf("open: %+v %v", open, err)
	}
}

func sameLocal(a, b probe.LocalIncident) bool {
	norm := func(l probe.LocalIncident) probe.LocalIncident {
		for _, p := range []*time.Time{&l.FirstFailure, &l.LastFailure, &l.Opened, &l.Recovered, &l.Closed} {
			*p = p.UTC()
		}
		return l
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

func TestLocalIncidentOlderVersionNeverOverwrites(t *testing.T) {
	s := openTest(t)
	v2 := localIncident("k", at(0), 2)
	v2.Failures = 9
	v1 := localIncident("k", at(0), 1)
	for _, l := range []probe.LocalIncident{v2, v1} {
		if err := s.PutLocalIncident(l); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.LocalIncidents(0)
	if len(got) != 1 || got[0].Failures != 9 {
		t.Errorf("stored %+v, want version 2", got)
	}
	if err := s.PutLocalIncident(probe.LocalIncident{}); err == nil {
		t.Error("stored an incident without id")
	}
}

func TestOfficialIncidentsMergeInPlaceAndOutliveThePage(t *testing.T) {
	s := openTest(t)
	first := probe.Incident{ID: "461yvfrzpwtt", Name: "Elevated errors", Status: "investigating", Impact: "major",
		StartedAt: at(0), CreatedAt: at(0), UpdatedAt: at(0), Components: []string{"k8w3r06qmzrp"},
		Updates: []probe.IncidentUpdate{{ID: "u1", Status: "investigating", Body: "Looking.", At: at(0)}}}
	other := probe.Incident{ID: "q7txxvbsftgq", Name: "Older", Status: "resolved", Impact: "minor",
		StartedAt: at(-100), UpdatedAt: at(-50), ResolvedAt: at(-50)}
	if err := s.PutOfficialIncidents([]probe.Incident{first, other}); err != nil {
		t.Fatal(err)
	}
	// The summary's shorter copy, then the resolution; the page then drops both.
	later := first
	later.Status, later.UpdatedAt, later.ResolvedAt = "resolved", at(90), at(90)
	later.Updates = []probe.IncidentUpdate{{ID: "u2", Status: "resolved", Body: "Fixed.", At: at(90)}}
	if err := s.PutOfficialIncidents([]probe.Incident{later}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutOfficialIncidents([]probe.Incident{first}); err != nil { // a stale copy arrives late
		t.Fatal(err)
	}
	got, err := s.OfficialIncidents(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "461yvfrzpwtt" || got[1].ID != "q7txxvbsftgq" {
		t.Fatalf("stored %+v", got)
	}
	g := got[0]
	if g.Status != "resolved" || !g.ResolvedAt.Equal(at(90)) || len(g.Updates) != 2 || g.Updates[0].ID != "u2" {
		t.Errorf("merged: %+v", g)
	}
	if one, _ := s.OfficialIncidents(1); len(one) != 1 {
		t.Errorf("limit: %d", len(one))
	}
}

func TestOfficialIncidentsUnchangedAreNotRewritten(t *testing.T) {
	s := openTest(t)
	in := probe.Incident{ID: "a", Name: "A", Status: "identified", UpdatedAt: at(1)}
	if err := s.PutOfficialIncidents([]probe.Incident{in}); err != nil {
		t.Fatal(err)
	}
	writes := func() int64 { st := s.db.Stats(); return st.TxStats.GetWrite() }
	before := writes()
	for range 20 {
		if err := s.PutOfficialIncidents([]probe.Incident{in}); err != nil {
			t.Fatal(err)
		}
	}
	if after := writes(); after != before {
		t.Errorf("identical incidents wrote %d pages", after-before)
	}
}

// TestIncidentLifecycleAcrossRestart is the end-to-end case: the
// fake API answers 529, our incident opens after the threshold and says
// "not yet acknowledged"; Anthropic then posts an incident 10 minutes after
// our first failure and ours links to it; the program restarts with the
// incident open; the API recovers, ours closes after two successes, and
// the lead and lag come out right.
func TestIncidentLifecycleAcrossRestart(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	// The fake's clock runs 50½ min ahead: its outage incident, which it
	// dates 40 min before the mode switch, is posted 10½ min after now.
	// The half minute keeps the truncated words ("10 min", "50 min") off
	// a minute's edge while the test's rounds take their milliseconds.
	fake.SetClock(func() time.Time { return time.Now().Add(50*time.Minute + 30*time.Second) })
	const key = "sk-ant-api03-E2ECANARYxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxAA"
	checks := probe.NewChecks(probe.Config{
		StatusURL: fake.URL, APIURL: fake.URL, ClaudeURL: fake.URL, APIKey: key,
		ClaudeBin: filepath.Join(t.TempDir(), "no-such-claude"), Timeout: 5 * time.Second, SlowAfter: -1,
	})
	path := filepath.Join(t.TempDir(), "h.db")
	start := func() (*Store, *probe.Engine) {
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		open, err := s.OpenLocalIncidents()
		if err != nil {
			t.Fatal(err)
		}
		d := judge.NewDetector(judge.DetectorConfig{FailThreshold: 3, RecoverThreshold: 2})
		d.Restore(open)
		return s, probe.NewEngine(checks, s, probe.WithObserver(d))
	}
	round := func(e *probe.Engine) []probe.Event {
		evs := e.RunOnce(t.Context())
		for _, ev := range evs {
			if ev.StoreErr != "" {
				t.Fatalf("store: %s", ev.StoreErr)
			}
		}
		return evs
	}
	apiIncident := func(s *Store) probe.LocalIncident {
		t.Helper()
		all, err := s.LocalIncidents(0)
		if err != nil {
			t.Fatal(err)
		}
		var found []probe.LocalIncident
		for _, l := range all {
			if l.Subject == "provider:api" {
				found = append(found, l)
			}
		}
		if len(found) != 1 {
			t.Fatalf("%d API incidents stored, want 1: %+v", len(found), all)
		}
		return found[0]
	}

	s, e := start()
	round(e)
	fake.SetMode(fakeupstream.ModeUnacknowledged) // API 529, page green
	var status *probe.Status
	for i := range 3 {
		for _, ev := range round(e) {
			if ev.Status != nil {
				status = ev.Status
			}
		}
		if all, _ := s.LocalIncidents(0); i < 2 && len(all) > 0 {
			t.Fatalf("incident opened after %d failures: %+v", i+1, all)
		}
	}
	l := apiIncident(s)
	if !l.Active() || l.Kind != probe.KindProvider || l.OfficialID != "" || l.Classes[probe.ClassOverloaded] != 6 ||
		len(l.Targets) != 2 || len(l.RequestIDs) == 0 {
		t.Fatalf("after the threshold: %+v", l)
	}
	if !judge.Unacknowledged(l, status) {
		t.Error("not 'not yet acknowledged' while the page is green")
	}

	fake.SetMode(fakeupstream.ModeMajorOutage) // Anthropic posts the incident
	for _, ev := range round(e) {
		if ev.Status != nil {
			status = ev.Status
		}
	}
	l = apiIncident(s)
	if l.OfficialID != fakeupstream.OutageIncidentID || judge.Unacknowledged(l, status) {
		t.Fatalf("not linked to the official incident: %+v", l)
	}

	// Restart with the incident open.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, e = start()
	defer s.Close()
	if open, _ := s.OpenLocalIncidents(); len(open) != 1 || open[0].ID != l.ID {
		t.Fatalf("open after restart: %+v", open)
	}
	fake.SetMode(fakeupstream.ModeOperational) // recovers; Anthropic resolves
	round(e)
	if l2 := apiIncident(s); !l2.Active() {
		t.Fatal("closed after one success")
	}
	round(e)
	l = apiIncident(s)
	if l.Active() || l.Recovered.IsZero() || l.OfficialID != fakeupstream.OutageIncidentID {
		t.Fatalf("after recovery: %+v", l)
	}

	off, err := s.OfficialIncidents(0)
	if err != nil {
		t.Fatal(err)
	}
	var in probe.Incident
	for _, o := range off {
		if o.ID == fakeupstream.OutageIncidentID {
			in = o
		}
	}
	if !in.Final() || len(in.Updates) != 3 {
		t.Fatalf("official incident not resolved in the store: %+v", in)
	}
	got := judge.LeadLag(l, in, nil, time.Now())
	want := []string{"our probes saw this 10 min before Anthropic posted it", "Anthropic resolved it 50 min after our probes recovered"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lead/lag %q, want %q", got, want)
	}
	tl := judge.Timeline(off, []probe.LocalIncident{l})
	if len(tl) == 0 || tl[0].Source() != "both" {
		t.Errorf("timeline head %+v", tl)
	}

	s.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(key)) || bytes.Contains(raw, []byte("E2ECANARY")) {
		t.Error("the API key reached the database")
	}
	if !strings.Contains(string(raw), fakeupstream.OutageIncidentID) {
		t.Error("sanity: the incident id is not in the file")
	}
}

// TestOfficialIncidentReadsSurviveARestart (cold5 D6, D7): the reads that
// bound an incident's end (Seen, Unlisted) are stored with it, and a read
// listing a resolved incident open again re-opens the stored copy.
func TestOfficialIncidentReadsSurviveARestart(t *testing.T) {
	s := openTest(t)
	at := time.Date(2026, 12, 2, 17, 9, 19, 0, time.UTC)
	m := probe.Incident{ID: "m4nt", Status: "in_progress", Impact: "maintenance", StartedAt: at, UpdatedAt: at, Seen: at.Add(10 * time.Minute)}
	gone := m
	gone.Unlisted = at.Add(10*time.Minute + 6*time.Second)
	resolved := probe.Incident{ID: "inc", Status: "resolved", Impact: "major", StartedAt: at, UpdatedAt: at.Add(40 * time.Minute),
		ResolvedAt: at.Add(40 * time.Minute), Seen: at.Add(39 * time.Minute)}
	for _, batch := range [][]probe.Incident{{m, resolved}, {gone}} {
		if err := s.PutOfficialIncidents(batch); err != nil {
			t.Fatal(err)
		}
	}
	reopened := probe.Incident{ID: "inc", Status: "identified", Impact: "major", StartedAt: at, UpdatedAt: at.Add(25 * time.Minute), Seen: at.Add(50 * time.Minute)}
	if err := s.PutOfficialIncidents([]probe.Incident{reopened}); err != nil {
		t.Fatal(err)
	}
	got, err := s.OfficialIncidents(0)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]probe.Incident{}
	for _, in := range got {
		by[in.ID] = in
	}
	if g := by["m4nt"]; !g.Gone() || !g.Seen.Equal(m.Seen) || !g.Unlisted.Equal(gone.Unlisted) {
		t.Errorf("maintenance: seen %v unlisted %v gone %v, want %v, %v", g.Seen, g.Unlisted, g.Gone(), m.Seen, gone.Unlisted)
	}
	if r := by["inc"]; r.Final() || !r.ResolvedAt.IsZero() {
		t.Errorf("re-opened incident stored as %q resolved_at %v", r.Status, r.ResolvedAt)
	}
}

// TestPutStatusIgnoresReadStamps: the prober stamps every listed incident
// with the read's time (Seen); an unchanged page during an incident is
// still one stored snapshot, not one per read.
func TestPutStatusIgnoresReadStamps(t *testing.T) {
	s := openTest(t)
	at := time.Date(2026, 12, 2, 17, 0, 0, 0, time.UTC)
	for i := range 3 {
		f := at.Add(time.Duration(i) * time.Minute)
		st := probe.Status{Fetched: f, Indicator: "major",
			Incidents: []probe.Incident{{ID: "inc", Status: "identified", StartedAt: at, Seen: f}}}
		changed, err := s.PutStatus(st)
		if err != nil {
			t.Fatal(err)
		}
		if changed != (i == 0) {
			t.Errorf("read %d: stored %v, want only the first", i, changed)
		}
	}
}
