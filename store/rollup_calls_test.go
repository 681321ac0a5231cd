package store

import (
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// sessionRecord is one record of Claude Code's transcripts as the follower
// stores it: an answer, a retry ("attempt n of 10") or the error shown.
func sessionRecord(at time.Time, session string, c probe.Class, status, attempt int) probe.Result {
	d := probe.SessionDetail{Version: "2.0.50", Model: "claude-sonnet-4-5", Session: session, Attempt: attempt}
	if attempt > 0 {
		d.MaxAttempts = 10
	} else if c != probe.ClassOK {
		d.GaveUp = true
	}
	return probe.Result{Target: probe.TargetSessions, Time: at, Class: c, HTTPStatus: status, Detail: d.String(), Message: "call"}
}

// cold8E5 is cold8 E5's transcript with one more call: three answers, a
// call retried three times on 529 then shown failed, one 500 shown at
// once, and a call retried twice then answered — whose answer comes in the
// next hour. 6 calls: 4 answered, 1 overloaded, 1 server error.
func cold8E5() []probe.Result {
	h := base.Add(50 * time.Minute) // 12:50
	return []probe.Result{
		sessionRecord(h, "s1", probe.ClassOK, 200, 0),
		sessionRecord(h.Add(time.Minute), "s1", probe.ClassOK, 200, 0),
		sessionRecord(h.Add(2*time.Minute), "s1", probe.ClassOK, 200, 0),
		sessionRecord(h.Add(3*time.Minute), "s1", probe.ClassOverloaded, 529, 1),
		sessionRecord(h.Add(3*time.Minute+10*time.Second), "s1", probe.ClassOverloaded, 529, 2),
		sessionRecord(h.Add(3*time.Minute+30*time.Second), "s1", probe.ClassOverloaded, 529, 3),
		sessionRecord(h.Add(4*time.Minute), "s1", probe.ClassOverloaded, 529, 0),
		sessionRecord(h.Add(5*time.Minute), "s1", probe.ClassServer, 500, 0),
		sessionRecord(h.Add(8*time.Minute), "s1", probe.ClassOverloaded, 529, 1),
		sessionRecord(h.Add(9*time.Minute), "s1", probe.ClassOverloaded, 529, 2),
		sessionRecord(h.Add(10*time.Minute+30*time.Second), "s1", probe.ClassOK, 200, 0), // 13:00:30
	}
}

// TestRollupsCountCalls (cold8 E5): History's "Claude Code calls" counted
// every retry as a call ("8 calls, 62% failed — overloaded 50% (4)") and
// weighed them by time (0.00%): the stored rollups, the raw edges of a
// window and a rebuild now count calls — the retries and the record that
// ends them are one, as Live counts them — however the records were
// written: one by one, at once, out of order.
func TestRollupsCountCalls(t *testing.T) {
	rs := cold8E5()
	type counts struct{ calls, ok, overloaded, server int }
	sumOf := func(s probe.Summary) counts {
		return counts{s.Judged(), s.Up(), int(s.Counts[probe.ClassOverloaded]), int(s.Counts[probe.ClassServer])}
	}
	want := counts{6, 4, 1, 1}
	for _, tc := range []struct {
		name  string
		write func(*Store) error
	}{
		{"one by one", func(s *Store) error {
			for _, r := range rs {
				if err := s.PutResult(r); err != nil {
					return err
				}
			}
			return nil
		}},
		{"one batch", func(s *Store) error { return s.PutResults(rs) }},
		{"newest first", func(s *Store) error {
			for _, r := range slices.Backward(rs) {
				if err := s.PutResult(r); err != nil {
					return err
				}
			}
			return nil
		}},
		{"interleaved", func(s *Store) error {
			for _, i := range []int{0, 4, 2, 10, 1, 3, 9, 5, 8, 6, 7} {
				if err := s.PutResult(rs[i]); err != nil {
					return err
				}
			}
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t)
			if err := tc.write(s); err != nil {
				t.Fatal(err)
			}
			check := func(when string) {
				t.Helper()
				// Whole hours: the rollups alone.
				all, err := s.Summary(probe.TargetSessions, base, base.Add(2*time.Hour))
				if err != nil {
					t.Fatal(err)
				}
				if got := sumOf(all); got != want {
					t.Errorf("%s: rollups count %+v, want %+v", when, got, want)
				}
				if u, ok := all.Uptime(); !ok || u < 0.666 || u > 0.667 {
					t.Errorf("%s: success %v %v, want 4 of 6 calls", when, u, ok)
				}
				// Partial hours: raw records at the edges, counted alike.
				edge, err := s.Summary(probe.TargetSessions, base.Add(40*time.Minute), base.Add(65*time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				if got := sumOf(edge); got != want {
					t.Errorf("%s: raw edges count %+v, want %+v", when, got, want)
				}
				// A call is where its newest record is: the retried-then-
				// answered call is 13:00's.
				hours, err := s.Series(probe.TargetSessions, base, base.Add(2*time.Hour), time.Hour)
				if err != nil {
					t.Fatal(err)
				}
				if a, b := sumOf(hours[0]), sumOf(hours[1]); a != (counts{5, 3, 1, 1}) || b != (counts{1, 1, 0, 0}) {
					t.Errorf("%s: hours %+v, %+v; want 5 calls (3 ok) at 12:00, 1 ok at 13:00", when, a, b)
				}
				days, err := s.Series(probe.TargetSessions, base, base.Add(time.Hour), day)
				if err != nil {
					t.Fatal(err)
				}
				if got := sumOf(days[0]); got != want {
					t.Errorf("%s: day counts %+v, want %+v", when, got, want)
				}
			}
			check("written")
			if err := s.RebuildRollups(nil); err != nil {
				t.Fatal(err)
			}
			check("rebuilt")
		})
	}
}

// TestOpenRecountsAttemptsAsCalls: a file whose rollups counted every
// attempt (before cold8 E5) is recounted once when a writer opens it.
func TestOpenRecountsAttemptsAsCalls(t *testing.T) {
	s := openTest(t)
	path := s.path
	if err := s.PutResults(cold8E5()); err != nil {
		t.Fatal(err)
	}
	// As an older downforai left it: every record a call, no mark.
	err := s.update("write", func(tx *bolt.Tx) error {
		d := rollupDelta{}
		for _, r := range cold8E5() {
			d.add(r, time.Minute, true, true)
		}
		if err := deleteFrom(tx, hourly, probe.TargetSessions, base); err != nil {
			return err
		}
		if err := deleteFrom(tx, daily, probe.TargetSessions, base.Truncate(day)); err != nil {
			return err
		}
		if err := d.flush(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Delete(keyRollupCalls)
	})
	if err != nil {
		t.Fatal(err)
	}
	old, _ := s.Summary(probe.TargetSessions, base, base.Add(2*time.Hour))
	if old.Judged() != 11 {
		t.Fatalf("set-up: %d records counted, want 11", old.Judged())
	}
	s.Close()
	s2, err := Open(path, Options{LockTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	sum, _ := s2.Summary(probe.TargetSessions, base, base.Add(2*time.Hour))
	if sum.Judged() != 6 || sum.Up() != 4 {
		t.Errorf("reopened: %d calls, %d answered; want 6, 4", sum.Judged(), sum.Up())
	}
}
