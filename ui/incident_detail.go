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

// detailLines is everything known about one entry: the official incident
// with every update, the lead and lag, and our probes' evidence.
func (t incidentsTab) detailLines(e judge.TimelineEntry) []string {
	st, b, w := t.st, t.b, t.w
	now := b.now
	var lines []string
	para := func(indent int, s string) {
		for _, l := range wrap(s, max(w-indent, 10)) {
			lines = append(lines, strings.Repeat(" ", indent)+st.text.Render(l))
		}
	}
	field := func(name, value string) {
		label := st.colHeader.Render(fit(name, 9))
		for i, l := range wrap(value, max(w-10, 10)) {
			if i == 0 {
				lines = append(lines, label+" "+st.text.Render(l))
			} else {
				lines = append(lines, strings.Repeat(" ", 10)+st.text.Render(l))
			}
		}
	}

	word, tn := badge(e)
	lines = append(lines, st.strong[tn].Render(word)+"  "+st.heading.Render(probe.Line(e.Title(), 0)))
	lines = append(lines, "")
	read, isFrozen := frozen(b, e)
	if isFrozen {
		field("Source", frozenSource(e, read, now))
	} else {
		field("Source", sourceWords(e))
	}
	status := entryStatus(e)
	if in := e.Official; in != nil && in.Impact != "" && !in.Maintenance() {
		status += " · " + probe.Line(in.Impact, 20) + " impact"
	}
	if isFrozen {
		status += ", " + read.when(now, *e.Official)
		if !read.at.IsZero() {
			status += " (" + ago(now, read.at) + ")"
		}
	}
	field("Status", status)
	if names := t.serviceNames(e); names != "" {
		field("Affects", names)
	}
	if in := e.Official; in != nil && in.Maintenance() && !in.ScheduledFor.IsZero() {
		win := clock(now, in.ScheduledFor)
		if !in.ScheduledUntil.IsZero() {
			win += " – " + clock(now, in.ScheduledUntil)
		}
		field("Window", win)
	}
	if start := e.Start(); start.After(now) {
		field("Starts", clock(now, start)+" ("+ago(now, start)+")")
	} else {
		field("Started", clock(now, start)+" ("+ago(now, start)+")")
	}
	if in := e.Official; in != nil && len(e.Local) > 0 && !in.Maintenance() {
		field("Posted", clock(now, in.Posted())+" by Anthropic")
	}
	if isFrozen {
		field("Duration", frozenDuration(e, read, now))
		field("Note", read.why+": whether Anthropic still lists it, or has resolved it, is not known")
	} else {
		field("Duration", detailDuration(e, now))
	}
	if g := e.Gone; g != nil {
		field("Note", "Anthropic's page stopped listing it without a resolution time: it ended between "+
			clock(now, g.After)+" (last known open) and "+clock(now, g.By)+" (first read without it)")
	}
	if in := e.Official; in != nil {
		if link := publicLink(*in, b.statusPage); link != "" {
			field("Link", t.hyperlink(link))
		}
	}

	for _, l := range e.Local {
		// Only from a read that counts: the banner says the same.
		if b.verdict.Official.Drives && judge.Unacknowledged(l, b.status) {
			lines = append(lines, "")
			lines = append(lines, wrap(st.strong[toneBad].Render(symBad+" Not yet acknowledged by Anthropic: our probes fail and no official incident covers "+serviceLabel(l)+"."), w)...)
		}
	}

	if in := e.Official; in != nil && len(e.Local) > 0 {
		lines = append(lines, "", st.heading.Render("Lead and lag"))
		// With several of our incidents linked (the API and claude.ai both
		// failing), say whose lead or lag each sentence is.
		for _, l := range e.Local {
			for _, s := range judge.LeadLagAsOf(l, *in, e.Gone, now, read.at) {
				if len(e.Local) > 1 {
					s = probe.Line(l.Title(), 60) + ": " + s
				}
				para(2, symMixed+" "+s)
			}
		}
	}

	if in := e.Official; in != nil {
		lines = append(lines, "", st.heading.Render(fmt.Sprintf("Updates from Anthropic (%d, newest first)", len(in.Updates))))
		if len(in.Updates) == 0 {
			lines = append(lines, st.muted.Render("  none posted"))
		}
		for _, u := range in.Updates {
			status := probe.StatusWord(u.Status)
			lines = append(lines, "  "+st.colHeader.Render(clock(now, u.At))+"  "+st.heading.Render(status))
			for _, p := range strings.Split(u.Body, "\n") {
				if p = strings.TrimSpace(p); p != "" {
					para(4, probe.Line(p, 0))
				}
			}
		}
	}

	lines = append(lines, "", st.heading.Render("Our probes"))
	if len(e.Local) == 0 {
		lines = append(lines, st.muted.Render("  our probes saw no incident at that time"))
	}
	for _, l := range e.Local {
		lines = append(lines, t.evidence(l)...)
	}
	return lines
}

// evidence is what our probes saw during one incident of ours.
func (t incidentsTab) evidence(l probe.LocalIncident) []string {
	st, now := t.st, t.b.now
	sym, tn := symBad, toneBad
	if l.Kind != probe.KindProvider {
		sym, tn = symLocal, toneLocal
	}
	state := "still failing"
	switch {
	case judge.QuietClosed(l):
		state = "closed: no Claude Code calls for " + probe.Words(judge.SessionsFresh) + " after the last failure"
	case !l.Superseded.IsZero():
		state = "ended " + clock(now, l.Superseded) + ", not recovered: became " + probe.Line(l.Became, 0)
	case !l.Active():
		state = "recovered " + clock(now, l.End())
	}
	var lines []string
	lines = append(lines, "  "+st.strong[tn].Render(sym+" "+probe.Line(l.Title(), 0)))
	add := func(s string) {
		for _, x := range wrap(s, max(t.w-4, 10)) {
			lines = append(lines, "    "+st.text.Render(x))
		}
	}
	add(fmt.Sprintf("%s · %s", l.Kind, state))
	add(fmt.Sprintf("first failure %s · last failure %s · opened %s",
		clock(now, l.FirstFailure), clock(now, l.LastFailure), clock(now, l.Opened)))
	calls := "probes"
	if judge.FromSessions(l) {
		calls = "calls of your Claude Code sessions"
	}
	add(fmt.Sprintf("%d failed of %d %s · %s", l.Failures, l.Probes, calls, l.ClassSummary()))
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
		add("last error: " + probe.Line(l.Message, 200))
	}
	if l.Unstable {
		add("unstable: its probes took turns failing and succeeding (the banner's rule over the last " + fmt.Sprint(judge.Window) + " probes of a target)")
	}
	switch {
	case l.Kind == probe.KindYourNetwork && l.Hung:
		add("every host accepted the connection and TLS, then did not answer: likely a proxy, VPN or filter on the path")
	case l.Kind == probe.KindYourNetwork:
		add("every Anthropic host failed from here at once: check your connection, VPN, proxy or DNS")
	case l.Kind == probe.KindYourSide:
		add("this points at your side: see the Troubleshooting tab")
	}
	return lines
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
