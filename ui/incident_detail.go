package ui

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
	"downforai/probe/judge"
)

// refreshDetail rebuilds the open entry's text in the viewport, keeping the
// scroll position, so updates that arrive while it is open show at once.
func (t *incidentsTab) refreshDetail() {
	var e *judge.TimelineEntry
	for i := range t.all {
		if entryKey(t.all[i]) == t.openKey {
			e = &t.all[i]
			break
		}
	}
	if e == nil {
		t.vp.SetContent(t.st.muted.Render("This incident is no longer known."))
		return
	}
	y := t.vp.YOffset
	t.vp.SetContent(strings.Join(t.detailLines(*e), "\n"))
	t.vp.SetYOffset(y)
}

func (t incidentsTab) detailView() string {
	st := t.st
	pos := ""
	if t.vp.TotalLineCount() > t.vp.Height {
		pos = fmt.Sprintf(" · %3.0f%%", t.vp.ScrollPercent()*100)
	}
	head := st.muted.Render("esc back · ↑/↓ pgup/pgdn scroll" + pos)
	return clamp(head+"\n"+t.vp.View(), t.w, t.h)
}

// The detail's field labels ("Started", "Duration") take detailLabelW
// cells and a gap; a value's further lines are indented under its first.
const (
	detailLabelW  = 9 // "Duration" and a space
	detailValueAt = detailLabelW + 1
	// Paragraph indents: a lead or lag sentence under its heading; an
	// update's text under its time and status.
	detailLeadLagIndent = 2
	detailUpdateIndent  = 4
)

// detailText gathers the detail's lines at one width.
type detailText struct {
	st    *styles
	w     int
	lines []string
}

// para wraps s to the width left after indent cells.
func (d *detailText) para(indent int, s string) {
	for _, l := range wrap(s, max(d.w-indent, minWrapWidth)) {
		d.lines = append(d.lines, strings.Repeat(" ", indent)+d.st.text.Render(l))
	}
}

// field is a labelled value, wrapped under its first line.
func (d *detailText) field(name, value string) {
	label := d.st.colHeader.Render(fit(name, detailLabelW))
	for i, l := range wrap(value, max(d.w-detailValueAt, minWrapWidth)) {
		if i == 0 {
			d.lines = append(d.lines, label+" "+d.st.text.Render(l))
		} else {
			d.lines = append(d.lines, strings.Repeat(" ", detailValueAt)+d.st.text.Render(l))
		}
	}
}

// heading starts a section after a blank line.
func (d *detailText) heading(s string) {
	d.lines = append(d.lines, "", d.st.heading.Render(s))
}

// detailLines is everything known about one entry: the official incident
// with every update, the lead and lag, and our probes' evidence.
func (t incidentsTab) detailLines(e judge.TimelineEntry) []string {
	d := &detailText{st: t.st, w: t.w}
	word, tn := badge(e)
	d.lines = append(d.lines, t.st.strong[tn].Render(word)+"  "+t.st.heading.Render(probe.Line(e.Title(), 0)), "")
	read, isFrozen := frozen(t.b, e)
	t.detailWhat(d, e, read, isFrozen)
	t.detailWhen(d, e, read, isFrozen)
	t.detailAlso(d, e)
	t.detailUnacknowledged(d, e)
	t.detailLeadLag(d, e, read)
	t.detailUpdates(d, e)
	d.heading("Our probes")
	for _, x := range e.Elsewhere {
		d.para(2, t.elsewhere(x))
	}
	if len(e.Local) == 0 && len(e.Elsewhere) == 0 {
		d.lines = append(d.lines, t.st.muted.Render("  "+t.noneOfOurs(e)))
	}
	for _, l := range e.Local {
		d.lines = append(d.lines, t.evidence(l)...)
	}
	return d.lines
}

// detailWhat is the fields that say what the entry is: its source, its
// status (as of which read, when that read no longer counts), the
// services it affects and a maintenance's window.
func (t incidentsTab) detailWhat(d *detailText, e judge.TimelineEntry, read pageRead, isFrozen bool) {
	now := t.b.now
	if isFrozen {
		d.field("Source", frozenSource(e, read, now))
	} else {
		d.field("Source", sourceWords(e))
	}
	status := entryStatus(e)
	if in := e.Official; in != nil && in.Impact != "" && !in.Maintenance() {
		status += " · " + probe.Line(in.Impact, 20) + " impact"
	}
	if in := e.Official; in != nil {
		if u, ok := in.SaidOver(); ok {
			// Listed open after its newest update said it was over:
			// both are Anthropic's, each said with its time.
			said := "its newest update says " + probe.StatusWord(u.Status)
			if !u.At.IsZero() {
				said = "its newest update, " + clock(now, u.At) + ", says " + probe.StatusWord(u.Status)
			}
			if !in.Seen.IsZero() {
				said += ", though the page listed it open after that, at " + clock(now, in.Seen)
			}
			status += " · " + said
		}
	}
	if isFrozen {
		status += ", " + read.when(now, *e.Official)
		if !read.at.IsZero() {
			status += " (" + ago(now, read.at) + ")"
		}
	}
	d.field("Status", status)
	if names := t.serviceNames(e); names != "" {
		d.field("Affects", names)
	}
	if in := e.Official; in != nil && in.Maintenance() && !in.ScheduledFor.IsZero() {
		win := clock(now, in.ScheduledFor)
		if !in.ScheduledUntil.IsZero() {
			win += " – " + clock(now, in.ScheduledUntil)
		}
		d.field("Window", win)
	}
}

// detailWhen is the fields that say when: its start, when Anthropic
// posted it, how long it ran, what is not known about its end, and the
// link to Anthropic's page.
func (t incidentsTab) detailWhen(d *detailText, e judge.TimelineEntry, read pageRead, isFrozen bool) {
	now := t.b.now
	if start := e.Start(); e.Gone != nil && e.Official.Upcoming() {
		d.field("Was due", clock(now, start)) // off the page: no "in 23h" (cold5 D2)
	} else if start.After(now) {
		d.field("Starts", clock(now, start)+" ("+ago(now, start)+")")
	} else {
		d.field("Started", clock(now, start)+" ("+ago(now, start)+")")
	}
	if in := e.Official; in != nil && len(e.Local) > 0 && !in.Maintenance() {
		after, by, late := in.Listed()
		switch {
		case late:
			d.field("Posted", "dated "+clock(now, in.Posted())+" by Anthropic; its page listed it between "+clock(now, after)+" and "+clock(now, by)+" (our reads)")
		case !in.Posted().IsZero():
			d.field("Posted", clock(now, in.Posted())+" by Anthropic")
		case !in.FirstRead.IsZero():
			d.field("Posted", "no time given by Anthropic; we first read it "+clock(now, in.FirstRead))
		}
	}
	if isFrozen {
		d.field("Duration", frozenDuration(e, read, now))
		d.field("Note", read.why+": whether Anthropic still lists it, or has resolved it, is not known")
	} else {
		d.field("Duration", detailDuration(e, now))
	}
	if g := e.Gone; g != nil && e.Official.Upcoming() {
		d.field("Note", "Anthropic's page stopped listing it before it began, without saying why (cancelled or moved, likely): "+
			"last listed "+clock(now, g.After)+", first read without it "+clock(now, g.By))
	} else if g != nil {
		d.field("Note", "Anthropic's page stopped listing it without a resolution time: it ended between "+
			clock(now, g.After)+" (last known open) and "+clock(now, g.By)+" (first read without it)")
	}
	if in := e.Official; in != nil {
		if link := publicLink(*in, t.b.statusPage); link != "" {
			d.field("Link", t.hyperlink(link))
		}
	}
}

// detailAlso names the other official incidents ours overlapped on its
// components (cold8 E6): ours is listed under one, and one that ended as
// another began is said, with its state, never left out.
func (t incidentsTab) detailAlso(d *detailText, e judge.TimelineEntry) {
	for _, in := range e.Also {
		d.field("Also", "ours also overlapped Anthropic's \""+probe.Line(in.Name, 80)+"\" ("+officialState(in, t.b.now)+")")
	}
}

// elsewhere says that one of ours overlapped the entry's official incident
// but is listed under another: "Claude API: overloaded (529) (failing
// since 13:01:00) overlapped it: listed under Anthropic's "Elevated error
// rates on the Claude API" (investigating)".
func (t incidentsTab) elsewhere(x judge.Elsewhere) string {
	now := t.b.now
	state := "failing since " + clock(now, x.Local.FirstFailure)
	if !x.Local.Active() {
		state = clock(now, x.Local.FirstFailure) + "–" + clock(now, x.Local.End())
	}
	s := "our probes' \"" + probe.Line(x.Local.Title(), 80) + "\" (" + state + ") overlapped it: "
	if x.Under.ID == "" {
		return s + "listed on its own"
	}
	return s + "listed under Anthropic's \"" + probe.Line(x.Under.Name, 80) + "\" (" + officialState(x.Under, now) + ")"
}

// officialState is an official incident's state in a few words: "ongoing,
// investigating", "resolved 13:37:24", "no longer listed by 13:37:30".
func officialState(in probe.Incident, now time.Time) string {
	verb := "resolved "
	if in.Maintenance() {
		verb = "completed "
	}
	switch {
	case in.Final() && !in.End().IsZero():
		return verb + clock(now, in.End())
	case in.Final():
		return probe.StatusWord(in.Status)
	case in.Gone():
		return "no longer listed by " + clock(now, in.Unlisted)
	case in.Status != "":
		return "ongoing, " + probe.StatusWord(in.Status)
	}
	return "ongoing"
}

// detailUnacknowledged warns, for each of our incidents no official one
// covers, that Anthropic has not acknowledged it yet.
func (t incidentsTab) detailUnacknowledged(d *detailText, e judge.TimelineEntry) {
	for _, l := range e.Local {
		// Only from a read that counts: the banner says the same.
		if t.b.verdict.Official.Drives && judge.Unacknowledged(l, t.b.status) {
			d.lines = append(d.lines, "")
			d.lines = append(d.lines, wrap(t.st.strong[toneBad].Render(symBad+" Not yet acknowledged by Anthropic: our probes fail and no official incident covers "+serviceLabel(l)+"."), d.w)...)
		}
	}
}

// detailLeadLag says how far our probes led or lagged the official
// incident, when both saw it.
func (t incidentsTab) detailLeadLag(d *detailText, e judge.TimelineEntry, read pageRead) {
	in := e.Official
	if in == nil || len(e.Local) == 0 {
		return
	}
	d.heading("Lead and lag")
	// With several of our incidents linked (the API and claude.ai both
	// failing), say whose lead or lag each sentence is.
	for _, l := range e.Local {
		for _, s := range judge.LeadLagAsOf(l, *in, e.Gone, t.b.now, read.at) {
			if len(e.Local) > 1 {
				s = probe.Line(l.Title(), 60) + ": " + s
			}
			d.para(detailLeadLagIndent, symMixed+" "+s)
		}
	}
}

// detailUpdates is every update Anthropic posted, newest first.
func (t incidentsTab) detailUpdates(d *detailText, e judge.TimelineEntry) {
	in := e.Official
	if in == nil {
		return
	}
	d.heading(fmt.Sprintf("Updates from Anthropic (%d, newest first)", len(in.Updates)))
	if len(in.Updates) == 0 {
		d.lines = append(d.lines, t.st.muted.Render("  none posted"))
	}
	for _, u := range in.Updates {
		d.lines = append(d.lines, "  "+t.st.colHeader.Render(clock(t.b.now, u.At))+"  "+t.st.heading.Render(probe.StatusWord(u.Status)))
		for _, p := range strings.Split(u.Body, "\n") {
			if p = strings.TrimSpace(p); p != "" {
				d.para(detailUpdateIndent, probe.Line(p, 0))
			}
		}
	}
}

// evidence is what our probes saw during one incident of ours.
func (t incidentsTab) evidence(l probe.LocalIncident) []string {
	st, now := t.st, t.b.now
	sym, tn := symBad, toneBad
	if l.Kind != probe.KindProvider {
		sym, tn = symLocal, toneLocal
	}
	var lines []string
	lines = append(lines, "  "+st.strong[tn].Render(sym+" "+probe.Line(l.Title(), 0)))
	add := func(s string) {
		for _, x := range wrap(s, max(t.w-len(incTextIndent), minWrapWidth)) {
			lines = append(lines, incTextIndent+st.text.Render(x))
		}
	}
	kind := l.Kind.String()
	if l.Gateway() {
		kind = l.GatewayWords() // not "your side": it answered for itself
	}
	if l.GatewayCut() {
		// Not "provider side": the banner's "likely the gateway or its
		// upstream (…) failed".
		kind = "likely " + l.GatewayWords() + " or its upstream (Anthropic, or the gateway's route to it)"
	}
	add(fmt.Sprintf("%s · %s", kind, evidenceState(l, now)))
	add(fmt.Sprintf("first failure %s · last failure %s · opened %s",
		clock(now, l.FirstFailure), clock(now, l.LastFailure), clock(now, l.Opened)))
	if u := unprobed(l); u != "" {
		add(fmt.Sprintf("not probed %s–%s (%s in all while open): downforai was likely not running, or the machine asleep; whether it failed then is not known",
			clock(now, l.UnprobedFrom), clock(now, l.UnprobedTo), u))
	}
	add(evidenceCounts(l))
	var targets []string
	for _, tg := range l.Targets {
		targets = append(targets, tg.Label())
	}
	if len(targets) > 0 {
		add("targets: " + strings.Join(targets, ", "))
	}
	if len(l.RequestIDs) > 0 {
		ids := make([]string, 0, len(l.RequestIDs))
		for _, id := range l.RequestIDs {
			ids = append(ids, probe.Line(id, 60))
		}
		add("request ids: " + strings.Join(ids, ", "))
	}
	if l.Message != "" {
		add("last error: " + probe.Line(l.Message, messageMax))
	}
	if l.Unstable {
		rule := "its probes took turns failing and succeeding (the banner's rule over the last " + fmt.Sprint(judge.Window) + " probes of a target)"
		if l.SteadyBefore.Failing() {
			rule = steadyRun(l) + "; then " + rule
		}
		switch {
		case !l.FailingSteadily:
			add("unstable: " + rule)
		case l.Active():
			add("was unstable: " + rule + "; now they fail one way, again and again")
		default:
			add("unstable: " + rule + "; then they failed one way, again and again")
		}
	}
	if s := evidenceAdvice(l); s != "" {
		add(s)
	}
	return lines
}

// steadyRun says the steady run of failures an incident held before its
// probes took turns: "first it failed 12 times one way, again and again
// (server 12, newest 500)".
func steadyRun(l probe.LocalIncident) string {
	n := 0
	for _, k := range l.SteadyClasses {
		n += k
	}
	how := probe.LocalIncident{Classes: l.SteadyClasses}.ClassSummary()
	switch {
	case l.SteadyStatus != 0:
		how += fmt.Sprintf(", newest %d", l.SteadyStatus)
	case l.SteadyError != "":
		how += ", newest " + probe.Line(l.SteadyError, 20)
	}
	return fmt.Sprintf("first it failed %d times one way, again and again (%s)", n, how)
}

// evidenceState is where one of our incidents stands: still failing,
// closed by quiet sessions, superseded by another kind, or recovered.
func evidenceState(l probe.LocalIncident, now time.Time) string {
	s := evidenceEnd(l, now)
	if l.Relapses > 0 {
		// Closed by answers that did not hold, and taken back.
		times := "once"
		if l.Relapses > 1 {
			times = fmt.Sprintf("%d times", l.Relapses)
		}
		s += "; answered again briefly " + times + ", failing again before the recovery held"
	}
	return s
}

// evidenceEnd is how one of our incidents ended, or that it goes on.
func evidenceEnd(l probe.LocalIncident, now time.Time) string {
	switch {
	case judge.QuietClosed(l):
		return "closed: no Claude Code calls for " + probe.Words(judge.SessionsFresh) + " after the last failure"
	case l.Unobserved:
		return "ended unobserved, between " + clock(now, l.UnprobedFrom) + " and " + clock(now, l.UnprobedTo) + ": not probed then"
	case !l.Superseded.IsZero():
		return "ended " + clock(now, l.Superseded) + ", not recovered: became " + probe.Line(l.Became, 0)
	case !l.Active():
		return "recovered " + clock(now, l.End())
	}
	return "still failing"
}

// evidenceCounts is how many of which calls failed, and how.
func evidenceCounts(l probe.LocalIncident) string {
	calls := "probes" + incidentScope(l)
	if judge.FromSessions(l) {
		calls = "calls of your Claude Code sessions"
	}
	others := ""
	if l.Others > 0 {
		others = fmt.Sprintf(", %d more failed another way", l.Others)
	}
	return fmt.Sprintf("%d failed of %d %s%s · %s", l.Failures, l.Probes, calls, others, l.ClassSummary())
}

// evidenceAdvice is what an incident on the user's side points at; ""
// for Anthropic's.
func evidenceAdvice(l probe.LocalIncident) string {
	switch {
	case l.Gateway():
		// The banner's fact for the same moment (judge's gatewayUnreachable).
		return "the gateway answered for itself, not with Anthropic's words: its logs, or whoever runs it, say whether it reaches Anthropic's API"
	case l.Kind == probe.KindYourNetwork && l.Hung:
		return "every host accepted the connection and TLS, then did not answer: likely a proxy, VPN or filter on the path"
	case l.Kind == probe.KindYourNetwork:
		return "every Anthropic host failed from here at once: check your connection, VPN, proxy or DNS"
	case l.Unreached():
		// The banner's "Anthropic or a firewall between you": a refusal
		// while other hosts answer names no side (cold M1).
		return "the connection was refused while other hosts answered: Anthropic, a firewall between you, or (at a URL you set) nothing listening there — see the Troubleshooting tab"
	case l.Kind == probe.KindYourSide:
		return "this points at your side: see the Troubleshooting tab"
	}
	return ""
}

// frozenSource is the detail's source of an entry known only as of a read
// that no longer counts: ours are ours; Anthropic's is as last read.
func frozenSource(e judge.TimelineEntry, r pageRead, now time.Time) string {
	read := "as last read"
	if !r.at.IsZero() {
		read += " " + clock(now, r.at) + " (" + ago(now, r.at) + ")"
	}
	if len(e.Local) > 0 {
		who := "our probes"
		if e.Sessions() {
			who = "our probes and your Claude Code sessions"
		}
		return who + "; Anthropic's incident " + read + ", not known since"
	}
	return "Anthropic's status page, " + read + ", not known since"
}

// frozenDuration is how long the official incident had run at the read it
// is known from, and ours while ours goes on.
func frozenDuration(e judge.TimelineEntry, r pageRead, now time.Time) string {
	s := "open at the last read"
	if start := e.Official.Start(); !r.at.IsZero() && !r.at.Before(start) {
		s = "open " + span(r.at.Sub(start)) + " at the last read (" + clock(now, r.at) + "); not known since"
	}
	if d, on := oursOngoing(e, now); on {
		s += "; our probes' part ongoing " + span(d)
	}
	return s
}

func sourceWords(e judge.TimelineEntry) string {
	switch e.Source() {
	case "both":
		if e.Sessions() {
			return "Anthropic and your Claude Code sessions"
		}
		return "Anthropic and our probes"
	case "Anthropic":
		return "Anthropic's status page"
	case "sessions":
		return "your Claude Code sessions only"
	}
	if e.Sessions() {
		return "our probes and your Claude Code sessions"
	}
	return "our probes only"
}

// serviceNames names the affected services in full.
func (t incidentsTab) serviceNames(e judge.TimelineEntry) string {
	var names []string
	for _, id := range e.Components() {
		names = append(names, componentName(t.b.status, id))
	}
	return strings.Join(names, ", ")
}

// publicLink is the incident's public page: its shortlink, else its page
// under base, the status page being read (--status-url). Only an http(s) URL without spaces is returned, so
// nothing from the network can break out of the OSC 8 sequence.
func publicLink(in probe.Incident, base string) string {
	link := in.Shortlink
	if link == "" && in.ID != "" {
		link = base + "/incidents/" + url.PathEscape(in.ID)
	}
	link = probe.Line(link, 300)
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(link, " \t\x1b\x07") {
		return ""
	}
	return link
}

// hyperlink prints the link and, on terminals with colour, makes it an
// OSC 8 hyperlink as well.
func (t incidentsTab) hyperlink(link string) string {
	if !t.st.hyperlinks {
		return link
	}
	return ansi.SetHyperlink(link) + link + ansi.ResetHyperlink()
}

// noneOfOurs says why no incident of ours stands beside e: our probes saw
// none, or — for a time before the history's first observation — we had
// no probes then (cold4 C14: "our probes saw no incident" of a day before
// the database began).
func (t incidentsTab) noneOfOurs(e judge.TimelineEntry) string {
	first, now := t.b.first, t.b.now
	end := e.End()
	switch {
	case e.Start().After(now):
		// A maintenance still to come: no time of it has been probed.
		return "it has not begun: our probes will say what they see during it"
	case !t.b.firstKnown:
	case first.IsZero():
		return "we have no probes of that time: the database holds no observation yet"
	case !end.IsZero() && end.Before(first):
		return "we had no probes then: our first observation is " + clock(now, first) + " " + t.b.zone() + ", after it ended"
	case e.Start().Before(first):
		return "we had no probes before " + clock(now, first) + " " + t.b.zone() + "; since then our probes saw no incident"
	}
	return "our probes saw no incident at that time"
}
