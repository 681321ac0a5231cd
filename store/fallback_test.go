package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestRetryable(t *testing.T) {
	dir := t.TempDir()
	held := filepath.Join(dir, "held.db")
	s, err := Open(held, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, locked := Open(held, Options{LockTimeout: 10e6})

	foreign := filepath.Join(dir, "notes.txt")
	os.WriteFile(foreign, []byte("remember to buy milk\n"), 0o600)
	_, notDB := Open(foreign, Options{})

	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o600)
	_, noDir := Open(filepath.Join(file, "history.db"), Options{}) // the state "directory" cannot be made

	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"locked", locked, false},
		{"not a database", notDB, false},
		{"schema too new", ErrSchemaTooNew, false},
		{"directory cannot be created", noDir, true},
		{"permission", &os.PathError{Op: "open", Path: "/ro/history.db", Err: os.ErrPermission}, true},
		{"other", errors.New("read-only file system"), true},
	} {
		if tt.err == nil && tt.name != "nil" {
			t.Fatalf("%s: Open did not fail", tt.name)
		}
		if got := Retryable(tt.err); got != tt.want {
			t.Errorf("%s: Retryable(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
