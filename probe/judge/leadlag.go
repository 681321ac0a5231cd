package judge

import (
	"time"

	"downforai/probe"
)

// listedLate reports whether in's page listed it only after a read of
// ours that did not show it, though it dates its post before that read.
func listedLate(in probe.Incident) bool {
	_, _, ok := in.Listed()
	return ok && !in.Maintenance()
}

// listedWords compares our first failure with when the page began to list
// in, as our reads bound it, not with its created_at: "Anthropic posted
// this 33 min before our probes saw it" was said of a post dated back,
// which reads of the page before our probes failed did not list (cold walk
// of Dec 7).
func listedWords(l probe.LocalIncident, in probe.Incident, who string, now time.Time) string {
	after, by, _ := in.Listed()
	loc := now.Location()
	head := "Anthropic's page first listed it between " + after.In(loc).Format("15:04:05") + " and " + by.In(loc).Format("15:04:05 MST") +
		" (it dates the post " + in.Posted().In(loc).Format("15:04") + ", before a read of ours that did not show it): "
	switch f := l.FirstFailure; {
	case f.Before(after):
		return head + who + " saw this at least " + probe.Words(after.Sub(f)) + " before the page listed it"
	case f.After(by):
		return head + "the page listed it at least " + probe.Words(f.Sub(by)) + " before " + who + " saw it"
	}
	return head + who + " saw it in that time"
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// LeadLag says in words who saw the incident first and who saw it end
// first: "our probes saw this 7 min before Anthropic posted it",
// "Anthropic resolved it 4 min after our probes recovered". Only from
// times known: gone (nil if not) is an incident the page stopped listing
// without a resolution time, whose end is a range, not a time to compare.
func LeadLag(l probe.LocalIncident, in probe.Incident, gone *Unlisted, now time.Time) []string {
	return LeadLagAsOf(l, in, gone, now, time.Time{})
}

// LeadLagAsOf is LeadLag of an official incident known only as of the
// status page's read at asOf, which no longer counts (zero: a read that
// does): what Anthropic had not done by then is said as of then, not as
// a fact of now.
func LeadLagAsOf(l probe.LocalIncident, in probe.Incident, gone *Unlisted, now, asOf time.Time) []string {
	var out []string
	who := "our probes"
	if FromSessions(l) {
		who = "your Claude Code sessions"
	}
	switch {
	case l.FirstFailure.IsZero() || in.Start().IsZero():
		// Nothing to compare the start with.
	case in.Maintenance():
		d := l.FirstFailure.Sub(in.Start())
		switch {
		case absDur(d) < time.Minute:
			out = append(out, who+" began failing as Anthropic's maintenance began")
		case d > 0:
			out = append(out, who+" began failing "+probe.Words(d)+" into Anthropic's maintenance")
		default:
			out = append(out, who+" began failing "+probe.Words(-d)+" before Anthropic's maintenance began")
		}
	case listedLate(in):
		out = append(out, listedWords(l, in, who, now))
	case !in.Posted().IsZero():
		d := in.Posted().Sub(l.FirstFailure)
		switch {
		case absDur(d) < time.Minute:
			out = append(out, who+" and Anthropic saw this within a minute of each other")
		case d > 0:
			out = append(out, who+" saw this "+probe.Words(d)+" before Anthropic posted it")
		default:
			out = append(out, "Anthropic posted this "+probe.Words(-d)+" before "+who+" saw it")
		}
	case !in.FirstRead.IsZero():
		// No time it was posted: when we first read it is a fact of
		// ours, and says so.
		at := in.FirstRead.In(now.Location()).Format("15:04 MST")
		d := in.FirstRead.Sub(l.FirstFailure)
		rel := "within a minute of " + who + " seeing it"
		if d >= time.Minute {
			rel = probe.Words(d) + " after " + who + " saw it"
		} else if d <= -time.Minute {
			rel = probe.Words(-d) + " before " + who + " saw it"
		}
		out = append(out, "Anthropic's page gives no time it posted this; we first read it at "+at+", "+rel)
	default:
		d := in.Start().Sub(l.FirstFailure)
		switch {
		case absDur(d) < time.Minute:
			out = append(out, "Anthropic dates its start within a minute of "+who+" seeing it (its page gives no time it posted it)")
		case d > 0:
			out = append(out, "Anthropic dates its start "+probe.Words(d)+" after "+who+" saw it (its page gives no time it posted it)")
		default:
			out = append(out, "Anthropic dates its start "+probe.Words(-d)+" before "+who+" saw it (its page gives no time it posted it)")
		}
	}
	ours, theirs := l.End(), in.End()
	verb := "resolved"
	if in.Maintenance() {
		verb = "completed"
	}
	if !l.Superseded.IsZero() {
		// Ours ended without recovering: no end to compare.
		out = append(out, who+" did not see it recover: from "+l.Superseded.In(now.Location()).Format("15:04 MST")+" their failures were "+l.BecameWords()+" instead")
		return out
	}
	if l.Unobserved && !l.UnprobedFrom.IsZero() {
		// Ours ended in a gap of not probing: its end is a range, and
		// which side saw the end first is not known ("Anthropic resolved
		// it 2 min before our probes recovered" of probes that never
		// recovered — cold walk of Dec 7).
		a, b := l.UnprobedFrom.In(now.Location()), l.UnprobedTo.In(now.Location())
		s := who + " did not see it end: not probed " + a.Format("15:04:05") + "–" + b.Format("15:04:05 MST")
		if e := in.End(); !e.IsZero() {
			s += "; Anthropic " + verb + " it at " + e.In(now.Location()).Format("15:04:05 MST")
			if e.Before(l.UnprobedFrom) {
				s += ", while our probes still failed"
			}
		}
		return append(out, s)
	}
	if gone != nil {
		a, b := gone.After.In(now.Location()), gone.By.In(now.Location())
		layout := "15:04"
		if a.Truncate(time.Minute).Equal(b.Truncate(time.Minute)) {
			layout = "15:04:05" // never "between 17:19 and 17:19" (cold5 D6)
		}
		out = append(out, "Anthropic's page stopped listing it between "+a.Format(layout)+" and "+b.Format(layout+" MST")+
			" without saying when it was "+verb+": which side saw the end first is not known")
		return out
	}
	if u, ok := in.SaidOver(); ok {
		// Its newest update says it is over, and a read of the page
		// listed it open after that: say both, each with its time.
		said := "Anthropic's newest update, at " + u.At.In(now.Location()).Format("15:04 MST") + ", says " + probe.StatusWord(u.Status)
		if u.At.IsZero() {
			said = "Anthropic's newest update says " + probe.StatusWord(u.Status)
		}
		listed := ", though its page listed it open after that, at " + in.Seen.In(now.Location()).Format("15:04 MST")
		if in.Seen.IsZero() {
			listed = ", though its status still says " + probe.StatusWord(in.Status)
		}
		switch {
		case !ours.IsZero() && !u.At.IsZero():
			e := u.At.Sub(ours)
			rel := "within a minute of " + who + " recovering"
			if e >= time.Minute {
				rel = probe.Words(e) + " after " + who + " recovered"
			} else if e <= -time.Minute {
				rel = probe.Words(-e) + " before " + who + " recovered"
			}
			out = append(out, said+" ("+rel+")"+listed)
		case !ours.IsZero():
			out = append(out, who+" recovered "+probe.Words(now.Sub(ours))+" ago; "+said+listed)
		case l.Active():
			out = append(out, said+listed+"; "+who+" still fail")
		}
		return out
	}
	switch {
	case !ours.IsZero() && !theirs.IsZero():
		e := theirs.Sub(ours)
		switch {
		case absDur(e) < time.Minute:
			out = append(out, "Anthropic "+verb+" it within a minute of "+who+" recovering")
		case e > 0:
			out = append(out, "Anthropic "+verb+" it "+probe.Words(e)+" after "+who+" recovered")
		default:
			out = append(out, "Anthropic "+verb+" it "+probe.Words(-e)+" before "+who+" recovered")
		}
	case !ours.IsZero() && !asOf.IsZero():
		out = append(out, who+" recovered "+probe.Words(now.Sub(ours))+" ago; Anthropic had not "+verb+" it at the last read of its page, "+asOf.UTC().Format("15:04 MST"))
	case !ours.IsZero():
		out = append(out, who+" recovered "+probe.Words(now.Sub(ours))+" ago; Anthropic has not "+verb+" it yet")
	case !theirs.IsZero() && l.Active():
		out = append(out, "Anthropic "+verb+" it "+probe.Words(now.Sub(theirs))+" ago, but "+who+" still fail")
	}
	return out
}
