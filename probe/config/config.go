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
	"reflect"
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

	// file is what Decode kept of the file read, for messages that name a
	// value's line; apiFromEnv: APIURL's default is $ANTHROPIC_BASE_URL,
	// from the file apiEnvFile ("~/.claude/settings.json") when set there
	// alone.
	file       *fileKeys
	apiFromEnv bool
	apiEnvFile string
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
	api := getenv(baseURLEnv)
	fromEnv, envFile := api != "", ""
	if !fromEnv && (getenv("HOME") != "" || getenv("CLAUDE_CONFIG_DIR") != "") {
		// Claude Code reads it from its settings.json's env block too:
		// probe where it calls, as when the variable is exported (never
		// for the documented default, which has no environment).
		api, envFile, fromEnv = probe.SettingsBaseURL(getenv, codeConfigDir(getenv))
		if !fromEnv {
			envFile = ""
		}
	}
	if !fromEnv {
		api = "https://api.anthropic.com"
	}
	return Config{
		apiFromEnv:     fromEnv,
		apiEnvFile:     envFile,
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

// codeConfigDir is Claude Code's config directory: $CLAUDE_CONFIG_DIR,
// else ~/.claude.
func codeConfigDir(getenv Env) string {
	if d := getenv("CLAUDE_CONFIG_DIR"); d != "" {
		return d
	}
	return filepath.Join(homeDir(getenv), ".claude")
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

// Validate refuses settings that cannot work or would mislead, naming
// each by where its value came from (Named): the flag on the command line,
// the key and line of the file, the environment, or the default.
func (c Config) Validate() error {
	for _, key := range []string{"status_url", "api_url", "claude_url"} {
		v, _ := c.stringValue(key)
		p, err := url.Parse(v)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return c.refuse(key, "is not an http(s) URL")
		}
	}
	for _, key := range []string{"interval", "status_interval", "timeout", "local_interval"} {
		if c.duration(key) <= 0 {
			return c.refuse(key, "must be positive")
		}
	}
	var longer []string
	for _, key := range []string{"interval", "status_interval", "local_interval"} {
		if c.Timeout >= c.duration(key) {
			longer = append(longer, key)
		}
	}
	if len(longer) > 0 {
		return c.clash("timeout", "must be shorter than", longer...)
	}
	if c.DB == "" {
		return c.refuse("db", "must name a file")
	}
	for _, key := range []string{"fail_threshold", "recover_threshold", "max_sessions"} {
		if n, _ := c.intValue(key); n < 1 {
			return c.refuse(key, "must be at least 1")
		}
	}
	if c.ClaudeBin == "" {
		return c.refuse("claude_bin", "must name a command")
	}
	for _, d := range []struct{ key, zero string }{
		{"retention", "0 keeps raw results forever"},
		{"notify_debounce", "0 announces every change at once"},
		{"notify_remind", "0 never repeats"},
		{"ssh_idle_timeout", "0 never closes an idle connection"},
	} {
		if c.duration(d.key) < 0 {
			return c.refuse(d.key, "must not be negative ("+d.zero+")")
		}
	}
	if c.Webhook != "" && notify.CheckURL(c.Webhook) != nil {
		return c.refuse("webhook", "is not an http(s) URL")
	}
	for _, key := range []string{"metrics_addr", "ssh_addr"} {
		v, _ := c.stringValue(key)
		if err := checkAddr(v); err != nil {
			return c.refuse(key, err.Error()+` (write host:port, e.g. 127.0.0.1:9464; "" for none)`)
		}
	}
	return c.validateCanary()
}

// duration is the Duration setting key, 0 if key is not one.
func (c Config) duration(key string) Duration {
	f, ok := fieldByKey(key)
	if !ok {
		return 0
	}
	d, _ := reflect.ValueOf(c).FieldByIndex(f.Index).Interface().(Duration)
	return d
}

// stringValue is the string setting key.
func (c Config) stringValue(key string) (string, bool) {
	f, ok := fieldByKey(key)
	if !ok {
		return "", false
	}
	s, ok := reflect.ValueOf(c).FieldByIndex(f.Index).Interface().(string)
	return s, ok
}

// intValue is the int setting key.
func (c Config) intValue(key string) (int, bool) {
	f, ok := fieldByKey(key)
	if !ok {
		return 0, false
	}
	n, ok := reflect.ValueOf(c).FieldByIndex(f.Index).Interface().(int)
	return n, ok
}

// Probe is the engine's view of the settings plus the credentials, which
// come from the environment (else Claude Code's settings.json, as Claude
// Code reads them) and are never stored.
func (c Config) Probe(getenv Env, version string) probe.Config {
	// As Claude Code gets them: the environment, else the env block of its
	// settings.json (read once) — the key probe sends what Claude Code
	// sends; a value from the file is masked by value like the
	// environment's.
	credential := probe.CodeCredentials(getenv, codeConfigDir(getenv), "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")
	apiKey, _ := credential("ANTHROPIC_API_KEY")
	authToken, _ := credential("ANTHROPIC_AUTH_TOKEN")
	return probe.Config{
		StatusURL:      strings.TrimRight(c.StatusURL, "/"),
		StatusPageID:   c.StatusPageID,
		APIURL:         strings.TrimRight(c.APIURL, "/"),
		APIURLFrom:     c.apiURLFrom(),
		ClaudeURL:      c.ClaudeURL,
		ClaudeURLFrom:  c.claudeURLFrom(),
		Interval:       time.Duration(c.Interval),
		StatusInterval: time.Duration(c.StatusInterval),
		Timeout:        time.Duration(c.Timeout),
		// Passed as the user's tools would send them, untrimmed, so a pasted
		// newline or quote shows up as the problem it is.
		APIKey:    apiKey,
		AuthToken: authToken,
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
