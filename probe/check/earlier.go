package check

import (
	"fmt"
	"time"

	"downforai/probe"
)

// Earlier says, for each probed target of a service the verdict calls
// operational, the failures its recent results hold before it answered
// again: "Earlier: Claude API failed 3 of 4 probes from 14:02:10 to
// 14:09:40 UTC (529 overloaded_error); answering again since 14:10:10 UTC".
// A fact with its times, beside a verdict that (rightly) no longer holds
// it: a check run just after an outage ended said "All clear" and nothing
// of the 529s a minute before. recent is what the verdict weighed (oldest
// first); times are in loc. report says the same lines.
func Earlier(v probe.Verdict, recent map[probe.Target][]probe.Result, loc *time.Location) []string {
	var out []string
	for _, sv := range v.Services {
		if sv.Kind != probe.VerdictOperational {
			continue // a verdict that holds a failure says it itself
		}
		for _, t := range sv.Service.Targets {
			if t == probe.TargetSessions || t == probe.TargetCode {
				continue // the sessions' earlier calls are the judge's to say
			}
			if s := earlier(sv.Service.Name, t, recent[t], loc); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func earlier(name string, t probe.Target, rs []probe.Result, loc *time.Location) string {
	last := -1 // the newest failure
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Class.Failing() {
			last = i
			break
		}
	}
	if last < 0 {
		return ""
	}
	back := -1 // the first answer after it
	for i := last + 1; i < len(rs); i++ {
		if rs[i].Class.Up() {
			back = i
			break
		}
	}
	if back < 0 {
		return "" // not answering since: nothing recovered
	}
	first, fails, probes := -1, 0, 0
	for i := 0; i <= last; i++ {
		if !rs[i].Class.Failing() && !rs[i].Class.Up() {
			continue
		}
		if rs[i].Class.Failing() {
			fails++
			if first < 0 {
				first = i
			}
		}
		if first >= 0 {
			probes++
		}
	}
	if t == probe.TargetAPIKey {
		name += " (with your key)"
	}
	clock := func(at time.Time) string { return at.In(loc).Format("15:04:05 MST") }
	when := "once at " + clock(rs[last].Time)
	if fails > 1 {
		from := rs[first].Time.In(loc).Format("15:04:05")
		if probes == judged(rs[:back]) {
			// Nothing answered before it among the rounds weighed: it
			// may have begun before the oldest of them.
			from += " (the oldest round weighed)"
		}
		when = fmt.Sprintf("%d of %d probes from %s to %s", fails, probes, from, clock(rs[last].Time))
	} else if judged(rs[:back]) == 1 {
		when = "at " + clock(rs[last].Time) + ", the oldest round weighed"
	}
	return fmt.Sprintf("Earlier: %s failed %s (%s); answering again since %s", name, when, failedWith(rs[last]), clock(rs[back].Time))
}

// failedWith is what the newest failure answered, in its own words:
// "529 overloaded_error", "503", "network: timeout".
func failedWith(r probe.Result) string {
	switch {
	case r.HTTPStatus != 0 && r.ErrorType != "" && r.ErrorType != probe.NetProxy:
		return fmt.Sprintf("%d %s", r.HTTPStatus, probe.Line(r.ErrorType, 40))
	case r.HTTPStatus != 0:
		return fmt.Sprintf("%s %d", r.Class, r.HTTPStatus)
	case r.ErrorType != "":
		return r.Class.String() + ": " + probe.Line(r.ErrorType, 40)
	}
	return r.Class.String()
}

// judged is how many of rs say something.
func judged(rs []probe.Result) int {
	n := 0
	for _, r := range rs {
		if r.Class != probe.ClassUnknown {
			n++
		}
	}
	return n
}
