package store

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// txID is the id of the last committed write transaction.
func txID(t *testing.T, s *Store) int {
	t.Helper()
	var id int
	if err := s.db.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil }); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestPutRoundIsOneCommit: a check's round — its results and the status
// snapshot — is one commit (PutResults and PutStatus were two, four
// fdatasyncs), reads back as the two calls store it, and is stored whole or
// not at all.
func TestPutRoundIsOneCommit(t *testing.T) {
	at := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	rs := []probe.Result{
		{Target: probe.TargetAPI, Time: at, Class: probe.ClassOK, HTTPStatus: 401},
		{Target: probe.TargetClaudeAI, Time: at.Add(time.Millisecond), Class: probe.ClassOK, HTTPStatus: 403},
	}
	st := probe.Status{Fetched: at, Indicator: "minor", Description: "Minor Service Outage"}

	tests := []struct {
		name    string
		rs      []probe.Result
		st      *probe.Status
		wantErr bool
	}{
		{"results and status", rs, &st, false},
		{"results alone", rs, nil, false},
		{"status alone", nil, &st, false},
		{"a result that cannot be stored: nothing is", append([]probe.Result{{Target: probe.TargetAPI}}, rs...), &st, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t)
			before := txID(t, s)
			err := s.PutRound(tt.rs, tt.st)
			if (err != nil) != tt.wantErr {
				t.Fatalf("PutRound: %v, want error %v", err, tt.wantErr)
			}
			commits := txID(t, s) - before
			_, statusStored, serr := s.LatestStatus()
			if serr != nil {
				t.Fatal(serr)
			}
			got, rerr := s.Recent(probe.TargetAPI, 10)
			if rerr != nil {
				t.Fatal(rerr)
			}
			if tt.wantErr {
				if commits != 0 || statusStored || len(got) != 0 {
					t.Errorf("after a failed round: %d commits, status stored %v, %d api results; want none", commits, statusStored, len(got))
				}
				return
			}
			if commits != 1 {
				t.Errorf("%d commits, want 1", commits)
			}
			if statusStored != (tt.st != nil) {
				t.Errorf("status stored %v, want %v", statusStored, tt.st != nil)
			}
			if wantN := map[bool]int{true: 1, false: 0}[tt.rs != nil]; len(got) != wantN || (wantN == 1 && got[0].HTTPStatus != 401) {
				t.Errorf("api results stored %+v, want %d", got, wantN)
			}
		})
	}
}
