package judge

import "downforai/probe"

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
		net.Others += l.Others
		net.Hung = net.Hung && l.Hung
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
