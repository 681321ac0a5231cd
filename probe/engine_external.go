package probe

import "fmt"

// Observe records and publishes an event that arose outside the scheduled
// checks — a call of Claude Code's read from its transcripts — exactly as
// a check's outcome is: the incident observer sees it, the Recorder stores
// it and every subscriber gets it.
func (e *Engine) Observe(ev Event) {
	e.record(&ev)
	e.publish(ev)
}

// Backfill stores results read from history (a transcript backlog)
// without the incident observer or the subscribers: they are the past, not
// news, and would open incidents that ended long ago. Many results go in
// one write where the Recorder can do that.
func (e *Engine) Backfill(rs []Result) (err error) {
	if e.rec == nil || len(rs) == 0 {
		return nil
	}
	e.recMu.Lock()
	defer e.recMu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("recording the backlog: panic: %v", p)
		}
	}()
	if bp, ok := e.rec.(resultsPutter); ok {
		return bp.PutResults(rs)
	}
	for _, r := range rs {
		if err := e.rec.PutResult(r); err != nil {
			return err
		}
	}
	return nil
}

// Announce publishes an event without recording it: a report that is not
// an observation of its own (the sessions report). Its Result has no
// Target; a late subscriber gets the latest one at once.
func (e *Engine) Announce(ev Event) {
	ev.Result = Result{}
	e.publish(ev)
}
