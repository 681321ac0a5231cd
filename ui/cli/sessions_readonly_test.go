package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/config"
	"downforai/probe/transcript"
	"downforai/store"
)

// countingState is a transcript.State that counts the writes asked of it.
type countingState struct {
	readOnly bool
	puts     int
}

func (s *countingState) ReadOnly() bool { return s.readOnly }
func (s *countingState) TranscriptState(time.Time) (map[string]probe.TranscriptFile, []probe.TranscriptUsage, error) {
	return nil, nil, nil
}
func (s *countingState) PutTranscriptState(map[string]probe.TranscriptFile, []string, []probe.TranscriptUsage, time.Time) error {
	s.puts++
	if s.readOnly {
		return store.ErrReadOnly
	}
	return nil
}

// TestSessionsFollowerAsksTheStoreIfItMayWrite (cli4's notes): on a store
// opened read-only the transcript follower reads the offsets it holds and
// writes none — it once asked every read, failed, and said "cannot store
// the transcripts' offsets" — while a writable store gets them. Root-proof:
// the store says it is read-only (Options.ReadOnly), no permission does.
func TestSessionsFollowerAsksTheStoreIfItMayWrite(t *testing.T) {
	home := t.TempDir()
	proj := filepath.Join(home, ".claude", "projects", "p")
	if err := os.MkdirAll(proj, 0o700); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../../probe/transcript/testdata/projects/-home-alice-secret-project/0f8e2c1a-5b7d-4e9a-9c3b-2d1f6a7e8b90.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proj, "s.jsonl"), src, 0o600); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}
	c := config.Config{CodeSessions: true}
	poll := func(st transcript.State) *probe.SessionsReport {
		f := SessionsFollower(c, getenv, st, nil)
		f.Poll(t.Context(), transcript.ToRecorder(discard{}))
		return f.Report()
	}
	for _, ro := range []bool{false, true} {
		st := &countingState{readOnly: ro}
		rep := poll(st)
		if want := map[bool]int{false: 1, true: 0}[ro]; st.puts != want {
			t.Errorf("read-only %v: %d writes asked, want %d", ro, st.puts, want)
		}
		if strings.Contains(rep.Err, "cannot store") {
			t.Errorf("read-only %v: %q", ro, rep.Err)
		}
	}

	// The store itself: opened read-only, its file's bytes stay as they are.
	path := filepath.Join(t.TempDir(), "h.db")
	w, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	before, _ := os.ReadFile(path)
	r, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if rep := poll(r); rep.Err != "" {
		t.Errorf("read-only store: %q", rep.Err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the read-only file changed")
	}
}

// discard is a Recorder that keeps nothing.
type discard struct{}

func (discard) PutResult(probe.Result) error         { return nil }
func (discard) PutStatus(probe.Status) (bool, error) { return false, nil }
func (discard) PutResults([]probe.Result) error      { return nil }
