// When the banner's verdict changed, and from what: the mark "changed
// 12:47 from Likely your network" the banner shows for a minute.

package ui

import (
	"sort"
	"time"

	"downforai/probe"
	"downforai/probe/judge"
)

// settled reports whether the verdict rests on a fresh answer (within
// the stale limit) of this run from every target on the board: a result
// the database held is the last run's, however young (a restart 15 s
// after a stop), not an answer to this run. Before that it is a
// first-round guess (say,
// "failing from here" before the status page was read), and moving on
// from it is not a change the user should be told of — neither on a
// fresh start nor in a viewer's first frames.
//
// Only the targets probed every round count. Claude Code's sessions
// speak only when the user's own calls do, and a canary asks every
// --canary-interval and pauses when its day's budget is spent: waiting
// for them kept a machine with no transcripts from ever marking a change,
// so an outage that came and went left no trace on the banner.
func (b *board) settled() bool {
	for _, t := range b.targets {
		if t == probe.TargetSessions || t.IsModel() {
			continue
		}
		rs := b.rings[t].items()
		if len(rs) == 0 {
			return false
		}
		if _, ok := b.liveFrom[t]; !ok {
			return false
		}
		if n := rs[len(rs)-1]; b.staleAfter > 0 && b.now.Sub(n.Time) > b.staleAfter {
			// Its newest answer is from before a gap (a restart, the
			// database's last state): no answer of this round yet
			// (cold5 D24: "changed 17:54 from Failing from here").
			return false
		}
	}
	return len(b.targets) > 0
}

// changeMark is how long the banner marks a change of verdict, so a user
// who looks back at the pane sees that something happened.
const changeMark = time.Minute

// change is the verdict change to mark now, if any.
func (b *board) change() (time.Time, string, bool) {
	// The mark is of the verdict it moved to: beside another one (an
	// Unknown, which is never marked) it told of a change that is not the
	// banner's ("? Unknown · changed 12:59 from Unreachable through your
	// gateway" after Your credential — cold walk of Dec 7).
	if b.verdict.Kind != b.shown {
		return time.Time{}, "", false
	}
	if b.changedAt.IsZero() || b.now.Sub(b.changedAt) >= changeMark || b.now.Before(b.changedAt) {
		return time.Time{}, "", false
	}
	return b.changedAt, b.changedFrom, true
}

// mark moves the banner's verdict shown to k, titled title, and marks the
// change when there is one to tell.
func (b *board) mark(k probe.VerdictKind, title string) {
	if prev := b.shown; prev != 0 && prev != probe.VerdictUnknown && k != prev && b.shownOwn {
		from, fromKind := b.shownTitle, prev
		if b.passing() && b.held != 0 {
			from, fromKind = b.heldTitle, b.held
		}
		switch {
		case fromKind == k:
			// Back to what it held before a verdict of a moment: no
			// change at all, and the mark that one set goes.
			b.changedAt, b.changedFrom = b.before.at, b.before.from
		case b.passing() && b.held != 0 && b.changedAt.Equal(b.shownSince):
			// The change began with the verdict of a moment: it keeps
			// that time, and names what the banner held before it.
			b.changedFrom = from
		default:
			if !b.passing() || b.held == 0 {
				b.before.at, b.before.from = b.changedAt, b.changedFrom
			}
			b.changedAt, b.changedFrom = b.now, from
		}
	}
	if k != b.shown {
		b.shownOwn = false
		if b.shown != 0 && b.shown != probe.VerdictUnknown && !b.passing() {
			b.held, b.heldTitle = b.shown, b.shownTitle
		}
		b.shownAt, b.shownSince = b.rounds, b.now
	}
	b.shown, b.shownTitle = k, title
}

// passingFor is the longest a verdict drawn between two results of one
// round lasts: a round's probes run at once, and answer within seconds.
// One that stays longer (the last result of a round, then the next
// round's first) was on screen for an interval, and is a state.
const passingFor = 5 * time.Second

// passing reports whether the verdict shown was drawn for fewer results
// than a round of probes has, and for a moment: a state between two
// results of one round.
func (b *board) passing() bool {
	if b.now.Sub(b.shownSince) >= passingFor {
		return false
	}
	n := 0
	for _, t := range b.targets {
		if t != probe.TargetLocal && t != probe.TargetSessions && !t.IsModel() {
			n++
		}
	}
	return b.rounds-b.shownAt < n
}

// ownKind is the verdict this run's own results decide, the one a change
// is measured on. After a restart the rings still hold the last run's
// results: a failure that cleared while the program was off kept the
// banner "recovering" for a round, and moving on from it was marked
// "changed from Not yet acknowledged" although nothing changed in this
// run. The targets that speak rarely (Claude Code's sessions, the
// canaries) keep what they hold, as settled does: waiting for them would
// mark their first answer as a change of the banner they already drove.
func (b *board) ownKind(recent map[probe.Target][]probe.Result) probe.VerdictKind {
	var own map[probe.Target][]probe.Result
	for t, rs := range recent {
		from, ok := b.liveFrom[t]
		if !ok || t == probe.TargetSessions || t.IsModel() {
			continue
		}
		i := sort.Search(len(rs), func(i int) bool { return !rs[i].Time.Before(from) })
		if i == 0 {
			continue
		}
		if own == nil {
			own = make(map[probe.Target][]probe.Result, len(recent))
			for t, rs := range recent {
				own[t] = rs
			}
		}
		own[t] = rs[i:]
	}
	if own == nil {
		return b.verdict.Kind
	}
	return judge.Judge(b.judgeInput(own)).Kind
}
