package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// TestLiveRateLimitUnknownWraps: when the newest key probe got no answer
// the "Your key's rate limit" sentence says why and what was known when;
// at 80 and 120 columns it is wrapped under its heading, whole, never cut
// off mid-sentence.
func TestLiveRateLimitUnknownWraps(t *testing.T) {
	for _, w := range []int{80, 120} {
		b := liveStates()["mixed"]()
		r := probe.Result{Target: probe.TargetAPIKey, Time: testNow.Add(-3 * time.Second), Class: probe.ClassNetwork,
			Message: "timed out after 3s while waiting for the response headers"}
		m := send(b, eventMsg{Result: r}, tea.WindowSizeMsg{Width: w, Height: 60})
		var got []string
		in := false
		for _, line := range m.live.lines() {
			plain := ansi.Strip(line)
			if strings.HasPrefix(plain, "Your key's rate limit: ") {
				in = true
				got = append(got, strings.TrimPrefix(plain, "Your key's rate limit: "))
				continue
			}
			if in && strings.HasPrefix(plain, strings.Repeat(" ", len("Your key's rate limit: "))) {
				got = append(got, strings.TrimSpace(plain))
				continue
			}
			in = false
		}
		joined := strings.Join(got, " ")
		for _, want := range []string{"not known now", "got no answer", "(timed out after 3s", "3,997 of 4,000 requests left", "398,000 of 400,000 tokens left"} {
			if !strings.Contains(joined, want) {
				t.Errorf("%d cols: the sentence lost %q: %q", w, want, joined)
			}
		}
		if strings.Contains(joined, "…") {
			t.Errorf("%d cols: the sentence is cut: %q", w, joined)
		}
		for _, line := range m.live.lines() {
			if n := ansi.StringWidth(line); n > w {
				t.Errorf("%d cols: a line of %d cells: %q", w, n, line)
			}
		}
	}
}

// TestLiveIncidentItemsKeepTheirFacts: an open incident's line that is
// too wide for the terminal gives up its count, then the end of its
// title, never when it began or whose it is ("· since 13:58 (1m) · our
// probes" was cut off at 80 columns).
func TestLiveIncidentItemsKeepTheirFacts(t *testing.T) {
	for _, w := range []int{60, 80, 100} {
		m := send(liveStates()["mixed"](), tea.WindowSizeMsg{Width: w, Height: 60})
		n := 0
		for _, line := range m.live.incidentSection().lines[1:] {
			plain := ansi.Strip(line)
			if ansi.StringWidth(plain) > w {
				t.Errorf("%d cols: %d cells: %q", w, ansi.StringWidth(plain), plain)
			}
			if !strings.HasSuffix(plain, "· status page") && !strings.HasSuffix(plain, "· our probes") {
				t.Errorf("%d cols: the item lost whose it is: %q", w, plain)
			}
			if strings.HasSuffix(plain, "· our probes") && !strings.Contains(plain, "· since 13:58 (1m) ·") {
				t.Errorf("%d cols: the item lost when it began: %q", w, plain)
			}
			n++
		}
		if n != 3 {
			t.Errorf("%d cols: %d items, want 3", w, n)
		}
	}
}

// TestLiveMaintenanceItemsKeepWhen: a maintenance line too wide gives up
// the end of its name, never when it is.
func TestLiveMaintenanceItemsKeepWhen(t *testing.T) {
	for _, w := range []int{72, 80} {
		m := send(liveStates()["mixed"](), tea.WindowSizeMsg{Width: w, Height: 60})
		sec := m.live.maintenanceSection()
		if len(sec.lines) < 3 {
			t.Fatalf("no maintenances: %q", sec.lines)
		}
		for _, line := range sec.lines[1:] {
			plain := ansi.Strip(line)
			if ansi.StringWidth(plain) > w || !strings.HasSuffix(plain, "· status page") || !strings.Contains(plain, "until 14:40") && !strings.Contains(plain, "scheduled Sep 4 16:00–18:00") {
				t.Errorf("%d cols: %q", w, plain)
			}
		}
	}
}
