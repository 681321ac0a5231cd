package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
	"github.com/muesli/termenv"
	"github.com/spf13/pflag"
	gossh "golang.org/x/crypto/ssh"

	"downforai/probe"
	"downforai/probe/check"
	"downforai/probe/config"
	"downforai/probe/fakeupstream"
	"downforai/probe/judge"
	"downforai/probe/probetest"
	"downforai/probe/probetest/nxdomain"
	"downforai/probe/remote"
	"downforai/store"
	"downforai/ui"
	"downforai/ui/cli"
	"downforai/ui/sshserve"
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

// testConfig resolves the settings the dashboard would from args.
func testConfig(t *testing.T, getenv env, args ...string) config.Config {
	t.Helper()
	l := config.NewLoader(getenv)
	fs := pflag.NewFlagSet("downforai", pflag.ContinueOnError)
	l.AddGlobalFlags(fs)
	l.AddFlags(fs, config.Probes|config.Incidents|config.Outputs|config.SSH)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	c, err := l.Resolve(fs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testTerminal is a pseudo-terminal for run's stdin and stdout, for
// dashboard runs that must fail before drawing; nothing reads it.
func testTerminal(t *testing.T) *os.File {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close(); ptmx.Close() })
	return tty
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

// TestCommandLine: help on stdout with exit 0, each command listing its own
// flags and the global ones only, help CMD, version, completions and the
// man page, and one line with exit 2 for what cannot run.
func TestCommandLine(t *testing.T) {
	tests := []struct {
		args    []string
		code    int
		out     []string // in stdout
		notOut  []string // not in stdout (a flag's line starts with six spaces)
		errLine string   // the one line on stderr ("" for none)
	}{
		{args: []string{"--help"}, out: []string{"Usage:\n  downforai [flags]\n  downforai [command]", "check", "serve", "history", "--status-url", "--notify-bell", "--config", "--version"},
			notOut: []string{"      --ssh-addr", "      --json"}},
		{args: []string{"check", "--help"}, out: []string{"downforai check [flags]", "Exit codes: 0", "--json", "--timeout", "Global Flags:", "--db", "--config"},
			notOut: []string{"      --ssh-addr", "      --notify-bell", "      --retention", "      --webhook"}},
		{args: []string{"help", "check"}, out: []string{"downforai check [flags]", "--json"}},
		{args: []string{"serve", "-h"}, out: []string{"--ssh-addr", "--authorized-keys", "--max-sessions", "--metrics-addr", "--webhook", "--retention"}},
		{args: []string{"db", "stats", "--help"}, out: []string{"downforai db stats [flags]", "--db"}, notOut: []string{"--interval", "--status-url"}},
		{args: []string{"history", "export", "--help"}, out: []string{"--since", "--target", "--format"}, notOut: []string{"--timeout"}},
		{args: []string{"diagnose", "--help"}, out: []string{"diagnose -", "--status-url"}, notOut: []string{"--notify-osc"}},
		{args: []string{"--version"}, out: []string{"downforai ", "built with go"}},
		{args: []string{"version"}, out: []string{"downforai ", "built with go"}},
		{args: []string{"completion", "bash"}, out: []string{"__start_downforai"}},
		{args: []string{"completion", "zsh"}, out: []string{"#compdef downforai"}},
		{args: []string{"completion", "fish"}, out: []string{"complete -c downforai"}},
		{args: []string{"completion", "powershell"}, out: []string{"Register-ArgumentCompleter"}},
		{args: []string{"man"}, out: []string{".TH DOWNFORAI 1", "check", "\\fB--status-url\\fP", "\\fBexport\\fP"}, notOut: []string{"`"}},
		{args: []string{"db"}, code: exitUsage, errLine: `downforai: "db" needs one of: db compact, db rebuild, db salvage, db stats`},
		{args: []string{"completion", "tcsh"}, code: exitUsage, errLine: `downforai: unknown command "tcsh" for "downforai completion" (see downforai completion --help)`},
		{args: []string{"completion"}, code: exitUsage, errLine: `downforai: "completion" needs one of: completion bash, completion fish, completion powershell, completion zsh`},
		{args: []string{"db", "shrink"}, code: exitUsage, errLine: `downforai: unknown command "shrink" for "downforai db" (see downforai db --help)`},
		{args: []string{"chek"}, code: exitUsage, errLine: `downforai: unknown command "chek"; did you mean "check"? (see downforai --help)`},
		{args: []string{"check", "--ssh-addr", ":0"}, code: 3, errLine: "downforai: unknown flag: --ssh-addr"},
		{args: []string{"report", "extra"}, code: exitUsage, errLine: `downforai: downforai report: unexpected argument "extra" (see downforai report --help)`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			getenv, _ := testEnv(t, nil)
			var out, errb bytes.Buffer
			code := run(tt.args, getenv, strings.NewReader(""), &out, &errb)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errb.String())
			}
			for _, w := range tt.out {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tt.notOut {
				if strings.Contains(out.String(), w) {
					t.Errorf("stdout has %q:\n%s", w, out.String())
				}
			}
			if got := strings.TrimSuffix(errb.String(), "\n"); got != tt.errLine {
				t.Errorf("stderr %q, want %q", got, tt.errLine)
			}
		})
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
	var errb bytes.Buffer
	tty := testTerminal(t)
	code := run([]string{"--db", db}, getenv, tty, tty, &errb)
	if code != exitFail {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitFail, errb.String())
	}
	msg := errb.String()
	if !strings.Contains(msg, db) || !strings.Contains(msg, "another downforai") {
		t.Errorf("lock message should name %s and say another downforai holds it: %q", db, msg)
	}
}

// TestOlderEngineIsAVersionMismatch: the database is held by an engine of
// another protocol (an older downforai, whose local checks named catalogue
// entries): the dashboard and db stats say "version mismatch", exit 1,
// instead of attaching to it or only saying the file is locked.
func TestOlderEngineIsAVersionMismatch(t *testing.T) {
	getenv, dir := testEnv(t, nil)
	db := filepath.Join(dir, "held.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ln, err := remote.Listen(remote.SocketPath(db))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			bufio.NewReader(conn).ReadBytes('\n')
			fmt.Fprintf(conn, `{"protocol":1,"version":"v0.9.0","db":%q,"pid":42}`+"\n", remote.DBName(db))
			conn.Close()
		}
	})
	defer func() { ln.Close(); wg.Wait() }()
	tty := testTerminal(t)
	for _, args := range [][]string{{"--db", db}, {"db", "stats", "--db", db}} {
		var out, errb bytes.Buffer
		var code int
		if len(args) == 2 {
			code = run(args, getenv, tty, tty, &errb)
		} else {
			code = run(args, getenv, strings.NewReader(""), &out, &errb)
		}
		if msg := errb.String(); code != exitFail || !strings.Contains(msg, "version mismatch") || !strings.Contains(msg, "v0.9.0") {
			t.Errorf("%q: exit %d, stderr %q; want 1 and a version mismatch naming v0.9.0", args, code, msg)
		}
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

// TestDiagnoseAcknowledgedOutage runs diagnose against a fake outage with
// the flags before and after the pasted text, as people type them: Go's
// flag package once stopped at the text and probed the real hosts.
func TestDiagnoseAcknowledgedOutage(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeMajorOutage)
	defer fake.Close()
	text := `API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":null}`
	for _, order := range []string{"flags first", "text first", "text between flags"} {
		t.Run(order, func(t *testing.T) {
			getenv, dir := testEnv(t, nil)
			first := []string{"--status-url", fake.URL, "--api-url", fake.URL, "--claude-url", fake.URL}
			last := []string{"--db", filepath.Join(dir, "h.db"), "--claude-bin", filepath.Join(dir, "none"), "--timeout", "3s"}
			args := map[string][]string{
				"flags first":        append(append(append([]string{"diagnose"}, first...), last...), text),
				"text first":         append(append([]string{"diagnose", text}, first...), last...),
				"text between flags": append(append(append([]string{"diagnose"}, first...), text), last...),
			}[order]
			var out, errb bytes.Buffer
			if code := run(args, getenv, strings.NewReader(""), &out, &errb); code != exitOK {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			for _, want := range []string{"Overloaded (529) · overloaded", "Anthropic is overloaded: the last 2 API probes got 529 overloaded_error",
				"Live verdict: Anthropic outage", "acknowledged on the status page (Elevated errors for multiple models)"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("lacks %q:\n%s", want, out.String())
				}
			}
			if strings.Contains(out.String(), "--status-url") {
				t.Errorf("the flags were read as error text:\n%s", out.String())
			}
			if code := run([]string{"diagnose", "--db", filepath.Join(dir, "h.db")}, getenv, strings.NewReader(""), &out, &errb); code != exitUsage {
				t.Errorf("no text: exit %d", code)
			}
		})
	}
}

// ---- Hardening (issue 7): hostile text, secrets, shutdown, config fuzzing.

// asciiRenderer draws without colour, so any ESC in a view came from data.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// runCmds runs cmd (and every command of a batch, concurrently) and
// returns the messages. Only for commands that end: with no Events channel
// the dashboard's Init holds the snapshot load, the 1 s clock and the
// spinner.
func runCmds(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	batch, ok := msg.(tea.BatchMsg)
	if !ok {
		return []tea.Msg{msg}
	}
	var mu sync.Mutex
	var out []tea.Msg
	var wg sync.WaitGroup
	for _, c := range batch {
		wg.Go(func() {
			msgs := runCmds(c)
			mu.Lock()
			out = append(out, msgs...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// renderTabs opens the dashboard on history h at w×h cells, lets it load,
// and returns every tab's view, keyed by tab number.
func renderTabs(t *testing.T, hist probe.History, targets []probe.Target, w, h int) map[string]string {
	t.Helper()
	var m tea.Model = ui.New(ui.Options{Renderer: asciiRenderer(), History: hist, Targets: targets, StaleAfter: time.Hour, Version: "test"})
	m, _ = m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	for _, msg := range runCmds(m.Init()) {
		m, _ = m.Update(msg)
	}
	views := make(map[string]string)
	for _, k := range []string{"1", "2", "3", "4"} {
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		views["tab "+k] = m.View()
		if k == "2" { // and the newest incident's detail, where update bodies are drawn
			m, _ = m.Update(tea.KeyMsg{Type: tea.KeyEnter})
			views["incident detail"] = m.View()
			m, _ = m.Update(tea.KeyMsg{Type: tea.KeyEsc})
		}
	}
	return views
}

// hostileUpstream plays every upstream with text built to attack the
// terminal: OSC 0 (set the window title), OSC 52 (write the clipboard),
// CSI 2 J (clear the screen), 8-bit CSI, and bidi overrides, in incident
// names and bodies, component names, the status description, API error
// messages and the request-id and cf-ray headers.
func hostileUpstream(t *testing.T) string {
	t.Helper()
	const attack = `\u001b]0;pwned-title\u0007\u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b31m\u202e`
	summary := `{"page":{"updated_at":"2026-09-03T13:30:00Z"},
 "status":{"indicator":"major","description":"Partial ` + attack + `Outage"},
 "components":[
  {"id":"rwppv331jlwc","name":"claude` + attack + `.ai","status":"major_outage","position":1},
  {"id":"k8w3r06qmzrp","name":"Claude API` + attack + `","status":"partial_outage","position":3},
  {"id":"yyzkbfz2thpt","name":"Claude Code","status":"operational","position":4}],
 "incidents":[{"id":"hostile1","name":"Elevated ` + attack + `errors on Claude Opus","status":"investigating","impact":"major",
   "shortlink":"https://stspg.io/` + attack + `","created_at":"2026-09-03T13:26:04Z","started_at":"2026-09-03T13:26:04Z","updated_at":"2026-09-03T13:30:00Z",
   "incident_updates":[{"id":"u1","status":"investigating","body":"We are ` + attack + `investigating.\r\n\u001b[31mSecond line` + attack + `","created_at":"2026-09-03T13:30:00Z",
     "affected_components":[{"code":"rwppv331jlwc"},{"code":"k8w3r06qmzrp"}]}]}],
 "scheduled_maintenances":[]}`
	// Header values may carry bytes >= 0x80 (net/http refuses C0): C1 as
	// UTF-8, bidi, and bytes that are not UTF-8.
	const hdr = "req_\u202ehostile\u009b2J\xff"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v2/summary.json":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, summary)
		case "/v1/models":
			w.Header().Set("request-id", hdr)
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"type":"error","error":{"type":"authentication_error","message":"invalid `+attack+`x-api-key"},"request_id":"req_`+attack+`"}`)
		default:
			w.Header().Set("cf-ray", hdr)
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "<html>"+attack+"</html>")
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// badRunes finds what a terminal would act on: ESC and every other C0/C1
// control, and bidi overrides; only newline is allowed.
func badRunes(s string) []string {
	var bad []string
	for i, r := range s {
		if r == '\n' {
			continue
		}
		if unicode.IsControl(r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C {
			bad = append(bad, fmt.Sprintf("%U at byte %d", r, i))
		}
	}
	return bad
}

// TestHostileTextEndToEnd takes hostile text from a fake upstream through
// main's settings, the real probers and engine, the bbolt store and a fresh
// dashboard that loads from it: no tab draws a control character, an escape
// sequence or a bidi override, and the sanitised text is still there.
func TestHostileTextEndToEnd(t *testing.T) {
	base := hostileUpstream(t)
	getenv, dir := testEnv(t, map[string]string{"ANTHROPIC_API_KEY": "sk-ant-api03-hostile-test"})
	c := testConfig(t, getenv, "--status-url", base, "--api-url", base, "--claude-url", base,
		"--db", filepath.Join(dir, "h.db"), "--claude-bin", filepath.Join(dir, "no-claude"))
	st, err := store.Open(c.DB, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	checks := probe.NewChecks(c.Probe(getenv, "test"))
	evs := probe.NewEngine(checks, st).RunOnce(context.Background())
	if len(evs) != len(checks) {
		t.Fatalf("%d events for %d checks", len(evs), len(checks))
	}
	var targets []probe.Target
	for _, ev := range evs {
		if ev.StoreErr != "" {
			t.Fatalf("store: %s", ev.StoreErr)
		}
		targets = append(targets, ev.Result.Target)
	}

	views := renderTabs(t, st, targets, 160, 48)
	all := ""
	for name, v := range views {
		if bad := badRunes(v); len(bad) > 0 {
			t.Errorf("%s draws %v:\n%s", name, bad, v)
		}
		all += v
	}
	// The attack is gone, the words around it are not.
	for _, want := range []string{"Elevated errors on Claude Opus", "We are investigating.", "invalid x-api-key"} {
		if !strings.Contains(all, want) {
			t.Errorf("no tab shows %q", want)
		}
	}
	// "[31m", not "31m": a duration ("1h 31m ago") is no escape sequence.
	for _, gone := range []string{"pwned-title", "ZXZpbA==", "[2J", "[31m"} {
		if strings.Contains(all, gone) {
			t.Errorf("a tab shows %q, part of an escape sequence", gone)
		}
	}
}

// TestUnwritableStateStartsOnMemory: a database that cannot be opened for
// a reason that may pass (here its directory cannot be created, as with a
// read-only state directory) does not stop the dashboard: it warns, keeps
// results in memory, and writes them all once the database can be opened.
func TestUnwritableStateStartsOnMemory(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "state")
	writeFile(t, blocker, "a file where the state directory should be")
	c := config.Config{DB: filepath.Join(blocker, "downforai", "history.db")}
	var errb bytes.Buffer
	db, err := store.OpenRecorder(c.DB, 0, &errb)
	if err != nil || db.History != nil {
		t.Fatalf("err=%v: want a start without history", err)
	}
	rec, closeDB := db.Rec, db.Close
	if msg := errb.String(); !strings.Contains(msg, "warning") || !strings.Contains(msg, c.DB) || !strings.Contains(msg, "keeping history in memory and retrying") {
		t.Errorf("warning %q", msg)
	}
	at := time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)
	r := func(i int) probe.Result {
		return probe.Result{Target: probe.TargetAPI, Time: at.Add(time.Duration(i) * time.Second), Class: probe.ClassOK, Message: fmt.Sprint(i)}
	}
	for i := range 3 {
		if err := rec.PutResult(r(i)); err == nil {
			t.Fatalf("write %d succeeded without a database", i)
		}
	}
	os.Remove(blocker) // the directory can be created now
	if err := rec.PutResult(r(3)); err != nil {
		t.Fatalf("write after the fix: %v", err)
	}
	if err := closeDB(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(c.DB, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Range(probe.TargetAPI, time.Time{}, time.Time{})
	if err != nil || len(got) != 4 {
		t.Fatalf("stored %d results (%v), want all 4", len(got), err)
	}
}

// TestNeedsAPersonStillRefuses: a locked or foreign database is not
// retried: the dashboard exits 1 naming the file, and a foreign file is
// left as it was.
func TestNeedsAPersonStillRefuses(t *testing.T) {
	dir := t.TempDir()
	foreign := filepath.Join(dir, "notes.db")
	writeFile(t, foreign, "remember to buy milk\n")
	getenv, _ := testEnv(t, nil)
	var errb bytes.Buffer
	tty := testTerminal(t)
	if code := run([]string{"--db", foreign}, getenv, tty, tty, &errb); code != exitFail {
		t.Fatalf("exit %d on a foreign file, want %d", code, exitFail)
	}
	if !strings.Contains(errb.String(), foreign) || !strings.Contains(errb.String(), "move it aside") {
		t.Errorf("message %q", errb.String())
	}
	if b, _ := os.ReadFile(foreign); string(b) != "remember to buy milk\n" {
		t.Error("foreign file modified")
	}
}

// ---- Real dashboard runs on a pseudo-terminal: secrets sweep, hangup.

// runMainEnv makes the test binary run main instead of the tests, so a test
// can start the real dashboard as a process.
const runMainEnv = "DOWNFORAI_TEST_RUN_MAIN"

// noDNSEnv=1 beside runMainEnv makes the program's every name lookup fail
// with "no such host" inside the process (probetest/nxdomain), so a row
// where no name resolves is the same on every machine and never asks the
// machine's resolver.
const noDNSEnv = "DOWNFORAI_TEST_NO_DNS"

// noDNSUnused is the exit code of a program run with noDNSEnv that never
// asked the in-process resolver.
const noDNSUnused = 97

func TestMain(m *testing.M) {
	// check's confirming probe waits the recorded rounds' spacing (up to
	// 10 s): tested in probe/check; here, in process and in the binary the
	// tests start, it stays short so the scenarios keep their pace.
	check.MaxConfirmPause = 200 * time.Millisecond
	if os.Getenv(runMainEnv) == "1" {
		noDNS := os.Getenv(noDNSEnv) == "1"
		if noDNS {
			nxdomain.Install()
		}
		code := run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
		if noDNS && nxdomain.Queries() == 0 {
			// The row meant to test "no name resolves" resolved nothing
			// here: the program reached its hosts some other way, or asked
			// another resolver. Exit with a code no row expects.
			fmt.Fprintln(os.Stderr, noDNSEnv+": no lookup reached the in-process resolver")
			code = noDNSUnused
		}
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// dashboard is the real program running on a pseudo-terminal of 120×35,
// as a user would run it.
type dashboard struct {
	db, log string
	screen  probetest.Buffer // everything drawn on the terminal
	stderr  probetest.Buffer
	pty     *os.File
	cmd     *exec.Cmd
	copied  chan struct{}
}

// startDashboard runs `downforai args…` with HOME and the XDG directories
// in a fresh directory and the given extra environment.
func startDashboard(t *testing.T, args []string, extraEnv ...string) *dashboard {
	t.Helper()
	dir := t.TempDir()
	d := &dashboard{db: filepath.Join(dir, "state", "history.db"), copied: make(chan struct{})}
	d.log = filepath.Join(dir, "state", "downforai.log")
	d.cmd = programCmd(t, dir, append([]string{"--db", d.db, "--claude-bin", filepath.Join(dir, "no-claude")}, args...), append([]string{ptyTerm}, extraEnv...))
	d.cmd.Stderr = &d.stderr
	var err error
	d.pty, err = pty.StartWithSize(d.cmd, &pty.Winsize{Rows: 35, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		io.Copy(&d.screen, d.pty)
		close(d.copied)
	}()
	t.Cleanup(func() {
		if d.cmd.ProcessState == nil {
			d.cmd.Process.Kill()
			d.cmd.Wait()
		}
		d.pty.Close()
	})
	return d
}

// hangGuard bounds waits that would otherwise hang the suite if the
// program stopped answering; it is not a speed limit.
const hangGuard = time.Minute

// waitFor polls until cond holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(hangGuard); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

func (d *dashboard) waitScreen(t *testing.T, text string) {
	t.Helper()
	// Styles may wrap every character in its own sequence: compare text.
	waitFor(t, fmt.Sprintf("%q on the screen", text), func() bool { return strings.Contains(ansi.Strip(string(d.screen.Bytes())), text) })
}

func (d *dashboard) key(t *testing.T, k string) {
	t.Helper()
	if _, err := d.pty.Write([]byte(k)); err != nil {
		t.Fatal(err)
	}
}

// visitTabs shows every other tab in turn (Live signals is the first), so
// each is drawn on the screen. Each key waits for the last one's tab to
// appear: keys read together arrive as one message ("2q" is no key).
func (d *dashboard) visitTabs(t *testing.T) {
	t.Helper()
	for _, tb := range []string{"2 Incidents", "3 Troubleshooting", "4 History"} {
		d.key(t, tb[:1])
		d.waitScreen(t, "["+tb+"]")
	}
}

// hangUp closes the terminal, as when an ssh connection drops or a
// terminal window is closed: the kernel sends SIGHUP. It returns the exit
// code.
func (d *dashboard) hangUp(t *testing.T) int {
	t.Helper()
	d.pty.Close()
	return d.wait(t)
}

// wait waits for the program to end and returns its exit code.
func (d *dashboard) wait(t *testing.T) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- d.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(hangGuard):
		d.cmd.Process.Kill()
		<-done
		t.Fatalf("still running after %s; stderr %s; screen %q", hangGuard, d.stderr.Bytes(), tail(ansi.Strip(string(d.screen.Bytes())), 2000))
	}
	return d.cmd.ProcessState.ExitCode()
}

func tail(s string, n int) string { return s[max(len(s)-n, 0):] }

// TestHangupShutsDownCleanly runs the dashboard on a terminal, then takes
// the terminal away: the program must end by itself, without a panic, leave
// the database closed and consistent (another downforai opens it at once
// and finds what was recorded) and say in its log that it stopped.
func TestHangupShutsDownCleanly(t *testing.T) {
	srv := httptest.NewServer(fakeupstream.NewHandler(fakeupstream.ModeOperational))
	t.Cleanup(srv.Close)
	d := startDashboard(t, []string{"--status-url", srv.URL, "--api-url", srv.URL, "--claude-url", srv.URL,
		"--interval", "1s", "--status-interval", "1s", "--timeout", "900ms"})
	d.waitScreen(t, "Operational")
	code := d.hangUp(t)
	if code != exitOK {
		t.Errorf("exit %d after hangup; stderr %q", code, d.stderr.Bytes())
	}
	if bytes.Contains(d.stderr.Bytes(), []byte("panic")) || bytes.Contains(d.screen.Bytes(), []byte("Caught panic")) {
		t.Errorf("panicked on hangup: %s", d.stderr.Bytes())
	}
	st, err := store.Open(d.db, store.Options{LockTimeout: 10 * time.Millisecond})
	if err != nil {
		t.Fatalf("database after hangup: %v", err)
	}
	defer st.Close()
	if n, err := st.Counts(); err != nil || n[probe.TargetStatus] == 0 {
		t.Errorf("counts %v err %v: nothing recorded", n, err)
	}
	logText, _ := os.ReadFile(d.log)
	if !bytes.Contains(logText, []byte("msg=started")) || !bytes.Contains(logText, []byte("msg=stopped")) {
		t.Errorf("log does not record start and stop:\n%s", logText)
	}
}

// The fake credentials of the secrets sweep. "W7CANARY" appears nowhere
// else, so finding it anywhere is a leak; the key ends like a real one, the
// token is a gateway's opaque bearer token (not shaped like a key, so only
// exact redaction can catch it).
const (
	canaryKey   = "sk-ant-api03-W7CANARYKEY_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_0123456789abcd-Xy7A"
	canaryToken = "gw-W7CANARYTOKEN-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	canaryMark  = "W7CANARY"
	canaryOAuth = "sk-ant-oat01-W7CANARYOAUTH_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_0123456789-Qz9BAA"
)

// echoUpstream plays every upstream and echoes whatever credential arrives
// in every place a careless server could: request-id, cf-ray and a custom
// header, error messages, error request_id, a model id, the status page
// description. Answers to the key probe cycle through 200, 401, 529 and 429
// so every path is taken. keyed counts key-probe requests.
func echoUpstream(t *testing.T, keyed *atomic.Int32) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("x-api-key") + r.Header.Get("Authorization")
		q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		w.Header().Set("request-id", "req_"+got)
		w.Header().Set("cf-ray", got)
		w.Header().Set("x-echo", got)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/api/v2/summary.json":
			fmt.Fprintf(w, `{"page":{},"status":{"indicator":"none","description":%s},"components":[{"id":"k8w3r06qmzrp","name":%s,"status":"operational"}],"incidents":[]}`,
				q("All Systems Operational "+got), q("Claude API "+got))
		case r.URL.Path == "/v1/models" && got == "":
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"type":"error","error":{"type":"authentication_error","message":"x-api-key header is required"},"request_id":"req_1"}`)
		case r.URL.Path == "/v1/models":
			errBody := func(typ string) string {
				return fmt.Sprintf(`{"type":"error","error":{"type":%s,"message":%s},"request_id":%s}`, q(typ), q("invalid x-api-key: "+got), q("req_"+got))
			}
			switch keyed.Add(1) % 4 {
			case 1:
				fmt.Fprintf(w, `{"data":[{"id":%s,"type":"model"}],"has_more":false}`, q(got))
			case 2:
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, errBody("authentication_error"))
			case 3:
				w.WriteHeader(529)
				io.WriteString(w, errBody("overloaded_error"))
			case 0:
				w.Header().Set("retry-after", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				io.WriteString(w, errBody("rate_limit_error"))
			}
		case r.URL.Path == "/api/oauth/usage":
			// Claude Code's login, with --code-usage: 200, 401 and 429 in
			// turn, each echoing the token.
			switch keyed.Add(1) % 3 {
			case 1:
				fmt.Fprintf(w, `{"five_hour":{"utilization":61.0,"resets_at":"2030-01-01T00:00:00Z","note":%s},"seven_day":{"utilization":22.0,"resets_at":null},%s:{"utilization":1}}`, q(got), q("x"+got))
			case 2:
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprintf(w, `{"type":"error","error":{"type":"authentication_error","message":%s},"request_id":%s}`, q("OAuth token has expired: "+got), q("req_"+got))
			case 0:
				w.WriteHeader(http.StatusTooManyRequests)
				fmt.Fprintf(w, `{"error":{"type":"rate_limit_error","message":%s}}`, q("Rate limited "+got))
			}
		default:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<html>%s</html>", got)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// surface is one place a secret could end up; read returns its bytes.
// readableRun is b as a person reads it with everything between the
// characters a credential is made of taken out: escape sequences (colour,
// cursor moves), line wraps, padding, borders and punctuation. A key that
// the screen split across lines or styles is one run of text again.
func readableRun(b []byte) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, ansi.Strip(string(b)))
}

// TestReadableRunJoinsASplitKey: a key wrapped onto the next line,
// indented, coloured half way, is one run again.
func TestReadableRunJoinsASplitKey(t *testing.T) {
	screen := "· request-id req_sk-ant-api03-\x1b[0m\x1b[K\r\n            \x1b[38;5;195mW7CANARYKEY_0123│\n│ 456789abcd ·"
	if got := readableRun([]byte(screen)); !strings.Contains(got, "sk-ant-api03-W7CANARYKEY_0123456789abcd") {
		t.Errorf("readableRun = %q", got)
	}
}

type surface struct {
	name string
	read func() ([]byte, error)
}

func fileSurface(name, path string) surface {
	return surface{name, func() ([]byte, error) { return os.ReadFile(path) }}
}

// freeLoopbackAddr returns a loopback address with a port nobody listens on.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func httpBody(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// osc52Payloads decodes every OSC 52 clipboard write in a terminal stream,
// so the sweep reads what reached the clipboard, not its base64.
func osc52Payloads(screen []byte) ([]byte, error) {
	var out []byte
	for _, m := range regexp.MustCompile(`\x1b\]52;[a-z]*;([A-Za-z0-9+/=]+)(?:\x07|\x1b\\)`).FindAllSubmatch(screen, -1) {
		b, err := base64.StdEncoding.DecodeString(string(m[1]))
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	if len(out) == 0 {
		return nil, errors.New("no OSC 52 write on the terminal")
	}
	return out, nil
}

// TestSecretsNeverLeak runs the real dashboard on a terminal with a fake key
// (then a fake token) against upstreams that echo it back everywhere, shows
// every tab, quits, and searches every surface: the credential appears
// nowhere, masked or not (nothing displays a credential at all). Each
// surface is searched as written and as text a person reads: escape
// sequences gone and everything but the credential's own alphabet dropped,
// so a key a line wrap, a border or a colour split is found whole. The
// other front doors must succeed (their exit code, and output of their
// kind): an error message is not a clean report. To sweep a new surface
// (report, exports, metrics), add one line to surfaces.
func TestSecretsNeverLeak(t *testing.T) {
	for _, cred := range []struct {
		name, env, secret string
		oauth             bool // the secret is Claude Code's login, used by --code-usage
	}{
		{"api key", "ANTHROPIC_API_KEY", canaryKey, false},
		{"auth token", "ANTHROPIC_AUTH_TOKEN", canaryToken, false},
		{"Claude Code login", "CLAUDE_CONFIG_DIR", canaryOAuth, true},
	} {
		t.Run(cred.name, func(t *testing.T) {
			var keyed atomic.Int32
			base := echoUpstream(t, &keyed)
			metricsAddr := freeLoopbackAddr(t)
			upstream := []string{"--status-url", base, "--api-url", base, "--claude-url", base}
			envVal := cred.secret
			// A Claude Code that prints its environment and its login when
			// asked its version (a broken wrapper, a debug shell rc): the
			// Claude Code probe must mask what it prints.
			leaky := filepath.Join(t.TempDir(), "claude")
			writeFile(t, leaky, "#!/bin/sh\necho \"claude: bad config, key=$ANTHROPIC_API_KEY token=$ANTHROPIC_AUTH_TOKEN $(cat \"$CLAUDE_CONFIG_DIR/.credentials.json\" 2>/dev/null)\" >&2\nexit 2\n")
			if err := os.Chmod(leaky, 0o755); err != nil {
				t.Fatal(err)
			}
			dashFlags := []string{"--claude-bin", leaky} // the dashboard's alone
			if cred.oauth {
				// The token lives in Claude Code's credentials; a transcript
				// holds it too (pasted into a prompt, echoed in an error).
				envVal = t.TempDir()
				writeFile(t, filepath.Join(envVal, ".credentials.json"),
					fmt.Sprintf(`{"claudeAiOauth":{"accessToken":%q,"refreshToken":%q,"expiresAt":%d,"scopes":["user:profile"]}}`,
						cred.secret, cred.secret+"-refresh", time.Now().Add(time.Hour).UnixMilli()))
				if err := os.MkdirAll(filepath.Join(envVal, "projects", "-p"), 0o700); err != nil {
					t.Fatal(err)
				}
				at := time.Now().UTC().Format(time.RFC3339)
				writeFile(t, filepath.Join(envVal, "projects", "-p", "s.jsonl"),
					fmt.Sprintf(`{"type":"user","timestamp":%q,"message":{"content":"my token is %s"}}`+"\n", at, cred.secret)+
						fmt.Sprintf(`{"type":"system","subtype":"api_error","timestamp":%q,"error":{"status":401,"message":"invalid token %s"},"retryAttempt":1}`+"\n", at, cred.secret)+
						fmt.Sprintf(`{"type":"assistant","timestamp":%q,"isApiErrorMessage":true,"apiErrorStatus":401,"message":{"content":[{"type":"text","text":"API Error: 401 {\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"bad %s\"}}"}]}}`+"\n", at, cred.secret))
				upstream = append(upstream, "--code-usage")
				dashFlags = append(dashFlags, "--local-interval", "300ms")
			}
			d := startDashboard(t, append(append(upstream, dashFlags...), "--interval", "300ms", "--status-interval", "300ms", "--timeout", "250ms",
				"--metrics-addr", metricsAddr), cred.env+"="+envVal)
			waitFor(t, "every answer of the key probe (or the usage call)", func() bool { return keyed.Load() >= 5 })
			d.visitTabs(t)
			d.key(t, "3")
			d.key(t, "c") // the evidence report, copied through OSC 52 onto the terminal
			waitFor(t, "the OSC 52 copy on the terminal", func() bool { return bytes.Contains(d.screen.Bytes(), []byte("\x1b]52;")) })
			metricsBody := httpBody(t, "http://"+metricsAddr+"/metrics")
			d.key(t, "q")
			if code := d.wait(t); code != exitOK {
				t.Fatalf("exit %d; stderr %s", code, d.stderr.Bytes())
			}

			// A second dashboard reads what was stored and draws every tab.
			st, err := store.Open(d.db, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			views := renderTabs(t, st, []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI}, 160, 48)
			if cred.oauth {
				// The sweep covers the transcript's calls: they were stored.
				if rs, err := st.Recent(probe.TargetSessions, 10); err != nil || len(rs) != 2 {
					t.Errorf("stored session calls = %+v, %v; want the retry and the error", rs, err)
				}
			}
			st.Close()

			// The other front doors, on the same database and credential.
			getenv, _ := testEnv(t, map[string]string{cred.env: envVal})
			// front runs a subcommand, which must exit with one of codes
			// and print output that ok accepts (what that command prints
			// when it works).
			front := func(codes []int, ok func(stdout string) bool, args ...string) func() ([]byte, error) {
				return func() ([]byte, error) {
					var out, errb bytes.Buffer
					args = append(args[:len(args):len(args)], "--db", d.db)
					if args[0] != "history" { // the commands that probe
						args = append(append(args, "--timeout", "2s", "--claude-bin", leaky), upstream...)
					}
					code := run(args, getenv, strings.NewReader(""), &out, &errb)
					all := append(out.Bytes(), errb.Bytes()...)
					if !slices.Contains(codes, code) || !ok(out.String()) {
						return all, fmt.Errorf("exit %d (want one of %v), stdout %q, stderr %q", code, codes, tail(out.String(), 300), tail(errb.String(), 300))
					}
					return all, nil
				}
			}
			exit0 := []int{exitOK}
			has := func(words ...string) func(string) bool {
				return func(s string) bool {
					for _, w := range words {
						if !strings.Contains(s, w) {
							return false
						}
					}
					return true
				}
			}
			// check exits with its verdict (the key probe's answers
			// cycle); its JSON must say the same code.
			checkJSON := func(s string) bool {
				var v struct {
					Verdict  string `json:"verdict"`
					ExitCode *int   `json:"exit_code"`
				}
				return json.Unmarshal([]byte(s), &v) == nil && v.Verdict != "" && v.ExitCode != nil && *v.ExitCode <= 2
			}

			surfaces := []surface{
				fileSurface("database file", d.db),
				fileSurface("log file", d.log),
				{"terminal output, every tab", func() ([]byte, error) { return d.screen.Bytes(), nil }},
				{"stderr", func() ([]byte, error) { return d.stderr.Bytes(), nil }},
				{"every tab, reloaded from the database", func() ([]byte, error) { return []byte(fmt.Sprint(views)), nil }},
				{"the report copied with OSC 52", func() ([]byte, error) { return osc52Payloads(d.screen.Bytes()) }},
				{"metrics", func() ([]byte, error) { return metricsBody, nil }},
				{"downforai report", front(exit0, has("# downforai report", "## Verdict"), "report")},
				{"downforai check --json", front([]int{exitOK, 1, 2}, checkJSON, "check", "--json")},
				{"downforai history export (jsonl)", front(exit0, has(`"target":"api"`), "history", "export", "--since", "1h")},
				{"downforai history export (csv)", front(exit0, has("\napi,"), "history", "export", "--since", "1h", "--format", "csv")},
				{"downforai diagnose", front(exit0, has("x-api-key"), "diagnose", "x-api-key: "+cred.secret+" invalid x-api-key")},
			}
			for _, s := range surfaces {
				b, err := s.read()
				if err != nil {
					t.Errorf("%s: %v", s.name, err)
				}
				if len(b) == 0 && s.name != "stderr" {
					t.Errorf("%s is empty: the sweep would see nothing", s.name)
				}
				// The whole credential, its mark, its first half (what a
				// field cut to 100 characters keeps) and its tail.
				for _, leak := range []string{cred.secret, canaryMark, cred.secret[:len(cred.secret)/2], cred.secret[len(cred.secret)-12:]} {
					if i := bytes.Index(b, []byte(leak)); i >= 0 {
						t.Errorf("%s holds %q: …%q…", s.name, leak, b[max(i-40, 0):min(i+60, len(b))])
					} else if text := readableRun(b); strings.Contains(text, leak) {
						i := strings.Index(text, leak)
						t.Errorf("%s holds %q, split on the screen: …%q…", s.name, leak, text[max(i-40, 0):min(i+60, len(text))])
					}
				}
			}
			// The sweep saw the key probe's answers: they were stored and drawn.
			if !cred.oauth && !strings.Contains(fmt.Sprint(views), "your key") {
				t.Errorf("the reloaded dashboard shows no key probe:\n%s", views["tab 1"])
			}
		})
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
	if code != exitFail || !strings.Contains(out, "11520 added, 0 already stored, 1 bad line skipped") ||
		!strings.Contains(errOut, "h.jsonl line 11521: not a result") || strings.Contains(errOut, "\r") {
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
// Init batches) and draw at 160×48, then close it (which stops the
// judgement of the file's pages that runs beside the frame). "month" holds 30 days at 30 s for
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
			b.ReportAllocs()
			for b.Loop() {
				if v := firstFrame(b, tc.path); !strings.Contains(v, tc.want) {
					b.Fatalf("first frame lacks %q:\n%s", tc.want, v)
				}
			}
		})
	}
}

func firstFrame(b *testing.B, path string) string {
	// As the dashboard opens it (store.OpenRecorder): the file's pages are
	// judged beside the first frame.
	st, err := store.Open(path, store.Options{JudgeInBackground: true})
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
			// A failure with nothing recorded before it is asked again at
			// once to confirm it (check.Confirm): two results.
			want := 1
			if tc.mode == fakeupstream.ModeMajorOutage {
				want = 2
			}
			if rs, _ := st.Recent(probe.TargetAPI, 5); len(rs) != want {
				t.Errorf("recorded %d api results, want %d", len(rs), want)
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
	if !strings.Contains(out.String(), "Verdict (operational): ") || !strings.Contains(errb.String(), "not recording") {
		t.Errorf("stdout %q\nstderr %q", out.String(), errb.String())
	}
	// --json says so too: a script reading it knows the round is not in
	// the file, and the exit code is still the verdict's.
	out.Reset()
	errb.Reset()
	if code := run(append(checkArgs(fake.URL, dir), "--json"), getenv, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("--json: exit %d: %s %s", code, out.String(), errb.String())
	}
	var rep struct {
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("--json: %v: %s", err, out.String())
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "not recorded: another downforai holds the database") {
		t.Errorf("--json warnings = %q", rep.Warnings)
	}
}

// waitLog waits for a logfmt line with msg and returns its addr= value.
func waitLog(t *testing.T, log *probetest.Buffer, msg string) string {
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
	stderr := &probetest.Buffer{}
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
	screen := &probetest.Buffer{}
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
	// The first events may be announcements (the sessions report), which
	// carry no result; an observation follows.
	ev := <-events
	for ev.Sessions != nil && ev.Result.Target == "" {
		ev = <-events
	}
	if ev.Result.Target == "" {
		t.Errorf("attached viewer got %+v", ev)
	}

	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(ansi.Strip(screen.String()), "Anthropic outage") {
		if time.Now().After(deadline) {
			t.Fatalf("ssh viewer screen:\n%s", ansi.Strip(screen.String()))
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The banner can say the outage from claude.ai's 503 and the page
	// before the API's 529 is in: /metrics is asked until that probe lands.
	for {
		resp, err := http.Get("http://" + metricsAddr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), `probe_http_status_code{target="api"} 529`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics never showed the API's 529:\n%s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}

	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	if c := <-code; c != exitOK {
		t.Errorf("serve exit %d; log:\n%s", c, stderr.String())
	}
	for range events { // the stream ends with the engine
	}
	// The ssh viewer was told, after its terminal was restored (Wait
	// returns once its output is all copied).
	sess.Wait()
	if scr := screen.String(); !strings.Contains(scr[max(strings.LastIndex(scr, "\x1b[?1049l"), 0):], sshserve.Goodbye) {
		t.Errorf("the ssh viewer was not told goodbye after its screen was restored:\n%q", tail(scr, 400))
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

// TestConfigDefaultsAgree: the settings' defaults (probe/config, which may
// not import store or ui) are the ones the packages fall back to.
func TestConfigDefaultsAgree(t *testing.T) {
	if config.DefaultSSHAddr != sshserve.DefaultAddr || config.DefaultMaxSessions != sshserve.DefaultMaxSessions ||
		config.DefaultSSHIdleTimeout != sshserve.DefaultIdleTimeout ||
		config.DefaultRetention != store.DefaultRetention || config.DefaultLocalInterval != probe.DefaultLocalInterval ||
		config.DefaultFailThreshold != judge.DefaultFailThreshold || config.DefaultRecoverThreshold != judge.DefaultRecoverThreshold {
		t.Error("probe/config's defaults differ from sshserve's, store's, probe's or judge's")
	}
}

// TestDashboardNeedsATerminal: `downforai | cat` (and cron, and ssh
// without -t) says in one line what to run instead and exits 2, before
// touching the database.
func TestDashboardNeedsATerminal(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command(exe, "--db", filepath.Join(dir, "h.db"))
	cmd.Env = []string{runMainEnv + "=1", "HOME=" + dir, "TERM=xterm-256color"}
	// A session of its own: no controlling terminal to fall back on.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb // stdout is a pipe, as in `downforai | cat`
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitUsage {
		t.Fatalf("exit %v, want %d", err, exitUsage)
	}
	want := `downforai: the dashboard needs a terminal; for one answer run "downforai check", to run headless "downforai serve", over ssh use "ssh -t"` + "\n"
	if errb.String() != want || out.Len() != 0 {
		t.Errorf("stdout %q\nstderr %q\nwant stderr %q", out.String(), errb.String(), want)
	}
	if _, err := os.Stat(filepath.Join(dir, "h.db")); err == nil {
		t.Error("the database was created for a dashboard that cannot run")
	}
}

// TestCommandsNeverQueryTheTerminal runs commands on a pseudo-terminal
// that never answers, as some CI runners and serial consoles are: none may
// ask it anything (Bubble Tea's init once asked every command for the
// background colour and waited 5 s for the answer), so each returns at once
// and prints only its output.
func TestCommandsNeverQueryTheTerminal(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// db stats and history export read a database; they never create one.
	st, err := store.Open(filepath.Join(dir, "h.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, args := range [][]string{{"--version"}, {"version"}, {"check", "--help"}, {"db", "stats", "--db", filepath.Join(dir, "h.db")},
		{"history", "export", "--db", filepath.Join(dir, "h.db")}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmd := exec.Command(exe, args...)
			cmd.Env = []string{runMainEnv + "=1", "HOME=" + dir, "TERM=xterm-256color"}
			ptmx, err := pty.Start(cmd) // the command's controlling terminal, in the foreground
			if err != nil {
				t.Fatal(err)
			}
			defer ptmx.Close()
			var screen probetest.Buffer
			copied := make(chan struct{})
			go func() { io.Copy(&screen, ptmx); close(copied) }()
			if err := cmd.Wait(); err != nil {
				t.Fatalf("%v: %v\n%q", args, err, screen.Bytes())
			}
			<-copied
			out := screen.Bytes()
			if bytes.Contains(out, []byte("\x1b]")) || bytes.Contains(out, []byte("\x1b[6n")) || bytes.Contains(out, []byte("\x1b[c")) {
				t.Errorf("%v asked the terminal something:\n%q", args, out)
			}
			if len(out) == 0 {
				t.Errorf("%v printed nothing", args)
			}
		})
	}
}

// TestDashboardAsksOnceAndDraws: on a terminal that never answers, the
// dashboard asks for the background once, gives up quickly and draws; the
// question does not reappear and nothing of it is drawn as text.
func TestDashboardAsksOnceAndDraws(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	d := startDashboard(t, []string{"--status-url", fake.URL, "--api-url", fake.URL, "--claude-url", fake.URL,
		"--interval", "5s", "--status-interval", "5s", "--timeout", "2s"}, "TERM=xterm-256color")
	d.waitScreen(t, "Live signals")
	d.waitScreen(t, "Claude API")
	out := d.screen.Bytes()
	if n := bytes.Count(out, []byte(ansi.RequestBackgroundColor)); n != 1 {
		t.Errorf("asked for the background %d times, want once", n)
	}
	if strings.Contains(ansi.Strip(string(out)), "11;") {
		t.Errorf("the query was drawn as text:\n%s", ansi.Strip(string(out)))
	}
	d.key(t, "q")
	if code := d.wait(t); code != exitOK {
		t.Errorf("exit %d; stderr %s", code, d.stderr.Bytes())
	}
}

// TestDatabaseCommandsWhileServeRuns: db stats and history export work
// while serve holds the database, through its attach socket, with the
// output they give from the file.
func TestDatabaseCommandsWhileServeRuns(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	getenv, dir := testEnv(t, nil)
	db := filepath.Join(dir, "s", "h.db")
	stderr := &probetest.Buffer{}
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"serve", "--status-url", fake.URL, "--api-url", fake.URL, "--claude-url", fake.URL,
			"--db", db, "--interval", "1s", "--status-interval", "1s", "--timeout", "500ms",
			"--claude-bin", filepath.Join(dir, "none"), "--ssh-addr", "", "--notify-desktop=false"},
			getenv, strings.NewReader(""), io.Discard, stderr)
	}()
	waitLog(t, stderr, "attach socket listening")
	cmd := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		c := run(append(args, "--db", db), getenv, strings.NewReader(""), &out, &errb)
		return c, out.String(), errb.String()
	}
	var exported string
	waitFor(t, "results to export", func() bool {
		c, out, errOut := cmd("history", "export", "--target", "api")
		if c != exitOK {
			t.Fatalf("history export while serve runs: exit %d: %s", c, errOut)
		}
		exported = out
		return strings.Count(out, "\n") >= 2
	})
	c, stats, errOut := cmd("db", "stats")
	if c != exitOK || !strings.Contains(stats, "database  "+db) || !strings.Contains(stats, "api") {
		t.Fatalf("db stats while serve runs: exit %d\n%s%s", c, stats, errOut)
	}
	if c, _, errOut := cmd("db", "compact"); c != exitFail || !strings.Contains(errOut, "another downforai") {
		t.Errorf("compact while serve runs: exit %d %q", c, errOut)
	}

	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	if c := <-code; c != exitOK {
		t.Fatalf("serve exit %d; log:\n%s", c, stderr.String())
	}
	// From the file: every line the engine exported is there, in the same
	// form; the stats table has the same layout.
	c, direct, _ := cmd("history", "export", "--target", "api")
	if c != exitOK {
		t.Fatalf("export from the file: exit %d", c)
	}
	for _, line := range strings.SplitAfter(strings.TrimSuffix(exported, "\n"), "\n") {
		if !strings.Contains(direct, line) {
			t.Errorf("the engine exported %q, the file has no such line", line)
		}
	}
	_, statsFile, _ := cmd("db", "stats")
	header := func(s string) string { return strings.Join(strings.Split(s, "\n")[:1], "") }
	if header(stats) != header(statsFile) || strings.Count(stats, "\n") != strings.Count(statsFile, "\n") {
		t.Errorf("db stats differ in form:\nengine:\n%s\nfile:\n%s", stats, statsFile)
	}
}

// TestSystemdUnitRuns: the unit README points to starts serve with flags
// serve takes (a renamed flag would leave the service failing at boot).
func TestSystemdUnitRuns(t *testing.T) {
	b, err := os.ReadFile("packaging/downforai.service")
	if err != nil {
		t.Fatal(err)
	}
	var exec []string
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "ExecStart="); ok {
			exec = strings.Fields(v)
		}
	}
	if len(exec) < 2 || filepath.Base(exec[0]) != "downforai" || exec[1] != "serve" {
		t.Fatalf("ExecStart %q does not run downforai serve", exec)
	}
	getenv, _ := testEnv(t, nil)
	root := cli.Root(baseEnv(getenv, nil, io.Discard, io.Discard), doors)
	cmd, args, err := root.Find(exec[1:])
	if err != nil || cmd.Name() != "serve" {
		t.Fatalf("find serve: %v", err)
	}
	if err := cmd.ParseFlags(args); err != nil {
		t.Errorf("ExecStart's flags: %v", err)
	}
	if rest := cmd.Flags().Args(); len(rest) > 0 {
		t.Errorf("ExecStart has stray arguments %q", rest)
	}
}

// TestBusyMetricsAddrRefusedBeforeTheScreen: the dashboard starts its
// watchers, metrics server and attach socket after its first frame, but
// an address it cannot bind is still refused first, on stderr, with the
// terminal never switched to the dashboard's screen.
func TestBusyMetricsAddrRefusedBeforeTheScreen(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	d := startDashboard(t, []string{"--status-url", fake.URL, "--api-url", fake.URL, "--claude-url", fake.URL,
		"--metrics-addr", busy.Addr().String()})
	if code := d.wait(t); code != exitFail {
		t.Errorf("exit %d, want %d; stderr %s", code, exitFail, d.stderr.Bytes())
	}
	if want := "downforai: --metrics-addr " + busy.Addr().String() + ": cannot serve /metrics on " + busy.Addr().String() +
		": the address is in use by another program; choose a free address, or stop what listens there"; !strings.Contains(string(d.stderr.Bytes()), want) {
		t.Errorf("stderr %q does not say %q", d.stderr.Bytes(), want)
	}
	select {
	case <-d.copied:
	case <-time.After(hangGuard):
		t.Fatal("the terminal's output did not end with the program")
	}
	if scr := d.screen.Bytes(); bytes.Contains(scr, []byte("\x1b[?1049h")) || strings.Contains(ansi.Strip(string(scr)), "q quit") {
		t.Errorf("the dashboard took the screen before refusing the address: %q", tail(string(scr), 400))
	}
}
