package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// TestAgo: a time in the past is "… ago", one still to come "in …" (a
// scheduled maintenance must never read as started), the zero time
// "never".
func TestAgo(t *testing.T) {
	now := time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{time.Time{}, "never"},
		{now, "<1m ago"},
		{now.Add(-59 * time.Second), "<1m ago"},
		{now.Add(-3 * time.Minute), "3m ago"},
		{now.Add(-5 * time.Hour), "5h ago"},
		{now.Add(-72 * time.Hour), "3d ago"},
		{now.Add(30 * time.Second), "in <1m"},
		{now.Add(24 * time.Hour), "in 24h"},
		{now.Add(72 * time.Hour), "in 3d"},
	} {
		if got := ago(now, tt.at); got != tt.want {
			t.Errorf("ago(%v) = %q, want %q", tt.at.Sub(now), got, tt.want)
		}
	}
}

// TestWrapBreaksRunsAtPunctuation: a pasted JSON body or URL wider than the
// line breaks after its punctuation, not inside a word; prose keeps its
// words and its "/login" whole; no line is wider than asked.
func TestWrapBreaksRunsAtPunctuation(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want []string
	}{
		{`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`, 30,
			[]string{`{"type":"error","error":{`, `"type":"overloaded_error",`, `"message":"Overloaded"}}`}},
		{"Please run /login to sign in again", 14,
			[]string{"Please run", "/login to sign", "in again"}},
		{"see https://docs.anthropic.com/en/api/errors now", 24,
			[]string{"see", "https://", "docs.anthropic.com/en/", "api/errors", "now"}},
		{"last read 11:00:00 (3h ago)", 12, []string{"last read", "11:00:00 (3h", "ago)"}},
		// A hyphen is no break while a blank will do: a key's prefix or a
		// flag is one word.
		{"a Claude subscription token (sk-ant-oat01-…), not an API key", 40,
			[]string{"a Claude subscription token", "(sk-ant-oat01-…), not an API key"}},
		{"turn on with --code-usage now", 16, []string{"turn on with", "--code-usage now"}},
		// A run with no punctuation still fits, broken where it must.
		{"req_011CSHoEeqs5C35K2UUqR7Fy", 10, []string{"req_011CSH", "oEeqs5C35K", "2UUqR7Fy"}},
	} {
		got := wrap(tc.in, tc.w)
		if !slices.Equal(got, tc.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
		for _, l := range got {
			if ansi.StringWidth(l) > tc.w {
				t.Errorf("wrap(%q, %d): %q is wider than %d", tc.in, tc.w, l, tc.w)
			}
		}
	}
}

// TestAgeAndWordsNameTheSameMinute: the screen's "6m ago" and a
// sentence's "6 min ago" (probe.Words) of one age never differ — both
// truncate, so one never says 7 where the other says 6.
func TestAgeAndWordsNameTheSameMinute(t *testing.T) {
	for d := time.Duration(0); d < 2*time.Hour; d += 7 * time.Second {
		a, w := age(d), probe.Words(d)
		switch {
		case d < time.Minute:
			if a != "<1m" || w != "under a minute" {
				t.Errorf("%v: age %q, Words %q, want <1m and under a minute", d, a, w)
			}
		case d < time.Hour:
			if strings.TrimSuffix(a, "m") != strings.TrimSuffix(w, " min") {
				t.Errorf("%v: age %q, Words %q name different minutes", d, a, w)
			}
		default:
			if !strings.HasPrefix(w, strings.TrimSuffix(a, "h")+" h") {
				t.Errorf("%v: age %q, Words %q name different hours", d, a, w)
			}
		}
	}
}

// TestLengthsOfTimeAtTheirBoundaries: every style of a length truncates
// (59 s is never "1m", 59 min 59 s never "1h"), a negative length (a
// clock that stepped back) reads as none, and a moment still to come
// reads "in …", never as past.
func TestLengthsOfTimeAtTheirBoundaries(t *testing.T) {
	const s, m, h = time.Second, time.Minute, time.Hour
	for _, tc := range []struct {
		d                  time.Duration
		age, short, span   string
		agoPast, agoFuture string
	}{
		{0, "<1m", "0s", "0s", "<1m ago", "<1m ago"},
		{59*s + 999*time.Millisecond, "<1m", "59s", "59s", "<1m ago", "in <1m"},
		{60 * s, "1m", "1m", "1m", "1m ago", "in 1m"},
		{59*m + 59*s, "59m", "59m", "59m", "59m ago", "in 59m"},
		{h, "1h", "1h", "1h", "1h ago", "in 1h"},
		{h + 59*m + 59*s, "1h", "1h", "1h 59m", "1h ago", "in 1h"},
		{47*h + 59*m, "47h", "47h", "47h 59m", "47h ago", "in 47h"},
		{48 * h, "2d", "2d", "2d", "2d ago", "in 2d"},
		{49*h + 30*m, "2d", "2d", "2d 1h", "2d ago", "in 2d"},
		{-5 * s, "<1m", "0s", "0s", "", ""},
		{-3 * h, "<1m", "0s", "0s", "", ""},
	} {
		if got := age(tc.d); got != tc.age {
			t.Errorf("age(%v) = %q, want %q", tc.d, got, tc.age)
		}
		if got := short(tc.d); got != tc.short {
			t.Errorf("short(%v) = %q, want %q", tc.d, got, tc.short)
		}
		if got := span(tc.d); got != tc.span {
			t.Errorf("span(%v) = %q, want %q", tc.d, got, tc.span)
		}
		if tc.d < 0 {
			continue // ago takes moments: agoPast is a length before now
		}
		now := time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)
		if got := ago(now, now.Add(-tc.d)); got != tc.agoPast {
			t.Errorf("ago(now-%v) = %q, want %q", tc.d, got, tc.agoPast)
		}
		if got := ago(now, now.Add(tc.d)); got != tc.agoFuture {
			t.Errorf("ago(now+%v) = %q, want %q", tc.d, got, tc.agoFuture)
		}
	}
}
