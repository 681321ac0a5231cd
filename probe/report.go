package probe

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Evidence is everything the verdict, the findings, `downforai diagnose`
// and the report draw on. The dashboard builds it from what it holds; the
// command line from one round of probes plus the stored history.
type Evidence struct {
	Now     time.Time
	Version string
	Status  *Status
	Recent  map[Target][]Result // oldest first
	Local   *LocalReport
	// Note says where the evidence came from when that matters ("one fresh
	// round of probes: the database is in use by another downforai").
	Note string
}

// Input is the evidence as Judge's input.
func (e Evidence) Input() JudgeInput {
	return JudgeInput{Status: e.Status, Recent: e.Recent, Now: e.Now, Local: e.Local}
}

// Verdict judges the evidence.
func (e Evidence) Verdict() Verdict { return Judge(e.Input()) }

// Gather runs one round of checks on a fresh engine (recording into rec when
// it is not nil), merges the outcomes after what h already holds (h may be
// nil), and returns the evidence. It is how `downforai diagnose` and
// `downforai report` see the present when no dashboard is running.
func Gather(ctx context.Context, checks []Check, rec Recorder, h History, version string) Evidence {
	ev := Evidence{Recent: map[Target][]Result{}, Version: version}
	if h != nil {
		for _, c := range checks {
			if rs, err := h.Recent(c.Target, window); err == nil && len(rs) > 0 {
				ev.Recent[c.Target] = rs
			}
		}
		if st, ok, err := h.LatestStatus(); err == nil && ok {
			ev.Status = &st
		}
	}
	for _, e := range NewEngine(checks, rec).RunOnce(ctx) {
		ev.Add(e)
	}
	ev.Now = time.Now()
	return ev
}

// Add takes one engine event into the evidence.
func (e *Evidence) Add(ev Event) {
	if e.Recent == nil {
		e.Recent = map[Target][]Result{}
	}
	if ev.Local != nil {
		e.Local = ev.Local
	}
	if ev.Status != nil {
		st := *ev.Status
		e.Status = &st
	}
	if t := ev.Result.Target; t != "" && t != TargetLocal {
		e.Recent[t] = append(e.Recent[t], ev.Result)
	}
}

// Finding is one catalogue entry the evidence points at, with what matched:
// a probe result or a local check.
type Finding struct {
	Entry  Entry
	Result *Result     // the newest probe result that matched, nil for a local check
	Local  *LocalCheck // the local check that matched, nil for a probe result
}

// Findings lists the catalogue entries the evidence points at, the one
// that explains the verdict first: failing probes among the last few of
// each target, then local checks that found a problem, then warnings.
func Findings(e Evidence) []Finding {
	v := e.Verdict()
	type scored struct {
		f     Finding
		score int
	}
	var all []scored
	for _, t := range Targets {
		rs := e.Recent[t]
		for i := len(rs) - 1; i >= 0 && i >= len(rs)-window; i-- {
			en, ok := MatchResult(rs[i])
			if !ok {
				continue
			}
			r := rs[i]
			score := 200
			if fitsVerdict(en, v.Kind) {
				score = 300
			}
			if en.ID == EntryCodeNotInstalled {
				break // a fact the local checks state, not a problem
			}
			all = append(all, scored{Finding{Entry: en, Result: &r}, score})
			break // the newest matching result of the target speaks for it
		}
	}
	if e.Local != nil {
		for i := range e.Local.Checks {
			c := e.Local.Checks[i]
			if c.Level < LocalWarn {
				continue
			}
			en, ok := EntryForCheck(c)
			if !ok {
				continue
			}
			score := 100
			if c.Level == LocalFail {
				score = 250
				if fitsVerdict(en, v.Kind) {
					score = 290
				}
			}
			all = append(all, scored{Finding{Entry: en, Local: &c}, score})
		}
	}
	// Equal scores keep Targets order: the API speaks before claude.ai.
	slices.SortStableFunc(all, func(a, b scored) int { return b.score - a.score })
	var out []Finding
	seen := map[EntryID]bool{}
	for _, s := range all {
		if !seen[s.f.Entry.ID] {
			seen[s.f.Entry.ID] = true
			out = append(out, s.f)
		}
	}
	return out
}

func fitsVerdict(en Entry, k VerdictKind) bool {
	switch k {
	case VerdictLocalCredential:
		return en.Class == ClassAuth
	case VerdictLocalQuota:
		return en.Class == ClassBilling || en.Class == ClassRateLimited
	case VerdictLocalNetwork:
		return en.Side == SideNetwork || en.ID == EntryTimeout
	case VerdictOutage, VerdictUnacknowledged, VerdictDegraded:
		return en.Side == SideAnthropic
	}
	return false
}

// Headroom is one rate-limit gauge: how much of a limit is left.
type Headroom struct {
	Name             string // requests, tokens
	Remaining, Limit int64
	Reset            time.Time
}

// Fraction is Remaining/Limit in [0, 1].
func (h Headroom) Fraction() float64 {
	if h.Limit <= 0 {
		return 0
	}
	return min(max(float64(h.Remaining)/float64(h.Limit), 0), 1)
}

// RateHeadroom reads the gauges from the newest key-probe result that
// carried anthropic-ratelimit-* headers, and that result's time.
func RateHeadroom(recent map[Target][]Result) ([]Headroom, Result, bool) {
	rs := recent[TargetAPIKey]
	for i := len(rs) - 1; i >= 0; i-- {
		rl := rs[i].RateLimit
		if rl.RequestsLimit == 0 && rl.TokensLimit == 0 {
			continue
		}
		var hs []Headroom
		if rl.RequestsLimit > 0 {
			hs = append(hs, Headroom{"requests", rl.RequestsRemaining, rl.RequestsLimit, rl.RequestsReset})
		}
		if rl.TokensLimit > 0 {
			hs = append(hs, Headroom{"tokens", rl.TokensRemaining, rl.TokensLimit, rl.TokensReset})
		}
		return hs, rs[i], true
	}
	return nil, Result{}, false
}

// Report is the evidence bundle as Markdown: the verdict and its facts,
// the matching catalogue entry with its evidence and fix, recent failing
// probes with request ids, timings and error bodies, the official status
// and incidents, the local checks, the rate-limit headroom and the
// downforai version. Every line passes Redact: no credential, only masks.
func Report(e Evidence) string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	now := e.Now.UTC()
	v := e.Verdict()

	w("# downforai report\n\n")
	w("%s · downforai %s\n\n", now.Format("2006-01-02 15:04:05 MST"), cmp.Or(e.Version, "dev"))
	if e.Note != "" {
		w("_%s_\n\n", md(e.Note))
	}
	w("## Verdict: %s\n\n%s\n\n", v.Kind, md(v.Headline))
	for _, f := range v.Facts {
		w("- %s\n", md(f))
	}
	if len(v.Facts) > 0 {
		w("\n")
	}
	if len(v.Services) > 0 {
		w("| service | verdict | status page |\n|---|---|---|\n")
		for _, sv := range v.Services {
			w("| %s | %s | %s |\n", cell(sv.Service.Name), cell(sv.Kind.String()), cell(sv.Official.String()))
		}
		w("\n")
	}

	fs := Findings(e)
	if len(fs) > 0 {
		f := fs[0]
		w("## Matching problem: %s (`%s`)\n\n%s\n\n", md(f.Entry.Title), f.Entry.ID, md(f.Entry.What))
		w("%s", findingEvidence(f, e.Local))
		w("\nFix:\n\n")
		for i, s := range f.Entry.Fix {
			w("%d. %s\n", i+1, md(s))
		}
		w("\nConfirmed by: %s\n\n", md(f.Entry.Confirm))
		if len(fs) > 1 {
			w("Also seen:\n\n")
			for _, o := range fs[1:] {
				w("- %s (`%s`): %s\n", md(o.Entry.Title), o.Entry.ID, md(strings.TrimPrefix(findingEvidence(o, e.Local), "- ")))
			}
			w("\n")
		}
	}

	w("## Recent failing probes\n\n")
	var fails []Result
	for _, t := range Targets {
		for _, r := range e.Recent[t] {
			if r.Class.Failing() {
				fails = append(fails, r)
			}
		}
	}
	slices.SortStableFunc(fails, func(a, b Result) int { return b.Time.Compare(a.Time) })
	if len(fails) > 10 {
		fails = fails[:10]
	}
	if len(fails) == 0 {
		w("None among the recent probes.\n\n")
	} else {
		w("| time (UTC) | probe | class | HTTP | error type | message | request-id | DNS / connect / TLS / first byte / total |\n|---|---|---|---|---|---|---|---|\n")
		for _, r := range fails {
			status := ""
			if r.HTTPStatus != 0 {
				status = fmt.Sprint(r.HTTPStatus)
			}
			w("| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.Time.UTC().Format("15:04:05"), cell(r.Target.Label()), r.Class,
				status, cell(r.ErrorType), cell(r.Message), cell(r.RequestID), phases(r.Phases))
		}
		w("\n")
	}

	w("## Official status\n\n")
	if e.Status == nil {
		w("Not read yet.\n\n")
	} else {
		st := e.Status
		w("%s (indicator `%s`), read %s UTC.\n\n", md(cmp.Or(st.Description, "no description")), cell(cmp.Or(st.Indicator, "?")), st.Fetched.UTC().Format("15:04:05"))
		for _, s := range Services {
			if c, ok := st.Component(s.ComponentID, s.ComponentName); ok {
				w("- %s: %s\n", md(c.Name), c.Status)
			}
		}
		for _, in := range st.Incidents {
			w("- **Incident:** %s (%s, impact %s) %s\n", md(in.Name), md(in.Status), md(cmp.Or(in.Impact, "?")), md(in.Shortlink))
			if len(in.Updates) > 0 {
				w("  - latest update: %s\n", md(Line(in.Updates[0].Body, 300)))
			}
		}
		w("\n")
	}

	w("## Local checks\n\n")
	if e.Local == nil {
		w("Not run yet.\n\n")
	} else {
		for _, c := range e.Local.Checks {
			w("- %s **%s**: %s\n", levelMark(c.Level), md(c.Name), md(c.Text))
		}
		w("\n")
	}

	w("## Rate-limit headroom\n\n")
	if hs, r, ok := RateHeadroom(e.Recent); ok {
		for _, h := range hs {
			w("- %s: %d of %d left (%.0f%%)", h.Name, h.Remaining, h.Limit, 100*h.Fraction())
			if !h.Reset.IsZero() {
				w(", resets %s UTC", h.Reset.UTC().Format("15:04:05"))
			}
			w("\n")
		}
		w("\n_from the key probe at %s UTC_\n\n", r.Time.UTC().Format("15:04:05"))
	} else {
		w("No anthropic-ratelimit-* headers seen (no key probed, or none sent).\n\n")
	}

	w("## Latest probe per target\n\n| probe | class | HTTP | total | when (UTC) | message |\n|---|---|---|---|---|---|\n")
	for _, t := range Targets {
		rs := e.Recent[t]
		if len(rs) == 0 {
			continue
		}
		r := rs[len(rs)-1]
		status := ""
		if r.HTTPStatus != 0 {
			status = fmt.Sprint(r.HTTPStatus)
		}
		w("| %s | %s | %s | %s | %s | %s |\n", cell(t.Label()), r.Class, status, r.Phases.Total.Round(time.Millisecond), r.Time.UTC().Format("15:04:05"), cell(r.Message))
	}
	w("\n_Generated by downforai %s. Credentials are masked; nothing secret is in this report._\n", cmp.Or(e.Version, "dev"))
	return Redact(b.String())
}

// findingEvidence is the evidence lines of a finding, as a Markdown list.
func findingEvidence(f Finding, l *LocalReport) string {
	var lines []string
	switch {
	case f.Result != nil:
		lines = append(lines, "Evidence: "+EvidenceLine(*f.Result, l, time.UTC))
		if f.Entry.Class == ClassAuth || f.Entry.Class == ClassBilling || f.Entry.Class == ClassRateLimited {
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
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("- " + md(l) + "\n")
	}
	return b.String()
}

func levelMark(l LocalLevel) string {
	switch l {
	case LocalOK:
		return "✔"
	case LocalInfo:
		return "ℹ"
	case LocalWarn:
		return "▲"
	case LocalFail:
		return "✖"
	}
	return "·"
}

func phases(p Phases) string {
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
func md(s string) string { return Line(s, 0) }

// cell is md for a table cell: pipes escaped.
func cell(s string) string { return strings.ReplaceAll(Line(s, 300), "|", `\|`) }

// FormatDiagnosis is `downforai diagnose`'s output: the matching entry (or
// "no known signature") with what the text said, then what the live probes
// and local checks say now.
func FormatDiagnosis(d Diagnosis, e Evidence) string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	if !d.Known() {
		w("No known signature: this text matches nothing in downforai's catalogue.\n")
	} else {
		en := d.Entry
		w("%s · %s — %s\n", en.Title, en.ID, en.Side.Phrase())
		w("  %s\n", en.What)
	}
	if read := d.Read(Quote); read != "" {
		w("  read: %s\n", read)
	}
	if d.Known() {
		w("  matched: %s\n", Quote(d.Matched))
		w("\nLikely causes:\n")
		for _, c := range d.Entry.Causes {
			w("  - %s\n", c)
		}
		w("\nFix:\n")
		for i, s := range d.Entry.Fix {
			w("  %d. %s\n", i+1, s)
		}
		w("\nConfirmed by: %s\n", d.Entry.Confirm)
	}
	w("\nRight now:\n")
	for _, s := range LiveSays(d.Entry, e.Input()) {
		w("  - %s\n", s)
	}
	if e.Note != "" {
		w("  (%s)\n", e.Note)
	}
	return Redact(b.String())
}
