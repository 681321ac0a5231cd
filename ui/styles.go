package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// tone is the meaning a colour carries. Every toned string also carries a
// word or a symbol, so NO_COLOR and monochrome terminals lose nothing.
type tone int

const (
	toneMuted tone = iota // no data, unknown, secondary text
	toneGood              // operational, ok
	toneWarn              // degraded, slow, conflicting
	toneBad               // outage, provider-side failure
	toneLocal             // the problem is on the user's side
	toneInfo              // maintenance, neutral emphasis
	toneCount
)

// palette holds adaptive colours: Light is used on light backgrounds, Dark
// on dark ones, so the same model reads well in either terminal theme.
var palette = [toneCount]lipgloss.AdaptiveColor{
	toneMuted: {Light: "#6C6C6C", Dark: "#8A8A8A"},
	toneGood:  {Light: "#1A7F37", Dark: "#3FB950"},
	toneWarn:  {Light: "#9A6700", Dark: "#D29922"},
	toneBad:   {Light: "#CF222E", Dark: "#F85149"},
	toneLocal: {Light: "#0550AE", Dark: "#58A6FF"},
	toneInfo:  {Light: "#8250DF", Dark: "#BC8CFF"},
}

// GoodColour is the palette's "all is well" green, for what is drawn
// outside the dashboard in its colours: the command line's progress bar.
func GoodColour() lipgloss.AdaptiveColor { return palette[toneGood] }

var (
	colorText   = lipgloss.AdaptiveColor{Light: "#1F2328", Dark: "#E6EDF3"}
	colorAccent = lipgloss.AdaptiveColor{Light: "#0969DA", Dark: "#79C0FF"}
	colorRule   = lipgloss.AdaptiveColor{Light: "#D0D7DE", Dark: "#30363D"}
)

// styles is every style the views use, built once per program from the
// renderer handed to New, so each ssh viewer gets its own colour profile.
type styles struct {
	tone   [toneCount]lipgloss.Style // foreground per tone
	strong [toneCount]lipgloss.Style // bold foreground per tone, for verdicts
	// paint is what tone[t].Render writes around one line of text, for
	// drawing cells in bulk (toneRuns) without a Render per run; rulePaint
	// is rule's.
	paint     [toneCount]paint
	rulePaint paint
	textPaint paint

	appName     lipgloss.Style
	tabActive   lipgloss.Style
	tabInactive lipgloss.Style
	rule        lipgloss.Style
	heading     lipgloss.Style // section titles inside a tab
	colHeader   lipgloss.Style // table column headers
	text        lipgloss.Style
	muted       lipgloss.Style
	stale       lipgloss.Style
	spinner     lipgloss.Style
	help        help.Styles

	selected lipgloss.Style // the list row under the cursor
	// hyperlinks says whether to wrap links in OSC 8: only when the
	// renderer has colour, so NO_COLOR and dumb terminals get plain text.
	hyperlinks bool
}

func newStyles(r *lipgloss.Renderer) styles {
	var s styles
	var pal [toneCount]lipgloss.TerminalColor
	for t := tone(0); t < toneCount; t++ {
		pal[t] = concrete(r, palette[t])
		s.tone[t] = r.NewStyle().Foreground(pal[t])
		s.strong[t] = r.NewStyle().Foreground(pal[t]).Bold(true)
		s.paint[t] = paintOf(s.tone[t])
	}
	accent, rule, text := concrete(r, colorAccent), concrete(r, colorRule), concrete(r, colorText)
	s.appName = r.NewStyle().Foreground(accent).Bold(true)
	s.tabActive = r.NewStyle().Foreground(accent).Bold(true).Underline(true)
	s.tabInactive = r.NewStyle().Foreground(pal[toneMuted])
	s.rule = r.NewStyle().Foreground(rule)
	s.rulePaint = paintOf(s.rule)
	s.heading = r.NewStyle().Foreground(text).Bold(true)
	s.colHeader = r.NewStyle().Foreground(pal[toneMuted]).Bold(true)
	s.text = r.NewStyle().Foreground(text)
	s.textPaint = paintOf(s.text)
	s.muted = s.tone[toneMuted]
	s.stale = s.strong[toneWarn]
	s.spinner = r.NewStyle().Foreground(accent)
	s.selected = r.NewStyle().Reverse(true)
	s.hyperlinks = r.ColorProfile() != termenv.Ascii

	key := r.NewStyle().Foreground(accent)
	desc := s.muted
	sep := s.rule
	s.help = help.Styles{
		Ellipsis:       sep,
		ShortKey:       key,
		ShortDesc:      desc,
		ShortSeparator: sep,
		FullKey:        key,
		FullDesc:       desc,
		FullSeparator:  sep,
	}
	return s
}

// paint is the escape sequences a style writes before and after one line
// of text.
type paint struct{ pre, post string }

// wrap draws one line of text as the style p came from would.
func (p paint) wrap(s string) string {
	if s == "" {
		return ""
	}
	return p.pre + s + p.post
}

// paintOf finds st's paint by rendering a one-cell text no escape
// sequence contains (a private use character). It holds for styles that
// only colour and embolden: no width, padding, margins or borders.
func paintOf(st lipgloss.Style) paint {
	const probe = "\ue000"
	out := st.Render(probe)
	i := strings.Index(out, probe)
	return paint{out[:i], out[i+len(probe):]}
}

// concrete is the colour c comes out as on r's terminal, worked out once:
// the light or dark variant for its background, already converted to its
// colour profile. lipgloss would otherwise redo that on every Render, and
// for 16- and 256-colour terminals the conversion searches the palette by
// perceptual distance (HSLuv): it was most of the cost of a frame. The
// escape sequences written are the same.
func concrete(r *lipgloss.Renderer, c lipgloss.AdaptiveColor) lipgloss.TerminalColor {
	hex := c.Light
	if r.HasDarkBackground() {
		hex = c.Dark
	}
	switch col := r.ColorProfile().Color(hex).(type) {
	case termenv.ANSIColor:
		return lipgloss.ANSIColor(col)
	case termenv.ANSI256Color:
		return lipgloss.ANSIColor(col)
	case termenv.RGBColor:
		return lipgloss.Color(col)
	}
	return c // no colour (Ascii): nothing to convert
}
