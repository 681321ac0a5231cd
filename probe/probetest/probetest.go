// Package probetest holds the fixtures the tests of probe's rooms share
// (judge, diagnose): a fixed clock, verdict inputs, test keys and a local
// checker with every slow part stubbed; and, for every package's tests, a
// Buffer safe to read while another goroutine writes it. Only tests
// import it.
package probetest

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// Now is the verdict tests' clock: the newest result of Series is at Now.
var Now = time.Date(2026, 9, 3, 13, 30, 0, 0, time.UTC)

// LocalNow is the local checks' clock in QuietChecker.
var LocalNow = time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)

// Series returns results of target t, one a minute, the last at Now.
func Series(t probe.Target, classes ...probe.Class) []probe.Result {
	rs := make([]probe.Result, len(classes))
	for i, c := range classes {
		rs[i] = probe.Result{Target: t, Time: Now.Add(-time.Duration(len(classes)-1-i) * time.Minute), Class: c}
	}
	return rs
}

// Repeat is c, n times.
func Repeat(c probe.Class, n int) []probe.Class {
	cs := make([]probe.Class, n)
	for i := range cs {
		cs[i] = c
	}
	return cs
}

// Official returns a status snapshot read at Now with all six components
// operational, except those named in overrides (component id → status).
func Official(overrides map[string]string) *probe.Status {
	s := &probe.Status{Fetched: Now, Indicator: "none"}
	for i, id := range []string{"rwppv331jlwc", "0qbwn08sd68x", "k8w3r06qmzrp", "yyzkbfz2thpt", "bpp5gb3hpjcl", "0scnb50nvy53"} {
		st := probe.ComponentOperational
		if o, ok := overrides[id]; ok {
			st = probe.ComponentStatus(o)
		}
		s.Components = append(s.Components, probe.Component{ID: id, Status: st, Position: i + 1})
	}
	return s
}

// Healthy is five good rounds of every target.
func Healthy() map[probe.Target][]probe.Result {
	out := map[probe.Target][]probe.Result{}
	for _, t := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI, probe.TargetCode} {
		out[t] = Series(t, Repeat(probe.ClassOK, 5)...)
	}
	return out
}

// Key is a well-formed API key filled with fill, ending in Xy7AAA.
func Key(fill string) string {
	return "sk-ant-api03-" + strings.Repeat(fill, 89) + "Xy7A" + "AA"
}

// Env is a Getenv over m.
func Env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// NoProxy is an HTTPOptions.Proxy that never uses one, whatever the
// environment says.
func NoProxy(*http.Request) (*url.URL, error) { return nil, nil }

// QuietChecker is a local checker with every slow part stubbed: no
// claude, DNS answering, no proxy, an API server on loopback for the
// clock. tweak, when given, changes the options before the checker is
// made.
func QuietChecker(t *testing.T, env map[string]string, tweak ...func(*probe.LocalOptions)) *probe.LocalChecker {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	if _, ok := env["HOME"]; !ok {
		env["HOME"] = t.TempDir()
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", LocalNow.Format(http.TimeFormat))
		w.WriteHeader(401)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	o := probe.LocalOptions{
		Getenv:     Env(env),
		GOOS:       "linux",
		APIURL:     srv.URL,
		ClaudeBin:  filepath.Join(t.TempDir(), "no-claude"),
		Timeout:    2 * time.Second,
		HTTP:       probe.NewHTTPProber(probe.HTTPOptions{Proxy: NoProxy}),
		LookupHost: func(context.Context, string) ([]string, error) { return []string{"160.79.104.10"}, nil },
		Now:        func() time.Time { return LocalNow },
	}
	for _, f := range tweak {
		f(&o)
	}
	return probe.NewLocalChecker(o)
}

// WriteCreds writes a Claude Code .credentials.json with body into dir.
func WriteCreds(t *testing.T, dir, body string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".credentials.json"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
