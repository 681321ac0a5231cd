package check

import (
	"context"
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
	results, batches, statuses, official int
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
// store whole — every result, the status, the official incidents — in one
// batch of results and one write of each other kind, and nothing before
// Flush.
func TestRoundWritesOnceAtTheEnd(t *testing.T) {
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
	c := &counting{Store: st}
	if err := round.Flush(c); err != nil {
		t.Fatal(err)
	}
	if c.batches != 1 || c.results != 0 || c.statuses != 1 || c.official != 1 {
		t.Errorf("writes: %d batches, %d single results, %d statuses, %d incident writes; want 1, 0, 1, 1",
			c.batches, c.results, c.statuses, c.official)
	}
	for _, r := range rep.Results {
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
