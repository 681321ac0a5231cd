package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// updateKey handles a key: one by one when several arrived as one, all
// to the tab that is taking text, else the root's keys first, then the
// active tab's.
func (m Model) updateKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	// Bubble Tea v1 hands keys that arrive in one read ("2q" typed
	// fast, or sent by tmux in one go) over as one multi-rune key that
	// matches no binding. Outside a text input, play them one by one,
	// so that each is a key again ("/spend" still opens the search and
	// types "spend" into it).
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.capturing() {
		var model tea.Model = m
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			var cmd tea.Cmd
			model, cmd = model.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
			cmds = append(cmds, cmd)
		}
		return model, tea.Sequence(cmds...)
	}
	// A tab that is taking text (a search, a pasted error) gets every
	// key but ctrl+c, so typing "q" or "2" does not quit or switch tabs.
	if !m.capturing() || msg.Type == tea.KeyCtrlC {
		if cmd, handled := m.handleKey(msg); handled {
			return m.relayout(), cmd
		}
	}
	cmd := m.updateActive(msg)
	return m.relayout(), cmd
}

// updateMouse handles a click on the tab bar and the wheel over a tab.
func (m *Model) updateMouse(msg tea.MouseMsg) tea.Cmd {
	switch {
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft && msg.Y == 0:
		if t, ok := tabAt(msg.X, m.width); ok {
			return m.setActive(t)
		}
	case msg.Action == tea.MouseActionPress && (msg.Button == tea.MouseButtonWheelUp || msg.Button == tea.MouseButtonWheelDown):
		// The wheel over a tab moves what its arrow keys move: the
		// incident list or detail, the troubleshooting text, the
		// history's probe table.
		if m.inBody(msg.Y) && !m.capturing() {
			k := tea.KeyMsg{Type: tea.KeyDown}
			if msg.Button == tea.MouseButtonWheelUp {
				k.Type = tea.KeyUp
			}
			return m.updateActive(k)
		}
	}
	return nil
}

func (m *Model) handleKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, m.keys.Quit):
		return tea.Quit, true
	case key.Matches(msg, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		if m.help.ShowAll {
			m.keys.Help.SetHelp("?", "close help")
		} else {
			m.keys.Help.SetHelp("?", "more keys")
		}
		return nil, true
	case key.Matches(msg, m.keys.Next):
		return m.setActive((m.active + 1) % tabCount), true
	case key.Matches(msg, m.keys.Prev):
		return m.setActive((m.active + tabCount - 1) % tabCount), true
	}
	for t, b := range m.keys.Jump {
		if key.Matches(msg, b) {
			return m.setActive(tab(t)), true
		}
	}
	return nil, false
}

// setActive puts tab t on screen. The History tab reads the store only
// while it is on screen: selecting it starts a load.
func (m *Model) setActive(t tab) tea.Cmd {
	if t == m.active {
		return nil
	}
	m.active = t
	if t == tabHistory {
		return m.history.show()
	}
	m.history.hide()
	return nil
}

// capturing reports whether the visible tab is taking text input.
func (m Model) capturing() bool {
	switch m.active {
	case tabIncidents:
		return m.incidents.capturing()
	case tabTroubleshoot:
		return m.troubleshoot.capturing()
	case tabHistory:
		return m.history.capturing()
	}
	return false
}

// inBody reports whether screen row y is in the tab's part of the screen,
// between the tab bar and banner above and the help below.
func (m *Model) inBody(y int) bool {
	return y >= lipgloss.Height(m.header()) && y < m.height-lipgloss.Height(m.footer())
}

// updateActive gives a key to the visible tab only.
func (m *Model) updateActive(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch m.active {
	case tabLive:
		m.live, cmd = m.live.update(msg)
	case tabIncidents:
		m.incidents, cmd = m.incidents.update(msg)
	case tabTroubleshoot:
		m.troubleshoot, cmd = m.troubleshoot.update(msg)
	case tabHistory:
		m.history, cmd = m.history.update(msg)
	}
	return cmd
}
