package judge

import (
	"sort"

	"downforai/probe"
)

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
				// Unless it ended while ours goes on and another open
				// one concerns ours (cold8 E6).
				if _, moved := relink(*l, cur, official); !moved {
					return
				}
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
