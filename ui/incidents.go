package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// incidentsTab lists the official incidents and maintenances that are not
// over, from the latest status snapshot.
type incidentsTab struct {
	b    *board
	st   *styles
	w, h int
}

func newIncidentsTab(b *board, st *styles) incidentsTab { return incidentsTab{b: b, st: st} }

func (t *incidentsTab) setSize(w, h int) { t.w, t.h = w, h }

// capturing reports whether the tab is taking text input, so the root
// sends it every key.
func (t incidentsTab) capturing() bool { return false }

func (t incidentsTab) update(tea.Msg) (incidentsTab, tea.Cmd) { return t, nil }

func (t incidentsTab) view() string {
	if t.w <= 0 || t.h <= 0 {
		return ""
	}
	st, b := t.st, t.b
	if b.status == nil {
		return clamp(st.muted.Render("The official status page has not been read yet; incidents appear here once it is."), t.w, t.h)
	}
	var lines []string
	add := func(title string, list []probe.Incident) {
		if len(list) == 0 {
			return
		}
		lines = append(lines, st.heading.Render(title), "")
		for _, in := range list {
			lines = append(lines, t.incident(in)...)
			lines = append(lines, "")
		}
	}
	add("Active incidents", b.status.Incidents)
	add("Maintenances", b.status.Maintenances)
	if len(lines) == 0 {
		msg := fmt.Sprintf("%s No active incidents or maintenances on the official status page (read %s).",
			symOK, ago(b.now, b.status.Fetched))
		lines = append(lines, st.tone[toneGood].Render(msg))
	}
	return clamp(strings.Join(lines, "\n"), t.w, t.h)
}

func (t incidentsTab) incident(in probe.Incident) []string {
	st, now := t.st, t.b.now
	sym, tn := impactLook(in.Impact)
	lines := []string{st.strong[tn].Render(sym + " " + probe.Line(in.Name, 0))}

	facts := []string{probe.Line(in.Impact, 20) + " impact", probe.Line(in.Status, 20)}
	switch {
	case !in.ScheduledFor.IsZero():
		facts = append(facts, "scheduled "+clock(now, in.ScheduledFor)+"–"+clock(now, in.ScheduledUntil))
	case !in.StartedAt.IsZero():
		facts = append(facts, "started "+clock(now, in.StartedAt)+" ("+ago(now, in.StartedAt)+")")
	}
	lines = append(lines, t.indent(strings.Join(facts, " · "))...)
	if names := t.componentNames(in.Components); names != "" {
		lines = append(lines, t.indent("affects "+names)...)
	}
	if len(in.Updates) > 0 {
		u := in.Updates[0]
		lines = append(lines, t.indent("latest "+clock(now, u.At)+": "+probe.Line(u.Body, 400))...)
	}
	if in.Shortlink != "" {
		lines = append(lines, st.muted.Render("  "+probe.Line(in.Shortlink, 100)))
	}
	return lines
}

// indent wraps text to the tab's width under a two-space margin.
func (t incidentsTab) indent(s string) []string {
	ls := wrap(s, t.w-2)
	for i, l := range ls {
		ls[i] = "  " + t.st.text.Render(l)
	}
	return ls
}

// componentNames names affected components, ours by our service names.
func (t incidentsTab) componentNames(ids []string) string {
	var names []string
	for _, id := range ids {
		names = append(names, componentName(t.b.status, id))
	}
	return strings.Join(names, ", ")
}

func componentName(s *probe.Status, id string) string {
	for _, sv := range probe.Services {
		if sv.ComponentID == id {
			return sv.Name
		}
	}
	if c, ok := s.Component(id, ""); ok {
		return probe.Line(c.Name, 60)
	}
	return probe.Line(id, 20)
}
