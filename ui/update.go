package ui

import (
	"runtime/debug"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// Update handles one message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.opts.OnPanic != nil {
		defer m.reportPanic()
	}
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case BackgroundMsg:
		m.restyle(msg.Dark)
		return m, nil

	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 0), max(msg.Height, 0)
		m.layout()
		cmds = append(cmds, m.history.resized())

	case tea.KeyMsg:
		return m.updateKey(msg)

	case tea.MouseMsg:
		cmds = append(cmds, m.updateMouse(msg))

	case snapshotMsg:
		m.board.applySnapshot(msg, m.now())
		cmds = append(cmds, m.updateAll(msg))

	case eventMsg:
		m.board.applyEvent(probe.Event(msg), m.now())
		cmds = append(cmds, m.updateAll(msg), waitForEvent(m.opts.Events))

	case copiedMsg:
		m.troubleshoot, _ = m.troubleshoot.update(msg)

	case eventsClosedMsg:
		m.board.close()
		cmds = append(cmds, m.updateAll(msg))

	case tickMsg:
		m.board.setNow(m.now())
		cmds = append(cmds, m.updateAll(msg), tick())

	case historyLoadedMsg:
		var cmd tea.Cmd
		m.history, cmd = m.history.update(msg)
		cmds = append(cmds, cmd)

	case spinner.TickMsg:
		// The spinner only animates "Checking…"; once data is in, let its
		// tick chain end so an idle screen does not redraw ten times a second.
		if !m.board.hasData() {
			var cmd tea.Cmd
			m.spin, cmd = m.spin.Update(msg)
			cmds = append(cmds, cmd)
		}
	}
	return m.relayout(), tea.Batch(cmds...)
}

// updateAll gives a data message to every tab.
func (m *Model) updateAll(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, tabCount)
	m.live, cmds[tabLive] = m.live.update(msg)
	m.incidents, cmds[tabIncidents] = m.incidents.update(msg)
	m.troubleshoot, cmds[tabTroubleshoot] = m.troubleshoot.update(msg)
	m.history, cmds[tabHistory] = m.history.update(msg)
	return tea.Batch(cmds...)
}

// reportPanic passes a panic to OnPanic and lets it go on; deferred only
// when OnPanic is set.
func (m *Model) reportPanic() {
	if v := recover(); v != nil {
		m.opts.OnPanic(v, debug.Stack())
		panic(v)
	}
}
