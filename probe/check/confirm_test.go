package check

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/fakeupstream"
	"downforai/probe/judge"
)

// TestCheckConfirmsAChangeAtOnce: a round whose API answer turned from the
// recorded one asks the API again at once, so a fresh 529 after successes
// is "not yet acknowledged" (exit 2), never "all clear" beside it, and an
// API answering after failures recovers within the one check when it keeps
// answering.
func TestCheckConfirmsAChangeAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name     string
		mode     fakeupstream.Mode
		recorded probe.Class
		recover  int
		kind     probe.VerdictKind
		asked    int // API reachability results in the report
	}{
		{"new failure", fakeupstream.ModeUnacknowledged, probe.ClassOK, 2, probe.VerdictUnacknowledged, 2},
		{"recovery", fakeupstream.ModeOperational, probe.ClassOverloaded, 2, probe.VerdictOperational, 2},
		{"slow recovery", fakeupstream.ModeOperational, probe.ClassOverloaded, 6, probe.VerdictUnacknowledged, 4},
		{"no change", fakeupstream.ModeOperational, probe.ClassOK, 2, probe.VerdictOperational, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := fakeupstream.New(tc.mode)
			defer fake.Close()
			cfg := probe.Config{StatusURL: fake.URL, APIURL: fake.URL, ClaudeURL: fake.URL,
				Interval: time.Minute, StatusInterval: time.Minute, Timeout: 2 * time.Second,
				ClaudeBin: filepath.Join(t.TempDir(), "no-such-claude"), SlowAfter: -1}
			var rec []probe.Result
			for i := range 4 {
				r := probe.Result{Target: probe.TargetAPI, Time: time.Now().Add(-time.Duration(40-i*10) * time.Second), Class: tc.recorded, HTTPStatus: 401}
				if tc.recorded == probe.ClassOverloaded {
					r.HTTPStatus, r.ErrorType, r.Message = 529, "overloaded_error", "529 overloaded_error: Overloaded"
				}
				rec = append(rec, r)
			}
			past := Past{Recorded: judge.Recorded{Recent: map[probe.Target][]probe.Result{probe.TargetAPI: rec}, Rounds: 4},
				From: "the database", StaleAfter: 3 * time.Minute, Recover: tc.recover}
			checks := probe.NewChecks(cfg)
			r := Run(context.Background(), probe.NewEngine(checks, nil), len(checks), time.Now, past)
			if r.Verdict.Kind != tc.kind {
				t.Errorf("verdict %s %q, want %s", r.Verdict.Kind.Key(), r.Verdict.Headline, tc.kind.Key())
			}
			n := 0
			for _, res := range r.Results {
				if res.Target == probe.TargetAPI {
					n++
				}
			}
			if n != tc.asked {
				t.Errorf("the API was asked %d times, want %d", n, tc.asked)
			}
			if again := strings.Contains(r.Basis, "later to confirm a change"); again != (tc.asked > 1) {
				t.Errorf("basis %q", r.Basis)
			}
			if r.Interrupted {
				t.Error("interrupted")
			}
		})
	}
}

// TestCheckHonoursRetryAfter (cold C7): a 429 with Retry-After after
// successes is the verdict at once, so check does not ask the key again
// within the Retry-After the server set — one request, and "Your quota".
func TestCheckHonoursRetryAfter(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeRateLimited)
	defer fake.Close()
	cfg := probe.Config{StatusURL: fake.URL, APIURL: fake.URL, ClaudeURL: fake.URL,
		Interval: time.Minute, StatusInterval: time.Minute, Timeout: 2 * time.Second,
		APIKey:    "sk-ant-api03-CHECKRETRYxxxxXy7A",
		ClaudeBin: filepath.Join(t.TempDir(), "no-such-claude"), SlowAfter: -1}
	var rec []probe.Result
	for i := range 4 {
		rec = append(rec, probe.Result{Target: probe.TargetAPIKey, Time: time.Now().Add(-time.Duration(40-i*10) * time.Second), Class: probe.ClassOK, HTTPStatus: 200})
	}
	past := Past{Recorded: judge.Recorded{Recent: map[probe.Target][]probe.Result{probe.TargetAPIKey: rec}, Rounds: 4},
		From: "the database", StaleAfter: 3 * time.Minute, Recover: 2}
	checks := probe.NewChecks(cfg)
	r := Run(context.Background(), probe.NewEngine(checks, nil), len(checks), time.Now, past)
	n := 0
	for _, res := range r.Results {
		if res.Target == probe.TargetAPIKey {
			n++
			if res.RateLimit.RetryAfter <= 0 {
				t.Fatalf("the fake's 429 carries no Retry-After: %+v", res)
			}
		}
	}
	if n != 1 {
		t.Errorf("the key was asked %d times within its Retry-After, want once", n)
	}
	if r.Verdict.Kind != probe.VerdictLocalQuota {
		t.Errorf("verdict %s %q, want local_quota", r.Verdict.Kind.Key(), r.Verdict.Headline)
	}
}

// TestConfirmIsPacedLikeTheDashboard (cold walk of Dec 7): after 503s, an
// API failing every other second was "All clear" from two probes
// milliseconds apart while the dashboard beside it said it failed. Confirm
// waits the recorded rounds' spacing (at most MaxConfirmPause) before
// asking again, so its answers are as far apart as the dashboard's rounds.
func TestConfirmIsPacedLikeTheDashboard(t *testing.T) {
	at := func(s int) probe.Result {
		return probe.Result{Target: probe.TargetAPI, Time: time.Unix(int64(s), 0), Class: probe.ClassServer}
	}
	rec := map[probe.Target][]probe.Result{
		probe.TargetAPI:    {at(0), at(5), at(10)},
		probe.TargetAPIKey: {at(0), at(30)},
	}
	defer func(old time.Duration) { MaxConfirmPause = old }(MaxConfirmPause)
	MaxConfirmPause = 10 * time.Second
	for _, tc := range []struct {
		name string
		ts   []probe.Target
		want time.Duration
	}{
		{"the dashboard's interval", []probe.Target{probe.TargetAPI}, 5 * time.Second},
		{"the shorter of two", []probe.Target{probe.TargetAPIKey, probe.TargetAPI}, 5 * time.Second},
		{"at most MaxConfirmPause", []probe.Target{probe.TargetAPIKey}, 10 * time.Second},
		{"nothing recorded", []probe.Target{probe.TargetClaudeAI}, 5 * time.Second},
	} {
		if got := ConfirmPause(rec, tc.ts); got != tc.want {
			t.Errorf("%s: pause %v, want %v", tc.name, got, tc.want)
		}
	}
	// And Confirm waits it: a recovery asked again not before the pause.
	MaxConfirmPause = 300 * time.Millisecond
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	cfg := probe.Config{StatusURL: fake.URL, APIURL: fake.URL, ClaudeURL: fake.URL,
		Interval: time.Minute, StatusInterval: time.Minute, Timeout: 2 * time.Second,
		ClaudeBin: filepath.Join(t.TempDir(), "no-such-claude"), SlowAfter: -1}
	past := Past{Recorded: judge.Recorded{Recent: map[probe.Target][]probe.Result{probe.TargetAPI: {
		{Target: probe.TargetAPI, Time: time.Now().Add(-20 * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529},
		{Target: probe.TargetAPI, Time: time.Now().Add(-10 * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529},
	}}, Rounds: 2}, From: "the database", StaleAfter: 3 * time.Minute, Recover: 2}
	checks := probe.NewChecks(cfg)
	r := Run(context.Background(), probe.NewEngine(checks, nil), len(checks), time.Now, past)
	var times []time.Time
	for _, res := range r.Results {
		if res.Target == probe.TargetAPI {
			times = append(times, res.Time)
		}
	}
	if len(times) != 2 || times[1].Sub(times[0]) < 300*time.Millisecond {
		t.Errorf("the API asked at %v, want twice, 300ms apart at least", times)
	}
	if !strings.Contains(r.Basis, "asked again <1s later to confirm a change: API reachability") {
		t.Errorf("basis %q", r.Basis)
	}
}
