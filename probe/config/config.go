// Package config is downforai's settings: their defaults, the TOML file
// that overrides them, the flags that override the file, and the checks
// that refuse a setting before it can mislead (a 5 ns timeout, a URL
// without a scheme).
//
// It sits under probe because probe is the vocabulary every front door
// shares and the settings are mostly the engine's; it imports only probe
// and probe/notify, so main, the dashboard and serve read one Config
// without store and ui knowing of each other. Every setting is a flag
// named like its key ("status_url" ↔ --status-url); README's tables list
// them.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"downforai/probe"
	"downforai/probe/notify"
)

// Config is every setting; each is a flag and a key in config.toml.
type Config struct {
	StatusURL string `toml:"status_url"`
	// StatusPageID is the Statuspage page id the status page must carry to
	// count as Claude's (a mirror of it has another).
	StatusPageID   string   `toml:"status_page_id"`
	APIURL         string   `toml:"api_url"`
	ClaudeURL      string   `toml:"claude_url"`
	DB             string   `toml:"db"`
	Interval       Duration `toml:"interval"`
	StatusInterval Duration `toml:"status_interval"`
	Timeout        Duration `toml:"timeout"`
	ClaudeBin      string   `toml:"claude_bin"`
	LocalInterval  Duration `toml:"local_interval"`
	// CodeSessions reads Claude Code's session transcripts (on by
	// default); CodeUsage makes the usage call with its login (off by
	// default).
	CodeSessions bool `toml:"code_sessions"`
	CodeUsage    bool `toml:"code_usage"`
	// Incidents open after FailThreshold failing probes in a row and close
	// after RecoverThreshold successes in a row (Gatus-style).
	FailThreshold    int      `toml:"fail_threshold"`
	RecoverThreshold int      `toml:"recover_threshold"`
	Retention        Duration `toml:"retention"`
	// FastInterval is how often a failing target is probed until it has
	// recovered (0: never faster than --interval).
	FastInterval Duration `toml:"fast_interval"`

	// Canaries: one streaming POST /v1/messages per model (max_tokens 1)
	// every CanaryInterval, within CanaryBudget tokens per UTC day; none
	// by default.
	CanaryModels   Models   `toml:"canary_models"`
	CanaryInterval Duration `toml:"canary_interval"`
	CanaryBudget   int      `toml:"canary_budget"`

	// serve
	SSHAddr        string `toml:"ssh_addr"`
	AuthorizedKeys string `toml:"authorized_keys"`
	MaxSessions    int    `toml:"max_sessions"`
	// SSHIdleTimeout closes an SSH connection on which nothing passed in
	// either direction for that long (0: never).
	SSHIdleTimeout Duration `toml:"ssh_idle_timeout"`

	MetricsAddr string `toml:"metrics_addr"`

	// notifications on verdict changes
	NotifyBell             bool     `toml:"notify_bell"`
	NotifyOSC              bool     `toml:"notify_osc"`
	NotifyDesktop          bool     `toml:"notify_desktop"`
	Webhook                string   `toml:"webhook"`
	NotifyDebounce         Duration `toml:"notify_debounce"`
	NotifyRemind           Duration `toml:"notify_remind"`
	NotifyQuietMaintenance bool     `toml:"notify_quiet_maintenance"`

	// Path is the config file read, "" if none.
	Path string `toml:"-"`
	// Flags are the settings given as flags on the command line (their
	// flag names, sorted): what was asked for explicitly, beating the file.
	Flags []string `toml:"-"`
}

// Given reports whether the setting named by flag ("metrics-addr") was
// given on the command line.
func (c Config) Given(flag string) bool { return slices.Contains(c.Flags, flag) }

// Env is how settings read the environment, so tests can hand in their own.
type Env func(string) string

// Defaults of the settings that other packages also fall back to; main's
// tests check that they agree with store, sshserve and the detector.
const (
	DefaultSSHAddr          = "127.0.0.1:23234"
	DefaultMaxSessions      = 32
	DefaultSSHIdleTimeout   = 30 * time.Minute
	DefaultRetention        = 30 * 24 * time.Hour
	DefaultLocalInterval    = 3 * time.Minute
	DefaultFailThreshold    = 3
	DefaultRecoverThreshold = 2
)

// Default is the settings before any file or flag: the documented defaults,
// with the API URL, the database and the authorized keys found through the
// environment.
func Default(getenv Env) Config {
	api := getenv("ANTHROPIC_BASE_URL")
	if api == "" {
		api = "https://api.anthropic.com"
	}
	return Config{
		StatusURL:      "https://status.claude.com",
		StatusPageID:   probe.DefaultPageID,
		APIURL:         api,
		ClaudeURL:      "https://claude.ai",
		DB:             filepath.Join(StateDir(getenv), "history.db"),
		Interval:       Duration(30 * time.Second),
		StatusInterval: Duration(60 * time.Second),
		Timeout:        Duration(10 * time.Second),
		ClaudeBin:      "claude",
		LocalInterval:  Duration(DefaultLocalInterval),
		CodeSessions:   true,

		FailThreshold:    DefaultFailThreshold,
		RecoverThreshold: DefaultRecoverThreshold,
		Retention:        Duration(DefaultRetention),
		FastInterval:     Duration(DefaultFastInterval),
		CanaryInterval:   Duration(DefaultCanaryInterval),
		CanaryBudget:     DefaultCanaryBudget,
		SSHAddr:          DefaultSSHAddr,
		AuthorizedKeys:   filepath.Join(homeDir(getenv), ".ssh", "authorized_keys"),
		MaxSessions:      DefaultMaxSessions,
		SSHIdleTimeout:   Duration(DefaultSSHIdleTimeout),

		NotifyBell:             true,
		NotifyOSC:              true,
		NotifyDesktop:          true,
		NotifyDebounce:         Duration(time.Minute),
		NotifyQuietMaintenance: true,
	}
}

// StateDir is $XDG_STATE_HOME/downforai, else ~/.local/state/downforai.
func StateDir(getenv Env) string {
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "downforai")
	}
	return filepath.Join(homeDir(getenv), ".local", "state", "downforai")
}

// FilePath is $XDG_CONFIG_HOME/downforai/config.toml, else
// ~/.config/downforai/config.toml.
func FilePath(getenv Env) string {
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "downforai", "config.toml")
	}
	return filepath.Join(homeDir(getenv), ".config", "downforai", "config.toml")
}

func homeDir(getenv Env) string {
	if h := getenv("HOME"); h != "" {
		return h
	}
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return "."
}

// ReadFile overlays the TOML file at path onto c. A missing file is fine
// unless it was named (--config).
func (c *Config) ReadFile(path string, explicit bool) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	return c.Decode(path, data)
}

// Validate refuses settings that cannot work or would mislead, naming the
// flag (which is also the key, with - for _).
func (c Config) Validate() error {
	for _, u := range []struct{ flag, val string }{
		{"status-url", c.StatusURL}, {"api-url", c.APIURL}, {"claude-url", c.ClaudeURL},
	} {
		p, err := url.Parse(u.val)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("--%s %s is not an http(s) URL", u.flag, probe.Quote(u.val))
		}
	}
	for _, d := range []struct {
		flag string
		val  Duration
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
	if c.SSHIdleTimeout < 0 {
		return fmt.Errorf("--ssh-idle-timeout must not be negative, not %s", c.SSHIdleTimeout)
	}
	return c.validateCanary()
}

// Probe is the engine's view of the settings plus the credentials, which
// come from the environment only and are never stored.
func (c Config) Probe(getenv Env, version string) probe.Config {
	return probe.Config{
		StatusURL:      strings.TrimRight(c.StatusURL, "/"),
		StatusPageID:   c.StatusPageID,
		APIURL:         strings.TrimRight(c.APIURL, "/"),
		ClaudeURL:      c.ClaudeURL,
		Interval:       time.Duration(c.Interval),
		StatusInterval: time.Duration(c.StatusInterval),
		Timeout:        time.Duration(c.Timeout),
		// Passed as the user's tools would send them, untrimmed, so a pasted
		// newline or quote shows up as the problem it is.
		APIKey:    getenv("ANTHROPIC_API_KEY"),
		AuthToken: getenv("ANTHROPIC_AUTH_TOKEN"),
		ClaudeBin: c.ClaudeBin,
		Version:   version,
		// The local checks read the credential variables, proxies and
		// CLAUDE_CONFIG_DIR from the same environment.
		Env:            getenv,
		LocalInterval:  time.Duration(c.LocalInterval),
		CodeUsage:      c.CodeUsage,
		FastInterval:   c.probeFast(),
		CanaryModels:   slices.Clone(c.CanaryModels),
		CanaryInterval: time.Duration(c.CanaryInterval),
		CanaryBudget:   int64(c.CanaryBudget),
	}
}

// staleRounds is how many rounds of the slower schedule may pass without
// data before it is stale: one late round is jitter, three is a stall.
const staleRounds = 3

// StaleAfter is how old the newest data may be before the screen, the
// metrics and the notifications call it stale.
func (c Config) StaleAfter() time.Duration {
	return staleRounds * time.Duration(max(c.Interval, c.StatusInterval))
}
