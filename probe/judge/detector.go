package judge

import (
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"downforai/probe"
)

// Default thresholds, as in Gatus: an incident opens after three failing
// probes in a row and resolves after two successes in a row.
const (
	DefaultFailThreshold    = 3
	DefaultRecoverThreshold = 2
)

// DetectorConfig tunes a Detector.
type DetectorConfig struct {
	FailThreshold    int // consecutive failures of one kind that open an incident; 0 means DefaultFailThreshold
	RecoverThreshold int // consecutive successes that close it; 0 means DefaultRecoverThreshold
	// Now stamps Opened and Closed; nil means time.Now. Failure and
	// recovery times come from the results themselves.
	Now func() time.Time
	// Horizon is how far back from a result its target's earlier results
	// count toward "unstable" (Horizon(interval, statusInterval)), as the
	// banner weighs them (Input.Horizon); 0: no limit.
	Horizon time.Duration
}

// maxRequestIDs is how many sample request ids an incident keeps: the first
// three and the newest two.
const maxRequestIDs = 5

// linkKeep is how long a closed incident stays eligible for linking to an
// official incident posted after it.
const linkKeep = 6 * time.Hour

// officialKeep bounds the official incidents the detector remembers.
const officialKeep = 200

// Detector turns the engine's stream of Results into LocalIncidents and
// links each to the official incident that overlaps it (Correlate).
//
// Per target it counts consecutive failures of one category — Anthropic's
// side, your side, network — and consecutive successes. When a target's
// failures reach FailThreshold, the incident of that category's subject
// opens ("provider:api" for the API's two targets together, "yours:api_key",
// "network" for every target at once); later failures of the same subject
// add to it. It closes when every target that failed in it has had
// RecoverThreshold results in a row that are not failures of its subject
// (successes, or failures that point elsewhere: a 401 ends a provider
// incident and counts towards one of your side). When every HTTP target fails at the
// network level at once, it is one "your network" incident, and open
// incidents made of network failures are merged into it.
//
// A Detector is safe for concurrent use; the engine calls it under its
// record lock so incident versions are stored in order.
type Detector struct {
	fail, recover int
	horizon       time.Duration
	now           func() time.Time

	mu       sync.Mutex
	targets  map[probe.Target]*targetRun
	open     map[string]*probe.LocalIncident  // by subject
	clear    map[string]map[probe.Target]*run // per open subject and target: results in a row that are not its failures
	recent   []*probe.LocalIncident           // closed within linkKeep, for late links
	official map[string]probe.Incident        // by id
	// lastSession is the newest call of Claude Code's sessions seen: an
	// incident of theirs closes when they go quiet (sessions.go).
	lastSession time.Time
	// local is the newest local checks' report: which targets speak
	// https, and whether DNS or the proxy fail (the "hung" rule).
	local *probe.LocalReport
}

// targetRun is one target's streaks.
type targetRun struct {
	latest  probe.Class         // newest judged class
	cat     string              // category of the failing streak: "provider", "yours", "net"
	fails   int                 // consecutive failures of cat
	streak  []probe.Result      // the failures of the current streak (bounded)
	dropped map[probe.Class]int // failures the bound dropped from streak, still to count
	// droppedAnswered: one of the dropped failures clears an incident's
	// Hung (hung).
	droppedAnswered bool
	lastFail        time.Time
	last            probe.Result   // the newest judged result
	window          []probe.Result // the newest Window judged results, oldest first: the judge's instability rule
	unstable        bool           // watch's rule on window, as the banner judges it
	view            view           // watch's whole view of window: the banner's for this target
}

// run is a count of results in a row and when the first of them came.
type run struct {
	n      int
	since  time.Time
	failed int          // how many of them were failures of another subject
	last   probe.Result // the newest such failure
}

// maxStreak bounds the failures a target keeps before its incident opens;
// the first streakHead of them stay (the first request ids).
const (
	maxStreak  = 64
	streakHead = maxRequestIDs - 2
)

// NewDetector returns a detector with the thresholds in cfg.
func NewDetector(cfg DetectorConfig) *Detector {
	d := &Detector{
		fail:     cfg.FailThreshold,
		recover:  cfg.RecoverThreshold,
		horizon:  cfg.Horizon,
		now:      cfg.Now,
		targets:  map[probe.Target]*targetRun{},
		open:     map[string]*probe.LocalIncident{},
		clear:    map[string]map[probe.Target]*run{},
		official: map[string]probe.Incident{},
	}
	if d.fail <= 0 {
		d.fail = DefaultFailThreshold
	}
	if d.recover <= 0 {
		d.recover = DefaultRecoverThreshold
	}
	if d.now == nil {
		d.now = time.Now
	}
	return d
}

// Restore takes over incidents left open by an earlier run (from the
// store), so they continue and close when the probes recover. The streak
// counts start afresh: every target needs RecoverThreshold new successes.
func (d *Detector) Restore(open []probe.LocalIncident) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, l := range open {
		if !l.Active() || l.Subject == "" {
			continue
		}
		c := l
		c.Classes = copyClasses(l.Classes)
		d.open[c.Subject] = &c
	}
}

// Open returns copies of the open incidents, oldest first.
func (d *Detector) Open() []probe.LocalIncident {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []probe.LocalIncident
	for _, l := range d.open {
		out = append(out, clone(*l))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FirstFailure.Before(out[j].FirstFailure) })
	return out
}

// Observe feeds one event to the detector and returns copies of the
// incidents it opened, changed or closed, oldest first.
func (d *Detector) Observe(ev probe.Event) []probe.LocalIncident {
	d.mu.Lock()
	defer d.mu.Unlock()
	changed := map[*probe.LocalIncident]bool{}

	d.learnOfficial(ev)
	if ev.Local != nil {
		d.local = ev.Local
	}
	if r := ev.Result; r.Target != "" && r.Class != probe.ClassUnknown && (r.Target != probe.TargetSessions || d.sessionCall(r)) {
		d.observe(r, changed)
		d.nameGateway(r, changed)
	}
	d.closeQuiet(changed)
	d.link(changed)

	out := make([]probe.LocalIncident, 0, len(changed))
	for l := range changed {
		l.Version++
		out = append(out, clone(*l))
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].FirstFailure.Equal(out[j].FirstFailure) {
			return out[i].FirstFailure.Before(out[j].FirstFailure)
		}
		return out[i].Subject < out[j].Subject
	})
	return out
}

func (d *Detector) run(t probe.Target) *targetRun {
	tr := d.targets[t]
	if tr == nil {
		tr = &targetRun{}
		d.targets[t] = tr
	}
	return tr
}

// observe is one result's way through the detector, step by step: kept
// in its target's window, sorted to the incident it belongs to, counted
// toward ending the open incidents it does not belong to, then — a
// failure — added to its target's streak, to its open incident, or
// opening one.
func (d *Detector) observe(r probe.Result, changed map[*probe.LocalIncident]bool) {
	if r.ErrorType == probe.ErrBaseURL404 && !r.Target.IsModel() {
		// A 404 at /v1/models under the API URL set is no evidence
		// either way (a gateway that lists no models, or a wrong URL):
		// the verdict is unknown, so it neither opens "Your side, API
		// reachability: not found under the API URL set" nor counts
		// toward or against another incident. A canary's 404 at
		// /v1/messages there is the evidence, and opens its own.
		return
	}
	tr := d.remember(r)
	var subject, service string
	var kind probe.IncidentKind
	cat := ""
	if r.Class.Failing() {
		cat = category(r)
		subject, kind, service = d.subject(r, cat)
	}
	d.noteGap(r, changed)
	d.countTowardEnds(r, tr, subject, changed)
	if !r.Class.Failing() {
		tr.fails, tr.cat, tr.streak, tr.dropped, tr.droppedAnswered = 0, "", tr.streak[:0], nil, false
		d.openUnstable(r.Target, tr, changed)
		d.followNow(r, subject, changed)
		d.closeRecovered(changed)
		return
	}
	defer d.closeRecovered(changed)
	defer d.followNow(r, subject, changed) // before closeRecovered: defers run last first
	d.extendStreak(r, tr, cat)
	// A failure adds to the open incident of its subject, whatever the
	// target's own streak; otherwise the streak must reach the threshold.
	if d.addToOpen(tr, subject, changed) || d.reopen(tr, subject, changed) {
		return
	}
	// Three failures in a row, or the target taking turns failing and
	// succeeding as the banner's "Unstable: 7 of the last 12" judges it:
	// a flapping API never fails three times in a row.
	if tr.fails < d.fail && !d.unstableFor(tr, subject) {
		return
	}
	d.openIncident(tr, subject, kind, service, changed)
}

// remember keeps r in its target's window and judges the target's
// instability over it.
func (d *Detector) remember(r probe.Result) *targetRun {
	tr := d.run(r.Target)
	tr.latest, tr.last = r.Class, r
	tr.window = append(tr.window, r)
	if w := InWindow(r.Target, tr.window, r.Time, d.horizon); len(w) > Window {
		tr.window = append(tr.window[:0], w[len(w)-Window:]...)
	} else if len(w) < len(tr.window) {
		tr.window = append(tr.window[:0], w...)
	}
	// The banner's rule, not a second threshold: the same watch over the
	// same window of results (https only sorts the failures, which
	// instability does not look at).
	tr.view = watch(r.Target, tr.window, d.recover, true)
	tr.unstable = tr.view.unstable
	return tr
}

// gapRounds is how many probe intervals without a probe of any of an
// open incident's targets make a gap in what it observed.
const gapRounds = 3

// noteGap keeps, for each open incident of r's target, when its targets
// were last probed, and adds the time none was to its Unprobed: an
// incident restored after a restart spans the time downforai did not run,
// and "failing since 23:12 (4m)" read as four minutes observed failing
// where two and a half went unprobed. Claude Code's calls and the model
// canaries come when they come, not each round: no gap of theirs counts.
// A gap longer than the horizon ends the incident unobserved (Unobserved):
// "lasted 5h" over four hours unprobed was not seen.
func (d *Detector) noteGap(r probe.Result, changed map[*probe.LocalIncident]bool) {
	if r.Target == probe.TargetSessions || r.Target.IsModel() {
		return
	}
	round := d.horizon / time.Duration(Window)
	for _, l := range d.open {
		if !slices.Contains(l.Targets, r.Target) || !r.Time.After(l.LastProbe) {
			continue
		}
		last := l.LastProbe
		if last.IsZero() {
			last = l.LastFailure // stored before LastProbe was kept: the newest probe it knows
		}
		if gap := r.Time.Sub(last); round > 0 && !last.IsZero() && gap > gapRounds*round {
			l.Unprobed += gap
			l.UnprobedFrom, l.UnprobedTo = last, r.Time
			if gap > d.horizon {
				// Longer than results count for the banner: what
				// happened meanwhile is not known, so this one ended
				// somewhere in the gap, and what fails now is new.
				l.Unobserved, l.Closed = true, r.Time
				delete(d.open, l.Subject)
				delete(d.clear, l.Subject)
				d.recent = append(d.recent, l)
				changed[l] = true
				continue
			}
		}
		l.LastProbe = r.Time
		changed[l] = true
	}
}

// followNow keeps each open incident of r's target saying what goes on
// now, as the banner does: unstable while one of its targets takes turns
// failing and succeeding by the banner's rule, failing steadily once a
// failure of its own subject comes with none of them unstable (the
// banner's "failing from here"). A success that is not unstable changes
// nothing (the incident is recovering, and closing keeps what it was),
// nor does a failure of another subject (a 429 after 529s: that is
// another incident's, and this one ends).
func (d *Detector) followNow(r probe.Result, subject string, changed map[*probe.LocalIncident]bool) {
	for subj, l := range d.open {
		if !l.Unstable || l.Kind == probe.KindYourNetwork || !slices.Contains(l.Targets, r.Target) {
			continue
		}
		unstable := d.speaker(l).unstable
		steady := l.FailingSteadily
		switch {
		case unstable:
			steady = false
		case r.Class.Failing() && subj == subject:
			steady = true
		}
		if steady != l.FailingSteadily {
			l.FailingSteadily = steady
			changed[l] = true
		}
	}
}

// speaker is the view that speaks for l's targets as the banner picks it
// for their service (worst, in the service's order of targets): when the
// API's probe fails steadily while the keyed one still takes turns, the
// banner says failing, and so does the incident.
func (d *Detector) speaker(l *probe.LocalIncident) view {
	ts := slices.Clone(l.Targets)
	rank := func(t probe.Target) int {
		if s, ok := probe.ServiceOf(t); ok {
			if i := slices.Index(s.Targets, t); i >= 0 {
				return i
			}
		}
		return len(ts) // canaries and sessions after the service's own, as judge.targets has them
	}
	slices.SortStableFunc(ts, func(a, b probe.Target) int { return rank(a) - rank(b) })
	var vs []view
	for _, t := range ts {
		if tr := d.targets[t]; tr != nil && tr.view.total > 0 {
			vs = append(vs, tr.view)
		}
	}
	return worst(vs)
}

// countTowardEnds counts r toward ending every open incident of its
// target it does not belong to: an open incident's target recovers with
// results in a row that are not failures of that incident's subject — a
// 401 means the API's servers answer, so it ends a provider incident (and
// may open one of your side).
func (d *Detector) countTowardEnds(r probe.Result, tr *targetRun, subject string, changed map[*probe.LocalIncident]bool) {
	for subj, l := range d.open {
		if !slices.Contains(l.Targets, r.Target) {
			continue
		}
		runs := d.clear[subj]
		if runs == nil {
			runs = map[probe.Target]*run{}
			d.clear[subj] = runs
		}
		c := runs[r.Target]
		if c == nil {
			c = &run{}
			runs[r.Target] = c
		}
		if d.unstableFor(tr, subj) && !l.Unstable && l.Kind != probe.KindYourNetwork {
			// r, a failure of its subject, is folded after this.
			d.becomeUnstable(l, tr, r.Class.Failing() && subj == subject)
			changed[l] = true
		}
		if subj == subject {
			c.n, c.failed = 0, 0
			continue
		}
		if c.n == 0 {
			c.since, c.failed = r.Time, 0
		}
		c.n++
		if r.Class.Failing() {
			c.failed++
			c.last = r
			l.Others++
			if r.RateLimit.RetryAfter > 0 && c.n < d.recover {
				// Refused with a Retry-After: the next probe waits it
				// out, so none can come sooner to end this one — the
				// banner's rule (the refusal is the state at once). A
				// provider incident stayed open behind the key's 429s,
				// titled by a timeout nothing saw any more (cold walk).
				c.n = d.recover
			}
		}
		l.Probes++
		changed[l] = true
	}
}

// extendStreak adds the failure r to its target's streak of failures of
// one side (cat), starting the streak afresh when the side changed.
func (d *Detector) extendStreak(r probe.Result, tr *targetRun, cat string) {
	tr.lastFail = r.Time
	if cat != tr.cat {
		tr.cat, tr.fails, tr.streak, tr.dropped, tr.droppedAnswered = cat, 0, tr.streak[:0], nil, false
	}
	tr.fails++
	if len(tr.streak) >= maxStreak {
		// Keep the first failures (the start, and the first request ids
		// an incident keeps) and the newest ones; the one dropped still
		// counts when the incident opens, and so does what it says of
		// the path (hung).
		if tr.dropped == nil {
			tr.dropped = map[probe.Class]int{}
		}
		x := tr.streak[streakHead]
		tr.dropped[x.Class]++
		tr.droppedAnswered = tr.droppedAnswered || !hangs(x, d.local)
		tr.streak = append(tr.streak[:streakHead], tr.streak[streakHead+1:]...)
	}
	tr.streak = append(tr.streak, r)
}

// addToOpen adds the target's streak to the open incident of subject, if
// there is one.
func (d *Detector) addToOpen(tr *targetRun, subject string, changed map[*probe.LocalIncident]bool) bool {
	l := d.open[subject]
	if l == nil {
		return false
	}
	d.fold(l, tr)
	if d.unstableFor(tr, subject) && l.Kind != probe.KindYourNetwork {
		d.becomeUnstable(l, tr, false)
	}
	changed[l] = true
	return true
}

// reopen takes back the incident of subject that recovered just before
// r's target failed again: a failure soon after recovering from the same
// failure, as the banner judges it (watch's relapse: the recovery did not
// hold), is that incident going on — it closed after two answers and a new
// one opened 8 s later (cold walk of Dec 7).
func (d *Detector) reopen(tr *targetRun, subject string, changed map[*probe.LocalIncident]bool) bool {
	v := tr.view
	if v.relapse.IsZero() || !v.state.failing() || !v.since.Equal(tr.last.Time) {
		return false
	}
	for i := len(d.recent) - 1; i >= 0; i-- {
		l := d.recent[i]
		if l.Subject != subject {
			continue
		}
		if !l.Recovering() || l.Unobserved || l.Recovered.Before(v.relapse) || !slices.Contains(l.Targets, tr.last.Target) {
			return false
		}
		d.recent = slices.Delete(d.recent, i, i+1)
		l.Recovered, l.Closed = time.Time{}, time.Time{}
		l.Relapses++
		d.open[subject] = l
		d.fold(l, tr)
		changed[l] = true
		return true
	}
	return false
}

// openIncident opens the incident of subject from the target's streak (or
// its window, when instability opens it), with the other targets'
// failures of the same subject so far.
func (d *Detector) openIncident(tr *targetRun, subject string, kind probe.IncidentKind, service string, changed map[*probe.LocalIncident]bool) {
	l := &probe.LocalIncident{
		Subject: subject,
		Kind:    kind,
		Service: service,
		Opened:  d.now(),
		Classes: map[probe.Class]int{},
		Hung:    true, // until a failure says otherwise (fold)
	}
	if tr.fails < d.fail {
		// Opened by instability: it began with the window's first
		// failure of this subject, and the window's other probes count.
		l.Unstable = kind != probe.KindYourNetwork
		d.foldWindow(l, tr, subject)
	}
	d.fold(l, tr)
	// Other targets' failures so far that belong to the same subject join
	// it now, so it starts at the first of them.
	for _, o := range d.targets {
		if n := len(o.streak); n > 0 {
			if subj, _, _ := d.subject(o.streak[n-1], o.cat); subj == subject {
				d.fold(l, o)
			}
		}
	}
	l.ID = fmt.Sprintf("%016x/%s", uint64(l.FirstFailure.UnixNano()), subject)
	d.open[subject] = l
	changed[l] = true
	if kind == probe.KindYourNetwork {
		d.mergeIntoNetwork(l, changed)
		for _, id := range []string{probe.CheckDNS, probe.CheckProxy} {
			if _, failing := failingCheck(d.local, id); failing {
				l.Hung = false // the verdict names the failing check, not the path
			}
		}
	}
}
