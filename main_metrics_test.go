package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"downforai/probe/config"
	"downforai/probe/fakeupstream"
	"downforai/probe/probetest"
	"downforai/probe/remote"
)

// TestViewerNeverBindsTheEnginesMetrics (cold tester's E5): a second
// downforai on the same database, with metrics_addr in its config file
// or on its command line, attaches as a viewer of the running engine
// instead of exiting 1 with "bind: address already in use", and says in
// one line who serves /metrics.
func TestViewerNeverBindsTheEnginesMetrics(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	addr := freeLoopbackAddr(t)
	cfg := filepath.Join(t.TempDir(), "config.toml")
	writeFile(t, cfg, fmt.Sprintf("metrics_addr = %q\n", addr))
	db := filepath.Join(t.TempDir(), "h.db")
	args := []string{"--db", db, "--config", cfg, "--status-url", fake.URL, "--api-url", fake.URL, "--claude-url", fake.URL,
		"--interval", "1s", "--status-interval", "1s", "--timeout", "900ms"}
	engine := startDashboard(t, args)
	engine.waitScreen(t, "Operational")
	waitFor(t, "the engine's /metrics", func() bool {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	for _, extra := range [][]string{nil, {"--metrics-addr", addr}} {
		viewer := startDashboard(t, append(append([]string{}, args...), extra...))
		viewer.waitScreen(t, "viewer of pid")
		want := fmt.Sprintf("downforai: /metrics is served by the running engine (pid %d) on %s; this viewer does not bind it\n", engine.cmd.Process.Pid, addr)
		if !strings.Contains(string(viewer.stderr.Bytes()), want) {
			t.Errorf("%v: stderr %q, want %q", extra, viewer.stderr.Bytes(), want)
		}
		viewer.key(t, "q")
		if code := viewer.wait(t); code != exitOK {
			t.Errorf("%v: the viewer exited %d: %s", extra, code, viewer.stderr.Bytes())
		}
	}
	engine.key(t, "q")
	engine.wait(t)
}

// TestBusyMetricsAddrFromTheFile: an address another program holds, named
// in the config file, is said in words (the file, the key, the address,
// what to do) and the dashboard runs without /metrics; serve, run for its
// outputs, exits 1 saying the same.
func TestBusyMetricsAddrFromTheFile(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	cfg := filepath.Join(t.TempDir(), "config.toml")
	writeFile(t, cfg, fmt.Sprintf("metrics_addr = %q\n", addr))
	want := fmt.Sprintf("config %s line 1: metrics_addr = %q: cannot serve /metrics on %s: the address is in use by another program; choose a free address, or stop what listens there (ss -ltnp 'sport = :%d' names it)", cfg, addr, addr, busy.Addr().(*net.TCPAddr).Port)

	d := startDashboard(t, []string{"--config", cfg, "--status-url", fake.URL, "--api-url", fake.URL, "--claude-url", fake.URL})
	d.waitScreen(t, "Operational")
	if got := string(d.stderr.Bytes()); !strings.Contains(got, "downforai: "+want+"; the dashboard runs without /metrics\n") {
		t.Errorf("dashboard stderr %q, want %q", got, want)
	}
	d.key(t, "q")
	if code := d.wait(t); code != exitOK {
		t.Errorf("dashboard exit %d: %s", code, d.stderr.Bytes())
	}

	getenv, dir := testEnv(t, nil)
	stderr := &probetest.Buffer{}
	code := run([]string{"serve", "--config", cfg, "--db", filepath.Join(dir, "s.db"), "--status-url", fake.URL, "--api-url", fake.URL,
		"--claude-url", fake.URL, "--ssh-addr", "", "--notify-desktop=false", "--claude-bin", filepath.Join(dir, "none")},
		getenv, strings.NewReader(""), io.Discard, stderr)
	if code != exitFail || !strings.Contains(stderr.String(), "downforai serve: "+want) {
		t.Errorf("serve exit %d, stderr %q, want %q", code, stderr.String(), want)
	}
}

// TestMetricsRefusalSaysWhatHoldsIt: another downforai's /metrics on the
// address is named as such; a port the user may not bind and an address
// of no interface say so, with the flag that asked.
func TestMetricsRefusalSaysWhatHoldsIt(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "# TYPE downforai_build_info gauge\ndownforai_build_info{version=\"v1\"} 1\n")
	}))
	defer other.Close()
	addr := strings.TrimPrefix(other.URL, "http://")
	_, err := bindMetrics(config.Config{MetricsAddr: addr, Flags: []string{"metrics-addr"}})
	if want := "--metrics-addr " + addr + ": cannot serve /metrics on " + addr + ": another downforai already serves /metrics there"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err %v, want %q", err, want)
	}
	for _, tt := range []struct{ addr, want string }{
		{"192.0.2.1:9464", "no network interface of this machine has that address; use one of its addresses"},
		{"127.0.0.1:99999", "write it as host:port, e.g. 127.0.0.1:9464"},
	} {
		_, err := bindMetrics(config.Config{MetricsAddr: tt.addr})
		if err == nil || !strings.Contains(err.Error(), "--metrics-addr "+tt.addr+": cannot serve /metrics on "+tt.addr+": ") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want %q", tt.addr, err, tt.want)
		}
	}
}

// TestViewerSaysWhoServesMetrics: the viewer's one line for each engine:
// serving the address asked, another, none, or too old to say.
func TestViewerSaysWhoServesMetrics(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, tt := range []struct {
		asked  string
		engine *string
		want   string
	}{
		{"", s("127.0.0.1:9464"), ""},
		{"127.0.0.1:9464", s("127.0.0.1:9464"), "/metrics is served by the running engine (pid 42) on 127.0.0.1:9464; this viewer does not bind it"},
		{":9464", s("[::]:9464"), "/metrics is served by the running engine (pid 42) on [::]:9464; this viewer does not bind it"},
		{"127.0.0.1:9465", s("127.0.0.1:9464"), "/metrics is served by the running engine (pid 42) on 127.0.0.1:9464, not on 127.0.0.1:9465; this viewer binds neither"},
		{"127.0.0.1:9464", s(""), "/metrics is not served: the running engine (pid 42), which this viewer watches, serves none, and a viewer does not bind 127.0.0.1:9464; start the engine with metrics_addr set"},
		{"127.0.0.1:9464", nil, "/metrics belongs to the running engine (pid 42), which this viewer watches: it serves it if it was started with metrics_addr; this viewer does not bind 127.0.0.1:9464"},
	} {
		got := viewerMetrics(config.Config{MetricsAddr: tt.asked}, remote.Hello{PID: 42, MetricsAddr: tt.engine})
		if got != tt.want {
			t.Errorf("%q / %v:\n got %q\nwant %q", tt.asked, tt.engine, got, tt.want)
		}
	}
}

// TestMetricsCountClaudeCodeCalls (issue 19): serve's /metrics counts
// Claude Code's calls as History and Live do — a call retried three times
// (529) and then answered is one call that succeeded, not three
// "overloaded" results and one "ok".
func TestMetricsCountClaudeCodeCalls(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	conf := filepath.Join(t.TempDir(), "claude")
	file := filepath.Join(conf, "projects", "-home-dev-project", "e2e-session.jsonl")
	writeFile(t, file, "")
	getenv, dir := testEnv(t, map[string]string{"CLAUDE_CONFIG_DIR": conf})
	stderr := &probetest.Buffer{}
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"serve", "--status-url", fake.URL, "--api-url", fake.URL, "--claude-url", fake.URL,
			"--db", filepath.Join(dir, "h.db"), "--interval", "1s", "--status-interval", "1s", "--timeout", "500ms",
			"--claude-bin", filepath.Join(dir, "none"), "--ssh-addr", "", "--metrics-addr", "127.0.0.1:0", "--notify-desktop=false"},
			getenv, strings.NewReader(""), io.Discard, stderr)
	}()
	addr := waitLog(t, stderr, "metrics listening")
	waitLog(t, stderr, "serving")

	now := time.Now()
	appendTo := func(lines ...string) {
		f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(strings.Join(lines, "\n") + "\n"); err != nil {
			t.Fatal(err)
		}
	}
	appendTo(codeRetry529(t, now.Add(-4*time.Second), 1), codeRetry529(t, now.Add(-3*time.Second), 2),
		codeRetry529(t, now.Add(-2*time.Second), 3), codeAnswer(t, now.Add(-time.Second), 1))
	series := func(body, class string) string {
		re := regexp.MustCompile(`(?m)^downforai_probes_total\{class="` + class + `",target="code_sessions"\} (\S+)$`)
		if m := re.FindStringSubmatch(body); m != nil {
			return m[1]
		}
		return ""
	}
	var body string
	waitFor(t, "the answered call on /metrics", func() bool {
		body = string(httpBody(t, "http://"+addr+"/metrics"))
		return series(body, "ok") != ""
	})
	if ok, over := series(body, "ok"), series(body, "overloaded"); ok != "1" || (over != "" && over != "0") {
		t.Errorf("code_sessions: ok %q, overloaded %q; want one call that succeeded (ok 1, no overloaded)", ok, over)
	}
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	if c := <-code; c != exitOK {
		t.Errorf("serve exit %d; log:\n%s", c, stderr.String())
	}
}
