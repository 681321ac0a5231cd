// Package watch follows the engine's events outside the dashboard — for
// metrics and notifications — and judges them into the same Verdict the
// dashboard shows: the last few results per target and the latest official
// status, fed to judge.Judge.
package watch

import (
	"context"
	"time"

	"downforai/probe"
	"downforai/probe/judge"
)

// Tracker holds the recent results and the latest status. It is not safe
// for concurrent use: one goroutine (Run) owns it.
type Tracker struct {
	recent     map[probe.Target][]probe.Result
	status     *probe.Status
	local      *probe.LocalReport // the latest local checks, nil until they run
	staleAfter time.Duration
	// Recover is how many successes in a row end a failure
	// (--recover-threshold), as the dashboard and the detector count it;
	// 0 means judge.DefaultRecoverThreshold.
	Recover int
	// Horizon is how far back the verdict's window reaches
	// (judge.Horizon), as the dashboard's; 0: no limit.
	Horizon time.Duration
}

// NewTracker returns an empty tracker; data older than staleAfter makes the
// verdict stale (0: never).
func NewTracker(staleAfter time.Duration) *Tracker {
	return &Tracker{recent: make(map[probe.Target][]probe.Result), staleAfter: staleAfter}
}

// Prime loads the last recorded state, so a restart does not start from
// "unknown" (and notifiers do not announce the state they already knew):
// the results since then (zero: all), as the dashboard counts them —
// judge.Horizon before the start, so hours-old failures do not hold the
// verdict /metrics and notifications read. Claude Code's sessions keep
// theirs: the judge weighs them by their own freshness.
func (t *Tracker) Prime(h probe.History, targets []probe.Target, since time.Time) error {
	if h == nil {
		return nil
	}
	for _, tg := range targets {
		rs, err := h.Recent(tg, judge.Window)
		if err != nil {
			return err
		}
		var keep []probe.Result
		for _, r := range rs {
			if since.IsZero() || tg == probe.TargetSessions || !r.Time.Before(since) {
				keep = append(keep, r)
			}
		}
		t.recent[tg] = keep
	}
	st, ok, err := h.LatestStatus()
	if err != nil {
		return err
	}
	if ok {
		t.status = &st
	}
	return nil
}

// Apply takes one event in.
func (t *Tracker) Apply(ev probe.Event) {
	if r := ev.Result; r.Target != "" { // announcements carry no result
		rs := append(t.recent[r.Target], r)
		if len(rs) > judge.Window {
			rs = append(rs[:0:0], rs[len(rs)-judge.Window:]...)
		}
		t.recent[r.Target] = rs
	}
	if ev.Status != nil {
		st := *ev.Status
		t.status = &st
	}
	if ev.Local != nil {
		t.local = ev.Local
	}
}

// Status is the latest official status, nil if none yet.
func (t *Tracker) Status() *probe.Status { return t.status }

// Verdict judges what the tracker holds at now.
func (t *Tracker) Verdict(now time.Time) probe.Verdict {
	// The same inputs as the dashboard's verdict, local checks included, so
	// metrics and notifications never say "operational" while the screen
	// says "your credential".
	return judge.Judge(judge.Input{Status: t.status, Recent: t.recent, Local: t.local, Now: now, StaleAfter: t.staleAfter, Horizon: t.Horizon, Recover: t.Recover})
}

// Observer is told about every event and every clock tick.
type Observer interface {
	// Observe gets the event (nil on a tick), the verdict after it, and
	// the latest official status (nil if none). It must not block.
	Observe(now time.Time, ev *probe.Event, v probe.Verdict, st *probe.Status)
}

// Run feeds events into t and tells every observer, and ticks them every
// tick (0: no ticks) so staleness, debounce and reminders advance without
// events. It returns when ctx ends or events is closed.
func Run(ctx context.Context, events <-chan probe.Event, t *Tracker, tick time.Duration, now func() time.Time, obs ...Observer) {
	if now == nil {
		now = time.Now
	}
	var tc <-chan time.Time
	if tick > 0 {
		tk := time.NewTicker(tick)
		defer tk.Stop()
		tc = tk.C
	}
	tell := func(ev *probe.Event) {
		n := now()
		v := t.Verdict(n)
		for _, o := range obs {
			o.Observe(n, ev, v, t.status)
		}
	}
	tell(nil) // the primed state, before the first event
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			t.Apply(ev)
			tell(&ev)
		case <-tc:
			tell(nil)
		}
	}
}
