// How an incident ends (recovered, or superseded by another failure) and
// how the failures it gathers are counted into it.

package judge

import (
	"slices"
	"time"

	"downforai/probe"
)

// closeRecovered closes every open incident whose targets have all had
// RecoverThreshold results in a row that are not its failures, and are not
// unstable by the banner's rule. When all of those answered, it recovered;
// when some failed another way (the API became unreachable, or answers
// 401), it was superseded: it ended, but nothing recovered.
func (d *Detector) closeRecovered(changed map[*probe.LocalIncident]bool) {
	for subj, l := range d.open {
		var recovered time.Time
		var became *run
		done := true
		for _, t := range l.Targets {
			c := d.clear[subj][t]
			if l.Kind == probe.KindYourNetwork {
				// The path is back when every host answers: a host whose
				// other target answered (the API without the key, probed
				// more often) is reachable, and one taking turns with
				// 529s answers over HTTP — its own incident, not the
				// network's (cold5 D5).
				c = d.hostAnswered(subj, t)
			} else if d.targets[t] != nil && d.targets[t].unstable {
				c = nil
			}
			if c == nil || c.n < d.recover {
				done = false
				break
			}
			if c.since.After(recovered) {
				recovered = c.since
			}
			// Any answer over HTTP is the network working again: a
			// network-wide incident recovers whatever it answers.
			if c.failed > 0 && l.Kind != probe.KindYourNetwork && (became == nil || c.last.Time.After(became.last.Time)) {
				became = c
			}
		}
		if !done || len(l.Targets) == 0 {
			continue
		}
		if became != nil && l.Kind == probe.KindProvider && became.last.Class.UserSide() {
			// Anthropic's servers answering the key with a refusal of it
			// (401, 429, credit) are the API back: the provider's incident
			// recovered, the refusal is the user's own incident — not
			// "overloaded (529) — became credential rejected", one side's
			// failure turned into the other's (cold walk of Dec 7).
			became = nil
		}
		if became != nil {
			l.Superseded, l.BecameClass = recovered, became.last.Class
			l.BecameHung = became.last.Class == probe.ClassNetwork && hangs(became.last, d.local)
			l.BecameError = became.last.ErrorType
			l.Became = d.becameTitle(l, became.last)
		} else {
			l.Recovered = recovered
		}
		l.Closed = d.now()
		delete(d.open, subj)
		delete(d.clear, subj)
		d.recent = append(d.recent, l)
		changed[l] = true
	}
}

// hostAnswered is the run of answers of t's host for the open incident
// subj: t's own, or that of another of its targets on the same host, the
// earliest that has reached the recover threshold (else t's own).
func (d *Detector) hostAnswered(subj string, t probe.Target) *run {
	own := d.clear[subj][t]
	best := own
	for u, c := range d.clear[subj] {
		if u == t || hostOf(u) != hostOf(t) || c == nil || c.n < d.recover {
			continue
		}
		if best == nil || best.n < d.recover || c.since.Before(best.since) {
			best = c
		}
	}
	return best
}

// becameTitle names what a superseded incident's failures became: the
// open incident of ours that now holds the target, else the failure.
func (d *Detector) becameTitle(l *probe.LocalIncident, r probe.Result) string {
	for _, o := range d.open {
		if o != l && slices.Contains(o.Targets, r.Target) {
			return o.Title()
		}
	}
	return r.Target.Label() + ": " + probe.FailureWords(r)
}

// fold adds a target's pending failures to l; they are then counted.
func (d *Detector) fold(l *probe.LocalIncident, tr *targetRun) {
	for _, f := range tr.streak {
		addFailure(l, f)
		d.hung(l, f)
	}
	for c, n := range tr.dropped {
		if l.Classes == nil {
			l.Classes = map[probe.Class]int{}
		}
		l.Classes[c] += n
		l.Failures += n
		l.Probes += n
	}
	if tr.droppedAnswered {
		l.Hung = false
	}
	tr.streak, tr.dropped, tr.droppedAnswered = tr.streak[:0], nil, false
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
	l.HTTPStatus, l.ErrorType, l.Message, l.LastClass = r.HTTPStatus, r.ErrorType, r.Message, r.Class
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
