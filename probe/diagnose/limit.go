package diagnose

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/lazyre"
)

// LimitKind names the allowance a usage-limit message says is spent.
type LimitKind string

// The kinds, as `diagnose --json` prints them (limit.kind).
const (
	LimitSession     LimitKind = "five_hour"       // the 5-hour session window
	LimitWeekly      LimitKind = "seven_day"       // the week, all models
	LimitModelWeekly LimitKind = "seven_day_model" // one model's week: "Opus weekly limit"
	LimitMonthly     LimitKind = "monthly"         // an organisation's monthly usage limit
	LimitExtra       LimitKind = "extra_usage"     // the extra usage bought on top of the plan
	LimitPlan        LimitKind = "plan"            // the message does not say which
)

// Where a reset time came from.
const (
	ResetFromAnthropic = "anthropic" // Anthropic's usage answer (--code-usage)
	ResetFromMessage   = "message"   // the message itself
	ResetFromEstimate  = "estimate"  // the transcripts' 5-hour block
)

// Limit is what a usage-limit message says: which allowance is spent
// and when it comes back.
type Limit struct {
	Kind  LimitKind
	Model string // the model of a LimitModelWeekly: "Opus"

	Reset    time.Time     // when it comes back; zero when unknown
	DateOnly bool          // the message named the day, not the hour
	In       time.Duration // "resets in 2 hours": after the message was shown, no clock time
	Zone     string        // the zone the message named ("Europe/Paris"); "" when none
	Source   string        // ResetFrom…; "" when no reset is known
	Said     string        // the reset as the message put it: "3pm (Europe/Paris)"
	Used     float64       // Anthropic's utilisation, with ResetFromAnthropic

	// Earlier is set when the message gave a 5-hour window's reset as a
	// bare clock time ("resets 3pm") whose next occurrence is more than 5
	// hours away: a 5-hour window cannot reset that far ahead, so the
	// reset it meant has passed, and Reset is the latest such time before
	// now — when it came back at the latest (cold5 D9).
	Earlier bool
	// IfSession is that latest past time for a notice that names no
	// window ("You've hit your limit · resets 3pm") when the next one is
	// more than 5 hours away: if it is the 5-hour window, it came back by
	// then; Reset stays the next one, a weekly limit's. Zero otherwise.
	IfSession time.Time

	clockOnly bool      // the reset was a clock time without a day
	before    time.Time // that clock time's latest occurrence before Reset's
}

// sessionSpan is the longest a 5-hour window waits for its reset.
const sessionSpan = 5 * time.Hour

// Name is the allowance in words: "5-hour window", "weekly Opus limit".
func (l Limit) Name() string {
	switch l.Kind {
	case LimitSession:
		return "5-hour window"
	case LimitWeekly:
		return "weekly limit"
	case LimitModelWeekly:
		return "weekly " + l.Model + " limit"
	case LimitMonthly:
		return "organisation's monthly usage limit"
	case LimitExtra:
		return "extra usage"
	}
	return "usage limit"
}

// ahead is the furthest ahead a reset of the kind can be when its notice
// is shown: a week's within 7 days, a month's (and a notice that names
// no window) within 31, with a day's grace for a date read in another
// zone. A date further ahead than that is not this notice's next reset.
func (k LimitKind) ahead() time.Duration {
	switch k {
	case LimitWeekly, LimitModelWeekly:
		return 8 * 24 * time.Hour
	}
	return 32 * 24 * time.Hour
}

// usageName is the limit of Anthropic's usage answer for a kind.
func (k LimitKind) usageName() string {
	switch k {
	case LimitSession:
		return "five_hour"
	case LimitWeekly:
		return "seven_day"
	}
	return ""
}

var (
	reLimitModel = lazyre.New(`(?i)\b(opus|sonnet|haiku|fable)\s+(?:weekly|week's|7-day)\s+(?:usage\s+)?limit`)
	// reResetAt is where the reset follows: "resets 3pm", "will reset at
	// 1pm", "Limits will reset at 9:30 AM", "resets in 2 hours", and
	// claude.ai's "You are out of free messages until 5 PM" ("until" not
	// followed by a time reads as none).
	reResetAt = lazyre.New(`(?i)\b(?:reset(?:s)?(?:\s+at)?|until)\s+([^\n]{1,60})`)
	// reResetUnix is the older "usage limit reached|1754568000".
	reResetUnix = lazyre.New(`\|(\d{10})\b`)
	reResetIn   = lazyre.New(`(?i)^in\s+(\d+)\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?)\b(?:\s*(\d+)\s*(h|hrs?|hours?|m|mins?|minutes?)\b)?`)
	// reResetDate: "May 5 at 9pm (America/New_York)", "Jul 31, 2am (UTC)",
	// "Oct 24", "Sep 15 at 7pm", "Mon 11:00 PM".
	reResetDate = lazyre.New(`(?i)^(?:(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})\b(?:,?\s*(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?` + reZoneTail)
	reResetDay  = lazyre.New(`(?i)^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?` + reZoneTail)
	reResetTime = lazyre.New(`(?i)^(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?` + reZoneTail)
)

// reZoneTail is the zone Claude Code puts after the time: "(Europe/Paris)".
const reZoneTail = `(?:\s*\(([A-Za-z_+\-/0-9]+)\))?`

// ReadLimit reads a usage-limit diagnosis: which allowance is spent and
// when it comes back — from Anthropic's usage answer when --code-usage
// has one for that allowance, else from the message, else (for the
// 5-hour window, an estimate said so) from the transcripts' block. loc is
// the reader's zone: a clock time the message gives without a zone is
// read in it. false when d is no usage limit.
func ReadLimit(d Diagnosis, l *probe.LocalReport, r *probe.SessionsReport, now time.Time, loc *time.Location) (Limit, bool) {
	if d.Entry == nil || d.Entry.ID != catalogue.EntryUsageLimit {
		return Limit{}, false
	}
	lim := Limit{Kind: limitKind(d.text())}
	if m := reLimitModel.FindStringSubmatch(d.text()); m != nil {
		lim.Kind, lim.Model = LimitModelWeekly, strings.ToUpper(m[1][:1])+strings.ToLower(m[1][1:])
	}
	var u *probe.CodeUsage
	if l != nil && l.CodeUsage != nil && !l.CodeUsage.Rejected && l.CodeUsage.Unavailable == "" {
		u = l.CodeUsage
	}
	if lim.Kind == LimitPlan {
		// "You've hit your limit" names none: Anthropic's answer says which
		// window is full.
		for _, k := range []LimitKind{LimitSession, LimitWeekly} {
			if c, ok := u.Limit(k.usageName()); ok && c.Utilization >= 100 {
				lim.Kind = k
				break
			}
		}
	}
	readResetText(&lim, d.text(), now, loc)
	if c, ok := u.Limit(lim.Kind.usageName()); ok && !c.ResetsAt.IsZero() {
		lim.Reset, lim.DateOnly, lim.In, lim.Source, lim.Used = c.ResetsAt, false, 0, ResetFromAnthropic, c.Utilization
	}
	if lim.Source == ResetFromMessage && lim.clockOnly && lim.Reset.Sub(now) > sessionSpan {
		// The message was shown within 5 hours before the time it names:
		// the next such time is too far to be the one it meant.
		switch lim.Kind {
		case LimitSession:
			lim.Reset, lim.Earlier = lim.before, true
		case LimitPlan:
			lim.IfSession = lim.before
		}
	}
	if lim.Source == "" && (lim.Kind == LimitSession || lim.Kind == LimitPlan) && r != nil && r.Window.Current != nil {
		lim.Reset, lim.Source = r.Window.Current.End, ResetFromEstimate
	}
	return lim, true
}

// limitKind is the allowance the message names.
func limitKind(text string) LimitKind {
	t := strings.ToLower(text)
	switch {
	case strings.Contains(t, "extra usage"):
		return LimitExtra
	case strings.Contains(t, "monthly"):
		return LimitMonthly
	case strings.Contains(t, "weekly") || strings.Contains(t, "week's limit"):
		return LimitWeekly
	case strings.Contains(t, "session limit") || strings.Contains(t, "5-hour") || strings.Contains(t, "5 hour") || strings.Contains(t, "five-hour"):
		return LimitSession
	}
	return LimitPlan
}

// readResetText fills lim's reset from what the message says.
func readResetText(lim *Limit, text string, now time.Time, loc *time.Location) {
	if m := reResetUnix.FindStringSubmatch(text); m != nil {
		if n, err := strconv.ParseInt(m[1], 10, 64); err == nil {
			lim.Reset, lim.Source, lim.Said = time.Unix(n, 0), ResetFromMessage, m[1]+" (Unix seconds)"
			return
		}
	}
	// The last reset said that can be read: a scroll-back ends with the
	// notice, and may say "reset" before it ("git reset --hard").
	ms := reResetAt.FindAllStringSubmatch(text, -1)
	for i := len(ms) - 1; i >= 0; i-- {
		try := *lim
		readResetTail(&try, strings.TrimSpace(ms[i][1]), now, loc)
		if try.Source != "" {
			*lim = try
			return
		}
	}
}

// readResetTail fills lim's reset from the words after "resets".
func readResetTail(lim *Limit, tail string, now time.Time, loc *time.Location) {
	if in := reResetIn.FindStringSubmatch(tail); in != nil {
		lim.In = unitDur(in[1], in[2]) + unitDur(in[3], in[4])
		lim.Source, lim.Said = ResetFromMessage, strings.TrimSpace(in[0])
		return
	}
	var day func(n time.Time, z *time.Location) (time.Time, bool)
	var said, h, mins, ampm, zone string
	hour, minute := 0, 0 // the clock time read, before day is asked
	roll := 0            // days to add when the time read is already past
	switch {
	case reResetDate.MatchString(tail):
		g := reResetDate.FindStringSubmatch(tail)
		said, h, mins, ampm, zone = g[0], g[4], g[5], g[6], g[7]
		mon := monthOf(g[2])
		dom, _ := strconv.Atoi(g[3])
		lim.DateOnly = h == ""
		ahead := lim.Kind.ahead()
		day = func(n time.Time, z *time.Location) (time.Time, bool) {
			// The message names no year, and a reset is never further
			// ahead than its allowance spans: the date is the next one
			// when that is near enough ("Jan 3" read in December is next
			// year's), else the last one before now — an old notice
			// ("May 5" read in December is May's, months past, never a
			// reset five months ahead).
			var next, last time.Time
			for _, y := range []int{n.Year() - 1, n.Year(), n.Year() + 1} {
				t := time.Date(y, mon, dom, hour, minute, 0, 0, z)
				if t.Month() != mon {
					return time.Time{}, false // "Feb 30"
				}
				end := t
				if lim.DateOnly {
					end = t.AddDate(0, 0, 1)
				}
				switch {
				case end.After(n) && next.IsZero():
					next = t
				case !end.After(n):
					last = t
				}
			}
			if !next.IsZero() && (next.Sub(n) <= ahead || last.IsZero()) {
				return next, true
			}
			return last, true
		}
	case reResetDay.MatchString(tail):
		g := reResetDay.FindStringSubmatch(tail)
		said, h, mins, ampm, zone = g[0], g[2], g[3], g[4], g[5]
		wd := weekdayOf(g[1])
		roll = 7
		day = func(n time.Time, z *time.Location) (time.Time, bool) {
			t := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, z)
			for t.Weekday() != wd {
				t = t.AddDate(0, 0, 1)
			}
			return t, true
		}
	case reResetTime.MatchString(tail):
		g := reResetTime.FindStringSubmatch(tail)
		said, h, mins, ampm, zone = g[0], g[1], g[2], g[3], g[4]
		if mins == "" && ampm == "" {
			return // "resets 3": no clock time we can be sure of
		}
		roll = 1
		lim.clockOnly = true
		day = func(n time.Time, z *time.Location) (time.Time, bool) {
			return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, z), true
		}
	default:
		return
	}
	lim.Said, lim.Zone = strings.TrimRight(strings.TrimSpace(said), "."), zone
	z := loc
	if zone != "" {
		l, err := time.LoadLocation(zone)
		if err != nil {
			return // a zone this machine does not know: no guess
		}
		z = l
	}
	if h != "" {
		var ok bool
		if hour, minute, ok = clock(h, mins, ampm); !ok {
			return
		}
	}
	n := now.In(z)
	t, ok := day(n, z)
	if !ok {
		return
	}
	t = time.Date(t.Year(), t.Month(), t.Day(), hour, minute, 0, 0, z)
	if roll > 0 && t.Before(n.Add(-time.Minute)) {
		// A clock time already past today is tomorrow's; a weekday's is
		// next week's.
		t = t.AddDate(0, 0, roll)
	}
	lim.Reset, lim.Source = t, ResetFromMessage
	if lim.clockOnly {
		// The same wall-clock time a day before (AddDate keeps it across
		// a change of summer time): before now, since t is under a day ahead.
		lim.before = t.AddDate(0, 0, -1)
	}
}

// clock is "9:30", "pm" as 21, 30.
func clock(h, m, ampm string) (int, int, bool) {
	hour, _ := strconv.Atoi(h)
	minute := 0
	if m != "" {
		minute, _ = strconv.Atoi(m)
	}
	switch strings.ToLower(strings.ReplaceAll(ampm, ".", "")) {
	case "am":
		if hour == 12 {
			hour = 0
		}
	case "pm":
		if hour != 12 {
			hour += 12
		}
	}
	return hour, minute, hour <= 23 && minute <= 59
}

func unitDur(n, unit string) time.Duration {
	if n == "" {
		return 0
	}
	v, _ := strconv.Atoi(n)
	switch u := strings.ToLower(unit); {
	case strings.HasPrefix(u, "d"):
		return time.Duration(v) * 24 * time.Hour
	case strings.HasPrefix(u, "h"):
		return time.Duration(v) * time.Hour
	}
	return time.Duration(v) * time.Minute
}

func monthOf(s string) time.Month {
	i := strings.Index("janfebmaraprmayjunjulaugsepoctnovdec", strings.ToLower(s[:3]))
	return time.Month(i/3 + 1)
}

func weekdayOf(s string) time.Weekday {
	i := strings.Index("sunmontuewedthufrisat", strings.ToLower(s[:3]))
	return time.Weekday(i / 3)
}

// ZoneName is the zone of t in words: "CET (Europe/Paris)", "UTC", "PST".
func ZoneName(t time.Time, loc *time.Location) string {
	abbr := t.In(loc).Format("MST")
	if name := loc.String(); name != "Local" && name != abbr && name != "" {
		return abbr + " (" + name + ")"
	}
	return abbr
}

// LimitSays turns a usage-limit error into what it means now, in three
// sentences: which allowance of the plan is spent (not an outage) and
// what the API itself does; when it comes back, in the reader's zone with
// the zone named, and where that time comes from; what to do meanwhile.
// The reset comes from Anthropic's usage answer when there is one, else
// from the message itself, else (an estimate, said so) from the
// transcripts' 5-hour block. It says nothing for other errors.
func LimitSays(d Diagnosis, l *probe.LocalReport, r *probe.SessionsReport, recent map[probe.Target][]probe.Result, now time.Time, staleAfter time.Duration, loc *time.Location) []string {
	lim, ok := ReadLimit(d, l, r, now, loc)
	if !ok {
		return nil
	}
	what := "your plan's " + lim.Name() + " is used up: a limit of your Claude subscription, not an outage"
	switch lim.Kind {
	case LimitExtra:
		what = "your plan's extra usage is spent: a spending limit of your Claude subscription, not an outage"
	case LimitMonthly:
		what = "your " + lim.Name() + " is used up: a limit of your Claude plan, not an outage"
	}
	api, fresh := latestAPI(recent, now, staleAfter, func(r probe.Result) bool { return r.Class.Failing() })
	switch {
	case !fresh:
		what += "; our API probes have no fresh answer yet"
	case api.Class.Up():
		what += "; the API itself is fine"
	default:
		what += "; separately, the API itself from here: " + classPhrase(api.Class)
	}
	// Whose word it is: the notice's, unless Anthropic's usage answer
	// (read now, --code-usage) gave the reset — never a bare present
	// fact, and of a notice whose reset has passed, in the past tense.
	if lim.Source != ResetFromAnthropic {
		what = "the notice says " + what
	}
	if lim.Lifted(now) {
		what = strings.Replace(what, "the notice says ", "this notice said ", 1)
		what = strings.Replace(what, " is used up:", " was used up:", 1)
		what = strings.Replace(what, " is spent:", " was spent:", 1)
		if lim.Old(now) {
			return []string{what, lim.resetSays(now, loc), "what to do: try again; a notice Claude Code shows now names its own reset — paste that one, and /usage there shows each window and when it resets"}
		}
		return []string{what, lim.resetSays(now, loc), "what to do: the reset it names has passed, so the limit has likely lifted — try again; if Claude Code still refuses, /usage there shows the window it counts now and its reset"}
	}
	if !lim.IfSession.IsZero() {
		return []string{what, lim.resetSays(now, loc), "what to do: try again first — a 5-hour window has likely lifted already; if Claude Code still refuses, /usage there shows which limit it counts and its reset; meanwhile " + lim.todo()}
	}
	return []string{what, lim.resetSays(now, loc), "what to do: " + lim.todo()}
}

// Lifted reports whether the reset read is already past: the notice is
// older than its limit.
func (l Limit) Lifted(now time.Time) bool {
	switch {
	case l.Reset.IsZero():
		return false
	case l.DateOnly:
		return !l.Reset.AddDate(0, 0, 1).After(now)
	}
	return !l.Reset.After(now)
}

// oldAfter is how long after its reset a notice is an old one: longer
// than any allowance waits (a month's), so it is not the limit now.
const oldAfter = 31 * 24 * time.Hour

// Old reports whether the reset read passed over a month ago: the notice
// is an old one (pasted long after, or from an old report), and its limit
// has likely lifted long since (cold9 E3: "resets May 5" read in December).
func (l Limit) Old(now time.Time) bool {
	end := l.Reset
	if l.DateOnly {
		end = end.AddDate(0, 0, 1)
	}
	return !l.Reset.IsZero() && l.Source == ResetFromMessage && now.Sub(end) > oldAfter
}

// Months is a long span in whole months: "7 months", "a year".
func Months(d time.Duration) string {
	m := int(d.Hours()/24/30.44 + 0.5)
	switch {
	case m >= 12:
		return "a year"
	case m <= 1:
		return "a month"
	}
	return strconv.Itoa(m) + " months"
}

// resetSays is when the allowance comes back, in loc with the zone named.
func (l Limit) resetSays(now time.Time, loc *time.Location) string {
	if l.Old(now) {
		t := l.Reset.In(loc)
		when := t.Format("Mon 2 Jan 2006 15:04") + " " + ZoneName(l.Reset, loc)
		if l.DateOnly {
			when = t.Format("Mon 2 Jan 2006")
		}
		return fmt.Sprintf("this notice names %s, %s ago (%s): an old notice — its limit has likely lifted long since; if you see it now, paste the current one",
			probe.Quote(l.Said), Months(now.Sub(l.Reset)), when)
	}
	from := ""
	switch l.Source {
	case ResetFromAnthropic:
		from = fmt.Sprintf(" (Anthropic's usage answer: %.0f%% used)", l.Used)
	case ResetFromEstimate:
		from = " (estimated from your transcripts' 5-hour block: the message names no time)"
	case ResetFromMessage:
		switch {
		case l.Zone == "" && l.In == 0 && !strings.HasSuffix(l.Said, "(Unix seconds)"):
			from = fmt.Sprintf(" (the message says %s and names no zone: read in yours)", probe.Quote(l.Said))
		default:
			from = fmt.Sprintf(" (the message says %s)", probe.Quote(l.Said))
		}
	default:
		return "it resets at a time the message does not name: /usage in Claude Code shows it"
	}
	if l.In > 0 && l.Reset.IsZero() {
		return fmt.Sprintf("it resets %s after Claude Code showed the message, which names no clock time%s", Countdown(l.In), from)
	}
	t := l.Reset.In(loc)
	zone := ZoneName(l.Reset, loc)
	if l.DateOnly {
		day := t.Format("Mon 2 Jan")
		if t.Year() != now.In(loc).Year() {
			day = t.Format("Mon 2 Jan 2006")
		}
		if end := l.Reset.AddDate(0, 0, 1); !end.After(now) {
			return fmt.Sprintf("its reset was on %s, %s ago (the message says %s, a day without an hour)", day, Countdown(now.Sub(end)), probe.Quote(l.Said))
		}
		return fmt.Sprintf("it resets on %s (the message says %s, a day without an hour)", day, probe.Quote(l.Said))
	}
	when := t.Format("15:04")
	switch d := l.Reset.Sub(now); {
	case d >= 20*time.Hour || d <= -20*time.Hour:
		when = t.Format("Mon 2 Jan 15:04")
		if t.Year() != now.In(loc).Year() {
			when = t.Format("Mon 2 Jan 2006 15:04")
		}
	}
	if l.Earlier {
		next := l.Reset.AddDate(0, 0, 1)
		return fmt.Sprintf("its reset has likely passed: the message says %q, and the next %s is %s away, further than a 5-hour window reaches, so it meant an earlier one — the last was %s %s, %s ago",
			l.Said, next.In(loc).Format("15:04"), Countdown(next.Sub(now)), when, zone, Countdown(now.Sub(l.Reset)))
	}
	if !l.Reset.After(now) {
		return fmt.Sprintf("its reset was at %s %s, %s ago%s", when, zone, Countdown(now.Sub(l.Reset)), from)
	}
	s := fmt.Sprintf("it resets at %s %s, in %s%s", when, zone, Countdown(l.Reset.Sub(now)), from)
	if !l.IfSession.IsZero() {
		s += fmt.Sprintf(" — if this is the weekly limit; if it is the 5-hour window, that cannot reset %s ahead, so it meant an earlier %s and has likely lifted already (the last was %s ago)",
			Countdown(l.Reset.Sub(now)), l.IfSession.In(loc).Format("15:04"), Countdown(now.Sub(l.IfSession)))
	}
	return s
}

// todo is what to do meanwhile, for the allowance that is spent.
func (l Limit) todo() string {
	now := "to go on before it, turn on extra usage for your plan, /upgrade it, or /login with an API account billed per token"
	switch l.Kind {
	case LimitModelWeekly:
		return "/model to another model goes on now (the " + l.Model + " limit leaves the others); " + l.Model + " comes back at the reset"
	case LimitMonthly:
		return "whoever manages your organisation's Claude billing can raise its monthly limit; otherwise wait for the reset"
	case LimitExtra:
		return "add funds or raise the extra-usage spend limit (claude.ai → Settings → Usage), or wait for the reset"
	}
	return "wait for the reset; " + now
}
