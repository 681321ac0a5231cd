package store

import (
	"testing"

	"downforai/probe"
)

// TestLocalIncidentSteadyBeforeRoundTrips (inc3 I1): an incident that
// failed steadily with 500s, then became unstable with 529s, keeps that
// steady run across a restart — its title still says "failing (500), then
// unstable, …" — and one stored before the run was kept still decodes,
// titled as it was.
func TestLocalIncidentSteadyBeforeRoundTrips(t *testing.T) {
	s := openTest(t)
	l := localIncident("0000000000000001/provider:api", at(0), 1)
	l.Classes = map[probe.Class]int{probe.ClassServer: 12, probe.ClassOverloaded: 6}
	l.Failures, l.Probes, l.Unstable = 18, 24, true
	l.SteadyBefore, l.SteadyStatus, l.SteadyError = probe.ClassServer, 500, "api_error"
	l.SteadyClasses = map[probe.Class]int{probe.ClassServer: 12}
	if err := s.PutLocalIncident(l); err != nil {
		t.Fatal(err)
	}
	got, err := s.OpenLocalIncidents()
	if err != nil || len(got) != 1 {
		t.Fatalf("open: %+v %v", got, err)
	}
	if !sameLocal(got[0], l) {
		t.Errorf("round trip\n got %+v\nwant %+v", got[0], l)
	}
	if want := "Claude API: failing (500), then unstable, overloaded (529)"; got[0].Title() != want {
		t.Errorf("title %q, want %q", got[0].Title(), want)
	}

	// A record written before SteadyBefore existed.
	old := `{"ID":"0000000000000002/provider:api","Subject":"provider:api","Kind":1,"Service":"api","Targets":["api"],` +
		`"FirstFailure":"2026-09-03T13:00:00Z","LastFailure":"2026-09-03T13:01:00Z","Opened":"2026-09-03T13:01:00Z",` +
		`"Recovered":"0001-01-01T00:00:00Z","Closed":"0001-01-01T00:00:00Z","Failures":5,"Probes":9,"Others":0,` +
		`"Classes":{"6":5},"HTTPStatus":529,"LastClass":6,"ErrorType":"overloaded_error","Message":"Overloaded",` +
		`"Unstable":true,"FailingSteadily":false,"Hung":true,"Version":3}`
	d, err := decodeLocal(append([]byte{incidentVersion}, old...))
	if err != nil {
		t.Fatal(err)
	}
	if d.SteadyBefore != probe.ClassUnknown || d.SteadyClasses != nil || d.SteadyStatus != 0 {
		t.Errorf("old record decoded with a steady run: %+v", d)
	}
	if want := "Claude API: unstable, overloaded (529)"; d.Title() != want {
		t.Errorf("old record titled %q, want %q", d.Title(), want)
	}
}
