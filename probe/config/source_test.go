package config

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestValueErrorsNameTheirSource: a value that cannot work is named where
// it came from — the file's key and line as written, the flag typed, the
// environment, or the default — so the user fixes the right place. Before,
// every one was said as a flag ("--fast-interval must not be negative, not
// -3s" for a line of the file).
func TestValueErrorsNameTheirSource(t *testing.T) {
	tests := []struct {
		name string
		file string
		args []string
		env  map[string]string
		want string // P is the file's path
		hide string // must not appear
	}{
		{name: "file: negative", file: "interval = \"30s\"\nfast_interval = \"-3s\"\n",
			want: `config P line 2: fast_interval = "-3s" must not be negative (0 turns fast probing off)`},
		{name: "file: zero", file: `timeout = "0s"`, want: `config P line 1: timeout = "0s" must be positive`},
		{name: "file: as written", file: "\n# keep a month\nretention = \"-720h\"\n",
			want: `config P line 3: retention = "-720h" must not be negative (0 keeps raw results forever)`},
		{name: "file: quoted key", file: `"timeout" = "0s"`, want: `config P line 1: timeout = "0s" must be positive`},
		{name: "file against default", file: `interval = "1ms"`,
			want: `--timeout 10s (default) must be shorter than interval = "1ms" (config P line 1)`},
		{name: "file against file", file: "interval = \"1ms\"\ntimeout = \"5s\"\n",
			want: `config P line 2: timeout = "5s" must be shorter than interval = "1ms" (line 1)`},
		{name: "flag against file", file: `interval = "1ms"`, args: []string{"--timeout", "5s"},
			want: `--timeout 5s must be shorter than interval = "1ms" (config P line 1)`},
		{name: "file against flag", file: `timeout = "20s"`, args: []string{"--interval", "15s"},
			want: `config P line 1: timeout = "20s" must be shorter than --interval 15s`},
		{name: "both intervals", file: "interval = \"5s\"\nstatus_interval = \"5s\"\n",
			want: `--timeout 10s (default) must be shorter than interval = "5s" (config P line 1) and status_interval = "5s" (config P line 2)`},
		{name: "canary against default", file: `canary_interval = "5s"`,
			want: `config P line 1: canary_interval = "5s" must be longer than --timeout 10s (default)`},
		{name: "file: threshold", file: "fail_threshold = 3\nrecover_threshold = -1\n",
			want: `config P line 2: recover_threshold = -1 must be at least 1`},
		{name: "file: db", file: `db = ""`, want: `config P line 1: db = "" must name a file`},
		{name: "file: url", file: `api_url = "ftp://x"`, want: `config P line 1: api_url = "ftp://x" is not an http(s) URL`},
		{name: "flag beats the file's url", file: `api_url = "ftp://x"`, args: []string{"--api-url", "ftp://y"},
			want: `--api-url ftp://y is not an http(s) URL`},
		{name: "env", env: map[string]string{"ANTHROPIC_BASE_URL": "litellm"},
			want: `$ANTHROPIC_BASE_URL "litellm" (the default of --api-url) is not an http(s) URL`},
		{name: "file beats env", env: map[string]string{"ANTHROPIC_BASE_URL": "https://gw.local"}, file: `api_url = "gw.local"`,
			want: `config P line 1: api_url = "gw.local" is not an http(s) URL`},
		{name: "url password masked", file: `status_url = "ftp://me:hunter2@mirror.local"`,
			want: `config P line 1: status_url = "ftp://me:…@mirror.local" is not an http(s) URL`, hide: "hunter2"},
		{name: "url sanitised", file: `claude_url = "\u001b[31mclaude.ai"`,
			want: `config P line 1: claude_url = "claude.ai" is not an http(s) URL`, hide: "\x1b"},
		{name: "webhook redacted", file: `webhook = "ftp://hooks.local/T0/B0/secretpart"`,
			want: `config P line 1: webhook = "ftp://hooks.local/…" is not an http(s) URL`, hide: "secretpart"},
		{name: "flag webhook redacted", args: []string{"--webhook", "hooks.slack.com/services/T/B/secretpart"},
			want: `--webhook … is not an http(s) URL`, hide: "secretpart"},
		{name: "metrics addr", file: "interval = \"30s\"\nmetrics_addr = \"nonsense\"\n",
			want: `config P line 2: metrics_addr = "nonsense" is not a host:port address (write host:port, e.g. 127.0.0.1:9464; "" for none)`},
		{name: "metrics port", file: `metrics_addr = "127.0.0.1:99999"`,
			want: `config P line 1: metrics_addr = "127.0.0.1:99999" has no port between 0 and 65535 (write host:port, e.g. 127.0.0.1:9464; "" for none)`},
		{name: "ssh port name", args: []string{"--ssh-addr", "localhost:nope"},
			want: `--ssh-addr localhost:nope names the port "nope", which is neither a number nor a service this machine knows (write host:port, e.g. 127.0.0.1:9464; "" for none)`},
		{name: "canary twice", file: "timeout = \"5s\"\n\ncanary_models = [\"claude-haiku-4-5\", \"claude-haiku-4-5\"]\n",
			want: `config P line 3: canary_models = ["claude-haiku-4-5", "claude-haiku-4-5"] names "claude-haiku-4-5" twice`},
		{name: "canary flag", args: []string{"--canary", "claude haiku"},
			want: `--canary "claude haiku": model name "claude haiku": ' ' is not allowed (letters, digits and . _ - : @ / only)`},
		{name: "flag on the line", args: []string{"--fast-interval", "-3s"},
			want: `--fast-interval -3s must not be negative (0 turns fast probing off)`},
		{name: "idle timeout", file: `ssh_idle_timeout = "-1m"`,
			want: `config P line 1: ssh_idle_timeout = "-1m" must not be negative (0 never closes an idle connection)`},
		{name: "max sessions", file: `max_sessions = 0`, want: `config P line 1: max_sessions = 0 must be at least 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv, dir := testEnv(t, tt.env)
			path := filepath.Join(dir, "config", "downforai", "config.toml")
			if tt.file != "" {
				writeFile(t, path, tt.file)
			}
			_, err := load(getenv, tt.args...)
			want := strings.ReplaceAll(tt.want, "config P", "config "+path)
			if err == nil || err.Error() != want {
				t.Fatalf("\n got %v\nwant %s", err, want)
			}
			if tt.hide != "" && strings.Contains(err.Error(), tt.hide) {
				t.Errorf("%q shown: %v", tt.hide, err)
			}
		})
	}
}

// TestListenAddressesThatWork: what net.Listen takes is accepted.
func TestListenAddressesThatWork(t *testing.T) {
	for _, addr := range []string{"", "127.0.0.1:9464", ":9464", "[::1]:9464", "localhost:0", "127.0.0.1:", "0.0.0.0:http"} {
		getenv, dir := testEnv(t, nil)
		writeFile(t, filepath.Join(dir, "config", "downforai", "config.toml"), "metrics_addr = \""+addr+"\"\nssh_addr = \""+addr+"\"\n")
		if _, err := load(getenv); err != nil {
			t.Errorf("%q: %v", addr, err)
		}
	}
}

// TestProbeNamesWhereTheAPIURLCameFrom: the verdict names the setting a
// gateway's URL came from ("nothing listens at ANTHROPIC_BASE_URL …"), so
// the probes are told it the way the user looks for it. Claude Code reads
// ANTHROPIC_BASE_URL from its settings.json's env block too: set there
// alone, our API probes go where Claude Code calls, as when it is
// exported; a value Claude Code cannot use there (not a URL, a cloud
// provider in its place) leaves the default, and never stops downforai.
func TestProbeNamesWhereTheAPIURLCameFrom(t *testing.T) {
	const gw = "http://127.0.0.1:4000"
	settings := func(env string) string { return `{"env": {` + env + `}}` }
	tests := []struct {
		name     string
		file     string
		settings string // ~/.claude/settings.json ("" none)
		args     []string
		env      map[string]string
		want     string // P is the file's path
		url      string // the API URL probed ("" the default)
	}{
		{name: "default", want: ""},
		{name: "env", env: map[string]string{"ANTHROPIC_BASE_URL": gw}, want: "ANTHROPIC_BASE_URL", url: gw},
		{name: "flag", args: []string{"--api-url", gw}, want: "--api-url", url: gw},
		{name: "flag beats env", env: map[string]string{"ANTHROPIC_BASE_URL": gw}, args: []string{"--api-url", "http://127.0.0.1:4001"}, want: "--api-url", url: "http://127.0.0.1:4001"},
		{name: "file", file: `api_url = "` + gw + `"`, want: "api_url in config P", url: gw},
		{name: "Claude Code's settings", settings: settings(`"ANTHROPIC_BASE_URL": "` + gw + `", "ANTHROPIC_API_KEY": "sk-ant-api03-x"`),
			want: "ANTHROPIC_BASE_URL in ~/.claude/settings.json", url: gw},
		{name: "Claude Code's settings under CLAUDE_CONFIG_DIR", settings: settings(`"ANTHROPIC_BASE_URL": "` + gw + `"`),
			env: map[string]string{"CLAUDE_CONFIG_DIR": "D"}, want: "ANTHROPIC_BASE_URL in D/settings.json", url: gw},
		{name: "env beats Claude Code's settings", settings: settings(`"ANTHROPIC_BASE_URL": "http://127.0.0.1:4001"`),
			env: map[string]string{"ANTHROPIC_BASE_URL": gw}, want: "ANTHROPIC_BASE_URL", url: gw},
		{name: "flag beats Claude Code's settings", settings: settings(`"ANTHROPIC_BASE_URL": "http://127.0.0.1:4001"`),
			args: []string{"--api-url", gw}, want: "--api-url", url: gw},
		{name: "config file beats Claude Code's settings", settings: settings(`"ANTHROPIC_BASE_URL": "http://127.0.0.1:4001"`),
			file: `api_url = "` + gw + `"`, want: "api_url in config P", url: gw},
		{name: "not a URL in Claude Code's settings", settings: settings(`"ANTHROPIC_BASE_URL": "litellm"`), want: ""},
		{name: "a cloud provider in Claude Code's settings", settings: settings(`"ANTHROPIC_BASE_URL": "` + gw + `", "CLAUDE_CODE_USE_BEDROCK": "1"`), want: ""},
		{name: "a cloud provider in the environment", settings: settings(`"ANTHROPIC_BASE_URL": "` + gw + `"`),
			env: map[string]string{"CLAUDE_CODE_USE_VERTEX": "1"}, want: ""},
		{name: "Claude Code's settings not JSON", settings: `{"env": {"ANTHROPIC_BASE_URL": "` + gw, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tt.env {
				env[k] = v
			}
			getenv, dir := testEnv(t, env)
			codeDir := filepath.Join(dir, ".claude")
			if tt.env["CLAUDE_CONFIG_DIR"] != "" {
				codeDir = filepath.Join(dir, "claude-config")
				env["CLAUDE_CONFIG_DIR"] = codeDir
				getenv, _ = testEnvIn(dir, env)
			}
			if tt.settings != "" {
				writeFile(t, filepath.Join(codeDir, "settings.json"), tt.settings)
			}
			path := filepath.Join(dir, "config", "downforai", "config.toml")
			if tt.file != "" {
				writeFile(t, path, tt.file)
			}
			c, err := load(getenv, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.ReplaceAll(tt.want, "config P", "config "+path)
			want = strings.ReplaceAll(want, "in D/", "in "+codeDir+"/")
			p := c.Probe(getenv, "test")
			if p.APIURLFrom != want {
				t.Errorf("APIURLFrom %q, want %q", p.APIURLFrom, want)
			}
			url := tt.url
			if url == "" {
				url = "https://api.anthropic.com"
			}
			if c.APIURL != url {
				t.Errorf("APIURL %q, want %q", c.APIURL, url)
			}
		})
	}
}

// TestProbeNamesWhereTheClaudeURLCameFrom: nothing listening at a
// claude.ai URL the user set is said with its setting ("nothing listens
// at --claude-url …"), so the probes are told where it came from.
func TestProbeNamesWhereTheClaudeURLCameFrom(t *testing.T) {
	tests := []struct {
		name string
		file string
		args []string
		want string // P is the file's path
	}{
		{name: "default", want: ""},
		{name: "flag", args: []string{"--claude-url", "http://127.0.0.1:4001"}, want: "--claude-url"},
		{name: "file", file: `claude_url = "http://127.0.0.1:4001"`, want: "claude_url in config P"},
		{name: "flag beats file", file: `claude_url = "http://127.0.0.1:4001"`, args: []string{"--claude-url", "http://127.0.0.1:4002"}, want: "--claude-url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv, dir := testEnv(t, nil)
			path := filepath.Join(dir, "config", "downforai", "config.toml")
			if tt.file != "" {
				writeFile(t, path, tt.file)
			}
			c, err := load(getenv, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.ReplaceAll(tt.want, "config P", "config "+path)
			if got := c.Probe(getenv, "test").ClaudeURLFrom; got != want {
				t.Errorf("ClaudeURLFrom %q, want %q", got, want)
			}
		})
	}
}

// TestProbeSendsWhatClaudeCodeSends: the credential variables unset in
// the environment are read from Claude Code's settings.json's env block,
// as Claude Code reads them, so the key probe sends what Claude Code
// sends; the environment's value comes first.
func TestProbeSendsWhatClaudeCodeSends(t *testing.T) {
	getenv, dir := testEnv(t, map[string]string{"ANTHROPIC_API_KEY": "sk-ant-api03-from-env"})
	writeFile(t, filepath.Join(dir, ".claude", "settings.json"),
		`{"env": {"ANTHROPIC_AUTH_TOKEN": "gw-token-from-settings", "ANTHROPIC_API_KEY": "sk-ant-api03-from-settings"}}`)
	c, err := load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	p := c.Probe(getenv, "test")
	if p.AuthToken != "gw-token-from-settings" || p.APIKey != "sk-ant-api03-from-env" {
		t.Errorf("AuthToken %q APIKey %q: want settings.json's token, the environment's key", p.AuthToken, p.APIKey)
	}
}
