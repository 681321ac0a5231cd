package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// TestChangeMarkKeepsTheHedge: the banner's "changed 14:02 from …" names
// the verdict as the banner showed it. A verdict the judge could only
// infer was titled "Likely your network"; after recovery the mark said
// "from Your network", dropping the hedge (cold7 E8).
func TestChangeMarkKeepsTheHedge(t *testing.T) {
	clock := testNow
	opts := testOptions()
	opts.Now = func() time.Time { return clock }
	m := send(New(opts), healthySnapshot(testNow.Add(-20*time.Second), ringSize), tea.WindowSizeMsg{Width: 120, Height: 35})
	m = ranThisRun(m)
	hang := func(tg probe.Target, at time.Time) probe.Result {
		// Connected and TLS done, then nothing came: every host alike.
		return probe.Result{Target: tg, Time: at, Class: probe.ClassNetwork, ErrorType: probe.NetTimeout, Message: "timed out after 3s",
			Phases: probe.Phases{DNS: time.Millisecond, Connect: time.Millisecond, TLS: 3 * time.Millisecond, Total: 3 * time.Second}}
	}
	clock = testNow.Add(2 * time.Minute)
	for i := range 3 {
		at := clock.Add(time.Duration(i-3) * time.Second)
		for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI} {
			m = send(m, eventMsg{Result: hang(tg, at)})
		}
	}
	if title := m.board.verdict.Title(); !strings.HasPrefix(title, "Likely ") {
		t.Fatalf("every host hanging is titled %q, want a hedged verdict (the premise of this test)", title)
	}
	clock = clock.Add(30 * time.Second)
	for i := range 3 {
		at := clock.Add(time.Duration(i-3) * time.Second)
		snap := healthySnapshot(at, 1)
		for _, rs := range snap.recent {
			m = send(m, eventMsg{Result: rs[0], Status: snap.status})
		}
	}
	v := m.View()
	if !strings.Contains(v, "from Likely your network") {
		t.Errorf("the change mark dropped the hedge (want \"from Likely your network\"):\n%s", v)
	}
}
