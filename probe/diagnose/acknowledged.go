package diagnose

import (
	"slices"

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
