package store

import (
	"path/filepath"
	"testing"

	"downforai/probe"
)

// TestStoreSyncsEveryCommit: the crash test (crash_test.go) kills the
// writer process, not the machine, so the page cache survives and it
// passes with fsync off. What makes an acknowledged result survive a power
// cut is bbolt's fdatasync on every commit: this asserts the store never
// turns it off (NoSync) nor skips the sync when the file grows
// (NoGrowSync), on a fresh file, after writes, and on a reopened file.
func TestStoreSyncsEveryCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	check := func(s *Store, when string) {
		t.Helper()
		if s.db.NoSync || s.db.NoGrowSync {
			t.Errorf("%s: NoSync=%v NoGrowSync=%v: a commit must reach the disk before it is acknowledged", when, s.db.NoSync, s.db.NoGrowSync)
		}
		if s.db.IsReadOnly() {
			t.Errorf("%s: opened read-only", when)
		}
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	check(s, "new file")
	for i := range 3 {
		if err := s.PutResult(okResult(probe.TargetAPI, at(i))); err != nil {
			t.Fatal(err)
		}
	}
	check(s, "after writes")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check(s, "reopened")
}
