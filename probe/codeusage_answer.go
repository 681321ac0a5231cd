package probe

import (
	"fmt"
	"strings"
	"time"
)

// CodeLimit is one of the plan's windows as Anthropic reports it.
type CodeLimit struct {
	Name        string    // five_hour, seven_day, seven_day_opus …
	Utilization float64   // percent used
	ResetsAt    time.Time // zero when not given
}

// Label names the window for people: "5-hour", "week", "week (Opus)".
func (l CodeLimit) Label() string {
	switch l.Name {
	case "five_hour":
		return "5-hour"
	case "seven_day":
		return "week"
	}
	if rest, ok := strings.CutPrefix(l.Name, "seven_day_"); ok {
		return "week (" + strings.ReplaceAll(rest, "_", " ") + ")"
	}
	return strings.ReplaceAll(l.Name, "_", " ")
}

// CodeUsage is one answer of the opt-in usage call (GET
// {api}/api/oauth/usage with Claude Code's own login): the plan's real
// utilisation, and a live check of that login. It holds no token.
type CodeUsage struct {
	Time time.Time
	// Limits are the windows the answer held, five_hour and seven_day
	// first.
	Limits []CodeLimit
	// Rejected means the API refused Claude Code's login (401): it needs a
	// new /login.
	Rejected bool
	// Unavailable is why there is no usage to show ("" when Limits came):
	// no login to ask with, the call failed, or the answer had another
	// shape. It changes no verdict.
	Unavailable string
	HTTPStatus  int
	RequestID   string
	// Message is the API's error message on a refusal, cleaned.
	Message string
	// SentInstead is the credential Claude Code sends here in place of
	// this login ("ANTHROPIC_API_KEY": it comes first in Claude Code's
	// order of precedence); "" when the login is what it sends. A refusal
	// of a login not in use is no failure of Claude Code.
	SentInstead string
}

// LoginUnused reports whether the usage call refused a login Claude Code
// does not send (a key in the environment stands in for it).
func (u *CodeUsage) LoginUnused() bool { return u != nil && u.Rejected && u.SentInstead != "" }

// UnusedLine is "Claude Code uses ANTHROPIC_API_KEY here; its /login is
// not in use (the usage call with the login got 401, 3m ago)": the
// refusal is a fact, but of a login Claude Code does not send. when, if
// not "", says when ("3m ago", "at 14:01:02 UTC").
func (u *CodeUsage) UnusedLine(when string) string {
	got := "was refused"
	if u.HTTPStatus != 0 {
		got = fmt.Sprintf("got %d", u.HTTPStatus)
	}
	switch {
	case strings.HasPrefix(when, "at "):
		got += " " + when
	case when != "":
		got += ", " + when
	}
	return "Claude Code uses " + u.SentInstead + " here; its /login is not in use (the usage call with the login " + got + ")"
}

// Limit returns the window with the name.
func (u *CodeUsage) Limit(name string) (CodeLimit, bool) {
	if u == nil {
		return CodeLimit{}, false
	}
	for _, l := range u.Limits {
		if l.Name == name {
			return l, true
		}
	}
	return CodeLimit{}, false
}

// Summary is "5-hour: 61%, resets 14:00; week: 22%, resets Tue 09:00"
// in loc, or the reason there is none.
func (u *CodeUsage) Summary(now time.Time, loc *time.Location) string {
	switch {
	case u == nil:
		return ""
	case u.LoginUnused():
		return u.UnusedLine("")
	case u.Rejected:
		return u.RejectedLine("")
	case u.Unavailable != "":
		return "usage unavailable: " + u.Unavailable
	}
	var parts []string
	for _, l := range u.Limits {
		s := fmt.Sprintf("%s: %.0f%%", l.Label(), l.Utilization)
		if !l.ResetsAt.IsZero() {
			s += ", resets " + ResetClock(l.ResetsAt, now, loc)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// RejectedLine is "Claude Code's login is rejected by Anthropic (401): run
// /login" — a rejection, not an expiry: the credentials file may hold the
// token valid for another hour (the login check says which). when, if
// not "", says when the call was refused: "(401, 3m ago)".
func (u *CodeUsage) RejectedLine(when string) string {
	var in []string
	if u.HTTPStatus != 0 {
		in = append(in, fmt.Sprint(u.HTTPStatus))
	}
	if when != "" {
		in = append(in, when)
	}
	if len(in) == 0 {
		return "Claude Code's login is rejected by Anthropic: run /login"
	}
	return "Claude Code's login is rejected by Anthropic (" + strings.Join(in, ", ") + "): run /login"
}

// ResetClock is "14:00" for a time within the next day, else "Tue 09:00".
func ResetClock(t, now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.Local
	}
	t = t.In(loc)
	if t.Sub(now) < 20*time.Hour {
		return t.Format("15:04")
	}
	return t.Format("Mon 15:04")
}
