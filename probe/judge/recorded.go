package judge

import (
	"time"

	"downforai/probe"
)

// Recorded is what a command that runs one round (check, diagnose, report)
// judges beside it: the recorded results of each target, up to Window, none
// older than the horizon, so the round is judged as the dashboard judges it
// (two in a row to change, --recover-threshold to recover, "Unstable" on a
// target that keeps flipping) and never on yesterday's probes.
type Recorded struct {
	Recent map[probe.Target][]probe.Result // oldest first
	Status *probe.Status                   // the last status snapshot recorded, nil if none
	// Rounds is how many results the most recorded probe target has: the
	// rounds the verdict weighs besides the new one. The status page's
	// reads count only when no probe target has any, and only those
	// within the horizon: it may be read more often than the probes run,
	// and its failed run is kept whatever its age.
	Rounds int
}

// PageReads is how many of the status page's newest reads the dashboard
// holds (its ring) and check reads: "could not be read since" is the first
// failed read of the unbroken run of failed reads among them, the same
// read in both, however long the run.
const PageReads = 120

// UnreadableRun is where, in rs (the status page's reads, oldest first),
// the run of failed reads that ends with the newest begins: reads newer
// than the last good snapshot st, none answered. len(rs) when the newest
// read did not fail. Those reads count for "since" whatever their age
// (readPage breaks the run at a gap longer than the stale limit, where
// we do not know what happened).
func UnreadableRun(rs []probe.Result, st *probe.Status) int {
	i := len(rs)
	for i > 0 {
		r := rs[i-1]
		if r.Class == probe.ClassUnknown {
			i--
			continue
		}
		if !r.Class.Failing() || st != nil && !r.Time.After(st.Fetched) {
			break
		}
		i--
	}
	for i < len(rs) && rs[i].Class == probe.ClassUnknown {
		i++
	}
	return i
}

// sessionsRead is how many of the sessions' newest calls a round reads:
// more than 15 minutes of calls hold, as the dashboard's ring does.
const sessionsRead = 500

// Horizon is how far back the recorded results count: the judge's window
// at the slower of the two probe intervals. Older results say what was,
// not what is.
func Horizon(interval, statusInterval time.Duration) time.Duration {
	return time.Duration(Window) * max(interval, statusInterval)
}

// ReadRecorded reads h's recent results of targets newer than now less
// horizon, and its last status snapshot. Claude Code's sessions are not
// rounds: their calls count for SessionsFresh, all of them, as the
// dashboard counts them. An error of any read is returned: the caller then
// judges its round alone and says so.
func ReadRecorded(h probe.History, targets []probe.Target, now time.Time, horizon time.Duration) (Recorded, error) {
	rec := Recorded{Recent: make(map[probe.Target][]probe.Result, len(targets))}
	st, ok, err := h.LatestStatus()
	if err != nil {
		return Recorded{}, err
	}
	if ok {
		rec.Status = &st
	}
	pages := 0 // the page's reads within the horizon
	for _, t := range targets {
		n, since := Window, now.Add(-horizon)
		switch t {
		case probe.TargetSessions:
			n, since = sessionsRead, now.Add(-SessionsFresh)
		case probe.TargetStatus:
			n = PageReads
		}
		rs, err := h.Recent(t, n)
		if err != nil {
			return Recorded{}, err
		}
		run := len(rs)
		if t == probe.TargetStatus {
			// The unbroken run of failed reads counts whatever its age,
			// as the dashboard's ring holds it: one "since" for both.
			run = UnreadableRun(rs, rec.Status)
		}
		var keep []probe.Result
		for i, r := range rs {
			if i >= run || !r.Time.Before(since) {
				keep = append(keep, r)
			}
		}
		if t == probe.TargetStatus && len(keep) > Window && run >= len(rs) {
			keep = keep[len(keep)-Window:]
		}
		if len(keep) > 0 {
			rec.Recent[t] = keep
		}
		switch t {
		case probe.TargetSessions:
			// Calls, not rounds.
		case probe.TargetStatus:
			for _, r := range keep {
				if !r.Time.Before(since) {
					pages++
				}
			}
		default:
			rec.Rounds = max(rec.Rounds, min(len(keep), Window))
		}
	}
	if rec.Rounds == 0 {
		rec.Rounds = min(pages, Window)
	}
	return rec, nil
}
