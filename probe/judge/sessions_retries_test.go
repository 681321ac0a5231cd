package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// retriedCall is one request of Claude Code's, as probe/transcript reads
// it: the retry records of its failed attempts ("attempt n of 10"), then
// the error it showed when it gave up (or, with answered, the answer).
func retriedCall(end time.Time, attempts int, answered bool) []probe.Result {
	var rs []probe.Result
	for n := 1; n <= attempts; n++ {
		rs = append(rs, probe.Result{Target: probe.TargetSessions, Time: end.Add(-time.Duration(attempts-n+1) * 3 * time.Second),
			Class: probe.ClassOverloaded, HTTPStatus: 529, ErrorType: "overloaded_error", Message: "Overloaded",
			Detail: probe.SessionDetail{Version: "2.1.44", Session: "1a2b3c4d", Attempt: n, MaxAttempts: 10}.String()})
	}
	last := probe.Result{Target: probe.TargetSessions, Time: end, Class: probe.ClassOverloaded, HTTPStatus: 529, ErrorType: "overloaded_error",
		Message: "Overloaded", RequestID: "req_011CXPBk57rUbKp5XVtievhP",
		Detail: probe.SessionDetail{Version: "2.1.44", Session: "1a2b3c4d", GaveUp: true}.String()}
	if answered {
		last = probe.Result{Target: probe.TargetSessions, Time: end, Class: probe.ClassOK, RequestID: "req_011CSok",
			Detail: probe.SessionDetail{Version: "2.1.44", Model: "claude-opus-4-6", Session: "1a2b3c4d"}.String()}
	}
	return append(rs, last)
}

// TestSessionsCountCallsNotAttempts (cold6 E6): one request Claude Code
// retried three times, then showed its 529, is one failed call — the
// headline says 1, not 4 — and a request whose retries ended in an answer
// is one call that succeeded, no failure at all.
func TestSessionsCountCallsNotAttempts(t *testing.T) {
	in := input(row{"operational", "ok", "ok", "good", "ok", probe.VerdictOperational, "", nil})
	in.Recent[probe.TargetSessions] = recordedCalls(t, retriedCall(now.Add(-10*time.Second), 3, false))
	v := Judge(in)
	if !strings.Contains(v.Headline, "one Claude Code call failed (529 overloaded)") || v.Kind != probe.VerdictDegraded {
		t.Errorf("one retried call: %s %q, want it to count 1 call, hedged", v.Kind.Key(), v.Headline)
	}
	for _, f := range append([]string{v.Headline}, v.Facts...) {
		if strings.Contains(f, "4 in the last") || strings.Contains(f, "4 errors") || strings.Contains(f, "of 4 calls") {
			t.Errorf("the attempts counted as calls: %q", f)
		}
	}

	in.Recent[probe.TargetSessions] = recordedCalls(t, retriedCall(now.Add(-10*time.Second), 3, true))
	if v := Judge(in); v.Kind != probe.VerdictOperational {
		t.Errorf("retries that ended in an answer: %s %q, want all clear", v.Kind.Key(), v.Headline)
	}
}

// TestDetectorCountsCallsNotAttempts (cold6 E6): the sessions' incident
// opens after --fail-threshold failed calls, each counted once by its
// outcome: one call retried three times opens none, three such calls open
// one that says 3 calls failed.
func TestDetectorCountsCallsNotAttempts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		calls int
		open  bool
	}{{"one call, retried three times", 1, false}, {"three calls, each retried", 3, true}} {
		t.Run(tc.name, func(t *testing.T) {
			var rs []probe.Result
			for i := range tc.calls {
				rs = append(rs, retriedCall(t0.Add(time.Duration(i+1)*time.Minute), 3, false)...)
			}
			d := NewDetector(DetectorConfig{Now: func() time.Time { return t0.Add(5 * time.Minute) }})
			for _, r := range rs {
				d.Observe(probe.Event{Result: r})
			}
			open := d.Open()
			if (len(open) > 0) != tc.open {
				t.Fatalf("open %v, want open=%v", open, tc.open)
			}
			if tc.open && (open[0].Failures != 3 || open[0].Probes != 3) {
				t.Errorf("incident counts %d failures of %d calls, want 3 of 3", open[0].Failures, open[0].Probes)
			}
		})
	}
}

// TestOneFailedCallIsNoOutage (the lead's policy): one Claude Code call
// that failed after its retries, while our probes pass, is an observation,
// not an outage — amber and hedged, never "not yet acknowledged"; a second
// failed call within SessionsFresh, or our API probe failing, is
// persistence: red, as before.
func TestOneFailedCallIsNoOutage(t *testing.T) {
	in := input(row{"operational", "ok", "ok", "good", "ok", probe.VerdictOperational, "", nil})
	in.Recent[probe.TargetSessions] = recordedCalls(t, retriedCall(now.Add(-10*time.Second), 3, false))
	v := Judge(in)
	if v.Kind != probe.VerdictDegraded || !strings.HasPrefix(v.Headline, "Likely brief: one Claude Code call failed (529 overloaded) at 14:01:50 UTC (10 s ago) while our probes succeed") {
		t.Errorf("one failed call: %s %q", v.Kind.Key(), v.Headline)
	}
	if strings.Contains(v.Headline, "not yet acknowledged") {
		t.Errorf("one failed call said as an outage: %q", v.Headline)
	}

	two := in
	two.Recent = map[probe.Target][]probe.Result{}
	for k, rs := range in.Recent {
		two.Recent[k] = rs
	}
	two.Recent[probe.TargetSessions] = recordedCalls(t, append(retriedCall(now.Add(-5*time.Minute), 3, false), retriedCall(now.Add(-10*time.Second), 3, false)...))
	if v := Judge(two); v.Kind != probe.VerdictUnacknowledged {
		t.Errorf("two failed calls: %s %q, want not yet acknowledged", v.Kind.Key(), v.Headline)
	}

	failing := input(row{"operational", "529", "ok", "good", "ok", probe.VerdictUnacknowledged, "", nil})
	failing.Recent[probe.TargetSessions] = recordedCalls(t, retriedCall(now.Add(-10*time.Second), 3, false))
	if v := Judge(failing); v.Kind != probe.VerdictUnacknowledged {
		t.Errorf("one failed call, our API probe failing too: %s %q, want not yet acknowledged", v.Kind.Key(), v.Headline)
	}
}
