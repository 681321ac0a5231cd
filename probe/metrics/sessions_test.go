package metrics

import (
	"testing"
	"time"

	"downforai/probe"
)

// TestSessionsCountCalls (issue 19): downforai_probes_total for Claude
// Code's sessions counts calls, as History and Live count them
// (probe.SessionCalls), not transcript records: a call retried three
// times and then answered was four records — three "overloaded" and one
// "ok" — and is one call that succeeded. A call is counted when it ends,
// by its outcome: the answer, the error Claude Code showed, or — retries
// no outcome ended — its newest attempt once RetryOutcomeWithin has gone
// by (a tick ends it) or its session starts another call. Every other
// target still counts every result.
func TestSessionsCountCalls(t *testing.T) {
	rec := func(sec int, session string, attempt int, c probe.Class) probe.Result {
		return probe.Result{Target: probe.TargetSessions, Time: t0.Add(time.Duration(sec) * time.Second), Class: c,
			Detail: probe.SessionDetail{Version: "2.1.44", Session: session, Attempt: attempt, MaxAttempts: 10, GaveUp: attempt == 0 && c.Failing()}.String()}
	}
	retries := func(start int, session string, n int) []probe.Result {
		var rs []probe.Result
		for i := 1; i <= n; i++ {
			rs = append(rs, rec(start+2*i, session, i, probe.ClassOverloaded))
		}
		return rs
	}
	then := func(a []probe.Result, b ...probe.Result) []probe.Result { return append(a, b...) }
	for _, tc := range []struct {
		name    string
		rs      []probe.Result
		tick    time.Duration // after the last record; 0: none
		want    map[string]float64
		pending int // calls still under way, not yet counted
	}{
		{"retried three times, then answered: one call that succeeded",
			then(retries(0, "s1", 3), rec(20, "s1", 0, probe.ClassOK)), 0,
			map[string]float64{"ok": 1, "overloaded": 0}, 0},
		{"retried three times, then the error shown: one failed call",
			then(retries(0, "s1", 3), rec(20, "s1", 0, probe.ClassOverloaded)), 0,
			map[string]float64{"ok": 0, "overloaded": 1}, 0},
		{"retries under way: not counted until the call ends",
			retries(0, "s1", 3), 0,
			map[string]float64{"ok": 0, "overloaded": 0}, 1},
		{"retries no outcome ended: one failed call once a tick finds them abandoned",
			retries(0, "s1", 3), probe.RetryOutcomeWithin + time.Second,
			map[string]float64{"ok": 0, "overloaded": 1}, 0},
		{"a session starting a new call at attempt 1: the chain before was one call",
			then(retries(0, "s1", 2), then(retries(30, "s1", 1), rec(40, "s1", 0, probe.ClassOK))...), 0,
			map[string]float64{"ok": 1, "overloaded": 1}, 0},
		{"two sessions interleaved: two calls",
			[]probe.Result{rec(0, "s1", 1, probe.ClassOverloaded), rec(1, "s2", 1, probe.ClassOverloaded), rec(3, "s1", 2, probe.ClassOverloaded),
				rec(4, "s2", 0, probe.ClassOK), rec(9, "s1", 0, probe.ClassServer)}, 0,
			map[string]float64{"ok": 1, "overloaded": 0, "server": 1}, 0},
		{"answers without retries: a call each",
			[]probe.Result{rec(0, "s1", 0, probe.ClassOK), rec(5, "s1", 0, probe.ClassOK), rec(9, "s2", 0, probe.ClassRateLimited)}, 0,
			map[string]float64{"ok": 2, "rate_limited": 1}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New("dev")
			for i := range tc.rs {
				m.Observe(tc.rs[i].Time, &probe.Event{Result: tc.rs[i]}, probe.Verdict{}, nil)
			}
			if tc.tick > 0 {
				m.Observe(tc.rs[len(tc.rs)-1].Time.Add(tc.tick), nil, probe.Verdict{}, nil)
			}
			fams := scrape(t, m)
			for class, want := range tc.want {
				got, _ := value(t, fams, "downforai_probes_total", map[string]string{"target": "code_sessions", "class": class})
				if got != want {
					t.Errorf("downforai_probes_total{target=\"code_sessions\",class=%q} = %v, want %v", class, got, want)
				}
			}
			// A transcript says no call's duration.
			if d, ok := value(t, fams, "probe_duration_seconds", map[string]string{"target": "code_sessions"}); ok {
				t.Errorf("probe_duration_seconds{target=\"code_sessions\"} = %v: the transcript measured none", d)
			}
			// The calls counted are the calls History and Live count, but
			// those still under way.
			calls := float64(len(probe.SessionCalls(tc.rs)) - tc.pending)
			total := 0.0
			for _, s := range fams["downforai_probes_total"].GetMetric() {
				for _, l := range s.GetLabel() {
					if l.GetName() == "target" && l.GetValue() == "code_sessions" {
						total += s.GetCounter().GetValue()
					}
				}
			}
			if total != calls {
				t.Errorf("%v calls counted, SessionCalls has %v", total, calls)
			}
		})
	}
	// Other targets: every result is one.
	m := New("dev")
	for i := range 3 {
		m.Observe(t0, &probe.Event{Result: probe.Result{Target: probe.TargetAPI, Time: t0.Add(time.Duration(i) * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529}}, probe.Verdict{}, nil)
	}
	if got, _ := value(t, scrape(t, m), "downforai_probes_total", map[string]string{"target": "api", "class": "overloaded"}); got != 3 {
		t.Errorf("api: %v overloaded results counted, want 3", got)
	}
}
