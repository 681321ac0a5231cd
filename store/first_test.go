package store

import (
	"path/filepath"
	"testing"
	"time"

	"downforai/probe"
)

// TestFirstObserved: the oldest result of any target, zero on an empty
// database.
func TestFirstObserved(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "h.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if first, err := s.FirstObserved(); err != nil || !first.IsZero() {
		t.Fatalf("empty: %v %v", first, err)
	}
	at := time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)
	for i, tg := range []probe.Target{probe.TargetAPI, probe.TargetClaudeAI, probe.TargetAPI} {
		if err := s.PutResult(probe.Result{Target: tg, Time: at.Add(time.Duration(2-i) * time.Minute), Class: probe.ClassOK}); err != nil {
			t.Fatal(err)
		}
	}
	first, err := s.FirstObserved()
	if err != nil || !first.Equal(at) {
		t.Errorf("first %v (%v), want %v", first, err, at)
	}
}
