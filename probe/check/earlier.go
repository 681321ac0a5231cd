package check

import (
	"fmt"
	"time"

	"downforai/probe"
	"downforai/probe/judge"
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
			name := sv.Service.Name
			if t == probe.TargetAPIKey {
				name += " (with your key)"
			}
			if when, last, back, ok := earlier(recent[t], "probes", loc); ok {
				out = append(out, fmt.Sprintf("Earlier: %s failed %s (%s); answering again since %s", name, when, failedWith(last), back))
			}
		}
	}
	// The status page read again after reads that failed: what the
	// verdict said of Anthropic meanwhile rested on no fresh read.
	if when, last, back, ok := earlier(recent[probe.TargetStatus], "reads", loc); ok {
		out = append(out, fmt.Sprintf("Earlier: the status page could not be read %s (%s); read again since %s", when, judge.UnreadableWhy(last), back))
	}
	return out
}

// earlier is the newest unbroken stretch of failures in rs that ended with
// an answer: when ("3 of 4 probes from 14:02:30 to 14:03:30 UTC", "once at
// 14:02:30 UTC"), the newest failure, and when the first answer after it
// came. ok false when nothing failed, or nothing answered since.
func earlier(rs []probe.Result, noun string, loc *time.Location) (when string, last probe.Result, since string, ok bool) {
	n := -1 // the newest failure
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Class.Failing() {
			n = i
			break
		}
	}
	if n < 0 {
		return "", probe.Result{}, "", false
	}
	back := -1 // the first answer after it
	for i := n + 1; i < len(rs); i++ {
		if rs[i].Class.Up() {
			back = i
			break
		}
	}
	if back < 0 {
		return "", probe.Result{}, "", false // not answering since: nothing recovered
	}
	first, fails, probes := -1, 0, 0
	for i := 0; i <= n; i++ {
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
	clock := func(at time.Time) string { return at.In(loc).Format("15:04:05 MST") }
	when = "once at " + clock(rs[n].Time)
	if fails > 1 {
		from := rs[first].Time.In(loc).Format("15:04:05")
		if probes == judged(rs[:back]) {
			// Nothing answered before it among the rounds weighed: it
			// may have begun before the oldest of them.
			from += " (the oldest " + unit(noun) + " weighed)"
		}
		when = fmt.Sprintf("%d of %d %s from %s to %s", fails, probes, noun, from, clock(rs[n].Time))
	} else if judged(rs[:back]) == 1 {
		when = "at " + clock(rs[n].Time) + ", the oldest " + unit(noun) + " weighed"
	}
	return when, rs[n], clock(rs[back].Time), true
}

// unit is what one of rs is, said of the oldest: a round of our probes,
// a read of the status page.
func unit(noun string) string {
	if noun == "reads" {
		return "read"
	}
	return "round"
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
