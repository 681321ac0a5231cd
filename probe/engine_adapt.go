package probe

import "time"

// Adaptive probing. A check with Fast set is probed every Fast while its
// target fails and until it has answered RecoverAfter times in a row, so
// "all clear" comes within seconds of a recovery; then back to Interval.
// A check with Alert set (the status page) is run every Alert while any
// other probe of ours fails or an official incident is open. A 429, and a
// Retry-After from any upstream, push the next run back instead: never
// faster than the upstream asked, never hammering a rate limit.

// MaxBackoff bounds how far a Retry-After or repeated 429s push a check's
// next run.
const MaxBackoff = time.Hour

// adaptState is one check's adaptive schedule; Engine.amu guards it.
type adaptState struct {
	failing  bool          // the last judged result failed
	fast     bool          // probing at Fast until recovered
	okStreak int           // successes in a row while fast
	n429     int           // 429s in a row
	backoff  time.Duration // the next run waits at least this long after the last started
}

// WithRecoverAfter sets how many successes in a row end a check's fast
// probing (--recover-threshold); below 1 means 1.
func WithRecoverAfter(n int) EngineOption {
	return func(e *Engine) { e.recoverAfter = max(n, 1) }
}

// countsForAlert reports whether a target's failure speeds up the status
// page: our own probes of Anthropic, not the page itself nor this
// machine's setup or its claude CLI.
func countsForAlert(t Target) bool { return t != TargetStatus && t != TargetLocal && t != TargetCode }

// adapt updates c's schedule with what its last run saw and, when the
// engine-wide alert state changed, tells every alert check to re-time its
// wait.
func (e *Engine) adapt(c *checkState, ev Event) {
	r := ev.Result
	e.amu.Lock()
	a := &c.adapt
	wasAlert := e.alertLocked()
	was := a.failing
	switch {
	case r.Class == ClassRateLimited:
		// A quota is not fixed by asking again: slow down, not up.
		a.failing, a.fast, a.okStreak = true, false, 0
		a.n429++
	case r.Class.Failing():
		a.failing, a.fast, a.okStreak = true, c.Fast > 0, 0
	case r.Class.Up():
		a.failing = false
		if a.fast {
			a.okStreak++
			if a.okStreak >= e.recoverAfter {
				a.fast, a.okStreak = false, 0
			}
		}
	}
	if r.Class != ClassRateLimited {
		a.n429 = 0
	}
	a.backoff = 0
	if a.n429 > 0 && c.Interval > 0 {
		// Without Retry-After, each 429 in a row doubles the wait, up to 8×.
		a.backoff = c.Interval << min(a.n429-1, 3)
	}
	if ra := r.RateLimit.RetryAfter; ra > 0 {
		a.backoff = max(a.backoff, ra)
	}
	a.backoff = min(a.backoff, MaxBackoff)
	if countsForAlert(c.Target) && was != a.failing {
		if a.failing {
			e.failingN++
		} else {
			e.failingN--
		}
	}
	if ev.Status != nil {
		e.incidentOpen = len(ev.Status.Incidents) > 0
	}
	changed := wasAlert != e.alertLocked()
	e.amu.Unlock()
	if changed {
		for i := range e.checks {
			if e.checks[i].Alert > 0 {
				select {
				case e.checks[i].retime <- struct{}{}:
				default:
				}
			}
		}
	}
}

// alertLocked reports whether alert checks run at their Alert interval;
// e.amu is held.
func (e *Engine) alertLocked() bool { return e.failingN > 0 || e.incidentOpen }

// interval is how long after its last start c runs next.
func (e *Engine) interval(c *checkState) time.Duration {
	e.amu.Lock()
	defer e.amu.Unlock()
	iv := c.Interval
	if c.Fast > 0 && c.adapt.fast {
		iv = min(iv, c.Fast)
	}
	if c.Alert > 0 && e.alertLocked() {
		iv = min(iv, c.Alert)
	}
	return max(iv, c.adapt.backoff)
}

// Schedule is what the engine plans for one target now, for screens that
// say "probing every 10s while it fails".
type Schedule struct {
	Target   Target
	Interval time.Duration // the interval in effect
	Fast     bool          // at the fast interval, until recovered
	Alert    bool          // at the alert interval (status page)
	Backoff  time.Duration // pushed back by a 429 or Retry-After
}

// Schedules returns every check's schedule in the order of the checks.
func (e *Engine) Schedules() []Schedule {
	out := make([]Schedule, 0, len(e.checks))
	for i := range e.checks {
		c := &e.checks[i]
		iv := e.interval(c)
		e.amu.Lock()
		out = append(out, Schedule{Target: c.Target, Interval: iv, Fast: c.Fast > 0 && c.adapt.fast,
			Alert: c.Alert > 0 && e.alertLocked() && iv == c.Alert, Backoff: c.adapt.backoff})
		e.amu.Unlock()
	}
	return out
}
