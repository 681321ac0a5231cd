package ui

import (
	"sort"
	"time"

	"downforai/probe"
	"downforai/probe/judge"
)

// ringSize is how many recent results per target the UI keeps in memory:
// enough for a sparkline across a wide terminal and for p95 in History.
const ringSize = 120

// ring is a bounded, oldest-first list of results. It appends into a buffer
// of twice its size and slides the newest half down when full, so items is
// a zero-copy slice and a push costs O(1) amortised.
type ring struct {
	buf []probe.Result
}

func (r *ring) push(res probe.Result) {
	switch {
	case len(r.buf) < cap(r.buf):
	case cap(r.buf) >= 2*ringSize:
		n := copy(r.buf, r.buf[len(r.buf)-ringSize+1:])
		r.buf = r.buf[:n]
	default:
		// The buffer grows to 2*ringSize as results come, not at the first
		// one: the first frame over a short history (one round) allocated
		// 2*ringSize results per target, 256 KB of pages touched before
		// the first paint for a few results (issue 11).
		buf := make([]probe.Result, len(r.buf), min(max(2*cap(r.buf), 8), 2*ringSize))
		copy(buf, r.buf)
		r.buf = buf
	}
	r.buf = append(r.buf, res)
}

// items returns at most ringSize results, oldest first. Callers must not
// modify or keep the slice across updates.
func (r *ring) items() []probe.Result {
	if r == nil {
		return nil
	}
	if len(r.buf) > ringSize {
		return r.buf[len(r.buf)-ringSize:]
	}
	return r.buf
}

// board is the state every tab draws from. The root model owns it and is
// the only writer (in Update); tabs hold a pointer and only read.
type board struct {
	targets    []probe.Target
	rings      map[probe.Target]*ring
	status     *probe.Status
	verdict    probe.Verdict
	now        time.Time
	staleAfter time.Duration
	recover    int // --recover-threshold; 0: the judge's default
	// cut is the start less Options.Horizon: results older than it were
	// recorded long before this dashboard and do not count in the verdict
	// (Claude Code's sessions have their own freshness). Zero: no cutoff.
	cut time.Time
	// horizon is Options.Horizon: how far back from now a target's
	// results count in the verdict's window (judge.Input.Horizon).
	horizon time.Duration
	// statusPage is the status page's base URL without a trailing
	// slash, where an incident without a shortlink is linked to.
	statusPage string
	// urls are the probed URLs (Options), for the verdict until the
	// local checks' report arrives.
	urls judge.URLs

	// first is the oldest observation the history holds, or this run's
	// first result: before it we had no probes. Zero: none yet. Only
	// while firstKnown: the history said (a remote engine's does not, and
	// its ring's oldest result is no first observation).
	first      time.Time
	firstKnown bool

	live bool // an event arrived since start: data is not only from the DB
	// ofEngine: the data is a running engine's (Options.OfRunningEngine),
	// current while it is younger than staleAfter, event or not.
	ofEngine bool
	// liveFrom is, per target, the time of its first result this run
	// delivered (an event, not the database): what this run saw itself.
	liveFrom map[probe.Target]time.Time
	loaded   bool   // the snapshot command answered
	loadErr  string // why part of the snapshot is missing, for people
	closed   bool   // the engine closed its event channel
	version  string
	hasKey   bool   // the api_key target is probed
	hasCount int    // results held, to tell "no data" cheaply
	storeErr string // why the last event could not be recorded; "" once one was

	local *probe.LocalReport // the latest local checks, nil until they run
	// sessions is the latest report on Claude Code's own calls, nil until
	// the transcript follower sends one.
	sessions *probe.SessionsReport
	book     incidentBook // official and local incidents by id

	// changedAt and changedFrom mark the last change of verdict between
	// two known ones, which the banner shows for changeMark.
	changedAt   time.Time
	changedFrom string // the verdict's title as the banner showed it ("Likely your network")
	// shown is the verdict the banner showed at the last settled
	// judgement (see settled), the one a change is measured from; 0 until
	// the first one; shownTitle its title as drawn. shownOwn is whether
	// it was this run's verdict: false while this run's own results alone
	// say all clear (ownKind) and only the database's keep the banner on a
	// problem — the last run's failure clearing is no change in this one.
	shown      probe.VerdictKind
	shownTitle string
	shownOwn   bool
	// rounds counts the results of the targets probed every round;
	// shownAt is its count when shown was first drawn. A verdict drawn for
	// fewer results than a round has (the keyless probe's second 529
	// before the keyed one's: "Degraded" between two results) is no state
	// to name: a change is named from held, the last verdict drawn for a
	// round or more, and the mark such a passing verdict set is undone
	// when the banner goes back to held (before names the mark it
	// replaced).
	rounds, shownAt int
	shownSince      time.Time
	held            probe.VerdictKind
	heldTitle       string
	before          struct {
		at   time.Time
		from string
	}

	// rev counts the board's changes (see touch): a drawing made from the
	// board is good while rev stays.
	rev int
}

// touch marks the board changed, so drawings cached from it are made
// afresh. Every method that changes the board calls it.
func (b *board) touch() { b.rev++ }

func newBoard(targets []probe.Target, now time.Time, staleAfter time.Duration, version string) *board {
	b := &board{
		targets:    withoutLocal(targets),
		rings:      make(map[probe.Target]*ring, len(targets)),
		now:        now,
		staleAfter: staleAfter,
		version:    version,
	}
	for _, t := range targets {
		if t == probe.TargetLocal {
			continue // its report lives in local, not in a ring
		}
		b.rings[t] = &ring{}
		if t == probe.TargetAPIKey {
			b.hasKey = true
		}
	}
	b.judge()
	return b
}

// loc is the viewer's time zone, which the model's clock carries: the ssh
// session's TZ, else the server's (Options.Location).
func (b *board) loc() *time.Location { return b.now.Location() }

// zone names the viewer's zone as its clock shows it now: "UTC", "CET",
// "CEST" (tzdata's abbreviation, or an offset such as "-03").
func (b *board) zone() string {
	name, _ := b.now.Zone()
	return probe.Line(name, 12)
}

func (b *board) results(t probe.Target) []probe.Result { return b.rings[t].items() }

func (b *board) latest(t probe.Target) (probe.Result, bool) {
	rs := b.results(t)
	if len(rs) == 0 {
		return probe.Result{}, false
	}
	return rs[len(rs)-1], true
}

func (b *board) hasData() bool { return b.hasCount > 0 || b.status != nil }

// lastChecked is the time of the newest observation of any kind.
func (b *board) lastChecked() time.Time {
	var t time.Time
	for _, r := range b.rings {
		if rs := r.items(); len(rs) > 0 && rs[len(rs)-1].Time.After(t) {
			t = rs[len(rs)-1].Time
		}
	}
	if b.status != nil && b.status.Fetched.After(t) {
		t = b.status.Fetched
	}
	return t
}

// stale reports whether the screen shows old knowledge: loaded from the DB
// with no live event yet, or older than StaleAfter; a running engine's
// (a viewer's) only when older than StaleAfter.
func (b *board) stale() bool {
	if b.ofEngine {
		return b.hasData() && b.verdict.Stale
	}
	return b.hasData() && (!b.live || b.verdict.Stale || b.recorded())
}

// recorded reports whether a target probed every round shows only what
// the database held, no result of this run yet: the last run's state,
// however young, is no answer to this one (cold6 E7: after a restart the
// first frames said "✖ Anthropic outage · checked <1m ago" from stored
// results, with no "Last known" — an event of the local checks had made
// the board live).
func (b *board) recorded() bool {
	ts, _ := b.notYetLive()
	return len(ts) > 0
}

// notYetLive are the targets recorded() finds with only the database's
// results, and the newest of those results: what the screen shows of them
// is from then.
func (b *board) notYetLive() ([]probe.Target, time.Time) {
	var ts []probe.Target
	var at time.Time
	if b.ofEngine {
		return nil, at
	}
	for _, t := range b.targets {
		switch t {
		case probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI:
		default:
			continue
		}
		if _, ok := b.liveFrom[t]; ok || b.rings[t] == nil {
			continue
		}
		if rs := b.rings[t].items(); len(rs) > 0 {
			ts = append(ts, t)
			if r := rs[len(rs)-1]; r.Time.After(at) {
				at = r.Time
			}
		}
	}
	return ts, at
}

// holds reports whether the board has res already: a result of its
// target at the same time.
func (b *board) holds(res probe.Result) bool {
	rs := b.rings[res.Target].items()
	for i := len(rs) - 1; i >= 0 && !rs[i].Time.Before(res.Time); i-- {
		if rs[i].Time.Equal(res.Time) {
			return true
		}
	}
	return false
}

func (b *board) push(res probe.Result) {
	if res.Target == probe.TargetLocal {
		return
	}
	r, ok := b.rings[res.Target]
	if !ok {
		// An engine may probe a target the caller did not list; show it
		// rather than drop what was observed.
		r = &ring{}
		b.rings[res.Target] = r
		b.targets = append(b.targets, res.Target)
		if res.Target == probe.TargetAPIKey {
			b.hasKey = true
		}
	}
	r.push(res)
	b.hasCount++
	if b.firstKnown && !res.Time.IsZero() && (b.first.IsZero() || res.Time.Before(b.first)) {
		b.first = res.Time
	}
}

func (b *board) applyEvent(ev probe.Event, now time.Time) {
	b.touch()
	b.live = true
	b.now = now
	b.storeErr = ev.StoreErr
	if r := ev.Result; r.Target != "" {
		if _, ok := b.liveFrom[r.Target]; !ok && r.Target != probe.TargetLocal {
			if b.liveFrom == nil {
				b.liveFrom = map[probe.Target]time.Time{}
			}
			b.liveFrom[r.Target] = r.Time
		}
		// A late subscriber's first events are the engine's newest
		// results, which the snapshot may already hold: once is enough.
		if !b.holds(r) {
			b.push(r)
		}
		if r.Target != probe.TargetLocal && r.Target != probe.TargetSessions && !r.Target.IsModel() {
			b.rounds++
		}
	}
	if ev.Status != nil {
		st := *ev.Status
		b.status = &st
	}
	if ev.Local != nil {
		b.local = ev.Local
	}
	if ev.Sessions != nil {
		b.sessions = ev.Sessions
	}
	b.book.apply(ev)
	b.judge()
}

// applySnapshot merges stored history under whatever live events already
// arrived: the snapshot command may answer after the first event.
func (b *board) applySnapshot(msg snapshotMsg, now time.Time) {
	b.touch()
	b.loaded = true
	b.now = now
	if msg.knows {
		// The history's first, or — a fresh database — this run's first
		// result, among the live ones already held.
		b.firstKnown = true
		b.first = msg.first
		for _, r := range b.rings {
			for _, res := range r.items() {
				if !res.Time.IsZero() && (b.first.IsZero() || res.Time.Before(b.first)) {
					b.first = res.Time
				}
			}
		}
	}
	if msg.err != nil {
		b.loadErr = "could not read all history: " + probe.Line(msg.err.Error(), 200)
	}
	for t, stored := range msg.recent {
		if t == probe.TargetLocal {
			continue
		}
		var live []probe.Result
		if r := b.rings[t]; r != nil {
			live = append(live, r.items()...)
		}
		b.rings[t] = &ring{}
		if !containsTarget(b.targets, t) {
			b.targets = append(b.targets, t)
		}
		var first time.Time
		if len(live) > 0 {
			first = live[0].Time
		}
		for _, res := range stored {
			if first.IsZero() || res.Time.Before(first) {
				b.push(res)
			}
		}
		for _, res := range live {
			b.rings[t].push(res) // already counted in hasCount
		}
		if t == probe.TargetAPIKey && len(stored)+len(live) > 0 {
			b.hasKey = true
		}
	}
	if msg.status != nil && (b.status == nil || msg.status.Fetched.After(b.status.Fetched)) {
		st := *msg.status
		b.status = &st
	}
	b.book.putOfficial(msg.official...)
	b.book.putLocal(msg.local...)
	b.book.read(msg.status)
	b.judge()
}

func (b *board) setNow(now time.Time) {
	b.touch()
	b.now = now
	b.judge()
}

func (b *board) judge() {
	recent := make(map[probe.Target][]probe.Result, len(b.rings))
	for t, r := range b.rings {
		if rs := b.counted(t, r.items()); len(rs) > 0 {
			recent[t] = rs
		}
	}
	if b.sessions != nil {
		if rs := withSessionsReport(recent[probe.TargetSessions], b.sessions.Recent); len(rs) > 0 {
			recent[probe.TargetSessions] = rs
		}
	}
	b.verdict = judge.Judge(b.judgeInput(recent))
	// Only a change between two settled verdicts is news; from or to
	// "Unknown" (no data, or stale) is no news about Claude.
	if b.verdict.Kind == probe.VerdictUnknown || !b.settled() {
		return
	}
	// A change is the banner's: the verdict it draws moved on from the one
	// it drew, and "from" names that one as drawn, with its hedge
	// ("changed 12:47 from Likely your network", never a bare "Your
	// network" — cold7 E8). This run's own results, judged alone, weigh
	// their first failure at once: measured on them, one 529 after a
	// restart, which the banner held as "One failure, not yet a verdict", was marked
	// "changed from Not yet acknowledged by Anthropic" a round later — a
	// verdict never on screen (verdicts5 W3).
	k := b.verdict.Kind
	b.mark(k, b.verdict.Title())
	if own := b.ownKind(recent); own == k || (own != probe.VerdictUnknown && own != probe.VerdictOperational) {
		// This run's results say it, or worse than all clear: the
		// banner holding back on a first failure is still this run's.
		b.shownOwn = true
	}
}

func (b *board) judgeInput(recent map[probe.Target][]probe.Result) judge.Input {
	old, oldAt := b.notYetLive()
	return judge.Input{
		Status:     b.status,
		Recent:     recent,
		Now:        b.now,
		StaleAfter: b.staleAfter,
		Horizon:    b.horizon,
		Local:      b.local,
		Recover:    b.recover,
		Recorded:   len(old) > 0,
		RecordedAt: oldAt,
		URLs:       b.urls,
	}
}

// close marks the engine's event channel closed.
func (b *board) close() {
	b.touch()
	b.closed = true
}

func containsTarget(ts []probe.Target, t probe.Target) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func withoutLocal(ts []probe.Target) []probe.Target {
	out := make([]probe.Target, 0, len(ts))
	for _, t := range ts {
		if t != probe.TargetLocal {
			out = append(out, t)
		}
	}
	return out
}

// counted is rs (oldest first) without the results older than b.cut: the
// ones the database held from long before this start. Claude Code's
// sessions keep theirs: the judge weighs them by their own freshness, and
// so does the status page's run of failed reads (judge.UnreadableRun).
func (b *board) counted(t probe.Target, rs []probe.Result) []probe.Result {
	if b.cut.IsZero() || t == probe.TargetSessions {
		return rs
	}
	run := len(rs)
	if t == probe.TargetStatus {
		// The status page's unbroken run of failed reads counts whatever
		// its age, as check reads it: one "since" for both.
		run = judge.UnreadableRun(rs, b.status)
	}
	out := rs[:0:0]
	for i, r := range rs {
		if i >= run || !r.Time.Before(b.cut) {
			out = append(out, r)
		}
	}
	return out
}

// withSessionsReport is the sessions' results the board holds joined
// with the follower's report of the last hour, each call once, oldest
// first. The board gets only the calls read within minutes of being made
// (the follower stores older ones); a backlog read at start holds answers
// from ten minutes ago, so without the report the verdict said "4 errors
// in the last 15 min of 4 calls" when a fifth call had been answered.
func withSessionsReport(held, reported []probe.Result) []probe.Result {
	if len(reported) == 0 {
		return held
	}
	type key struct {
		at          int64
		req, detail string
		class       probe.Class
		status      int
	}
	seen := make(map[key]bool, len(held)+len(reported))
	out := make([]probe.Result, 0, len(held)+len(reported))
	for _, rs := range [][]probe.Result{held, reported} {
		for _, r := range rs {
			k := key{r.Time.UnixNano(), r.RequestID, r.Detail, r.Class, r.HTTPStatus}
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}
