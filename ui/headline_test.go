package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

func TestCapHeadline(t *testing.T) {
	const two = "Anthropic outage: Claude API failing from here (529 overloaded) — acknowledged on the status page (Elevated errors for multiple models). Also failing from here: Claude (claude.ai) (4 of the last 12 probes failed, 500 server error; partial outage on the status page)."
	tests := []struct {
		name     string
		s        string
		w, n     int
		want     []string
		wantCut  bool
		wantKeep string // the cut text keeps this
	}{
		{name: "no cap", s: two, w: 80, n: 0, want: wrap(two, 80)},
		{name: "fits", s: "Claude is up: every probe answers.", w: 80, n: 3,
			want: []string{"Claude is up: every probe answers."}},
		{name: "whole first sentence", s: two, w: 80, n: 2, wantCut: true, want: []string{
			"Anthropic outage: Claude API failing from here (529 overloaded) — acknowledged",
			"on the status page (Elevated errors for multiple models). … (in full: press 3)"}},
		{name: "both sentences fit", s: two, w: 80, n: 4, want: wrap(two, 80)},
		{name: "a version's dots end no sentence", s: "Claude Code 2.0.14 (Claude Code) answers but every one of its calls to the API fails with 529 overloaded from here. Also failing: claude.ai.",
			w: 40, n: 3, wantCut: true, want: []string{
				"Claude Code 2.0.14 (Claude Code) answers",
				"but every one of its calls to the API",
				"fails with 529 … (in full: press 3)"}},
		{name: "a dot before a small letter ends no sentence", s: "Your resolver answers slowly, e.g. for api.anthropic.com it took 4 s. Also slow: claude.ai.",
			w: 40, n: 2, wantCut: true, want: []string{
				"Your resolver answers slowly, e.g. for",
				"api.anthropic.com … (in full: press 3)"}},
		{name: "no sentence fits: words", s: strings.Repeat("word ", 40) + "end.", w: 30, n: 2, wantCut: true, want: []string{
			"word word word word word word",
			"word word … (in full: press 3)"}},
		{name: "a clause's comma is dropped at the cut", s: "first part of it, second part of it, third part of it, fourth", w: 40, n: 1, wantCut: true,
			want: []string{"first part of it … (in full: press 3)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cut := capHeadline(tt.s, tt.w, tt.n)
			if cut != tt.wantCut {
				t.Errorf("cut = %v, want %v", cut, tt.wantCut)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if tt.n > 0 && len(got) > tt.n {
				t.Errorf("%d lines, want at most %d", len(got), tt.n)
			}
			for _, l := range got {
				if ansi.StringWidth(l) > tt.w {
					t.Errorf("line %q wider than %d", l, tt.w)
				}
			}
		})
	}
}

// TestBannerCapsLongHeadlineOnShortTerminal: at 80×24 an outage's
// two-sentence headline took 4 of the 24 rows before the tab (with the
// tab bar, a change line and the incident line, 11 in all) (D35); on a
// terminal of at most 30 rows it keeps its first sentence and points to
// Troubleshooting, whose "Why we say so" has it in full. At 120×35 the
// banner keeps all of it, and Troubleshooting does not repeat it.
func TestBannerCapsLongHeadlineOnShortTerminal(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 35}} {
		m := send(states()["outage"](), tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		headline := m.board.verdict.Headline
		if len(wrap(headline, 80)) <= shortHeadlineLines {
			t.Fatalf("the fixture's headline is short: %q", headline)
		}
		name := fmt.Sprintf("banner_long_headline_%dx%d", sz.w, sz.h)
		view := m.View()
		requireGolden(t, name, view)
		checkBox(t, name, view, sz.w, sz.h)

		short := sz.h <= shortScreenRows
		flat := func(s string) string { return strings.Join(strings.Fields(ansi.Strip(s)), " ") }
		if got := strings.Contains(flat(m.banner()), headline); got == short {
			t.Errorf("%s: full headline in the banner = %v, want %v:\n%s", name, got, !short, m.banner())
		}
		m.active = tabTroubleshoot
		why := flat(strings.Join(m.troubleshoot.content(), "\n"))
		i := strings.Index(why, "Why we say so")
		if i < 0 {
			t.Fatalf("%s: no Why we say so:\n%s", name, why)
		}
		if got := strings.Contains(why[i:], headline); got != short {
			t.Errorf("%s: full headline under Why we say so = %v, want %v", name, got, short)
		}
	}
}
