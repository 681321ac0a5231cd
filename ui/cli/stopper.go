package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"time"
)

// shutdownGrace is how long a shutdown may take once it has begun; past it
// (or at a second SIGINT or SIGTERM) the process exits anyway. README
// promises 3 s; the rest is for the forced exit itself.
const shutdownGrace = 2500 * time.Millisecond

// Stopper turns SIGINT, SIGTERM and SIGHUP into the end of one context, and
// makes sure that end comes: once Stop is called (by the first signal, or
// by the caller when its program ended by itself), a second SIGINT or
// SIGTERM, or shutdownGrace running out, runs the rescue functions (each
// bounded) and exits 1. Done ends the watch when the shutdown finished.
//
// Only a SIGINT or SIGTERM after another one is "second": one that comes
// during a shutdown begun by SIGHUP or by the program's own end is the
// first stop request, logged and left to the grace period. A closing
// terminal, then the system's SIGTERM (tmux kill-session, a logout) is the
// ordinary way out, not an impatient user: forcing the exit there, when the
// SIGTERM happened to land in the few milliseconds the shutdown runs,
// skipped the clean close and the log's "stopped".
type Stopper struct {
	ctx    context.Context
	cancel context.CancelFunc
	logger *slog.Logger
	grace  time.Duration
	exit   func(code int) // os.Exit; tests watch it

	mu      sync.Mutex
	rescues []func()

	begin, end         chan struct{}
	beginOnce, endOnce sync.Once
}

// NewStopper watches the signals for one run of a long-running command.
func NewStopper(logger *slog.Logger) *Stopper {
	return startStopper(logger, shutdownGrace, os.Exit)
}

func startStopper(logger *slog.Logger, grace time.Duration, exit func(int)) *Stopper {
	s := &Stopper{logger: logger, grace: grace, exit: exit, begin: make(chan struct{}), end: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		defer signal.Stop(sigs)
		begin := s.begin
		var grace <-chan time.Time
		asked := false // a SIGINT or SIGTERM came
		for {
			select {
			case sig := <-sigs:
				if sig == syscall.SIGHUP { // a closing terminal may send more than one
					s.Stop("signal " + sig.String())
					continue
				}
				if asked {
					s.exitNow("second signal (" + sig.String() + ") during shutdown")
					return
				}
				asked = true
				if s.ctx.Err() != nil {
					s.logger.Info("stop asked during the shutdown", "signal", sig.String())
				}
				s.Stop("signal " + sig.String())
			case <-begin:
				begin, grace = nil, time.After(s.grace)
			case <-grace:
				s.exitNow(fmt.Sprintf("shutdown took longer than %s", s.grace))
				return
			case <-s.end:
				return
			}
		}
	}()
	return s
}

// Context ends when the shutdown begins.
func (s *Stopper) Context() context.Context { return s.ctx }

// Rescue adds fn to what runs before a forced exit.
func (s *Stopper) Rescue(fn func()) {
	s.mu.Lock()
	s.rescues = append(s.rescues, fn)
	s.mu.Unlock()
}

// Stop begins the shutdown: the context ends and the grace period starts.
func (s *Stopper) Stop(why string) {
	s.beginOnce.Do(func() {
		s.logger.Info("stopping", "reason", why)
		s.cancel()
		close(s.begin)
	})
}

// Done ends the watch: the shutdown is complete.
func (s *Stopper) Done() {
	s.Stop("done")
	s.endOnce.Do(func() { close(s.end) })
}

// exitNow runs the rescues, each for at most 300 ms, and exits 1.
func (s *Stopper) exitNow(why string) {
	s.logger.Error("exiting at once", "reason", why)
	s.mu.Lock()
	rescues := slices.Clone(s.rescues)
	s.mu.Unlock()
	for _, fn := range rescues {
		ran := make(chan struct{})
		go func() { defer close(ran); fn() }()
		select {
		case <-ran:
		case <-time.After(300 * time.Millisecond):
		}
	}
	s.exit(ExitFail)
}
