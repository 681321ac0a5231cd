package store

import (
	"testing"
	"time"

	"downforai/probe"
)

// TestLatestStatusIsTheLastGoodRead: the store keeps the first read of an
// unchanged page only, so the snapshot it returns must carry the newest
// read that found the same page — else check and a restarted dashboard
// say "last good read 12:28 (10 min ago)" of a page read fine at 12:36
// (cold7 E1). Failed reads after it and reads of another page do not count.
func TestLatestStatusIsTheLastGoodRead(t *testing.T) {
	base := time.Date(2026, 12, 3, 12, 28, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return base.Add(d) }
	type read struct {
		at     time.Duration
		class  probe.Class
		detail string
	}
	tests := []struct {
		name  string
		reads []read // after the snapshot's own read at base
		want  time.Duration
	}{
		{"unchanged reads, then failures", []read{{time.Minute, probe.ClassOK, "major"}, {2 * time.Minute, probe.ClassSlow, "major"}, {3 * time.Minute, probe.ClassUnexpected, ""}, {4 * time.Minute, probe.ClassNetwork, ""}}, 2 * time.Minute},
		{"only failures since", []read{{time.Minute, probe.ClassUnexpected, ""}}, 0},
		{"no reads since", nil, 0},
		{"a read that found another page is not this one's", []read{{time.Minute, probe.ClassOK, "major"}, {2 * time.Minute, probe.ClassOK, "none"}}, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t)
			st := probe.Status{Fetched: base, Indicator: "major", Description: "Partial System Outage"}
			if _, err := s.PutStatus(st); err != nil {
				t.Fatal(err)
			}
			if err := s.PutResult(probe.Result{Target: probe.TargetStatus, Time: base, Class: probe.ClassOK, Detail: "major"}); err != nil {
				t.Fatal(err)
			}
			for _, r := range tt.reads {
				if err := s.PutResult(probe.Result{Target: probe.TargetStatus, Time: at(r.at), Class: r.class, Detail: r.detail}); err != nil {
					t.Fatal(err)
				}
				if r.class.Up() && r.detail == st.Indicator {
					st.Fetched = at(r.at)
					if changed, err := s.PutStatus(st); err != nil || changed {
						t.Fatalf("PutStatus of an unchanged page: changed=%v err=%v", changed, err)
					}
				}
			}
			got, ok, err := s.LatestStatus()
			if err != nil || !ok {
				t.Fatalf("LatestStatus: ok=%v err=%v", ok, err)
			}
			if !got.Fetched.Equal(at(tt.want)) {
				t.Errorf("Fetched = %v, want %v", got.Fetched, at(tt.want))
			}
			if got.Indicator != "major" {
				t.Errorf("Indicator = %q", got.Indicator)
			}
		})
	}
}
