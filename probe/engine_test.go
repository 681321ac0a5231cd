package probe

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// fakeRecorder is a Recorder that keeps everything in memory and fails on
// demand.
type fakeRecorder struct {
	mu       sync.Mutex
	results  []Result
	statuses []Status
	err      error
	inFlight int32
	overlap  bool
}

func (r *fakeRecorder) PutResult(res Result) error {
	if atomic.AddInt32(&r.inFlight, 1) > 1 {
		r.overlap = true
	}
	defer atomic.AddInt32(&r.inFlight, -1)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.results = append(r.results, res)
	return nil
}

func (r *fakeRecorder) PutStatus(s Status) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return false, r.err
	}
	r.statuses = append(r.statuses, s)
	return true, nil
}

func (r *fakeRecorder) setErr(err error) {
	r.mu.Lock()
	r.err = err
	r.mu.Unlock()
}

func (r *fakeRecorder) count() (int, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.results), len(r.statuses)
}

func noJitter(time.Duration) time.Duration { return 0 }

// okCheck returns a check that succeeds at once and counts its runs.
func okCheck(t Target, every time.Duration, runs *atomic.Int32) Check {
	return Check{Target: t, Interval: every, Run: func(ctx context.Context) Event {
		runs.Add(1)
		return Event{Result: Result{Target: t, Time: time.Now(), Class: ClassOK}}
	}}
}

func TestEngineSchedulesOnceAtStartThenEveryIntervalPlusJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var at []time.Duration
		begin := time.Now()
		c := Check{Target: TargetAPI, Interval: 10 * time.Second, Run: func(ctx context.Context) Event {
			mu.Lock()
			at = append(at, time.Since(begin))
			mu.Unlock()
			time.Sleep(2 * time.Second) // the probe's own duration does not shift the cadence
			return Event{Result: Result{Class: ClassOK}}
		}}
		e := NewEngine([]Check{c}, nil, WithJitter(func(d time.Duration) time.Duration { return d / 10 }))
		ctx, cancel := context.WithTimeout(t.Context(), 40*time.Second)
		defer cancel()
		if err := e.Run(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Run = %v, want deadline exceeded", err)
		}
		want := []time.Duration{0, 11 * time.Second, 22 * time.Second, 33 * time.Second}
		if fmt.Sprint(at) != fmt.Sprint(want) {
			t.Errorf("runs at %v, want %v", at, want)
		}
	})
}

func TestEngineNeverOverlapsRunsOfOneCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var active, maxActive atomic.Int32
		var mu sync.Mutex
		var at []time.Duration
		begin := time.Now()
		c := Check{Target: TargetAPIKey, Interval: 10 * time.Second, Run: func(ctx context.Context) Event {
			n := active.Add(1)
			defer active.Add(-1)
			for {
				m := maxActive.Load()
				if n <= m || maxActive.CompareAndSwap(m, n) {
					break
				}
			}
			mu.Lock()
			at = append(at, time.Since(begin))
			mu.Unlock()
			time.Sleep(25 * time.Second) // ignores its context: a misbehaving probe
			return Event{Result: Result{Class: ClassOK}}
		}}
		e := NewEngine([]Check{c}, nil, WithJitter(noJitter))
		ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
		defer cancel()
		e.Run(ctx)
		if maxActive.Load() != 1 {
			t.Errorf("max concurrent runs = %d, want 1", maxActive.Load())
		}
		want := []time.Duration{0, 25 * time.Second, 50 * time.Second}
		if fmt.Sprint(at) != fmt.Sprint(want) {
			t.Errorf("runs at %v, want %v (each at once after an overrun, never overlapping)", at, want)
		}
	})
}

func TestEngineRunGivesEachRunADeadlineNoLaterThanItsInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		got := make(chan time.Duration, 1)
		c := Check{Target: TargetAPI, Interval: 7 * time.Second, Run: func(ctx context.Context) Event {
			dl, ok := ctx.Deadline()
			if ok {
				select {
				case got <- time.Until(dl):
				default:
				}
			}
			return Event{Result: Result{Class: ClassOK}}
		}}
		ctx, cancel := context.WithCancel(t.Context())
		e := NewEngine([]Check{c}, nil)
		done := make(chan struct{})
		go func() { e.Run(ctx); close(done) }()
		synctest.Wait()
		cancel()
		<-done
		select {
		case d := <-got:
			if d > 7*time.Second {
				t.Errorf("deadline %v away, want <= interval", d)
			}
		default:
			t.Fatal("run had no deadline")
		}
	})
}

func TestEngineRecordsAndPublishesEveryEvent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &fakeRecorder{}
		status := Check{Target: TargetStatus, Interval: time.Minute, Run: func(ctx context.Context) Event {
			return Event{Result: Result{Class: ClassOK}, Status: &Status{Indicator: "none"}}
		}}
		var runs atomic.Int32
		api := okCheck(TargetAPI, 30*time.Second, &runs)
		e := NewEngine([]Check{status, api}, rec, WithJitter(noJitter))
		ch, unsub := e.Subscribe(100)
		defer unsub()
		ctx, cancel := context.WithTimeout(t.Context(), 61*time.Second)
		defer cancel()
		e.Run(ctx)

		// status at 0 and 60 s, api at 0, 30 and 60 s.
		if n, s := rec.count(); n != 5 || s != 2 {
			t.Errorf("recorded %d results and %d statuses, want 5 and 2", n, s)
		}
		if rec.overlap {
			t.Error("recorder called concurrently")
		}
		seen := map[Target]int{}
		for ev := range ch { // closed when Run returned
			seen[ev.Result.Target]++
			if ev.Result.Time.IsZero() {
				t.Error("event without a time: the engine must stamp it")
			}
			if ev.StoreErr != "" {
				t.Errorf("StoreErr = %q with a healthy store", ev.StoreErr)
			}
			if ev.Result.Target == TargetStatus && ev.Status == nil {
				t.Error("status event lost its Status")
			}
		}
		if seen[TargetStatus] != 2 || seen[TargetAPI] != 3 {
			t.Errorf("published %v, want status:2 api:3", seen)
		}
	})
}

func TestEngineKeepsRunningWhenTheStoreFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &fakeRecorder{}
		rec.setErr(errors.New("store: put result: disk full\x1b[31m"))
		var runs atomic.Int32
		e := NewEngine([]Check{okCheck(TargetAPI, 10*time.Second, &runs)}, rec, WithJitter(noJitter))
		ch, unsub := e.Subscribe(10)
		defer unsub()
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { e.Run(ctx); close(done) }()

		ev := <-ch
		if ev.StoreErr != "store: put result: disk full" {
			t.Errorf("StoreErr = %q, want the sanitised store error", ev.StoreErr)
		}
		if ev.Result.Class != ClassOK {
			t.Errorf("event lost its result: %+v", ev.Result)
		}
		ev = <-ch // the engine went on
		if ev.StoreErr == "" {
			t.Error("second event: StoreErr empty while the store still fails")
		}
		rec.setErr(nil)
		ev = <-ch
		if ev.StoreErr != "" {
			t.Errorf("after recovery StoreErr = %q, want empty", ev.StoreErr)
		}
		cancel()
		<-done
	})
}

func TestSubscribeDropsOldestWhenFull(t *testing.T) {
	e := NewEngine(nil, nil)
	ch, unsub := e.Subscribe(3)
	defer unsub()
	for i := range 10 {
		e.publish(Event{Result: Result{HTTPStatus: i}})
	}
	var got []int
	for range 3 {
		got = append(got, (<-ch).Result.HTTPStatus)
	}
	if fmt.Sprint(got) != "[7 8 9]" {
		t.Errorf("kept %v, want the newest three [7 8 9]", got)
	}
	select {
	case ev := <-ch:
		t.Errorf("extra event %+v", ev)
	default:
	}
}

func TestSubscriberThatNeverReadsDoesNotBlockTheEngine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var runs atomic.Int32
		e := NewEngine([]Check{okCheck(TargetAPI, time.Second, &runs)}, nil, WithJitter(noJitter))
		_, unsubDeaf := e.Subscribe(1) // never read
		defer unsubDeaf()
		live, unsubLive := e.Subscribe(1000)
		defer unsubLive()
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Second+time.Millisecond)
		defer cancel()
		e.Run(ctx) // a blocked publish would deadlock the bubble and fail the test
		if got := runs.Load(); got != 101 {
			t.Errorf("runs = %d, want 101", got)
		}
		n := 0
		for range live {
			n++
		}
		if n != 101 {
			t.Errorf("live subscriber got %d events, want 101", n)
		}
	})
}

func TestSubscribeCancelIsIdempotentAndClosesTheChannel(t *testing.T) {
	e := NewEngine(nil, nil)
	ch, unsub := e.Subscribe(0)
	unsub()
	unsub()
	if _, ok := <-ch; ok {
		t.Fatal("channel still open after cancel")
	}
	e.publish(Event{}) // must not panic on the closed channel
}

func TestSubscribeAfterRunReturnedGetsAClosedChannel(t *testing.T) {
	e := NewEngine(nil, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	e.Run(ctx)
	ch, unsub := e.Subscribe(1)
	if _, ok := <-ch; ok {
		t.Fatal("channel open on a stopped engine")
	}
	unsub()
}

func TestEngineRunTwiceFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := NewEngine(nil, nil)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { e.Run(ctx); close(done) }()
		synctest.Wait()
		if err := e.Run(ctx); err == nil {
			t.Error("second Run succeeded")
		}
		cancel()
		<-done
	})
}

func TestRunOnceRunsEveryCheckConcurrentlyInOrder(t *testing.T) {
	rec := &fakeRecorder{}
	var started sync.WaitGroup
	started.Add(3)
	mk := func(tg Target, cl Class) Check {
		return Check{Target: tg, Interval: time.Minute, Run: func(ctx context.Context) Event {
			// Each run waits for the other two to start: only a concurrent
			// RunOnce gets past this.
			started.Done()
			started.Wait()
			return Event{Result: Result{Class: cl}}
		}}
	}
	e := NewEngine([]Check{mk(TargetStatus, ClassOK), mk(TargetAPI, ClassOverloaded), mk(TargetClaudeAI, ClassNetwork)}, rec)
	ch, unsub := e.Subscribe(10)
	defer unsub()
	evs := e.RunOnce(t.Context())
	var got []string
	for _, ev := range evs {
		got = append(got, fmt.Sprintf("%s=%s", ev.Result.Target, ev.Result.Class))
	}
	if want := "[status=ok api=overloaded claude_ai=network]"; fmt.Sprint(got) != want {
		t.Errorf("RunOnce = %v, want %s", got, want)
	}
	if n, _ := rec.count(); n != 3 {
		t.Errorf("recorded %d, want 3", n)
	}
	if len(ch) != 3 {
		t.Errorf("published %d, want 3", len(ch))
	}
}

func TestRunOnceWaitsForTheScheduledRunInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var active, overlaps atomic.Int32
		c := Check{Target: TargetAPI, Interval: time.Hour, Run: func(ctx context.Context) Event {
			if active.Add(1) > 1 {
				overlaps.Add(1)
			}
			defer active.Add(-1)
			time.Sleep(5 * time.Second)
			return Event{Result: Result{Class: ClassOK}}
		}}
		e := NewEngine([]Check{c}, nil, WithJitter(noJitter))
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { e.Run(ctx); close(done) }()
		time.Sleep(time.Second) // the scheduled run is in flight
		begin := time.Now()
		evs := e.RunOnce(t.Context())
		if len(evs) != 1 || evs[0].Result.Class != ClassOK {
			t.Errorf("RunOnce = %+v", evs)
		}
		if d := time.Since(begin); d != 9*time.Second {
			t.Errorf("RunOnce took %v, want 9s (4s waiting for the scheduled run, 5s its own)", d)
		}
		if overlaps.Load() != 0 {
			t.Error("RunOnce overlapped the scheduled run")
		}
		cancel()
		<-done
	})
}

func TestRefreshRunsEveryCheckNow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var runs atomic.Int32
		e := NewEngine([]Check{okCheck(TargetAPI, time.Hour, &runs)}, nil, WithJitter(noJitter))
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { e.Run(ctx); close(done) }()
		synctest.Wait()
		if runs.Load() != 1 {
			t.Fatalf("runs = %d after start, want 1", runs.Load())
		}
		e.Refresh()
		synctest.Wait()
		if runs.Load() != 2 {
			t.Errorf("runs = %d after Refresh, want 2", runs.Load())
		}
		cancel()
		<-done
	})
}

func TestEngineTurnsAPanickingProbeIntoAResult(t *testing.T) {
	c := Check{Target: TargetCode, Run: func(ctx context.Context) Event { panic("boom") }}
	at := time.Date(2026, 9, 3, 13, 0, 0, 0, time.UTC)
	e := NewEngine([]Check{c}, nil, WithNow(func() time.Time { return at }))
	evs := e.RunOnce(t.Context())
	if len(evs) != 1 {
		t.Fatalf("got %d events", len(evs))
	}
	r := evs[0].Result
	if r.Target != TargetCode || r.Class != ClassUnknown || !r.Time.Equal(at) || r.Message != "internal error: probe panicked: boom" {
		t.Errorf("result = %+v", r)
	}
}

func TestEngineDoesNotRecordRunsCutShortByShutdown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &fakeRecorder{}
		c := Check{Target: TargetAPI, Interval: time.Minute, Run: func(ctx context.Context) Event {
			<-ctx.Done()
			return Event{Result: Result{Class: ClassNetwork, ErrorType: "timeout"}}
		}}
		e := NewEngine([]Check{c}, rec)
		ch, unsub := e.Subscribe(1)
		defer unsub()
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { e.Run(ctx); close(done) }()
		synctest.Wait()
		cancel()
		<-done
		if n, _ := rec.count(); n != 0 {
			t.Errorf("recorded %d results from a cancelled run", n)
		}
		if _, ok := <-ch; ok {
			t.Error("published a cancelled run")
		}
	})
}

func TestEngineRecordsATimeoutAtItsIntervalBackstop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &fakeRecorder{}
		c := Check{Target: TargetAPI, Interval: time.Minute, Run: func(ctx context.Context) Event {
			<-ctx.Done() // a probe without its own timeout
			return Event{Result: Result{Class: ClassNetwork, ErrorType: "timeout"}}
		}}
		e := NewEngine([]Check{c}, rec)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { e.Run(ctx); close(done) }()
		time.Sleep(90 * time.Second)
		cancel() // the second run, cut short by shutdown, is not recorded
		<-done
		if n, _ := rec.count(); n != 1 {
			t.Errorf("recorded %d results, want the one that hit the interval", n)
		}
	})
}

func TestDefaultJitterStaysUnderATenthOfTheInterval(t *testing.T) {
	e := NewEngine(nil, nil)
	seen := map[time.Duration]bool{}
	for range 1000 {
		j := e.jitter(10 * time.Second)
		if j < 0 || j >= time.Second {
			t.Fatalf("jitter %v outside [0, 1s)", j)
		}
		seen[j] = true
	}
	if len(seen) < 100 {
		t.Errorf("only %d distinct jitters in 1000 draws", len(seen))
	}
	if e.jitter(0) != 0 {
		t.Error("jitter for a zero interval")
	}
}

// Local reports live in no database and come every few minutes: a viewer
// that subscribes late gets the latest one at once, not "not run yet".
func TestLateSubscriberGetsTheLatestLocalReport(t *testing.T) {
	e := NewEngine(nil, nil)
	early, unsub := e.Subscribe(4)
	defer unsub()
	if len(early) != 0 {
		t.Fatal("a subscriber before any local report got something")
	}
	e.publish(Event{Result: Result{Target: TargetLocal}, Local: &LocalReport{APIURL: "first"}})
	e.publish(Event{Result: Result{Target: TargetLocal}, Local: &LocalReport{APIURL: "second"}})
	e.publish(Event{Result: Result{Target: TargetAPI, HTTPStatus: 401}})

	late, unsubLate := e.Subscribe(1)
	defer unsubLate()
	select {
	case ev := <-late:
		if ev.Local == nil || ev.Local.APIURL != "second" {
			t.Errorf("late subscriber got %+v, want the latest local report", ev)
		}
	default:
		t.Fatal("late subscriber got no local report")
	}
	if n := len(early); n != 3 {
		t.Errorf("early subscriber holds %d events, want the 3 published", n)
	}
}

// TestLateSubscriberGetsEachTargetsLatestResult: an ssh session of serve,
// or a second downforai attaching, subscribes after the engine's rounds;
// it showed "Last known" from the database until each target's next probe
// (up to an interval) though the engine had fresh results. It gets them
// at once now, oldest first, without the incidents they changed then.
func TestLateSubscriberGetsEachTargetsLatestResult(t *testing.T) {
	e := NewEngine(nil, nil)
	t0 := time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)
	e.publish(Event{Result: Result{Target: TargetAPI, Time: t0, HTTPStatus: 200}})
	e.publish(Event{Result: Result{Target: TargetStatus, Time: t0.Add(time.Second)}, Status: &Status{Indicator: "major"}})
	e.publish(Event{Result: Result{Target: TargetAPI, Time: t0.Add(5 * time.Second), HTTPStatus: 529},
		LocalIncidents: []LocalIncident{{ID: "x"}}})
	e.publish(Event{Result: Result{Target: TargetLocal, Time: t0}, Local: &LocalReport{APIURL: "u"}})

	late, unsub := e.Subscribe(8)
	defer unsub()
	var got []string
	for len(late) > 0 {
		ev := <-late
		s := string(ev.Result.Target)
		if ev.Result.HTTPStatus != 0 {
			s += fmt.Sprint(" ", ev.Result.HTTPStatus)
		}
		if ev.Status != nil {
			s += " " + ev.Status.Indicator
		}
		if len(ev.LocalIncidents) > 0 {
			s += " with incidents"
		}
		got = append(got, s)
	}
	if want := "[local status major api 529]"; fmt.Sprint(got) != want {
		t.Errorf("late subscriber got %v, want %s", got, want)
	}
}

type targetsHistory struct {
	History
	ts []Target
}

func (h targetsHistory) Targets() []Target { return h.ts }

// TestWithEngineTargets: beside a running engine, a check or report
// judges the engine's targets too (its key, which their environment may
// lack), once each, never the local checks; a plain history adds none.
func TestWithEngineTargets(t *testing.T) {
	mine := []Target{TargetStatus, TargetAPI}
	if got := WithEngineTargets(nil, mine); fmt.Sprint(got) != fmt.Sprint(mine) {
		t.Errorf("no engine: %v", got)
	}
	got := WithEngineTargets(targetsHistory{ts: []Target{TargetAPI, TargetAPIKey, TargetLocal}}, append([]Target(nil), mine...))
	if want := fmt.Sprint([]Target{TargetStatus, TargetAPI, TargetAPIKey}); fmt.Sprint(got) != want {
		t.Errorf("beside an engine: %v, want %s", got, want)
	}
}
