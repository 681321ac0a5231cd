package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/config"
	"downforai/store"
)

// refusingRecorder refuses every write with err, counting them.
type refusingRecorder struct {
	mu    sync.Mutex
	err   error
	calls int
}

func (r *refusingRecorder) refuse() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	return r.err
}
func (r *refusingRecorder) PutResult(probe.Result) error         { return r.refuse() }
func (r *refusingRecorder) PutResults([]probe.Result) error      { return r.refuse() }
func (r *refusingRecorder) PutStatus(probe.Status) (bool, error) { return false, r.refuse() }
func (r *refusingRecorder) n() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls
}

// TestReadOnlyRefusalsOfSessionsAreNotLogged (cli4's notes): a database it
// may only read refuses the calls of Claude Code's backlog, as it refuses
// every write — said once at the start and in the banner; the log does not
// repeat it with every read. Any other failure to store them is logged.
func TestReadOnlyRefusalsOfSessionsAreNotLogged(t *testing.T) {
	getenv, home := testEnv(t, nil)
	proj := filepath.Join(home, ".claude", "projects", "p")
	if err := os.MkdirAll(proj, 0o700); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("probe/transcript/testdata/projects/-home-alice-secret-project/0f8e2c1a-5b7d-4e9a-9c3b-2d1f6a7e8b90.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proj, "s.jsonl"), src, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		err    error
		logged bool
	}{
		{"read-only", fmt.Errorf("database h.db cannot be written: %w (3 results kept in memory for this run)", store.ErrReadOnly), false},
		{"disk full", errors.New("write h.db: no space left on device"), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &refusingRecorder{err: tt.err}
			eng := probe.NewEngine(nil, rec)
			var log bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&log, nil))
			ctx, cancel := context.WithCancel(t.Context())
			var wg sync.WaitGroup
			startSessions(ctx, &wg, config.Config{CodeSessions: true}, getenv, eng, nil, logger)
			for rec.n() == 0 {
				time.Sleep(5 * time.Millisecond)
			}
			cancel()
			wg.Wait()
			if got := strings.Contains(log.String(), "storing Claude Code's calls"); got != tt.logged {
				t.Errorf("logged %v, want %v:\n%s", got, tt.logged, log.String())
			}
		})
	}
}
