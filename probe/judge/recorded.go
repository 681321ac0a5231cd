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
	// Rounds is how many results the most recorded target has: the rounds
	// the verdict weighs besides the new one.
	Rounds int
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
	for _, t := range targets {
		n, since := Window, now.Add(-horizon)
		if t == probe.TargetSessions {
			n, since = sessionsRead, now.Add(-SessionsFresh)
		}
		rs, err := h.Recent(t, n)
		if err != nil {
			return Recorded{}, err
		}
		var keep []probe.Result
		for _, r := range rs {
			if !r.Time.Before(since) {
				keep = append(keep, r)
			}
		}
		if len(keep) > 0 {
			rec.Recent[t] = keep
			if t != probe.TargetSessions {
				rec.Rounds = max(rec.Rounds, len(keep))
			}
		}
	}
	st, ok, err := h.LatestStatus()
	if err != nil {
		return Recorded{}, err
	}
	if ok {
		rec.Status = &st
	}
	return rec, nil
}
