package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// TestRestartSaysLastKnownUntilThisRunAnswers (cold6 E7): quit during an
// outage, restart with the same database: what the database holds is the
// last run's state, however young (6 s), until every network probe of this
// run has answered — even after the local checks' event (it made the board
// live: the first frames said "✖ Anthropic outage · checked <1m ago" with no
// marker while the fake hung).
func TestRestartSaysLastKnownUntilThisRunAnswers(t *testing.T) {
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 120, Height: 40}, outageSnapshot(testNow.Add(-6*time.Second), ringSize))
	local := &probe.LocalReport{Time: testNow}
	m = send(m, eventMsg{Result: local.Result(), Local: local})
	banner := func() string { return strings.Join(strings.Fields(m.banner()), " ") }
	for _, want := range []string{"Last known, 13:59 UTC (6 s ago): Anthropic outage", "stale — last known state from 13:59:54"} {
		if !strings.Contains(banner(), want) {
			t.Errorf("after a restart, before this run's probes: the banner does not say %q:\n%s", want, banner())
		}
	}
	// The status page and claude.ai answer: the API's verdict still
	// rests on the database.
	for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetClaudeAI} {
		m = send(m, eventMsg{Result: probe.Result{Target: tg, Time: testNow, Class: probe.ClassOK, HTTPStatus: 200}})
	}
	if !strings.Contains(banner(), "Last known") {
		t.Errorf("the API not probed this run yet, the banner is not the last known state:\n%s", banner())
	}
	// ... and "Last known" is of the API's rows, not of claude.ai's answer
	// of now (cold walk of Dec 7: "Last known, 12:55 UTC (0 s ago)").
	if !strings.Contains(banner(), "Last known, 13:59 UTC (6 s ago)") {
		t.Errorf("the last known state's age is not the API's:\n%s", banner())
	}
	// Cold walk of Dec 7: "last known state from 14:00:00" named claude.ai's
	// answer of now beside the API's rows of the last run: the stale line
	// names what is old, and from when.
	if want := "stale — API reachability, API with your key: last known from 13:59:54 (<1m ago), not answered yet in this run"; !strings.Contains(banner(), want) {
		t.Errorf("the banner does not say %q:\n%s", want, banner())
	}
	for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey} {
		r := overloaded(99)
		r.Target, r.Time = tg, testNow
		m = send(m, eventMsg{Result: r})
	}
	if b := banner(); strings.Contains(b, "Last known") || strings.Contains(b, "stale") {
		t.Errorf("every network probe answered this run, the banner still says it is old:\n%s", b)
	}
}

// TestViewerStartsFromTheEnginesLatestResults: an ssh session of serve,
// or a second downforai attached, gets the running engine's newest result
// of each target at once (Engine.Subscribe), which its snapshot of the
// history may hold too: the screen is current, not "Last known", and each
// result is drawn once, whichever of the two arrives first.
func TestViewerStartsFromTheEnginesLatestResults(t *testing.T) {
	snap := outageSnapshot(testNow.Add(-4*time.Second), 40)
	var latest []eventMsg
	for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI, probe.TargetCode} {
		rs := snap.recent[tg]
		ev := eventMsg{Result: rs[len(rs)-1]}
		if tg == probe.TargetStatus {
			ev.Status = snap.status
		}
		latest = append(latest, ev)
	}
	for _, snapFirst := range []bool{true, false} {
		msgs := []tea.Msg{tea.WindowSizeMsg{Width: 120, Height: 40}}
		if snapFirst {
			msgs = append(msgs, snap)
		}
		for _, ev := range latest {
			msgs = append(msgs, ev)
		}
		if !snapFirst {
			msgs = append(msgs, snap)
		}
		m := send(New(testOptions()), msgs...)
		if b := strings.Join(strings.Fields(m.banner()), " "); strings.Contains(b, "Last known") || strings.Contains(b, "stale") {
			t.Errorf("snapshot first %v: the engine's latest results are current, the banner says old:\n%s", snapFirst, b)
		}
		for tg, rs := range snap.recent {
			if n := len(m.board.rings[tg].items()); n != len(rs) {
				t.Errorf("snapshot first %v: %s holds %d results, want the %d recorded (each once)", snapFirst, tg, n, len(rs))
			}
		}
	}
}

// TestViewerFirstFrameIsCurrentWhenFresh: a viewer of a running engine
// (an ssh session of serve, a second downforai attached) read the engine's
// history on its first frame and said "stale — last known state from
// 13:59:56" of a 4 s old state. That history is the running engine's: a
// state younger than the stale limit is current, with its age; an older
// one is stale. A restart (not a viewer) still says Last known.
func TestViewerFirstFrameIsCurrentWhenFresh(t *testing.T) {
	for _, c := range []struct {
		name   string
		viewer bool
		age    time.Duration
		stale  bool
	}{
		{"viewer, 4 s old", true, 4 * time.Second, false},
		{"viewer, 6 min old", true, 6 * time.Minute, true},
		{"restart, 4 s old", false, 4 * time.Second, true},
	} {
		o := testOptions()
		o.OfRunningEngine = c.viewer
		m := send(New(o), tea.WindowSizeMsg{Width: 120, Height: 40}, outageSnapshot(testNow.Add(-c.age), 40))
		b := strings.Join(strings.Fields(m.banner()), " ")
		if got := strings.Contains(b, "stale — last known state from"); got != c.stale {
			t.Errorf("%s: stale line %v, want %v:\n%s", c.name, got, c.stale, b)
		}
		if !c.stale && (strings.Contains(b, "Last known") || !strings.Contains(b, "Anthropic outage")) {
			t.Errorf("%s: want the outage as current:\n%s", c.name, b)
		}
	}
}

// TestRestartKeepsTimedOutAfterConnecting (cold F1): the API and claude.ai
// timed out after connecting over plain http (a gateway or a mirror at
// --api-url / --claude-url), then the dashboard was restarted on the same
// database. Before its local checks report the URLs, the last known state
// is the one drawn before the quit — Anthropic's side, "after connecting" —
// not "unreachable from here: Anthropic or a firewall" (the URLs unknown
// were taken for https, where no TLS phase means no connection), and this
// run's first round, saying the same, is no change.
func TestRestartKeepsTimedOutAfterConnecting(t *testing.T) {
	end := testNow.Add(-6 * time.Second)
	timedOut := func(i int) (probe.Result, bool) {
		if i < 36 {
			return probe.Result{}, false
		}
		return probe.Result{Class: probe.ClassNetwork, ErrorType: probe.NetTimeout, Message: "timed out after 3s",
			Phases: probe.Phases{DNS: time.Millisecond, Connect: 80 * time.Microsecond, Total: 3 * time.Second}}, true
	}
	st := operationalStatus(end)
	snap := snapshotMsg{
		recent: map[probe.Target][]probe.Result{
			probe.TargetStatus:   series(probe.TargetStatus, 40, end, 5*time.Second, 2*time.Millisecond, never),
			probe.TargetAPI:      series(probe.TargetAPI, 40, end, 5*time.Second, 2*time.Millisecond, timedOut),
			probe.TargetClaudeAI: series(probe.TargetClaudeAI, 40, end, 5*time.Second, 2*time.Millisecond, timedOut),
		},
		status: &st,
	}
	opts := testOptions()
	opts.Targets = []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetClaudeAI}
	opts.APIURL, opts.ClaudeURL, opts.StatusURL = "http://127.0.0.1:19701", "http://127.0.0.1:19702", "http://127.0.0.1:19700"
	m := send(New(opts), tea.WindowSizeMsg{Width: 120, Height: 35}, snap)
	banner := func() string { return strings.Join(strings.Fields(m.banner()), " ") }
	b := banner()
	if !strings.Contains(b, "Last known") || !strings.Contains(b, "after connecting") || strings.Contains(b, "firewall") {
		t.Errorf("after a restart, the last known state is not the timeout after connecting it was:\n%s", b)
	}
	local := &probe.LocalReport{Time: testNow, APIURL: opts.APIURL, ClaudeURL: opts.ClaudeURL, StatusURL: opts.StatusURL}
	m = send(m, eventMsg{Result: local.Result(), Local: local})
	for _, tg := range opts.Targets {
		r, _ := timedOut(99)
		if tg == probe.TargetStatus {
			r = probe.Result{Class: probe.ClassOK, HTTPStatus: 200}
		}
		r.Target, r.Time = tg, testNow
		ev := eventMsg{Result: r}
		if tg == probe.TargetStatus {
			s := operationalStatus(testNow)
			ev.Status = &s
		}
		m = send(m, ev)
	}
	if b := banner(); strings.Contains(b, "Last known") || strings.Contains(b, "changed") || !strings.Contains(b, "after connecting") {
		t.Errorf("this run's first round says what the database said; the banner:\n%s", b)
	}
}
