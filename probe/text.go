package probe

import (
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// The small text helpers every room that writes sentences shares, so a
// count, a quoted message, an HTTP status and a duration read the same in
// the dashboard, `check`, `diagnose` and the report.

// Plural is "s" unless n is 1: fmt.Sprintf("%d check%s", n, Plural(n)).
func Plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Quote is s between quotation marks, as a person quotes it: "OAuth
// token has expired." — never a Go or JSON literal, whose \" and \n read
// as part of the message on screen. s is sanitised first (control
// characters and escape sequences removed, blanks folded to one line),
// so nothing from the network reaches the terminal raw; the quotation
// marks still show where it starts and ends ("" for nothing).
func Quote(s string) string {
	return `"` + Sanitize(s, false) + `"`
}

// StatusText is "503 Service Unavailable" or "529" for codes Go has no text
// for.
func StatusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	if code == 529 {
		return "529 Overloaded"
	}
	return fmt.Sprint(code)
}

// Span is how a length of time is written for people: the one duration
// formatter every room uses, its precision chosen per use. (Latencies
// with decimals, and config's parseable "1h30m", are other things.)
type Span struct {
	// Compact writes "3h 5m", "40s", "2d"; else "3 h 5 min", "40 s", "2 d".
	Compact bool
	// Units is how many units at most, largest first: 1 is "3 h", 2 is
	// "3 h 5 min". A zero trailing unit is left out ("2 h", not "2 h 0
	// min") unless Pad.
	Units int
	// Least is the smallest unit shown, time.Second or time.Minute;
	// anything shorter is Under.
	Least time.Duration
	// Under is what a length shorter than Least reads ("under a minute",
	// "<1m"); "" writes it as 0 of Least ("0 s").
	Under string
	// DaysFrom is the length from which days and hours are written
	// instead of hours and minutes; 0 never writes days.
	DaysFrom time.Duration
	// Pad always writes the second unit after hours, in two digits:
	// "1h 05m", "2h 00m" (a countdown that should not change width).
	Pad bool
}

// Format writes d in s's style; a negative d is written as none.
func (s Span) Format(d time.Duration) string {
	d = max(d, 0)
	least := cmp.Or(s.Least, time.Minute)
	// Every style truncates to Least: a length still growing never reads
	// more than it has been, and a sentence ("7 min ago") and a table
	// ("7m ago") name the same minute of the same age.
	d = d.Truncate(least)
	if d < least && s.Under != "" {
		return s.Under
	}
	type part struct {
		n    int64
		unit time.Duration
	}
	var parts []part
	switch {
	case s.DaysFrom > 0 && d >= s.DaysFrom:
		parts = []part{{int64(d / (24 * time.Hour)), 24 * time.Hour}, {int64(d % (24 * time.Hour) / time.Hour), time.Hour}}
	case d >= time.Hour:
		parts = []part{{int64(d / time.Hour), time.Hour}, {int64(d % time.Hour / time.Minute), time.Minute}}
	case d >= time.Minute || least >= time.Minute:
		parts = []part{{int64(d / time.Minute), time.Minute}, {int64(d % time.Minute / time.Second), time.Second}}
	default:
		parts = []part{{int64(d / time.Second), time.Second}}
	}
	units := cmp.Or(s.Units, 2)
	var out []string
	for i, p := range parts {
		if i >= units || p.unit < least {
			break
		}
		pad := s.Pad && i > 0 && parts[0].unit == time.Hour
		if i > 0 && p.n == 0 && !pad {
			break
		}
		out = append(out, s.unit(p.n, p.unit, pad))
	}
	return strings.Join(out, " ")
}

// spanUnits are each unit's compact and spaced names.
var spanUnits = map[time.Duration][2]string{
	time.Second: {"s", "s"}, time.Minute: {"m", "min"}, time.Hour: {"h", "h"}, 24 * time.Hour: {"d", "d"},
}

func (s Span) unit(n int64, unit time.Duration, pad bool) string {
	num := strconv.FormatInt(n, 10)
	if pad && n < 10 {
		num = "0" + num
	}
	if s.Compact {
		return num + spanUnits[unit][0]
	}
	return num + " " + spanUnits[unit][1]
}

// Words is a duration for a sentence, truncated to the minute like ui's
// age: "under a minute", "7 min", "1 h 5 min", "2 d 3 h".
func Words(d time.Duration) string {
	// Two units from a day on ("1 d 2 h"), where the screen's one-unit
	// age waits for two days ("26h"): one unit of days would drop up to 23
	// hours, a sentence has room for the second.
	return Span{Units: 2, Least: time.Minute, Under: "under a minute", DaysFrom: 24 * time.Hour}.Format(d)
}

// StatusWord is a Statuspage status for people, underscores as spaces:
// "in_progress" → "in progress". Incident and update statuses are shown
// through it; component statuses have their own words (ComponentStatus).
func StatusWord(s string) string {
	return strings.ReplaceAll(Line(s, 20), "_", " ")
}

// OfTheLast counts n of the last of things in natural English, as the
// subject of a sentence: "4 of the last 12 API probes", "the last 12 API
// probes" (every one of them), "the only API probe so far" (of is 1),
// "none of the last 12 API probes", "no API probe so far" (the only one
// did not). one and many are the noun's singular
// and plural — "12 of the last 12" and "1 of the last 1" read as a
// machine's, not a person's.
func OfTheLast(n, of int, one, many string) string {
	switch {
	case of == 1 && n == 1:
		return "the only " + one + " so far"
	case of == 1:
		return "no " + one + " so far"
	case n == of:
		return fmt.Sprintf("the last %d %s", of, many)
	case n == 0:
		return fmt.Sprintf("none of the last %d %s", of, many)
	}
	return fmt.Sprintf("%d of the last %d %s", n, of, many)
}

// OfAll is OfTheLast for a closed set, an incident's probes: "3 of 4
// probes", "all 22 probes", "its one probe".
func OfAll(n, of int, one, many string) string {
	switch {
	case of == 1 && n == 1:
		return "its one " + one
	case n == of:
		return fmt.Sprintf("all %d %s", of, many)
	}
	return fmt.Sprintf("%d of %d %s", n, of, many)
}

// AndList is "a", "a and b", "a, b and c".
func AndList(names []string) string {
	if n := len(names); n > 1 {
		return strings.Join(names[:n-1], ", ") + " and " + names[n-1]
	}
	return strings.Join(names, "")
}

// Capital is s with its first letter upper case, for a count that starts
// a sentence.
func Capital(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+utf8.RuneLen(r):]
	}
	return s
}

// CutWords shortens plain text to w cells at a word boundary, ending in
// "…", so that a line cut to fit a screen is not cut mid-word (a word
// longer than w is cut where it must be). Sanitise first (Line): it
// measures s as it is.
func CutWords(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	cut := ansi.Truncate(s, w-1, "")
	// Cut at the last space unless the cut already ends a word.
	if !strings.HasPrefix(s[len(cut):], " ") {
		if i := strings.LastIndexByte(cut, ' '); i > 0 {
			cut = cut[:i]
		}
	}
	return strings.TrimRight(cut, " ·,;:—") + "…"
}
