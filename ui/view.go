package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

func (m Model) relayout() Model {
	m.layout()
	return m
}

// layout measures the chrome (tab bar, banner, help), whose height depends
// on the width, the data and the help toggle, and gives the rest to the tabs.
func (m *Model) layout() {
	m.help.Width = m.width
	chrome := lipgloss.Height(m.header()) + lipgloss.Height(m.footer())
	h := max(m.height-chrome, 0)
	m.live.setSize(m.width, h)
	m.incidents.setSize(m.width, h)
	m.troubleshoot.headlineCap = headlineCap(m.height)
	m.troubleshoot.setSize(m.width, h)
	m.history.setSize(m.width, h)
}

// View draws the whole screen, never wider than the terminal and never
// taller.
func (m Model) View() string {
	if m.opts.OnPanic != nil {
		defer m.reportPanic()
	}
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var body string
	switch m.active {
	case tabLive:
		body = m.live.view()
	case tabIncidents:
		body = m.incidents.view()
	case tabTroubleshoot:
		body = m.troubleshoot.view()
	case tabHistory:
		body = m.history.view()
	}
	header, footer := m.header(), m.footer()
	bodyH := max(m.height-lipgloss.Height(header)-lipgloss.Height(footer), 0)
	parts := []string{header}
	if bodyH > 0 {
		// Pad the body to its full height so the help stays at the bottom.
		lines := strings.Split(clamp(body, m.width, bodyH), "\n")
		for len(lines) < bodyH {
			lines = append(lines, "")
		}
		parts = append(parts, strings.Join(lines, "\n"))
	}
	parts = append(parts, footer)
	v := clamp(strings.Join(parts, "\n"), m.width, m.height)
	if m.opts.OnView != nil {
		m.opts.OnView(v)
	}
	return v
}

func (m *Model) header() string {
	return tabBar(m.styles, m.active, m.width, m.board.version, m.board.zone()) + "\n" +
		m.styles.rule.Render(strings.Repeat("─", m.width)) + "\n" +
		m.banner() + "\n"
}

func (m *Model) footer() string {
	return m.help.View(helpKeys{root: m.keys, tab: m.tabHelp()})
}

// tabHelp is the visible tab's keys for the full help.
func (m *Model) tabHelp() [][]key.Binding {
	switch m.active {
	case tabIncidents:
		return m.incidents.helpKeys()
	case tabTroubleshoot:
		return m.troubleshoot.helpKeys()
	case tabHistory:
		return m.history.helpKeys()
	}
	return nil
}
