package judge

import (
	"path/filepath"
	"testing"
	"time"

	"downforai/probe"
	"downforai/store"
)

// TestRecordedRoundsAreProbeRounds: "this round and N recorded rounds"
// counts the rounds of our probes. The status page's reads are not rounds:
// read more often than the probes run, or kept whatever their age as the
// unbroken run of failed reads ("could not be read since"), they would
// count rounds that never ran.
func TestRecordedRoundsAreProbeRounds(t *testing.T) {
	now := time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)
	horizon := Horizon(time.Minute, time.Minute)
	targets := []probe.Target{probe.TargetAPI, probe.TargetClaudeAI, probe.TargetStatus}
	for _, tc := range []struct {
		name  string
		put   func(add func(probe.Target, time.Duration, probe.Class))
		want  int
		pages int // the page's reads kept
	}{
		{"a failed page run two hours old, no probe since", func(add func(probe.Target, time.Duration, probe.Class)) {
			for i := 30; i >= 1; i-- {
				add(probe.TargetStatus, 2*time.Hour+time.Duration(i)*time.Minute, probe.ClassServer)
			}
		}, 0, 30},
		{"the page read twice a round", func(add func(probe.Target, time.Duration, probe.Class)) {
			for i := 3; i >= 1; i-- {
				add(probe.TargetAPI, time.Duration(i)*time.Minute, probe.ClassOK)
				add(probe.TargetClaudeAI, time.Duration(i)*time.Minute, probe.ClassOK)
				add(probe.TargetStatus, time.Duration(i)*time.Minute, probe.ClassOK)
				add(probe.TargetStatus, time.Duration(i)*time.Minute-30*time.Second, probe.ClassOK)
			}
		}, 3, 6},
		{"probes and a long failed page run", func(add func(probe.Target, time.Duration, probe.Class)) {
			for i := 40; i >= 1; i-- {
				add(probe.TargetStatus, time.Duration(i)*time.Minute, probe.ClassServer)
			}
			for i := 5; i >= 1; i-- {
				add(probe.TargetAPI, time.Duration(i)*time.Minute, probe.ClassOK)
			}
		}, 5, 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := store.Open(filepath.Join(t.TempDir(), "h.db"), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var rs []probe.Result
			tc.put(func(tg probe.Target, ago time.Duration, c probe.Class) {
				rs = append(rs, probe.Result{Target: tg, Time: now.Add(-ago), Class: c})
			})
			if err := st.PutResults(rs); err != nil {
				t.Fatal(err)
			}
			rec, err := ReadRecorded(st, targets, now, horizon)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Rounds != tc.want {
				t.Errorf("Rounds %d, want %d", rec.Rounds, tc.want)
			}
			if n := len(rec.Recent[probe.TargetStatus]); n != tc.pages {
				t.Errorf("%d page reads kept, want %d", n, tc.pages)
			}
		})
	}
}
