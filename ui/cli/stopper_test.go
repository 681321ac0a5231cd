package cli

import (
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"downforai/probe/probetest"
)

// hangGuard bounds a wait for something that must happen, so a broken
// Stopper fails the test instead of hanging it; never a speed limit.
const hangGuard = time.Minute

// stopperRig is a Stopper whose exit is recorded instead of taken.
type stopperRig struct {
	s       *Stopper
	log     probetest.Buffer
	exited  chan int
	rescued atomic.Int32
}

func newStopperRig(t *testing.T, grace time.Duration) *stopperRig {
	r := &stopperRig{exited: make(chan int, 1)}
	r.s = startStopper(slog.New(slog.NewTextHandler(&r.log, nil)), grace, func(code int) { r.exited <- code })
	r.s.Rescue(func() { r.rescued.Add(1) })
	r.s.Rescue(func() { select {} }) // a rescue that hangs does not hold the exit
	t.Cleanup(r.s.Done)
	return r
}

func signalSelf(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(os.Getpid(), sig); err != nil {
		t.Fatal(err)
	}
}

// TestSecondSignalExitsAtOnce: the first SIGTERM ends the context; a
// second SIGTERM or SIGINT while the shutdown runs exits at once, after the
// rescues (each bounded); a second SIGHUP (a closing terminal sends more
// than one) does not.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	for _, second := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(second.String(), func(t *testing.T) {
			r := newStopperRig(t, time.Hour)
			signalSelf(t, syscall.SIGTERM)
			select {
			case <-r.s.Context().Done():
			case <-time.After(hangGuard):
				t.Fatal("SIGTERM did not end the context")
			}
			signalSelf(t, syscall.SIGHUP)
			signalSelf(t, second)
			select {
			case code := <-r.exited:
				if code != ExitFail {
					t.Errorf("exit %d", code)
				}
			case <-time.After(hangGuard):
				t.Fatal("a second signal did not exit")
			}
			if r.rescued.Load() != 1 {
				t.Error("the rescues did not run before the exit")
			}
			if !strings.Contains(r.log.String(), "second signal ("+second.String()+")") {
				t.Errorf("log: %s", r.log.String())
			}
		})
	}
}

// TestOverrunShutdownExits: a shutdown that does not finish within the
// grace period is ended for it.
func TestOverrunShutdownExits(t *testing.T) {
	r := newStopperRig(t, 50*time.Millisecond)
	r.s.Stop("test")
	select {
	case code := <-r.exited:
		if code != ExitFail || !strings.Contains(r.log.String(), "shutdown took longer than 50ms") {
			t.Errorf("exit %d, log %s", code, r.log.String())
		}
	case <-time.After(hangGuard):
		t.Fatal("an overrunning shutdown was never ended")
	}
}

// TestFinishedShutdownIsLeftAlone: Done ends the watch; no exit follows.
func TestFinishedShutdownIsLeftAlone(t *testing.T) {
	r := newStopperRig(t, 50*time.Millisecond)
	r.s.Stop("test")
	r.s.Done()
	select {
	case <-r.exited:
		t.Fatal("exited after the shutdown finished")
	case <-time.After(200 * time.Millisecond):
	}
}

// TestStopAskedDuringAnotherShutdownIsTheFirst: a shutdown begun by
// SIGHUP (the terminal closed) or by the program's own end is not hurried
// by the first SIGTERM or SIGINT that follows — tmux kill-session, or a
// logout, closes the terminal and then sends SIGTERM, and forcing the exit
// there depended on whether the SIGTERM landed in the few milliseconds the
// shutdown runs (the flake of TestShutdownAlwaysCompletes). The next one
// is a second signal and exits at once.
func TestStopAskedDuringAnotherShutdownIsTheFirst(t *testing.T) {
	for _, tc := range []struct {
		name  string
		begin func(t *testing.T, s *Stopper)
	}{
		{"terminal closed", func(t *testing.T, s *Stopper) { signalSelf(t, syscall.SIGHUP) }},
		{"program ended", func(t *testing.T, s *Stopper) { s.Stop("quit") }},
	} {
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
			t.Run(tc.name+" then "+sig.String(), func(t *testing.T) {
				r := newStopperRig(t, time.Hour)
				tc.begin(t, r.s)
				select {
				case <-r.s.Context().Done():
				case <-time.After(hangGuard):
					t.Fatal("the shutdown did not begin")
				}
				signalSelf(t, sig)
				// Handled when the log says so, or when it exited.
				for deadline := time.Now().Add(hangGuard); !strings.Contains(r.log.String(), "stop asked during the shutdown"); time.Sleep(time.Millisecond) {
					select {
					case <-r.exited:
						t.Fatalf("the first %s forced the exit; log: %s", sig, r.log.String())
					default:
					}
					if time.Now().After(deadline) {
						t.Fatalf("the %s was never handled; log: %s", sig, r.log.String())
					}
				}
				signalSelf(t, sig)
				select {
				case code := <-r.exited:
					if code != ExitFail || !strings.Contains(r.log.String(), "second signal ("+sig.String()+")") {
						t.Errorf("exit %d, log %s", code, r.log.String())
					}
				case <-time.After(hangGuard):
					t.Fatalf("a second %s did not exit", sig)
				}
			})
		}
	}
}
