package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
	"downforai/probe/fakeupstream"
	"downforai/probe/remote"
	"downforai/store"
	"downforai/ui"
)

// recordAPI writes the API probe's results into the database at path, one
// per state ("529" or "ok"), 5 s apart, the newest 5 s ago.
func recordAPI(t *testing.T, path string, states ...string) {
	t.Helper()
	now := time.Now()
	var rs []probe.Result
	for i, s := range states {
		at := now.Add(-time.Duration(len(states)-i) * 5 * time.Second)
		r := probe.Result{Target: probe.TargetAPI, Time: at, Class: probe.ClassOK, HTTPStatus: 401, Message: "API answers (401 without key, as expected)",
			Phases: probe.Phases{DNS: time.Millisecond, Connect: time.Millisecond, Total: 20 * time.Millisecond}}
		if s == "529" {
			r.Class, r.HTTPStatus, r.ErrorType, r.Message = probe.ClassOverloaded, 529, "overloaded_error", "529 overloaded_error: Overloaded"
		}
		rs = append(rs, r)
	}
	putResults(t, path, rs)
}

// putResults records rs in the database at path, as an engine's rounds.
func putResults(t *testing.T, path string, rs []probe.Result) {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.PutResults(rs); err != nil {
		t.Fatal(err)
	}
}

// dashboardKind is the dashboard's banner verdict on the database at path
// as it is now (with the recover threshold given).
func dashboardKind(t *testing.T, path string, recover int) string {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var m tea.Model = ui.New(ui.Options{Renderer: asciiRenderer(), History: st, Targets: probe.Targets(), StaleAfter: time.Hour,
		RecoverThreshold: recover, Version: "test"})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	for _, msg := range runCmds(m.Init()) {
		m, _ = m.Update(msg)
	}
	return m.View()
}

// TestCheckDiagnoseAndDashboardAgreeOnOneDatabase (cold F11): `check`
// judges its round after the rounds the database recorded, as the
// dashboard and `diagnose` do, so a flapping API is "Unstable" in all three
// — never "All clear", exit 0, for a script gating on check — and one
// success after failures is still "recovering" in check as in the banner.
// Failures older than the judge's window of rounds are history, not
// evidence.
func TestCheckDiagnoseAndDashboardAgreeOnOneDatabase(t *testing.T) {
	for _, tc := range []struct {
		name    string
		history []string
		recover string
		kind    probe.VerdictKind
		says    string // check's headline contains it
		exit    int
	}{
		{"flapping", []string{"ok", "529", "529", "ok", "ok", "529", "529", "ok", "ok", "529", "529"}, "2", probe.VerdictDegraded, "Unstable: ", 1},
		{"recovering", []string{"529", "529", "529", "529", "529", "529"}, "6", probe.VerdictUnacknowledged, "recovering", 2},
		{"healthy", []string{"ok", "ok", "ok"}, "2", probe.VerdictOperational, "All clear", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := fakeupstream.New(fakeupstream.ModeOperational)
			defer fake.Close()
			getenv, dir := testEnv(t, nil)
			db := filepath.Join(dir, "h.db")
			recordAPI(t, db, tc.history...)
			// check and diagnose take the threshold from the settings file.
			writeFile(t, filepath.Join(dir, "config", "downforai", "config.toml"), "recover_threshold = "+tc.recover+"\n")
			flags := diagnoseFlags(fake.URL, dir)

			var out, errb bytes.Buffer
			code := run(append([]string{"check", "--json"}, flags...), getenv, strings.NewReader(""), &out, &errb)
			var chk struct {
				Verdict  string `json:"verdict"`
				Headline string `json:"headline"`
				Facts    []string
				JudgedOn string `json:"judged_on"`
			}
			if err := json.Unmarshal(out.Bytes(), &chk); err != nil {
				t.Fatalf("check --json: %v\n%s\n%s", err, out.String(), errb.String())
			}
			if chk.Verdict != tc.kind.Key() || code != tc.exit || !strings.Contains(chk.Headline+strings.Join(chk.Facts, " "), tc.says) {
				t.Errorf("check: %s exit %d %q %q, want %s exit %d saying %q", chk.Verdict, code, chk.Headline, chk.Facts, tc.kind.Key(), tc.exit, tc.says)
			}
			if !strings.Contains(chk.JudgedOn, "recorded round") {
				t.Errorf("judged_on %q does not say it weighed the recorded rounds", chk.JudgedOn)
			}
			// The dashboard on the same database, check's round in it.
			if view := dashboardKind(t, db, atoi(t, tc.recover)); !strings.Contains(view, tc.kind.String()) {
				t.Errorf("dashboard does not say %q:\n%s", tc.kind.String(), view)
			}

			out.Reset()
			if code := run(append(append([]string{"diagnose", "--json"}, flags...), "API Error: 529 Overloaded"), getenv, strings.NewReader(""), &out, &errb); code != exitOK {
				t.Fatalf("diagnose exit %d: %s", code, errb.String())
			}
			var dg struct {
				Live struct {
					Verdict string `json:"verdict"`
				} `json:"live"`
			}
			if err := json.Unmarshal(out.Bytes(), &dg); err != nil {
				t.Fatal(err)
			}
			if dg.Live.Verdict != chk.Verdict {
				t.Errorf("diagnose says %s, check %s on the same database", dg.Live.Verdict, chk.Verdict)
			}
		})
	}
}

// TestCheckForgetsOldRounds: failures recorded before the judge's window
// of rounds (12 of the slower interval) do not hold a healthy round as
// "recovering".
func TestCheckForgetsOldRounds(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	getenv, dir := testEnv(t, nil)
	db := filepath.Join(dir, "h.db")
	old := time.Now().Add(-2 * time.Hour)
	var rs []probe.Result
	for i := range 6 {
		rs = append(rs, probe.Result{Target: probe.TargetAPI, Time: old.Add(time.Duration(i) * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529, ErrorType: "overloaded_error"})
	}
	putResults(t, db, rs)
	var out, errb bytes.Buffer
	if code := run(append([]string{"check"}, diagnoseFlags(fake.URL, dir)...), getenv, strings.NewReader(""), &out, &errb); code != 0 {
		t.Errorf("exit %d, want 0: yesterday's 529s are not now\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "judged on this round alone: the database holds no recent round") {
		t.Errorf("the table does not say the verdict is from this round alone:\n%s", out.String())
	}
}

// TestCheckAsksTheEngineThatHoldsTheDatabase: while a dashboard or serve
// holds the file, check reads the engine's recorded rounds on its socket,
// with the engine's --recover-threshold, so it says what that banner says.
func TestCheckAsksTheEngineThatHoldsTheDatabase(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	getenv, dir := testEnv(t, nil)
	db := filepath.Join(dir, "h.db")
	recordAPI(t, db, "529", "529", "529", "529", "529")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ln, err := remote.Listen(remote.SocketPath(db))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := &remote.Server{Hello: remote.Hello{Protocol: remote.ProtocolVersion, DB: remote.DBName(db), PID: 4242, RecoverThreshold: 6, StaleAfter: time.Hour}, History: st}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()

	var out, errb bytes.Buffer
	code := run(append([]string{"check", "--json"}, diagnoseFlags(fake.URL, dir)...), getenv, strings.NewReader(""), &out, &errb)
	var chk struct {
		Verdict  string   `json:"verdict"`
		Facts    []string `json:"facts"`
		JudgedOn string   `json:"judged_on"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal(out.Bytes(), &chk); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out.String(), errb.String())
	}
	// Successes after five 529s (the first, and three asked again to
	// confirm), the engine recovering after six.
	if chk.Verdict != probe.VerdictUnacknowledged.Key() || code != 2 || !strings.Contains(strings.Join(chk.Facts, " "), "recovering") {
		t.Errorf("check on a held database: %s exit %d %q; want unacknowledged, exit 2, recovering", chk.Verdict, code, chk.Facts)
	}
	if !strings.Contains(chk.JudgedOn, "recorded rounds of the running downforai (pid 4242)") {
		t.Errorf("judged_on %q does not name the engine", chk.JudgedOn)
	}
	if len(chk.Warnings) == 0 {
		t.Error("no warning that this round was not recorded")
	}
}

// TestCheckSeesTheRecordedSessions (cold C18): Claude Code's session calls
// recorded in the database count for 15 minutes whatever the probe
// intervals, all of them, so check says "Your plan's limit" as the
// dashboard does, not "All clear".
func TestCheckSeesTheRecordedSessions(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	getenv, dir := testEnv(t, nil)
	db := filepath.Join(dir, "h.db")
	now := time.Now()
	call := func(ago time.Duration, c probe.Class, status int, typ, msg string) probe.Result {
		return probe.Result{Target: probe.TargetSessions, Time: now.Add(-ago), Class: c, HTTPStatus: status, ErrorType: typ, Message: msg,
			Detail: "claude-code 2.1.44 · claude-opus-4-6 · session 1a2b3c4d"}
	}
	rs := []probe.Result{call(12*time.Minute, probe.ClassOK, 0, "", "")}
	for i := range 14 {
		rs = append(rs, call(time.Duration(11*60-i*10)*time.Second, probe.ClassOverloaded, 529, "overloaded_error", "Overloaded"))
	}
	rs = append(rs, call(8*time.Minute, probe.ClassRateLimited, 429, "rate_limit", "You've hit your session limit · resets 12:50am (America/Los_Angeles)"))
	putResults(t, db, rs)
	var out, errb bytes.Buffer
	code := run(append([]string{"check", "--json", "--interval", "5s", "--status-interval", "5s", "--timeout", "2s"}, diagnoseFlags(fake.URL, dir)...), getenv, strings.NewReader(""), &out, &errb)
	var chk struct {
		Verdict  string   `json:"verdict"`
		Headline string   `json:"headline"`
		Facts    []string `json:"facts"`
	}
	if err := json.Unmarshal(out.Bytes(), &chk); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out.String(), errb.String())
	}
	if chk.Verdict != probe.VerdictLocalQuota.Key() || code != 1 || !strings.Contains(chk.Headline, "usage limit") {
		t.Errorf("check %s exit %d %q, want local_quota exit 1 naming the usage limit", chk.Verdict, code, chk.Headline)
	}
	if facts := strings.Join(chk.Facts, " "); !strings.Contains(facts, "15 errors in the last 15 min") {
		t.Errorf("the facts do not count every session error of the last 15 min: %q", chk.Facts)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
