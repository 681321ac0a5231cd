package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe/fakeupstream"
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
		LocalInterval:  3 * time.Minute,

		FailThreshold:    3,
		RecoverThreshold: 2,
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
			name: "incident thresholds: default, file, flag",
			file: "fail_threshold = 5\nrecover_threshold = 4\n",
			args: []string{"--recover-threshold", "1"},
			check: func(t *testing.T, c config) {
				if c.FailThreshold != 5 || c.RecoverThreshold != 1 {
					t.Errorf("fail %d recover %d, want 5 from the file and 1 from the flag", c.FailThreshold, c.RecoverThreshold)
				}
			},
		},
		{
			name: "incident thresholds default to Gatus's",
			check: func(t *testing.T, c config) {
				if c.FailThreshold != 3 || c.RecoverThreshold != 2 {
					t.Errorf("fail %d recover %d, want 3 and 2", c.FailThreshold, c.RecoverThreshold)
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
		{name: "zero fail threshold", args: []string{"--fail-threshold", "0"}, want: "--fail-threshold 0"},
		{name: "negative recover threshold", file: "recover_threshold = -1", want: "--recover-threshold -1"},
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

// TestReportAndDiagnoseNeverLeakTheKey runs `downforai report` and
// `downforai diagnose -` against the fake answering "invalid x-api-key",
// then looks for the key in their output, the database and every file the
// runs left in the state directory.
func TestReportAndDiagnoseNeverLeakTheKey(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeInvalidKey)
	defer fake.Close()
	key := "sk-ant-api03-" + strings.Repeat("Lk4_", 22) + "ZzXy7A" + "AA"
	inner := key[20:60]
	getenv, dir := testEnv(t, map[string]string{"ANTHROPIC_API_KEY": key})
	state := filepath.Join(dir, "state")
	db := filepath.Join(state, "h.db")
	if err := os.MkdirAll(state, 0o700); err != nil {
		t.Fatal(err)
	}
	flags := []string{"--status-url", fake.URL, "--api-url", fake.URL, "--claude-url", fake.URL, "--db", db,
		"--claude-bin", filepath.Join(dir, "no-claude"), "--timeout", "3s"}

	var out, errb bytes.Buffer
	if code := run(append([]string{"report"}, flags...), getenv, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("report exit %d: %s", code, errb.String())
	}
	report := out.String()
	for _, want := range []string{"## Verdict: Your credential", "Matching problem: Invalid API key", "401 authentication_error \"invalid x-api-key\"",
		"request-id req_011CFake", "ANTHROPIC_API_KEY, API key sk-ant-api03-…7AAA"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}

	out.Reset()
	pasted := "curl -H 'x-api-key: " + key + "' " + fake.URL + "/v1/models\n" +
		`{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`
	if code := run(append(append([]string{"diagnose"}, flags...), "-"), getenv, strings.NewReader(pasted), &out, &errb); code != exitOK {
		t.Fatalf("diagnose exit %d: %s", code, errb.String())
	}
	diag := out.String()
	for _, want := range []string{"Invalid API key · invalid_api_key", "Confirmed from here", "Live verdict: Your credential"} {
		if !strings.Contains(diag, want) {
			t.Errorf("diagnose lacks %q:\n%s", want, diag)
		}
	}

	out.Reset()
	if code := run(append([]string{"diagnose"}, append(flags, "the", "printer", "is", "on", "fire")...), getenv, strings.NewReader(""), &out, &errb); code != exitOK ||
		!strings.Contains(out.String(), "No known signature") || !strings.Contains(out.String(), "Live verdict:") {
		t.Errorf("unknown text: exit %d\n%s", code, out.String())
	}

	for name, text := range map[string]string{"report": report, "diagnose": diag, "stderr": errb.String()} {
		if strings.Contains(text, inner) {
			t.Errorf("the key is in the %s output", name)
		}
	}
	// The database and anything else the runs wrote (logs included).
	files := 0
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		if bytes.Contains(b, []byte(inner)) || bytes.Contains(b, []byte(key[len(key)-12:])) {
			t.Errorf("the key is in %s", path)
		}
		return nil
	})
	if st, err := os.Stat(db); err != nil || st.Size() == 0 || files == 0 {
		t.Fatalf("the runs recorded nothing: %v", err)
	}
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rs, err := st.Recent("api_key", 10)
	if err != nil || len(rs) == 0 {
		t.Errorf("no key-probe results stored: %v", err)
	}
}

func TestDiagnoseAcknowledgedOutage(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeMajorOutage)
	defer fake.Close()
	getenv, dir := testEnv(t, nil)
	var out, errb bytes.Buffer
	code := run([]string{"diagnose", "--status-url", fake.URL, "--api-url", fake.URL, "--claude-url", fake.URL,
		"--db", filepath.Join(dir, "h.db"), "--claude-bin", filepath.Join(dir, "none"), "--timeout", "3s",
		`API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":null}`},
		getenv, strings.NewReader(""), &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"Overloaded (529) · overloaded", "Anthropic is overloaded: 1 of the last 1 API probes got 529 overloaded_error",
		"Live verdict: Anthropic outage", "acknowledged on the status page (Elevated errors for multiple models)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("lacks %q:\n%s", want, out.String())
		}
	}
	if code := run([]string{"diagnose", "--db", filepath.Join(dir, "h.db")}, getenv, strings.NewReader(""), &out, &errb); code != exitUsage {
		t.Errorf("no text: exit %d", code)
	}
}
