// What the sentences say of the status page: why it does not speak, how
// old its last good read is, and what answered from here meanwhile.

package judge

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"downforai/probe"
)

// pageWhy is the status page's standing as a clause, "" when it is fresh.
func (j judgement) pageWhy() string {
	switch j.off.state {
	case probe.OfficialUnreadable:
		s := "the status page could not be read"
		if !j.off.since.IsZero() {
			s += " since " + j.since()
		}
		if j.off.why != "" {
			s += " (" + j.off.why + ")"
		}
		return s
	case probe.OfficialForeign:
		return "the page at --status-url is " + j.off.why
	case probe.OfficialStale:
		return "the status page was last read " + j.clock(j.off.read)
	case probe.OfficialNone:
		return "the status page has not been read yet"
	}
	return ""
}

// lastReported is "; when last read, 13:52 UTC (10 min ago), it reported
// Claude API as major outage" once the page no longer counts and its last
// good read reported a problem with what we probe: the page's word is no
// verdict then, but "Claude answers from here; the status page could not
// be read" alone hid the outage it showed a minute before (second cold
// walk of Dec 7). "" otherwise.
func (j judgement) lastReported() string {
	if j.off.drives || j.off.st == nil || j.off.read.IsZero() || j.off.state == probe.OfficialForeign {
		return ""
	}
	var items []string
	for _, s := range probe.Services() {
		if c, ok := j.off.st.Component(s.ComponentID, s.ComponentName); ok && c.Status != "" && c.Status != probe.ComponentOperational {
			items = append(items, s.Name+" as "+c.Status.String())
		}
	}
	if len(items) == 0 {
		return ""
	}
	return "; when last read, " + j.clock(j.off.read) + ", it reported " + probe.AndList(items)
}

// pageWhyFor is pageWhy for a service failing from here: with the page a
// current fact, what keeps it from saying is that it does not list the
// service ("; , so we cannot say" stood in its place).
func (j judgement) pageWhyFor(name string) string {
	if s := j.pageWhy(); s != "" {
		return s
	}
	return "the status page does not list " + name
}

func (j judgement) since() string {
	return j.zoned(j.off.since, "15:04 MST")
}

// asRead is the age of what the sentence took from the status page when
// the newest read failed and the last good one still counts (fresher than
// the stale limit): "The status page as read 14:02:10 UTC (40 s ago); the
// newest read failed (timed out)." Every official fact carries its age
// (cold6 E5); past the stale limit the page no longer speaks at all.
// "" while the page is a current fact, or the verdict does not rest on it.
func (j judgement) asRead(k probe.VerdictKind) string {
	foreign := j.off.state == probe.OfficialForeign
	if j.off.state != probe.OfficialUnreadable && !foreign || !j.off.drives || j.off.read.IsZero() {
		return ""
	}
	switch k {
	case probe.VerdictOutage, probe.VerdictMaintenance, probe.VerdictUnacknowledged, probe.VerdictConflicting, probe.VerdictDegraded, probe.VerdictFailing:
	case probe.VerdictLocalCredential, probe.VerdictLocalQuota:
		if j.outageBeside() == "" {
			return "" // nothing from the page in the sentence
		}
	default:
		// All clear's and Checking's sentence says the page could not
		// be read (pageWhy); the network's and the rest rest on our
		// probes alone.
		return ""
	}
	s := "The status page as read " + j.zoned(j.off.read, "15:04:05 MST") + " (" + ago(j.in.Now.Sub(j.off.read)) + "); "
	if foreign {
		// The URL now serves another company's page: nothing read there
		// since is Claude's.
		return s + "the page at --status-url is now " + j.off.why + "."
	}
	if !j.off.since.IsZero() {
		s += "every read since " + j.zoned(j.off.since, "15:04:05 MST") + " failed"
	} else {
		s += "the newest read failed"
	}
	if j.off.why != "" {
		s += " (" + j.off.why + ")"
	}
	return s + "."
}

// pageFacts are the observations behind "the status page could not be
// read": the newest failed read and the last good one, each with its time.
// Then what answered from here meanwhile, each probe's newest answer with
// its age: the facts behind "Claude answers from here".
func (j judgement) pageFacts() []string {
	var out []string
	if r := j.off.last; r.Target != "" && r.Class.Failing() {
		// An attempt that failed, not a read: "read" alone would say the
		// page was read then.
		s := "newest attempt to read the status page, " + j.zoned(r.Time, "15:04:05 MST") + " (" + ago(j.in.Now.Sub(r.Time)) + "), failed: " + probe.Line(r.Message, 100)
		if !j.off.since.IsZero() {
			s += "; every read since " + j.zoned(j.off.since, "15:04:05 MST") + " failed"
		}
		out = append(out, s)
	}
	if !j.off.read.IsZero() {
		s := "last good read of the status page: " + j.clock(j.off.read)
		if said := lastSaid(j.in.Status); said != "" && j.in.Status.Fetched.Equal(j.off.read) {
			s += ", which said " + said
		}
		out = append(out, s)
	}
	return append(out, j.answerFacts()...)
}

// lastSaid is what a read of the page said, in its own words: its
// description and the incidents and maintenances it had open ("\"System
// under maintenance\"; maintenance \"Claude API network maintenance\" in
// progress"). The headline no longer says it once the page cannot be
// read: the facts keep it, as that read's.
func lastSaid(st *probe.Status) string {
	if st == nil {
		return ""
	}
	var items []string
	if st.Description != "" {
		items = append(items, strconv.Quote(probe.Line(st.Description, 80)))
	}
	for _, in := range st.Incidents {
		if !in.Final() && !in.Maintenance() {
			items = append(items, fmt.Sprintf("incident %q (%s)", probe.Line(in.Name, 60), probe.StatusWord(in.Status)))
		}
	}
	for _, in := range st.Maintenances {
		if in.Status == "in_progress" || in.Status == "verifying" {
			items = append(items, fmt.Sprintf("maintenance %q in progress", probe.Line(in.Name, 60)))
		}
	}
	if len(items) > 4 {
		items = append(items[:4], fmt.Sprintf("%d more", len(items)-4))
	}
	return strings.Join(items, "; ")
}

// answerFacts are our probes' newest answers where they succeed: "API
// reachability answered 401 (as expected without a key) at 14:02:10 UTC
// (5 s ago)".
func (j judgement) answerFacts() []string {
	var out []string
	for _, s := range probe.Services() {
		for _, t := range s.Targets {
			v, ok := j.views[t]
			if !ok || !v.state.up() || v.latest.Target == "" || t == probe.TargetCode || t == probe.TargetSessions {
				continue
			}
			r := v.latest
			what := "answered"
			if r.HTTPStatus != 0 {
				what = fmt.Sprintf("answered %d", r.HTTPStatus)
				if t == probe.TargetAPI && r.HTTPStatus == 401 {
					what += " (as expected without a key)"
				}
			}
			out = append(out, fmt.Sprintf("%s %s at %s (%s)", t.Label(), what, j.zoned(r.Time, "15:04:05 MST"), ago(j.in.Now.Sub(r.Time))))
		}
	}
	return out
}

// checking is the first screen's sentence: what is on its way, and what
// the page says if it answered first.
func (j judgement) checking() string {
	if clause, _ := j.pageClause(); clause != "" {
		return "Checking… no probe of ours has answered yet; " + clause + "."
	}
	return "Checking… no probe of ours has answered yet."
}

// pageClause is what the page says while our probes are still being
// waited for: Anthropic reporting no problem (calm), that the page
// answered, or why it does not count; "" before any read.
func (j judgement) pageClause() (clause string, calm bool) {
	switch {
	case j.off.state == probe.OfficialFresh && j.off.st.Indicator == "none":
		return j.noProblem(), true
	case j.off.state == probe.OfficialFresh:
		return "the status page answered", false
	case j.off.state != probe.OfficialNone:
		return j.pageWhy(), false
	}
	return "", false
}

// elsewhere is what a fresh page reports beyond the services we probe:
// components we do not watch that are not operational, then open
// incidents and maintenances in progress that name none of ours — "Claude
// Console (platform.claude.com) as major outage; "Console login failures"
// (investigating)". "" when the page reports nothing wrong anywhere, or is
// no current fact (pageWhy speaks then). Without it the all clear said
// "Anthropic reports no problem" beside an open major incident on Claude
// Console (cold9 E1).
func (j judgement) elsewhere() string {
	if j.off.state != probe.OfficialFresh || j.off.st == nil {
		return ""
	}
	st := j.off.st
	var items []string
	for _, c := range st.Components {
		if c.Group || probe.IsWatched(c.ID) || c.Status == "" || c.Status == "operational" {
			continue
		}
		items = append(items, probe.Line(c.Name, 40)+" as "+c.Status.String())
	}
	ours := func(in probe.Incident) bool {
		return slices.ContainsFunc(in.Components, probe.IsWatched)
	}
	for _, in := range st.Incidents {
		if !in.Final() && !in.Maintenance() && !ours(in) {
			items = append(items, fmt.Sprintf("%q (%s)", probe.Line(in.Name, 60), in.Status))
		}
	}
	for _, in := range st.Maintenances {
		if (in.Status == "in_progress" || in.Status == "verifying") && !ours(in) {
			items = append(items, fmt.Sprintf("maintenance %q (%s)", probe.Line(in.Name, 60), strings.ReplaceAll(in.Status, "_", " ")))
		}
	}
	if len(items) == 0 {
		if st.Indicator != "" && st.Indicator != "none" {
			// The page's own word for itself, though nothing it lists
			// says what: never "no problem" beside it.
			s := "its indicator says " + st.Indicator
			if st.Description != "" {
				s += " (" + probe.Line(st.Description, 60) + ")"
			}
			return s
		}
		return ""
	}
	const most = 3
	if len(items) > most {
		items = append(items[:most], fmt.Sprintf("%d more", len(items)-most))
	}
	return strings.Join(items, "; ")
}

// noProblem is what the all clear says of the page: "Anthropic reports no
// problem", or, when it reports one elsewhere, that it reports none with
// what we probe and what it reports elsewhere.
func (j judgement) noProblem() string {
	if e := j.elsewhere(); e != "" {
		return "Anthropic reports no problem with what we probe; elsewhere it reports " + e
	}
	return "Anthropic reports no problem"
}
