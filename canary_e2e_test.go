package main

import (
	"fmt"
	"strings"
	"testing"

	"downforai/probe/fakeupstream"
)

// TestCanaryEndToEnd runs the real dashboard with two canaries against the
// fake, at 80×24 and 160×48: Opus answers 529 while Haiku answers, and the
// screen says which model fails (row and headline); then Opus recovers
// and its row says so. The canary interval is an hour, so both changes
// are seen only because a failing canary is asked every --fast-interval.
func TestCanaryEndToEnd(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("runs the program in a terminal; .ci/run runs it without the race detector")
	}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			srv := fakeupstream.NewSplit(fakeupstream.ModeOperational)
			defer srv.Close()
			srv.SetModel("claude-opus-4-5", fakeupstream.Model529)
			// Probes and the status page hourly, so the changes are seen
			// only through --fast-interval (the last flag wins over startVT's).
			d := startVT(t, []string{"--interval", "1h", "--status-interval", "1h", "--local-interval", "1h", "--fast-interval", "1s",
				"--canary", "claude-opus-4-5,claude-haiku-4-5", "--canary-interval", "1h",
				"--status-url", srv.StatusURL, "--api-url", srv.APIURL, "--claude-url", srv.ClaudeURL},
				[]string{"ANTHROPIC_API_KEY=" + goodKey}, size[0], size[1])
			scr, row := d.scr, d.scr.row
			d.waitUntil(t, "Opus failing", func() bool {
				return strings.Contains(row("└ Opus 4.5"), "overloaded 529") && strings.Contains(row("└ Haiku 4.5"), "ok 200") &&
					strings.Contains(scr.banner(), "Claude Opus 4.5 failing (529 overloaded") &&
					// The canary can answer before the first read of the status
					// page lands; the banner then rightly says the page is not
					// read yet, and acknowledgement cannot be judged.
					!strings.Contains(scr.banner(), "has not been read yet")
			})
			b := scr.banner()
			for _, want := range []string{"while Claude Haiku 4.5 answers", "Anthropic's side, not yet acknowledged", " since "} {
				if !strings.Contains(b, want) {
					t.Errorf("banner %q lacks %q", b, want)
				}
			}
			if strings.Contains(b, "All clear") || strings.Contains(b, "Your ") {
				t.Errorf("banner blames the wrong side: %q", b)
			}
			srv.SetModel("claude-opus-4-5", fakeupstream.ModelOK)
			d.waitUntil(t, "Opus recovered", func() bool {
				return strings.Contains(row("└ Opus 4.5"), "ok 200") && !strings.Contains(scr.banner(), "Opus 4.5 failing")
			})
			if n := srv.MessageCalls("claude-haiku-4-5"); n != 1 {
				t.Errorf("Haiku, answering, was asked %d times in its hour, want 1", n)
			}
		})
	}
}
