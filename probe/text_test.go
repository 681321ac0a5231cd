package probe

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Second:                 "under a minute",
		90 * time.Second:                 "1 min",
		7 * time.Minute:                  "7 min",
		time.Hour:                        "1 h",
		65 * time.Minute:                 "1 h 5 min",
		26 * time.Hour:                   "1 d 2 h",
		48 * time.Hour:                   "2 d",
		-5 * time.Minute:                 "under a minute",
		time.Hour - 20*time.Second:       "59 min",
		24*time.Hour + 29*time.Second:    "1 d",
		3*time.Minute + 29*time.Second:   "3 min",
		3*time.Minute + 59*time.Second:   "3 min",
		59 * time.Second:                 "under a minute",
		119*time.Minute + 31*time.Second: "1 h 59 min",
	} {
		if got := Words(d); got != want {
			t.Errorf("Words(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestSpanKeepsEachStyle: the styles the rooms use write what their own
// formatters wrote before there was one (the references below are those
// formatters, kept here as the net), over lengths from 0 to 60 days.
func TestSpanKeepsEachStyle(t *testing.T) {
	spacedOne := func(d time.Duration) string { // probe's humanDur
		switch {
		case d < time.Minute:
			return fmt.Sprintf("%d s", int(d/time.Second))
		case d < time.Hour:
			return fmt.Sprintf("%d min", int(d/time.Minute))
		case d < 48*time.Hour:
			return fmt.Sprintf("%d h", int(d/time.Hour))
		}
		return fmt.Sprintf("%d d", int(d/(24*time.Hour)))
	}
	padded := func(d time.Duration) string { // diagnose.Countdown under two days
		if d < time.Minute {
			return "<1m"
		}
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if h == 0 {
			return fmt.Sprintf("%dm", m)
		}
		return fmt.Sprintf("%dh %02dm", h, m)
	}
	compactOne := func(d time.Duration) string { // ui's short
		switch {
		case d < time.Second:
			return "0s"
		case d < time.Minute:
			return fmt.Sprintf("%ds", int(d/time.Second))
		case d < time.Hour:
			return fmt.Sprintf("%dm", int(d/time.Minute))
		case d < 48*time.Hour:
			return fmt.Sprintf("%dh", int(d/time.Hour))
		}
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	}
	compactTwo := func(d time.Duration) string { // ui's span, from a minute on
		switch {
		case d < time.Hour:
			return fmt.Sprintf("%dm", int(d/time.Minute))
		case d < 48*time.Hour:
			h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
			if m == 0 {
				return fmt.Sprintf("%dh", h)
			}
			return fmt.Sprintf("%dh %dm", h, m)
		}
		days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
		if h == 0 {
			return fmt.Sprintf("%dd", days)
		}
		return fmt.Sprintf("%dd %dh", days, h)
	}
	for _, tt := range []struct {
		name string
		span Span
		ref  func(time.Duration) string
		from time.Duration
	}{
		{"spaced, one unit", Span{Units: 1, Least: time.Second, DaysFrom: 48 * time.Hour}, spacedOne, 0},
		{"padded", Span{Compact: true, Least: time.Minute, Under: "<1m", Pad: true}, padded, 0},
		{"compact, one unit", Span{Compact: true, Units: 1, Least: time.Second, DaysFrom: 48 * time.Hour}, compactOne, 0},
		{"compact, two units", Span{Compact: true, Least: time.Minute, DaysFrom: 48 * time.Hour}, compactTwo, time.Minute},
	} {
		for d := tt.from; d < 60*24*time.Hour; d += d/7 + 997*time.Millisecond {
			if got, want := tt.span.Format(d), tt.ref(d); got != want {
				t.Errorf("%s: %v = %q, want %q", tt.name, d, got, want)
			}
		}
	}
}

// TestOfTheLast: counts read as English — never "12 of the last 12" or
// "1 of the last 1".
func TestOfTheLast(t *testing.T) {
	for _, tc := range []struct {
		n, of int
		want  string
	}{
		{4, 12, "4 of the last 12 API probes"},
		{12, 12, "the last 12 API probes"},
		{1, 1, "the only API probe so far"},
		{0, 1, "no API probe so far"},
		{0, 12, "none of the last 12 API probes"},
	} {
		if got := OfTheLast(tc.n, tc.of, "API probe", "API probes"); got != tc.want {
			t.Errorf("OfTheLast(%d, %d) = %q, want %q", tc.n, tc.of, got, tc.want)
		}
	}
	for _, tc := range []struct {
		n, of int
		want  string
	}{
		{3, 4, "3 of 4 probes"},
		{22, 22, "all 22 probes"},
		{1, 1, "its one probe"},
	} {
		if got := OfAll(tc.n, tc.of, "probe", "probes"); got != tc.want {
			t.Errorf("OfAll(%d, %d) = %q, want %q", tc.n, tc.of, got, tc.want)
		}
	}
	if got := Capital("the last 3"); got != "The last 3" {
		t.Errorf("Capital: %q", got)
	}
}

// TestTargetNoun: every target's probes have one name in a sentence, in
// words (never the raw id, such as claude_sessions), singular and plural —
// Live's observations and diagnose's live lines both use it, so Claude
// Code's are "Claude Code CLI checks" in both (they were "… CLI probes" in
// one and "… checks" in the other).
func TestTargetNoun(t *testing.T) {
	want := map[Target][2]string{
		TargetAPI:      {"API probe", "API probes"},
		TargetAPIKey:   {"API probe with your key", "API probes with your key"},
		TargetClaudeAI: {"claude.ai probe", "claude.ai probes"},
		TargetStatus:   {"status page read", "status page reads"},
		TargetCode:     {"Claude Code CLI check", "Claude Code CLI checks"},
		TargetSessions: {"Claude Code call", "Claude Code calls"},
	}
	for _, tg := range append(Targets(), TargetSessions, ModelTarget("claude-opus-4-5")) {
		one, many := tg.Noun()
		if w, ok := want[tg]; ok && (one != w[0] || many != w[1]) {
			t.Errorf("%s: %q, %q; want %q, %q", tg, one, many, w[0], w[1])
		}
		if one == "" || one == many || strings.ContainsAny(one+many, "_:") {
			t.Errorf("%s: %q, %q: want words, singular and plural", tg, one, many)
		}
	}
}

func TestCutWords(t *testing.T) {
	for _, c := range []struct {
		s    string
		w    int
		want string
	}{
		{"short", 10, "short"},
		{"the last 529 overloaded at 13:53:00 — our probe", 40, "the last 529 overloaded at 13:53:00…"},
		{"Supercalifragilistic", 8, "Superca…"},
		{"a · b · c", 6, "a · b…"},
	} {
		if got := CutWords(c.s, c.w); got != c.want {
			t.Errorf("CutWords(%q, %d) = %q, want %q", c.s, c.w, got, c.want)
		}
	}
}
