package watch

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"downforai/probe"
	"downforai/probe/judge"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func res(t probe.Target, c probe.Class, i int) probe.Result {
	return probe.Result{Target: t, Class: c, Time: t0.Add(time.Duration(i) * time.Second), HTTPStatus: 529}
}

type hist struct{ rs []probe.Result }

func (h hist) Recent(t probe.Target, n int) ([]probe.Result, error) {
	if len(h.rs) > n {
		return h.rs[len(h.rs)-n:], nil
	}
	return h.rs, nil
}
func (h hist) Range(probe.Target, time.Time, time.Time) ([]probe.Result, error) { return nil, nil }
func (h hist) LatestStatus() (probe.Status, bool, error) {
	return probe.Status{Fetched: t0, Components: []probe.Component{{ID: "k8w3r06qmzrp", Status: "major_outage"}}}, true, nil
}

func TestTrackerKeepsTheJudgeWindow(t *testing.T) {
	tr := NewTracker(0)
	for i := 0; i < 5; i++ {
		tr.Apply(probe.Event{Result: res(probe.TargetAPI, probe.ClassOverloaded, i)})
	}
	// No status page read: failing from here, acknowledgement unknown.
	if k := tr.Verdict(t0).Kind; k != probe.VerdictFailing {
		t.Fatalf("after 5 failures: %v", k)
	}
	for i := 5; i < 5+judge.Window; i++ {
		tr.Apply(probe.Event{Result: res(probe.TargetAPI, probe.ClassOK, i)})
		// claude.ai answers too: a host not heard from is no all clear.
		tr.Apply(probe.Event{Result: res(probe.TargetClaudeAI, probe.ClassOK, i)})
	}
	if n := len(tr.recent[probe.TargetAPI]); n != judge.Window {
		t.Errorf("kept %d results, want %d", n, judge.Window)
	}
	if k := tr.Verdict(t0).Kind; k != probe.VerdictOperational {
		t.Errorf("after a window of successes: %v", k)
	}
	if k := tr.Verdict(t0.Add(time.Hour)); k.Stale {
		t.Error("stale with no limit")
	}
	tr.staleAfter = time.Minute
	if !tr.Verdict(t0.Add(time.Hour)).Stale {
		t.Error("not stale an hour later")
	}
}

func TestPrime(t *testing.T) {
	tr := NewTracker(0)
	var rs []probe.Result
	for i := 0; i < 8; i++ {
		rs = append(rs, res(probe.TargetAPI, probe.ClassOverloaded, i))
	}
	if err := tr.Prime(hist{rs}, []probe.Target{probe.TargetAPI}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if k := tr.Verdict(t0).Kind; k != probe.VerdictOutage {
		t.Errorf("primed verdict %v, want outage", k)
	}
}

type rec struct {
	mu    sync.Mutex
	kinds []probe.VerdictKind
	ticks int
}

func (r *rec) Observe(_ time.Time, ev *probe.Event, v probe.Verdict, _ *probe.Status) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ev == nil {
		r.ticks++
		return
	}
	r.kinds = append(r.kinds, v.Kind)
}

func TestRun(t *testing.T) {
	events := make(chan probe.Event)
	r := &rec{}
	done := make(chan struct{})
	go func() {
		Run(context.Background(), events, NewTracker(0), 0, func() time.Time { return t0 }, r)
		close(done)
	}()
	for i := 0; i < 3; i++ {
		events <- probe.Event{Result: res(probe.TargetAPI, probe.ClassOverloaded, i)}
	}
	close(events)
	<-done
	if len(r.kinds) != 3 || r.kinds[2] != probe.VerdictFailing || r.ticks != 1 {
		t.Errorf("observed %v, %d ticks (want 3 events and the initial tick)", r.kinds, r.ticks)
	}
}

// The tracker judges with the local checks too, as the dashboard does: with
// Anthropic green and Claude Code's login expired, metrics and notifications
// must say "your credential", not "operational".
func TestTrackerJudgesWithLocalChecks(t *testing.T) {
	tr := NewTracker(0)
	for i := 0; i < 3; i++ {
		tr.Apply(probe.Event{Result: res(probe.TargetAPI, probe.ClassOK, i)})
		tr.Apply(probe.Event{Result: res(probe.TargetClaudeAI, probe.ClassOK, i)})
	}
	if k := tr.Verdict(t0).Kind; k != probe.VerdictOperational {
		t.Fatalf("without local checks: %v", k)
	}
	local := &probe.LocalReport{
		Credentials: []probe.CredentialInfo{{Source: "Claude Code login"}},
		Checks:      []probe.LocalCheck{{ID: "code_login", Level: probe.LocalFail, Text: "Claude Code's login expired 3 h ago"}},
	}
	tr.Apply(probe.Event{Result: res(probe.TargetLocal, probe.ClassOK, 3), Local: local})
	if k := tr.Verdict(t0).Kind; k != probe.VerdictLocalCredential {
		t.Errorf("with an expired Claude Code login: %v, want %v", k, probe.VerdictLocalCredential)
	}
}

// TestPrimeSinceForgetsOldResults (verdicts item 3): the tracker /metrics
// and notifications read primes only the results within the horizon, as
// the dashboard and check count them: an old streak of 529s does not
// hold the verdict after a restart.
func TestPrimeSinceForgetsOldResults(t *testing.T) {
	var rs []probe.Result
	for i := 0; i < 8; i++ {
		rs = append(rs, res(probe.TargetAPI, probe.ClassOverloaded, i))
	}
	since := rs[7].Time.Add(time.Second) // after every one of them
	tr := NewTracker(0)
	if err := tr.Prime(hist{rs}, []probe.Target{probe.TargetAPI}, since); err != nil {
		t.Fatal(err)
	}
	if n := len(tr.recent[probe.TargetAPI]); n != 0 {
		t.Errorf("primed %d results older than since", n)
	}
	// The page (hist's) still says major outage while the fresh probe
	// answers: conflicting, not an outage held up by the old 529s.
	tr.Apply(probe.Event{Result: res(probe.TargetAPI, probe.ClassOK, 9)})
	if k := tr.Verdict(rs[7].Time.Add(time.Minute)).Kind; k != probe.VerdictConflicting {
		t.Errorf("after a fresh success: %v, want conflicting", k)
	}
	// Primed with all of them, the old streak holds: what the cut is for.
	all := NewTracker(0)
	if err := all.Prime(hist{rs}, []probe.Target{probe.TargetAPI}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	all.Apply(probe.Event{Result: res(probe.TargetAPI, probe.ClassOK, 9)})
	if k := all.Verdict(rs[7].Time.Add(time.Minute)).Kind; k != probe.VerdictOutage {
		t.Errorf("primed with everything: %v, want outage (recovering)", k)
	}
}
