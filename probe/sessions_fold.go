package probe

import (
	"sort"
	"time"
)

// SessionCallFold is SessionCalls for records that arrive one at a time,
// as the transcript follower sends them live: it says when a call ENDS,
// which a counter needs (a call counted at its first retry could not be
// counted again by its outcome). A call ends at its outcome (the answer or
// the error Claude Code showed: that record is the call), or — a run of
// retries that no outcome ended — when another attempt of the same session
// starts a new call, or RetryOutcomeWithin after its newest attempt
// (abandoned: that attempt stands for it). What it has said ended, with
// Pending, is what SessionCalls makes of the same records. The zero value
// is ready; it is not safe for concurrent use.
type SessionCallFold struct {
	open map[string]foldChain // by session: a call Claude Code is retrying
}

type foldChain struct {
	attempt int
	newest  Result
}

// Add takes the next session record (oldest first) and returns the calls
// it ends, oldest first: calls abandoned by now, the call its session had
// under way when it starts another, and r itself when it is an outcome.
// Records of other targets are calls as they are.
func (f *SessionCallFold) Add(r Result) []Result {
	if r.Target != TargetSessions {
		return []Result{r}
	}
	ended := f.Expire(r.Time)
	if f.open == nil {
		f.open = map[string]foldChain{}
	}
	d := ParseSessionDetail(r.Detail)
	if _, ok := f.open[d.Session]; !ok && d.Session == "" && len(f.open) == 1 {
		// A record without its session id belongs to the one call under
		// way, as SessionCalls reads it.
		for k := range f.open {
			d.Session = k
		}
	}
	c, ok := f.open[d.Session]
	switch {
	case d.Attempt > 0 && ok && d.Attempt > c.attempt:
		// The same call, one attempt further: not ended.
	case d.Attempt > 0 && ok:
		ended = append(ended, c.newest) // attempt 1 again: the call before stands as its newest attempt
	case d.Attempt == 0:
		ended = append(ended, r) // the outcome: the call it ends is this record
	}
	if d.Attempt > 0 {
		f.open[d.Session] = foldChain{attempt: d.Attempt, newest: r}
	} else {
		delete(f.open, d.Session)
	}
	return ended
}

// Expire ends the calls whose newest attempt is more than
// RetryOutcomeWithin before now: no outcome will be theirs any more.
func (f *SessionCallFold) Expire(now time.Time) []Result {
	var ended []Result
	for k, c := range f.open {
		if now.Sub(c.newest.Time) > RetryOutcomeWithin {
			ended = append(ended, c.newest)
			delete(f.open, k)
		}
	}
	sortByTime(ended)
	return ended
}

// Pending is the calls still under way (retried, no outcome yet), each as
// its newest attempt, oldest first: SessionCalls counts them already, as
// calls still failing.
func (f *SessionCallFold) Pending() []Result {
	var out []Result
	for _, c := range f.open {
		out = append(out, c.newest)
	}
	sortByTime(out)
	return out
}

func sortByTime(rs []Result) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Time.Before(rs[j].Time) })
}
