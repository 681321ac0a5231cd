package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/check"
	"downforai/probe/fakeupstream"
	"downforai/probe/remote"
	"downforai/store"
)

// healthyDB writes a database of two days of results of three targets,
// some as one batch and the last as single commits as the engine makes
// them, plus status snapshots, and returns its path.
func healthyDB(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "history.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	var batch []probe.Result
	for i := range 2 * 2880 {
		for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetClaudeAI, probe.TargetStatus} {
			batch = append(batch, probe.Result{Target: tg, Time: start.Add(time.Duration(i) * 30 * time.Second), Class: probe.ClassOK,
				HTTPStatus: 200, Phases: probe.Phases{Total: time.Duration(100+i%50) * time.Millisecond}, Message: "fine",
				RequestID: fmt.Sprintf("req_%d", i)})
		}
	}
	if err := st.PutResults(batch); err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		if err := st.PutResult(probe.Result{Target: probe.TargetAPI, Time: start.Add(49*time.Hour + time.Duration(i)*time.Second), Class: probe.ClassOK}); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			if _, err := st.PutStatus(probe.Status{Fetched: start.Add(49*time.Hour + time.Duration(i)*time.Second), Indicator: "none", Description: fmt.Sprint("round ", i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// boltMeta reads the page size, free list page and high-water mark of the
// meta page bbolt uses (the one of the two with the higher txid), as bbolt
// lays them out: after the 16-byte page header, magic, version, page size,
// flags, root (16 bytes), free list, high-water mark, txid.
func boltMeta(t *testing.T, path string) (pageSize int, freelist, hwm uint64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	read := func(off int64) []byte {
		b := make([]byte, 80)
		if _, err := f.ReadAt(b, off); err != nil {
			t.Fatal(err)
		}
		return b[16:]
	}
	m := read(0)
	psz := int64(binary.NativeEndian.Uint32(m[8:]))
	if m1 := read(psz); binary.NativeEndian.Uint64(m1[48:]) > binary.NativeEndian.Uint64(m[48:]) {
		m = m1
	}
	return int(psz), binary.NativeEndian.Uint64(m[32:]), binary.NativeEndian.Uint64(m[40:])
}

func writeAt(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// fileDamages are the damages of issue 13, applied to a closed file.
var fileDamages = []struct {
	name string
	do   func(t *testing.T, path string)
}{
	{"truncated to 100000 bytes", func(t *testing.T, path string) { os.Truncate(path, 100000) }},
	{"cut to half its size", func(t *testing.T, path string) {
		fi, _ := os.Stat(path)
		os.Truncate(path, fi.Size()/2)
	}},
	{"random pages", func(t *testing.T, path string) {
		psz, _, hwm := boltMeta(t, path)
		rng := rand.New(rand.NewPCG(13, 13))
		for id := uint64(3); id < hwm; id += 5 {
			b := make([]byte, psz)
			for i := range b {
				b[i] = byte(rng.Uint32())
			}
			writeAt(t, path, int64(id)*int64(psz), b)
		}
	}},
	{"both meta pages zeroed", func(t *testing.T, path string) {
		psz, _, _ := boltMeta(t, path)
		writeAt(t, path, 0, make([]byte, 2*psz))
	}},
	{"free list zeroed", func(t *testing.T, path string) {
		psz, freelist, _ := boltMeta(t, path)
		writeAt(t, path, int64(freelist)*int64(psz), make([]byte, psz))
	}},
	// Every page holds together; the records on them do not (cold4 C8:
	// Go's JSON errors, exit 0, and check wrote its round into the file).
	{"status snapshots overwritten inside their pages", func(t *testing.T, path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for i := bytes.Index(b, []byte(`{"Fetched"`)); i >= 0; i = bytes.Index(b, []byte(`{"Fetched"`)) {
			copy(b[i:], "XXXX")
			n++
		}
		if n == 0 {
			t.Fatal("no status snapshot in the file")
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}},
	// Found only by reading every page: the dashboard and check open the
	// file first and find it behind their first frame or probes.
	{"pages overwritten below a sound head", overwriteBelowHead},
}

// overwriteBelowHead overwrites every fifth page of the file with random
// bytes, but not the meta pages or the free list.
func overwriteBelowHead(t *testing.T, path string) {
	psz, freelist, hwm := boltMeta(t, path)
	rng := rand.New(rand.NewPCG(11, 11))
	for id := uint64(3); id < hwm; id += 5 {
		if id == freelist {
			continue
		}
		b := make([]byte, psz)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		writeAt(t, path, int64(id)*int64(psz), b)
	}
}

func sum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// saysDamaged checks a message names the file, says it is damaged and was
// not written, and what to do.
func saysDamaged(t *testing.T, what, msg, path string) {
	t.Helper()
	for _, want := range []string{path, "damaged", "not written", "db salvage"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%s: %q does not say %q", what, msg, want)
		}
	}
	if strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine ") {
		t.Errorf("%s: panicked:\n%s", what, msg)
	}
}

// TestDamagedDatabaseEveryCommand runs every command on each kind of
// damaged database: none panics or faults, none writes the file, each says
// it is damaged and what to do; check still checks (its exit code is the
// verdict's, its JSON carries the warning) and salvage copies what is
// left.
func TestDamagedDatabaseEveryCommand(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	clean := healthyDB(t, t.TempDir())
	cleanBytes, err := os.ReadFile(clean)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range fileDamages {
		t.Run(d.name, func(t *testing.T) {
			getenv, dir := testEnv(t, nil)
			db := filepath.Join(dir, "h.db")
			if err := os.WriteFile(db, cleanBytes, 0o600); err != nil {
				t.Fatal(err)
			}
			d.do(t, db)
			before := sum(t, db)

			for _, cmd := range [][]string{{"db", "stats"}, {"history", "export"}, {"db", "rebuild"}, {"db", "compact"}} {
				var out, errb bytes.Buffer
				code := run(append(cmd, "--db", db), getenv, strings.NewReader(""), &out, &errb)
				if code != exitFail {
					t.Errorf("%v: exit %d, want %d; stderr %s", cmd, code, exitFail, errb.String())
				}
				saysDamaged(t, strings.Join(cmd, " "), errb.String(), db)
			}

			var out, errb bytes.Buffer
			code := run(checkArgs(fake.URL, dir, "--json"), getenv, strings.NewReader(""), &out, &errb)
			var rep struct {
				Verdict  string   `json:"verdict"`
				ExitCode int      `json:"exit_code"`
				Warnings []string `json:"warnings"`
			}
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatalf("check --json: %v\nstdout %q\nstderr %s", err, out.String(), errb.String())
			}
			if code != check.ExitOperational || rep.ExitCode != code {
				t.Errorf("check: exit %d (json %d) against an operational upstream, want 0; stderr %s", code, rep.ExitCode, errb.String())
			}
			if len(rep.Warnings) != 1 {
				t.Fatalf("check --json warnings %q: want the damaged database", rep.Warnings)
			}
			saysDamaged(t, "check --json warning", rep.Warnings[0], db)
			saysDamaged(t, "check stderr", errb.String(), db)

			out.Reset()
			errb.Reset()
			to := filepath.Join(dir, "salvaged.db")
			code = run([]string{"db", "salvage", "--db", db, "--to", to}, getenv, strings.NewReader(""), &out, &errb)
			// A cut that takes the root of the index leaves nothing placeable:
			// salvage says so and exits 1; otherwise it says how to use the copy.
			next := "mv " + db
			if code == exitFail {
				next = "nothing could be read out of " + db
			} else if code != exitOK {
				t.Errorf("salvage: exit %d; stderr %s", code, errb.String())
			}
			for _, want := range []string{"is damaged", "recovered into " + to, "lost", "was not written", next} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("salvage report does not say %q:\n%s", want, out.String())
				}
			}
			if st, err := store.Open(to, store.Options{}); err != nil {
				t.Errorf("the salvaged file: %v", err)
			} else {
				st.Close()
			}

			if sum(t, db) != before {
				t.Error("the damaged file was written")
			}
		})
	}
}

// TestDamagedDatabaseDashboardRunsOnMemory: the dashboard on a damaged file
// starts, on memory, with the warning on screen and on stderr, and leaves
// the file as it was.
func TestDamagedDatabaseDashboardRunsOnMemory(t *testing.T) {
	srv := fakeupstream.New(fakeupstream.ModeOperational)
	defer srv.Close()
	dir := t.TempDir()
	db := healthyDB(t, dir)
	fi, _ := os.Stat(db)
	os.Truncate(db, fi.Size()/2)
	before := sum(t, db)
	d := startDashboard(t, []string{"--db", db, "--status-url", srv.URL, "--api-url", srv.URL, "--claude-url", srv.URL,
		"--interval", "1s", "--status-interval", "1s", "--timeout", "900ms"})
	d.waitScreen(t, "Operational")
	d.waitScreen(t, "⚠ not recording to the database")
	d.waitScreen(t, "damaged")
	d.key(t, "q")
	if code := d.wait(t); code != exitOK {
		t.Errorf("exit %d; stderr %s", code, d.stderr.Bytes())
	}
	saysDamaged(t, "dashboard stderr", string(d.stderr.Bytes()), db)
	if !strings.Contains(string(d.stderr.Bytes()), "keeping history in memory") {
		t.Errorf("stderr %q does not say it runs on memory", d.stderr.Bytes())
	}
	if sum(t, db) != before {
		t.Error("the damaged file was written")
	}
}

// TestDamageFoundBehindTheFirstFrame: the dashboard opens a file whose
// damage lies below its head (pages of the history overwritten; the meta
// pages, the length and the free list sound) without reading it all first;
// the judgement of every page behind the first frame finds the damage, the
// banner says so in words, and the file is never written.
func TestDamageFoundBehindTheFirstFrame(t *testing.T) {
	srv := fakeupstream.New(fakeupstream.ModeOperational)
	defer srv.Close()
	dir := t.TempDir()
	db := healthyDB(t, dir)
	overwriteBelowHead(t, db)
	if st, err := store.Open(db, store.Options{JudgeInBackground: true}); err != nil {
		t.Fatalf("the damage is not below the head: %v", err)
	} else {
		st.Close()
	}
	before := sum(t, db)
	d := startDashboard(t, []string{"--db", db, "--status-url", srv.URL, "--api-url", srv.URL, "--claude-url", srv.URL,
		"--interval", "1s", "--status-interval", "1s", "--timeout", "900ms"})
	d.waitScreen(t, "⚠ not recording to the database")
	d.waitScreen(t, "damaged")
	d.waitScreen(t, "salvage")
	d.key(t, "q")
	if code := d.wait(t); code != exitOK {
		t.Errorf("exit %d; stderr %s", code, d.stderr.Bytes())
	}
	if sum(t, db) != before {
		t.Error("the damaged file was written")
	}
}

// TestEmptyFileIsInitialisedWithALogLine: a 0-byte file at --db becomes a
// database, and the log (or stderr) says so.
func TestEmptyFileIsInitialisedWithALogLine(t *testing.T) {
	getenv, dir := testEnv(t, nil)
	db := filepath.Join(dir, "empty.db")
	writeFile(t, db, "")
	var out, errb bytes.Buffer
	if code := run([]string{"db", "stats", "--db", db}, getenv, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), db+" was an empty file: initialised it") {
		t.Errorf("stderr %q", errb.String())
	}

	// Every one-shot command that opens the store says it alike (check,
	// and report/diagnose/faq, which record their round too).
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	for _, cmd := range []string{"check", "report"} {
		hdb := filepath.Join(dir, "h.db")
		writeFile(t, hdb, "")
		args := checkArgs(fake.URL, dir)
		args[0] = cmd
		out.Reset()
		errb.Reset()
		run(args, getenv, strings.NewReader(""), &out, &errb)
		if !strings.Contains(errb.String(), hdb+" was an empty file: initialised it") {
			t.Errorf("%s: stderr %q", cmd, errb.String())
		}
	}

	srv := fakeupstream.New(fakeupstream.ModeOperational)
	defer srv.Close()
	empty := filepath.Join(t.TempDir(), "history.db")
	writeFile(t, empty, "")
	d := startDashboard(t, []string{"--db", empty, "--status-url", srv.URL, "--api-url", srv.URL, "--claude-url", srv.URL})
	d.waitScreen(t, "Operational")
	d.key(t, "q")
	d.wait(t)
	logText, _ := os.ReadFile(filepath.Join(filepath.Dir(empty), "downforai.log"))
	if !bytes.Contains(logText, []byte("the database was an empty file: initialised it")) {
		t.Errorf("log:\n%s", logText)
	}
}

// TestLateOpenServesTheAttachSocket: a dashboard that started on memory
// (its state directory could not be made) and opened the database later,
// once it could, becomes the file's owner like any other: it serves the
// attach socket, and a second downforai attaches instead of exiting
// "locked".
func TestLateOpenServesTheAttachSocket(t *testing.T) {
	srv := fakeupstream.New(fakeupstream.ModeOperational)
	defer srv.Close()
	dir := t.TempDir()
	blocker := filepath.Join(dir, "state")
	writeFile(t, blocker, "a file where the state directory should be")
	db := filepath.Join(blocker, "downforai", "history.db")
	args := []string{"--db", db, "--status-url", srv.URL, "--api-url", srv.URL, "--claude-url", srv.URL,
		"--interval", "1s", "--status-interval", "1s", "--timeout", "900ms"}
	d := startDashboard(t, args)
	d.waitScreen(t, "Operational")
	if !strings.Contains(string(d.stderr.Bytes()), "keeping history in memory and retrying") {
		t.Fatalf("stderr %q: did not start on memory", d.stderr.Bytes())
	}
	os.Remove(blocker) // now the directory can be made
	waitFor(t, "the database and its attach socket", func() bool {
		_, err := remote.Dial(context.Background(), remote.SocketPath(db), remote.DBName(db))
		return err == nil
	})
	viewer := startDashboard(t, args)
	viewer.waitScreen(t, "viewer of pid")
	viewer.key(t, "q")
	if code := viewer.wait(t); code != exitOK {
		t.Errorf("the second downforai exited %d: %s", code, viewer.stderr.Bytes())
	}
	d.key(t, "q")
	d.wait(t)
}
