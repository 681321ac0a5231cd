package ui

import (
	"downforai/probe"
)

// The Live tab's slots: where features other than the probes' own rows put
// their lines, so that each has a fixed place in the layout and the
// layout has one owner (live.go).
//
//   - slotRows: rows under a service's own rows in the table, in the
//     table's columns (build them with liveTab.row; a row with results
//     draws its strip with liveTab.strip so it shares the time and
//     latency scale). Claude API's per-model canaries go here, Claude
//     Code's sessions and usage window are here already.
//   - contextSlots: whole context sections below the table, after the
//     latency, incidents, maintenance and rate-limit sections, taken as
//     lines allow (see section).
//
// Rows in the table are rewritten whenever their text changes: nothing on
// a row with a strip may change with the clock faster than once a minute
// (ages come from age, never seconds), or an idle screen costs a row's
// bytes every second (TestIdleScreenIsQuiet).

// slotRows are the rows other features add under service s.
func (l liveTab) slotRows(s probe.Service) []string {
	switch s.Key {
	case "api":
		return l.apiModelRows()
	case "claude_code":
		return l.sessionRows()
	}
	return nil
}

// contextSlots are the context sections other features add, in order of
// importance, after the Live tab's own.
func (l liveTab) contextSlots() []section {
	var out []section
	if s := l.canarySection(); len(s.lines) > 0 {
		out = append(out, s)
	}
	return out
}
