// Command downforai answers "is Claude down, or is it me?" in a terminal: it
// probes claude.ai, the Claude API and Claude Code from this machine, reads
// Anthropic's status page, keeps every observation in a bbolt file and shows
// it all in a tabbed dashboard.
//
// main wires flags → config → store → engine → program, then cancels, waits
// and closes. It owns no logic of its own.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/BurntSushi/toml"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"downforai/probe"
	"downforai/probe/check"
	"downforai/probe/metrics"
	"downforai/probe/notify"
	"downforai/probe/remote"
	"downforai/probe/watch"
	"downforai/store"
	"downforai/ui"
	"downforai/ui/sshserve"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// the module version from the build info, else "dev".
var version = ""

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Exit codes shared by every front door.
const (
	exitOK    = 0
	exitFail  = 1 // runtime failure (locked database, I/O)
	exitUsage = 2 // bad flags, bad config
)

// config is every setting; each is a flag and a key in config.toml.
type config struct {
	StatusURL      string        `toml:"status_url"`
	APIURL         string        `toml:"api_url"`
	ClaudeURL      string        `toml:"claude_url"`
	DB             string        `toml:"db"`
	Interval       time.Duration `toml:"interval"`
	StatusInterval time.Duration `toml:"status_interval"`
	Timeout        time.Duration `toml:"timeout"`
	ClaudeBin      string        `toml:"claude_bin"`

	// serve
	SSHAddr        string `toml:"ssh_addr"`
	AuthorizedKeys string `toml:"authorized_keys"`
	MaxSessions    int    `toml:"max_sessions"`

	MetricsAddr string `toml:"metrics_addr"`

	// notifications on verdict changes
	NotifyBell             bool          `toml:"notify_bell"`
	NotifyOSC              bool          `toml:"notify_osc"`
	NotifyDesktop          bool          `toml:"notify_desktop"`
	Webhook                string        `toml:"webhook"`
	NotifyDebounce         time.Duration `toml:"notify_debounce"`
	NotifyRemind           time.Duration `toml:"notify_remind"`
	NotifyQuietMaintenance bool          `toml:"notify_quiet_maintenance"`

	path string // the config file read, "" if none
}

// env is how main reads the environment, so tests can hand in their own.
type env func(string) string

func defaultConfig(getenv env) config {
	api := getenv("ANTHROPIC_BASE_URL")
	if api == "" {
		api = "https://api.anthropic.com"
	}
	return config{
		StatusURL:      "https://status.claude.com",
		APIURL:         api,
		ClaudeURL:      "https://claude.ai",
		DB:             filepath.Join(stateDir(getenv), "history.db"),
		Interval:       30 * time.Second,
		StatusInterval: 60 * time.Second,
		Timeout:        10 * time.Second,
		ClaudeBin:      "claude",
		SSHAddr:        sshserve.DefaultAddr,
		AuthorizedKeys: filepath.Join(homeDir(getenv), ".ssh", "authorized_keys"),
		MaxSessions:    sshserve.DefaultMaxSessions,

		NotifyBell:             true,
		NotifyOSC:              true,
		NotifyDesktop:          true,
		NotifyDebounce:         time.Minute,
		NotifyQuietMaintenance: true,
	}
}

// stateDir is $XDG_STATE_HOME/downforai, else ~/.local/state/downforai.
func stateDir(getenv env) string {
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "downforai")
	}
	return filepath.Join(homeDir(getenv), ".local", "state", "downforai")
}

// configPath is $XDG_CONFIG_HOME/downforai/config.toml, else
// ~/.config/downforai/config.toml.
func configPath(getenv env) string {
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "downforai", "config.toml")
	}
	return filepath.Join(homeDir(getenv), ".config", "downforai", "config.toml")
}

func homeDir(getenv env) string {
	if h := getenv("HOME"); h != "" {
		return h
	}
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return "."
}

// errHelp and errVersion end parsing without an error to report.
var (
	errHelp    = errors.New("help requested")
	errVersion = errors.New("version requested")
)

// command is one front door. Every command takes the shared settings;
// flags adds the flags only it has (they may sit anywhere among the shared
// ones), run does the work and returns the exit code.
type command struct {
	summary string
	flags   func(fs *flag.FlagSet) // nil: no flags of its own
	run     func(r runEnv) int
	// badUsage is the exit code for bad flags or settings; 0 means
	// exitUsage. check needs its own: its 2 means an outage.
	badUsage int
}

// runEnv is what a command gets: settings, positional arguments, the
// environment and the standard streams.
type runEnv struct {
	cfg    config
	args   []string
	getenv env
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// commands maps a subcommand name to a constructor, so each run gets fresh
// flag variables. "" is the dashboard.
var commands = map[string]func() command{
	"":      tuiCommand,
	"check": checkCommand,
	"serve": serveCommand,
}

func tuiCommand() command {
	return command{
		summary: "open the dashboard",
		run: func(r runEnv) int {
			if len(r.args) > 0 {
				fmt.Fprintf(r.stderr, "downforai: unexpected argument %q (subcommands: see --help)\n", r.args[0])
				return exitUsage
			}
			return runTUI(r.cfg, r.getenv, r.stderr)
		},
	}
}

// bindFlags registers every shared setting on fs, bound to c.
func bindFlags(fs *flag.FlagSet, c *config, cfgPath *string, showVersion *bool) {
	fs.StringVar(cfgPath, "config", *cfgPath, "read settings from this TOML `file`")
	fs.StringVar(&c.StatusURL, "status-url", c.StatusURL, "Anthropic status page base `URL`")
	fs.StringVar(&c.APIURL, "api-url", c.APIURL, "Claude API base `URL` (default $ANTHROPIC_BASE_URL, else https://api.anthropic.com)")
	fs.StringVar(&c.ClaudeURL, "claude-url", c.ClaudeURL, "Claude app `URL`")
	fs.StringVar(&c.DB, "db", c.DB, "history database `file`")
	fs.DurationVar(&c.Interval, "interval", c.Interval, "how often to probe claude.ai, the API and Claude Code")
	fs.DurationVar(&c.StatusInterval, "status-interval", c.StatusInterval, "how often to read the status page")
	fs.DurationVar(&c.Timeout, "timeout", c.Timeout, "time limit of one probe; shorter than both intervals")
	fs.StringVar(&c.ClaudeBin, "claude-bin", c.ClaudeBin, "Claude Code `command` to check")
	fs.BoolVar(showVersion, "version", false, "print the version and exit")
	fs.StringVar(&c.SSHAddr, "ssh-addr", c.SSHAddr, "serve: SSH listen `address` (\"\" for none)")
	fs.StringVar(&c.AuthorizedKeys, "authorized-keys", c.AuthorizedKeys, "serve: public keys allowed to watch over SSH (`file`)")
	fs.IntVar(&c.MaxSessions, "max-sessions", c.MaxSessions, "serve: most SSH viewers at once")
	fs.BoolVar(&c.NotifyBell, "notify-bell", c.NotifyBell, "ring the terminal bell when the verdict changes")
	fs.BoolVar(&c.NotifyOSC, "notify-osc", c.NotifyOSC, "send OSC 9 and OSC 777 terminal notifications when the verdict changes")
	fs.BoolVar(&c.NotifyDesktop, "notify-desktop", c.NotifyDesktop, "show a desktop notification when the verdict changes (where a desktop session exists)")
	fs.StringVar(&c.Webhook, "webhook", c.Webhook, "POST verdict changes to this `URL` (Slack and Discord webhooks get their own payload)")
	fs.DurationVar(&c.NotifyDebounce, "notify-debounce", c.NotifyDebounce, "how long a new verdict must hold before it is announced")
	fs.DurationVar(&c.NotifyRemind, "notify-remind", c.NotifyRemind, "repeat a bad verdict this often (0: never)")
	fs.BoolVar(&c.NotifyQuietMaintenance, "notify-quiet-maintenance", c.NotifyQuietMaintenance, "announce nothing while Anthropic reports a maintenance in progress")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "serve Prometheus metrics on `address` (e.g. 127.0.0.1:9464; \"\" for none)")
}

// loadConfig resolves the settings for one invocation: defaults (with the
// environment), then the config file, then flags — a flag beats the file.
// It returns the remaining positional arguments.
func loadConfig(name string, args []string, extra func(*flag.FlagSet), getenv env, stderr io.Writer) (config, []string, error) {
	def := defaultConfig(getenv)

	// First pass: learn --config, --help, --version and reject bad flags
	// before any file is read.
	scratch := def
	path := ""
	showVersion := false
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	bindFlags(fs, &scratch, &path, &showVersion)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			usage(fs, name)
			return config{}, nil, errHelp
		}
		return config{}, nil, err
	}
	if showVersion {
		return config{}, nil, errVersion
	}

	c := def
	explicit := path != ""
	if !explicit {
		path = configPath(getenv)
	}
	if err := readConfigFile(path, explicit, &c); err != nil {
		return config{}, nil, err
	}

	// Second pass: flags over the file.
	fs = flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	bindFlags(fs, &c, &path, &showVersion)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return config{}, nil, err
	}
	if err := c.validate(); err != nil {
		return config{}, nil, err
	}
	return c, fs.Args(), nil
}

func usage(fs *flag.FlagSet, name string) {
	w := fs.Output()
	fmt.Fprintf(w, "Usage: %s [flags]\n\nIs Claude down, or is it me? A terminal dashboard.\n", name)
	if name == "downforai" && len(commands) > 1 {
		fmt.Fprintf(w, "\nCommands (downforai COMMAND [flags]):\n")
		names := make([]string, 0, len(commands))
		for n := range commands {
			if n != "" {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(w, "  %-10s %s\n", n, commands[n]().summary)
		}
	}
	fmt.Fprintf(w, "\nFlags:\n")
	fs.PrintDefaults()
	fmt.Fprintf(w, "\nSettings are also read from %s (see README).\n", "$XDG_CONFIG_HOME/downforai/config.toml")
}

// readConfigFile overlays the TOML file at path onto c. A missing file is
// fine unless it was named with --config.
func readConfigFile(path string, explicit bool, c *config) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	md, err := toml.Decode(string(data), c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("config %s: line %d: %s", path, pe.Position.Line, pe.Message)
		}
		return fmt.Errorf("config %s: %v", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return fmt.Errorf("config %s: unknown key %q", path, und[0].String())
	}
	c.path = path
	return nil
}

func (c config) validate() error {
	for _, u := range []struct{ flag, val string }{
		{"status-url", c.StatusURL}, {"api-url", c.APIURL}, {"claude-url", c.ClaudeURL},
	} {
		p, err := url.Parse(u.val)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("--%s %q is not an http(s) URL", u.flag, u.val)
		}
	}
	for _, d := range []struct {
		flag string
		val  time.Duration
	}{{"interval", c.Interval}, {"status-interval", c.StatusInterval}, {"timeout", c.Timeout}} {
		if d.val <= 0 {
			return fmt.Errorf("--%s must be positive, not %s", d.flag, d.val)
		}
	}
	if c.Timeout >= c.Interval || c.Timeout >= c.StatusInterval {
		return fmt.Errorf("--timeout %s must be shorter than --interval %s and --status-interval %s", c.Timeout, c.Interval, c.StatusInterval)
	}
	if c.DB == "" {
		return errors.New("--db must name a file")
	}
	if c.ClaudeBin == "" {
		return errors.New("--claude-bin must name a command")
	}
	if c.Webhook != "" {
		if err := notify.CheckURL(c.Webhook); err != nil {
			return fmt.Errorf("--webhook %s: %v", notify.Redact(c.Webhook), err)
		}
	}
	if c.NotifyDebounce < 0 || c.NotifyRemind < 0 {
		return errors.New("--notify-debounce and --notify-remind must not be negative")
	}
	if c.MaxSessions < 1 {
		return fmt.Errorf("--max-sessions must be at least 1, not %d", c.MaxSessions)
	}
	return nil
}

// probeConfig is the engine's view of the settings plus the credentials,
// which come from the environment only and are never stored.
func (c config) probeConfig(getenv env) probe.Config {
	return probe.Config{
		StatusURL:      strings.TrimRight(c.StatusURL, "/"),
		APIURL:         strings.TrimRight(c.APIURL, "/"),
		ClaudeURL:      c.ClaudeURL,
		Interval:       c.Interval,
		StatusInterval: c.StatusInterval,
		Timeout:        c.Timeout,
		// Passed as the user's tools would send them, untrimmed, so a pasted
		// newline or quote shows up as the problem it is.
		APIKey:    getenv("ANTHROPIC_API_KEY"),
		AuthToken: getenv("ANTHROPIC_AUTH_TOKEN"),
		ClaudeBin: c.ClaudeBin,
		Version:   buildVersion(),
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run is main without os.Exit, for tests.
func run(args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	name := "downforai"
	cmdName := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmdName, args = args[0], args[1:]
		name += " " + cmdName
	}
	newCmd, ok := commands[cmdName]
	if !ok {
		fmt.Fprintf(stderr, "downforai: unknown command %q (see downforai --help)\n", cmdName)
		return exitUsage
	}
	cmd := newCmd()
	c, rest, err := loadConfig(name, args, cmd.flags, getenv, stderr)
	switch {
	case errors.Is(err, errHelp):
		return exitOK
	case errors.Is(err, errVersion):
		fmt.Fprintf(stdout, "downforai %s\n", buildVersion())
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		if cmd.badUsage != 0 {
			return cmd.badUsage
		}
		return exitUsage
	}
	return cmd.run(runEnv{cfg: c, args: rest, getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr})
}

// openStore opens the database, turning the lock into one clear line.
func openStore(c config, stderr io.Writer) (*store.Store, bool) {
	st, err := store.Open(c.DB, store.Options{LockTimeout: time.Second})
	if err != nil {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return nil, false
	}
	return st, true
}

// openLog sends logs to a file in the state directory: the terminal belongs
// to the dashboard.
func openLog(c config) (*slog.Logger, func(), string) {
	path := filepath.Join(filepath.Dir(c.DB), "downforai.log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil)), func() {}, ""
	}
	return slog.New(slog.NewTextHandler(f, nil)), func() { f.Close() }, path
}

func runTUI(c config, getenv env, stderr io.Writer) int {
	st, err := store.Open(c.DB, store.Options{LockTimeout: time.Second})
	if errors.Is(err, store.ErrLocked) {
		// Another engine owns the file: watch it if it answers on its socket.
		if cl, derr := remote.Dial(context.Background(), remote.SocketPath(c.DB), absPath(c.DB)); derr == nil {
			return runAttached(c, getenv, cl, stderr)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	defer st.Close()
	logger, closeLog, _ := openLog(c)
	defer closeLog()

	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer cancel()

	pc := c.probeConfig(getenv)
	checks := probe.NewChecks(pc)
	eng := probe.NewEngine(checks, st)
	events, unsubscribe := eng.Subscribe(256)
	defer unsubscribe()

	targets := make([]probe.Target, 0, len(checks))
	for _, ch := range checks {
		targets = append(targets, ch.Target)
	}
	m := ui.New(ui.Options{
		Renderer:   lipgloss.DefaultRenderer(),
		History:    st,
		Events:     events,
		Version:    buildVersion(),
		StaleAfter: 3 * max(c.Interval, c.StatusInterval),
		Targets:    targets,
	})
	// Notifications are written between frames of the program's output.
	out := ui.NewFileOutput(os.Stdout)
	p := tea.NewProgram(m, append(ui.ProgramOptions(), tea.WithContext(ctx), tea.WithOutput(out))...)
	notifier := startNotifier(c, getenv, logger, true)
	defer notifier.Close()
	notifier.AddTerminal(out)

	var wg sync.WaitGroup
	if err := startWatch(ctx, &wg, c, st, eng.Subscribe, targets, logger, notifier); err != nil {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := eng.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			logger.Error("engine stopped", "err", err)
		}
	}()
	serveSocket(ctx, &wg, c, st, eng, targets, logger)
	logger.Info("started", "version", buildVersion(), "db", c.DB, "config", c.path)
	_, err = p.Run()
	cancel()
	wg.Wait()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	return exitOK
}

func checkCommand() command {
	asJSON := false
	return command{
		summary:  "probe everything once; print a table or --json; exit 0 ok, 1 degraded/your side, 2 outage, 3 could not check",
		flags:    func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON instead of a table") },
		badUsage: check.ExitUnknown,
		run: func(r runEnv) int {
			if len(r.args) > 0 {
				fmt.Fprintf(r.stderr, "downforai check: unexpected argument %q\n", r.args[0])
				return check.ExitUnknown
			}
			// Record the round when the database is free; a running
			// dashboard or serve holds it, and the check works without.
			var rec probe.Recorder
			if st, err := store.Open(r.cfg.DB, store.Options{LockTimeout: 200 * time.Millisecond}); err == nil {
				defer st.Close()
				rec = st
			} else {
				fmt.Fprintf(r.stderr, "downforai check: not recording this round: %v\n", err)
			}
			ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer cancel()
			checks := probe.NewChecks(r.cfg.probeConfig(r.getenv))
			rep := check.Run(ctx, probe.NewEngine(checks, rec), len(checks), time.Now)
			write := rep.WriteTable
			if asJSON {
				write = rep.WriteJSON
			}
			if err := write(r.stdout); err != nil {
				fmt.Fprintf(r.stderr, "downforai check: %v\n", err)
				return check.ExitUnknown
			}
			return rep.ExitCode()
		},
	}
}

func serveCommand() command {
	return command{
		summary: "run the engine headless; viewers attach over SSH (--ssh-addr) or the local socket",
		run: func(r runEnv) int {
			if len(r.args) > 0 {
				fmt.Fprintf(r.stderr, "downforai serve: unexpected argument %q\n", r.args[0])
				return exitUsage
			}
			return runServe(r.cfg, r.getenv, r.stderr)
		},
	}
}

// runServe wires store, engine and the front doors of `downforai serve`,
// then stops them in reverse order on SIGINT or SIGTERM.
func runServe(c config, getenv env, stderr io.Writer) int {
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	st, ok := openStore(c, stderr)
	if !ok {
		return exitFail
	}
	defer st.Close()
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	pc := c.probeConfig(getenv)
	checks := probe.NewChecks(pc)
	eng := probe.NewEngine(checks, st)
	targets := make([]probe.Target, 0, len(checks))
	for _, ch := range checks {
		targets = append(targets, ch.Target)
	}
	uiOpts := ui.Options{
		History:    st,
		Version:    buildVersion(),
		StaleAfter: 3 * max(c.Interval, c.StatusInterval),
		Targets:    targets,
	}

	notifier := startNotifier(c, getenv, logger, true)
	defer notifier.Close()
	var wg sync.WaitGroup
	var closers []func()
	defer func() {
		cancel()
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
		wg.Wait()
		logger.Info("stopped")
	}()

	if c.SSHAddr != "" {
		srv, err := sshserve.New(sshserve.Options{
			Addr:           c.SSHAddr,
			HostKeyPath:    filepath.Join(filepath.Dir(c.DB), "ssh_host_ed25519_key"),
			AuthorizedKeys: c.AuthorizedKeys,
			MaxSessions:    c.MaxSessions,
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
		closers = append(closers, func() { srv.Close() })
		logger.Info("ssh listening", "addr", ln.Addr().String(), "authorized_keys", c.AuthorizedKeys, "max_sessions", c.MaxSessions)
	}

	if err := startWatch(ctx, &wg, c, st, eng.Subscribe, targets, logger, notifier); err != nil {
		fmt.Fprintf(stderr, "downforai serve: %v\n", err)
		return exitFail
	}
	serveSocket(ctx, &wg, c, st, eng, targets, logger)
	logger.Info("serving", "version", buildVersion(), "db", c.DB, "config", c.path, "targets", len(checks),
		"webhook", c.Webhook != "")
	if err := eng.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("engine stopped", "err", err)
		return exitFail
	}
	logger.Info("stopping", "reason", "signal")
	return exitOK
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// serveSocket lets a second downforai on this machine watch eng over the
// socket beside the database until ctx ends. Without a socket the engine
// runs on: viewers then get the lock message instead.
func serveSocket(ctx context.Context, wg *sync.WaitGroup, c config, st *store.Store, eng *probe.Engine, targets []probe.Target, logger *slog.Logger) {
	path := remote.SocketPath(c.DB)
	ln, err := remote.Listen(path)
	if err != nil {
		logger.Warn("no attach socket", "err", err)
		return
	}
	srv := &remote.Server{
		Hello:     remote.Hello{Protocol: remote.ProtocolVersion, Version: buildVersion(), DB: absPath(c.DB), PID: os.Getpid(), Targets: targets},
		History:   st,
		Subscribe: eng.Subscribe,
		Logger:    logger,
	}
	wg.Go(func() {
		if err := srv.Serve(ctx, ln); err != nil {
			logger.Error("attach socket stopped", "err", err)
		}
	})
	logger.Info("attach socket listening", "path", path)
}

// runAttached is the dashboard as a viewer of another process's engine.
func runAttached(c config, getenv env, cl *remote.Client, stderr io.Writer) int {
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer cancel()
	events, err := cl.Events(ctx, 256)
	if err != nil {
		fmt.Fprintf(stderr, "downforai: attach to the running engine: %v\n", err)
		return exitFail
	}
	h := cl.Hello()
	m := ui.New(ui.Options{
		Renderer:   lipgloss.DefaultRenderer(),
		History:    cl,
		Events:     events,
		Version:    fmt.Sprintf("%s · viewer of pid %d", buildVersion(), h.PID),
		StaleAfter: 3 * max(c.Interval, c.StatusInterval),
		Targets:    h.Targets,
	})
	out := ui.NewFileOutput(os.Stdout)
	p := tea.NewProgram(m, append(ui.ProgramOptions(), tea.WithContext(ctx), tea.WithOutput(out))...)
	// Bell, OSC and desktop notifications for this viewer; the webhook is
	// the engine owner's to send.
	logger, closeLog, _ := openLog(c)
	defer closeLog()
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
	if err := startWatch(ctx, &wg, c, cl, subscribe, h.Targets, logger, notifier); err != nil {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	defer cancel()
	_, err = p.Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	return exitOK
}

// startWatch follows the engine on a subscription of its own for the
// metrics endpoint (when --metrics-addr is set) and the observers given,
// until ctx ends. It fails only when the metrics address cannot be bound.
func startWatch(ctx context.Context, wg *sync.WaitGroup, c config, h probe.History, subscribe func(int) (<-chan probe.Event, func()), targets []probe.Target, logger *slog.Logger, obs ...watch.Observer) error {
	if c.MetricsAddr != "" {
		ln, err := net.Listen("tcp", c.MetricsAddr)
		if err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
		m := metrics.New(buildVersion())
		obs = append(obs, m)
		wg.Go(func() {
			if err := metrics.Serve(ctx, ln, m.Handler()); err != nil {
				logger.Error("metrics server stopped", "err", err)
			}
		})
		logger.Info("metrics listening", "addr", ln.Addr().String())
	}
	if len(obs) == 0 {
		return nil
	}
	tr := watch.NewTracker(3 * max(c.Interval, c.StatusInterval))
	if err := tr.Prime(h, targets); err != nil {
		logger.Warn("watch: no history to start from", "err", err)
	}
	events, unsubscribe := subscribe(256)
	wg.Go(func() {
		defer unsubscribe()
		watch.Run(ctx, events, tr, 15*time.Second, time.Now, obs...)
	})
	return nil
}

// startNotifier builds the notifications the settings ask for; the webhook
// only where the engine runs (a viewer would send it twice).
func startNotifier(c config, getenv env, logger *slog.Logger, withWebhook bool) *notify.Notifier {
	host, _ := os.Hostname()
	nc := notify.Config{
		Options: notify.Options{
			Debounce: c.NotifyDebounce, Remind: c.NotifyRemind, QuietMaintenance: c.NotifyQuietMaintenance,
			Host: host, Logger: logger, Bell: c.NotifyBell, OSC: c.NotifyOSC,
		},
		Desktop: c.NotifyDesktop && notify.HasDesktop(getenv),
	}
	if withWebhook {
		nc.Webhook = c.Webhook
	}
	return notify.Start(nc)
}
