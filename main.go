// Command downforai answers "is Claude down, or is it me?" in a terminal: it
// probes claude.ai, the Claude API and Claude Code from this machine, reads
// Anthropic's status page, keeps every observation in a bbolt file and shows
// it all in a tabbed dashboard.
//
// main wires the long-running front doors — the dashboard, the viewer of
// another process's engine, serve — from settings (probe/config) → store →
// engine → program, then cancels, waits and closes. The command line itself
// (commands, flags, help, the one-shot commands) is ui/cli. main owns no
// logic of its own.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

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
	"downforai/ui/sshserve"
	"downforai/ui/terminal"
)

// Exit codes shared by every front door (cli's).
const (
	exitOK    = cli.ExitOK
	exitFail  = cli.ExitFail
	exitUsage = cli.ExitUsage
)

// version is set at build time with -ldflags "-X main.version=…";
// otherwise cli.Version finds it in the build info.
var version = ""

func buildVersion() string { return cli.Version(version) }

// eventBuffer is how many events a subscriber may fall behind before the
// engine drops its oldest: a few rounds of every target.
const eventBuffer = 256

// env is how main reads the environment, so tests can hand in their own.
type env = config.Env

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run is main without os.Exit, for tests.
func run(args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	return cli.Run(args, baseEnv(getenv, stdin, stdout, stderr), doors)
}

// doors are the commands that run an engine (or watch one): main's wiring.
var doors = cli.Doors{
	Dashboard: runDashboard,
	Serve:     func(r cli.Env) int { return runServe(r.Config, r.Getenv, r.Stderr) },
}

func baseEnv(getenv env, stdin io.Reader, stdout, stderr io.Writer) cli.Env {
	return cli.Env{Version: buildVersion(), Getenv: getenv, Stdin: stdin, Stdout: stdout, Stderr: stderr}
}

// ---- the engine and its front doors.

// openLog sends logs to a file in the state directory: the terminal belongs
// to the dashboard.
func openLog(c config.Config) (*slog.Logger, func(), string) {
	path := filepath.Join(filepath.Dir(c.DB), "downforai.log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil)), func() {}, ""
	}
	return slog.New(slog.NewTextHandler(f, nil)), func() { f.Close() }, path
}

// newDetector builds the incident detector and hands it the incidents an
// earlier run left open, so they close when the probes recover. hist may be
// nil (no database yet): nothing to restore.
func newDetector(c config.Config, hist probe.History, logger *slog.Logger) *judge.Detector {
	d := judge.NewDetector(judge.DetectorConfig{FailThreshold: c.FailThreshold, RecoverThreshold: c.RecoverThreshold})
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
		Now:       dashboardClock,
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
	if st, ok := hist.(*store.Store); ok {
		st.StartRetention(store.Retention{Results: time.Duration(c.Retention)}, func(err error) {
			logger.Error("retention", "err", err)
		})
	}
	targets := make([]probe.Target, 0, len(checks)+1)
	for _, ch := range checks {
		targets = append(targets, ch.Target)
	}
	if c.CodeSessions {
		targets = append(targets, probe.TargetSessions)
	}
	return eng, targets
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
		f.Run(ctx, transcript.ToEngine(eng, func(err error) { logger.Error("storing Claude Code's calls", "err", err) }))
	})
}

// errNoTerminal is the dashboard started where it cannot draw: in a pipe,
// a cron job, ssh without -t.
var errNoTerminal = errors.New(`the dashboard needs a terminal; for one answer run "downforai check", ` +
	`to run headless "downforai serve", over ssh use "ssh -t"`)

// screen is the terminal the dashboard draws on and reads keys from.
type screen struct{ in, out *os.File }

// openScreen finds the terminal: stdout must be one; keys come from stdin,
// or from /dev/tty when stdin is redirected (as Bubble Tea would).
func openScreen(r cli.Env) (screen, func(), error) {
	out, _ := r.Stdout.(*os.File)
	if !terminal.IsTerminal(out) {
		return screen{}, nil, errNoTerminal
	}
	if in, _ := r.Stdin.(*os.File); terminal.IsTerminal(in) {
		return screen{in: in, out: out}, func() {}, nil
	}
	tty, err := os.Open("/dev/tty")
	if err != nil || !terminal.IsTerminal(tty) {
		return screen{}, nil, errNoTerminal
	}
	return screen{in: tty, out: out}, func() { tty.Close() }, nil
}

// program is the dashboard on s, with colours for s's background (asked
// once, briefly) and notifications and OSC 52 written between frames.
func (s screen) program(ctx context.Context, opts ui.Options, getenv env) (*tea.Program, *ui.FileOutput) {
	out := ui.NewFileOutput(s.out)
	opts.Renderer, opts.Clipboard = terminal.Renderer(s.out, s.in, getenv), out
	// The first frame at the terminal's size, drawn as soon as Run writes
	// it (ui.FirstFrame); then the idle frame rate (ui.IdleFrames).
	opts.Width, opts.Height = terminal.Size(s.out)
	var p *tea.Program
	opts.OnInit = func() { ui.FirstFrame(p) }
	p = tea.NewProgram(ui.New(opts), append(ui.ProgramOptions(),
		tea.WithContext(ctx), tea.WithOutput(out), tea.WithInput(s.in))...)
	go ui.WhenDrawn(p, out.Drawn(), ctx.Done())
	return p, out
}

// runDashboard is downforai without a command: the dashboard, on its own
// engine or attached to the one that holds the database.
func runDashboard(r cli.Env) int {
	scr, closeScreen, err := openScreen(r)
	if err != nil {
		fmt.Fprintf(r.Stderr, "downforai: %v\n", err)
		return exitUsage
	}
	defer closeScreen()
	return runTUI(r.Config, r.Getenv, scr, r.Stderr)
}

func runTUI(c config.Config, getenv env, scr screen, stderr io.Writer) int {
	db, err := store.OpenRecorder(c.DB, time.Duration(c.Retention), stderr)
	if errors.Is(err, store.ErrLocked) {
		// Another engine owns the file: watch it if it answers on its socket.
		cl, derr := remote.Dial(context.Background(), remote.SocketPath(c.DB), remote.DBName(c.DB))
		if derr == nil {
			return runAttached(c, getenv, cl, scr, stderr)
		}
		if errors.Is(derr, remote.ErrProtocol) {
			err = derr // the engine is there, of another version: say that, not "locked"
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	rec, hist, closeDB := db.Rec, db.History, db.Close
	logger, closeLog, logPath := openLog(c)
	defer closeLog()
	stop := cli.NewStopper(logger)
	defer stop.Done()
	// What a forced exit does first: give the terminal back, close the file.
	stop.Rescue(ui.SaveTerminal(scr.in, scr.out).Restore)
	stop.Rescue(func() { closeDB() })
	defer func() {
		if err := closeDB(); err != nil {
			logger.Error("closing the database", "err", err)
		}
		logger.Info("stopped")
	}()
	logOpened(logger, c, hist)
	ctx := stop.Context()

	eng, targets := newEngine(c, getenv, rec, hist, logger)
	events, unsubscribe := eng.Subscribe(eventBuffer)
	defer unsubscribe()
	opts := dashboardOptions(c, hist, targets, logger)
	opts.Events = events
	p, out := scr.program(ctx, opts, getenv)
	notifier := startNotifier(c, getenv, logger, true)
	defer notifier.Close()
	notifier.AddTerminal(out)
	// The first frame gets the CPU: the probes start once it is out, and
	// until then the collector runs at a quarter of its pace (start-up
	// allocates a few MB once). In a profile of starts to first paint the
	// first probe round and a collection were a fifth of the CPU.
	// A frame that never comes (no size, a stuck terminal) waits a second.
	drawn := make(chan struct{})
	gcPercent := debug.SetGCPercent(400)
	go func() {
		select {
		case <-out.Drawn():
		case <-time.After(time.Second):
		case <-ctx.Done():
		}
		debug.SetGCPercent(gcPercent)
		close(drawn)
	}()

	var wg sync.WaitGroup
	var crash atomic.Value // string: why the engine died
	startWatching, err := prepareWatch(ctx, &wg, c, c.StaleAfter(), hist, eng.Subscribe, targets, logger, notifier)
	if err != nil {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			// The probes recover their own panics; this is the engine's. Kill
			// restores the terminal before the process exits.
			if v := recover(); v != nil {
				logger.Error("engine panicked", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				crash.Store(probe.Line(fmt.Sprintf("engine panicked: %v", v), 200))
				p.Kill()
			}
		}()
		<-drawn
		// What the first frame does not need waits for it too: the watchers
		// (their tracker reads the history), the attach socket and Claude
		// Code's sessions. They start before the engine, so they miss none
		// of its events; a bad --metrics-addr was refused before the screen.
		startWatching()
		serveSocket(ctx, &wg, c, hist, db.WhenOpen, eng, targets, logger)
		startSessions(ctx, &wg, c, getenv, eng, hist, logger)
		if err := eng.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			logger.Error("engine stopped", "err", err)
		}
	}()
	logger.Info("started", "version", buildVersion(), "db", c.DB, "config", c.Path)
	_, err = p.Run()
	stop.Stop(cli.ProgramEnd(err))
	wg.Wait()
	why, _ := crash.Load().(string)
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		logger.Info("dashboard ended", "err", err)
	}
	return cli.ProgramExit(err, why, logPath, stderr)
}

// logOpened notes in the log that the database was an empty file, which
// Open made a new database.
func logOpened(logger *slog.Logger, c config.Config, hist probe.History) {
	if st, ok := hist.(*store.Store); ok && st.WasEmpty() {
		logger.Info("the database was an empty file: initialised it", "db", c.DB)
	}
}

// runServe wires store, engine and the front doors of `downforai serve`,
// then stops them in reverse order on SIGINT, SIGTERM or SIGHUP, within
// shutdownGrace.
func runServe(c config.Config, getenv env, stderr io.Writer) int {
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	db, err := store.OpenRecorder(c.DB, time.Duration(c.Retention), stderr)
	if err != nil {
		fmt.Fprintf(stderr, "downforai serve: %v\n", err)
		return exitFail
	}
	rec, hist, closeDB := db.Rec, db.History, db.Close
	stop := cli.NewStopper(logger)
	defer stop.Done()
	stop.Rescue(func() { closeDB() })
	defer func() {
		if err := closeDB(); err != nil {
			logger.Error("closing the database", "err", err)
		}
		logger.Info("stopped")
	}()
	logOpened(logger, c, hist)
	ctx := stop.Context()

	eng, targets := newEngine(c, getenv, rec, hist, logger)
	uiOpts := dashboardOptions(c, hist, targets, logger)

	notifier := startNotifier(c, getenv, logger, true)
	defer notifier.Close()
	var wg sync.WaitGroup
	var closers []func()
	defer func() {
		stop.Stop("serve ended")
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
		wg.Wait()
	}()

	if c.SSHAddr != "" {
		srv, err := sshserve.New(sshserve.Options{
			Addr:           c.SSHAddr,
			HostKeyPath:    filepath.Join(filepath.Dir(c.DB), "ssh_host_ed25519_key"),
			AuthorizedKeys: c.AuthorizedKeys,
			MaxSessions:    c.MaxSessions,
			IdleTimeout:    sshIdle(c.SSHIdleTimeout),
			Subscribe:      eng.Subscribe,
			UI:             uiOpts,
			Terminal:       notifier.AddTerminal,
			Logger:         logger,
		})
		if err != nil {
			fmt.Fprintf(stderr, "downforai serve: %v\n", err)
			return exitFail
		}
		ln, err := srv.Listen()
		if err != nil {
			fmt.Fprintf(stderr, "downforai serve: %v\n", err)
			return exitFail
		}
		wg.Go(func() {
			if err := srv.Serve(ln); err != nil {
				logger.Error("ssh server stopped", "err", err)
			}
		})
		closers = append(closers, func() {
			// Each viewer's dashboard ends and says goodbye; a viewer that
			// does not hang up then is cut off.
			sctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			srv.Shutdown(sctx)
		})
		logger.Info("ssh listening", "addr", ln.Addr().String(), "authorized_keys", c.AuthorizedKeys, "max_sessions", c.MaxSessions,
			"idle_timeout", time.Duration(c.SSHIdleTimeout).String())
	}

	startWatching, err := prepareWatch(ctx, &wg, c, c.StaleAfter(), hist, eng.Subscribe, targets, logger, notifier)
	if err != nil {
		fmt.Fprintf(stderr, "downforai serve: %v\n", err)
		return exitFail
	}
	startWatching()
	serveSocket(ctx, &wg, c, hist, db.WhenOpen, eng, targets, logger)
	startSessions(ctx, &wg, c, getenv, eng, hist, logger)
	logger.Info("serving", "version", buildVersion(), "db", c.DB, "config", c.Path, "targets", len(targets),
		"webhook", c.Webhook != "")
	if err := eng.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("engine stopped", "err", err)
		return exitFail
	}
	return exitOK
}

// sshIdle turns the --ssh-idle-timeout setting (0: never) into
// sshserve's (negative: never).
func sshIdle(d config.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return time.Duration(d)
}

// serveSocket lets a second downforai on this machine watch eng over the
// socket beside the database until ctx ends. Running on memory, the
// socket comes when the database opens (whenOpen), since the file is then
// ours and a viewer would otherwise only get the lock message. Without a
// socket the engine runs on: viewers then get the lock message instead.
func serveSocket(ctx context.Context, wg *sync.WaitGroup, c config.Config, hist probe.History, whenOpen func(func(*store.Store)), eng *probe.Engine, targets []probe.Target, logger *slog.Logger) {
	if hist == nil {
		logger.Warn("no attach socket yet: the database is not open; it comes when the database opens")
		whenOpen(func(st *store.Store) {
			if ctx.Err() == nil {
				serveSocket(ctx, wg, c, st, nil, eng, targets, logger)
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
			Horizon: judge.Horizon(time.Duration(c.Interval), time.Duration(c.StatusInterval))},
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

// runAttached is the dashboard as a viewer of another process's engine.
func runAttached(c config.Config, getenv env, cl *remote.Client, scr screen, stderr io.Writer) int {
	logger, closeLog, logPath := openLog(c)
	defer closeLog()
	stop := cli.NewStopper(logger)
	defer stop.Done()
	stop.Rescue(ui.SaveTerminal(scr.in, scr.out).Restore)
	ctx := stop.Context()
	events, err := cl.Events(ctx, eventBuffer)
	if err != nil {
		fmt.Fprintf(stderr, "downforai: attach to the running engine: %v\n", err)
		return exitFail
	}
	h := cl.Hello()
	// The engine's idea of stale, not this viewer's flags.
	stale := c.StaleAfter()
	if h.StaleAfter > 0 {
		stale = h.StaleAfter
	}
	if h.RecoverThreshold > 0 {
		// The engine's count too, so this viewer's banner, metrics and
		// notifications recover when the engine's incident closes.
		c.RecoverThreshold = h.RecoverThreshold
	}
	opts := dashboardOptions(c, cl, h.Targets, logger)
	opts.Events, opts.StaleAfter = events, stale
	if h.Horizon > 0 {
		opts.Horizon = h.Horizon // the engine's intervals, not this viewer's flags
	}
	// Said once, in the banner, at any width.
	opts.Viewer = fmt.Sprintf("viewer of pid %d", h.PID)
	p, out := scr.program(ctx, opts, getenv)
	// Bell, OSC and desktop notifications for this viewer; the webhook is
	// the engine owner's to send.
	notifier := startNotifier(c, getenv, logger, false)
	defer notifier.Close()
	notifier.AddTerminal(out)
	var wg sync.WaitGroup
	defer wg.Wait()
	subscribe := func(buf int) (<-chan probe.Event, func()) {
		ch, err := cl.Events(ctx, buf)
		if err != nil {
			closed := make(chan probe.Event)
			close(closed)
			return closed, func() {}
		}
		return ch, func() {}
	}
	startWatching, err := prepareWatch(ctx, &wg, c, stale, cl, subscribe, h.Targets, logger, notifier)
	if err != nil {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	startWatching()
	defer stop.Stop("viewer ended")
	_, err = p.Run()
	stop.Stop(cli.ProgramEnd(err))
	return cli.ProgramExit(err, "", logPath, stderr)
}

// prepareWatch binds the metrics endpoint (when --metrics-addr is set)
// and returns what starts following the engine, on a subscription of its
// own, for that endpoint and the observers given, until ctx ends. It fails
// only when the metrics address cannot be bound, so the caller can refuse
// it before the screen is taken and start the rest later (the dashboard:
// after its first frame).
func prepareWatch(ctx context.Context, wg *sync.WaitGroup, c config.Config, stale time.Duration, h probe.History, subscribe func(int) (<-chan probe.Event, func()), targets []probe.Target, logger *slog.Logger, obs ...watch.Observer) (func(), error) {
	var ln net.Listener
	if c.MetricsAddr != "" {
		var err error
		if ln, err = net.Listen("tcp", c.MetricsAddr); err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
	}
	return func() { startWatch(ctx, wg, c, stale, h, subscribe, targets, logger, ln, obs...) }, nil
}

// startWatch serves metrics on ln (when not nil) and runs the observers.
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
	if err := tr.Prime(h, targets, time.Now().Add(-judge.Horizon(time.Duration(c.Interval), time.Duration(c.StatusInterval)))); err != nil {
		logger.Warn("watch: no history to start from", "err", err)
	}
	events, unsubscribe := subscribe(eventBuffer)
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
