package probe

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// scripted is a check whose results follow a script of classes, the last
// one repeating.
func scripted(t Target, interval, fast time.Duration, mu *sync.Mutex, script *[]Result) Check {
	return Check{Target: t, Interval: interval, Fast: fast, Run: func(context.Context) Event {
		mu.Lock()
		defer mu.Unlock()
		r := (*script)[0]
		if len(*script) > 1 {
			*script = (*script)[1:]
		}
		r.Target = t
		return Event{Result: r}
	}}
}

func TestFastIntervalOnFailureAndBack(t *testing.T) {
	var mu sync.Mutex
	ok, bad := Result{Class: ClassOK}, Result{Class: ClassOverloaded}
	script := []Result{ok, bad, bad, ok, ok, ok}
	c := scripted(TargetAPIKey, time.Minute, 10*time.Second, &mu, &script)
	e := NewEngine([]Check{c}, nil, WithRecoverAfter(2))
	want := []struct {
		iv   time.Duration
		fast bool
	}{
		{time.Minute, false},     // ok
		{10 * time.Second, true}, // fails: fast
		{10 * time.Second, true}, // still failing
		{10 * time.Second, true}, // one success: not yet recovered
		{time.Minute, false},     // two in a row: back to normal
		{time.Minute, false},     // and stays there
	}
	for i, w := range want {
		e.RunOnce(context.Background())
		s := e.Schedules()[0]
		if s.Interval != w.iv || s.Fast != w.fast {
			t.Fatalf("after run %d: every %v fast=%v, want %v %v", i+1, s.Interval, s.Fast, w.iv, w.fast)
		}
	}
}

func TestRateLimitBacksOff(t *testing.T) {
	var mu sync.Mutex
	rl := Result{Class: ClassRateLimited}
	ra := Result{Class: ClassRateLimited, RateLimit: RateLimit{RetryAfter: 20 * time.Minute}}
	script := []Result{rl, rl, ra, {Class: ClassServer, RateLimit: RateLimit{RetryAfter: 2 * time.Hour}}, {Class: ClassOK}}
	e := NewEngine([]Check{scripted(TargetAPIKey, time.Minute, 10*time.Second, &mu, &script)}, nil)
	for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 20 * time.Minute, MaxBackoff, 10 * time.Second} {
		e.RunOnce(context.Background())
		if s := e.Schedules()[0]; s.Interval != want {
			t.Fatalf("after run %d: every %v, want %v (%+v)", i+1, s.Interval, want, s)
		}
	}
}

// TestStatusAlert: the status page is read at its alert interval while
// another probe fails or an incident is open, and a check waiting out its
// long interval is re-timed at once when that starts.
func TestStatusAlert(t *testing.T) {
	var mu sync.Mutex
	apiScript := []Result{{Class: ClassOK}}
	var statusRuns atomic.Int32
	var incident atomic.Bool
	status := Check{Target: TargetStatus, Interval: time.Hour, Alert: 20 * time.Millisecond, Run: func(context.Context) Event {
		statusRuns.Add(1)
		st := &Status{}
		if incident.Load() {
			st.Incidents = []Incident{{ID: "x"}}
		}
		return Event{Result: Result{Target: TargetStatus, Class: ClassOK}, Status: st}
	}}
	api := scripted(TargetAPI, time.Hour, 0, &mu, &apiScript)
	e := NewEngine([]Check{status, api}, nil, WithJitter(func(time.Duration) time.Duration { return 0 }))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	waitFor(t, func() bool { return statusRuns.Load() >= 1 })
	if s := e.Schedules()[0]; s.Interval != time.Hour || s.Alert {
		t.Fatalf("all well: %+v", s)
	}
	// The API starts failing: the status page, waiting out its hour, is re-timed.
	mu.Lock()
	apiScript = []Result{{Class: ClassNetwork}}
	mu.Unlock()
	e.Refresh()
	n := statusRuns.Load()
	waitFor(t, func() bool { return statusRuns.Load() >= n+3 })
	if s := e.Schedules()[0]; s.Interval != 20*time.Millisecond || !s.Alert {
		t.Fatalf("while the API fails: %+v", s)
	}
	// The API recovers, but an incident is open: still fast.
	mu.Lock()
	apiScript = []Result{{Class: ClassOK}}
	mu.Unlock()
	incident.Store(true)
	e.Refresh()
	waitFor(t, func() bool { return e.Schedules()[1].Interval == time.Hour && statusRuns.Load() >= n+6 })
	if s := e.Schedules()[0]; s.Interval != 20*time.Millisecond {
		t.Fatalf("incident open: %+v", s)
	}
	incident.Store(false)
	waitFor(t, func() bool { return e.Schedules()[0].Interval == time.Hour })
}

// waitFor polls cond; the bound only keeps a broken engine from hanging
// the test, it measures nothing.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestNewChecksFastInterval(t *testing.T) {
	cs := NewChecks(Config{APIKey: "k", Interval: time.Minute, Timeout: 15 * time.Second, FastInterval: 5 * time.Second,
		CanaryModels: []string{"claude-haiku-4-5"}, CanaryBudget: 100})
	got := map[Target]Check{}
	for _, c := range cs {
		got[c.Target] = c
	}
	if got[TargetAPIKey].Fast != 15*time.Second || got[TargetAPI].Fast != 15*time.Second {
		t.Errorf("fast below the timeout: %v", got[TargetAPIKey].Fast)
	}
	if got[TargetCode].Fast != 0 || got[TargetStatus].Fast != 0 || got[TargetStatus].Alert != AlertStatusInterval {
		t.Errorf("code %v status %v/%v", got[TargetCode].Fast, got[TargetStatus].Fast, got[TargetStatus].Alert)
	}
	c, ok := got[ModelTarget("claude-haiku-4-5")]
	if !ok || c.Interval != DefaultCanaryInterval || c.Fast != 15*time.Second {
		t.Errorf("canary check %+v", c)
	}
	if cs := NewChecks(Config{FastInterval: -1}); cs[1].Fast != 0 {
		t.Error("fast probing not off")
	}
}
