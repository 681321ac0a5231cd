package diagnose

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/check"
	"downforai/probe/judge"
)

// Report is the evidence bundle as Markdown: the verdict and its facts,
// the matching catalogue entry with its evidence and fix, recent failing
// probes with request ids, timings and error bodies, the official status
// and incidents, the local checks, the rate-limit headroom and the
// downforai version. Every line passes Redact: no credential, only masks.
func Report(e Evidence) string {
	// One zone, named on every time: UTC, as a report is pasted into a
	// ticket read elsewhere — the verdict's sentences too, which are
	// judged in the reader's zone (cold4 C10: 12:17:22 IST beside
	// 06:47:22 UTC for one probe).
	e.Now = e.Now.UTC()
	var b mdWriter
	v := e.Verdict()
	reportVerdict(&b, e, v)
	reportFindings(&b, e)
	reportFailures(&b, e)
	reportOfficial(&b, e.Status, v.Official, e.Now)
	reportLocal(&b, e.Local, e.Recent)
	reportHeadroom(&b, e.Recent, e.Now)
	reportSessions(&b, e)
	reportLatest(&b, e)
	return probe.Redact(b.String())
}

// mdWriter builds the report; w is Fprintf to it.
type mdWriter struct{ strings.Builder }

func (b *mdWriter) w(format string, a ...any) { fmt.Fprintf(&b.Builder, format, a...) }

// reportVerdict is the title, the verdict, its facts and the services.
func reportVerdict(b *mdWriter, e Evidence, v probe.Verdict) {
	b.w("# downforai report\n\n")
	b.w("%s · downforai %s\n\n", e.Now.UTC().Format("2006-01-02 15:04:05 MST"), cmp.Or(e.Version, "dev"))
	if e.Note != "" {
		b.w("_%s_\n\n", md(e.Note))
	}
	b.w("## Verdict: %s\n\n%s\n\n", v.Title(), md(v.Headline))
	earlier := check.Earlier(v, e.Recent, time.UTC)
	for _, f := range append(slices.Clip(v.Facts), earlier...) {
		b.w("- %s\n", md(f))
	}
	if len(v.Facts)+len(earlier) > 0 {
		b.w("\n")
	}
	if len(v.Services) > 0 {
		b.w("| service | verdict | status page |\n|---|---|---|\n")
		for _, sv := range v.Services {
			page := sv.Official.String()
			switch {
			case !v.Official.Drives:
				page = "not read now (" + string(v.Official.State) + ")"
			case sv.NotOnPage:
				page = "not on the page"
			}
			b.w("| %s | %s | %s |\n", cell(sv.Service.Name), cell(sv.Words()), cell(page))
		}
		b.w("\n")
	}
}

// reportFindings is the matching problem with its evidence and fix, and
// the others seen.
func reportFindings(b *mdWriter, e Evidence) {
	fs := Findings(e)
	if len(fs) > 0 {
		f := fs[0]
		b.w("## %s%s (`%s`)\n\n%s\n\n", FindingHeading(f), md(f.Entry.Title), f.Entry.ID, md(f.Entry.What))
		b.w("%s", findingEvidence(f, e.Local))

		b.w("\nFix:\n\n")
		fixes := f.Entry.Fix
		if f.Fix != "" {
			fixes = []string{f.Fix} // a local finding: what acts on what the check found
		}
		for i, s := range fixes {
			b.w("%d. %s\n", i+1, md(s))
		}
		b.w("\nHow downforai confirms it: %s\n\n", md(f.Entry.Confirm))
		if len(fs) > 1 {
			b.w("Also seen:\n\n")
			for _, o := range fs[1:] {
				b.w("- %s (`%s`): %s\n", md(o.Entry.Title), o.Entry.ID, md(strings.TrimPrefix(findingEvidence(o, e.Local), "- ")))
			}
			b.w("\n")
		}
	}
}

// reportFailures is the ten newest failing probes.
func reportFailures(b *mdWriter, e Evidence) {
	b.w("## Recent failing probes\n\n")
	var fails []probe.Result
	for _, t := range probe.Targets() {
		for _, r := range e.Recent[t] {
			if r.Class.Failing() {
				fails = append(fails, r)
			}
		}
	}
	slices.SortStableFunc(fails, func(a, b probe.Result) int { return b.Time.Compare(a.Time) })
	if len(fails) > 10 {
		fails = fails[:10]
	}
	if len(fails) == 0 {
		b.w("None among the recent probes.\n\n")
	} else {
		b.w("| time (UTC) | probe | class | HTTP | error type | message | request-id | DNS / connect / TLS / first byte / total |\n|---|---|---|---|---|---|---|---|\n")
		for _, r := range fails {
			status := ""
			if r.HTTPStatus != 0 {
				status = fmt.Sprint(r.HTTPStatus)
			}
			b.w("| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.Time.UTC().Format("15:04:05"), cell(r.Target.Label()), r.Class,
				status, cell(r.ErrorType), cell(r.Message), cell(r.RequestID), phases(r.Phases))
		}
		b.w("\n")
	}
}

// reportOfficial is the status page as last read. While that read no
// longer counts as a current fact (unreadable since, stale, not Claude's)
// it says so first, and the incidents are those open at that read, not now
// (cold F23).
func reportOfficial(b *mdWriter, st *probe.Status, o probe.Official, now time.Time) {
	b.w("## Official status\n\n")
	if st == nil {
		// The table above says "not read now (unreadable)": one fact, one
		// wording (cold8 E1 had "Not read yet." beside it).
		switch {
		case o.State == probe.OfficialUnreadable:
			why := "unreadable"
			if o.Why != "" {
				why += ": " + o.Why
			}
			if !o.Since.IsZero() {
				why += ", since " + o.Since.UTC().Format("15:04:05") + " UTC"
			}
			b.w("Not read now (%s); no earlier read is stored.\n\n", md(why))
		default:
			b.w("Not read yet.\n\n")
		}
	} else {
		if !o.Drives {
			why := "no longer counts as current"
			switch o.State {
			case probe.OfficialUnreadable:
				why = "could not be read since then"
				if !o.Since.IsZero() {
					why = "could not be read since " + o.Since.UTC().Format("15:04:05") + " UTC"
				}
				if o.Why != "" {
					why += " (" + o.Why + ")"
				}
			case probe.OfficialStale:
				why = "has not been read since"
			case probe.OfficialForeign:
				why = "answers as another page: " + o.Why
			}
			b.w("**Last read %s UTC (%s ago); the page %s, so what follows is as of that read, not now.**\n\n",
				st.Fetched.UTC().Format("15:04:05"), probe.Words(now.Sub(st.Fetched)), md(why))
		}
		b.w("%s (indicator `%s`), read %s UTC.\n\n", md(cmp.Or(st.Description, "no description")), cell(cmp.Or(st.Indicator, "?")), st.Fetched.UTC().Format("15:04:05"))
		for _, s := range probe.Services() {
			if c, ok := st.Component(s.ComponentID, s.ComponentName); ok {
				b.w("- %s: %s\n", md(c.Name), c.Status)
			}
		}
		label := "Incident"
		if !o.Drives {
			label = "Incident open at that read"
		}
		for _, in := range st.Incidents {
			b.w("- **%s:** %s (%s, impact %s) %s\n", label, md(in.Name), md(in.Status), md(cmp.Or(in.Impact, "?")), md(in.Shortlink))
			if len(in.Updates) > 0 {
				b.w("  - latest update: %s\n", md(probe.Line(in.Updates[0].Body, 300)))
			}
		}
		b.w("\n")
	}
}

// reportLocal is every local check.
func reportLocal(b *mdWriter, l *probe.LocalReport, recent map[probe.Target][]probe.Result) {
	b.w("## Local checks\n\n")
	if l == nil {
		b.w("Not run yet.\n\n")
	} else {
		for _, c := range LocalChecks(l, recent) {
			b.w("- %s **%s**: %s\n", levelMark(c.Level), md(c.Name), md(c.Text))
		}
		b.w("\n")
	}
}

// reportHeadroom is the rate-limit gauges of the newest key probe.
func reportHeadroom(b *mdWriter, recent map[probe.Target][]probe.Result, now time.Time) {
	b.w("## Rate-limit headroom\n\n")
	if hs, r, ok := RateHeadroom(recent); ok {
		for _, h := range hs {
			b.w("- %s: %d of %d left (%.0f%%)", h.Name, h.Remaining, h.Limit, 100*h.Fraction())
			switch {
			case h.ResetPast(now):
				b.w(", counted before its reset at %s UTC (%s ago): not what is left now", h.Reset.UTC().Format("15:04:05"), probe.Words(now.Sub(h.Reset)))
			case !h.Reset.IsZero():
				b.w(", resets %s UTC", h.Reset.UTC().Format("15:04:05"))
			}
			b.w("\n")
		}
		b.w("\n_from the key probe at %s UTC (%s ago)_\n\n", r.Time.UTC().Format("15:04:05"), probe.Words(now.Sub(r.Time)))
	} else {
		b.w("No anthropic-ratelimit-* headers seen (no key probed, or none sent).\n\n")
	}
}

// reportLatest is the newest probe of every target, and the footer.
func reportLatest(b *mdWriter, e Evidence) {
	b.w("## Latest probe per target\n\n| probe | class | HTTP | total | when (UTC) | message |\n|---|---|---|---|---|---|\n")
	for _, t := range probe.Targets() {
		rs := e.Recent[t]
		if len(rs) == 0 {
			continue
		}
		r := rs[len(rs)-1]
		status := ""
		if r.HTTPStatus != 0 {
			status = fmt.Sprint(r.HTTPStatus)
		}
		b.w("| %s | %s | %s | %s | %s | %s |\n", cell(t.Label()), r.Class, status, r.Phases.Total.Round(time.Millisecond), r.Time.UTC().Format("15:04:05"), cell(r.Message))
	}
	b.w("\n_Generated by downforai %s. Credentials are masked; nothing secret is in this report._\n", cmp.Or(e.Version, "dev"))
}

// reportSessions is Claude Code's own calls, its usage window and the
// plan's utilisation, when the transcripts were read or the usage call made.
func reportSessions(b *mdWriter, e Evidence) {
	u := codeUsage(e.Local)
	if e.Sessions == nil && u == nil {
		return
	}
	b.w("## Claude Code: your sessions and usage window\n\n")
	if r := e.Sessions; r != nil {
		line, _ := SessionsLine(r, e.Now, time.UTC)
		b.w("- sessions: %s\n", md(line))
		for _, s := range SessionsSay(r, e.Recent, e.Status, e.Local, e.Now, 0, time.UTC) {
			b.w("- evidence: %s\n", md(s))
		}
		if r.Found {
			b.w("- window: %s\n", md(WindowLine(r, u, e.Now, time.UTC)))
		}
	}
	if u != nil {
		b.w("- plan usage: %s\n", md(u.Summary(e.Now, time.UTC)))
	}
	b.w("\n")
}

// codeUsage is the local report's usage answer; nil for none.
func codeUsage(l *probe.LocalReport) *probe.CodeUsage {
	if l == nil {
		return nil
	}
	return l.CodeUsage
}

// findingEvidence is the evidence lines of a finding, as a Markdown list.
func findingEvidence(f Finding, l *probe.LocalReport) string {
	var lines []string
	switch {
	case f.Result != nil:
		lines = append(lines, "Evidence: "+judge.EvidenceLine(*f.Result, l, time.UTC))
		if (f.Entry.Class == probe.ClassAuth || f.Entry.Class == probe.ClassBilling || f.Entry.Class == probe.ClassRateLimited) && !catalogue.Keyless(f.Result.Target) {
			if p, ok := l.Probed(); ok {
				lines = append(lines, fmt.Sprintf("Credential: %s, %s %s (%s)", p.Source, p.Kind, p.Masked, p.Header))
			}
		}
		if ra := f.Result.RateLimit.RetryAfter; ra > 0 {
			lines = append(lines, "Retry after: "+ra.String())
		}
	case f.Local != nil:
		lines = append(lines, "Local check, "+f.Local.Name+": "+f.Local.Text)
	}
	if f.Aside != "" {
		lines = append(lines, "Now: "+f.Aside)
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("- " + md(l) + "\n")
	}
	return b.String()
}

func levelMark(l probe.LocalLevel) string {
	switch l {
	case probe.LocalOK:
		return "✔"
	case probe.LocalInfo:
		return "ℹ"
	case probe.LocalWarn:
		return "▲"
	case probe.LocalFail:
		return "✖"
	}
	return "·"
}

func phases(p probe.Phases) string {
	r := func(d time.Duration) string {
		switch {
		case d == 0:
			return "-"
		case d < time.Millisecond:
			return "<1ms"
		}
		return d.Round(time.Millisecond).String()
	}
	return r(p.DNS) + " / " + r(p.Connect) + " / " + r(p.TLS) + " / " + r(p.FirstByte) + " / " + r(p.Total)
}

// md is one line of text, sanitised, for Markdown prose.
func md(s string) string { return probe.Line(s, 0) }

// cell is md for a table cell: pipes escaped.
func cell(s string) string { return strings.ReplaceAll(probe.Line(s, 300), "|", `\|`) }
