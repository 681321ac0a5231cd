package store

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"downforai/probe"
)

// windows are the History tab's windows.
var windows = []time.Duration{time.Hour, 24 * time.Hour, 7 * day, 30 * day, 90 * day}

// history is days of results every 30 s (give or take a second) for each
// target, with failures and slow probes now and then, oldest first.
func history(targets []probe.Target, start time.Time, days int) []probe.Result {
	rng := rand.New(rand.NewPCG(7, 8))
	n := days * int(day/benchStep)
	var rs []probe.Result
	for _, t := range targets {
		for i := range n {
			at := start.Add(time.Duration(i)*benchStep + time.Duration(rng.IntN(1000))*time.Millisecond)
			r := realistic(rng, t, at)
			switch rng.IntN(50) {
			case 0:
				r.Class = probe.ClassSlow
				r.Phases.Total += 3 * time.Second
			case 1:
				r.Class, r.HTTPStatus = probe.ClassOverloaded, 529
			}
			rs = append(rs, r)
		}
	}
	return rs
}

// direct sums rs with from <= Time < to the obvious way.
type direct struct {
	counts [16]int
	lats   []time.Duration
}

func computeDirect(rs []probe.Result, t probe.Target, from, to time.Time) direct {
	var d direct
	// rs holds each target's results in time order: find the stretch.
	lo := sort.Search(len(rs), func(i int) bool {
		return targetOrder(rs[i].Target, t) > 0 || rs[i].Target == t && !rs[i].Time.Before(from)
	})
	for _, r := range rs[lo:] {
		if r.Target != t || !r.Time.Before(to) {
			break
		}
		d.counts[r.Class]++
		if r.Class.Up() {
			d.lats = append(d.lats, r.Phases.Total.Truncate(time.Microsecond))
		}
	}
	slices.Sort(d.lats)
	return d
}

// nearestRank is the p-th percentile of sorted values by nearest rank.
func nearestRank(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[max(i, 1)-1]
}

func checkSummary(t *testing.T, name string, got probe.Summary, want direct) {
	t.Helper()
	for c := range got.Counts {
		if int(got.Counts[c]) != want.counts[c] {
			t.Errorf("%s: %s = %d, want %d", name, probe.Class(c), got.Counts[c], want.counts[c])
		}
	}
	for _, p := range []float64{50, 95, 99} {
		est, ok := got.Percentile(p)
		if ok != (len(want.lats) > 0) {
			t.Errorf("%s: p%v ok = %v with %d latencies", name, p, ok, len(want.lats))
			continue
		}
		if !ok {
			continue
		}
		truth := nearestRank(want.lats, p)
		if d := probe.LatencyBin(est) - probe.LatencyBin(truth); d < -1 || d > 1 {
			t.Errorf("%s: p%v = %v, direct %v: %d buckets apart", name, p, est, truth, d)
		}
	}
}

// exportJSONL writes rs in the export format, as Export would for a
// store holding them.
func exportJSONL(t testing.TB, rs []probe.Result) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, r := range rs {
		if err := enc.Encode(toRecord(r)); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// TestSummaryMatchesDirect is the acceptance test: a 30-day JSON
// lines history imported, then every window of every target answered
// from rollups agrees with a direct computation over the raw results.
func TestSummaryMatchesDirect(t *testing.T) {
	singleGoroutine(t)
	start := time.Date(2025, 5, 3, 7, 41, 13, 0, time.UTC)
	// Two targets keep the race-enabled run short; BenchmarkSummaryAllWindows
	// has all four.
	targets := []probe.Target{probe.TargetAPI, probe.TargetCode}
	rs := history(targets, start, 30)
	data := exportJSONL(t, rs)

	s := openTest(t)
	rep, err := s.Import(bytes.NewReader(data), int64(len(data)), nil, nil)
	if err != nil || rep.Added != len(rs) || rep.Bad != 0 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	// Ends: mid-hour, on an hour, on a day, past the data.
	for _, now := range []time.Time{
		start.Add(30*day - 17*time.Minute - 3*time.Second),
		start.Add(20 * day).Truncate(time.Hour),
		start.Add(10 * day).Truncate(day),
		start.Add(31*day + 5*time.Hour),
	} {
		for _, tg := range targets {
			for _, w := range windows {
				got, err := s.Summary(tg, now.Add(-w), now)
				if err != nil {
					t.Fatal(err)
				}
				checkSummary(t, string(tg)+" "+w.String()+" to "+now.String(), got, computeDirect(rs, tg, now.Add(-w), now))
			}
		}
	}
}

// TestSummaryAfterPrune: once raw results are pruned, windows that start
// inside the kept raw data stay exact, and windows starting earlier count
// whole hours from the rollups.
func TestSummaryAfterPrune(t *testing.T) {
	start := time.Date(2025, 5, 3, 7, 41, 13, 0, time.UTC)
	rs := history([]probe.Target{probe.TargetAPI}, start, 12)
	s := openTest(t)
	if err := s.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	cut := start.Add(5*day + 23*time.Minute)
	if _, err := s.Prune(cut, 100); err != nil {
		t.Fatal(err)
	}
	now := start.Add(12*day - 7*time.Minute)
	for _, w := range windows {
		from := now.Add(-w)
		got, err := s.Summary(probe.TargetAPI, from, now)
		if err != nil {
			t.Fatal(err)
		}
		if from.Before(cut) {
			from = from.Truncate(time.Hour)
		}
		checkSummary(t, w.String(), got, computeDirect(rs, probe.TargetAPI, from, now))
	}
}

func TestRebuildGivesSameRollups(t *testing.T) {
	start := time.Date(2025, 5, 3, 7, 41, 13, 0, time.UTC)
	rs := history(benchTargets, start, 3)
	s := openTest(t)
	if err := s.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Prune(start.Add(26*time.Hour+13*time.Minute), 0); err != nil {
		t.Fatal(err)
	}
	before := dumpRollups(t, s)
	var calls int
	if err := s.RebuildRollups(func(done, total int64) { calls++ }); err != nil {
		t.Fatal(err)
	}
	if after := dumpRollups(t, s); !bytes.Equal(before, after) {
		t.Error("rollups differ after rebuild")
	}
	if calls == 0 {
		t.Error("progress was never called")
	}
}

// dumpRollups is every rollup key and value, for comparison.
func dumpRollups(t *testing.T, s *Store) []byte {
	t.Helper()
	var out []byte
	err := s.db.View(func(tx *bbTx) error {
		for _, p := range []period{hourly, daily} {
			pb := tx.Bucket(bucketRollups).Bucket([]byte(p.name))
			err := pb.ForEachBucket(func(tk []byte) error {
				return pb.Bucket(tk).ForEach(func(k, v []byte) error {
					out = append(out, p.name...)
					out = append(out, tk...)
					out = append(out, k...)
					out = append(out, v...)
					return nil
				})
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSeries(t *testing.T) {
	s := openTest(t)
	h := base.Truncate(time.Hour)
	put := func(at time.Time, c probe.Class) {
		t.Helper()
		r := okResult(probe.TargetAPI, at)
		r.Class = c
		if err := s.PutResult(r); err != nil {
			t.Fatal(err)
		}
	}
	put(h.Add(-time.Nanosecond), probe.ClassOK) // previous hour
	put(h, probe.ClassOK)
	put(h.Add(59*time.Minute), probe.ClassServer)
	put(h.Add(2*time.Hour), probe.ClassOK)

	got, err := s.Series(probe.TargetAPI, h.Add(time.Minute), h.Add(2*time.Hour+time.Second), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d hours, want 3", len(got))
	}
	wants := []struct {
		total int
		worst probe.Class
	}{{2, probe.ClassServer}, {0, probe.ClassUnknown}, {1, probe.ClassOK}}
	for i, w := range wants {
		if !got[i].From.Equal(h.Add(time.Duration(i)*time.Hour)) || got[i].Total() != w.total || got[i].Worst() != w.worst {
			t.Errorf("hour %d: from %v total %d worst %v, want total %d worst %v", i, got[i].From, got[i].Total(), got[i].Worst(), w.total, w.worst)
		}
	}
	days, err := s.Series(probe.TargetAPI, h.Add(-48*time.Hour), h.Add(time.Hour), day)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, d := range days {
		sum += d.Total()
	}
	if sum != 4 || len(days) != 3 {
		t.Errorf("days: %d cells, %d results; want 3 cells, 4 results", len(days), sum)
	}
	if _, err := s.Series(probe.TargetAPI, h, h.Add(time.Hour), time.Minute); err == nil {
		t.Error("a one-minute step: want an error")
	}
}

func TestRollupRoundTrip(t *testing.T) {
	var s probe.Summary
	for _, d := range []time.Duration{0, time.Microsecond, 140 * time.Millisecond, 141 * time.Millisecond, time.Hour} {
		s.Add(probe.Result{Class: probe.ClassOK, Phases: probe.Phases{Total: d}})
	}
	s.Add(probe.Result{Class: probe.ClassNetwork})
	s.Add(probe.Result{Class: probe.Class(77)})
	var got probe.Summary
	if err := decodeRollup(encodeRollup(nil, &s), &got); err != nil {
		t.Fatal(err)
	}
	if got.Counts != s.Counts || got.Latency != s.Latency {
		t.Errorf("round trip lost counts: got %v, want %v", got.Counts, s.Counts)
	}
	for _, bad := range [][]byte{nil, {2}, {1, 200}, {1, 0, 1, 250, 1}, {1, 0, 0, 1}} {
		if err := decodeRollup(bad, &got); err == nil {
			t.Errorf("decodeRollup(%x): want an error", bad)
		}
	}
}

// TestOldFileGetsRollups: a database written before rollups existed gets
// them built when it is opened.
func TestOldFileGetsRollups(t *testing.T) {
	s := openTest(t)
	rs := history([]probe.Target{probe.TargetAPI}, base, 1)
	if err := s.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	want := dumpRollups(t, s)
	err := s.db.Update(func(tx *bbTx) error {
		if err := tx.DeleteBucket(bucketRollups); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Delete(keyRollups)
	})
	if err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := dumpRollups(t, s2); !bytes.Equal(got, want) {
		t.Error("rollups not rebuilt on open")
	}
}

func openTestTB(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(tb.TempDir()+"/history.db", Options{LockTimeout: 50 * time.Millisecond})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}
