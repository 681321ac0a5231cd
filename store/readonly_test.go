package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"downforai/probe"
)

// TestReadOnlyWritesNothing (D11): a database opened read-only reads as
// it does writable, refuses every write in words, and leaves the file's
// bytes as they were — for root too, whom no permission stops.
func TestReadOnlyWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	w, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PutResults(everyKind()); err != nil {
		t.Fatal(err)
	}
	want := export(t, w, ExportOptions{})
	w.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	for _, o := range []Options{{ReadOnly: true}, {ReadOnly: true, JudgeInBackground: true}} {
		s, err := Open(path, o)
		if err != nil {
			t.Fatal(err)
		}
		s.StartJudging()
		if got := export(t, s, ExportOptions{}); got != want {
			t.Errorf("read-only export differs:\n%s\n---\n%s", want, got)
		}
		if _, err := s.Stats(); err != nil {
			t.Errorf("stats: %v", err)
		}
		if rs, err := s.Range(probe.TargetAPI, base, base.Add(24*60*60*1e9)); err != nil || len(rs) == 0 {
			t.Errorf("range: %d results, %v", len(rs), err)
		}
		err = s.PutResult(okResult(probe.TargetAPI, base.Add(-1)))
		if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "read-only") || !strings.Contains(err.Error(), path) {
			t.Errorf("write to a read-only store: %v", err)
		}
		if !s.ReadOnly() {
			t.Error("ReadOnly() is false")
		}
		// A second reader shares the lock.
		s2, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Errorf("a second reader: %v", err)
		} else {
			s2.Close()
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("opening read-only changed the file's bytes")
	}
}

// TestReadOnlyCreatesNothing: read-only, a missing file or directory is
// an error, never created, and an empty file is not initialised.
func TestReadOnlyCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "sub", "history.db")
	if _, err := Open(missing, Options{ReadOnly: true}); err == nil {
		t.Fatal("opened a missing file read-only")
	}
	if _, err := os.Stat(filepath.Dir(missing)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a read-only open created %s", filepath.Dir(missing))
	}
	empty := filepath.Join(dir, "empty.db")
	writeTestFile(t, empty, "")
	if _, err := Open(empty, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "empty file") {
		t.Errorf("empty file read-only: %v", err)
	}
	if fi, _ := os.Stat(empty); fi.Size() != 0 {
		t.Errorf("a read-only open wrote %d bytes into an empty file", fi.Size())
	}
}

// TestOpenForReadingAFileYouCannotWrite: a file its owner may only read
// (chmod 444; root runs this as nobody, for whom it is so) opens for
// reading, says why it cannot be written, and is left as it was; a path
// under a regular file, which no one can open, is Open's error.
func TestOpenForReadingAFileYouCannotWrite(t *testing.T) {
	if os.Geteuid() == 0 {
		runAsNobody(t, "^TestOpenForReadingAFileYouCannotWrite$")
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "history.db")
	w, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PutResults(everyKind()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	if _, err := Open(path, Options{}); !Unwritable(err) {
		t.Fatalf("Open of a 444 file: %v, want it Unwritable", err)
	}
	s, why, err := OpenForReading(path, Options{})
	if err != nil || why == nil || !s.ReadOnly() || !strings.Contains(why.Error(), "permission denied") {
		t.Fatalf("OpenForReading: %v, %v", why, err)
	}
	if rs, err := s.Range(probe.TargetAPI, base, base.Add(24*60*60*1e9)); err != nil || len(rs) == 0 {
		t.Errorf("range: %d results, %v", len(rs), err)
	}
	s.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the file changed")
	}

	file := filepath.Join(dir, "plain")
	writeTestFile(t, file, "x")
	if s, why, err := OpenForReading(filepath.Join(file, "history.db"), Options{}); err == nil || s != nil || why != nil {
		t.Errorf("a path under a regular file: %v, %v", why, err)
	}
}

// TestOpenRecorderShowsAFileItMayNotWrite (D11): the dashboard on a file
// it may only read shows what the file holds (History), keeps the run's
// results in memory, and says on every write that it cannot record —
// without claiming to retry; the file is left as it was. Root runs it as
// nobody.
func TestOpenRecorderShowsAFileItMayNotWrite(t *testing.T) {
	if os.Geteuid() == 0 {
		runAsNobody(t, "^TestOpenRecorderShowsAFileItMayNotWrite$")
		return
	}
	path := filepath.Join(t.TempDir(), "history.db")
	w, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PutResults(everyKind()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	var warn strings.Builder
	db, err := OpenRecorder(path, 0, &warn)
	if err != nil {
		t.Fatal(err)
	}
	if db.History == nil {
		t.Fatal("no History: the screen would show nothing of what the file holds")
	}
	if rs, err := db.History.Range(probe.TargetAPI, base, base.Add(24*60*60*1e9)); err != nil || len(rs) == 0 {
		t.Errorf("range: %d results, %v", len(rs), err)
	}
	err = db.Rec.PutResult(okResult(probe.TargetAPI, base.Add(-1)))
	if err == nil || !strings.Contains(err.Error(), "cannot be written (permission denied)") ||
		!strings.Contains(err.Error(), "kept in memory for this run") || strings.Contains(err.Error(), "retrying") {
		t.Errorf("write: %v", err)
	}
	if !strings.Contains(warn.String(), "showing what it holds") {
		t.Errorf("warning %q", warn.String())
	}
	// What was kept in memory is said to be lost at the end, not hidden.
	if err := db.Close(); err == nil || !strings.Contains(err.Error(), "not saved") {
		t.Errorf("close: %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the file changed")
	}
}
