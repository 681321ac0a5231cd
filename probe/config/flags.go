package config

import (
	"slices"

	"github.com/spf13/pflag"
)

// Group is a set of settings that the commands needing them take as flags,
// so each command lists only its own (check shows no ssh flags).
type Group int

const (
	// Probes: where and how often to probe — every command that probes.
	Probes Group = 1 << iota
	// Incidents: the detector's thresholds and raw-result retention — the
	// engine's owner (dashboard, serve).
	Incidents
	// Outputs: metrics and notifications — dashboard and serve.
	Outputs
	// SSH: the ssh front door — serve.
	SSH
)

// flagAnnotation marks the flags that are settings, so Resolve re-applies
// exactly those over the file.
const flagAnnotation = "downforai_setting"

// Loader binds settings to flags and resolves them: defaults, then the
// file, then the flags given — a flag beats the file, the file the default.
type Loader struct {
	getenv Env
	def    Config
	cfg    Config // what the flags write into; defaults until parsed
	path   string // --config
}

// NewLoader starts from the defaults that getenv implies.
func NewLoader(getenv Env) *Loader {
	d := Default(getenv)
	return &Loader{getenv: getenv, def: d, cfg: d}
}

func mark(fs *pflag.FlagSet, names ...string) {
	for _, n := range names {
		_ = fs.SetAnnotation(n, flagAnnotation, []string{"1"})
	}
}

// AddGlobalFlags registers the flags every command takes: --config and --db.
func (l *Loader) AddGlobalFlags(fs *pflag.FlagSet) {
	c := &l.cfg
	fs.StringVar(&l.path, "config", "", "read settings from this TOML `file` (default $XDG_CONFIG_HOME/downforai/config.toml)")
	fs.StringVar(&c.DB, "db", c.DB, "history database `file`")
	mark(fs, "db")
}

// AddFlags registers the flags of the groups in g on fs.
func (l *Loader) AddFlags(fs *pflag.FlagSet, g Group) {
	c := &l.cfg
	var names []string
	str := func(p *string, name, usage string) {
		fs.StringVar(p, name, *p, usage)
		names = append(names, name)
	}
	dur := func(p *Duration, name, usage string) {
		fs.Var(p, name, usage)
		names = append(names, name)
	}
	num := func(p *int, name, usage string) {
		fs.IntVar(p, name, *p, usage)
		names = append(names, name)
	}
	flag := func(p *bool, name, usage string) {
		fs.BoolVar(p, name, *p, usage)
		names = append(names, name)
	}
	if g&Probes != 0 {
		str(&c.StatusURL, "status-url", "Anthropic status page base `URL`")
		str(&c.StatusPageID, "status-page-id", "Statuspage page `id` the status page must carry (Claude's is tymt9n04zgry; another for a mirror)")
		str(&c.APIURL, "api-url", "Claude API base `URL` ($ANTHROPIC_BASE_URL when set)")
		str(&c.ClaudeURL, "claude-url", "Claude app `URL`")
		dur(&c.Interval, "interval", "how often to probe claude.ai, the API and Claude Code")
		dur(&c.StatusInterval, "status-interval", "how often to read the status page")
		dur(&c.Timeout, "timeout", "time limit of one probe; shorter than both intervals")
		str(&c.ClaudeBin, "claude-bin", "Claude Code `command` to check")
		dur(&c.LocalInterval, "local-interval", "how often to run the local checks (credential, Claude Code login, proxy, DNS, clock)")
		flag(&c.CodeSessions, "code-sessions", "read Claude Code's session transcripts ($CLAUDE_CONFIG_DIR/projects) for the errors its calls get and its usage window")
		flag(&c.CodeUsage, "code-usage", "ask the API for your plan's usage with Claude Code's own login every --local-interval (the token is read at call time, never kept)")
		dur(&c.FastInterval, "fast-interval", "probe a failing target this often until it has recovered (never below --timeout; 0: off)")
		fs.Var(&c.CanaryModels, "canary", "ask these `models` (comma-separated, e.g. claude-opus-4-5,claude-haiku-4-5) for one token each --canary-interval with your API key: costs tokens")
		names = append(names, "canary")
		dur(&c.CanaryInterval, "canary-interval", "how often each canary asks its model")
		num(&c.CanaryBudget, "canary-budget", "most `tokens` the canaries use per UTC day; they pause when it is spent")
	}
	if g&Incidents != 0 {
		num(&c.FailThreshold, "fail-threshold", "failing probes in a row that open an incident")
		num(&c.RecoverThreshold, "recover-threshold", "successful probes in a row that close it")
		dur(&c.Retention, "retention", "keep raw results this long (e.g. 30d, 720h; 0 keeps them forever); rollups are kept 400 days")
	}
	if g&SSH != 0 {
		str(&c.SSHAddr, "ssh-addr", "SSH listen `address` (\"\" for none)")
		str(&c.AuthorizedKeys, "authorized-keys", "public keys allowed to watch over SSH (`file`)")
		num(&c.MaxSessions, "max-sessions", "most SSH viewers at once")
		dur(&c.SSHIdleTimeout, "ssh-idle-timeout", "close an SSH connection on which nothing has passed either way for this long (0: never; a dashboard redraws far more often)")
	}
	if g&Outputs != 0 {
		str(&c.MetricsAddr, "metrics-addr", "serve Prometheus metrics on `address` (e.g. 127.0.0.1:9464; \"\" for none)")
		flag(&c.NotifyBell, "notify-bell", "ring the terminal bell when the verdict changes")
		flag(&c.NotifyOSC, "notify-osc", "send OSC 9 and OSC 777 terminal notifications when the verdict changes")
		flag(&c.NotifyDesktop, "notify-desktop", "show a desktop notification when the verdict changes (where a desktop session exists)")
		str(&c.Webhook, "webhook", "POST verdict changes to this `URL` (Slack and Discord webhooks get their own payload)")
		dur(&c.NotifyDebounce, "notify-debounce", "how long the verdict must differ from the last one announced before it is announced")
		dur(&c.NotifyRemind, "notify-remind", "repeat a bad verdict this often (0: never)")
		flag(&c.NotifyQuietMaintenance, "notify-quiet-maintenance", "announce nothing while Anthropic reports a maintenance in progress")
	}
	mark(fs, names...)
}

// Resolve reads the file (--config, else FilePath) over the defaults, puts
// the setting flags given on fs back over it, and validates the result.
func (l *Loader) Resolve(fs *pflag.FlagSet) (Config, error) {
	given := map[string]string{}
	fs.Visit(func(f *pflag.Flag) {
		if _, ok := f.Annotations[flagAnnotation]; ok {
			given[f.Name] = f.Value.String()
		}
	})
	explicit := fs.Changed("config")
	path := l.path
	if !explicit {
		path = FilePath(l.getenv)
	}
	// The flags write into l.cfg: reset it, read the file into it, then
	// set the given flags again so they land on top.
	l.cfg = l.def
	if err := l.cfg.ReadFile(path, explicit); err != nil {
		return Config{}, err
	}
	for name, v := range given {
		if err := fs.Set(name, v); err != nil {
			return Config{}, err
		}
	}
	c := l.cfg
	for name := range given {
		c.Flags = append(c.Flags, name)
	}
	slices.Sort(c.Flags)
	// Validation names each value by its source: it needs Flags.
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}
