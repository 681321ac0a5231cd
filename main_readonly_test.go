package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"downforai/probe/config"
	"downforai/probe/fakeupstream"
	"downforai/store"
)

// TestReadOnlyDatabase (D11): on a database its user may only read (chmod
// 444), db stats and history export print what they print on a writable
// one, check answers and says it could not record this round, report says
// so too, and the file's bytes are unchanged. They once all failed to
// open it for writing. Root, whom no permission stops, runs it as nobody.
func TestReadOnlyDatabase(t *testing.T) {
	if os.Geteuid() == 0 {
		runAsNobody(t, "^TestReadOnlyDatabase$")
		return
	}
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	getenv, dir := testEnv(t, nil)
	db := filepath.Join(dir, "h.db")
	exec := func(args ...string) (int, string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		code := run(args, getenv, strings.NewReader(""), &out, &errb)
		return code, out.String(), errb.String()
	}
	flags := diagnoseFlags(fake.URL, dir)
	if code, out, errOut := exec(append([]string{"check"}, flags...)...); code != exitOK {
		t.Fatalf("check on a writable file: exit %d\n%s\n%s", code, out, errOut)
	}
	_, stats, _ := exec("db", "stats", "--db", db)
	_, export, _ := exec("history", "export", "--db", db, "--format", "csv")
	if !strings.Contains(export, "\napi,") {
		t.Fatalf("nothing recorded to read back:\n%s", export)
	}

	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if code, got, errOut := exec("db", "stats", "--db", db); code != exitOK || got != stats {
		t.Errorf("db stats read-only: exit %d %s\n%s\nwant\n%s", code, errOut, got, stats)
	}
	if code, got, errOut := exec("history", "export", "--db", db, "--format", "csv"); code != exitOK || got != export {
		t.Errorf("history export read-only: exit %d %s\n%s\nwant\n%s", code, errOut, got, export)
	}

	code, out, errOut := exec(append([]string{"check", "--json"}, flags...)...)
	var chk struct {
		Verdict  string   `json:"verdict"`
		Warnings []string `json:"warnings"`
		JudgedOn string   `json:"judged_on"`
	}
	if err := json.Unmarshal([]byte(out), &chk); err != nil {
		t.Fatalf("check --json: %v\n%s\n%s", err, out, errOut)
	}
	notRecorded := "this round was not recorded: database " + db + " cannot be written (permission denied)"
	if code != exitOK || chk.Verdict != "operational" || !strings.Contains(strings.Join(chk.Warnings, "\n"), notRecorded) {
		t.Errorf("check read-only: exit %d, verdict %q, warnings %q; want it to answer and say %q\n%s", code, chk.Verdict, chk.Warnings, notRecorded, errOut)
	}
	if strings.Contains(chk.JudgedOn, "could not be read") {
		t.Errorf("check read-only did not read the recorded rounds: %q", chk.JudgedOn)
	}

	_, rep, errOut := exec(append([]string{"report"}, flags...)...)
	if !strings.Contains(rep, "this round is not recorded: database "+db+" cannot be written (permission denied)") || !strings.Contains(rep, "## Verdict") {
		t.Errorf("report read-only:\n%s\n%s", rep, errOut)
	}

	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("a command changed the read-only file")
	}
}

// runAsNobody runs the tests matching run in a copy of this test binary
// as the user nobody (65534), for whom file permissions apply, and fails
// with its output unless they pass.
func runAsNobody(t *testing.T, run string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "downforai-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyExe := filepath.Join(dir, "downforai.test")
	if err := os.WriteFile(copyExe, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(copyExe, "-test.run", run, "-test.v", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TMPDIR=" + os.TempDir(), "HOME=" + dir}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if errors.Is(err, syscall.EPERM) {
		t.Fatalf("root could not run the test as nobody: %v", err)
	}
	if err != nil || !bytes.Contains(out, []byte("--- PASS: ")) || bytes.Contains(out, []byte("--- SKIP: ")) {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
}

// TestNoRetentionOnAReadOnlyStore (D11): retention prunes a store it may
// write, and leaves alone one opened read-only, where every round would
// fail and log an error every ten minutes.
func TestNoRetentionOnAReadOnlyStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := config.Config{Retention: config.Duration(24 * time.Hour)}
	w, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !startRetention(c, w, logger) {
		t.Error("no retention on a writable store")
	}
	w.Close()
	ro, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if startRetention(c, ro, logger) {
		t.Error("retention started on a read-only store")
	}
}
