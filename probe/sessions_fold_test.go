package probe

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSessionCallFoldIsSessionCalls: records fed one at a time end the
// calls SessionCalls makes of them — after every record, the calls ended
// so far and those still under way are SessionCalls of the records so
// far; once every chain is RetryOutcomeWithin old, all of them have ended.
// Random runs of three sessions (one of them writing no session id),
// retries, answers, errors shown, restarts at attempt 1 and long pauses.
func TestSessionCallFoldIsSessionCalls(t *testing.T) {
	key := func(r Result) string { return r.RequestID }
	keys := func(rs []Result) []string {
		out := make([]string, 0, len(rs))
		for _, r := range rs {
			out = append(out, key(r))
		}
		slices.Sort(out)
		return out
	}
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 19))
		var (
			f     SessionCallFold
			rs    []Result
			ended []Result
			trace []string
		)
		at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
		attempt := map[string]int{}
		for i := range 40 {
			switch rng.IntN(10) {
			case 0:
				at = at.Add(RetryOutcomeWithin + time.Duration(rng.IntN(60))*time.Second) // a long pause
			default:
				at = at.Add(time.Duration(rng.IntN(90)) * time.Second)
			}
			s := []string{"a", "b", ""}[rng.IntN(3)]
			d := SessionDetail{Version: "2.1.44", Session: s}
			r := Result{Target: TargetSessions, Time: at, RequestID: fmt.Sprintf("r%02d", i)}
			switch rng.IntN(4) {
			case 0, 1: // a retry: the next attempt, or attempt 1 again
				attempt[s]++
				if rng.IntN(5) == 0 {
					attempt[s] = 1
				}
				d.Attempt, d.MaxAttempts, r.Class = attempt[s], 10, ClassOverloaded
			case 2:
				attempt[s], r.Class = 0, ClassOK
			default:
				attempt[s], d.GaveUp, r.Class = 0, true, ClassOverloaded
			}
			r.Detail = d.String()
			rs = append(rs, r)
			ended = append(ended, f.Add(r)...)
			trace = append(trace, r.RequestID+" "+r.Time.Format("15:04:05")+" "+r.Detail)
			got := keys(append(slices.Clone(ended), f.Pending()...))
			if want := keys(SessionCalls(rs)); !slices.Equal(got, want) {
				t.Fatalf("seed %d, after %d records: ended+pending %v, SessionCalls %v\n%s", seed, len(rs), got, want, strings.Join(trace, "\n"))
			}
		}
		ended = append(ended, f.Expire(at.Add(RetryOutcomeWithin+time.Second))...)
		if got, want := keys(ended), keys(SessionCalls(rs)); !slices.Equal(got, want) || len(f.Pending()) != 0 {
			t.Fatalf("seed %d, every chain abandoned: ended %v (pending %d), SessionCalls %v", seed, got, len(f.Pending()), want)
		}
	}
}

// TestSessionCallFoldEndsCalls: when each call is said ended, and as what.
func TestSessionCallFoldEndsCalls(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	rec := func(id string, sec int, session string, attempt int, c Class) Result {
		return Result{Target: TargetSessions, Time: t0.Add(time.Duration(sec) * time.Second), Class: c, RequestID: id,
			Detail: SessionDetail{Session: session, Attempt: attempt, MaxAttempts: 10}.String()}
	}
	for _, tc := range []struct {
		name string
		rs   []Result
		want []string // what each record ends, "" for nothing
	}{
		{"retried three times then answered: one call, at the answer",
			[]Result{rec("1", 0, "s", 1, ClassOverloaded), rec("2", 2, "s", 2, ClassOverloaded), rec("3", 6, "s", 3, ClassOverloaded), rec("4", 20, "s", 0, ClassOK)},
			[]string{"", "", "", "4 ok"}},
		{"retried then the error shown", []Result{rec("1", 0, "s", 1, ClassOverloaded), rec("2", 9, "s", 0, ClassOverloaded)},
			[]string{"", "2 overloaded"}},
		{"attempt 1 again: the chain before is a call", []Result{rec("1", 0, "s", 1, ClassOverloaded), rec("2", 3, "s", 2, ClassServer), rec("3", 30, "s", 1, ClassOverloaded), rec("4", 40, "s", 0, ClassOK)},
			[]string{"", "", "2 server", "4 ok"}},
		{"abandoned: ended by a later record past RetryOutcomeWithin", []Result{rec("1", 0, "s", 1, ClassOverloaded), rec("2", 12*60, "t", 0, ClassOK)},
			[]string{"", "1 overloaded, 2 ok"}},
		{"a record without its session id belongs to the one chain", []Result{rec("1", 0, "s", 1, ClassOverloaded), rec("2", 4, "", 0, ClassOK)},
			[]string{"", "2 ok"}},
		{"another target passes through", []Result{{Target: TargetAPI, Time: t0, Class: ClassOK, RequestID: "1"}}, []string{"1 ok"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f SessionCallFold
			for i, r := range tc.rs {
				var got []string
				for _, c := range f.Add(r) {
					got = append(got, c.RequestID+" "+c.Class.String())
				}
				if s := strings.Join(got, ", "); s != tc.want[i] {
					t.Errorf("record %d ends %q, want %q", i, s, tc.want[i])
				}
			}
		})
	}
}
