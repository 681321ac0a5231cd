package diagnose

import (
	"slices"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
)

// acknowledged replaces en's catalogue.FixAwaitAck by what the status page
// says of r's service now: "Watch the Incidents tab; downforai shows when
// Anthropic acknowledges it" stayed beside an incident acknowledging the
// outage (cold walk of Dec 7). An open incident on the service's component,
// from a read that is a current fact, is named; a page that is not one
// says that whether Anthropic acknowledges it is not known. en unchanged
// otherwise; the catalogue's entry is never changed in place.
func acknowledged(en catalogue.Entry, r probe.Result, v probe.Verdict, st *probe.Status) catalogue.Entry {
	i := slices.Index(en.Fix, catalogue.FixAwaitAck)
	if i < 0 {
		return en
	}
	say := ""
	switch sv, ok := probe.ServiceOf(r.Target); {
	case !v.Official.Drives:
		say = "The status page is not a current read, so whether Anthropic acknowledges it is not known; downforai shows it once a read of the page succeeds."
	case ok && st != nil:
		for _, in := range st.Incidents {
			if !in.Final() && slices.Contains(in.Components, sv.ComponentID) {
				say = "Anthropic acknowledges it on the status page: " + probe.Quote(probe.Line(in.Name, 80)) +
					" (" + probe.StatusWord(in.Status) + "); follow its updates in the Incidents tab."
				break
			}
		}
	}
	if say == "" {
		return en
	}
	en.Fix = slices.Clone(en.Fix)
	en.Fix[i] = say
	return en
}

// duringMaintenance leads en, a failure that is Anthropic's or either
// side's, with the maintenance in progress on r's service, from a read of
// the page that is a current fact: the banner said "◇ Maintenance: errors
// expected on Claude API until 16:13 UTC" while Troubleshooting led with
// "An error from something in between … likely came from a proxy" and
// fixes for the proxy (second cold walk of Dec 7). The entry's own words
// follow, as what it means once the maintenance is over. en unchanged
// otherwise; the catalogue's entry is never changed in place.
func duringMaintenance(en catalogue.Entry, r probe.Result, v probe.Verdict, st *probe.Status, now time.Time) catalogue.Entry {
	if !v.Official.Drives || st == nil || (en.Side != catalogue.SideAnthropic && en.Side != catalogue.SideEitherSide) {
		return en
	}
	sv, ok := probe.ServiceOf(r.Target)
	if !ok {
		return en
	}
	for _, m := range st.Maintenances {
		if (m.Status != "in_progress" && m.Status != "verifying") || !slices.Contains(m.Components, sv.ComponentID) {
			continue
		}
		until, wait := "", "Wait for it to end"
		if !m.ScheduledUntil.IsZero() {
			at := m.ScheduledUntil.In(now.Location()).Format("15:04 MST")
			until, wait = " until "+at, "Wait for it to end ("+at+")"
		}
		en.What = "Expected now: Anthropic's maintenance " + probe.Quote(probe.Line(m.Name, 80)) + " is in progress on " + sv.Name + until +
			", and errors are expected during it. Once it is over: " + en.What
		en.Fix = append([]string{wait + " and try again; follow it in the Incidents tab. If the error goes on after it ends, these apply:"}, en.Fix...)
		return en
	}
	return en
}
