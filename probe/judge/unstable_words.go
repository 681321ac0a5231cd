// How an unstable window's failures are said: which probes, how many,
// and of what kinds.

package judge

import (
	"slices"

	"downforai/probe"
)

// otherClasses are the window's failures of classes other than c: the
// newest of each, in the order they first failed, and whether all came
// before c's first failure.
func otherClasses(states []state, judged []probe.Result, c probe.Class) ([]probe.Result, bool) {
	var out []probe.Result
	first, last := -1, -1
	for i, s := range states {
		if s.up() {
			continue
		}
		r := judged[i]
		if r.Class == c {
			if first < 0 {
				first = i
			}
			continue
		}
		last = i
		if k := slices.IndexFunc(out, func(o probe.Result) bool { return o.Class == r.Class }); k >= 0 {
			out[k] = r
		} else {
			out = append(out, r)
		}
	}
	return out, len(out) > 0 && first > last
}

// classMix names the window's failures for "failed (…)": its class, and
// the others it had — "529 overloaded; before, 503 server error" — so a
// count of every failure never reads as all of one kind (the 503s of a
// maintenance counted under "(529 overloaded)").
func (w view) classMix() string {
	s := classWords(w.class, w.status)
	if len(w.others) == 0 {
		return s
	}
	var ws []string
	for _, r := range w.others {
		ws = append(ws, classWords(r.Class, r.HTTPStatus))
	}
	if w.othersBefore {
		return s + "; before, " + probe.AndList(ws)
	}
	return s + "; also " + probe.AndList(ws)
}

// unstableOf is how many of sv's probes failed and how, for "Unstable: …": w's
// window, named by sv's name ("7 of 12 Claude API probes in the last
// minute"); when another of sv's targets was probed too, which of them
// ("… with your key", "… without a key"), or both added up when both went
// up and down ("12 of 24 … with and without your key"). "7 of 12 Claude API
// probes" counted the keyless probe's 12 while the probes with the key had
// failed 5 (cold walk of Dec 7).
func (j judgement) unstableOf(sv probe.ServiceVerdict, w view) string {
	name := sv.Service.Name
	whose, sum := "", w
	for _, t := range sv.Service.Targets {
		o, ok := j.views[t]
		if !ok || t == w.target || o.total == 0 {
			continue
		}
		switch {
		case o.unstable && w.unstable:
			whose = " with and without your key"
			sum.fails += o.fails
			sum.total += o.total
			sum.others, sum.othersBefore = mergeOthers(sum, o)
			if o.from.Before(sum.from) {
				sum.from = o.from
			}
			if o.latest.Time.After(sum.latest.Time) {
				sum.latest = o.latest
			}
		case w.target == probe.TargetAPIKey:
			whose = " with your key"
		case w.target == probe.TargetAPI:
			whose = " without a key"
		}
	}
	return sum.failedOf(name+" probe"+whose, name+" probes"+whose) + " failed (" + sum.classMix() + ")"
}

// mergeOthers is the other classes of w and o together, as w's: o's own
// class is one of them when it is not w's.
func mergeOthers(w, o view) ([]probe.Result, bool) {
	out := slices.Clone(w.others)
	before := w.othersBefore || len(w.others) == 0
	add := func(r probe.Result) {
		if r.Class == w.class {
			return
		}
		if k := slices.IndexFunc(out, func(x probe.Result) bool { return x.Class == r.Class }); k >= 0 {
			if r.Time.After(out[k].Time) {
				out[k] = r
			}
			return
		}
		out = append(out, r)
	}
	if o.class != w.class && o.fails > 0 {
		add(probe.Result{Class: o.class, HTTPStatus: o.status, Time: o.latest.Time})
		before = false // o failed that way now
	}
	for _, r := range o.others {
		add(r)
	}
	if len(o.others) > 0 && !o.othersBefore {
		before = false
	}
	return out, before && len(out) > 0
}
