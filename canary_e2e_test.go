package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"

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
			exe, err := os.Executable()
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			cmd := exec.Command(exe, "--db", filepath.Join(dir, "state", "history.db"),
				"--claude-bin", filepath.Join(dir, "no-claude"), "--interval", "1h", "--status-interval", "1h",
				"--timeout", "900ms", "--local-interval", "1h", "--fast-interval", "1s",
				"--canary", "claude-opus-4-5,claude-haiku-4-5", "--canary-interval", "1h",
				"--status-url", srv.StatusURL, "--api-url", srv.APIURL, "--claude-url", srv.ClaudeURL)
			cmd.Env = []string{runMainEnv + "=1", "HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
				"XDG_STATE_HOME=" + filepath.Join(dir, "state"), "TERM=screen-256color", "PATH=" + os.Getenv("PATH"),
				"ANTHROPIC_API_KEY=" + goodKey}
			w, h := size[0], size[1]
			tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: uint16(h), Cols: uint16(w)})
			if err != nil {
				t.Fatal(err)
			}
			scr := &vtScreen{emu: vt.NewEmulator(w, h)}
			done := make(chan struct{})
			go func() { io.Copy(scr, tty); close(done) }()
			go io.Copy(tty, scr.emu)
			defer func() {
				cmd.Process.Kill()
				cmd.Wait()
				tty.Close()
				<-done
				scr.emu.Close()
			}()
			row := func(label string) string {
				for _, l := range scr.lines() {
					if strings.Contains(l, label) {
						return l
					}
				}
				return ""
			}
			waitScreen := func(what string, ok func() bool) {
				t.Helper()
				for deadline := time.Now().Add(hangGuard); !ok(); time.Sleep(200 * time.Millisecond) {
					if time.Now().After(deadline) {
						t.Fatalf("%s never showed; screen:\n%s", what, strings.Join(scr.lines(), "\n"))
					}
				}
			}
			waitScreen("Opus failing", func() bool {
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
			waitScreen("Opus recovered", func() bool {
				return strings.Contains(row("└ Opus 4.5"), "ok 200") && !strings.Contains(scr.banner(), "Opus 4.5 failing")
			})
			if n := srv.MessageCalls("claude-haiku-4-5"); n != 1 {
				t.Errorf("Haiku, answering, was asked %d times in its hour, want 1", n)
			}
		})
	}
}
