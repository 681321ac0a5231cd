package check

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/fakeupstream"
	"downforai/store"
)

// counting is a store that counts its write calls.
type counting struct {
	*store.Store
	results, batches, statuses, official, rounds int
	failRound                                    bool
}

func (c *counting) PutRound(rs []probe.Result, st *probe.Status) error {
	c.rounds++
	if c.failRound {
		return errors.New("the round cannot be written whole")
	}
	return c.Store.PutRound(rs, st)
}

func (c *counting) PutResult(r probe.Result) error { c.results++; return c.Store.PutResult(r) }
func (c *counting) PutResults(rs []probe.Result) error {
	c.batches++
	return c.Store.PutResults(rs)
}
func (c *counting) PutStatus(st probe.Status) (bool, error) {
	c.statuses++
	return c.Store.PutStatus(st)
}
func (c *counting) PutOfficialIncidents(ins []probe.Incident) error {
	c.official++
	return c.Store.PutOfficialIncidents(ins)
}

// TestRoundWritesOnceAtTheEnd: a round recorded through Round reaches the
// store whole — every result, the status, the official incidents — the
// results and the status in one transaction (one commit), the incidents in
// another, and nothing before Flush. When the round cannot be written
// whole, its parts are written apart.
func TestRoundWritesOnceAtTheEnd(t *testing.T) {
	for _, failRound := range []bool{false, true} {
		t.Run(fmt.Sprintf("whole round fails %v", failRound), func(t *testing.T) { roundWritesOnce(t, failRound) })
	}
}

func roundWritesOnce(t *testing.T, failRound bool) {
	fake := fakeupstream.New(fakeupstream.ModeMajorOutage)
	defer fake.Close()
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := probe.Config{
		StatusURL: fake.URL, APIURL: fake.URL, ClaudeURL: fake.URL,
		Interval: time.Minute, StatusInterval: time.Minute, Timeout: 2 * time.Second,
		ClaudeBin: filepath.Join(t.TempDir(), "no-such-claude"), SlowAfter: -1,
	}
	checks := probe.NewChecks(cfg)
	var round Round
	rep := Run(context.Background(), probe.NewEngine(checks, &round), len(checks), time.Now, Past{})
	if _, ok, _ := st.LatestStatus(); ok {
		t.Fatal("written before Flush")
	}
	c := &counting{Store: st, failRound: failRound}
	if err := round.Flush(c); err != nil {
		t.Fatal(err)
	}
	want := [5]int{1, 0, 0, 0, 1} // a round, no batch, no single result, no status apart, the incidents
	if failRound {
		want = [5]int{1, 1, 0, 1, 1}
	}
	if got := [5]int{c.rounds, c.batches, c.results, c.statuses, c.official}; got != want {
		t.Errorf("writes: %d rounds, %d batches, %d single results, %d statuses, %d incident writes; want %v",
			got[0], got[1], got[2], got[3], got[4], want)
	}
	newest := map[probe.Target]probe.Result{} // a failure asked again to confirm it has two
	for _, r := range rep.Results {
		newest[r.Target] = r
	}
	for _, r := range newest {
		got, err := st.Recent(r.Target, 1)
		if err != nil || len(got) != 1 || !got[0].Time.Equal(r.Time) || got[0].Class != r.Class {
			t.Errorf("%s: stored %+v (%v), want %+v", r.Target, got, err, r)
		}
	}
	if stored, ok, err := st.LatestStatus(); err != nil || !ok || stored.Indicator != rep.Status.Indicator {
		t.Errorf("status stored %+v %v %v", stored, ok, err)
	}
	if ins, err := st.OfficialIncidents(10); err != nil || len(ins) == 0 {
		t.Errorf("official incidents stored: %d, %v", len(ins), err)
	}
}
