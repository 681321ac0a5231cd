package store

import (
	"errors"
	"testing"

	"downforai/probe"
	bolt "go.etcd.io/bbolt"
)

// TestFailedPruneBatchDeletesAndCountsNothing (rooms3): a batch whose
// transaction fails rolls back — its deletes never happened — so it counts
// for none in what Prune and retention report deleted.
func TestFailedPruneBatchDeletesAndCountsNothing(t *testing.T) {
	s := openTest(t)
	var rs []probe.Result
	for i := range 10 {
		rs = append(rs, okResult(probe.TargetAPI, at(i)))
	}
	if err := s.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	before := at(6) // results 0–5 are stale
	k := resultsKind(probe.TargetAPI, before)
	failing := errors.New("the batch's last step failed")
	k.after = func(*bolt.Tx, []byte) error { return failing }
	n, err := s.pruneBatch(k, 4)
	if !errors.Is(err, failing) || n != 0 {
		t.Errorf("failed batch: %d deleted, err %v; want 0 and the failure", n, err)
	}
	got, err := s.Range(probe.TargetAPI, at(0), at(10))
	if err != nil || len(got) != 10 {
		t.Fatalf("after the rolled-back batch: %d results, err %v; want all 10", len(got), err)
	}
	// The same batch that commits counts what it deleted.
	if n, err := s.pruneBatch(resultsKind(probe.TargetAPI, before), 4); err != nil || n != 4 {
		t.Errorf("committed batch: %d deleted, err %v; want 4", n, err)
	}
	if got, _ := s.Range(probe.TargetAPI, at(0), at(10)); len(got) != 6 {
		t.Errorf("after the committed batch: %d results, want 6", len(got))
	}
}
