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
	"sync/atomic"
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
	LocalInterval  time.Duration `toml:"local_interval"`
	// Incidents open after FailThreshold failing probes in a row and close
	// after RecoverThreshold successes in a row (Gatus-style).
	FailThreshold    int `toml:"fail_threshold"`
	RecoverThreshold int `toml:"recover_threshold"`
	Retention        age `toml:"retention"`

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
		LocalInterval:  probe.DefaultLocalInterval,

		FailThreshold:    probe.DefaultFailThreshold,
		RecoverThreshold: probe.DefaultRecoverThreshold,
		Retention:        age(store.DefaultRetention),
		SSHAddr:          sshserve.DefaultAddr,
		AuthorizedKeys:   filepath.Join(homeDir(getenv), ".ssh", "authorized_keys"),
		MaxSessions:      sshserve.DefaultMaxSessions,

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

// subcommandsOf lists the two-word commands that start with group ("db"
// → "db compact", "db rebuild", "db stats").
func subcommandsOf(group string) []string {
	var out []string
	for n := range commands {
		if strings.HasPrefix(n, group+" ") {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// runEnv is what a command gets: settings, positional arguments, the
// environment and the standard streams.
type runEnv struct {
	name   string // "downforai", "downforai check" …
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
	"":               tuiCommand,
	"check":          checkCommand,
	"diagnose":       diagnoseCommand,
	"report":         reportCommand,
	"serve":          serveCommand,
	"db stats":       dbStatsCommand,
	"db compact":     dbCompactCommand,
	"db rebuild":     dbRebuildCommand,
	"history export": historyExportCommand,
	"history import": historyImportCommand,
}

func tuiCommand() command {
	return command{
		summary: "open the dashboard",
		run: func(r runEnv) int {
			if !noArgs(r) {
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
	fs.DurationVar(&c.LocalInterval, "local-interval", c.LocalInterval, "how often to run the local checks (credential, Claude Code login, proxy, DNS, clock)")
	fs.IntVar(&c.FailThreshold, "fail-threshold", c.FailThreshold, "failing probes in a row that open an incident")
	fs.IntVar(&c.RecoverThreshold, "recover-threshold", c.RecoverThreshold, "successful probes in a row that close it")
	fs.Var(&c.Retention, "retention", "keep raw results this long (e.g. 30d, 720h; 0 keeps them forever); rollups are kept 400 days")
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
	what := "Is Claude down, or is it me? A terminal dashboard."
	if sub := strings.TrimPrefix(name, "downforai "); sub != name {
		if newCmd, ok := commands[sub]; ok {
			what = newCmd().summary
		}
	}
	fmt.Fprintf(w, "Usage: %s [flags]\n\n%s\n", name, what)
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
			fmt.Fprintf(w, "  %-16s %s\n", n, commands[n]().summary)
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
	return decodeConfig(path, data, c)
}

// decodeConfig overlays the TOML in data, read from path, onto c.
func decodeConfig(path string, data []byte, c *config) error {
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
	}{{"interval", c.Interval}, {"status-interval", c.StatusInterval}, {"timeout", c.Timeout}, {"local-interval", c.LocalInterval}} {
		if d.val <= 0 {
			return fmt.Errorf("--%s must be positive, not %s", d.flag, d.val)
		}
	}
	if c.Timeout >= c.Interval || c.Timeout >= c.StatusInterval {
		return fmt.Errorf("--timeout %s must be shorter than --interval %s and --status-interval %s", c.Timeout, c.Interval, c.StatusInterval)
	}
	if c.Timeout >= c.LocalInterval {
		return fmt.Errorf("--timeout %s must be shorter than --local-interval %s", c.Timeout, c.LocalInterval)
	}
	if c.DB == "" {
		return errors.New("--db must name a file")
	}
	if c.FailThreshold < 1 || c.RecoverThreshold < 1 {
		return fmt.Errorf("--fail-threshold %d and --recover-threshold %d must be at least 1", c.FailThreshold, c.RecoverThreshold)
	}
	if c.ClaudeBin == "" {
		return errors.New("--claude-bin must name a command")
	}
	if c.Retention < 0 {
		return fmt.Errorf("--retention must not be negative, not %s", c.Retention)
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
		// The local checks read the credential variables, proxies and
		// CLAUDE_CONFIG_DIR from the same environment.
		Env:           getenv,
		LocalInterval: c.LocalInterval,
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
		// Two-word commands: "db stats", "history export".
		if len(args) > 0 && commands[cmdName+" "+args[0]] != nil {
			cmdName, args = cmdName+" "+args[0], args[1:]
		}
		name += " " + cmdName
	}
	newCmd, ok := commands[cmdName]
	if !ok {
		if subs := subcommandsOf(cmdName); len(subs) > 0 {
			fmt.Fprintf(stderr, "downforai: %q needs one of: %s\n", cmdName, strings.Join(subs, ", "))
			return exitUsage
		}
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
	return cmd.run(runEnv{name: name, cfg: c, args: rest, getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr})
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

// newDetector builds the incident detector and hands it the incidents an
// earlier run left open, so they close when the probes recover. hist may be
// nil (no database yet): nothing to restore.
func newDetector(c config, hist probe.History, logger *slog.Logger) *probe.Detector {
	d := probe.NewDetector(probe.DetectorConfig{FailThreshold: c.FailThreshold, RecoverThreshold: c.RecoverThreshold})
	if ih, ok := hist.(probe.IncidentHistory); ok {
		open, err := ih.OpenLocalIncidents()
		if err != nil {
			logger.Error("open incidents not restored", "err", err)
		}
		d.Restore(open)
	}
	return d
}

// openRecorder opens the database behind a probe.BufferedRecorder, so that
// writes failing later (a full disk) keep history in memory and retry. A
// database that cannot be opened now for a reason that may pass (a
// read-only or full file system) is not fatal either: the dashboard starts
// on memory alone, says so, and keeps trying; one that needs a person
// (locked, not a database, too new) is. History is nil without a database.
func openRecorder(c config, stderr io.Writer) (rec *probe.BufferedRecorder, hist probe.History, closeDB func() error, err error) {
	st, err := store.Open(c.DB, store.Options{LockTimeout: time.Second})
	switch {
	case err == nil:
		rec = probe.NewBufferedRecorder(st, 0)
		return rec, st, func() error { return errors.Join(rec.Close(), st.Close()) }, nil
	case !store.Retryable(err):
		return nil, nil, nil, err
	}
	fmt.Fprintf(stderr, "downforai: warning: %v: keeping history in memory and retrying\n", err)
	rec = probe.NewLazyRecorder(func() (probe.Recorder, error) {
		st, err := store.Open(c.DB, store.Options{LockTimeout: 100 * time.Millisecond})
		if err != nil {
			return nil, err
		}
		// Opened late: retention must run on it all the same, or a serve
		// that started on a full disk would grow the file without bound.
		// (The attach socket and the screen's history stay memory-only
		// until the next start.)
		st.StartRetention(store.Retention{Results: time.Duration(c.Retention)}, nil)
		return st, nil
	}, 0)
	return rec, nil, rec.Close, nil
}

// staleAfter is how old the newest data may be before the screen, the
// metrics and the notifications call it stale: three rounds of the slower
// schedule.
func staleAfter(c config) time.Duration { return 3 * max(c.Interval, c.StatusInterval) }

// dashboardOptions are the ui.Options every front door shares — the local
// dashboard, each ssh session and the attached viewer — so they cannot
// drift apart; each adds its renderer, events and output.
func dashboardOptions(c config, hist probe.History, targets []probe.Target, logger *slog.Logger) ui.Options {
	return ui.Options{
		History:    hist,
		Version:    buildVersion(),
		StaleAfter: staleAfter(c),
		Targets:    targets,
		OnPanic: func(v any, stack []byte) {
			logger.Error("dashboard panicked", "panic", fmt.Sprint(v), "stack", string(stack))
		},
	}
}

// newEngine builds what the owner of the database runs — the probes, the
// local checks and the incident detector — and starts retention on the
// store when there is one. It returns the engine and its targets in order.
func newEngine(c config, getenv env, rec probe.Recorder, hist probe.History, logger *slog.Logger) (*probe.Engine, []probe.Target) {
	pc := c.probeConfig(getenv)
	checks := append(probe.NewChecks(pc), probe.NewLocalCheck(pc))
	eng := probe.NewEngine(checks, rec, probe.WithObserver(newDetector(c, hist, logger)))
	if st, ok := hist.(*store.Store); ok {
		st.StartRetention(store.Retention{Results: time.Duration(c.Retention)}, func(err error) {
			logger.Error("retention", "err", err)
		})
	}
	targets := make([]probe.Target, 0, len(checks))
	for _, ch := range checks {
		targets = append(targets, ch.Target)
	}
	return eng, targets
}

// programExit turns the end of the dashboard into an exit code. After a
// crash — a panic Bubble Tea caught (it restored the terminal and printed
// the panic), or one in the engine (crash says which) — one line on stderr
// names the log that holds the details.
func programExit(err error, crash, logPath string, stderr io.Writer) int {
	if crash != "" || errors.Is(err, tea.ErrProgramPanic) {
		if crash == "" {
			crash = "panic in the dashboard"
		}
		where := "the log"
		if logPath != "" {
			where = logPath
		}
		fmt.Fprintf(stderr, "downforai: crashed (%s); the terminal was restored; details in %s\n", crash, where)
		return exitFail
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	return exitOK
}

func runTUI(c config, getenv env, stderr io.Writer) int {
	rec, hist, closeDB, err := openRecorder(c, stderr)
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
	logger, closeLog, logPath := openLog(c)
	defer closeLog()
	defer func() {
		if err := closeDB(); err != nil {
			logger.Error("closing the database", "err", err)
		}
	}()

	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer cancel()

	eng, targets := newEngine(c, getenv, rec, hist, logger)
	events, unsubscribe := eng.Subscribe(256)
	defer unsubscribe()
	// Notifications and the OSC 52 copy are written between frames of the
	// program's output.
	out := ui.NewFileOutput(os.Stdout)
	opts := dashboardOptions(c, hist, targets, logger)
	opts.Renderer, opts.Events, opts.Clipboard = lipgloss.DefaultRenderer(), events, out
	p := tea.NewProgram(ui.New(opts), append(ui.ProgramOptions(), tea.WithContext(ctx), tea.WithOutput(out))...)
	notifier := startNotifier(c, getenv, logger, true)
	defer notifier.Close()
	notifier.AddTerminal(out)

	var wg sync.WaitGroup
	var crash atomic.Value // string: why the engine died
	if err := startWatch(ctx, &wg, c, staleAfter(c), hist, eng.Subscribe, targets, logger, notifier); err != nil {
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
		if err := eng.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			logger.Error("engine stopped", "err", err)
		}
	}()
	serveSocket(ctx, &wg, c, hist, eng, targets, logger)
	logger.Info("started", "version", buildVersion(), "db", c.DB, "config", c.path)
	_, err = p.Run()
	cancel()
	wg.Wait()
	why, _ := crash.Load().(string)
	if err != nil {
		logger.Info("stopped", "err", err)
	}
	return programExit(err, why, logPath, stderr)
}

func diagnoseCommand() command {
	return command{
		summary: `match an error against the known problems: diagnose "TEXT", or diagnose - to read stdin`,
		run: func(r runEnv) int {
			text := strings.Join(r.args, " ")
			if len(r.args) == 1 && r.args[0] == "-" {
				b, err := io.ReadAll(io.LimitReader(r.stdin, 64<<10))
				if err != nil {
					fmt.Fprintf(r.stderr, "downforai diagnose: reading stdin: %v\n", err)
					return exitFail
				}
				text = string(b)
			}
			if strings.TrimSpace(text) == "" {
				fmt.Fprintln(r.stderr, `downforai diagnose: give the error text: downforai diagnose "TEXT", or … | downforai diagnose -`)
				return exitUsage
			}
			ev := gatherEvidence(r)
			fmt.Fprint(r.stdout, probe.FormatDiagnosis(probe.Diagnose(text), ev))
			return exitOK
		},
	}
}

func reportCommand() command {
	return command{
		summary: "print the redacted Markdown evidence report (what the dashboard's c copies)",
		run: func(r runEnv) int {
			if !noArgs(r) {
				return exitUsage
			}
			fmt.Fprint(r.stdout, probe.Report(gatherEvidence(r)))
			return exitOK
		},
	}
}

// gatherEvidence runs one round of probes and local checks, recorded into
// the database with its recent history when the database is free; when a
// dashboard holds it, the round alone, and the evidence says so.
func gatherEvidence(r runEnv) probe.Evidence {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	pc := r.cfg.probeConfig(r.getenv)
	checks := append(probe.NewChecks(pc), probe.NewLocalCheck(pc))
	var rec probe.Recorder
	var hist probe.History
	note := ""
	if st, err := store.Open(r.cfg.DB, store.Options{LockTimeout: time.Second}); err == nil {
		defer st.Close()
		rec, hist = st, st
	} else if errors.Is(err, store.ErrLocked) {
		note = "one fresh round of probes: a running downforai holds the database"
	} else {
		note = "one fresh round of probes: " + probe.Line(err.Error(), 200)
	}
	ev := probe.Gather(ctx, checks, rec, hist, buildVersion())
	ev.Note = note
	return ev
}

// age is a duration that also takes days ("30d"), for flags and TOML.
type age time.Duration

func (a age) String() string {
	d := time.Duration(a)
	if d != 0 && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

// Set parses "30d", "36h", "90m" or "0".
func (a *age) Set(s string) error {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var days int64
		if _, err := fmt.Sscanf(n, "%d", &days); err != nil || fmt.Sprint(days) != n {
			return fmt.Errorf("%q is not a number of days", s)
		}
		*a = age(time.Duration(days) * 24 * time.Hour)
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration (e.g. 30d, 720h)", s)
	}
	*a = age(d)
	return nil
}

// UnmarshalText reads the TOML key.
func (a *age) UnmarshalText(b []byte) error { return a.Set(string(b)) }

// noArgs reports whether the command got no positional arguments, and
// says so on stderr, naming the command, when it did.
func noArgs(r runEnv) bool {
	if len(r.args) > 0 {
		fmt.Fprintf(r.stderr, "%s: unexpected argument %q (see %s --help)\n", r.name, r.args[0], r.name)
		return false
	}
	return true
}

func dbStatsCommand() command {
	return command{
		summary: "database size, results and rollups per target, free pages",
		run: func(r runEnv) int {
			if !noArgs(r) {
				return exitUsage
			}
			st, ok := openStore(r.cfg, r.stderr)
			if !ok {
				return exitFail
			}
			defer st.Close()
			stats, err := st.Stats()
			if err != nil {
				fmt.Fprintf(r.stderr, "downforai: %v\n", err)
				return exitFail
			}
			stats.WriteTo(r.stdout)
			return exitOK
		},
	}
}

func dbCompactCommand() command {
	return command{
		summary: "rewrite the database into a smaller file (not while downforai runs)",
		run: func(r runEnv) int {
			if !noArgs(r) {
				return exitUsage
			}
			p := ui.NewProgress(r.stderr, "compact", "B")
			before, after, err := store.Compact(r.cfg.DB, store.Options{LockTimeout: time.Second}, p.Report)
			p.Done()
			if err != nil {
				fmt.Fprintf(r.stderr, "downforai: %v\n", err)
				return exitFail
			}
			fmt.Fprintf(r.stdout, "compacted %s: %d → %d bytes\n", r.cfg.DB, before, after)
			return exitOK
		},
	}
}

func dbRebuildCommand() command {
	return command{
		summary: "recompute hourly and daily rollups from the raw results",
		run: func(r runEnv) int {
			if !noArgs(r) {
				return exitUsage
			}
			st, ok := openStore(r.cfg, r.stderr)
			if !ok {
				return exitFail
			}
			defer st.Close()
			p := ui.NewProgress(r.stderr, "rebuild", "results")
			err := st.RebuildRollups(p.Report)
			p.Done()
			if err != nil {
				fmt.Fprintf(r.stderr, "downforai: %v\n", err)
				return exitFail
			}
			fmt.Fprintf(r.stdout, "rebuilt the rollups of %s\n", r.cfg.DB)
			return exitOK
		},
	}
}

func historyExportCommand() command {
	var since age
	var targets, format string
	return command{
		summary: "write stored results to stdout as jsonl or csv",
		flags: func(fs *flag.FlagSet) {
			fs.Var(&since, "since", "only results of this last `age` (e.g. 24h, 7d; 0: all)")
			fs.StringVar(&targets, "target", "", "only these `targets`, comma-separated (api, claude_ai, …)")
			fs.StringVar(&format, "format", store.FormatJSONL, "jsonl or csv")
		},
		run: func(r runEnv) int {
			if !noArgs(r) {
				return exitUsage
			}
			o := store.ExportOptions{Format: format}
			if since > 0 {
				o.Since = time.Now().Add(-time.Duration(since))
			}
			if targets != "" {
				for _, name := range strings.Split(targets, ",") {
					t, err := probe.ParseTarget(strings.TrimSpace(name))
					if err != nil {
						fmt.Fprintf(r.stderr, "downforai: --target: %v\n", err)
						return exitUsage
					}
					o.Targets = append(o.Targets, t)
				}
			}
			if format != store.FormatJSONL && format != store.FormatCSV {
				fmt.Fprintf(r.stderr, "downforai: --format %q: want jsonl or csv\n", format)
				return exitUsage
			}
			st, ok := openStore(r.cfg, r.stderr)
			if !ok {
				return exitFail
			}
			defer st.Close()
			p := ui.NewProgress(r.stderr, "export", "results")
			o.Progress = p.Report
			_, err := st.Export(r.stdout, o)
			p.Done()
			if err != nil {
				fmt.Fprintf(r.stderr, "downforai: %v\n", err)
				return exitFail
			}
			return exitOK
		},
	}
}

func historyImportCommand() command {
	return command{
		summary: "add results from a jsonl export (FILE, or - for stdin); idempotent",
		run: func(r runEnv) int {
			if len(r.args) != 1 {
				fmt.Fprintf(r.stderr, "downforai: history import takes one FILE (or - for stdin)\n")
				return exitUsage
			}
			in, size := r.stdin, int64(0)
			if name := r.args[0]; name != "-" {
				f, err := os.Open(name)
				if err != nil {
					fmt.Fprintf(r.stderr, "downforai: %v\n", err)
					return exitFail
				}
				defer f.Close()
				if fi, err := f.Stat(); err == nil {
					size = fi.Size()
				}
				in = f
			}
			st, ok := openStore(r.cfg, r.stderr)
			if !ok {
				return exitFail
			}
			defer st.Close()
			p := ui.NewProgress(r.stderr, "import", "B")
			rep, err := st.Import(in, size, p.Report, func(line int, err error) {
				p.Done()
				fmt.Fprintf(r.stderr, "downforai: %s:%d: %v (skipped)\n", r.args[0], line, err)
			})
			p.Done()
			if err != nil {
				fmt.Fprintf(r.stderr, "downforai: %v\n", err)
				return exitFail
			}
			fmt.Fprintf(r.stdout, "imported %s: %s\n", r.args[0], rep)
			if rep.Bad > 0 {
				return exitFail
			}
			return exitOK
		},
	}
}

func checkCommand() command {
	asJSON := false
	return command{
		summary:  "probe everything once; print a table or --json; exit 0 ok, 1 degraded/your side, 2 outage, 3 could not check",
		flags:    func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON instead of a table") },
		badUsage: check.ExitUnknown,
		run: func(r runEnv) int {
			if !noArgs(r) {
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
			// The local checks too, so the exit code agrees with the
			// dashboard's verdict (an expired Claude Code login is exit 1).
			pc := r.cfg.probeConfig(r.getenv)
			checks := append(probe.NewChecks(pc), probe.NewLocalCheck(pc))
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
			if !noArgs(r) {
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
	rec, hist, closeDB, err := openRecorder(c, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "downforai serve: %v\n", err)
		return exitFail
	}
	defer func() {
		if err := closeDB(); err != nil {
			logger.Error("closing the database", "err", err)
		}
	}()
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	eng, targets := newEngine(c, getenv, rec, hist, logger)
	uiOpts := dashboardOptions(c, hist, targets, logger)

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

	if err := startWatch(ctx, &wg, c, staleAfter(c), hist, eng.Subscribe, targets, logger, notifier); err != nil {
		fmt.Fprintf(stderr, "downforai serve: %v\n", err)
		return exitFail
	}
	serveSocket(ctx, &wg, c, hist, eng, targets, logger)
	logger.Info("serving", "version", buildVersion(), "db", c.DB, "config", c.path, "targets", len(targets),
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
func serveSocket(ctx context.Context, wg *sync.WaitGroup, c config, hist probe.History, eng *probe.Engine, targets []probe.Target, logger *slog.Logger) {
	if hist == nil {
		// Running on memory: the file is not ours, so no viewer can find
		// us by it either.
		logger.Warn("no attach socket: the database is not open")
		return
	}
	path := remote.SocketPath(c.DB)
	ln, err := remote.Listen(path)
	if err != nil {
		logger.Warn("no attach socket", "err", err)
		return
	}
	srv := &remote.Server{
		Hello: remote.Hello{Protocol: remote.ProtocolVersion, Version: buildVersion(), DB: absPath(c.DB), PID: os.Getpid(),
			Targets: targets, StaleAfter: staleAfter(c)},
		History:   hist,
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
	logger, closeLog, logPath := openLog(c)
	defer closeLog()
	// The engine's idea of stale, not this viewer's flags.
	stale := staleAfter(c)
	if h.StaleAfter > 0 {
		stale = h.StaleAfter
	}
	out := ui.NewFileOutput(os.Stdout)
	opts := dashboardOptions(c, cl, h.Targets, logger)
	opts.Renderer, opts.Events, opts.Clipboard = lipgloss.DefaultRenderer(), events, out
	opts.StaleAfter = stale
	opts.Version = fmt.Sprintf("%s · viewer of pid %d", buildVersion(), h.PID)
	opts.Viewer = fmt.Sprintf("viewer of pid %d", h.PID) // kept in the banner when the tab bar has no room
	p := tea.NewProgram(ui.New(opts), append(ui.ProgramOptions(), tea.WithContext(ctx), tea.WithOutput(out))...)
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
	if err := startWatch(ctx, &wg, c, stale, cl, subscribe, h.Targets, logger, notifier); err != nil {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return exitFail
	}
	defer cancel()
	_, err = p.Run()
	return programExit(err, "", logPath, stderr)
}

// startWatch follows the engine on a subscription of its own for the
// metrics endpoint (when --metrics-addr is set) and the observers given,
// until ctx ends. It fails only when the metrics address cannot be bound.
func startWatch(ctx context.Context, wg *sync.WaitGroup, c config, stale time.Duration, h probe.History, subscribe func(int) (<-chan probe.Event, func()), targets []probe.Target, logger *slog.Logger, obs ...watch.Observer) error {
	if c.MetricsAddr != "" {
		ln, err := net.Listen("tcp", c.MetricsAddr)
		if err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
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
		return nil
	}
	tr := watch.NewTracker(stale)
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
