package judge

import (
	"path/filepath"
	"testing"
	"time"

	"downforai/probe"
	"downforai/store"
)

// TestHorizon: recorded results count for the judge's window at the slower
// of the two probe intervals, whichever that is.
func TestHorizon(t *testing.T) {
	for _, tt := range []struct{ interval, status, want time.Duration }{
		{30 * time.Second, time.Minute, Window * time.Minute},
		{2 * time.Minute, time.Minute, Window * 2 * time.Minute},
	} {
		if got := Horizon(tt.interval, tt.status); got != tt.want {
			t.Errorf("Horizon(%v, %v) = %v, want %v", tt.interval, tt.status, got, tt.want)
		}
	}
}

// TestReadRecorded reads a real database as check, diagnose and report do:
// a target's results within the horizon and up to Window of them; Claude
// Code's sessions within SessionsFresh, all of them (they are calls, not
// rounds, and do not count as rounds); no entry for a target with nothing
// recent; the last status snapshot; and every read error returned, never a
// judgement on half the history.
func TestReadRecorded(t *testing.T) {
	now := time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)
	horizon := Horizon(30*time.Second, time.Minute) // 12 min, less than SessionsFresh
	path := filepath.Join(t.TempDir(), "h.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	var rs []probe.Result
	at := func(tg probe.Target, ago time.Duration) {
		rs = append(rs, probe.Result{Target: tg, Time: now.Add(-ago), Class: probe.ClassOK})
	}
	// The API: one a second older than the horizon, one on it, nine newer.
	at(probe.TargetAPI, horizon+time.Second)
	at(probe.TargetAPI, horizon)
	for i := 9; i >= 1; i-- {
		at(probe.TargetAPI, time.Duration(i)*time.Minute)
	}
	// The key probe: 14 within the horizon, of which Window count.
	for i := 14; i >= 1; i-- {
		at(probe.TargetAPIKey, time.Duration(i)*30*time.Second)
	}
	// claude.ai: only yesterday's.
	at(probe.TargetClaudeAI, 24*time.Hour)
	// The sessions: one too old even for them, 20 calls between 14 and 4
	// minutes ago (older than the horizon, within SessionsFresh).
	at(probe.TargetSessions, SessionsFresh+time.Minute)
	for i := range 20 {
		at(probe.TargetSessions, 14*time.Minute-time.Duration(i)*30*time.Second)
	}
	if err := st.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	targets := []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI, probe.TargetSessions}

	rec, err := ReadRecorded(st, targets, now, horizon)
	if err != nil {
		t.Fatal(err)
	}
	if api := rec.Recent[probe.TargetAPI]; len(api) != 10 || !api[0].Time.Equal(now.Add(-horizon)) {
		t.Errorf("API: %d results, want the 10 within %v, the one on it included", len(api), horizon)
	}
	if key := rec.Recent[probe.TargetAPIKey]; len(key) != Window || !key[len(key)-1].Time.Equal(now.Add(-30*time.Second)) {
		t.Errorf("key probe: %d results, want the newest %d", len(key), Window)
	}
	if rs, ok := rec.Recent[probe.TargetClaudeAI]; ok {
		t.Errorf("claude.ai: %d of yesterday's results counted, want none and no entry", len(rs))
	}
	sess := rec.Recent[probe.TargetSessions]
	if len(sess) != 20 || !sess[0].Time.Equal(now.Add(-14*time.Minute)) {
		t.Errorf("sessions: %d calls, want the 20 within %v", len(sess), SessionsFresh)
	}
	if rec.Rounds != Window {
		t.Errorf("Rounds %d, want %d (the most a probe target has; the sessions are no rounds)", rec.Rounds, Window)
	}
	if rec.Status != nil {
		t.Errorf("a status snapshot from a database that has none: %+v", rec.Status)
	}

	fetched := now.Add(-2 * time.Minute)
	if _, err := st.PutStatus(probe.Status{Fetched: fetched, PageID: "tymt9n04zgry", Indicator: "minor", Description: "Partially Degraded Service"}); err != nil {
		t.Fatal(err)
	}
	rec, err = ReadRecorded(st, targets, now, horizon)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status == nil || !rec.Status.Fetched.Equal(fetched) || rec.Status.Indicator != "minor" {
		t.Errorf("status %+v, want the snapshot read at %v", rec.Status, fetched)
	}

	// A database that cannot be read: the error, whether the results or
	// the status snapshot fail.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadRecorded(st, targets, now, horizon); err == nil {
		t.Error("no error reading the results of a closed database")
	}
	if _, err := ReadRecorded(st, nil, now, horizon); err == nil {
		t.Error("no error reading the status snapshot of a closed database")
	}
}
