package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"downforai/probe/fakeupstream"
	"downforai/store"
)

// shutdownLimit is how long a shutdown may take, by the promise README
// makes (3 s). It bounds a wait for an exit, not how fast anything runs.
const shutdownLimit = 3 * time.Second

// waitExit waits up to limit for the process to end; false (and the
// process killed) when it did not.
func (d *dashboard) waitExit(limit time.Duration) bool {
	done := make(chan struct{})
	go func() { d.cmd.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(limit):
		d.cmd.Process.Signal(syscall.SIGQUIT) // the goroutine dump lands in stderr
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			d.cmd.Process.Kill()
			<-done
		}
		return false
	}
}

// lockFree reports whether another downforai can open the database now.
func lockFree(t *testing.T, path string) {
	t.Helper()
	st, err := store.Open(path, store.Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("database after shutdown: %v", err)
	}
	st.Close()
}

// TestShutdownAlwaysCompletes ends the dashboard every way it can be ended
// from outside — SIGTERM, SIGINT, SIGHUP, the terminal closing, SIGTERM and
// the terminal closing 0.2 s apart (tmux kill-session after kill: it used
// to hang for good holding the lock), the terminal closing then SIGTERM at
// once and 0.2 s later — and each time the process must be
// gone within 3 s and the database free. The three signals take one path
// (the signal context) and are tried once each; the terminal closing, alone
// or racing a SIGTERM (where the hang was, and timing matters), twice.
func TestShutdownAlwaysCompletes(t *testing.T) {
	srv := httptest.NewServer(fakeupstream.NewHandler(fakeupstream.ModeOperational))
	t.Cleanup(srv.Close)
	for _, how := range []string{"SIGTERM", "SIGINT", "SIGHUP", "terminal closed", "SIGTERM then terminal closed", "terminal closed then SIGTERM"} {
		t.Run(how, func(t *testing.T) {
			rounds := 2
			if strings.HasPrefix(how, "SIG") && !strings.Contains(how, "terminal") {
				rounds = 1
			}
			for round := range rounds {
				d := startDashboard(t, []string{"--status-url", srv.URL, "--api-url", srv.URL, "--claude-url", srv.URL,
					"--interval", "1s", "--status-interval", "1s", "--timeout", "900ms"})
				d.waitScreen(t, "Operational")
				start := time.Now()
				switch how {
				case "SIGTERM":
					d.cmd.Process.Signal(syscall.SIGTERM)
				case "SIGINT":
					d.cmd.Process.Signal(syscall.SIGINT)
				case "SIGHUP":
					d.cmd.Process.Signal(syscall.SIGHUP)
				case "terminal closed":
					d.pty.Close()
				case "SIGTERM then terminal closed":
					d.cmd.Process.Signal(syscall.SIGTERM)
					time.Sleep(200 * time.Millisecond)
					d.pty.Close()
				case "terminal closed then SIGTERM":
					// Round 0 sends it at once, so it lands while the
					// shutdown the hangup began runs (it used to force the
					// exit, when a loaded machine made that shutdown
					// slower than the pause); round 1 after the pause.
					d.pty.Close()
					if round > 0 {
						time.Sleep(200 * time.Millisecond)
					}
					d.cmd.Process.Signal(syscall.SIGTERM)
				}
				if !d.waitExit(shutdownLimit) {
					t.Fatalf("round %d: still running %s after %s; stderr:\n%s", round, time.Since(start).Round(time.Millisecond), how, tail(string(d.stderr.Bytes()), 6000))
				}
				if bytes.Contains(d.stderr.Bytes(), []byte("panic")) {
					t.Fatalf("round %d: panicked: %s", round, d.stderr.Bytes())
				}
				lockFree(t, d.db)
				took := time.Since(start)
				logText, _ := os.ReadFile(d.log)
				if !bytes.Contains(logText, []byte("msg=stopped")) {
					t.Errorf("round %d: log does not say stopped:\n%s", round, logText)
				}
				// The forced exit is the last resort, not the way out.
				if bytes.Contains(logText, []byte("exiting at once")) {
					t.Errorf("round %d: the shutdown had to be forced (%s):\n%s", round, took, logText)
				}
				t.Logf("round %d: gone after %s", round, took.Round(time.Millisecond))
			}
		})
	}
}
