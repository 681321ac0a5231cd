package ui

import (
	"errors"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// snapshotMsg carries what was recorded before this program started; sent
// once by loadSnapshot (Init) after reading probe.History.
type snapshotMsg struct {
	recent map[probe.Target][]probe.Result // oldest first
	status *probe.Status                   // nil when none was stored
	err    error                           // a read failed; what did load is still used

	official []probe.Incident      // stored official incidents, when the history keeps them
	local    []probe.LocalIncident // stored incidents of ours, newest first
	first    time.Time             // the history's oldest observation (probe.FirstObserver); zero: none
	knows    bool                  // the history said when that was (a remote engine's does not)
}

// eventMsg is one live observation; sent by waitForEvent for every
// probe.Event the engine publishes.
type eventMsg probe.Event

// eventsClosedMsg says the engine's event channel was closed; sent by
// waitForEvent, after which it is not re-armed.
type eventsClosedMsg struct{}

// historyLoadedMsg carries what the History tab shows; sent by
// loadHistory, which the tab starts on data, selection changes and a slow
// refresh.
type historyLoadedMsg historyData

// tickMsg is the 1 s clock that keeps "checked 12s ago" and staleness
// current; sent by tick and re-armed on every receipt.
type tickMsg time.Time

// copiedMsg says how copying the report to the clipboard went; sent by
// copyReport after the Troubleshooting tab's "c".
type copiedMsg struct {
	bytes int   // size of the report copied
	err   error // nil when the OSC 52 sequence was written
}

// waitForEvent blocks, inside its own goroutine, for the next engine event.
// Update re-arms it after every eventMsg (bubbletea's realtime example).
func waitForEvent(ch <-chan probe.Event) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return eventsClosedMsg{}
		}
		return eventMsg(ev)
	}
}

// tick schedules the next clock message.
func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// loadSnapshot reads the last known state from history. It runs as a
// command so that the store is never touched from Update or View.
func loadSnapshot(h probe.History, targets []probe.Target) tea.Cmd {
	if h == nil {
		return nil
	}
	return func() tea.Msg {
		msg := snapshotMsg{recent: make(map[probe.Target][]probe.Result, len(targets))}
		var errs []error
		for _, t := range targets {
			rs, err := h.Recent(t, ringSize)
			if err != nil {
				errs = append(errs, fmt.Errorf("recent %s: %w", t, err))
				continue
			}
			msg.recent[t] = rs
		}
		st, ok, err := h.LatestStatus()
		if err != nil {
			errs = append(errs, fmt.Errorf("latest status: %w", err))
		} else if ok {
			msg.status = &st
		}
		if fo, ok := h.(probe.FirstObserver); ok {
			first, err := fo.FirstObserved()
			if err != nil {
				errs = append(errs, err)
			}
			msg.first, msg.knows = first, err == nil
		}
		if ih, ok := h.(probe.IncidentHistory); ok { // when the history keeps them
			if err := loadIncidents(ih, &msg); err != nil {
				errs = append(errs, err)
			}
		}
		msg.err = errors.Join(errs...)
		return msg
	}
}
