package ui

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// TestGlyphWidths pins the cell width of every glyph the dashboard draws and
// of the wide and combining text a status page can send. Layout (columns,
// clamp, fit) trusts these widths; a width library upgrade that changes one
// of them fails here before it misaligns a screen.
func TestGlyphWidths(t *testing.T) {
	cases := []struct {
		s    string
		want int
	}{
		{"abc", 3},
		// Symbols, separators, rules, sparkline and chart blocks.
		{symOK, 1}, {symWarn, 1}, {symBad, 1}, {symLocal, 1}, {symInfo, 1}, {symMixed, 1}, {symNone, 1},
		{"…", 1}, {"—", 1}, {"–", 1}, {"·", 1}, {"•", 1}, {"›", 1}, {"×", 1}, {"⚠", 1},
		{"↑", 1}, {"↓", 1}, {"←", 1}, {"→", 1}, {"“”", 2},
		{"─", 1}, {"━", 1}, {"┄", 1}, {"│", 1}, {"┤", 1}, {"└", 1},
		{"▁▂▃▄▅▆▇█", 8}, {"░", 1},
		// What remote text may hold: wide CJK, emoji, combining marks,
		// ZWJ sequences, flags, variation selectors.
		{"漢字", 4}, {"過負荷", 6}, {"🔥", 2}, {"e\u0301", 1}, {"Überlastung", 11},
		{"👩\u200d💻", 2}, {"🇩🇪", 2}, {"❤\ufe0f", 2}, {"ｗ", 2},
		// Escape sequences take no cells.
		{"\x1b[31mred\x1b[0m", 3},
	}
	for _, c := range cases {
		if got := ansi.StringWidth(c.s); got != c.want {
			t.Errorf("ansi.StringWidth(%q) = %d, want %d", c.s, got, c.want)
		}
		if got := lipgloss.Width(c.s); got != c.want {
			t.Errorf("lipgloss.Width(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

// TestConcreteColours: styles built from colours resolved once (concrete)
// write the same escape sequences lipgloss writes for the adaptive ones,
// on every colour profile and background.
func TestConcreteColours(t *testing.T) {
	all := append(palette[:], colorText, colorAccent, colorRule)
	for _, p := range []termenv.Profile{termenv.Ascii, termenv.ANSI, termenv.ANSI256, termenv.TrueColor} {
		for _, dark := range []bool{true, false} {
			r := lipgloss.NewRenderer(io.Discard)
			r.SetColorProfile(p)
			r.SetHasDarkBackground(dark)
			for _, c := range all {
				want := r.NewStyle().Foreground(c).Bold(true).Render("x y")
				if got := r.NewStyle().Foreground(concrete(r, c)).Bold(true).Render("x y"); got != want {
					t.Errorf("profile %v dark %v colour %v: %q, want %q", p, dark, c, got, want)
				}
			}
		}
	}
}

// TestToneRunsAsRender: a run of cells drawn by toneRuns is byte for byte
// what the tone's Render writes, on every profile.
func TestToneRunsAsRender(t *testing.T) {
	for _, p := range []termenv.Profile{termenv.Ascii, termenv.ANSI, termenv.ANSI256, termenv.TrueColor} {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(p)
		r.SetHasDarkBackground(true)
		st := newStyles(r)
		var b strings.Builder
		runs := newToneRuns(&st, &b)
		var want string
		for tn := tone(0); tn < toneCount; tn++ {
			cells := "▁▂█ ×·" + symOK
			for _, c := range cells {
				runs.addRune(c, tn)
			}
			runs.add("✖", tn)
			want += st.tone[tn].Render(cells + "✖")
		}
		runs.flush()
		if b.String() != want {
			t.Errorf("profile %v: %q, want %q", p, b.String(), want)
		}
	}
}

// TestPaintWrap: paint.wrap draws single-line text as the style's Render.
func TestPaintWrap(t *testing.T) {
	for _, p := range []termenv.Profile{termenv.Ascii, termenv.ANSI, termenv.TrueColor} {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(p)
		st := newStyles(r)
		for _, s := range []string{"x", "140ms", "✖ overloaded", "API: 529 over… 漢字"} {
			if got, want := st.textPaint.wrap(s), st.text.Render(s); got != want {
				t.Errorf("profile %v text %q: %q, want %q", p, s, got, want)
			}
			if got, want := st.rulePaint.wrap(s), st.rule.Render(s); got != want {
				t.Errorf("profile %v rule %q: %q, want %q", p, s, got, want)
			}
		}
	}
}
