package ui

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/judge"
)

// TestRestartForgetsHoursOldFailures (verdicts item 3): after a restart
// the database's results are weighed only within the horizon, as check
// and diagnose weigh them. Two hours ago the API failed twelve times; now
// everything answers: one fresh success must not read as "recovering"
// from a failure nobody has seen for two hours.
func TestRestartForgetsHoursOldFailures(t *testing.T) {
	old := testNow.Add(-2 * time.Hour)
	fail := func(int) (probe.Result, bool) { return overloaded(1), true }
	snap := healthySnapshot(old, 12)
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 12, old, 30*time.Second, 200*time.Millisecond, fail)
	snap.recent[probe.TargetAPIKey] = series(probe.TargetAPIKey, 12, old, 30*time.Second, 200*time.Millisecond, fail)
	fresh := testNow.Add(-5 * time.Second)
	st := operationalStatus(fresh)
	round := []any{
		eventMsg{Result: series(probe.TargetStatus, 1, fresh, time.Second, 100*time.Millisecond, never)[0], Status: &st},
		eventMsg{Result: series(probe.TargetAPI, 1, fresh, time.Second, 200*time.Millisecond, never)[0]},
		eventMsg{Result: series(probe.TargetAPIKey, 1, fresh, time.Second, 200*time.Millisecond, never)[0]},
		eventMsg{Result: series(probe.TargetClaudeAI, 1, fresh, time.Second, 140*time.Millisecond, never)[0]},
	}
	for _, tc := range []struct {
		name    string
		horizon time.Duration
		noGap   bool // no stale limit: the judge sees no gap either
		want    probe.VerdictKind
	}{
		{"with the horizon", 6 * time.Minute, false, probe.VerdictOperational},
		// Without it, and without the stale limit that makes two hours
		// without a probe a gap (judge.afterGap), the hours-old streak
		// still holds the banner: the defect this fixes.
		{"without", 0, true, probe.VerdictUnacknowledged},
		// Without the horizon, the gap alone: the streak is before it.
		{"without the horizon, the gap", 0, false, probe.VerdictOperational},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions()
			opts.Horizon = tc.horizon
			if tc.noGap {
				opts.StaleAfter = 0
			}
			m := send(New(opts), snap)
			for _, ev := range round {
				m = send(m, ev.(eventMsg))
			}
			if v := m.board.verdict; v.Kind != tc.want {
				t.Errorf("verdict %s %q, want %s", v.Kind.Key(), v.Headline, tc.want.Key())
			}
			if tc.horizon > 0 && strings.Contains(m.board.verdict.Headline, "recover") {
				t.Errorf("headline says recovering: %q", m.board.verdict.Headline)
			}
			// The strips still hold the old results: only the verdict forgets.
			if n := len(m.board.rings[probe.TargetAPI].items()); n != 13 {
				t.Errorf("API ring holds %d results, want 13", n)
			}
		})
	}
}

// TestUnreadableSinceAgreesWithCheck (cold2 C4): the dashboard and
// `check` gave different "could not be read since" for one unreadable
// page — check read the last 12 recorded reads and its own, so its since
// was the 12th newest, the dashboard's ring went back to the first
// failure. One rule now: the first failed read of the unbroken run since
// the last good read, among the newest judge.PageReads, whatever its age;
// a gap longer than the stale limit breaks the run.
func TestUnreadableSinceAgreesWithCheck(t *testing.T) {
	if ringSize != judge.PageReads {
		t.Fatalf("the ring holds %d status reads, check reads %d: their since can differ", ringSize, judge.PageReads)
	}
	good := testNow.Add(-10*time.Minute - time.Second)
	st := operationalStatus(good)
	garbage := func(int) (probe.Result, bool) {
		return probe.Result{Class: probe.ClassUnexpected, HTTPStatus: 200, ErrorType: "not_json", Message: "status page answered 200 with a body that is not JSON"}, true
	}
	// Every 5 s since 9 min 55 s ago: 120 reads, all failed.
	reads := series(probe.TargetStatus, 120, testNow.Add(-5*time.Second), 5*time.Second, 100*time.Millisecond, garbage)
	first := reads[0].Time
	horizon := judge.Horizon(5*time.Second, 5*time.Second) // one minute
	ok := series(probe.TargetAPI, 12, testNow.Add(-5*time.Second), 5*time.Second, 200*time.Millisecond, never)

	// The dashboard, started now on that database.
	opts := testOptions()
	opts.Horizon = horizon
	m := send(New(opts), snapshotMsg{recent: map[probe.Target][]probe.Result{probe.TargetStatus: reads, probe.TargetAPI: ok}, status: &st})
	dash := m.board.verdict.Official

	// check: what it reads of the same database, then its own failed read.
	h := memHistory{results: map[probe.Target][]probe.Result{probe.TargetStatus: reads, probe.TargetAPI: ok}, status: &st}
	rec, err := judge.ReadRecorded(h, []probe.Target{probe.TargetStatus, probe.TargetAPI}, testNow, horizon)
	if err != nil {
		t.Fatal(err)
	}
	own, _ := garbage(0)
	own.Target, own.Time = probe.TargetStatus, testNow
	rec.Recent[probe.TargetStatus] = append(rec.Recent[probe.TargetStatus], own)
	chk := judge.Judge(judge.Input{Status: rec.Status, Recent: rec.Recent, Now: testNow, StaleAfter: opts.StaleAfter}).Official

	if dash.State != probe.OfficialUnreadable || chk.State != probe.OfficialUnreadable {
		t.Fatalf("states: dashboard %s, check %s", dash.State, chk.State)
	}
	if !dash.Since.Equal(first) || !chk.Since.Equal(first) {
		t.Errorf("since: dashboard %v, check %v; want both the first failed read %v", dash.Since, chk.Since, first)
	}
	if !dash.Read.Equal(good) || !chk.Read.Equal(good) {
		t.Errorf("last good read: dashboard %v, check %v; want %v", dash.Read, chk.Read, good)
	}

	// A gap longer than the stale limit breaks the run: downforai was not
	// reading then, so the run we saw begins after it.
	gapped := append(series(probe.TargetStatus, 3, testNow.Add(-9*time.Minute), 5*time.Second, 100*time.Millisecond, garbage),
		series(probe.TargetStatus, 4, testNow.Add(-5*time.Second), 5*time.Second, 100*time.Millisecond, garbage)...)
	v := judge.Judge(judge.Input{Status: &st, Recent: map[probe.Target][]probe.Result{probe.TargetStatus: gapped, probe.TargetAPI: ok}, Now: testNow, StaleAfter: opts.StaleAfter})
	if want := gapped[3].Time; !v.Official.Since.Equal(want) {
		t.Errorf("since across a gap: %v, want %v (the first read after it)", v.Official.Since, want)
	}
}

// TestRestartObservesOnlyTheHorizon (verdicts item 2): "What we're seeing
// right now" counts what the verdict weighs. Twelve 529s two hours before
// a restart, then one fresh success: no "succeed again … after 12 of the
// last 13", no count that takes in the hours-old results — the strips and
// History still hold them.
func TestRestartObservesOnlyTheHorizon(t *testing.T) {
	old := testNow.Add(-2 * time.Hour)
	fail := func(int) (probe.Result, bool) { return overloaded(1), true }
	snap := healthySnapshot(old, 12)
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 12, old, 30*time.Second, 200*time.Millisecond, fail)
	fresh := testNow.Add(-5 * time.Second)
	st := operationalStatus(fresh)
	for _, tc := range []struct {
		name    string
		horizon time.Duration
		old     bool // the observations speak of the old 529s
	}{
		{"with the horizon", 6 * time.Minute, false},
		{"without", 0, true}, // the defect this fixes, when every result counted
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions()
			opts.Horizon = tc.horizon
			m := send(New(opts), snap)
			for _, ev := range []eventMsg{
				{Result: series(probe.TargetStatus, 1, fresh, time.Second, 100*time.Millisecond, never)[0], Status: &st},
				{Result: series(probe.TargetAPI, 1, fresh, time.Second, 200*time.Millisecond, never)[0]},
				{Result: series(probe.TargetClaudeAI, 1, fresh, time.Second, 140*time.Millisecond, never)[0]},
			} {
				m = send(m, ev)
			}
			var says []string
			for _, o := range observe(m.board) {
				says = append(says, o.text)
			}
			all := strings.Join(says, "\n")
			if got := strings.Contains(all, "529") || strings.Contains(all, "of the last"); got != tc.old {
				t.Errorf("speaks of the 529s two hours old: %v, want %v:\n%s", got, tc.old, all)
			}
			if !tc.old && !strings.Contains(all, "API") {
				t.Errorf("the fresh API answer is not observed:\n%s", all)
			}
		})
	}
}
