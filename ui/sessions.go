package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"downforai/probe"
	"downforai/probe/diagnose"
	"downforai/probe/judge"
)

// followsSessions reports whether the engine reads Claude Code's
// transcripts (the target is listed, or a report or a call arrived).
func (b *board) followsSessions() bool {
	return b.sessions != nil || slices.Contains(b.targets, probe.TargetSessions)
}

// usageOff reports whether the local checks ran without the usage call
// (--code-usage off).
func (b *board) usageOff() bool { return b.local != nil && b.local.CodeUsage == nil }

// sessionRows are the Live tab's lines under Claude Code: its sessions'
// calls and the usage window.
func (l liveTab) sessionRows() []string {
	b, st := l.b, l.st
	if !b.followsSessions() {
		return nil
	}
	w := max(l.w-colName-colGap, 0)
	text, worst := diagnose.SessionsLine(b.sessions, b.now, b.loc())
	sym, tn := b.sessionsLook(worst)
	if worst == probe.ClassUnknown {
		sym, tn = symNone, toneMuted
	}
	text = shorten(sym+" "+text, w, []string{" req_", ""}, []string{" in the last 15 min", " in 15 min"}, []string{" in the last hour", " in 1 h"})
	rows := []string{fit(st.text.Render("  └ your sessions"), colName) + " " + fit(st.tone[tn].Render(probe.CutWords(text, w)), w)}
	if b.sessions == nil || !b.sessions.Found {
		return rows
	}
	var u *probe.CodeUsage
	if b.local != nil {
		u = b.local.CodeUsage
	}
	line := diagnose.WindowLine(b.sessions, u, b.now, b.loc())
	tn = toneInfo
	rejected, rejectedShort := "\x00", "" // no login news to shorten
	switch {
	case b.usageOff():
		line += " · plan usage off (--code-usage)"
	case u.LoginUnused():
		// Not a failure: Claude Code sends a key, not this login (the
		// 401 it got is on Troubleshooting).
		rejected = "Claude Code uses " + u.SentInstead + " here; its /login is not in use"
		rejectedShort = "/login not in use (" + u.SentInstead + " is)"
		line = rejected + " · " + line
	case u != nil && u.Rejected:
		// First, so a narrow screen cuts the numbers, not the news; with
		// its age, as the banner says it (cold2 C20).
		rejected = u.RejectedLine(ago(b.now, u.Time))
		rejectedShort = "login rejected " + ago(b.now, u.Time) + ": run /login"
		line = rejected + " · " + line
		tn = toneLocal
	case u != nil && u.Unavailable != "":
		// Said, not dropped: the why is on Troubleshooting.
		line += " · plan usage unavailable (press 3)"
	}
	// Shortened in turn until it fits: words first, then the numbers'
	// names; the news (a refused login, Anthropic's reset) stays.
	line = shorten(line, w,
		[]string{" (" + diagnose.EstimateWords + ")", " (estimate)"},
		[]string{" tokens so far", " tokens"},
		[]string{"your session's limit message", "Claude Code's notice"},
		[]string{diagnose.NoWindow, "no answered call in 5 h"},
		[]string{"plan usage off (--code-usage)", "--code-usage off"},
		[]string{"plan usage unavailable (press 3)", "plan usage unavailable"},
		[]string{rejected, rejectedShort})
	if lipgloss.Width(line) > w {
		line = dropPart(line, "burn ") // Troubleshooting has it
	}
	line = shorten(line, w, []string{"plan 5-hour", "plan"})
	rows = append(rows, fit(st.text.Render("  └ usage window"), colName)+" "+fit(st.tone[tn].Render(probe.CutWords(line, w)), w))
	return rows
}

// shorten applies the replacements in turn until s fits w cells; a
// replacement whose new text is "" cuts s at the old text (the request id
// goes first).
func shorten(s string, w int, repl ...[]string) string {
	for _, r := range repl {
		if lipgloss.Width(s) <= w {
			break
		}
		if r[1] == "" {
			if i := strings.LastIndex(s, r[0]); i > 0 {
				s = s[:i]
			}
			continue
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	return s
}

// dropPart removes the " · "-separated part of s that starts with
// prefix.
func dropPart(s, prefix string) string {
	parts := strings.Split(s, " · ")
	kept := parts[:0]
	for _, p := range parts {
		if !strings.HasPrefix(p, prefix) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " · ")
}

// observeSessions is what stands out in the sessions' calls, compared with
// our probes.
func observeSessions(b *board) []observation {
	if b.sessions == nil {
		return nil
	}
	var out []observation
	for _, s := range diagnose.SessionsSay(b.sessions, b.evidence().Recent, b.status, b.local, b.now, b.staleAfter, b.loc()) {
		worst := probe.ClassUnexpected
		if e := b.sessions.Stats(b.now.Add(-diagnose.SessionsErrorWindow)).LastError; e != nil {
			worst = e.Class
		}
		sym, tn := b.sessionsLook(worst)
		out = append(out, observation{tn, sym, s, obsOther})
	}
	return out
}

// claudeCodeSection is Troubleshooting's view of Claude Code's own calls,
// its usage window and the plan's utilisation.
func (t troubleshootTab) claudeCodeSection() []string {
	b, st := t.b, t.st
	var lines []string
	if !b.followsSessions() && b.local == nil {
		return nil
	}
	if b.followsSessions() {
		text, worst := diagnose.SessionsLine(b.sessions, b.now, b.loc())
		sym, tn := b.sessionsLook(worst)
		if worst == probe.ClassUnknown {
			sym, tn = symNone, toneMuted
		}
		lines = append(lines, t.wrappedTone(tn, "  "+st.tone[tn].Render(sym)+" sessions: ", text)...)
		for _, s := range diagnose.SessionsSay(b.sessions, b.evidence().Recent, b.status, b.local, b.now, b.staleAfter, b.loc()) {
			lines = append(lines, t.wrapped("  evidence: ", s)...)
		}
		if r := b.sessions; r != nil && r.Found {
			lines = append(lines, t.windowLines(r)...)
		}
	}
	lines = append(lines, t.planUsage()...)
	return lines
}

// windowLines draw when Anthropic says the 5-hour window resets, then
// the transcripts' current block in full, marked an estimate (cold2 C8:
// its end is not Anthropic's), and the week's blocks in brief.
func (t troubleshootTab) windowLines(r *probe.SessionsReport) []string {
	now, w := t.b.now, r.Window
	var lines []string
	var u *probe.CodeUsage
	if t.b.local != nil {
		u = t.b.local.CodeUsage
	}
	if reset, ok := diagnose.PlanReset(u, r, now, t.b.loc()); ok {
		lines = append(lines, t.wrapped("  resets: ", fmt.Sprintf("%s (in %s) — %s at %s", probe.ResetClock(reset.At, now, t.b.loc()), diagnose.Countdown(reset.At.Sub(now)),
			reset.Source(), clock(now, reset.Asked)))...)
	}
	if c := w.Current; c != nil {
		s := fmt.Sprintf("%s–%s (%s), %s left · %s tokens so far (input %s, output %s, cache write %s, cache read %s) · %d answer%s",
			c.Start.In(t.b.loc()).Format("15:04"), c.End.In(t.b.loc()).Format("15:04"), diagnose.EstimateWords, diagnose.Countdown(c.End.Sub(now)),
			diagnose.TokenCount(c.Tokens.Total()), diagnose.TokenCount(c.Tokens.Input), diagnose.TokenCount(c.Tokens.Output),
			diagnose.TokenCount(c.Tokens.CacheCreation), diagnose.TokenCount(c.Tokens.CacheRead), c.Requests, probe.Plural(c.Requests))
		if b := c.BurnPerMinute(); b > 0 {
			s += fmt.Sprintf(" · burn %s/min · projected %s by %s", diagnose.TokenCount(int64(b)), diagnose.TokenCount(c.Projected(now)), c.End.In(t.b.loc()).Format("15:04"))
		}
		if len(c.Models) > 0 {
			s += " · " + strings.Join(c.Models, ", ")
		}
		lines = append(lines, t.wrapped("  window: ", s)...)
	} else {
		lines = append(lines, t.wrappedTone(toneMuted, "  window: ", "none counted: no answered call in the last 5 hours (failed calls carry no tokens)")...)
	}
	var past []string
	for _, bl := range w.Blocks {
		if w.Current != nil && bl.Start.Equal(w.Current.Start) {
			continue
		}
		past = append(past, fmt.Sprintf("%s %s", bl.Start.In(t.b.loc()).Format("Mon 15:04"), diagnose.TokenCount(bl.Tokens.Total())))
	}
	if len(past) > 0 {
		if len(past) > 12 {
			past = append([]string{fmt.Sprintf("%d earlier", len(past)-12)}, past[len(past)-12:]...)
		}
		lines = append(lines, t.wrappedTone(toneMuted, "  last 7 days: ", strings.Join(past, " · ")+" (tokens per 5-hour block; your plan's limit is not published in tokens)")...)
	}
	return lines
}

// planUsage is the usage call's answer, or how to turn it on.
func (t troubleshootTab) planUsage() []string {
	b := t.b
	switch {
	case b.local == nil:
		return nil
	case b.usageOff() && !b.followsSessions() && !hasCodeLogin(b.local):
		return nil // no Claude Code here to ask about
	case b.usageOff():
		return t.wrappedTone(toneMuted, "  plan usage: ", "off — turn on with --code-usage (or code_usage = true in the config file) to ask Anthropic with Claude Code's own login every --local-interval")
	}
	u := b.local.CodeUsage
	s := u.Summary(b.now, b.loc())
	if !u.Time.IsZero() {
		s += " (asked at " + clock(b.now, u.Time) + ")"
	}
	switch {
	case u.LoginUnused():
		return t.wrappedTone(toneMuted, "  plan usage: ", s)
	case u.Rejected:
		return t.wrappedTone(toneLocal, "  plan usage: ", s)
	case u.Unavailable != "":
		return t.wrappedTone(toneMuted, "  plan usage: ", s)
	}
	return t.wrapped("  plan usage: ", s)
}

func hasCodeLogin(l *probe.LocalReport) bool {
	if l == nil {
		return false
	}
	for _, c := range l.Credentials {
		if c.Source == "Claude Code login" {
			return true
		}
	}
	return false
}

// incidentCount is "3 of 4 probes failed" for an incident of ours —
// "calls" for one of Claude Code's sessions, which are not our probes.
func incidentCount(l probe.LocalIncident) string {
	one, many := "probe", "probes"
	if judge.FromSessions(l) {
		one, many = "call", "calls"
	}
	scope := incidentScope(l)
	one, many = one+scope, many+scope
	if l.Others > 0 && l.Probes >= l.Failures+l.Others {
		// Every failure counted, its own and the others (a 429 among
		// 529s): "3 of 4 calls failed" read as one answered when all
		// four failed (cold4 C9).
		return probe.OfAll(l.Failures+l.Others, l.Probes, one, many) + fmt.Sprintf(" failed, %d another way", l.Others)
	}
	if l.Probes >= l.Failures && l.Probes > 0 {
		return probe.OfAll(l.Failures, l.Probes, one, many) + " failed"
	}
	return fmt.Sprintf("%d failed %s", l.Failures, many)
}

// incidentScope says whose probes an incident's count adds up when it
// spans more than one target: " with and without your key", " of
// claude.ai and the Claude API". The banner's "all 15 probes failed"
// counted both API probes where the latency table said "all 8 failed"
// and "all 7 failed" of each, and read as a second count of one.
func incidentScope(l probe.LocalIncident) string {
	if len(l.Targets) < 2 || judge.FromSessions(l) {
		return ""
	}
	keyless, keyed, other := false, false, false
	for _, t := range l.Targets {
		switch t {
		case probe.TargetAPI:
			keyless = true
		case probe.TargetAPIKey:
			keyed = true
		default:
			other = true
		}
	}
	if keyless && keyed && !other {
		return " with and without your key"
	}
	if names := judge.HostNames(l.Targets); strings.Contains(names, " and ") {
		return " of " + names
	}
	return ""
}

// unprobed is how long an incident of ours went unprobed in all, to the
// second: "2m 30s" (a restart restores an incident across the time
// downforai did not run; its "since 23:12 (4m)" is not four minutes
// observed failing). "" when every round was probed.
func unprobed(l probe.LocalIncident) string {
	if l.Unprobed <= 0 {
		return ""
	}
	return wait(l.Unprobed.Round(time.Second))
}

// incidentSource is who saw an incident of ours: "our probes" or "your
// sessions" (Claude Code's).
func incidentSource(l probe.LocalIncident) string {
	if judge.FromSessions(l) {
		return "your sessions"
	}
	return "our probes"
}

// limitReset is when the usage limit the headline quotes comes back, in
// the viewer's zone: Claude Code's notice names the clock of wherever it
// ran ("resets 12:50am (America/Los_Angeles)"), read as diagnose reads a
// pasted one — at the time the notice was shown, Anthropic's usage answer
// first. "" unless the verdict is that notice's.
func limitReset(b *board) string {
	v := b.verdict
	if v.Kind != probe.VerdictLocalQuota {
		return ""
	}
	rs := b.results(probe.TargetSessions)
	var c probe.Result
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Class.Failing() {
			c = rs[i]
			break
		}
	}
	if c.Class != probe.ClassRateLimited || c.Message == "" || !strings.Contains(v.Headline, probe.Line(c.Message, 0)) {
		return ""
	}
	lim, ok := diagnose.ReadLimit(diagnose.Diagnose(c.Message), b.local, b.sessions, c.Time, b.loc())
	if !ok || lim.Reset.IsZero() || lim.DateOnly {
		return ""
	}
	at := probe.ResetClock(lim.Reset, b.now, b.loc()) + " " + b.zone()
	from := "Claude Code's notice"
	switch lim.Source {
	case diagnose.ResetFromAnthropic:
		from = "Anthropic's usage answer"
	case diagnose.ResetFromEstimate:
		from = "your sessions' 5-hour block (an estimate)"
	}
	if !lim.Reset.After(b.now) {
		return "It reset at " + at + ", " + strings.TrimSpace(diagnose.Countdown(b.now.Sub(lim.Reset))) + " ago, by " + from + ": the limit has likely lifted."
	}
	return "It resets at " + at + ", in " + strings.TrimSpace(diagnose.Countdown(lim.Reset.Sub(b.now))) + ", by " + from + "."
}

// sessionsLook is the sessions' worst class's symbol and tone, no worse
// than the verdict makes of them: one failed call while our probes pass is
// an amber observation (judge: "Likely brief: one Claude Code call
// failed …"), so its rows are ▲, not a red ✖ beside an amber banner.
func (b *board) sessionsLook(worst probe.Class) (string, tone) {
	sym, tn := classLook(worst)
	if tn != toneBad {
		return sym, tn
	}
	for _, sv := range b.verdict.Services {
		if sv.Service.Key == "claude_code" && sv.Kind == probe.VerdictDegraded {
			return symWarn, toneWarn
		}
	}
	return sym, tn
}
