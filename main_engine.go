package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"downforai/probe"
	"downforai/probe/config"
	"downforai/probe/judge"
	"downforai/probe/metrics"
	"downforai/probe/notify"
	"downforai/probe/remote"
	"downforai/probe/transcript"
	"downforai/probe/watch"
	"downforai/store"
	"downforai/ui"
	"downforai/ui/cli"
)

// newDetector builds the incident detector and hands it the incidents an
// earlier run left open, so they close when the probes recover. hist may be
// nil (no database yet): nothing to restore.
func newDetector(c config.Config, hist probe.History, logger *slog.Logger) *judge.Detector {
	d := judge.NewDetector(judge.DetectorConfig{FailThreshold: c.FailThreshold, RecoverThreshold: c.RecoverThreshold,
		Horizon: judge.Horizon(time.Duration(c.Interval), time.Duration(c.StatusInterval))})
	if ih, ok := hist.(probe.IncidentHistory); ok {
		open, err := ih.OpenLocalIncidents()
		if err != nil {
			logger.Error("open incidents not restored", "err", err)
		}
		d.Restore(open)
	}
	return d
}

// dashboardClock is every dashboard's clock. main's tests replace it with
// one that panics on a signal, to crash the real dashboard on purpose and
// check what the user and the log are told.
var dashboardClock = time.Now

// dashboardOptions are the ui.Options every front door shares — the local
// dashboard, each ssh session and the attached viewer — so they cannot
// drift apart; each adds its renderer, events and output.
func dashboardOptions(c config.Config, hist probe.History, targets []probe.Target, logger *slog.Logger) ui.Options {
	return ui.Options{
		History:    hist,
		Version:    buildVersion(),
		StaleAfter: c.StaleAfter(),
		// The detector's count of successes, so the banner recovers when
		// the incident closes and not before.
		RecoverThreshold: c.RecoverThreshold,
		// The horizon check and diagnose weigh the database with: hours-old
		// results do not hold the banner after a restart.
		Horizon:   judge.Horizon(time.Duration(c.Interval), time.Duration(c.StatusInterval)),
		Targets:   targets,
		StatusURL: c.StatusURL, // incident links without a shortlink
		// What the database's results were probed at: their verdict
		// before the local checks report it.
		APIURL:    c.APIURL,
		ClaudeURL: c.ClaudeURL,
		Now:       dashboardClock,
		// The first frame shows what the database holds, with its age.
		LoadFirst: true,
		OnPanic: func(v any, stack []byte) {
			logger.Error("dashboard panicked", "panic", fmt.Sprint(v), "stack", string(stack))
		},
	}
}

// newEngine builds what the owner of the database runs — the probes, the
// local checks and the incident detector — and starts retention on the
// store when there is one. It returns the engine and its targets in order.
func newEngine(c config.Config, getenv env, rec probe.Recorder, hist probe.History, logger *slog.Logger) (*probe.Engine, []probe.Target) {
	ledger, _ := hist.(probe.TokenLedger) // nil without a database: the day's tokens counted in memory
	checks := cli.AllChecks(c, getenv, buildVersion(), ledger)
	eng := probe.NewEngine(checks, rec, probe.WithObserver(newDetector(c, hist, logger)), probe.WithRecoverAfter(c.RecoverThreshold))
	startRetention(c, hist, logger)
	targets := make([]probe.Target, 0, len(checks)+1)
	for _, ch := range checks {
		targets = append(targets, ch.Target)
	}
	if c.CodeSessions {
		targets = append(targets, probe.TargetSessions)
	}
	return eng, targets
}

// startRetention prunes the store, when there is one it may write: on a
// file it may only read (D11) every round would fail and log so, every
// ten minutes, for nothing. It reports whether it started.
func startRetention(c config.Config, hist probe.History, logger *slog.Logger) bool {
	st, ok := hist.(*store.Store)
	if !ok || st.ReadOnly() {
		return false
	}
	st.StartRetention(store.Retention{Results: time.Duration(c.Retention)}, func(err error) {
		logger.Error("retention", "err", err)
	})
	return true
}

// startSessions follows Claude Code's transcripts into the engine (when
// --code-sessions is on): its own goroutine, so a backlog never delays the
// first frame. The offsets live in the store when there is one.
func startSessions(ctx context.Context, wg *sync.WaitGroup, c config.Config, getenv env, eng *probe.Engine, hist probe.History, logger *slog.Logger) {
	if !c.CodeSessions {
		return
	}
	st, _ := hist.(transcript.State)
	if st == nil {
		hist = nil // offsets in memory: nothing stored to start from
	}
	f := cli.SessionsFollower(c, getenv, st, hist)
	wg.Go(func() {
		f.Run(ctx, transcript.ToEngine(eng, func(err error) {
			if !errors.Is(err, store.ErrReadOnly) {
				// A file it may only read was said at the start and is
				// in the banner: its refusals are no news to log.
				logger.Error("storing Claude Code's calls", "err", err)
			}
		}))
	})
}

// serveSocket lets a second downforai on this machine watch eng over the
// socket beside the database until ctx ends. Running on memory, the
// socket comes when the database opens (whenOpen), since the file is then
// ours and a viewer would otherwise only get the lock message. Without a
// socket the engine runs on: viewers then get the lock message instead.
// metricsAt is where this engine serves /metrics ("" for nowhere), which a
// viewer is told.
func serveSocket(ctx context.Context, wg *sync.WaitGroup, c config.Config, hist probe.History, whenOpen func(func(*store.Store)), eng *probe.Engine, targets []probe.Target, metricsAt string, logger *slog.Logger) {
	if hist == nil {
		logger.Warn("no attach socket yet: the database is not open; it comes when the database opens")
		whenOpen(func(st *store.Store) {
			if ctx.Err() == nil {
				serveSocket(ctx, wg, c, st, nil, eng, targets, metricsAt, logger)
			}
		})
		return
	}
	path := remote.SocketPath(c.DB)
	ln, err := remote.Listen(path)
	if err != nil {
		logger.Warn("no attach socket", "err", err)
		return
	}
	srv := &remote.Server{
		Hello: remote.Hello{Protocol: remote.ProtocolVersion, Version: buildVersion(), DB: remote.DBName(c.DB), PID: os.Getpid(),
			Targets: targets, StaleAfter: c.StaleAfter(), RecoverThreshold: c.RecoverThreshold,
			Horizon:     judge.Horizon(time.Duration(c.Interval), time.Duration(c.StatusInterval)),
			MetricsAddr: &metricsAt},
		History:   hist,
		Subscribe: eng.Subscribe,
		Logger:    logger,
	}
	if st, ok := hist.(*store.Store); ok {
		srv.Dumper = cli.StoreDumper{Store: st}
	}
	wg.Go(func() {
		if err := srv.Serve(ctx, ln); err != nil {
			logger.Error("attach socket stopped", "err", err)
		}
	})
	logger.Info("attach socket listening", "path", path)
}

// startWatch serves metrics on ln (when not nil: bindMetrics, which the
// caller runs before it takes the screen, so that a refusal is said first)
// and follows the engine, on a subscription of its own, for that endpoint
// and the observers given, until ctx ends.
func startWatch(ctx context.Context, wg *sync.WaitGroup, c config.Config, stale time.Duration, h probe.History, subscribe func(int) (<-chan probe.Event, func()), targets []probe.Target, logger *slog.Logger, ln net.Listener, obs ...watch.Observer) {
	if ln != nil {
		m := metrics.New(buildVersion())
		if ih, ok := h.(probe.IncidentHistory); ok {
			if open, err := ih.OpenLocalIncidents(); err == nil {
				m.TrackLocalIncidents(open)
			}
		}
		obs = append(obs, m)
		wg.Go(func() {
			if err := metrics.Serve(ctx, ln, m.Handler()); err != nil {
				logger.Error("metrics server stopped", "err", err)
			}
		})
		logger.Info("metrics listening", "addr", ln.Addr().String())
	}
	if len(obs) == 0 {
		return
	}
	tr := watch.NewTracker(stale)
	tr.Recover = c.RecoverThreshold
	tr.Horizon = judge.Horizon(time.Duration(c.Interval), time.Duration(c.StatusInterval))
	if err := tr.Prime(h, targets, time.Now().Add(-judge.Horizon(time.Duration(c.Interval), time.Duration(c.StatusInterval)))); err != nil {
		logger.Warn("watch: no history to start from", "err", err)
	}
	events, unsubscribe := subscribe(probe.EventBuffer)
	wg.Go(func() {
		defer unsubscribe()
		watch.Run(ctx, events, tr, 15*time.Second, time.Now, obs...)
	})
}

// startNotifier builds the notifications the settings ask for; the webhook
// only where the engine runs (a viewer would send it twice).
func startNotifier(c config.Config, getenv env, logger *slog.Logger, withWebhook bool) *notify.Notifier {
	host, _ := os.Hostname()
	nc := notify.Config{
		Options: notify.Options{
			Debounce: time.Duration(c.NotifyDebounce), Remind: time.Duration(c.NotifyRemind), QuietMaintenance: c.NotifyQuietMaintenance,
			Host: host, Logger: logger, Bell: c.NotifyBell, OSC: c.NotifyOSC,
		},
		Desktop: c.NotifyDesktop && notify.HasDesktop(getenv),
	}
	if withWebhook {
		nc.Webhook = c.Webhook
	}
	return notify.Start(nc)
}
