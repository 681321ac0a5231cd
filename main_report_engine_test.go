package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/fakeupstream"
	"downforai/probe/remote"
	"downforai/store"
)

// TestReportAsksTheEngineThatHoldsTheDatabase (D25): while a dashboard or
// serve holds the file, report reads that engine's history on its attach
// socket and says so ("history from the running downforai (pid 4242; its
// newest result … old)"); it once printed one fresh round alone, without
// the 529s the dashboard recorded a few seconds ago. When no engine answers
// on the socket, it says the round is alone and why.
func TestReportAsksTheEngineThatHoldsTheDatabase(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	getenv, dir := testEnv(t, nil)
	db := filepath.Join(dir, "h.db")
	recordAPI(t, db, "529", "529", "529")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	report := func() string {
		t.Helper()
		var out, errb bytes.Buffer
		run(append([]string{"report"}, diagnoseFlags(fake.URL, dir)...), getenv, strings.NewReader(""), &out, &errb)
		return out.String()
	}

	// No socket: the file is held, so not even a read-only open reads it.
	if got := report(); !strings.Contains(got, "one fresh round of probes alone: a running downforai holds the database") ||
		!strings.Contains(got, "did not answer on its socket") || strings.Contains(got, "overloaded") {
		t.Errorf("report with the file held and no socket:\n%s", got)
	}

	ln, err := remote.Listen(remote.SocketPath(db))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := &remote.Server{Hello: remote.Hello{Protocol: remote.ProtocolVersion, DB: remote.DBName(db), PID: 4242, StaleAfter: time.Hour,
		Targets: []probe.Target{probe.TargetAPI}}, History: st}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()

	got := report()
	if !strings.Contains(got, "_history from the running downforai (pid 4242; its newest result ") {
		t.Errorf("the report does not name its source and the data's age:\n%s", got)
	}
	// "overloaded", not "529": the test's temporary directory, named in
	// the report, may hold those digits.
	if !strings.Contains(got, "overloaded") {
		t.Errorf("the report lacks the 529s the running engine recorded:\n%s", got)
	}
}
