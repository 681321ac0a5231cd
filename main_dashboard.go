package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
	"downforai/probe/config"
	"downforai/probe/remote"
	"downforai/store"
	"downforai/ui"
	"downforai/ui/cli"
	"downforai/ui/terminal"
)

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

// errNoTerminal is the dashboard started where it cannot draw: in a pipe,
// a cron job, ssh without -t.
var errNoTerminal = errors.New(`the dashboard needs a terminal; for one answer run "downforai check", ` +
	`to run headless "downforai serve", over ssh use "ssh -t"`)

// screen is the terminal the dashboard draws on and reads keys from; ask
// (its background, asked while the database opens) and rescue (its mode
// before that question) are set by runDashboard.
type screen struct {
	in, out *os.File
	ask     *terminal.Asked
	rescue  *ui.TerminalRescue
}

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
// once, briefly, while the database opened: s.ask) and notifications and OSC 52 written between frames.
func (s screen) program(ctx context.Context, opts ui.Options) (*tea.Program, *ui.FileOutput) {
	out := ui.NewFileOutput(s.out)
	opts.Renderer, opts.Clipboard = s.ask.Renderer(), out
	// The first frame at the terminal's size, drawn as soon as Run writes
	// it; then frames soon after a change and seldom when idle (ui.Pacer).
	opts.Width, opts.Height = terminal.Size(s.out)
	var p *tea.Program
	pace := &ui.Pacer{}
	opts.OnInit, opts.OnView = func() { pace.Start(p) }, pace.Viewed
	p = tea.NewProgram(ui.New(opts), append(ui.ProgramOptions(),
		tea.WithContext(ctx), tea.WithOutput(out), tea.WithInput(s.in))...)
	go pace.WhenDrawn(out.Drawn(), ctx.Done())
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
	// The terminal's background is asked at once and answered while the
	// database opens, not after it (issue 11: the question's round trip
	// came before the first frame's work). The terminal is in raw mode
	// until the answer is in: its mode is saved before, for a forced exit
	// to give back, and nothing is written to it before the answer (an
	// error would be drawn as a staircase).
	scr.rescue = ui.SaveTerminal(scr.in, scr.out)
	scr.ask = terminal.Ask(scr.out, scr.in, r.Getenv)
	defer scr.ask.Wait()
	return runTUI(r.Config, r.Getenv, scr, terminal.AfterAsk(scr.ask, r.Stderr))
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
	rec, hist := db.Rec, db.History
	logger, closeLog, logPath := openLog(c)
	defer closeLog()
	// What a forced exit does first: give the terminal back, close the file.
	stop, done := ownStore(c, db, logger, scr.rescue.Restore)
	defer done()
	ctx := stop.Context()

	eng, targets := newEngine(c, getenv, rec, hist, logger)
	events, unsubscribe := eng.Subscribe(probe.EventBuffer)
	defer unsubscribe()
	opts := dashboardOptions(c, hist, targets, logger)
	opts.Events = events
	p, out := scr.program(ctx, opts)
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
	// The metrics address is bound before the screen is taken, so that a
	// refusal is said on the terminal (ownMetrics: one asked for on the
	// command line ends the dashboard, one from the file does not).
	metricsLn, err := ownMetrics(c, stderr)
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
		// The check of every page of the file (the first frame read only
		// what it shows; the first write waits for this).
		startJudging(hist)
		// What the first frame does not need waits for it too: the watchers
		// (their tracker reads the history), the attach socket and Claude
		// Code's sessions. They start before the engine, so they miss none
		// of its events; a bad --metrics-addr was refused before the screen.
		startWatch(ctx, &wg, c, c.StaleAfter(), hist, eng.Subscribe, targets, logger, metricsLn, notifier)
		serveSocket(ctx, &wg, c, hist, db.WhenOpen, eng, targets, listenAddr(metricsLn), logger)
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

// runAttached is the dashboard as a viewer of another process's engine.
func runAttached(c config.Config, getenv env, cl *remote.Client, scr screen, stderr io.Writer) int {
	logger, closeLog, logPath := openLog(c)
	defer closeLog()
	stop := cli.NewStopper(logger)
	defer stop.Done()
	stop.Rescue(scr.rescue.Restore)
	ctx := stop.Context()
	events, err := cl.Events(ctx, probe.EventBuffer)
	if err != nil {
		fmt.Fprintf(stderr, "downforai: attach to the running engine: %v\n", err)
		return exitFail
	}
	h := cl.Hello()
	if line := viewerMetrics(c, h); line != "" {
		// Said before the screen is taken: it stays above it.
		fmt.Fprintf(stderr, "downforai: %s\n", line)
		logger.Info(line)
	}
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
	opts.OfRunningEngine = true // the owner's history, current within its stale limit
	if h.Horizon > 0 {
		opts.Horizon = h.Horizon // the engine's intervals, not this viewer's flags
	}
	// Said once, in the banner, at any width.
	opts.Viewer = fmt.Sprintf("viewer of pid %d", h.PID)
	p, out := scr.program(ctx, opts)
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
	// /metrics is the engine's: this viewer never binds the address its
	// settings name, and says who serves it.
	startWatch(ctx, &wg, c, stale, cl, subscribe, h.Targets, logger, nil, notifier)
	defer stop.Stop("viewer ended")
	_, err = p.Run()
	stop.Stop(cli.ProgramEnd(err))
	return cli.ProgramExit(err, "", logPath, stderr)
}
