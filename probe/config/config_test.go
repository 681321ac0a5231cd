package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// testEnv returns an env with HOME and XDG dirs inside a temp dir.
func testEnv(t *testing.T, extra map[string]string) (Env, string) {
	t.Helper()
	return testEnvIn(t.TempDir(), extra)
}

// testEnvIn is testEnv in dir.
func testEnvIn(dir string, extra map[string]string) (Env, string) {
	vars := map[string]string{
		"HOME":            dir,
		"XDG_CONFIG_HOME": filepath.Join(dir, "config"),
		"XDG_STATE_HOME":  filepath.Join(dir, "state"),
	}
	for k, v := range extra {
		vars[k] = v
	}
	return func(k string) string { return vars[k] }, dir
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// load resolves the settings as a command with every flag would.
func load(getenv Env, args ...string) (Config, error) {
	l := NewLoader(getenv)
	fs := pflag.NewFlagSet("downforai", pflag.ContinueOnError)
	l.AddGlobalFlags(fs)
	l.AddFlags(fs, Probes|Incidents|Outputs|SSH)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	return l.Resolve(fs)
}

func TestConfigDefaults(t *testing.T) {
	getenv, dir := testEnv(t, nil)
	c, err := load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		StatusURL:      "https://status.claude.com",
		StatusPageID:   "tymt9n04zgry",
		APIURL:         "https://api.anthropic.com",
		ClaudeURL:      "https://claude.ai",
		DB:             filepath.Join(dir, "state", "downforai", "history.db"),
		Interval:       Duration(30 * time.Second),
		StatusInterval: Duration(60 * time.Second),
		Timeout:        Duration(10 * time.Second),
		ClaudeBin:      "claude",
		SSHAddr:        "127.0.0.1:23234",
		AuthorizedKeys: filepath.Join(dir, ".ssh", "authorized_keys"),
		MaxSessions:    32,
		SSHIdleTimeout: Duration(30 * time.Minute),

		NotifyBell:             true,
		NotifyOSC:              true,
		NotifyDesktop:          true,
		NotifyDebounce:         Duration(time.Minute),
		NotifyQuietMaintenance: true,
		LocalInterval:          Duration(3 * time.Minute),
		Retention:              Duration(30 * 24 * time.Hour),
		CodeSessions:           true, // reading transcripts is on, the usage call off

		FailThreshold:    3,
		RecoverThreshold: 2,
		FastInterval:     Duration(10 * time.Second),
		CanaryInterval:   Duration(5 * time.Minute),
		CanaryBudget:     20000,
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", c, want)
	}
}

func TestConfigHomeFallbacks(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "HOME" {
			return dir
		}
		return ""
	}
	writeFile(t, filepath.Join(dir, ".config", "downforai", "config.toml"), `interval = "45s"`)
	c, err := load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != filepath.Join(dir, ".local", "state", "downforai", "history.db") {
		t.Errorf("db = %s", c.DB)
	}
	if c.Interval != Duration(45*time.Second) {
		t.Errorf("~/.config file not read: interval = %s", c.Interval)
	}
}

func TestConfigPrecedence(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		file  string
		args  []string
		check func(t *testing.T, c Config)
	}{
		{
			name: "env sets api default",
			env:  map[string]string{"ANTHROPIC_BASE_URL": "http://gateway.local:8080"},
			check: func(t *testing.T, c Config) {
				if c.APIURL != "http://gateway.local:8080" {
					t.Errorf("api = %s", c.APIURL)
				}
			},
		},
		{
			name: "file beats env default",
			env:  map[string]string{"ANTHROPIC_BASE_URL": "http://gateway.local:8080"},
			file: `api_url = "http://file.local"`,
			check: func(t *testing.T, c Config) {
				if c.APIURL != "http://file.local" {
					t.Errorf("api = %s", c.APIURL)
				}
			},
		},
		{
			name: "flag beats file",
			file: "interval = \"2m\"\nstatus_url = \"http://file.local\"\n",
			args: []string{"--interval", "90s"},
			check: func(t *testing.T, c Config) {
				if c.Interval != Duration(90*time.Second) {
					t.Errorf("interval = %s", c.Interval)
				}
				if c.StatusURL != "http://file.local" {
					t.Errorf("status = %s (file value lost)", c.StatusURL)
				}
			},
		},
		{
			name: "flag set to the default still beats file",
			file: `timeout = "5s"`,
			args: []string{"--timeout=10s"},
			check: func(t *testing.T, c Config) {
				if c.Timeout != Duration(10*time.Second) {
					t.Errorf("timeout = %s", c.Timeout)
				}
			},
		},
		{
			name: "incident thresholds: default, file, flag",
			file: "fail_threshold = 5\nrecover_threshold = 4\n",
			args: []string{"--recover-threshold", "1"},
			check: func(t *testing.T, c Config) {
				if c.FailThreshold != 5 || c.RecoverThreshold != 1 {
					t.Errorf("fail %d recover %d, want 5 from the file and 1 from the flag", c.FailThreshold, c.RecoverThreshold)
				}
			},
		},
		{
			name: "incident thresholds default to Gatus's",
			check: func(t *testing.T, c Config) {
				if c.FailThreshold != 3 || c.RecoverThreshold != 2 {
					t.Errorf("fail %d recover %d, want 3 and 2", c.FailThreshold, c.RecoverThreshold)
				}
			},
		},
		{
			name: "file only",
			file: "db = \"/tmp/x.db\"\nclaude_bin = \"/opt/claude\"\ntimeout = \"3s\"\n",
			check: func(t *testing.T, c Config) {
				if c.DB != "/tmp/x.db" || c.ClaudeBin != "/opt/claude" || c.Timeout != Duration(3*time.Second) {
					t.Errorf("got %+v", c)
				}
				if c.Path == "" {
					t.Error("path of file read not recorded")
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv, dir := testEnv(t, tt.env)
			if tt.file != "" {
				writeFile(t, filepath.Join(dir, "config", "downforai", "config.toml"), tt.file)
			}
			c, err := load(getenv, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestConfigExplicitPath(t *testing.T) {
	getenv, dir := testEnv(t, nil)
	p := filepath.Join(dir, "elsewhere.toml")
	writeFile(t, p, `claude_url = "http://127.0.0.1:9"`)
	c, err := load(getenv, "--config", p)
	if err != nil {
		t.Fatal(err)
	}
	if c.ClaudeURL != "http://127.0.0.1:9" {
		t.Errorf("claude = %s", c.ClaudeURL)
	}
	_, err = load(getenv, "--config", filepath.Join(dir, "missing.toml"))
	if err == nil || !strings.Contains(err.Error(), "missing.toml") {
		t.Errorf("explicit missing config: err = %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		args []string
		want string // substring of the error
	}{
		{name: "malformed names the line", file: "interval = \"30s\"\nstatus_url = \n", want: "line 2"},
		{name: "unknown key", file: `colour = "red"`, want: `unknown key "colour"`},
		{name: "wrong type", file: `interval = true`, want: "config"},
		{name: "negative interval", args: []string{"--interval", "-5s"}, want: "--interval -5s must be positive"},
		{name: "zero timeout", args: []string{"--timeout", "0s"}, want: "--timeout 0s must be positive"},
		{name: "timeout not shorter", args: []string{"--timeout", "30s"}, want: "must be shorter"},
		{name: "timeout vs status interval", args: []string{"--status-interval", "5s"}, want: "must be shorter"},
		{name: "bad url", args: []string{"--api-url", "::nope"}, want: "--api-url"},
		{name: "url without scheme", args: []string{"--status-url", "status.claude.com"}, want: "--status-url"},
		{name: "unknown flag", args: []string{"--frobnicate"}, want: "frobnicate"},
		{name: "bad duration", args: []string{"--interval", "soon"}, want: "interval"},
		{name: "zero fail threshold", args: []string{"--fail-threshold", "0"}, want: "--fail-threshold 0"},
		{name: "negative recover threshold", file: "recover_threshold = -1", want: "line 1: recover_threshold = -1 must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv, dir := testEnv(t, nil)
			if tt.file != "" {
				writeFile(t, filepath.Join(dir, "config", "downforai", "config.toml"), tt.file)
			}
			_, err := load(getenv, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestProbeConfigTakesCredentialsFromEnvOnly(t *testing.T) {
	getenv, dir := testEnv(t, map[string]string{"ANTHROPIC_API_KEY": "sk-ant-api03-test"})
	writeFile(t, filepath.Join(dir, "config", "downforai", "config.toml"), `api_url = "http://127.0.0.1:1/"`)
	c, err := load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	pc := c.Probe(getenv, "test")
	if pc.APIKey != "sk-ant-api03-test" {
		t.Errorf("key = %q", pc.APIKey)
	}
	if pc.APIURL != "http://127.0.0.1:1" {
		t.Errorf("api url not trimmed: %q", pc.APIURL)
	}
}

// FuzzConfigFile feeds arbitrary TOML to the config decoder and the
// validation after it. Neither may panic; an error is one line that names
// the file (the README promises one line on stderr); whatever is accepted
// either validates or fails validation with a message.
func FuzzConfigFile(f *testing.F) {
	for _, seed := range []string{
		"",
		"interval = \"20s\"\nstatus_interval = \"2m\"\ntimeout = \"8s\"\napi_url = \"https://api.anthropic.com\"\ndb = \"/var/lib/downforai/history.db\"\n",
		"status_url = \n", `colour = "red"`, `interval = true`, `interval = "-5s"`, `timeout = 1e400`,
		"[table]\nkey = 1", `db = ""`, `claude_bin = "\u001b]0;x\u0007"`, "interval = \"30s\"\ninterval = \"31s\"",
		`api_url = "http://[::1"`, "\xff\xfe", `a.b.c = [1, [2, {x = 3}]]`, `interval = 9223372036854775807`,
	} {
		f.Add([]byte(seed))
	}
	getenv := func(string) string { return "" }
	f.Fuzz(func(t *testing.T, data []byte) {
		c := Default(getenv)
		err := c.Decode("fuzz.toml", data)
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "config fuzz.toml") || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error is not one line naming the file: %q", msg)
			}
			return
		}
		if err := c.Validate(); err != nil && err.Error() == "" {
			t.Fatal("empty validation error")
		}
	})
}

func TestRetentionSetting(t *testing.T) {
	tests := []struct {
		file string
		args []string
		want time.Duration
		err  string
	}{
		{want: 30 * 24 * time.Hour},
		{file: `retention = "7d"`, want: 7 * 24 * time.Hour},
		{file: `retention = "36h"`, args: []string{"--retention", "90d"}, want: 90 * 24 * time.Hour},
		{args: []string{"--retention", "0"}, want: 0},
		{args: []string{"--retention", "-1h"}, err: "must not be negative"},
		{args: []string{"--retention", "1.5d"}, err: "retention"},
		{file: `retention = "forever"`, err: "config"},
	}
	for _, tt := range tests {
		getenv, dir := testEnv(t, nil)
		if tt.file != "" {
			writeFile(t, filepath.Join(dir, "config", "downforai", "config.toml"), tt.file)
		}
		c, err := load(getenv, tt.args...)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q %v: err %v, want %q", tt.file, tt.args, err, tt.err)
			}
		case err != nil:
			t.Errorf("%q %v: %v", tt.file, tt.args, err)
		case time.Duration(c.Retention) != tt.want:
			t.Errorf("%q %v: retention %v, want %v", tt.file, tt.args, c.Retention, tt.want)
		}
	}
}

func TestOpsSettings(t *testing.T) {
	getenv, dir := testEnv(t, nil)
	writeFile(t, filepath.Join(dir, "config", "downforai", "config.toml"), `
ssh_addr = "127.0.0.1:2222"
authorized_keys = "/etc/downforai/keys"
max_sessions = 4
metrics_addr = "127.0.0.1:9464"
notify_bell = false
notify_osc = false
notify_desktop = false
webhook = "https://hooks.slack.com/services/T/B/x"
notify_debounce = "2m"
notify_remind = "30m"
notify_quiet_maintenance = false
`)
	c, err := load(getenv, "--max-sessions", "5", "--notify-bell=true")
	if err != nil {
		t.Fatal(err)
	}
	if c.SSHAddr != "127.0.0.1:2222" || c.AuthorizedKeys != "/etc/downforai/keys" || c.MaxSessions != 5 ||
		c.MetricsAddr != "127.0.0.1:9464" || !c.NotifyBell || c.NotifyOSC || c.NotifyDesktop ||
		c.Webhook != "https://hooks.slack.com/services/T/B/x" || c.NotifyDebounce != Duration(2*time.Minute) ||
		c.NotifyRemind != Duration(30*time.Minute) || c.NotifyQuietMaintenance {
		t.Errorf("settings: %+v", c)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--webhook", "ftp://x/secretpath"}, "not an http(s) URL"},
		{[]string{"--max-sessions", "0"}, "max-sessions"},
		{[]string{"--notify-remind", "-1s"}, "must not be negative"},
	} {
		_, err := load(getenv, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v", tc.args, err)
		}
		if err != nil && strings.Contains(err.Error(), "secretpath") {
			t.Errorf("%v: the webhook URL leaked: %v", tc.args, err)
		}
	}
}

// TestDurationsNeedUnits: a duration in the file is a string with a unit.
// A bare number once meant nanoseconds (`timeout = 5`: a 5 ns timeout and
// a false "your network" verdict); now it is an error naming the file, the
// line and the fix.
func TestDurationsNeedUnits(t *testing.T) {
	tests := []struct {
		file string
		want string // the whole message after the file name
	}{
		{"# probe faster\n\ninterval = 20\n", `line 3: interval = 20 is a number without a unit; write interval = "20s"`},
		{"timeout = 5", `line 1: timeout = 5 is a number without a unit; write timeout = "5s"`},
		{"db = \"/tmp/x.db\"\nretention = 30\n", `line 2: retention = 30 is a number without a unit; write retention = "30d"`},
		{"notify_debounce = 1.5", `line 1: notify_debounce = 1.5 is a number without a unit; write notify_debounce = "1.5s"`},
		{"status_interval = true", `line 1: status_interval: want a duration in quotes, e.g. "30s", not bool`},
		{"interval = \"20\"", `line 1: interval: "20" is not a duration: a number and a unit, e.g. 30s, 5m, 2h, 30d, 1w`},
	}
	for _, tt := range tests {
		getenv, dir := testEnv(t, nil)
		path := filepath.Join(dir, "config", "downforai", "config.toml")
		writeFile(t, path, tt.file)
		_, err := load(getenv)
		if want := "config " + path + ": " + tt.want; err == nil || err.Error() != want {
			t.Errorf("%q:\n got %v\nwant %s", tt.file, err, want)
		}
	}
}

// TestOneDurationSyntax: flags and the file read the same units, days and
// weeks included, and Go's fractional form still works.
func TestOneDurationSyntax(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
	}{
		{"30s", 30 * time.Second}, {"5m", 5 * time.Minute}, {"1h30m", 90 * time.Minute}, {"30d", 30 * 24 * time.Hour},
		{"1w", 7 * 24 * time.Hour}, {"0", 0}, {"1.5s", 1500 * time.Millisecond}, {"250ms", 250 * time.Millisecond},
		{"-5s", -5 * time.Second},
	} {
		getenv, dir := testEnv(t, nil)
		writeFile(t, filepath.Join(dir, "config", "downforai", "config.toml"), "retention = \""+tt.in+"\"\n")
		c, err := load(getenv)
		if tt.want < 0 {
			if err == nil || !strings.Contains(err.Error(), `line 1: retention = "-5s" must not be negative`) {
				t.Errorf("file %q: err %v", tt.in, err)
			}
		} else if err != nil || time.Duration(c.Retention) != tt.want {
			t.Errorf("file %q: %v %v, want %v", tt.in, c.Retention, err, tt.want)
		}
		c, err = load(getenv, "--retention", tt.in)
		if tt.want >= 0 && (err != nil || time.Duration(c.Retention) != tt.want) {
			t.Errorf("flag %q: %v %v, want %v", tt.in, c.Retention, err, tt.want)
		}
	}
	for _, bad := range []string{"", "soon", "1.5d", "5", "1x"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
	for d, want := range map[time.Duration]string{30 * time.Second: "30s", 3 * time.Minute: "3m", 30 * 24 * time.Hour: "30d",
		14 * 24 * time.Hour: "2w", 90 * time.Minute: "1h30m", 1500 * time.Millisecond: "1s500ms", 0: "0s", 1500 * time.Microsecond: "1.5ms"} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
		if back, err := ParseDuration(FormatDuration(d)); err != nil || back != d {
			t.Errorf("FormatDuration(%v) does not read back: %v %v", d, back, err)
		}
	}
}

// TestUnknownKeyNamesItsLine: a key the file does not take is named with
// its line, however it is written.
func TestUnknownKeyNamesItsLine(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"interval = \"20s\"\n\ncolour = \"red\"\n", `line 3: unknown key "colour"`},
		{"interval = \"20s\"\n[notify]\nbell = false\n", `line 2: unknown key "notify"`},
		{"\"time out\" = \"5s\"", `line 1: unknown key "time out"`},
		{"timeout = \"5s\"\nssh.addr = \"x\"", `line 2: unknown key "ssh"`},
	} {
		getenv, dir := testEnv(t, nil)
		path := filepath.Join(dir, "config", "downforai", "config.toml")
		writeFile(t, path, tt.file)
		_, err := load(getenv)
		if want := "config " + path + ": " + tt.want + " (README lists the keys)"; err == nil || err.Error() != want {
			t.Errorf("%q:\n got %v\nwant %s", tt.file, err, want)
		}
	}
}
