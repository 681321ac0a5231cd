package probe

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// Engine runs every Check on its own schedule under one context, records
// each outcome and publishes it to subscribers.
//
// Per check, runs are strictly sequential: the first starts at once, each
// next one Interval (plus jitter) after the previous one started, or at once
// when the previous one overran. A check therefore never has two runs in
// flight, whether they come from Run, RunOnce or Refresh.
//
// Store writes never stop the engine: when the Recorder fails, the Event
// still goes out, carrying the failure in Event.StoreErr, so the UI can say
// "database write failed" while it keeps showing live data.
type Engine struct {
	checks []checkState
	rec    Recorder
	obs    IncidentObserver // nil: no incident detection
	recMu  sync.Mutex       // serialises Recorder calls so the store need not be concurrent

	jitter func(time.Duration) time.Duration
	now    func() time.Time

	mu      sync.Mutex // guards subs, nextSub, stopped, lastLocal, lastSessions, latest
	subs    map[int]*subscriber
	nextSub int
	stopped bool // Run has returned: new subscribers get a closed channel
	// lastLocal is the latest local-checks event. Local reports are not
	// in the database and come every few minutes, so a subscriber that
	// joins late (an ssh viewer, an attached dashboard) gets it at once.
	lastLocal *Event
	// lastSessions is the latest sessions report, for the same reason.
	lastSessions *Event
	// latest is each probed target's newest event: a subscriber that
	// joins late gets them at once, so that its first frames show the
	// running engine's answers, not "Last known" from the database until
	// every target's next probe (up to an interval; verdicts4's notes).
	latest map[Target]Event

	runMu   sync.Mutex
	running bool

	// Adaptive probing (engine_adapt.go).
	amu          sync.Mutex // guards every check's adapt, failingN, incidentOpen
	recoverAfter int        // successes in a row that end fast probing
	failingN     int        // checks whose target fails (countsForAlert)
	incidentOpen bool       // the last status page read listed an unresolved incident
}

// checkState is one Check with the token that keeps its runs sequential and
// the wake-up channel Refresh pokes.
type checkState struct {
	Check
	busy   chan struct{} // capacity 1: holding the token means a run is in flight
	wake   chan struct{} // capacity 1: a pending Refresh
	retime chan struct{} // capacity 1: the schedule changed, recompute the wait
	adapt  adaptState
}

type subscriber struct {
	ch     chan Event
	closed bool
}

// EngineOption configures an Engine.
type EngineOption func(*Engine)

// WithJitter replaces the random extra delay added to every interval; f gets
// the check's interval and returns the delay to add (tests pass a constant).
// The default is uniform in [0, interval/10).
func WithJitter(f func(interval time.Duration) time.Duration) EngineOption {
	return func(e *Engine) {
		if f != nil {
			e.jitter = f
		}
	}
}

// WithNow replaces the clock used to stamp results a Check left without a
// time and results made up for a probe that panicked.
func WithNow(f func() time.Time) EngineOption {
	return func(e *Engine) {
		if f != nil {
			e.now = f
		}
	}
}

// IncidentObserver turns the stream of events into incidents of our own
// (the Detector). The engine calls it for every event before recording
// it, under the lock that orders store writes, and publishes what it
// returns on Event.LocalIncidents.
type IncidentObserver interface {
	// Observe takes one event and returns copies of the incidents it
	// opened, changed or closed, oldest first.
	Observe(ev Event) []LocalIncident
}

// WithObserver runs o over every event before it is recorded: the
// incidents it returns are published on Event.LocalIncidents and written
// through the Recorder when it is an IncidentRecorder. A nil o turns
// incident detection off.
func WithObserver(o IncidentObserver) EngineOption {
	return func(e *Engine) { e.obs = o }
}

// NewEngine returns an engine for the checks. rec may be nil: results are then
// only published.
func NewEngine(checks []Check, rec Recorder, opts ...EngineOption) *Engine {
	e := &Engine{
		rec:          rec,
		now:          time.Now,
		subs:         make(map[int]*subscriber),
		recoverAfter: 2,
	}
	// A per-engine source, locked because every check goroutine draws from
	// it; seeded from the runtime's random seed, not from shared state.
	var rmu sync.Mutex
	rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	e.jitter = func(d time.Duration) time.Duration {
		if d < 10 {
			return 0
		}
		rmu.Lock()
		defer rmu.Unlock()
		return time.Duration(rng.Int64N(int64(d / 10)))
	}
	for _, o := range opts {
		o(e)
	}
	for _, c := range checks {
		e.checks = append(e.checks, checkState{
			Check:  c,
			busy:   make(chan struct{}, 1),
			wake:   make(chan struct{}, 1),
			retime: make(chan struct{}, 1),
		})
	}
	return e
}

// Run probes every check on its schedule until ctx is done, then waits for
// every probe goroutine to return. It returns ctx's error. A check whose
// Interval is zero or negative runs once. Run may be called only once.
func (e *Engine) Run(ctx context.Context) error {
	e.runMu.Lock()
	if e.running {
		e.runMu.Unlock()
		return fmt.Errorf("probe: engine already running")
	}
	e.running = true
	e.runMu.Unlock()

	var wg sync.WaitGroup
	for i := range e.checks {
		wg.Go(func() { e.loop(ctx, &e.checks[i]) })
	}
	<-ctx.Done()
	wg.Wait()

	// Nothing will be published any more: close every subscription so that
	// readers ranging over their channel end.
	e.mu.Lock()
	e.stopped = true
	for id, s := range e.subs {
		if !s.closed {
			s.closed = true
			close(s.ch)
		}
		delete(e.subs, id)
	}
	e.mu.Unlock()
	return ctx.Err()
}

// loop is one check's scheduler.
func (e *Engine) loop(ctx context.Context, c *checkState) {
	for {
		start := time.Now()
		if _, ok := e.run(ctx, c); !ok {
			return
		}
		if c.Interval <= 0 {
			return
		}
		if !e.wait(ctx, c, start) {
			return
		}
	}
}

// wait sleeps until c's next run is due, measured from the start of the
// last run so the cadence holds (a run that overran is followed at once,
// never overlapped); a change of schedule re-times the wait. It reports
// false when ctx ended.
func (e *Engine) wait(ctx context.Context, c *checkState, start time.Time) bool {
	for {
		iv := e.interval(c)
		wait := max(iv+e.jitter(iv)-time.Since(start), 0)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
			return true
		case <-c.wake:
			t.Stop()
			return true
		case <-c.retime:
			t.Stop()
		}
	}
}

// run performs one run of c, waiting for a run already in flight (from
// RunOnce) to finish first. It reports false when ctx ended before the run
// could start.
func (e *Engine) run(ctx context.Context, c *checkState) (Event, bool) {
	select {
	case c.busy <- struct{}{}:
	case <-ctx.Done():
		return Event{}, false
	}
	defer func() { <-c.busy }()
	if ctx.Err() != nil {
		return Event{}, false
	}

	// The check owns its timeout; the interval is only a backstop so that a
	// run that forgot one still cannot outlive its round.
	rctx := ctx
	if c.Interval > 0 {
		var cancel context.CancelFunc
		rctx, cancel = context.WithTimeout(ctx, c.Interval)
		defer cancel()
	}
	ev := e.call(rctx, c.Check)
	if errors.Is(ctx.Err(), context.Canceled) && !ev.Result.Class.Up() {
		// Cut short by shutdown, not by the network: not an observation,
		// and recording it would leave a false failure at every quit.
		return ev, false
	}
	e.record(&ev)
	e.adapt(c, ev)
	e.publish(ev)
	return ev, true
}

// call runs the check, turning a panic into a Result so one broken prober
// cannot take the dashboard down, and fills in what the check left empty.
func (e *Engine) call(ctx context.Context, c Check) (ev Event) {
	start := e.now()
	defer func() {
		if p := recover(); p != nil {
			ev = Event{Result: Result{
				Target:  c.Target,
				Time:    start,
				Class:   ClassUnknown,
				Message: Sanitize(fmt.Sprintf("internal error: probe panicked: %v", p), false),
			}}
		}
		if ev.Result.Target == "" {
			ev.Result.Target = c.Target
		}
		if ev.Result.Time.IsZero() {
			ev.Result.Time = start
		}
		// Whatever a prober read, no credential leaves the engine: the
		// store, the screen, check and exports all start here.
		ev.Result.redactText()
	}()
	if c.Run == nil {
		return Event{Result: Result{Target: c.Target, Time: start, Class: ClassUnknown, Message: "no probe configured"}}
	}
	return c.Run(ctx)
}

// record runs the incident observer over the event, writes it to the Recorder and
// notes a failure in StoreErr. Both happen under one lock, so incident
// versions reach the store in the order the observer made them.
func (e *Engine) record(ev *Event) {
	e.recMu.Lock()
	defer e.recMu.Unlock()
	if e.obs != nil {
		ev.LocalIncidents = e.obs.Observe(*ev)
	}
	if e.rec == nil {
		return
	}
	// A Recorder that panics (a damaged page can make bbolt panic) costs
	// this event its record, not the dashboard its terminal: the engine's
	// goroutines are not the program's to recover.
	defer func() {
		if p := recover(); p != nil {
			ev.StoreErr = Sanitize(fmt.Sprintf("panic: %v", p), false)
		}
	}()
	err := e.rec.PutResult(ev.Result)
	if ev.Status != nil {
		// When several writes fail it is for the same reason: say it once.
		if _, serr := e.rec.PutStatus(*ev.Status); err == nil {
			err = serr
		}
	}
	if errs := recordIncidents(e.rec, *ev); err == nil && len(errs) > 0 {
		err = errors.New(errs[0])
	}
	if err != nil {
		ev.StoreErr = Sanitize(err.Error(), false)
	}
}

// publish hands ev to every subscriber without blocking: a full channel loses
// its oldest event. Sends happen under e.mu, so after one receive there is
// always room and cancel never closes a channel mid-send.
func (e *Engine) publish(ev Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if ev.Local != nil {
		last := ev
		e.lastLocal = &last
	}
	if ev.Sessions != nil {
		last := ev
		e.lastSessions = &last
	}
	if t := ev.Result.Target; t != "" && t != TargetLocal {
		if e.latest == nil {
			e.latest = make(map[Target]Event)
		}
		if old, ok := e.latest[t]; !ok || !ev.Result.Time.Before(old.Result.Time) {
			// The incidents it changed were news once: a late subscriber
			// reads incidents as they are now (the store), not a change
			// again.
			last := ev
			last.LocalIncidents = nil
			e.latest[t] = last
		}
	}
	for _, s := range e.subs {
		select {
		case s.ch <- ev:
			continue
		default:
		}
		select {
		case <-s.ch:
		default:
		}
		select {
		case s.ch <- ev:
		default:
		}
	}
}

// EventBuffer is the subscription depth every front door asks for (the
// dashboard, each ssh viewer, each attached viewer): how many events a
// subscriber may fall behind, a few rounds of every target, before the
// engine drops its oldest.
const EventBuffer = 256

// Subscribe returns a channel that receives every Event published from now
// on — first the latest local report, sessions report and each target's
// newest result, so a late subscriber starts from what the engine knows —
// and a cancel func that unsubscribes and closes the channel; cancel is
// idempotent. The channel holds up to buf events (at least 1); when the
// reader falls behind, the oldest are dropped, never the engine slowed. The
// channel is also closed when Run returns.
func (e *Engine) Subscribe(buf int) (<-chan Event, func()) {
	if buf < 1 {
		buf = 1
	}
	s := &subscriber{ch: make(chan Event, buf)}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		s.closed = true
		close(s.ch)
		return s.ch, func() {}
	}
	id := e.nextSub
	e.nextSub++
	e.subs[id] = s
	if e.lastLocal != nil {
		s.ch <- *e.lastLocal // the channel is new and buf >= 1: never blocks
	}
	if e.lastSessions != nil {
		select {
		case s.ch <- *e.lastSessions:
		default: // a one-slot channel keeps the local report
		}
	}
	// Then every target's newest result, oldest first, as far as the
	// channel takes them.
	latest := make([]Event, 0, len(e.latest))
	for _, ev := range e.latest {
		latest = append(latest, ev)
	}
	slices.SortFunc(latest, func(a, b Event) int {
		return cmp.Or(a.Result.Time.Compare(b.Result.Time), cmp.Compare(a.Result.Target, b.Result.Target))
	})
	for _, ev := range latest {
		select {
		case s.ch <- ev:
		default:
		}
	}
	return s.ch, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		delete(e.subs, id)
		if !s.closed {
			s.closed = true
			close(s.ch)
		}
	}
}

// RunOnce runs every check once, concurrently, records and publishes the
// outcomes, and returns them in the order of the checks. It is the engine
// behind `downforai check`; while Run is active it waits for any run of the
// same check already in flight rather than overlapping it. Checks that could
// not start before ctx ended are missing from the result.
func (e *Engine) RunOnce(ctx context.Context) []Event { return e.RunOnceOf(ctx, nil) }

// RunOnceOf is RunOnce for the checks whose target pick takes (nil: all):
// `check` asks a target again to confirm a change before it counts.
func (e *Engine) RunOnceOf(ctx context.Context, pick func(Target) bool) []Event {
	evs := make([]Event, len(e.checks))
	ok := make([]bool, len(e.checks))
	var wg sync.WaitGroup
	for i := range e.checks {
		if pick != nil && !pick(e.checks[i].Target) {
			continue
		}
		wg.Go(func() { evs[i], ok[i] = e.run(ctx, &e.checks[i]) })
	}
	wg.Wait()
	out := evs[:0]
	for i, ev := range evs {
		if ok[i] {
			out = append(out, ev)
		}
	}
	return out
}

// Refresh asks every scheduled check to run now instead of waiting for its
// next turn (the dashboard's "refresh" key). A check that is running finishes
// first; requests made while one is pending are merged. It never blocks.
func (e *Engine) Refresh() {
	for i := range e.checks {
		select {
		case e.checks[i].wake <- struct{}{}:
		default:
		}
	}
}

// recordIncidents writes the event's official and local incidents when rec
// can keep them, returning the errors.
func recordIncidents(rec Recorder, ev Event) []string {
	ir, ok := rec.(IncidentRecorder)
	if !ok {
		return nil
	}
	var errs []string
	if len(ev.Official) > 0 {
		if err := ir.PutOfficialIncidents(ev.Official); err != nil {
			errs = append(errs, err.Error())
		}
	}
	for _, l := range ev.LocalIncidents {
		if err := ir.PutLocalIncident(l); err != nil {
			errs = append(errs, err.Error())
			break
		}
	}
	return errs
}
