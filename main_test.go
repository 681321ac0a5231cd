package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"downforai/probe"
	"downforai/probe/fakeupstream"
	"downforai/probe/remote"
	"downforai/store"
)

// testEnv returns an env with HOME and XDG dirs inside a temp dir.
func testEnv(t *testing.T, extra map[string]string) (env, string) {
	t.Helper()
	dir := t.TempDir()
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

func TestConfigDefaults(t *testing.T) {
	getenv, dir := testEnv(t, nil)
	c, rest, err := loadConfig("downforai", nil, nil, getenv, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	want := config{
		StatusURL:      "https://status.claude.com",
		APIURL:         "https://api.anthropic.com",
		ClaudeURL:      "https://claude.ai",
		DB:             filepath.Join(dir, "state", "downforai", "history.db"),
		Interval:       30 * time.Second,
		StatusInterval: 60 * time.Second,
		Timeout:        10 * time.Second,
		ClaudeBin:      "claude",
		SSHAddr:        "127.0.0.1:23234",
		AuthorizedKeys: filepath.Join(dir, ".ssh", "authorized_keys"),
		MaxSessions:    32,

		NotifyBell:             true,
		NotifyOSC:              true,
		NotifyDesktop:          true,
		NotifyDebounce:         time.Minute,
		NotifyQuietMaintenance: true,
	}
	if c != want {
		t.Errorf("defaults:\n got %+v\nwant %+v", c, want)
	}
	if len(rest) != 0 {
		t.Errorf("rest = %v", rest)
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
	c, _, err := loadConfig("downforai", nil, nil, getenv, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != filepath.Join(dir, ".local", "state", "downforai", "history.db") {
		t.Errorf("db = %s", c.DB)
	}
	if c.Interval != 45*time.Second {
		t.Errorf("~/.config file not read: interval = %s", c.Interval)
	}
}

func TestConfigPrecedence(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		file  string
		args  []string
		check func(t *testing.T, c config)
	}{
		{
			name: "env sets api default",
			env:  map[string]string{"ANTHROPIC_BASE_URL": "http://gateway.local:8080"},
			check: func(t *testing.T, c config) {
				if c.APIURL != "http://gateway.local:8080" {
					t.Errorf("api = %s", c.APIURL)
				}
			},
		},
		{
			name: "file beats env default",
			env:  map[string]string{"ANTHROPIC_BASE_URL": "http://gateway.local:8080"},
			file: `api_url = "http://file.local"`,
			check: func(t *testing.T, c config) {
				if c.APIURL != "http://file.local" {
					t.Errorf("api = %s", c.APIURL)
				}
			},
		},
		{
			name: "flag beats file",
			file: "interval = \"2m\"\nstatus_url = \"http://file.local\"\n",
			args: []string{"--interval", "90s"},
			check: func(t *testing.T, c config) {
				if c.Interval != 90*time.Second {
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
			check: func(t *testing.T, c config) {
				if c.Timeout != 10*time.Second {
					t.Errorf("timeout = %s", c.Timeout)
				}
			},
		},
		{
			name: "file only",
			file: "db = \"/tmp/x.db\"\nclaude_bin = \"/opt/claude\"\ntimeout = \"3s\"\n",
			check: func(t *testing.T, c config) {
				if c.DB != "/tmp/x.db" || c.ClaudeBin != "/opt/claude" || c.Timeout != 3*time.Second {
					t.Errorf("got %+v", c)
				}
				if c.path == "" {
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
			c, _, err := loadConfig("downforai", tt.args, nil, getenv, &bytes.Buffer{})
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
	c, _, err := loadConfig("downforai", []string{"--config", p}, nil, getenv, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.ClaudeURL != "http://127.0.0.1:9" {
		t.Errorf("claude = %s", c.ClaudeURL)
	}
	_, _, err = loadConfig("downforai", []string{"--config", filepath.Join(dir, "missing.toml")}, nil, getenv, &bytes.Buffer{})
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
		{name: "negative interval", args: []string{"--interval", "-5s"}, want: "--interval must be positive"},
		{name: "zero timeout", args: []string{"--timeout", "0s"}, want: "--timeout must be positive"},
		{name: "timeout not shorter", args: []string{"--timeout", "30s"}, want: "must be shorter"},
		{name: "timeout vs status interval", args: []string{"--status-interval", "5s"}, want: "must be shorter"},
		{name: "bad url", args: []string{"--api-url", "::nope"}, want: "--api-url"},
		{name: "url without scheme", args: []string{"--status-url", "status.claude.com"}, want: "--status-url"},
		{name: "unknown flag", args: []string{"--frobnicate"}, want: "frobnicate"},
		{name: "bad duration", args: []string{"--interval", "soon"}, want: "interval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv, dir := testEnv(t, nil)
			if tt.file != "" {
				writeFile(t, filepath.Join(dir, "config", "downforai", "config.toml"), tt.file)
			}
			_, _, err := loadConfig("downforai", tt.args, nil, getenv, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestRunUsageErrorsExit2OneLine(t *testing.T) {
	for _, args := range [][]string{
		{"--interval", "-1s"},
		{"--bogus"},
		{"nosuchcommand"},
		{"stray"},
	} {
		getenv, _ := testEnv(t, nil)
		var out, errb bytes.Buffer
		code := run(args, getenv, strings.NewReader(""), &out, &errb)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
		if lines := strings.Count(strings.TrimRight(errb.String(), "\n"), "\n"); lines != 0 || errb.Len() == 0 {
			t.Errorf("%v: stderr should be one line, got %q", args, errb.String())
		}
		if out.Len() != 0 {
			t.Errorf("%v: stdout should be empty, got %q", args, out.String())
		}
	}
}

func TestRunVersionAndHelp(t *testing.T) {
	getenv, _ := testEnv(t, nil)
	var out, errb bytes.Buffer
	if code := run([]string{"--version"}, getenv, strings.NewReader(""), &out, &errb); code != exitOK || !strings.HasPrefix(out.String(), "downforai ") {
		t.Errorf("--version: exit %d, out %q", code, out.String())
	}
	out.Reset()
	if code := run([]string{"--help"}, getenv, strings.NewReader(""), &out, &errb); code != exitOK || !strings.Contains(errb.String(), "-status-url") {
		t.Errorf("--help: exit %d, err %q", code, errb.String())
	}
}

func TestProbeConfigTakesCredentialsFromEnvOnly(t *testing.T) {
	getenv, dir := testEnv(t, map[string]string{"ANTHROPIC_API_KEY": "sk-ant-api03-test"})
	writeFile(t, filepath.Join(dir, "config", "downforai", "config.toml"), `api_url = "http://127.0.0.1:1/"`)
	c, _, err := loadConfig("downforai", nil, nil, getenv, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	pc := c.probeConfig(getenv)
	if pc.APIKey != "sk-ant-api03-test" {
		t.Errorf("key = %q", pc.APIKey)
	}
	if pc.APIURL != "http://127.0.0.1:1" {
		t.Errorf("api url not trimmed: %q", pc.APIURL)
	}
}

func TestRunLockedDatabaseExits1NamingTheFile(t *testing.T) {
	getenv, dir := testEnv(t, nil)
	db := filepath.Join(dir, "held.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out, errb bytes.Buffer
	code := run([]string{"--db", db}, getenv, strings.NewReader(""), &out, &errb)
	if code != exitFail {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitFail, errb.String())
	}
	msg := errb.String()
	if !strings.Contains(msg, db) || !strings.Contains(msg, "another downforai") {
		t.Errorf("lock message should name %s and say another downforai holds it: %q", db, msg)
	}
}

// checkArgs points every upstream at url and the database into dir.
func checkArgs(url, dir string, extra ...string) []string {
	return append([]string{"check", "--status-url", url, "--api-url", url, "--claude-url", url,
		"--db", filepath.Join(dir, "h.db"), "--timeout", "2s", "--claude-bin", filepath.Join(dir, "no-claude")}, extra...)
}

func TestCheckExitCodes(t *testing.T) {
	for _, tc := range []struct {
		mode fakeupstream.Mode
		key  string
		want int
	}{
		{fakeupstream.ModeOperational, "", 0},
		{fakeupstream.ModeInvalidKey, "sk-ant-api03-MAINCHECKxxXy7A", 1},
		{fakeupstream.ModeMajorOutage, "", 2},
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			fake := fakeupstream.New(tc.mode)
			defer fake.Close()
			getenv, dir := testEnv(t, map[string]string{"ANTHROPIC_API_KEY": tc.key})
			var out, errb bytes.Buffer
			code := run(checkArgs(fake.URL, dir, "--json"), getenv, strings.NewReader(""), &out, &errb)
			if code != tc.want {
				t.Errorf("exit %d, want %d\nstdout %s\nstderr %s", code, tc.want, out.String(), errb.String())
			}
			var rep struct {
				ExitCode int `json:"exit_code"`
			}
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.ExitCode != tc.want {
				t.Errorf("json exit_code %d, err %v: %s", rep.ExitCode, err, out.String())
			}
			if tc.key != "" && strings.Contains(out.String()+errb.String(), "MAINCHECK") {
				t.Error("the key leaked")
			}
			// The round was recorded.
			st, err := store.Open(filepath.Join(dir, "h.db"), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if rs, _ := st.Recent(probe.TargetAPI, 5); len(rs) != 1 {
				t.Errorf("recorded %d api results, want 1", len(rs))
			}
		})
	}
}

func TestCheckBadUsageIsCouldNotCheck(t *testing.T) {
	getenv, _ := testEnv(t, nil)
	for _, args := range [][]string{{"check", "--bogus"}, {"check", "--timeout", "-1s"}, {"check", "stray"}} {
		var out, errb bytes.Buffer
		if code := run(args, getenv, strings.NewReader(""), &out, &errb); code != 3 {
			t.Errorf("%v: exit %d, want 3 (2 would read as an outage)", args, code)
		}
	}
}

func TestCheckWorksOnALockedDatabase(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	getenv, dir := testEnv(t, nil)
	st, err := store.Open(filepath.Join(dir, "h.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out, errb bytes.Buffer
	if code := run(checkArgs(fake.URL, dir), getenv, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s %s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "Verdict: Operational") || !strings.Contains(errb.String(), "not recording") {
		t.Errorf("stdout %q\nstderr %q", out.String(), errb.String())
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
	c, _, err := loadConfig("downforai", []string{"--max-sessions", "5", "--notify-bell=true"}, nil, getenv, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.SSHAddr != "127.0.0.1:2222" || c.AuthorizedKeys != "/etc/downforai/keys" || c.MaxSessions != 5 ||
		c.MetricsAddr != "127.0.0.1:9464" || !c.NotifyBell || c.NotifyOSC || c.NotifyDesktop ||
		c.Webhook != "https://hooks.slack.com/services/T/B/x" || c.NotifyDebounce != 2*time.Minute ||
		c.NotifyRemind != 30*time.Minute || c.NotifyQuietMaintenance {
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
		_, _, err := loadConfig("downforai", tc.args, nil, getenv, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v", tc.args, err)
		}
		if err != nil && strings.Contains(err.Error(), "secretpath") {
			t.Errorf("%v: the webhook URL leaked: %v", tc.args, err)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to read while serve writes its log.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitLog waits for a logfmt line with msg and returns its addr= value.
func waitLog(t *testing.T, log *syncBuffer, msg string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second) // a hang guard, not a budget
	re := regexp.MustCompile(`msg="?` + msg + `"?(?: .*addr=(\S+))?`)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(log.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no %q in the log:\n%s", msg, log.String())
	return ""
}

// TestServeEndToEnd runs `downforai serve` in-process against the fake:
// an SSH viewer sees the dashboard, a local viewer attaches through the
// socket, Prometheus scrapes metrics, and SIGTERM stops it all cleanly.
func TestServeEndToEnd(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeMajorOutage)
	defer fake.Close()
	getenv, dir := testEnv(t, nil)
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := gossh.NewSignerFromKey(priv)
	writeFile(t, filepath.Join(dir, "ak"), string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
	db := filepath.Join(dir, "s", "h.db")
	var stdout bytes.Buffer
	stderr := &syncBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"serve", "--status-url", fake.URL, "--api-url", fake.URL, "--claude-url", fake.URL,
			"--db", db, "--interval", "1s", "--status-interval", "1s", "--timeout", "500ms",
			"--claude-bin", filepath.Join(dir, "none"), "--ssh-addr", "127.0.0.1:0", "--authorized-keys", filepath.Join(dir, "ak"),
			"--metrics-addr", "127.0.0.1:0", "--notify-desktop=false"}, getenv, strings.NewReader(""), &stdout, stderr)
	}()
	sshAddr := waitLog(t, stderr, "ssh listening")
	metricsAddr := waitLog(t, stderr, "metrics listening")
	waitLog(t, stderr, "serving")

	// SSH viewer.
	client, err := gossh.Dial("tcp", sshAddr, &gossh.ClientConfig{User: "ops", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, _ := client.NewSession()
	sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
	in, _ := sess.StdinPipe()
	screen := &syncBuffer{}
	sess.Stdout = screen
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(in, "\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;c") // answer the terminal queries

	// Local viewer through the socket.
	cl, err := remote.Dial(context.Background(), remote.SocketPath(db), db)
	if err != nil {
		t.Fatalf("attach: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events, err := cl.Events(ctx, 16)
	if err != nil {
		t.Fatal(err)
	}
	if ev := <-events; ev.Result.Target == "" {
		t.Errorf("attached viewer got %+v", ev)
	}

	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(ansi.Strip(screen.String()), "Anthropic outage") {
		if time.Now().After(deadline) {
			t.Fatalf("ssh viewer screen:\n%s", ansi.Strip(screen.String()))
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `probe_http_status_code{target="api"} 529`) {
		t.Errorf("metrics:\n%s", body)
	}

	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	if c := <-code; c != exitOK {
		t.Errorf("serve exit %d; log:\n%s", c, stderr.String())
	}
	for range events { // the stream ends with the engine
	}
	if !strings.Contains(stderr.String(), "msg=stopped") {
		t.Errorf("log:\n%s", stderr.String())
	}
	// The database was closed and the socket removed.
	st, err := store.Open(db, store.Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("database still held: %v", err)
	}
	st.Close()
	if _, err := os.Stat(remote.SocketPath(db)); !os.IsNotExist(err) {
		t.Errorf("socket left behind: %v", err)
	}
}
