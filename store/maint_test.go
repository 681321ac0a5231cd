package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestRetentionBoundaries: one round of retention deletes exactly the
// results older than the cut-off and the rollups that end at or before
// theirs; everything at the cut-off stays.
func TestRetentionBoundaries(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 30, 0, 0, time.UTC)
	raw := 2 * time.Hour
	rollups := 3 * day
	cut := now.Add(-raw)
	rcut := now.Add(-rollups) // 2026-03-07 15:30

	s := openTest(t)
	stamps := []time.Time{
		rcut.Add(-25 * time.Hour), rcut.Add(-time.Hour - time.Nanosecond), rcut.Add(-time.Minute), rcut,
		cut.Add(-time.Nanosecond), cut, cut.Add(time.Nanosecond), now,
	}
	for _, at := range stamps {
		if err := s.PutResult(okResult(probe.TargetAPI, at)); err != nil {
			t.Fatal(err)
		}
	}
	err := s.pruneRound(Retention{Results: raw, Rollups: rollups, Batch: 2, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.Range(probe.TargetAPI, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if got := times(rs); len(got) != 3 || !got[0].Equal(cut) {
		t.Errorf("results kept %v, want from the cut-off %v on", got, cut)
	}
	hours, _ := s.Series(probe.TargetAPI, rcut.Add(-48*time.Hour), now, time.Hour)
	days, _ := s.Series(probe.TargetAPI, rcut.Add(-48*time.Hour), now, day)
	var keptHours, keptDays []time.Time
	for _, h := range hours {
		if h.Total() > 0 {
			keptHours = append(keptHours, h.From)
		}
	}
	for _, d := range days {
		if d.Total() > 0 {
			keptDays = append(keptDays, d.From)
		}
	}
	// Hour 14:00–15:00 on the 7th ends before 15:30: gone. 15:00–16:00
	// holds rcut-1m and rcut and ends after: kept.
	wantHours := []time.Time{rcut.Truncate(time.Hour), cut.Truncate(time.Hour), now.Truncate(time.Hour)}
	if len(keptHours) != len(wantHours) {
		t.Fatalf("hours kept %v, want %v", keptHours, wantHours)
	}
	for i := range wantHours {
		if !keptHours[i].Equal(wantHours[i]) {
			t.Errorf("hours kept %v, want %v", keptHours, wantHours)
		}
	}
	// Day of the 6th ends at midnight before rcut: gone; the 7th is kept.
	if len(keptDays) != 2 || !keptDays[0].Equal(rcut.Truncate(day)) {
		t.Errorf("days kept %v, want the 7th and the 10th", keptDays)
	}
	// The summary of the last 2 hours is still exact.
	sum, err := s.Summary(probe.TargetAPI, cut, now.Add(time.Second))
	if err != nil || sum.Total() != 3 {
		t.Errorf("summary after pruning: %d results, %v; want 3", sum.Total(), err)
	}
}

// TestRetentionWithNothingToPruneWritesNothing: a round that finds
// nothing old enough leaves the file byte for byte as it was (every start
// runs one), and a second round right after a real one deletes nothing
// more.
func TestRetentionWithNothingToPruneWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 10 {
		for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetStatus} {
			if err := s.PutResult(okResult(tg, at(i*120))); err != nil {
				t.Fatal(err)
			}
		}
	}
	r := Retention{Results: time.Hour, Rollups: 3 * day, Batch: 500, Now: func() time.Time { return at(10 * 120) }}
	if err := s.pruneRound(r); err != nil {
		t.Fatal(err)
	}
	if rs, _ := s.Range(probe.TargetAPI, time.Time{}, time.Time{}); len(rs) != 1 {
		t.Fatalf("%d API results after pruning to the last hour, want 1", len(rs))
	}
	before, _ := os.ReadFile(path)
	for range 3 {
		if err := s.pruneRound(r); err != nil {
			t.Fatal(err)
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a retention round with nothing to prune wrote to the file")
	}
}

func TestStartRetentionStopsOnClose(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "h.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if err := s.PutResult(okResult(probe.TargetAPI, at(i))); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	s.StartRetention(Retention{Results: time.Hour, Every: time.Hour, Batch: 3, Now: func() time.Time { return at(200) }},
		func(err error) { done <- err })
	// The first round runs at once, in batches of 3: poll for its effect
	// (every result is older than the hour kept), failing after hangGuard.
	waitUntil(t, "the first retention round to prune all 50 results", func() bool {
		c, err := s.Counts()
		if err != nil {
			t.Fatal(err)
		}
		return c[probe.TargetAPI] == 0
	})
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(hangGuard):
		t.Fatalf("Close still waits for retention after %v", hangGuard)
	}
	select {
	case err := <-done:
		t.Errorf("retention reported %v", err)
	default:
	}
	// Stopped means stopped: a write after Close fails, no round runs on.
	if err := s.PutResult(okResult(probe.TargetAPI, at(199))); err == nil {
		t.Error("the store took a write after Close")
	}
}

// hangGuard bounds a wait that only a bug makes long; it is not a speed
// limit.
const hangGuard = 30 * time.Second

// waitUntil polls cond until it holds, failing after hangGuard.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(hangGuard); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", hangGuard, what)
		}
	}
}

func TestStats(t *testing.T) {
	s := openTest(t)
	rs := history([]probe.Target{probe.TargetAPI, probe.TargetCode}, base, 1)
	if err := s.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.FileSize <= 0 || st.PageSize <= 0 || st.InUse <= 0 || len(st.Targets) != 2 {
		t.Fatalf("stats %+v", st)
	}
	api := st.Targets[0]
	if api.Target != probe.TargetAPI || api.Results != len(rs)/2 || api.HourRollups != 24 || api.DayRollups != 2 ||
		!api.Oldest.Equal(rs[0].Time) || !api.Newest.Equal(rs[len(rs)/2-1].Time) {
		t.Errorf("api stats %+v", api)
	}
}

// TestStatsOfAFewResults: a target with a handful of results (its bucket
// lives inline in its parent's page) still shows what they take, not
// "B/result 0.0".
func TestStatsOfAFewResults(t *testing.T) {
	s := openTest(t)
	for i := range 3 {
		if err := s.PutResult(okResult(probe.TargetAPI, at(i))); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Targets) != 1 || st.Targets[0].Results != 3 {
		t.Fatalf("stats %+v", st.Targets)
	}
	if per := st.Targets[0].ResultBytes / 3; per < 10 || per > 200 {
		t.Errorf("%d bytes per result for 3 results, want what they take (tens of bytes)", per)
	}
	var out strings.Builder
	st.WriteTo(&out)
	if strings.Contains(out.String(), " 0.0 ") {
		t.Errorf("db stats says 0.0 B/result:\n%s", out.String())
	}
}

func TestCompact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rs := history([]probe.Target{probe.TargetAPI}, base, 3)
	if err := s.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Prune(base.Add(2*day), 0); err != nil {
		t.Fatal(err)
	}
	want := dumpRollups(t, s)

	// While it is open, compaction refuses and leaves the file alone.
	if _, _, err := Compact(path, Options{LockTimeout: 20 * time.Millisecond}, nil); !errors.Is(err, ErrLocked) ||
		!strings.Contains(err.Error(), "another downforai") {
		t.Errorf("compact of an open database: %v, want ErrLocked saying why", err)
	}
	s.Close()

	var calls int
	before, after, err := Compact(path, Options{}, func(done, total int64) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if after >= before || calls == 0 {
		t.Errorf("size %d → %d with %d progress calls; want smaller and reported", before, after, calls)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*compact*"))
	if len(leftovers) > 0 {
		t.Errorf("left behind %v", leftovers)
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	c, _ := s2.Counts()
	if c[probe.TargetAPI] != len(rs)/3 {
		t.Errorf("after compaction %d results, want %d", c[probe.TargetAPI], len(rs)/3)
	}
	if got := dumpRollups(t, s2); string(got) != string(want) {
		t.Error("rollups changed in compaction")
	}
}

// TestFileStopsGrowing: with retention pruning every day, the file stops
// growing once the retention is reached, because pruned pages are reused.
// Rollups get a short retention here too, so that both reach it; with the
// default 400 days they add about 2 KB per target and day.
func TestFileStopsGrowing(t *testing.T) {
	singleGoroutine(t)
	path := filepath.Join(t.TempDir(), "h.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const keep = 3 // days of raw results
	rs := history([]probe.Target{probe.TargetAPI, probe.TargetClaudeAI}, base, 12)
	perDay := len(rs) / 2 / 12
	var sizes []int64
	for d := range 12 {
		var batch []probe.Result
		for _, off := range []int{0, len(rs) / 2} { // both targets
			batch = append(batch, rs[off+d*perDay:off+(d+1)*perDay]...)
		}
		// One write per result, as the engine does, would be slow here;
		// hour-sized batches keep the page pattern of appends.
		for i := 0; i < len(batch); i += 120 {
			if err := s.PutResults(batch[i:min(i+120, len(batch))]); err != nil {
				t.Fatal(err)
			}
		}
		now := base.Add(time.Duration(d+1) * day)
		if err := s.pruneRound(Retention{Results: keep * day, Rollups: (keep + 1) * day, Batch: 500, Now: func() time.Time { return now }}); err != nil {
			t.Fatal(err)
		}
		// The high-water mark of pages, not the file size: bbolt grows the
		// file in doublings, which would hide growth inside the last one.
		err := s.db.View(func(tx *bbTx) error {
			sizes = append(sizes, tx.Size())
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	fi, _ := os.Stat(path)
	t.Logf("pages in use up to, per day: %v; file %d", sizes, fi.Size())
	for d := keep + 4; d < len(sizes); d++ {
		if sizes[d] > sizes[keep+3] {
			t.Errorf("day %d: high-water mark grew to %d bytes after retention was reached (%d on day %d)", d, sizes[d], sizes[keep+3], keep+3)
		}
	}
}

// TestStatsAlignsLongNames: a canary's target name ("model:" and a dated
// model id) is longer than the built-in ones; every column still starts
// where its header does.
func TestStatsAlignsLongNames(t *testing.T) {
	long := probe.Target("model:claude-opus-4-5-20251101")
	st := Stats{Targets: []TargetStats{
		{Target: probe.TargetAPI, Results: 12, ResultBytes: 1200},
		{Target: long, Results: 3, ResultBytes: 300},
	}}
	var out strings.Builder
	st.WriteTo(&out)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	table := lines[len(lines)-3:]
	head := table[0]
	// A right-aligned column ends where its header ends.
	end := func(l string, nth int) int {
		f := strings.Fields(l)
		i := 0
		for k := 0; k <= nth; k++ {
			i = strings.Index(l[i:], f[k]) + i + len(f[k])
		}
		return i
	}
	for _, row := range table[1:] {
		if got, want := end(row, 1), end(head, 1); got != want {
			t.Errorf("results column ends at %d, its header at %d:\n%s", got, want, strings.Join(table, "\n"))
		}
		if !strings.HasPrefix(row, "api ") && !strings.HasPrefix(row, string(long)+" ") {
			t.Errorf("row %q does not start with its whole target name", row)
		}
	}
}
