package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// section is one block of context under the Live tab's table: lines are
// drawn whole when they fit; more, when set, draws the section in n lines
// (n ≥ 2) whose last summarises the rest ("… 2 more incidents: press 2").
type section struct {
	lines []string
	more  func(n int) []string
	drops obsKind // the observations a whole section repeats
}

// latencyWindow is how far back the latency lines reach.
const latencyWindow = 15 * time.Minute

// context is every context section, most important first: what lines
// allow is drawn in this order.
func (l liveTab) context() []section {
	var out []section
	for _, s := range []section{l.latency, l.incidentSection(), l.maintenanceSection(), l.rateLimitSection()} {
		if len(s.lines) > 0 {
			out = append(out, s)
		}
	}
	return append(out, l.contextSlots()...)
}

// latencyTargets are the targets with a latency line, in table order,
// then the status page.
func (l liveTab) latencyTargets() []probe.Target {
	ts := l.stripTargets()
	if slices.Contains(l.b.targets, probe.TargetStatus) {
		ts = append(ts, probe.TargetStatus)
	}
	return ts
}

func latencyLabel(t probe.Target) string {
	switch t {
	case probe.TargetAPI:
		return "API, no key"
	case probe.TargetAPIKey:
		return "API, your key"
	case probe.TargetStatus:
		return "status page"
	}
	return t.Label()
}

const colLatName = 26

// latencySection is p50 and p95 of each target's successful probes in
// the last 15 whole minutes, with a sparkline of one cell a minute on the
// strips' latency axis. The window ends where the newest probe's minute
// begins (data, not the clock): an idle screen does not move it, and the
// lines change once a minute, not with every probe (each change rewrites
// the line on the terminal).
func (l liveTab) latencySection() section {
	b := l.b
	if l.end.IsZero() || l.w < 60 {
		return section{}
	}
	// The window ends where the newest probe's minute begins, so a probe
	// of the last seconds is not in it yet; the heading says where it
	// ends ("to 14:02"), so that its counts ("87, none failed") do not
	// read as a denial of what failed since, which Open incidents counts
	// on the same screen (cold7 E2). The lines change once a minute
	// anyway.
	until := l.end.Truncate(time.Minute)
	targets := l.latencyTargets()
	most := latencyMinutes(b, targets, until)
	// A line that does not fit drops whole parts, never cuts a word (at
	// 68 columns "13, none failed" read "13, none fa"): the window
	// shrinks to 10 minutes, then the per-minute strip goes, header and
	// lines alike, so that p50, p95 and the counts still speak for the
	// minutes the heading names; a text too long still wraps at a word.
	var lines []string
	for _, spark := range []int{most, min(most, 10), 0} {
		lines = l.latencyLines(targets, until, spark)
		if fits(lines, l.w) {
			break
		}
	}
	return section{lines: lines, drops: obsLatency}
}

// latencyLines are the section's heading and lines over spark whole
// minutes before until, with a per-minute strip of spark cells (none at
// 0, and the window is then one of at most 10 minutes).
func (l liveTab) latencyLines(targets []probe.Target, until time.Time, spark int) []string {
	b, st := l.b, l.st
	minutes := spark
	if spark == 0 {
		minutes = min(latencyMinutes(b, targets, until), 10)
	}
	from := until.Add(-time.Duration(minutes) * time.Minute)
	cols := fit("p50", 6) + " " + fit("p95", 6) + " "
	if spark > 0 {
		cols += fit("per minute", max(spark, len("per minute"))) + " "
	}
	head := fit(st.heading.Render(fmt.Sprintf("Latency, %d min to %s", minutes, clockMinute(b.now, until))), colLatName) + " " +
		st.colHeader.Render(cols+"probes")
	lines := []string{head}
	for _, t := range targets {
		rs := b.results(t)
		i := sort.Search(len(rs), func(i int) bool { return !rs[i].Time.Before(from) })
		j := sort.Search(len(rs), func(i int) bool { return !rs[i].Time.Before(until) })
		lines = append(lines, l.latencyLine(t, rs[i:j], rs[j:], until, minutes, spark)...)
	}
	return lines
}

// fits reports whether every line is at most w cells wide.
func fits(lines []string, w int) bool {
	for _, s := range lines {
		if ansi.StringWidth(s) > w {
			return false
		}
	}
	return true
}

// latencyMinutes is how many whole minutes before until the lines can
// speak for: latencyWindow, or fewer when a target probed so often that
// the results kept in memory (ringSize) begin later — at a 5 s interval
// they reach 10 min back, and minutes before that would read as minutes
// without probes (cold4 C4). At least one.
func latencyMinutes(b *board, targets []probe.Target, until time.Time) int {
	from := until.Add(-latencyWindow)
	for _, t := range targets {
		rs := b.results(t)
		if len(rs) < ringSize {
			continue // all it has: nothing older was let go
		}
		// The oldest kept result's minute may be missing its first probes.
		if first := rs[0].Time.Truncate(time.Minute).Add(time.Minute); first.After(from) {
			from = first
		}
	}
	return max(int(until.Sub(from)/time.Minute), 1)
}

// latencyLine is one target's line: rs are its probes in the window of
// minutes, cur those of the minute not complete yet; spark is the width
// of its per-minute strip (none at 0). A text too long for the line
// wraps at a word under itself, its optional parts dropped first.
func (l liveTab) latencyLine(t probe.Target, rs, cur []probe.Result, until time.Time, minutes, spark int) []string {
	these := fmt.Sprintf("in these %d min", minutes)
	st := l.st
	name := fit("  "+latencyLabel(t), colLatName)
	text := func(tn tone, parts ...string) []string {
		// parts[0] is said whole; each further part only while it fits.
		s := parts[0]
		for _, p := range parts[1:] {
			if ansi.StringWidth(name)+1+ansi.StringWidth(s+p) > l.w {
				break
			}
			s += p
		}
		var out []string
		for i, part := range wrap(s, max(l.w-colLatName-1, 1)) {
			lead := st.text.Render(name) + " "
			if i > 0 {
				lead = strings.Repeat(" ", colLatName+1)
			}
			out = append(out, lead+st.tone[tn].Render(part))
		}
		return out
	}
	if notInstalled(rs) && notInstalled(cur) && len(rs)+len(cur) > 0 {
		// A CLI that is not there has no latency and nothing failed: say
		// what is true of it.
		if len(rs) == 0 {
			return text(toneMuted, fmt.Sprintf("not installed (%d check%s so far)", len(cur), probe.Plural(len(cur))))
		}
		return text(toneMuted, fmt.Sprintf("not installed (%d check%s %s)", len(rs), probe.Plural(len(rs)), these))
	}
	if len(rs) == 0 {
		if len(cur) == 0 {
			return text(toneMuted, "no probes "+these)
		}
		// The first minute of probing: its probes are not in the window
		// of whole minutes yet, but they ran.
		ok, failed := latencies(cur)
		first := fmt.Sprintf("first minute not complete yet: %d probe%s so far", len(cur), probe.Plural(len(cur)))
		switch {
		case failed > 0:
			return text(toneBad, first+fmt.Sprintf(", %d failed", failed))
		case len(ok) > 0:
			return text(toneMuted, first, ", p50 "+roughLatency(quantile(ok, 0.50)))
		}
		return text(toneMuted, first)
	}
	ok, failed := latencies(rs)
	p50, p95 := "-", "-"
	if len(ok) > 0 {
		p50, p95 = roughLatency(quantile(ok, 0.50)), roughLatency(quantile(ok, 0.95))
	}
	count := fmt.Sprintf("%d, none failed", len(rs))
	tn := toneMuted
	switch {
	case failed > 0:
		count, tn = fmt.Sprintf("%d, %d failed", len(rs), failed), toneBad
	case len(ok) == 0:
		count = fmt.Sprintf("%d, none judged", len(rs)) // no data
	}
	// One style run for name and figures: every run costs its escape
	// sequences again each time the line is rewritten.
	line := st.text.Render(name+" "+fit(p50, 6)+" "+fit(p95, 6)) + " "
	if spark > 0 {
		line += strings.Repeat(" ", max(len("per minute")-spark, 0)) + minuteSpark(st, rs, until, spark) + " "
	}
	// What failed in the minute not complete yet is said beside the
	// window's count where it fits: "none failed" alone, while every
	// probe since fails, reads as a contradiction of Open incidents.
	// "of how many" too: "9, 3 failed; 7 failed since 11:40" read as 7
	// of the 9 (live2), where 7 of 14 probes since then had failed.
	if _, now := latencies(cur); now > 0 {
		of := fmt.Sprintf("%d of %d", now, len(cur))
		if now == len(cur) && now > 1 {
			of = fmt.Sprintf("all %d", now)
		}
		// "after 09:27", the end of the window the columns count, not
		// "since 09:27", which read as when the failure began (the
		// banner's "failing since 09:26:47"), and "9, 3 failed; all 9
		// failed since" as one count contradicting another (cold walk).
		for _, more := range []string{
			fmt.Sprintf("; after %s: %s failed", clockMinute(l.b.now, until), of),
			fmt.Sprintf("; after: %s failed", of),
			fmt.Sprintf("; now %d/%d failed", now, len(cur)),
		} {
			if ansi.StringWidth(line)+len(count)+len(more) <= l.w {
				count, tn = count+more, toneBad
				break
			}
		}
	}
	return []string{line + st.tone[tn].Render(count)}
}

// latencies are the sorted latencies of rs's successful probes and the
// count of its failures.
func latencies(rs []probe.Result) (ok []time.Duration, failed int) {
	for _, r := range rs {
		switch {
		case r.Class.Failing():
			failed++
		case r.Class.Up() && r.Latency() > 0:
			ok = append(ok, r.Latency())
		}
	}
	slices.Sort(ok)
	return ok, failed
}

// notInstalled reports whether every result of rs is Claude Code's "not
// installed" (true for none).
func notInstalled(rs []probe.Result) bool {
	for _, r := range rs {
		if r.Target != probe.TargetCode || r.Class != probe.ClassUnknown || r.Detail != "not installed" {
			return false
		}
	}
	return true
}

// quantile of sorted ds by the nearest rank.
func quantile(ds []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(ds))+0.999999) - 1
	return ds[max(0, min(i, len(ds)-1))]
}

// roughLatency is latency to two significant figures ("270ms", "1.2s"),
// so that a millisecond of noise does not rewrite the line.
func roughLatency(d time.Duration) string {
	if d > 0 && d < time.Second {
		ms := d.Milliseconds()
		if ms >= 100 {
			ms = (ms + 5) / 10 * 10
		}
		return fmt.Sprintf("%dms", ms)
	}
	return latency(d)
}

// minuteSpark is one cell per minute for the w minutes before until (a
// whole minute): × when a probe in it failed, else the median latency of
// its successful probes on the shared axis, blank for a minute without
// probes.
func minuteSpark(st *styles, rs []probe.Result, until time.Time, w int) string {
	first := until.Add(-time.Duration(w) * time.Minute)
	var b strings.Builder
	runs := newToneRuns(st, &b)
	j := 0
	for c := range w {
		lo := first.Add(time.Duration(c) * time.Minute)
		hi := lo.Add(time.Minute)
		var lat []time.Duration
		fail, slow := probe.ClassUnknown, false
		for ; j < len(rs) && rs[j].Time.Before(hi); j++ {
			r := rs[j]
			if r.Time.Before(lo) {
				continue
			}
			switch {
			case r.Class.Failing():
				if fail == probe.ClassUnknown || r.Class.Severity() > fail.Severity() {
					fail = r.Class
				}
			case r.Class == probe.ClassSlow:
				slow = true
			case r.Class.Up():
				lat = append(lat, r.Latency())
			}
		}
		switch {
		case fail != probe.ClassUnknown:
			_, tn := classLook(fail)
			runs.addRune(sparkFail, tn)
		case slow:
			runs.addRune(sparkSlow, toneWarn)
		case len(lat) > 0:
			slices.Sort(lat)
			runs.addRune(sparkBlocks[latencyLevel(lat[(len(lat)-1)/2])], toneGood)
		default:
			runs.addSpace()
		}
	}
	runs.flush()
	return b.String()
}

// incidentSection is every open incident, official and ours, one line
// each with its age and source; or one line saying there is none.
func (l liveTab) incidentSection() section {
	b, st := l.b, l.st
	o := b.verdict.Official
	var items []string
	official := 0
	if o.Drives && b.status != nil {
		source := "status page"
		if o.State != probe.OfficialFresh && !o.Read.IsZero() {
			// The last good read, not a current one: its age, as the
			// banner and the Status page column give it (cold6 E5).
			source = "status page, read " + age(b.now.Sub(o.Read)) + " ago"
		}
		for _, in := range b.status.Incidents {
			if in.Final() {
				continue
			}
			sym, tn := impactLook(in.Impact)
			text := fitItem(l.w-4, probe.Line(in.Name, 80), "", " · "+probe.StatusWord(in.Status)+" · "+age(b.now.Sub(in.Start()))+" · "+source)
			items = append(items, "  "+st.tone[tn].Render(sym)+" "+text)
			official++
		}
	} else if b.status != nil && !o.Read.IsZero() {
		// The page is no current fact: what its last good read listed
		// open is said as of that read, never dropped (an open major
		// incident left the screen when the page turned to a challenge —
		// cold walk of Dec 7) and never as now.
		source := "as of the last read " + clockMinute(b.now, o.Read) + " (" + ago(b.now, o.Read) + "), status page"
		for _, in := range b.status.Incidents {
			if in.Final() {
				continue
			}
			text := fitItem(l.w-4, probe.Line(in.Name, 80), "", " · "+probe.StatusWord(in.Status)+" · "+source)
			items = append(items, "  "+st.tone[toneMuted].Render(symUnknown)+" "+text)
		}
	}
	var ours []probe.LocalIncident
	for _, li := range b.book.local {
		if li.Active() {
			ours = append(ours, li)
		}
	}
	sort.Slice(ours, func(i, j int) bool { return ours[i].FirstFailure.Before(ours[j].FirstFailure) })
	for _, li := range ours {
		sym, tn := classLook(li.Class())
		long := age(b.now.Sub(li.FirstFailure))
		if u := unprobed(li); u != "" {
			long += ", " + u + " not probed"
		}
		during := ""
		if mt, ok := maintenanceOf(b, li); ok {
			// Filed under a maintenance in progress: errors Anthropic
			// said to expect, not a red failure beside the banner's
			// Maintenance (cold walk of Dec 7).
			sym, tn = symInfo, toneInfo
			during = " · expected: maintenance in progress"
			if !mt.ScheduledUntil.IsZero() {
				during += " until " + clockMinute(b.now, mt.ScheduledUntil)
			}
		}
		text := fitItem(l.w-4, li.Title(), " · "+incidentCount(li),
			fmt.Sprintf(" · since %s (%s)%s · %s", clockMinute(b.now, li.FirstFailure), long, during, incidentSource(li)))
		items = append(items, "  "+st.tone[tn].Render(sym)+" "+text)
	}
	if len(items) == 0 {
		page := "none on the status page"
		if !o.Drives {
			page = "the status page is " + officialWord(o) + ", so its incidents are not known"
		}
		const lead = "Open incidents: "
		return section{lines: []string{st.heading.Render(lead) + st.text.Render(probe.CutWords(page+"; none from our probes", l.w-len(lead)))}}
	}
	head := st.heading.Render("Open incidents")
	lines := append([]string{head}, items...)
	drops := obsOther
	if official > 0 {
		drops = obsIncident
	}
	return section{
		lines: lines,
		drops: drops,
		more:  func(n int) []string { return summarise(st, head, items, n, "incident", "incidents") },
	}
}

// maintenanceOf is the maintenance in progress that li is filed under,
// from a status page read that is a current fact; ok is false when there
// is none.
func maintenanceOf(b *board, li probe.LocalIncident) (probe.Incident, bool) {
	if li.OfficialID == "" || !b.verdict.Official.Drives || b.status == nil {
		return probe.Incident{}, false
	}
	for _, mt := range b.status.Maintenances {
		if mt.ID == li.OfficialID && !mt.Final() && !mt.Upcoming() {
			return mt, true
		}
	}
	return probe.Incident{}, false
}

// fitItem is an item's line in w cells: its title, the part it can spare
// (" · 76 of 80 probes failed"), and the facts it keeps (" · since 13:58
// (1m) · our probes"). Too wide, it gives up the spare part, then the end
// of its title (cut at a word), never the facts that say when and whose;
// only where even those do not fit beside a short title is the whole
// cut at a word.
func fitItem(w int, title, spare, keep string) string {
	if full := title + spare + keep; ansi.StringWidth(full) <= w {
		return full
	}
	if t := title + keep; ansi.StringWidth(t) <= w {
		return t
	}
	const minTitle = 12
	if room := w - ansi.StringWidth(keep); room >= minTitle {
		return probe.CutWords(strings.TrimSuffix(title, "…"), room) + keep
	}
	return probe.CutWords(title+keep, w)
}

// summarise draws a section's heading and items in n lines (n ≥ 2): what
// fits is listed, and what does not is counted with the key that shows
// it. The count takes a line of its own only when an item is listed above
// it; with room for one item it goes on the heading's line, so a count
// never stands where an item would fit.
func summarise(st *styles, head string, items []string, n int, one, many string) []string {
	if n > len(items) {
		return append([]string{head}, items...)
	}
	if n <= 2 {
		rest := len(items) - 1
		return []string{head + st.muted.Render(fmt.Sprintf(" · %d more: press 2", rest)), items[0]}
	}
	keep := n - 2
	rest := len(items) - keep
	noun := many
	if rest == 1 {
		noun = one
	}
	return append(append([]string{head}, items[:keep]...),
		st.muted.Render(fmt.Sprintf("  … %d more %s: press 2", rest, noun)))
}

// maintenanceSection is the status page's maintenances in progress and
// scheduled, while the page is a current fact.
func (l liveTab) maintenanceSection() section {
	b, st := l.b, l.st
	if !b.verdict.Official.Drives || b.status == nil || len(b.status.Maintenances) == 0 {
		return section{}
	}
	// In progress first (what the banner may cite), then the scheduled
	// ones soonest first: when room is short, what is listed is what
	// matters now.
	var now, later []probe.Incident
	for _, mt := range b.status.Maintenances {
		switch {
		case mt.Final():
		case mt.Upcoming() && overdue(b.now, mt):
			// Still "scheduled" long after its window: the page's leftover,
			// no maintenance to watch (Incidents lists it, "never marked
			// done"; cold5 D37).
		case mt.Upcoming():
			later = append(later, mt)
		default:
			now = append(now, mt)
		}
	}
	sort.SliceStable(later, func(i, j int) bool { return later[i].ScheduledFor.Before(later[j].ScheduledFor) })
	active := len(now)
	var items []string
	for _, mt := range append(now, later...) {
		var when string
		switch {
		case mt.Upcoming():
			when = "scheduled " + maintSpan(b.now, mt.ScheduledFor, mt.ScheduledUntil) + " (" + ago(b.now, mt.ScheduledFor) + ")"
		default:
			when = probe.StatusWord(mt.Status)
			if !mt.ScheduledUntil.IsZero() {
				when += ", until " + clockMinute(b.now, mt.ScheduledUntil)
			}
		}
		// When it is matters more than the end of its name.
		text := fitItem(l.w-4, probe.Line(mt.Name, 80), "", " · "+when+" · status page")
		items = append(items, "  "+st.tone[toneInfo].Render(symInfo)+" "+text)
	}
	if len(items) == 0 {
		return section{}
	}
	head := st.heading.Render("Maintenance")
	lines := append([]string{head}, items...)
	drops := obsOther
	if active > 0 {
		drops = obsMaintenance
	}
	return section{lines: lines, drops: drops, more: func(n int) []string {
		return summarise(st, head, items, n, "maintenance", "maintenances")
	}}
}

// clockMinute is a time of day to the minute, with the date when it is
// not today: "14:02", "Sep 2 14:02".
func clockMinute(now, t time.Time) string {
	t = t.In(now.Location())
	switch n := now.In(now.Location()); {
	case n.YearDay() == t.YearDay() && n.Year() == t.Year():
		return t.Format("15:04")
	case n.Year() != t.Year() && (t.Sub(n) > 180*24*time.Hour || n.Sub(t) > 180*24*time.Hour):
		return t.Format("Jan 2 2006 15:04") // "Jun 1" alone would read as this year's
	}
	return t.Format("Jan 2 15:04")
}

// overdue reports a maintenance still listed as scheduled whose window
// has ended (or, without an end, began over a day ago).
func overdue(now time.Time, mt probe.Incident) bool {
	if !mt.ScheduledUntil.IsZero() {
		return mt.ScheduledUntil.Before(now)
	}
	return !mt.ScheduledFor.IsZero() && now.Sub(mt.ScheduledFor) > 24*time.Hour
}

// maintSpan is a maintenance window: "17:00–18:00", "Sep 4 02:00–04:00".
func maintSpan(now, from, until time.Time) string {
	s := clockMinute(now, from)
	if until.IsZero() {
		return s
	}
	loc := now.Location()
	if until.In(loc).YearDay() == from.In(loc).YearDay() {
		return s + "–" + until.In(loc).Format("15:04")
	}
	return s + "–" + clockMinute(now, until)
}
