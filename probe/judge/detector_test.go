package judge

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// step is one result in a detector sequence: "api:529" is a 529 on the API
// target, "api:ok" a success, "claude_ai:dns" a DNS failure, "api_key:401"
// an auth failure.
var t0 = time.Date(2026, 9, 3, 13, 0, 0, 0, time.UTC)

func stepResult(spec string, i int) probe.Result {
	tg, what, _ := strings.Cut(spec, ":")
	r := probe.Result{Target: probe.Target(tg), Time: t0.Add(time.Duration(i) * 30 * time.Second)}
	switch what {
	case "ok":
		r.Class, r.HTTPStatus = probe.ClassOK, 200
	case "slow":
		r.Class = probe.ClassSlow
	case "unknown":
		r.Class = probe.ClassUnknown
	case "529":
		r.Class, r.HTTPStatus, r.ErrorType, r.Message = probe.ClassOverloaded, 529, "overloaded_error", "Overloaded"
		r.RequestID = fmt.Sprintf("req_%03d", i)
	case "500":
		r.Class, r.HTTPStatus, r.ErrorType = probe.ClassServer, 500, "api_error"
	case "401":
		r.Class, r.HTTPStatus, r.ErrorType = probe.ClassAuth, 401, "authentication_error"
	case "429":
		r.Class, r.HTTPStatus, r.ErrorType = probe.ClassRateLimited, 429, "rate_limit_error"
	case "html":
		r.Class, r.HTTPStatus = probe.ClassUnexpected, 200
	case "dns", "timeout", "refused":
		r.Class, r.ErrorType = probe.ClassNetwork, what
	case "hung": // a timeout after the connection and TLS were made
		r.Class, r.ErrorType, r.Message = probe.ClassNetwork, probe.NetTimeout, "timed out after 3s"
		r.Phases = probe.Phases{Connect: time.Millisecond, TLS: 2 * time.Millisecond, Total: 3 * time.Second}
	case "cli":
		r.Class, r.ErrorType = probe.ClassUnexpected, "exit"
	case "proxy407": // a proxy answered in the API's place
		r.Class, r.HTTPStatus, r.ErrorType = probe.ClassNetwork, 407, probe.NetProxy
		r.Message = "a proxy answered instead of the API: 407 Proxy Authentication Required: it wants credentials of its own"
	default:
		panic("bad step " + spec)
	}
	return r
}

// feed runs the steps through a detector and returns its final open
// incidents and every version it emitted, by subject.
func feed(d *Detector, steps []string) (map[string]probe.LocalIncident, map[string]probe.LocalIncident) {
	last := map[string]probe.LocalIncident{}
	for i, s := range steps {
		for _, l := range d.Observe(probe.Event{Result: stepResult(s, i)}) {
			last[l.ID] = l
		}
	}
	open := map[string]probe.LocalIncident{}
	for _, l := range d.Open() {
		open[l.Subject] = l
	}
	return open, last
}

func times(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func seq(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestDetectorSequences(t *testing.T) {
	tests := []struct {
		name       string
		fail, rec  int
		steps      []string
		wantOpen   []string // subjects open at the end
		wantClosed int      // incidents closed (not merged) along the way
		wantMerged int
	}{
		{name: "healthy", steps: times("api:ok", 10)},
		{name: "two failures stay under the threshold", steps: seq(times("api:529", 2), times("api:ok", 3))},
		{name: "three failures open", steps: times("api:529", 3), wantOpen: []string{"provider:api"}},
		{name: "one success does not close", steps: seq(times("api:529", 3), []string{"api:ok"}), wantOpen: []string{"provider:api"}},
		{name: "two successes close", steps: seq(times("api:529", 3), times("api:ok", 2)), wantClosed: 1},
		{name: "flapping opens an unstable incident (the banner's rule), though never three in a row", wantOpen: []string{"provider:api"},
			steps: seq([]string{"api:529", "api:529", "api:ok", "api:529", "api:529", "api:ok", "api:529", "api:ok"})},
		{name: "flapping keeps an open incident open",
			steps:    seq(times("api:529", 3), []string{"api:ok", "api:529", "api:ok", "api:500", "api:ok"}),
			wantOpen: []string{"provider:api"}},
		{name: "unknown results neither fail nor recover",
			steps:    seq(times("api:529", 2), []string{"api:unknown"}, []string{"api:529", "api:ok", "api:unknown", "claude_code:unknown"}),
			wantOpen: []string{"provider:api"}},
		{name: "slow counts as up", steps: seq(times("api:529", 3), times("api:slow", 2)), wantClosed: 1},
		{name: "threshold 1 and 1", fail: 1, rec: 1, steps: []string{"api:529", "api:ok", "api:500", "api:ok"}, wantOpen: []string{"provider:api"}}, // the 500 before the recovery held takes the first back; four results taking turns keep it open, unstable
		{name: "threshold 5 ignores four", fail: 5, steps: seq(times("api:529", 4), []string{"api:ok"})},
		{name: "mixed provider classes form one streak", steps: []string{"api:529", "api:500", "api:529"}, wantOpen: []string{"provider:api"}},
		{name: "a change of side restarts the count", steps: []string{"api_key:529", "api_key:529", "api_key:401", "api_key:401"}},
		{name: "a provider incident ends when the failures turn to your side",
			steps:    seq(times("api_key:529", 3), times("api_key:401", 3)),
			wantOpen: []string{"yours:api_key"}, wantClosed: 1},
		{name: "your key is your side", steps: times("api_key:401", 3), wantOpen: []string{"yours:api_key"}},
		{name: "rate limit is your side", steps: times("api_key:429", 3), wantOpen: []string{"yours:api_key:quota"}},
		{name: "both API targets share one provider incident",
			steps:    []string{"api:529", "api_key:529", "api:529", "api_key:529", "api:529"},
			wantOpen: []string{"provider:api"}},
		{name: "it closes only when every failing target recovered",
			steps:    seq([]string{"api:529", "api_key:529", "api:529", "api_key:529", "api:529", "api_key:529"}, times("api:ok", 3), []string{"api_key:529"}),
			wantOpen: []string{"provider:api"}},
		{name: "status page challenge is the status page's incident", steps: times("status:html", 3), wantOpen: []string{"provider:status"}},
		{name: "the CLI failing is your side", steps: times("claude_code:cli", 3), wantOpen: []string{"yours:claude_code"}},
		{name: "one host's DNS failing is your side", steps: seq([]string{"status:ok"}, times("claude_ai:dns", 3)), wantOpen: []string{"yours:claude_ai:path"}},
		{name: "one host timing out is the provider", steps: seq([]string{"status:ok"}, times("api:timeout", 3)), wantOpen: []string{"provider:api"}},
		{name: "every host failing at the network level is one network incident",
			steps:    seq(times("status:dns", 1), []string{"api:timeout", "claude_ai:dns", "api_key:refused"}, []string{"api:timeout", "claude_ai:dns", "api_key:refused", "api:timeout", "status:dns", "claude_ai:dns"}),
			wantOpen: []string{"network"}},
		{name: "a per-host network incident merges into the network one",
			steps: seq([]string{"status:ok", "claude_ai:ok"}, times("api:timeout", 3), // provider:api opens (others fine)
				[]string{"status:dns", "claude_ai:dns", "api:timeout"}), // now everything fails
			wantOpen: []string{"network"}, wantMerged: 1},
		{name: "network incident closes when the hosts recover",
			steps: seq(times("status:dns", 1), times("api:dns", 3), []string{"claude_ai:dns", "api:dns"},
				[]string{"api:ok", "status:ok", "claude_ai:ok", "api:ok", "status:ok", "claude_ai:ok"}),
			wantClosed: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDetector(DetectorConfig{FailThreshold: tt.fail, RecoverThreshold: tt.rec, Now: func() time.Time { return t0 }})
			open, all := feed(d, tt.steps)
			var got []string
			for s := range open {
				got = append(got, s)
			}
			if strings.Join(sorted(got), ",") != strings.Join(sorted(tt.wantOpen), ",") {
				t.Errorf("open %v, want %v", sorted(got), tt.wantOpen)
			}
			closed, merged := 0, 0
			for _, l := range all {
				switch {
				case l.MergedInto != "":
					merged++
				case !l.Active():
					closed++
				}
			}
			if closed != tt.wantClosed || merged != tt.wantMerged {
				t.Errorf("closed %d merged %d, want %d and %d", closed, merged, tt.wantClosed, tt.wantMerged)
			}
			// The counts add up (issue 19: "43 failed of 39 probes").
			for _, l := range all {
				if l.Failures > l.Probes {
					t.Errorf("%s: %d failed of %d probes", l.Subject, l.Failures, l.Probes)
				}
			}
			if tt.name == "every host failing at the network level is one network incident" {
				for _, l := range all {
					if l.Kind != probe.KindYourNetwork {
						t.Errorf("incident %s of kind %v, want only the network one", l.Subject, l.Kind)
					}
				}
			}
		})
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestDetectorRecordsEvidence(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0.Add(time.Hour) }})
	steps := seq(times("api:529", 8), []string{"api:500", "api:ok", "api:ok"})
	_, all := feed(d, steps)
	if len(all) != 1 {
		t.Fatalf("%d incidents, want 1", len(all))
	}
	var l probe.LocalIncident
	for _, x := range all {
		l = x
	}
	if l.Kind != probe.KindProvider || l.Service != "api" || l.Title() != "Claude API: overloaded, then server errors (500)" {
		t.Errorf("kind %v service %q title %q", l.Kind, l.Service, l.Title())
	}
	if !l.FirstFailure.Equal(t0) || !l.LastFailure.Equal(t0.Add(8*30*time.Second)) {
		t.Errorf("first %v last %v", l.FirstFailure, l.LastFailure)
	}
	if want := t0.Add(9 * 30 * time.Second); !l.Recovered.Equal(want) {
		t.Errorf("recovered %v, want the first success %v", l.Recovered, want)
	}
	if l.Failures != 9 || l.Probes != 11 || l.Classes[probe.ClassOverloaded] != 8 || l.Classes[probe.ClassServer] != 1 {
		t.Errorf("failures %d probes %d classes %v", l.Failures, l.Probes, l.Classes)
	}
	if got := strings.Join(l.RequestIDs, ","); got != "req_000,req_001,req_002,req_006,req_007" {
		t.Errorf("request ids %s", got)
	}
	if l.ClassSummary() != "overloaded 8, server 1" {
		t.Errorf("class summary %q", l.ClassSummary())
	}
	if l.Class() != probe.ClassOverloaded {
		// HTTPStatus is the newest failure's; the class the commonest.
		t.Errorf("class %v, want the commonest, overloaded", l.Class())
	}
	if !strings.HasPrefix(l.ID, fmt.Sprintf("%016x/", uint64(t0.UnixNano()))) {
		t.Errorf("id %q does not start with the first failure", l.ID)
	}
}

func TestDetectorEmitsIncreasingVersions(t *testing.T) {
	d := NewDetector(DetectorConfig{})
	prev := 0
	for i, s := range seq(times("api:529", 5), times("api:ok", 2)) {
		for _, l := range d.Observe(probe.Event{Result: stepResult(s, i)}) {
			if l.Version <= prev {
				t.Errorf("step %d: version %d after %d", i, l.Version, prev)
			}
			prev = l.Version
		}
	}
	if prev == 0 {
		t.Fatal("no incident emitted")
	}
}

func TestDetectorRestoreContinuesThenCloses(t *testing.T) {
	d1 := NewDetector(DetectorConfig{})
	open, _ := feed(d1, times("api:529", 4))
	l := open["provider:api"]
	if l.ID == "" {
		t.Fatal("no incident opened")
	}

	d2 := NewDetector(DetectorConfig{})
	d2.Restore([]probe.LocalIncident{l})
	if got := d2.Open(); len(got) != 1 || got[0].ID != l.ID {
		t.Fatalf("restored %v", got)
	}
	// One more failure after the restart joins the same incident.
	ch := d2.Observe(probe.Event{Result: stepResult("api:529", 10)})
	if len(ch) != 1 || ch[0].ID != l.ID || ch[0].Failures != l.Failures+1 || ch[0].Version <= l.Version {
		t.Fatalf("after restart: %+v", ch)
	}
	d2.Observe(probe.Event{Result: stepResult("api:ok", 11)})
	ch = d2.Observe(probe.Event{Result: stepResult("api:ok", 12)})
	if len(ch) != 1 || ch[0].Active() || !ch[0].Recovered.Equal(t0.Add(11*30*time.Second)) {
		t.Fatalf("not closed after recovery: %+v", ch)
	}
	if len(d2.Open()) != 0 {
		t.Error("still open")
	}
}

func TestDetectorLinksTheOverlappingOfficialIncident(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0.Add(10 * time.Minute) }})
	var last probe.LocalIncident
	for i := 0; i < 3; i++ {
		for _, l := range d.Observe(probe.Event{Result: stepResult("api:529", i)}) {
			last = l
		}
	}
	if last.OfficialID != "" {
		t.Fatalf("linked before any official incident: %q", last.OfficialID)
	}
	st := &probe.Status{Incidents: []probe.Incident{
		{ID: "other", Status: "investigating", Impact: "minor", CreatedAt: t0, StartedAt: t0, Components: []string{"0qbwn08sd68x"}},
		{ID: "461yvfrzpwtt", Status: "identified", Impact: "major", CreatedAt: t0.Add(7 * time.Minute), StartedAt: t0.Add(7 * time.Minute),
			Components: []string{"rwppv331jlwc", "k8w3r06qmzrp"}},
	}}
	ch := d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: t0.Add(7 * time.Minute), Class: probe.ClassOK}, Status: st})
	if len(ch) != 1 || ch[0].OfficialID != "461yvfrzpwtt" {
		t.Fatalf("after the official incident: %+v", ch)
	}
}

// BenchmarkDetectorObserve is the detector's cost per probe result while an
// incident is open and official incidents are known.
func BenchmarkDetectorObserve(b *testing.B) {
	d := NewDetector(DetectorConfig{})
	var off []probe.Incident
	for i := range 50 {
		off = append(off, probe.Incident{ID: fmt.Sprintf("o%d", i), Status: "resolved", StartedAt: t0.Add(-time.Duration(i) * time.Hour),
			ResolvedAt: t0.Add(-time.Duration(i)*time.Hour + 30*time.Minute), Components: []string{"k8w3r06qmzrp"}})
	}
	d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: t0, Class: probe.ClassOK}, Official: off})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d.Observe(probe.Event{Result: stepResult("api:529", i)})
		i++
	}
}

func TestDetectorKeepsALinkWhileItStillHolds(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0.Add(time.Hour) }})
	first := probe.Incident{ID: "461yvfrzpwtt", Status: "identified", Impact: "major", CreatedAt: t0.Add(-40 * time.Minute),
		StartedAt: t0.Add(-40 * time.Minute), Components: []string{"k8w3r06qmzrp"}}
	d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: t0, Class: probe.ClassOK}, Official: []probe.Incident{first}})
	var last probe.LocalIncident
	for i := 0; i < 3; i++ {
		for _, l := range d.Observe(probe.Event{Result: stepResult("api:529", i)}) {
			last = l
		}
	}
	if last.OfficialID != first.ID {
		t.Fatalf("not linked: %+v", last)
	}
	// A maintenance window that started closer to our first failure appears.
	mt := probe.Incident{ID: "m", Status: "in_progress", Impact: "maintenance", StartedAt: t0.Add(-5 * time.Minute),
		ScheduledFor: t0.Add(-5 * time.Minute), Components: []string{"k8w3r06qmzrp"}}
	for _, l := range d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: t0, Class: probe.ClassOK}, Official: []probe.Incident{mt}}) {
		if l.OfficialID != first.ID {
			t.Errorf("link moved to %q", l.OfficialID)
		}
	}
	if got := d.Open(); len(got) != 1 || got[0].OfficialID != first.ID {
		t.Errorf("open: %+v", got)
	}
}

// TestDetectorCountsTheUnprobedGap: an incident restored after a restart
// spans the time downforai did not run. Its probes every 30 s, the gap
// between the last one before the restart and the first after is kept as
// unprobed, once; the rounds each side of it are not.
func TestDetectorCountsTheUnprobedGap(t *testing.T) {
	cfg := DetectorConfig{Horizon: Horizon(30*time.Second, 30*time.Second)}
	d1 := NewDetector(cfg)
	open, _ := feed(d1, times("api:529", 4)) // rounds 0–3
	l := open["provider:api"]
	if l.ID == "" || l.Unprobed != 0 {
		t.Fatalf("opened %+v", l)
	}

	d2 := NewDetector(cfg)
	d2.Restore([]probe.LocalIncident{l})
	var got probe.LocalIncident
	for _, i := range []int{10, 11, 12} { // rounds 4–9 not probed: 3 minutes between round 3 and round 10
		for _, c := range d2.Observe(probe.Event{Result: stepResult("api:529", i)}) {
			got = c
		}
	}
	from, to := stepResult("api:529", 3).Time, stepResult("api:529", 10).Time
	if got.Unprobed != to.Sub(from) || !got.UnprobedFrom.Equal(from) || !got.UnprobedTo.Equal(to) {
		t.Errorf("unprobed %v from %v to %v, want %v from %v to %v", got.Unprobed, got.UnprobedFrom, got.UnprobedTo, to.Sub(from), from, to)
	}
	if got.Failures != l.Failures+3 {
		t.Errorf("%d failures, want %d", got.Failures, l.Failures+3)
	}
}

// TestDetectorEndsAnIncidentUnobservedAcrossALongGap: restored after a
// gap longer than the judge's horizon, an incident is not continued — its
// end lies somewhere in the gap, unobserved — and the failures since open
// an incident of their own; "lasted 5h" over hours unprobed was not seen.
func TestDetectorEndsAnIncidentUnobservedAcrossALongGap(t *testing.T) {
	cfg := DetectorConfig{Horizon: Horizon(30*time.Second, 30*time.Second)} // 6 minutes
	d1 := NewDetector(cfg)
	open, _ := feed(d1, times("api:529", 4)) // rounds 0–3
	l := open["provider:api"]

	d2 := NewDetector(cfg)
	d2.Restore([]probe.LocalIncident{l})
	byID := map[string]probe.LocalIncident{}
	for _, i := range []int{40, 41, 42, 43} { // 18 minutes later
		for _, c := range d2.Observe(probe.Event{Result: stepResult("api:529", i)}) {
			byID[c.ID] = c
		}
	}
	old, ok := byID[l.ID]
	from, to := stepResult("api:529", 3).Time, stepResult("api:529", 40).Time
	if !ok || old.Active() || !old.Unobserved || !old.End().Equal(to) || !old.UnprobedFrom.Equal(from) || old.Failures != l.Failures {
		t.Fatalf("the restored incident: %+v", old)
	}
	var next []probe.LocalIncident
	for _, c := range d2.Open() {
		next = append(next, c)
	}
	if len(next) != 1 || next[0].ID == l.ID || next[0].FirstFailure.Before(to) {
		t.Errorf("after the gap: %+v", next)
	}
}
