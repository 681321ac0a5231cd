package store

import (
	"path/filepath"
	"testing"
	"time"

	"downforai/probe"
)

// TestCanaryLedgerSurvivesReopen: the day's token use is on disk, so a
// restart does not give the budget back; other days are apart.
func TestCanaryLedgerSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.CanaryTokens("2026-12-02"); err != nil || n != 0 {
		t.Fatalf("empty day: %d %v", n, err)
	}
	for _, add := range []int64{12, 13, 0, -5} {
		if _, err := s.AddCanaryTokens("2026-12-02", add); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddCanaryTokens("2026-12-03", 7); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCanaryTokens("not a day", 7); err == nil {
		t.Error("a bad day was accepted")
	}
	s.Close()
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.CanaryTokens("2026-12-02"); n != 25 {
		t.Errorf("after reopen: %d tokens, want 25", n)
	}
	if n, _ := s.CanaryTokens("2026-12-03"); n != 7 {
		t.Errorf("next day: %d, want 7", n)
	}
	// Old days are forgotten.
	if _, err := s.AddCanaryTokens("2027-02-01", 1); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CanaryTokens("2026-12-02"); n != 0 {
		t.Errorf("a day 60 days old is still kept: %d", n)
	}
}

// TestCanaryResultRoundTrip: a canary's TTFT and tokens survive the
// store, and its rollups chart the TTFT.
func TestCanaryResultRoundTrip(t *testing.T) {
	s := openTest(t)
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	tg := probe.ModelTarget("claude-opus-4-5")
	r := probe.Result{Target: tg, Time: at, Class: probe.ClassOK, HTTPStatus: 200,
		Phases: probe.Phases{FirstByte: 300 * time.Millisecond, Total: 2 * time.Second, FirstToken: 400 * time.Millisecond},
		Tokens: 13, Message: "answered", Detail: "ttft 400ms"}
	plain := probe.Result{Target: probe.TargetAPI, Time: at, Class: probe.ClassOK, Phases: probe.Phases{Total: time.Second}}
	if err := s.PutResult(r); err != nil {
		t.Fatal(err)
	}
	if err := s.PutResult(plain); err != nil {
		t.Fatal(err)
	}
	got, err := s.Recent(tg, 1)
	if err != nil || len(got) != 1 {
		t.Fatal(got, err)
	}
	if got[0].Phases != r.Phases || got[0].Tokens != 13 || got[0].Detail != r.Detail {
		t.Errorf("got %+v", got[0])
	}
	sum, err := s.Summary(tg, at.Add(-time.Hour), at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if p50, ok := sum.Percentile(50); !ok || p50 < 350*time.Millisecond || p50 > 450*time.Millisecond {
		t.Errorf("rollup p50 %v, want the TTFT 400ms", p50)
	}
	// Results without canary figures keep value version 1.
	v, err := encodeResult(nil, plain, nil)
	if err != nil || v[0] != resultVersion {
		t.Errorf("plain result encoded as version %d", v[0])
	}
	if err := s.RebuildRollups(nil); err != nil {
		t.Fatal(err)
	}
	sum, _ = s.Summary(tg, at.Add(-time.Hour), at.Add(time.Hour))
	if p50, _ := sum.Percentile(50); p50 > 450*time.Millisecond {
		t.Errorf("rebuilt rollup p50 %v, want the TTFT", p50)
	}
}

// TestRollupWeighsByTime: 30 minutes up probed once a minute, then 30
// minutes down probed every 10 s (the fast interval), is 50 % uptime,
// not 30 of 210 results — from the rollups, from raw results, after a
// rebuild, and whatever order the results were written in.
func TestRollupWeighsByTime(t *testing.T) {
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	var rs []probe.Result
	for i := 0; i < 30; i++ {
		rs = append(rs, probe.Result{Target: probe.TargetAPI, Time: start.Add(time.Duration(i+1) * time.Minute), Class: probe.ClassOK, Phases: probe.Phases{Total: time.Millisecond}})
	}
	for i := 0; i < 180; i++ {
		rs = append(rs, probe.Result{Target: probe.TargetAPI, Time: start.Add(30*time.Minute + time.Duration(i+1)*10*time.Second), Class: probe.ClassOverloaded})
	}
	check := func(s *Store, what string) {
		t.Helper()
		for _, span := range [][2]time.Time{{start, start.Add(2 * time.Hour)}, {start.Add(time.Minute), start.Add(61 * time.Minute)}} {
			sum, err := s.Summary(probe.TargetAPI, span[0], span[1])
			if err != nil {
				t.Fatal(err)
			}
			u, ok := sum.Uptime()
			// The first result covers nothing (no result before it).
			if !ok || u < 0.49 || u > 0.51 || sum.Total() != 210 {
				t.Errorf("%s %v: uptime %.3f over %d results, want 0.50 (by count it is %.3f)", what, span, u, sum.Total(), 30.0/210)
			}
		}
	}
	a := openTest(t)
	for _, r := range rs {
		if err := a.PutResult(r); err != nil {
			t.Fatal(err)
		}
	}
	check(a, "written one by one")
	if err := a.RebuildRollups(nil); err != nil {
		t.Fatal(err)
	}
	check(a, "rebuilt")
	b := openTest(t)
	rev := append([]probe.Result(nil), rs...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	for _, r := range rev {
		if err := b.PutResult(r); err != nil {
			t.Fatal(err)
		}
	}
	check(b, "written newest first")
}
