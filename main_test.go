package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"downforai/probe"
	"downforai/store"
	"downforai/ui"
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
		Retention:      age(30 * 24 * time.Hour),
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
		c, _, err := loadConfig("downforai", tt.args, nil, getenv, &bytes.Buffer{})
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

// historyJSONL is days of results every 30 s for two targets in the
// export format.
func historyJSONL(start time.Time, days int) string {
	var b strings.Builder
	for _, tg := range []string{"api", "claude_ai"} {
		for i := range days * 2880 {
			at := start.Add(time.Duration(i) * 30 * time.Second).UTC().Format(time.RFC3339Nano)
			class := "ok"
			if i%101 == 7 {
				class = "overloaded"
			}
			fmt.Fprintf(&b, `{"target":%q,"time":%q,"class":%q,"http":401,"total_us":%d}`+"\n", tg, at, class, 150000+i%977*100)
		}
	}
	return b.String()
}

// TestHistoryCommands drives export, import, db stats, rebuild and compact
// through run, as a user would.
func TestHistoryCommands(t *testing.T) {
	getenv, dir := testEnv(t, nil)
	exec := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		code := run(args, getenv, strings.NewReader(stdin), &out, &errb)
		return code, out.String(), errb.String()
	}
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	file := filepath.Join(dir, "h.jsonl")
	data := historyJSONL(time.Now().Add(-2*24*time.Hour).Truncate(time.Second), 2)
	writeFile(t, file, data+"garbage\n")

	code, out, errOut := exec("", "history", "import", "--db", a, file)
	if code != exitFail || !strings.Contains(out, "11520 added, 0 already stored, 1 bad lines skipped") ||
		!strings.Contains(errOut, "h.jsonl:11521:") || strings.Contains(errOut, "\r") {
		t.Fatalf("import: exit %d\nstdout %q\nstderr %q", code, out, errOut)
	}
	code, first, _ := exec("", "history", "export", "--db", a)
	if code != exitOK || first != data {
		t.Fatalf("export: exit %d, %d bytes, want the %d imported", code, len(first), len(data))
	}
	if code, out, _ := exec(first, "history", "import", "--db", b, "-"); code != exitOK || !strings.Contains(out, "11520 added") {
		t.Fatalf("import from stdin: exit %d, %q", code, out)
	}
	if code, again, _ := exec("", "history", "export", "--db", b); code != exitOK || again != first {
		t.Error("export → import → export differs")
	}
	code, out, _ = exec("", "history", "export", "--db", a, "--since", "12h", "--target", "api", "--format", "csv")
	if lines := strings.Count(out, "\n"); code != exitOK || lines < 1400 || lines > 1442 || strings.Contains(out, "claude_ai") {
		t.Errorf("export --since 12h --target api --format csv: exit %d, %d lines", code, lines)
	}
	if code, _, errOut := exec("", "history", "export", "--db", a, "--format", "xml"); code != exitUsage || errOut == "" {
		t.Errorf("--format xml: exit %d", code)
	}

	code, out, _ = exec("", "db", "stats", "--db", a)
	if code != exitOK || !strings.Contains(out, "api") || !strings.Contains(out, "5760") || !strings.Contains(out, "free pages") {
		t.Errorf("db stats: exit %d\n%s", code, out)
	}
	if code, out, _ := exec("", "db", "rebuild", "--db", a); code != exitOK || !strings.Contains(out, "rebuilt") {
		t.Errorf("db rebuild: exit %d %q", code, out)
	}

	held, err := store.Open(a, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut = exec("", "db", "compact", "--db", a)
	held.Close()
	if code != exitFail || !strings.Contains(errOut, "another downforai") {
		t.Errorf("compact while held: exit %d %q", code, errOut)
	}
	if code, out, _ := exec("", "db", "compact", "--db", a); code != exitOK || !strings.Contains(out, "compacted") {
		t.Errorf("db compact: exit %d %q", code, out)
	}
	if code, again, _ := exec("", "history", "export", "--db", a); code != exitOK || again != first {
		t.Error("export after compaction differs")
	}
	if code, _, errOut := exec("", "db", "--db", a); code != exitUsage || !strings.Contains(errOut, "db") {
		t.Errorf("db without a subcommand: exit %d %q", code, errOut)
	}
}

// BenchmarkStartup measures startup to the first full frame: open the
// database, build the dashboard, load its snapshot (the first command
// Init batches) and draw at 160×48. "month" holds 30 days at 30 s for
// four targets (345,600 results); the budget is 1.5× "empty".
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	empty := filepath.Join(dir, "empty.db")
	month := filepath.Join(dir, "month.db")
	st, err := store.Open(month, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	end := time.Now().Truncate(time.Second)
	var batch []probe.Result
	for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetClaudeAI, probe.TargetCode} {
		for i := range 30 * 2880 {
			batch = append(batch, probe.Result{Target: tg, Time: end.Add(-time.Duration(i) * 30 * time.Second), Class: probe.ClassOK,
				HTTPStatus: 401, Message: "API answers (401 without key, as expected)", Phases: probe.Phases{Total: time.Duration(150+i%300) * time.Millisecond}})
			if len(batch) == 20000 {
				if err := st.PutResults(batch); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		}
	}
	if err := st.PutResults(batch); err != nil {
		b.Fatal(err)
	}
	st.Close()
	for _, tc := range []struct{ name, path, want string }{{"empty", empty, "Checking"}, {"month", month, "stale"}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if v := firstFrame(b, tc.path); !strings.Contains(v, tc.want) {
					b.Fatalf("first frame lacks %q:\n%s", tc.want, v)
				}
			}
		})
	}
}

func firstFrame(b *testing.B, path string) string {
	st, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	m := ui.New(ui.Options{History: st, Renderer: lipgloss.DefaultRenderer(), StaleAfter: 3 * time.Minute,
		Targets: []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetClaudeAI, probe.TargetCode}})
	batch, ok := m.Init()().(tea.BatchMsg)
	if !ok || len(batch) == 0 || batch[0] == nil {
		b.Fatal("Init batches no snapshot load first")
	}
	next, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	next, _ = next.Update(batch[0]())
	return next.View()
}
