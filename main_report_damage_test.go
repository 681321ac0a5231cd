package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"downforai/probe/fakeupstream"
)

// TestReportKeepsTheSalvageCommandWhole (cold F7): `report` on a damaged
// database cut its note at 200 characters, mid-path ("`downforai db
// salvage --db /tmp/c…"): a report meant to be pasted lost the command.
// It prints it whole, in a code span, whatever the path's length.
func TestReportKeepsTheSalvageCommandWhole(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	clean, err := os.ReadFile(healthyDB(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	getenv, dir := testEnv(t, nil)
	deep := filepath.Join(dir, "a", "rather", "deeply", "nested", "state", "directory")
	if err := os.MkdirAll(deep, 0o700); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(deep, "history.db")
	if err := os.WriteFile(db, clean, 0o600); err != nil {
		t.Fatal(err)
	}
	fileDamages[0].do(t, db)
	var out, errb bytes.Buffer
	args := []string{"report", "--status-url", fake.URL, "--api-url", fake.URL, "--claude-url", fake.URL,
		"--db", db, "--timeout", "2s", "--claude-bin", filepath.Join(dir, "no-claude")}
	if code := run(args, getenv, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("report: exit %d; stderr %s", code, errb.String())
	}
	want := "`downforai db salvage --db " + db + " --to NEW.db`"
	if !strings.Contains(out.String(), want) {
		t.Errorf("the report has no %s:\n%s", want, out.String())
	}
	if strings.Contains(out.String(), "…_") {
		t.Errorf("the report's note is cut:\n%s", out.String())
	}
}
