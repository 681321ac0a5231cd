package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/config"
)

// TestSessionsBacklogDoesNotDelayTheFirstFrame (issue 14): with 1 GB of
// existing transcripts, startSessions — which the dashboard calls right
// before its program draws the first frame — returns before the backlog
// is read; the first thing the follower says is that it is reading (the
// dashboard's "reading the history: 0% of 1.0 GB"), and the end of the
// backlog, past the gigabyte, is read in the background after it. The
// order is asserted by events, not by wall time. The gigabyte is a
// sparse hole (an over-long line the reader skips with bounded memory),
// so building it is instant.
func TestSessionsBacklogDoesNotDelayTheFirstFrame(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a gigabyte")
	}
	cfg := t.TempDir()
	proj := filepath.Join(cfg, "projects", "-home-me-work")
	if err := os.MkdirAll(proj, 0o700); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	f, err := os.Create(filepath.Join(proj, "sess1.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	head := codeRetry529(t, now.Add(-3*time.Minute), 1) + "\n"
	const size = 1 << 30
	tail := "\n" + codeRetry529(t, now.Add(-time.Minute), 2) + "\n"
	if _, err := f.WriteString(head); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte(tail), size); err != nil {
		t.Fatal(err)
	}
	f.Close()

	// The events, in order: what the recorder stored (the backlog's calls)
	// and when startSessions returned.
	log := &eventLog{}
	eng := probe.NewEngine(nil, log)
	evs, unsubscribe := eng.Subscribe(4096)
	defer unsubscribe()
	getenv := func(k string) string {
		switch k {
		case "CLAUDE_CONFIG_DIR":
			return cfg
		case "HOME":
			return t.TempDir()
		}
		return ""
	}
	c := config.Default(getenv)
	c.CodeSessions = true
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()

	startSessions(ctx, &wg, c, getenv, eng, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	log.add("returned")
	// Returned: runDashboard's p.Run draws the first frame now. The
	// backlog must not be read yet — no report says it is done.
	var first *probe.SessionsReport
	for drained := false; !drained; {
		select {
		case ev := <-evs:
			if r := ev.Sessions; r != nil {
				if !r.Progress.Reading && r.Progress.Done >= size {
					t.Fatalf("the backlog of %d bytes was read before startSessions returned", r.Progress.Size)
				}
				if first == nil {
					first = r
				}
			}
		default:
			drained = true
		}
	}
	var last *probe.SessionsReport
	deadline := time.After(2 * time.Minute) // a hang, not a speed limit
	for last == nil || last.Progress.Reading {
		select {
		case ev := <-evs:
			if r := ev.Sessions; r != nil {
				if first == nil {
					first = r
				}
				last = r
			}
		case <-deadline:
			t.Fatalf("the backlog was never read; last report %+v", last)
		}
	}
	if !first.Progress.Reading || first.Progress.Done >= first.Progress.Size || first.Progress.Size < size {
		t.Errorf("the follower's first report %+v does not say it is reading the gigabyte", first.Progress)
	}
	// The call past the gigabyte was stored after startSessions returned.
	if got := strings.Join(log.all(), " "); !strings.Contains(got, "returned call:req_011CE2eRetry02") && !strings.Contains(got, "returned call:req_011CE2eRetry01 call:req_011CE2eRetry02") {
		t.Errorf("events %q: the backlog past the gigabyte was read before startSessions returned", got)
	}
	// Both ends of the file were read: the call past the gigabyte counts.
	var ids []string
	for _, r := range last.Recent {
		ids = append(ids, r.RequestID)
	}
	if got := strings.Join(ids, " "); !strings.Contains(got, "req_011CE2eRetry01") || !strings.Contains(got, "req_011CE2eRetry02") {
		t.Errorf("calls read %q, want both retries (before and after the gigabyte)", got)
	}
}

// eventLog is a Recorder that notes each call stored, in order, beside
// the test's own events.
type eventLog struct {
	mu  sync.Mutex
	evs []string
}

func (l *eventLog) add(s string) { l.mu.Lock(); l.evs = append(l.evs, s); l.mu.Unlock() }

func (l *eventLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.evs...)
}

func (l *eventLog) PutResult(r probe.Result) error { l.add("call:" + r.RequestID); return nil }

func (l *eventLog) PutStatus(probe.Status) (bool, error) { return false, nil }
