package diagnose

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"downforai/probe"
)

// pageSays is what Anthropic's status page said of the Claude API at its
// last read, with that read's time and age — "The status page, read
// 14:00:40 UTC (1 min ago), says Claude API: operational, no incident
// open." — or, when that read does not count as current (stale,
// unreadable since, not Claude's, never read), that what it shows now is
// not known. A pasted 529 or 500 is tied to it: whether others see the
// failure too is Anthropic's report, never assumed (issue 19).
func pageSays(v probe.Verdict, st *probe.Status, now time.Time) string {
	return pageSaysOf(v, st, now, "api")
}

// pageSaysOf is pageSays of the service key ("claude_ai" for claude.ai's
// own words): its component, not always the API's.
func pageSaysOf(v probe.Verdict, st *probe.Status, now time.Time, key string) string {
	loc := now.Location()
	if loc == nil {
		loc = time.UTC
	}
	o := v.Official
	read := o.Read
	if read.IsZero() && st != nil {
		read = st.Fetched
	}
	when := ""
	if !read.IsZero() {
		when = fmt.Sprintf("%s (%s ago)", read.In(loc).Format("15:04:05 MST"), probe.Words(now.Sub(read)))
	}
	if st == nil || !o.Drives {
		why := "has not been read"
		switch o.State {
		case probe.OfficialUnreadable:
			why = "cannot be read now"
			if o.Why != "" {
				why += " (" + probe.Line(o.Why, 80) + ")"
			}
		case probe.OfficialStale:
			why = "has not been read lately"
		case probe.OfficialForeign:
			why = "answers as another page"
			if o.Why != "" {
				why += " (" + probe.Line(o.Why, 80) + ")"
			}
		}
		if when != "" && st != nil {
			why += "; its last read, " + when + ", is no current fact"
		}
		return "The status page " + why + ": whether Anthropic reports a problem now is not known."
	}
	svc, api := serviceOnPage(st, key)
	name := cmp.Or(svc.Name, "Claude API")
	shows := "says " + name + ": " + api.String()
	if api == "" {
		shows = "lists no " + name + " component"
	}
	var open []string
	for _, in := range st.Incidents {
		open = append(open, probe.Quote(probe.Line(in.Name, 120))+" ("+probe.StatusWord(in.Status)+")")
	}
	switch {
	case len(open) > 0:
		shows += "; open incident: " + strings.Join(open, ", ")
	case st.FeedErr != "":
		shows += "; whether an incident is open is not known (its incidents could not be read)"
	default:
		shows += ", no incident open"
	}
	return "The status page, read " + when + ", " + shows + "."
}

// serviceOnPage is the watched service key and its component's state on
// the page ("" when the page does not list it, or the key is unknown).
func serviceOnPage(st *probe.Status, key string) (probe.Service, probe.ComponentStatus) {
	for _, s := range probe.Services() {
		if s.Key != key {
			continue
		}
		if c, ok := st.Component(s.ComponentID, s.ComponentName); ok {
			return s, c.Status
		}
		return s, ""
	}
	return probe.Service{}, ""
}
