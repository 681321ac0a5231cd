package judge

import (
	"testing"
	"time"

	"downforai/probe"
)

// TestSessionsFreshIncludesItsEdge: a call exactly SessionsFresh old is
// still one of "the last 15 minutes"; a second more is not.
func TestSessionsFreshIncludesItsEdge(t *testing.T) {
	at := func(ago time.Duration) probe.Result {
		return probe.Result{Target: probe.TargetSessions, Time: now.Add(-ago), Class: probe.ClassOK}
	}
	rs := []probe.Result{at(SessionsFresh + time.Second), at(SessionsFresh), at(time.Minute)}
	if got := freshSessions(rs, now); len(got) != 2 || !got[0].Time.Equal(now.Add(-SessionsFresh)) {
		t.Errorf("kept %d calls, want the 2 within %v, its edge included", len(got), SessionsFresh)
	}
}

// TestSessionsRecoverAfterEnoughSuccesses: a failed call the user met
// counts at once and ends only after --recover-threshold calls in a row
// succeed (0: the default, 2) — one success after it is not enough at 2,
// is at 1, and two are not at 3.
func TestSessionsRecoverAfterEnoughSuccesses(t *testing.T) {
	call := func(ago time.Duration, c probe.Class) probe.Result {
		r := probe.Result{Target: probe.TargetSessions, Time: now.Add(-ago), Class: c}
		if c == probe.ClassOverloaded {
			r.HTTPStatus, r.ErrorType, r.Message = 529, "overloaded_error", "Overloaded"
		}
		return r
	}
	O, X := probe.ClassOK, probe.ClassOverloaded
	for _, tt := range []struct {
		recover int
		after   int // successes after the failure
		failing bool
	}{
		{0, 1, true}, {0, 2, false},
		{2, 1, true}, {2, 2, false},
		{1, 1, false},
		{3, 2, true}, {3, 3, false},
	} {
		rs := []probe.Result{call(9*time.Minute, O), call(5*time.Minute, X)}
		for i := range tt.after {
			rs = append(rs, call(time.Duration(4-i)*time.Minute, O))
		}
		v := watchSessions(rs, tt.recover)
		if v.state.failing() != tt.failing {
			t.Errorf("recover %d, %d successes after a 529: failing %v, want %v", tt.recover, tt.after, v.state.failing(), tt.failing)
		}
	}
}

// TestSessionCallSides: an unmatched call is Anthropic's when it is an
// overload, a server error or an odd 5xx; an odd 4xx says nothing.
func TestSessionCallSides(t *testing.T) {
	for _, tt := range []struct {
		r    probe.Result
		want state
	}{
		{probe.Result{Class: probe.ClassServer, HTTPStatus: 500, Message: "boom"}, sAnthropic},
		{probe.Result{Class: probe.ClassOverloaded, HTTPStatus: 529, Message: "busy"}, sAnthropic},
		{probe.Result{Class: probe.ClassUnexpected, HTTPStatus: 500, Message: "boom"}, sAnthropic},
		{probe.Result{Class: probe.ClassUnexpected, HTTPStatus: 499, Message: "boom"}, sNone},
		{probe.Result{Class: probe.ClassUnexpected, Message: "boom"}, sNone},
	} {
		tt.r.Target = probe.TargetSessions
		if got := classifySession(tt.r); got != tt.want {
			t.Errorf("%s %d %q: %v, want %v", tt.r.Class, tt.r.HTTPStatus, tt.r.Message, got, tt.want)
		}
	}
}

// TestSessionsFailureOutlastsTheWindow: with --recover-threshold above
// Window, the sessions' failed call stands until that many calls succeed
// after it, even when it is the oldest call kept and the successes after
// it fill the whole window watch judges — 12 successes of 13 needed are
// not a recovery, 13 are.
func TestSessionsFailureOutlastsTheWindow(t *testing.T) {
	call := func(ago time.Duration, c probe.Class) probe.Result {
		r := probe.Result{Target: probe.TargetSessions, Time: now.Add(-ago), Class: c}
		if c == probe.ClassOverloaded {
			r.HTTPStatus, r.ErrorType, r.Message = 529, "overloaded_error", "Overloaded"
		}
		return r
	}
	recover := Window + 1
	for _, tt := range []struct {
		before  int // successful calls kept before the failure
		after   int // successful calls after it
		failing bool
	}{
		{0, Window, true}, {1, Window, true},
		{0, Window + 1, false}, {1, Window + 1, false},
	} {
		var rs []probe.Result
		for i := range tt.before {
			rs = append(rs, call(time.Duration(14-i)*time.Minute, probe.ClassOK))
		}
		rs = append(rs, call(13*time.Minute, probe.ClassOverloaded))
		for i := range tt.after {
			rs = append(rs, call(12*time.Minute-time.Duration(i)*30*time.Second, probe.ClassOK))
		}
		v := watchSessions(rs, recover)
		if v.state.failing() != tt.failing {
			t.Errorf("recover %d, %d calls before a 529 and %d successes after it: failing %v, want %v",
				recover, tt.before, tt.after, v.state.failing(), tt.failing)
		}
		if tt.failing && v.pending != tt.after {
			t.Errorf("recover %d, %d successes after a 529: %d pending, want %d", recover, tt.after, v.pending, tt.after)
		}
	}
}
