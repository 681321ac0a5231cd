package ui

import "github.com/charmbracelet/bubbles/textinput"

// BackgroundMsg tells the dashboard its terminal's background once it is
// known. Over ssh the viewer's terminal is asked while the dashboard
// already draws (a terminal that never answers delays nothing), so the
// answer can come after the first frames; the colours are rebuilt when it
// differs from the background they were built for.
type BackgroundMsg struct{ Dark bool }

// restyle rebuilds every style for a dark or light background in place:
// the tabs share the styles by pointer; the copies the search inputs, the
// help and the spinner hold are set again, and the History and Troubleshooting
// tabs' cached drawings are dropped.
func (m *Model) restyle(dark bool) {
	r := m.opts.Renderer
	if r.HasDarkBackground() == dark {
		return
	}
	r.SetHasDarkBackground(dark)
	*m.styles = newStyles(r)
	st := m.styles
	m.help.Styles = st.help
	m.spin.Style = st.spinner
	for _, in := range []*textinput.Model{&m.incidents.search, &m.troubleshoot.input, &m.troubleshoot.cat.search} {
		in.PromptStyle, in.TextStyle, in.PlaceholderStyle = st.heading, st.text, st.muted
	}
	m.history.changed()
	m.troubleshoot.cache.drop()
	// The latency section is drawn on data, not per frame: draw it again
	// in the new styles.
	m.live.latency = m.live.latencySection()
}
