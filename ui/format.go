package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// The symbols below are single-cell in every common terminal font, so that
// column arithmetic with ansi.StringWidth holds.
const (
	symOK      = "✔"
	symWarn    = "▲"
	symBad     = "✖"
	symLocal   = "◆"
	symInfo    = "◇"
	symMixed   = "◐"
	symUnknown = "?"
	symNone    = "·"
	sparkFail  = '×'
	sparkGap   = '·'
)

var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

func verdictLook(k probe.VerdictKind) (string, tone) {
	switch k {
	case probe.VerdictOperational:
		return symOK, toneGood
	case probe.VerdictDegraded:
		return symWarn, toneWarn
	case probe.VerdictMaintenance:
		return symInfo, toneInfo
	case probe.VerdictConflicting:
		return symMixed, toneWarn
	case probe.VerdictLocalQuota, probe.VerdictLocalCredential, probe.VerdictLocalNetwork, probe.VerdictLocalConfig:
		return symLocal, toneLocal
	case probe.VerdictUnacknowledged, probe.VerdictOutage, probe.VerdictFailing:
		return symBad, toneBad
	case probe.VerdictUnreachable:
		return symWarn, toneWarn
	}
	return symUnknown, toneMuted
}

func classLook(c probe.Class) (string, tone) {
	switch {
	case c == probe.ClassOK:
		return symOK, toneGood
	case c == probe.ClassSlow:
		return symWarn, toneWarn
	case c.UserSide():
		return symLocal, toneLocal
	case c == probe.ClassNetwork:
		return symBad, toneLocal
	case c.Failing():
		return symBad, toneBad
	}
	return symUnknown, toneMuted
}

// classWord is the class for people: "rate limited", not "rate_limited".
func classWord(c probe.Class) string {
	switch c {
	case probe.ClassRateLimited:
		return "rate limited"
	case probe.ClassServer:
		return "server error"
	case probe.ClassAuth:
		return "auth rejected"
	}
	return c.String()
}

// componentLook is an official component status's short word
// (probe.ComponentStatus.Short) with a symbol and a tone; unknown values
// say so rather than guess.
func componentLook(status probe.ComponentStatus) (string, string, tone) {
	sym, tn := symUnknown, toneMuted
	switch status {
	case probe.ComponentOperational:
		sym, tn = symOK, toneGood
	case probe.ComponentDegraded:
		sym, tn = symWarn, toneWarn
	case probe.ComponentPartialOutage, probe.ComponentMajorOutage:
		sym, tn = symBad, toneBad
	case probe.ComponentMaintenance:
		sym, tn = symInfo, toneInfo
	}
	return status.Short(), sym, tn
}

func impactLook(impact string) (string, tone) {
	switch impact {
	case "critical", "major":
		return symBad, toneBad
	case "minor":
		return symWarn, toneWarn
	case "maintenance":
		return symInfo, toneInfo
	}
	return symNone, toneMuted
}

// The ui's lengths of time are styles of one formatter, probe.Span, with
// one rounding: every style truncates, so a length still growing never
// reads more than it has been and two styles of one length never name
// different minutes. A negative length (a clock that stepped back) reads
// as none. The styles: age ("<1m", "3m", "5h", "2d") for what grows
// while the screen is idle; short ("40s", "3m") where seconds count;
// span ("42m", "1h 35m", "3d 4h") for how long something lasted; ago
// ("3m ago", "in 24h") for a moment; wait ("1m 30s") for a wait to sit
// out. Sentences use probe.Words ("7 min"),
// which names the same minute.

// Caps on text quoted inside a line, in characters (probe.Line cuts the
// rest with "…").
const (
	phraseMax  = 40  // a word or phrase: an error type, a search, a check's detail
	messageMax = 200 // an error message, quoted whole in a detail
)

// daysFrom is where the compact styles count days: "47h", then "2d" —
// one unit of days from one day on would drop up to 23 hours.
const daysFrom = 48 * time.Hour

// ago is how long ago t was, for text that stays on screen: "<1m ago",
// "3m ago", "2h ago", "never"; a time still to come (a scheduled
// maintenance, a clock running ahead) is "in 24h", never a past. See age.
func ago(now, t time.Time) string {
	switch {
	case t.IsZero():
		return "never"
	case t.After(now):
		return "in " + age(t.Sub(now))
	}
	return age(now.Sub(t)) + " ago"
}

// age is a length of time that grows while the screen is idle (how old a
// probe is, how long an incident has run): "<1m", "3m", "5h", "2d". It
// never counts seconds, so an idle screen changes at most once a minute.
// Bubble Tea rewrites every changed line whole, and a probe row is a few
// hundred bytes: a per-second "12s" there cost ~60 KB a minute on the wire
// (an ssh viewer's link) where the smallest Bubble Tea clock writes 1.3 KB.
func age(d time.Duration) string {
	return probe.Span{Compact: true, Units: 1, Least: time.Minute, Under: "<1m", DaysFrom: daysFrom}.Format(d)
}

// short is "0s", "40s", "3m", "5h", "2d": one unit, truncated.
func short(d time.Duration) string {
	return probe.Span{Compact: true, Units: 1, Least: time.Second, DaysFrom: daysFrom}.Format(d)
}

// span is a length of time to the minute in two units: "42m", "1h 35m",
// "3d 4h"; under a minute, its seconds ("40s").
func span(d time.Duration) string {
	if d < time.Minute {
		return short(d)
	}
	return probe.Span{Compact: true, Least: time.Minute, DaysFrom: daysFrom}.Format(d)
}

// wait is a wait the user is asked to sit out (a Retry-After), to the
// second in two units: "30s", "1m 30s"; "<1s" for less than a second,
// never "0s", which would say there is none.
func wait(d time.Duration) string {
	return probe.Span{Compact: true, Least: time.Second, Under: "<1s"}.Format(d)
}

// latency is compact for tables: "140ms", "2.4s".
func latency(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// clock formats a time of day in the viewer's zone, with the date when it
// is not today.
// The viewer's zone is now's: the model's clock carries it (Options.Location).
func clock(now, t time.Time) string {
	t = t.In(now.Location())
	if n := now; n.YearDay() == t.YearDay() && n.Year() == t.Year() {
		return t.Format("15:04:05")
	}
	return t.Format("Jan 2 2006 15:04")
}

// newInput is a one-line text input in the tabs' look (a search, the
// pasted error), taking at most limit characters. Its cursor is static:
// a blinking one would need blink messages through the root, which
// drops them.
func newInput(st *styles, prompt, placeholder string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.PromptStyle = st.heading
	in.TextStyle = st.text
	in.PlaceholderStyle = st.muted
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}

// fit cuts s to w cells with "…" and pads it with spaces to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if n := w - ansi.StringWidth(s); n > 0 {
		s += strings.Repeat(" ", n)
	}
	return s
}

// clamp makes a block exactly fit a w×h box at most: every line cut to w
// cells, at most h lines. It is the last guard behind every view.
func clamp(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

// wrapBreaks are where a run without blanks wider than the line — a
// pasted JSON body, a URL — may break, so it wraps after its punctuation
// rather than in the middle of a word. Only such runs break there: "run
// /login" keeps its slash. A colon is not one, or a clock time would break.
const wrapBreaks = ",;/?&={["

// wrap word-wraps plain text to w cells: at blanks first, then a run
// still wider than w at its hyphens and punctuation, then anywhere. A
// hyphen is no break while blanks will do: "sk-ant-oat01-…" or
// "--code-usage" split over two lines reads as two words.
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	// ansi.Wordwrap always breaks after a hyphen; hide them from it as
	// non-breaking ones, and put them back.
	const nb = "\u2011"
	hide := !strings.Contains(s, nb)
	in := s
	if hide {
		in = strings.ReplaceAll(s, "-", nb)
	}
	var out []string
	for _, l := range strings.Split(ansi.Wordwrap(in, w, ""), "\n") {
		if hide {
			l = strings.ReplaceAll(l, nb, "-")
		}
		if ansi.StringWidth(l) <= w {
			out = append(out, l)
			continue
		}
		out = append(out, strings.Split(ansi.Wrap(l, w, wrapBreaks), "\n")...)
	}
	return out
}

// sparkline draws the newest w results of rs, right-aligned, one cell each:
// a block scaled to the slowest successful probe shown, × for a failure,
// · for no judgement.
func sparkline(st *styles, rs []probe.Result, w int) string {
	if w <= 0 {
		return ""
	}
	if len(rs) > w {
		rs = rs[len(rs)-w:]
	}
	var maxLat time.Duration
	for _, r := range rs {
		if r.Class.Up() && r.Latency() > maxLat {
			maxLat = r.Latency()
		}
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", w-len(rs)))
	runs := newToneRuns(st, &b)
	for _, r := range rs {
		runs.addRune(sparkCell(r, maxLat))
	}
	runs.flush()
	return b.String()
}

// toneRuns writes cells so that consecutive cells of one tone share one
// pair of escape sequences: a wide row is then a handful of them, not one
// per cell. The cells are single-line text, so a run is drawn as the
// tone's Render would draw it (styles.paint) without calling it. Call
// flush after the last cell.
type toneRuns struct {
	st  *styles
	out *strings.Builder
	run strings.Builder
	cur *paint // of the run being gathered; nil before the first cell
}

func newToneRuns(st *styles, out *strings.Builder) *toneRuns {
	return &toneRuns{st: st, out: out}
}

func (r *toneRuns) add(s string, tn tone) { r.addPaint(s, &r.st.paint[tn]) }

func (r *toneRuns) addRune(c rune, tn tone) {
	r.switchTo(&r.st.paint[tn])
	r.run.WriteRune(c)
}

// addPaint adds a cell drawn in a style other than a tone's (p is one of
// styles' paints).
func (r *toneRuns) addPaint(s string, p *paint) {
	r.switchTo(p)
	r.run.WriteString(s)
}

// addSpace adds a blank cell to the run being gathered, whatever its
// tone: a space shows no colour, and switching tones for it would cost
// two escape sequences on every rewrite of the line.
func (r *toneRuns) addSpace() {
	if r.cur == nil {
		r.out.WriteByte(' ')
		return
	}
	r.run.WriteByte(' ')
}

func (r *toneRuns) switchTo(p *paint) {
	if p != r.cur {
		r.flush()
		r.cur = p
	}
}

func (r *toneRuns) flush() {
	if r.run.Len() > 0 {
		r.out.WriteString(r.cur.pre)
		r.out.WriteString(r.run.String())
		r.out.WriteString(r.cur.post)
		r.run.Reset()
	}
}

func sparkCell(r probe.Result, maxLat time.Duration) (rune, tone) {
	switch {
	case r.Class.Failing():
		_, t := classLook(r.Class)
		return sparkFail, t
	case !r.Class.Up():
		return sparkGap, toneMuted
	}
	i := 0
	if maxLat > 0 {
		i = int(int64(r.Latency()) * int64(len(sparkBlocks)-1) / int64(maxLat))
	}
	i = max(0, min(i, len(sparkBlocks)-1))
	if r.Class == probe.ClassSlow {
		return sparkBlocks[i], toneWarn
	}
	return sparkBlocks[i], toneGood
}
