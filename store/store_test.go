package store

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

type bbTx = bolt.Tx

// base is a fixed instant so tests never depend on the clock.
var base = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "history.db"), Options{LockTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func at(i int) time.Time { return base.Add(time.Duration(i) * 30 * time.Second) }

func okResult(t probe.Target, when time.Time) probe.Result {
	return probe.Result{
		Target: t, Time: when, Class: probe.ClassOK, HTTPStatus: 401,
		Phases:    probe.Phases{DNS: 12 * time.Millisecond, Connect: 20 * time.Millisecond, TLS: 31 * time.Millisecond, FirstByte: 180 * time.Millisecond, Total: 190 * time.Millisecond},
		Message:   "API answers (401 without key, as expected)",
		RequestID: "req_011CSHoEeqs5C35K2UUqR7Fy",
	}
}

// sameResult compares results field by field, times by instant.
func sameResult(a, b probe.Result) bool {
	ra, rb := a.RateLimit, b.RateLimit
	if !ra.RequestsReset.Equal(rb.RequestsReset) || !ra.TokensReset.Equal(rb.TokensReset) || !a.Time.Equal(b.Time) {
		return false
	}
	ra.RequestsReset, rb.RequestsReset, ra.TokensReset, rb.TokensReset = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	a.RateLimit, b.RateLimit, a.Time, b.Time = ra, rb, time.Time{}, time.Time{}
	return a == b
}

func times(rs []probe.Result) []time.Time {
	var ts []time.Time
	for _, r := range rs {
		ts = append(ts, r.Time)
	}
	return ts
}

func TestRoundTripEveryField(t *testing.T) {
	full := probe.RateLimit{
		RequestsLimit: 50, RequestsRemaining: 0, RequestsReset: base.Add(time.Minute),
		TokensLimit: 1 << 40, TokensRemaining: -3, TokensReset: time.Date(2300, 1, 1, 0, 0, 0, 7, time.UTC),
		RetryAfter: 17 * time.Second,
	}
	tests := []struct {
		name string
		r    probe.Result
	}{
		{"zero fields", probe.Result{Target: probe.TargetAPI, Time: base}},
		{"typical ok", okResult(probe.TargetAPI, base)},
		{"full rate limit", probe.Result{Target: probe.TargetAPIKey, Time: base, Class: probe.ClassRateLimited, HTTPStatus: 429,
			ErrorType: "rate_limit_error", Message: "Number of requests has exceeded your rate limit", RequestID: "req_x", RateLimit: full}},
		{"retry-after only", probe.Result{Target: probe.TargetAPIKey, Time: base, Class: probe.ClassOverloaded, HTTPStatus: 529,
			RateLimit: probe.RateLimit{RetryAfter: time.Second}}},
		{"unicode and empty strings", probe.Result{Target: probe.TargetClaudeAI, Time: base, Class: probe.ClassUnexpected, HTTPStatus: 200,
			Message: "Überlastung — 過負荷 🔥", Detail: "zürich\x00nul"}},
		{"network", probe.Result{Target: probe.TargetStatus, Time: base.Add(time.Nanosecond), Class: probe.ClassNetwork,
			ErrorType: "dns", Message: "lookup status.claude.com: no such host", Phases: probe.Phases{DNS: 5 * time.Second, Total: 5 * time.Second}}},
		{"long literal", probe.Result{Target: probe.TargetCode, Time: base, Class: probe.ClassOK, Detail: strings.Repeat("v", 1000),
			RequestID: strings.Repeat("r", 300)}},
		{"unknown future class", probe.Result{Target: probe.TargetCode, Time: base, Class: probe.Class(200), HTTPStatus: 999}},
	}
	s := openTest(t)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r
			r.Target = probe.Target("t" + string(rune('a'+i))) // a bucket each, so Recent(…, 1) is this one
			if err := s.PutResult(r); err != nil {
				t.Fatal(err)
			}
			got, err := s.Recent(r.Target, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || !sameResult(got[0], r) {
				t.Fatalf("round trip:\n got %+v\nwant %+v", got, r)
			}
		})
	}
}

func TestPhasesKeepMicroseconds(t *testing.T) {
	s := openTest(t)
	r := probe.Result{Target: probe.TargetAPI, Time: base, Phases: probe.Phases{DNS: 1500 * time.Nanosecond, Total: -time.Second}}
	if err := s.PutResult(r); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Recent(probe.TargetAPI, 1)
	if want := (probe.Phases{DNS: time.Microsecond}); got[0].Phases != want {
		t.Fatalf("phases = %+v, want %+v (µs precision, negative → 0)", got[0].Phases, want)
	}
}

func TestPutRejectsUnstorableTimes(t *testing.T) {
	s := openTest(t)
	for _, tm := range []time.Time{{}, time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if err := s.PutResult(probe.Result{Target: probe.TargetAPI, Time: tm}); err == nil {
			t.Errorf("PutResult at %v: want an error", tm)
		}
	}
	if err := s.PutResult(probe.Result{Time: base}); err == nil {
		t.Error("PutResult without target: want an error")
	}
}

func TestSameNanosecondKeepsBoth(t *testing.T) {
	s := openTest(t)
	a, b, c := okResult(probe.TargetAPI, base), okResult(probe.TargetAPI, base), okResult(probe.TargetAPI, base.Add(time.Nanosecond))
	a.Message, b.Message, c.Message = "a", "b", "c"
	if err := s.PutResult(a); err != nil {
		t.Fatal(err)
	}
	// b collides with a in another transaction, c with b's bumped key in the same one.
	if err := s.PutResults([]probe.Result{b, c}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Range(probe.TargetAPI, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for i, r := range got {
		msgs = append(msgs, r.Message)
		if want := base.Add(time.Duration(i)); !r.Time.Equal(want) {
			t.Errorf("result %d at %v, want %v", i, r.Time, want)
		}
	}
	if strings.Join(msgs, "") != "abc" {
		t.Fatalf("messages %q, want a b c", msgs)
	}
}

func TestRangeBoundaries(t *testing.T) {
	s := openTest(t)
	var rs []probe.Result
	for i := range 10 {
		rs = append(rs, okResult(probe.TargetAPI, at(i)))
	}
	if err := s.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		from, to  time.Time
		wantFirst int
		wantN     int
	}{
		{"from inclusive, to exclusive", at(2), at(5), 2, 3},
		{"zero from", time.Time{}, at(3), 0, 3},
		{"zero to", at(7), time.Time{}, 7, 3},
		{"both zero", time.Time{}, time.Time{}, 0, 10},
		{"between keys", at(2).Add(time.Second), at(5).Add(-time.Second), 3, 2},
		{"empty", at(4), at(4), 0, 0},
		{"inverted", at(6), at(2), 0, 0},
		{"before everything", base.Add(-time.Hour), at(1), 0, 1},
		{"after everything", at(10), time.Time{}, 0, 0},
		{"pre-1970 from", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), at(1), 0, 1},
		{"far-future to", at(9), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), 9, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Range(probe.TargetAPI, tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.wantN {
				t.Fatalf("got %d results %v, want %d", len(got), times(got), tt.wantN)
			}
			for i, r := range got {
				if !r.Time.Equal(at(tt.wantFirst + i)) {
					t.Fatalf("result %d at %v, want %v", i, r.Time, at(tt.wantFirst+i))
				}
			}
		})
	}
	if got, err := s.Range("nobody", time.Time{}, time.Time{}); err != nil || len(got) != 0 {
		t.Fatalf("unknown target: %v, %v", got, err)
	}
}

func TestRecent(t *testing.T) {
	s := openTest(t)
	var rs []probe.Result
	for i := range 5 {
		rs = append(rs, okResult(probe.TargetAPI, at(i)), okResult(probe.TargetStatus, at(i)))
	}
	if err := s.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ n, want, first int }{{2, 2, 3}, {5, 5, 0}, {100, 5, 0}, {0, 0, 0}, {-1, 0, 0}} {
		got, err := s.Recent(probe.TargetAPI, tt.n)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tt.want {
			t.Fatalf("Recent(%d) = %d results, want %d", tt.n, len(got), tt.want)
		}
		for i, r := range got {
			if !r.Time.Equal(at(tt.first+i)) || r.Target != probe.TargetAPI {
				t.Fatalf("Recent(%d)[%d] = %s at %v, want api at %v (oldest first)", tt.n, i, r.Target, r.Time, at(tt.first+i))
			}
		}
	}
	if got, err := s.Recent("nobody", 3); err != nil || len(got) != 0 {
		t.Fatalf("unknown target: %v, %v", got, err)
	}
}

func TestPruneBoundaries(t *testing.T) {
	for _, batch := range []int{1, 3, 7, 1000, 0} {
		s := openTest(t)
		var rs []probe.Result
		for i := range 20 {
			rs = append(rs, okResult(probe.TargetAPI, at(i)), okResult(probe.TargetStatus, at(i)))
		}
		if err := s.PutResults(rs); err != nil {
			t.Fatal(err)
		}
		// Results with Time < before go; the one exactly at before stays.
		n, err := s.Prune(at(13), batch)
		if err != nil {
			t.Fatal(err)
		}
		if n != 26 {
			t.Errorf("batch %d: pruned %d, want 26", batch, n)
		}
		counts, err := s.Counts()
		if err != nil {
			t.Fatal(err)
		}
		if counts[probe.TargetAPI] != 7 || counts[probe.TargetStatus] != 7 {
			t.Errorf("batch %d: counts %v, want 7 each", batch, counts)
		}
		got, _ := s.Range(probe.TargetAPI, time.Time{}, time.Time{})
		if len(got) == 0 || !got[0].Time.Equal(at(13)) {
			t.Errorf("batch %d: oldest left %v, want %v", batch, times(got), at(13))
		}
		if n, err := s.Prune(at(13), batch); n != 0 || err != nil {
			t.Errorf("batch %d: second prune = %d, %v", batch, n, err)
		}
	}
}

func TestStatusStoredOnChangeOnly(t *testing.T) {
	s := openTest(t)
	if _, ok, err := s.LatestStatus(); ok || err != nil {
		t.Fatalf("empty store: ok=%v err=%v", ok, err)
	}
	st := probe.Status{
		Fetched: base, UpdatedAt: base.Add(-time.Minute).In(time.FixedZone("CEST", 7200)), Indicator: "none",
		Description: "All Systems Operational",
		Components:  []probe.Component{{ID: "rwppv331jlwc", Name: "claude.ai", Status: "operational"}},
	}
	put := func(st probe.Status, want bool) {
		t.Helper()
		changed, err := s.PutStatus(st)
		if err != nil {
			t.Fatal(err)
		}
		if changed != want {
			t.Fatalf("PutStatus(%s at %v) changed=%v, want %v", st.Indicator, st.Fetched, changed, want)
		}
	}
	put(st, true)
	st.Fetched = base.Add(time.Minute)
	put(st, false) // only Fetched differs
	st.Fetched, st.Indicator = base.Add(2*time.Minute), "minor"
	st.Components = []probe.Component{{ID: "rwppv331jlwc", Name: "claude.ai", Status: "degraded_performance"}}
	put(st, true)
	st.Fetched = base.Add(3 * time.Minute)
	put(st, false)

	got, ok, err := s.LatestStatus()
	if err != nil || !ok {
		t.Fatalf("LatestStatus: ok=%v err=%v", ok, err)
	}
	if got.Indicator != "minor" || !got.Fetched.Equal(base.Add(2*time.Minute)) || got.Components[0].Status != "degraded_performance" {
		t.Fatalf("LatestStatus = %+v", got)
	}
	var n int
	s.db.View(func(tx *bbTx) error { n = tx.Bucket(bucketStatus).Stats().KeyN; return nil })
	if n != 2 {
		t.Fatalf("%d snapshots stored, want 2", n)
	}
}

func TestSecondOpenFailsWithErrLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = Open(path, Options{LockTimeout: 20 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "another downforai") {
		t.Fatalf("message %q should name %s and say another downforai holds it", msg, path)
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "history.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []probe.Result{okResult(probe.TargetAPI, at(0)), okResult(probe.TargetAPI, at(1))}
	want[1].Message, want[1].Detail = "a message first seen now", "and a detail"
	if err := s.PutResults(want); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutStatus(probe.Status{Fetched: base, Indicator: "major"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	for p, mode := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700 | os.ModeDir} {
		if fi, err := os.Stat(p); err != nil || fi.Mode() != mode {
			t.Errorf("%s: mode %v (%v), want %v", p, fi.Mode(), err, mode)
		}
	}

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Path() != path {
		t.Errorf("Path() = %q", s.Path())
	}
	got, err := s.Range(probe.TargetAPI, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !sameResult(got[0], want[0]) || !sameResult(got[1], want[1]) {
		t.Fatalf("after reopen:\n got %+v\nwant %+v", got, want)
	}
	if st, ok, err := s.LatestStatus(); err != nil || !ok || st.Indicator != "major" {
		t.Fatalf("status after reopen: %+v %v %v", st, ok, err)
	}
	if changed, err := s.PutStatus(probe.Status{Fetched: base.Add(time.Hour), Indicator: "major"}); err != nil || changed {
		t.Fatalf("unchanged status after reopen: changed=%v err=%v", changed, err)
	}
}

// TestOpenOfAReadyFileWritesNothing: every command opens the database;
// once it has its buckets and versions, opening and closing it leaves the
// file byte for byte as it was (no write transaction, no fsync).
func TestOpenOfAReadyFileWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutResult(okResult(probe.TargetAPI, at(0))); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(path)
	for range 3 {
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("opening a ready database wrote to it")
	}
	// A file missing a bucket still gets it.
	s, _ = Open(path, Options{})
	s.db.Update(func(tx *bbTx) error { return tx.DeleteBucket(bucketAnnotations) })
	s.Close()
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.db.View(func(tx *bbTx) error {
		if tx.Bucket(bucketAnnotations) == nil {
			return errors.New("annotations bucket not recreated")
		}
		return nil
	}); err != nil {
		t.Error(err)
	}
}

func TestForeignFileIsRefusedAndUntouched(t *testing.T) {
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(i*7919 + i>>3)
	}
	// Right magic on page 0, garbage elsewhere: gets past our check, so
	// bbolt's own validation must refuse it without writing.
	fakeMagic := bytes.Clone(random[:16<<10])
	copy(fakeMagic[16:], []byte{0xED, 0xDA, 0x0C, 0xED})
	for name, content := range map[string][]byte{
		"text":        []byte("remember to buy milk\n"),
		"random":      random,
		"bbolt magic": fakeMagic,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history.db")
			if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := Open(path, Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded on a foreign file")
			}
			// A file with bbolt's magic is a bbolt file, only damaged.
			want := ErrNotDatabase
			if name == "bbolt magic" {
				want = ErrDamaged
			}
			if !errors.Is(err, want) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), " aside") {
				t.Fatalf("error %q: want %v naming the file and saying to move it aside", err, want)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, content) {
				t.Fatal("foreign file was modified")
			}
		})
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.db.Update(func(tx *bbTx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte{SchemaVersion + 1}) })
	s.Close()
	_, err = Open(path, Options{})
	if !errors.Is(err, ErrSchemaTooNew) || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open of a newer schema: %v", err)
	}
}

// TestUnwritableLocation: a database that cannot be created fails with a
// message naming the path and the reason, for any user. The cases that
// hold for root too (a regular file where a directory must be, a
// directory where the file must be, a name too long) run as they are; a
// read-only directory stops only other users, so as root that case runs
// in a copy of the test binary as nobody.
func TestUnwritableLocation(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	writeTestFile(t, file, "")
	if err := os.Mkdir(filepath.Join(dir, "d"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, path, named, why string }{
		{"parent is a file", filepath.Join(file, "history.db"), file, "not a directory"},
		{"an ancestor is a file", filepath.Join(file, "a", "b", "history.db"), file, "not a directory"},
		{"the path is a directory", filepath.Join(dir, "d"), filepath.Join(dir, "d"), "is a directory"},
		{"a name too long", filepath.Join(dir, strings.Repeat("x", 300), "history.db"), dir, "file name too long"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(tt.path, Options{})
			if err == nil {
				s.Close()
				t.Fatalf("opened %s", tt.path)
			}
			if !strings.Contains(err.Error(), tt.named) || !strings.Contains(err.Error(), tt.why) {
				t.Fatalf("error %q: want it to name %s and say %q", err, tt.named, tt.why)
			}
		})
	}
	t.Run("read-only directory", func(t *testing.T) {
		if os.Geteuid() == 0 {
			runAsNobody(t, "^TestUnwritableLocation$/^read-only_directory$")
			return
		}
		ro := filepath.Join(t.TempDir(), "ro")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(ro, "history.db")
		_, err := Open(path, Options{})
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "permission denied") {
			t.Fatalf("read-only directory: %v", err)
		}
	})
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// runAsNobody runs the tests matching run in a copy of this test binary
// as the user nobody (65534), where directory permissions apply, and
// fails with its output unless they pass. It skips when this process may
// not change user.
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
	// A directory nobody can enter, holding a binary nobody can run.
	dir, err := os.MkdirTemp("", "downforai-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyExe := filepath.Join(dir, "store.test")
	if err := os.WriteFile(copyExe, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(copyExe, "-test.run", run, "-test.v", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TMPDIR=" + os.TempDir(), "HOME=" + dir}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if errors.Is(err, syscall.EPERM) {
		t.Skipf("cannot run as nobody: %v", err)
	}
	if err != nil || !bytes.Contains(out, []byte("--- PASS: ")) || bytes.Contains(out, []byte("--- SKIP: ")) {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
}

// TestNoSecretsInFile shows that nothing but the documented fields reaches
// the file. The store has no field a credential could ride in, so it
// sets credentials where a careless store might pick them up (environment,
// nowhere else to look) and writes ordinary results and status; the raw
// file must not contain them, while the ordinary text is found, which
// proves the scan can see what is written.
func TestNoSecretsInFile(t *testing.T) {
	const fakeKey = "sk-ant-api03-FAKEFAKEFAKE-do-not-store-0123456789"
	t.Setenv("ANTHROPIC_API_KEY", fakeKey)
	t.Setenv("ANTHROPIC_AUTH_TOKEN", fakeKey+"-oauth")
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := okResult(probe.TargetAPIKey, base)
	r.Message, r.RequestID, r.Detail = "canary-message", "req_canary", "canary-detail"
	r.RateLimit = probe.RateLimit{RequestsLimit: 50, RequestsReset: base.Add(time.Minute)}
	if err := s.PutResult(r); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutStatus(probe.Status{Fetched: base, Indicator: "none", Description: "canary-description"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{fakeKey, "sk-ant-", "FAKEFAKE", "Authorization", "x-api-key"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("file contains %q", secret)
		}
	}
	for _, text := range []string{"canary-message", "req_canary", "canary-detail", "canary-description"} {
		if !bytes.Contains(raw, []byte(text)) {
			t.Errorf("file lacks %q: the scan would not see stored text", text)
		}
	}
}
