package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// latencyLines are the latency section's lines of m's Live tab.
func latencyLines(m Model) map[string]string {
	out := map[string]string{}
	for _, l := range m.live.latency.lines[1:] {
		l = strings.TrimSpace(l)
		for _, name := range []string{"claude.ai", "API, no key", "API, your key", "Claude Code CLI", "status page"} {
			if strings.HasPrefix(l, name+" ") {
				out[name] = strings.TrimSpace(strings.TrimPrefix(l, name))
			}
		}
	}
	return out
}

// TestLatencyInTheFirstMinute (cold F3): in the first minute of probing
// the window of whole minutes is empty, but probes ran: the line says so,
// with what they found, never "no probes".
func TestLatencyInTheFirstMinute(t *testing.T) {
	clock := testNow.Add(45 * time.Second)
	opts := testOptions()
	opts.Now = func() time.Time { return clock }
	m := send(New(opts), snapshotMsg{}, tea.WindowSizeMsg{Width: 120, Height: 35})
	for i := range 3 {
		at := testNow.Add(time.Duration(10+i*10) * time.Second)
		ok := probe.Result{Target: probe.TargetClaudeAI, Time: at, Class: probe.ClassOK, HTTPStatus: 200, Phases: probe.Phases{Total: 140 * time.Millisecond}}
		bad := overloaded(i)
		bad.Target, bad.Time = probe.TargetAPI, at
		st := probe.Result{Target: probe.TargetStatus, Time: at, Class: probe.ClassOK, HTTPStatus: 200, Phases: probe.Phases{Total: 90 * time.Millisecond}}
		m = send(m, eventMsg{Result: ok}, eventMsg{Result: bad}, eventMsg{Result: st})
	}
	got := latencyLines(m)
	for name, want := range map[string]string{
		"claude.ai":   "first minute not complete yet: 3 probes so far, p50 140ms",
		"API, no key": "first minute not complete yet: 3 probes so far, 3 failed",
		"status page": "first minute not complete yet: 3 probes so far, p50 90ms",
	} {
		if got[name] != want {
			t.Errorf("%s: %q, want %q", name, got[name], want)
		}
	}
	if v := m.View(); !strings.Contains(v, "first minute not complete yet") {
		t.Errorf("the latency section is not drawn:\n%s", v)
	}
	// A target with no probe at all still says so.
	if g := got["Claude Code CLI"]; g != "no probes in these 15 min" {
		t.Errorf("Claude Code CLI: %q", g)
	}
	// A CLI not installed, checked in this first minute: not "0 checks".
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetCode, Time: testNow.Add(20 * time.Second), Class: probe.ClassUnknown, Detail: "not installed"}})
	if g, want := latencyLines(m)["Claude Code CLI"], "not installed (1 check so far)"; g != want {
		t.Errorf("Claude Code CLI: %q, want %q", g, want)
	}
}

// TestLatencyOfACLINotInstalled: "89, none failed" read as 89 good runs
// of a CLI that is not there.
func TestLatencyOfACLINotInstalled(t *testing.T) {
	end := testNow.Add(-20 * time.Second)
	snap := healthySnapshot(end, 40)
	snap.recent[probe.TargetCode] = series(probe.TargetCode, 40, end, 30*time.Second, 0, func(int) (probe.Result, bool) {
		return probe.Result{Class: probe.ClassUnknown, Detail: "not installed", Message: "claude not found in PATH"}, true
	})
	m := send(New(testOptions()), snap, tea.WindowSizeMsg{Width: 120, Height: 35})
	if g, want := latencyLines(m)["Claude Code CLI"], "not installed (30 checks in these 15 min)"; g != want {
		t.Errorf("Claude Code CLI: %q, want %q", g, want)
	}
}

// TestSectionSummaryNeverStandsAlone (cold F4): at 120×35 the
// maintenance section read "… 2 more maintenances: press 2" with none
// listed above it, and the one in progress (which the banner cites) was
// not shown. At every height: a count follows a listed item, counts only
// what is not listed, and the maintenance in progress is the one listed.
func TestSectionSummaryNeverStandsAlone(t *testing.T) {
	build := func() Model {
		m := liveStates()["mixed"]()
		st := *m.board.status
		// The scheduled one first on the page, as Statuspage may list them.
		st.Maintenances = []probe.Incident{st.Maintenances[1], st.Maintenances[0]}
		return send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow.Add(-5 * time.Second), Class: probe.ClassOK, HTTPStatus: 200}, Status: &st})
	}
	seen := map[string]bool{}
	for h := 20; h <= 48; h++ {
		for _, w := range []int{80, 120, 160} {
			m := send(build(), tea.WindowSizeMsg{Width: w, Height: h})
			lines := strings.Split(m.View(), "\n")
			for i, line := range lines {
				s := strings.TrimSpace(line)
				if strings.HasPrefix(s, "Maintenance") {
					seen["maintenance"] = true
					if i+1 >= len(lines) || !strings.Contains(lines[i+1], "Claude Console database upgrade · in progress") {
						t.Errorf("%dx%d: the maintenance in progress is not listed first:\n%s", w, h, m.View())
					}
					if strings.Contains(s, "more") {
						seen["inline"] = true
						if !strings.Contains(s, "· 1 more: press 2") {
							t.Errorf("%dx%d: heading %q", w, h, s)
						}
					}
				}
				if strings.HasPrefix(s, "… ") && strings.Contains(s, "more") {
					prev := strings.TrimSpace(lines[i-1])
					if strings.HasPrefix(prev, "Maintenance") || strings.HasPrefix(prev, "Open incidents") {
						t.Errorf("%dx%d: %q stands alone under its heading:\n%s", w, h, s, m.View())
					}
				}
			}
		}
	}
	if !seen["maintenance"] || !seen["inline"] {
		t.Errorf("the sizes never drew the maintenance section short of room: %v", seen)
	}
}

func TestSummarise(t *testing.T) {
	st := newStyles(asciiRenderer())
	items := []string{"  a", "  b", "  c", "  d"}
	for _, c := range []struct {
		n    int
		want string
	}{
		{2, "H · 3 more: press 2|  a"},
		{3, "H|  a|  … 3 more incidents: press 2"},
		{4, "H|  a|  b|  … 2 more incidents: press 2"},
		{5, "H|  a|  b|  c|  d"},
		{9, "H|  a|  b|  c|  d"},
	} {
		if got := strings.Join(summarise(&st, "H", items, c.n, "incident", "incidents"), "|"); got != c.want {
			t.Errorf("n=%d: %q, want %q", c.n, got, c.want)
		}
	}
}

// TestLatencyFitsNarrowTerminals (verdicts6): at 68–79 columns the
// latency counts were cut mid-word by the last-resort clamp ("13, none
// fa"), and in the first minute "…so far, p50 2" at 80. A line that does
// not fit drops whole parts (a shorter window, then the per-minute
// strip, then an optional figure) or wraps at a word; every Live line
// fits its width, and what each count says is whole.
func TestLatencyFitsNarrowTerminals(t *testing.T) {
	firstMinute := func() Model {
		clock := testNow.Add(45 * time.Second)
		opts := testOptions()
		opts.Now = func() time.Time { return clock }
		m := send(New(opts), snapshotMsg{}, tea.WindowSizeMsg{Width: 120, Height: 35})
		for i := range 3 {
			at := testNow.Add(time.Duration(10+i*10) * time.Second)
			ok := probe.Result{Target: probe.TargetClaudeAI, Time: at, Class: probe.ClassOK, HTTPStatus: 200, Phases: probe.Phases{Total: 140 * time.Millisecond}}
			bad := overloaded(i)
			bad.Target, bad.Time = probe.TargetAPI, at
			m = send(m, eventMsg{Result: ok}, eventMsg{Result: bad})
		}
		return m
	}
	states := liveStates()
	states["first_minute"] = firstMinute
	for name, build := range states {
		for w := 60; w <= 120; w++ {
			m := send(build(), tea.WindowSizeMsg{Width: w, Height: 60})
			all := m.live.lines()
			if w < 65 {
				all = m.live.latency.lines // the table itself needs 65
			}
			for i, line := range all {
				if n := ansi.StringWidth(line); n > w {
					t.Errorf("%s at %d columns: line %d is %d cells, cut by clamp: %q", name, w, i, n, ansi.Strip(line))
				}
			}
			sec := ansi.Strip(strings.Join(m.live.latency.lines, "\n"))
			for _, line := range strings.Split(sec, "\n")[1:] {
				// A line of figures ends in its whole count.
				text := strings.Contains(line, "no probes in") || strings.Contains(line, "not installed") || strings.Contains(line, "first minute") || strings.HasPrefix(line, strings.Repeat(" ", colLatName))
				if !text && !countEnd.MatchString(line) {
					t.Errorf("%s at %d columns: a count cut: %q", name, w, line)
				}
			}
			if name == "first_minute" {
				flat := strings.Join(strings.Fields(sec), " ")
				for _, want := range []string{"claude.ai first minute not complete yet: 3 probes so far", "API, no key first minute not complete yet: 3 probes so far, 3 failed"} {
					if !strings.Contains(flat, want) {
						t.Errorf("%s at %d columns: no %q in\n%s", name, w, want, sec)
					}
				}
			}
		}
	}
}

// countEnd is how a latency line of figures ends: its count, whole.
var countEnd = regexp.MustCompile(`\d+, (none failed|\d+ failed|none judged)(; after( \d\d:\d\d)?: (\d+ of \d+|all \d+) failed|; now \d+/\d+ failed)?$`)
