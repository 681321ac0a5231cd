package probe

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
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

// Quote is s as a JSON string literal, for one-line evidence: the
// quotes and escapes make its ends and control characters plain.
//
// <, > and & stay as they are ("tokens > 200000"), not \u003e.
func Quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
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

// Words is a duration for a sentence, to the minute: "under a minute",
// "7 min", "1 h 5 min", "2 d 3 h".
func Words(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 24*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
	days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	if h == 0 {
		return fmt.Sprintf("%d d", days)
	}
	return fmt.Sprintf("%d d %d h", days, h)
}

// StatusWord is a Statuspage status for people, underscores as spaces:
// "in_progress" → "in progress". Incident and update statuses are shown
// through it; component statuses have their own words (ComponentStatus).
func StatusWord(s string) string {
	return strings.ReplaceAll(Line(s, 20), "_", " ")
}
