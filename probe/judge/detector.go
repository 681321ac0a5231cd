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
}

// targetRun is one target's streaks.
type targetRun struct {
	latest   probe.Class         // newest judged class
	cat      string              // category of the failing streak: "provider", "yours", "net"
	fails    int                 // consecutive failures of cat
	streak   []probe.Result      // the failures of the current streak (bounded)
	dropped  map[probe.Class]int // failures the bound dropped from streak, still to count
	lastFail time.Time
}

// run is a count of results in a row and when the first of them came.
type run struct {
	n     int
	since time.Time
}

// maxStreak bounds the failures a target keeps before its incident opens.
const maxStreak = 64

// NewDetector returns a detector with the thresholds in cfg.
func NewDetector(cfg DetectorConfig) *Detector {
	d := &Detector{
		fail:     cfg.FailThreshold,
		recover:  cfg.RecoverThreshold,
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
	if r := ev.Result; r.Target != "" && r.Class != probe.ClassUnknown && (r.Target != probe.TargetSessions || d.sessionCall(r)) {
		d.observe(r, changed)
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

func (d *Detector) observe(r probe.Result, changed map[*probe.LocalIncident]bool) {
	tr := d.run(r.Target)
	tr.latest = r.Class

	// An open incident's target recovers with results in a row that are
	// not failures of that incident's subject: a 401 means the API's
	// servers answer, so it ends a provider incident (and may open one of
	// your side).
	var subject, service string
	var kind probe.IncidentKind
	cat := ""
	if r.Class.Failing() {
		cat = category(r)
		subject, kind, service = d.subject(r, cat)
	}
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
		if subj == subject {
			c.n = 0
			continue
		}
		if c.n == 0 {
			c.since = r.Time
		}
		c.n++
		l.Probes++
		changed[l] = true
	}

	if !r.Class.Failing() {
		tr.fails, tr.cat, tr.streak, tr.dropped = 0, "", tr.streak[:0], nil
		d.closeRecovered(changed)
		return
	}
	defer d.closeRecovered(changed)

	tr.lastFail = r.Time
	if cat != tr.cat {
		tr.cat, tr.fails, tr.streak, tr.dropped = cat, 0, tr.streak[:0], nil
	}
	tr.fails++
	if len(tr.streak) >= maxStreak {
		// Keep the first failure (the start) and the newest ones; the
		// one dropped still counts when the incident opens.
		if tr.dropped == nil {
			tr.dropped = map[probe.Class]int{}
		}
		tr.dropped[tr.streak[1].Class]++
		tr.streak = append(tr.streak[:1], tr.streak[2:]...)
	}
	tr.streak = append(tr.streak, r)

	// A failure adds to the open incident of its subject, whatever the
	// target's own streak; otherwise the streak must reach the threshold.
	if l := d.open[subject]; l != nil {
		d.fold(l, tr)
		changed[l] = true
		return
	}
	if tr.fails < d.fail {
		return
	}
	l := &probe.LocalIncident{
		Subject: subject,
		Kind:    kind,
		Service: service,
		Opened:  d.now(),
		Classes: map[probe.Class]int{},
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
	}
}

// category sorts a failure by whose side it points at; network failures are
// decided later, against the other targets.
func category(r probe.Result) string {
	switch {
	case r.Target == probe.TargetSessions:
		return sessionCategory(r)
	case r.Target == probe.TargetCode:
		return "yours" // the local CLI
	case r.Target.IsModel() && r.ErrorType == "not_found_error":
		return "yours" // a canary of a model that does not exist: the setting
	case r.Class == probe.ClassNetwork:
		return "net"
	case r.Class.UserSide():
		return "yours"
	}
	return "provider"
}

// subject names the incident a failure belongs to.
func (d *Detector) subject(r probe.Result, cat string) (string, probe.IncidentKind, string) {
	if r.Target == probe.TargetSessions {
		return sessionSubject(cat)
	}
	if cat == "net" {
		if d.open["network"] != nil || d.networkWide() {
			return "network", probe.KindYourNetwork, ""
		}
		// One host not answering while others do: a timeout or reset is
		// the server's doing; a name, route or proxy failure is ours.
		if r.ErrorType == probe.NetTimeout || r.ErrorType == probe.NetReset {
			cat = "provider"
		} else {
			cat = "yours"
		}
	}
	if cat == "provider" && r.Target.IsModel() {
		// One incident per model, of the Claude API's component.
		return "provider:" + string(r.Target), probe.KindProvider, "api"
	}
	if cat == "provider" {
		if s, ok := probe.ServiceOf(r.Target); ok {
			return "provider:" + s.Key, probe.KindProvider, s.Key
		}
		return "provider:" + string(r.Target), probe.KindProvider, ""
	}
	return "yours:" + string(r.Target), probe.KindYourSide, ""
}

// networkWide is the verdict's rule for "your network" (networkWide) on
// the detector's latest classes.
func (d *Detector) networkWide() bool {
	_, ok := networkWide(func(t probe.Target) probe.Result {
		if tr := d.targets[t]; tr != nil {
			return probe.Result{Target: t, Class: tr.latest}
		}
		return probe.Result{}
	})
	return ok
}

// mergeIntoNetwork closes the open incidents made of network failures into
// the network-wide one, so an outage of your network is one incident.
func (d *Detector) mergeIntoNetwork(net *probe.LocalIncident, changed map[*probe.LocalIncident]bool) {
	for subj, l := range d.open {
		if l == net || l.Class() != probe.ClassNetwork {
			continue
		}
		for c, n := range l.Classes {
			net.Classes[c] += n
		}
		net.Failures += l.Failures
		net.Probes += l.Probes // the counts add up: never more failed than probed
		for _, t := range l.Targets {
			addTarget(net, t)
		}
		if l.FirstFailure.Before(net.FirstFailure) {
			net.FirstFailure = l.FirstFailure
		}
		l.MergedInto = net.ID
		l.Closed = d.now()
		delete(d.open, subj)
		delete(d.clear, subj)
		changed[l] = true
	}
}

// closeRecovered closes every open incident whose targets have all had
// enough successes in a row.
func (d *Detector) closeRecovered(changed map[*probe.LocalIncident]bool) {
	for subj, l := range d.open {
		var recovered time.Time
		done := true
		for _, t := range l.Targets {
			c := d.clear[subj][t]
			if c == nil || c.n < d.recover {
				done = false
				break
			}
			if c.since.After(recovered) {
				recovered = c.since
			}
		}
		if !done || len(l.Targets) == 0 {
			continue
		}
		l.Recovered = recovered
		l.Closed = d.now()
		delete(d.open, subj)
		delete(d.clear, subj)
		d.recent = append(d.recent, l)
		changed[l] = true
	}
}

// fold adds a target's pending failures to l; they are then counted.
func (d *Detector) fold(l *probe.LocalIncident, tr *targetRun) {
	for _, f := range tr.streak {
		addFailure(l, f)
	}
	for c, n := range tr.dropped {
		if l.Classes == nil {
			l.Classes = map[probe.Class]int{}
		}
		l.Classes[c] += n
		l.Failures += n
		l.Probes += n
	}
	tr.streak, tr.dropped = tr.streak[:0], nil
}

func addFailure(l *probe.LocalIncident, r probe.Result) {
	if l.FirstFailure.IsZero() || r.Time.Before(l.FirstFailure) {
		l.FirstFailure = r.Time
	}
	if r.Time.After(l.LastFailure) {
		l.LastFailure = r.Time
	}
	if l.Classes == nil {
		l.Classes = map[probe.Class]int{}
	}
	l.Classes[r.Class]++
	l.Failures++
	l.Probes++
	l.HTTPStatus, l.ErrorType, l.Message = r.HTTPStatus, r.ErrorType, r.Message
	addTarget(l, r.Target)
	if id := r.RequestID; id != "" {
		for _, x := range l.RequestIDs {
			if x == id {
				return
			}
		}
		if len(l.RequestIDs) < maxRequestIDs {
			l.RequestIDs = append(l.RequestIDs, id)
		} else {
			// Keep the first three; the last two slide.
			l.RequestIDs = append(l.RequestIDs[:3:3], l.RequestIDs[4], id)
		}
	}
}

// addTarget adds t to l's targets unless it is there.
func addTarget(l *probe.LocalIncident, t probe.Target) {
	if !slices.Contains(l.Targets, t) {
		l.Targets = append(l.Targets, t)
	}
}

// learnOfficial remembers the official incidents the event carries.
func (d *Detector) learnOfficial(ev probe.Event) {
	var ins []probe.Incident
	if ev.Status != nil {
		ins = append(ins, ev.Status.Incidents...)
		ins = append(ins, ev.Status.Maintenances...)
	}
	ins = append(ins, ev.Official...)
	for _, in := range ins {
		if in.ID == "" {
			continue
		}
		if old, ok := d.official[in.ID]; ok {
			in = probe.MergeIncident(old, in)
		}
		d.official[in.ID] = in
	}
	if len(d.official) > officialKeep {
		all := make([]probe.Incident, 0, len(d.official))
		for _, in := range d.official {
			all = append(all, in)
		}
		sort.Slice(all, func(i, j int) bool { return all[i].Start().After(all[j].Start()) })
		for _, in := range all[officialKeep:] {
			delete(d.official, in.ID)
		}
	}
}

// link sets OfficialID on the open and recently closed incidents.
func (d *Detector) link(changed map[*probe.LocalIncident]bool) {
	now := d.now()
	keep := d.recent[:0]
	for _, l := range d.recent {
		if now.Sub(l.Closed) < linkKeep {
			keep = append(keep, l)
		}
	}
	d.recent = keep
	if len(d.official) == 0 {
		return
	}
	official := make([]probe.Incident, 0, len(d.official))
	for _, in := range d.official {
		official = append(official, in)
	}
	check := func(l *probe.LocalIncident) {
		// A link stays while its incident still overlaps ours: a later
		// candidate (a maintenance window, say) must not steal it.
		if cur, ok := d.official[l.OfficialID]; ok && l.OfficialID != "" {
			if _, still := Correlate(*l, []probe.Incident{cur}); still {
				return
			}
		}
		id := ""
		if in, ok := Correlate(*l, official); ok {
			id = in.ID
		}
		if id != l.OfficialID && (id != "" || l.Active()) {
			l.OfficialID = id
			changed[l] = true
		}
	}
	for _, l := range d.open {
		check(l)
	}
	for _, l := range d.recent {
		check(l)
	}
}

func clone(l probe.LocalIncident) probe.LocalIncident {
	l.Classes = copyClasses(l.Classes)
	l.Targets = append([]probe.Target(nil), l.Targets...)
	l.RequestIDs = append([]string(nil), l.RequestIDs...)
	return l
}

func copyClasses(m map[probe.Class]int) map[probe.Class]int {
	out := make(map[probe.Class]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
