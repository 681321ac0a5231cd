package transcript

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"downforai/probe"
)

// memState is State in memory, counting writes.
type memState struct {
	mu     sync.Mutex
	files  map[string]FileState
	usage  map[string]Usage
	writes int
}

func newMemState() *memState {
	return &memState{files: map[string]FileState{}, usage: map[string]Usage{}}
}

func (m *memState) TranscriptState(since time.Time) (map[string]FileState, []Usage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	files := map[string]FileState{}
	for k, v := range m.files {
		files[k] = v
	}
	var us []Usage
	for _, u := range m.usage {
		if !u.Time.Before(since) {
			us = append(us, u)
		}
	}
	return files, us, nil
}

func (m *memState) PutTranscriptState(files map[string]FileState, gone []string, usage []Usage, prune time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.writes++
	for k, v := range files {
		m.files[k] = v
	}
	for _, k := range gone {
		delete(m.files, k)
	}
	for _, u := range usage {
		m.usage[fmt.Sprint(u.Time.UnixNano(), u.Key)] = u
	}
	for k, u := range m.usage {
		if u.Time.Before(prune) {
			delete(m.usage, k)
		}
	}
	return nil
}

// sink collects what the follower sends.
type sink struct {
	mu      sync.Mutex
	live    []probe.Result
	old     []probe.Result
	reports []*probe.SessionsReport
}

func (s *sink) Calls(rs []probe.Result, live bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if live {
		s.live = append(s.live, rs...)
	} else {
		s.old = append(s.old, rs...)
	}
}

func (s *sink) Report(r *probe.SessionsReport) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reports = append(s.reports, r)
}

func (s *sink) all() []probe.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(append([]probe.Result(nil), s.old...), s.live...)
}

func (s *sink) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live, s.old, s.reports = nil, nil, nil
}

// copyTestdata copies the synthetic projects directory into a temp dir.
func copyTestdata(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "projects")
	err := filepath.WalkDir("testdata/projects", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("testdata/projects", p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

var testNow = time.Date(2026, 3, 4, 11, 12, 0, 0, time.UTC)

func newTestFollower(dir string, st State) *Follower {
	now := testNow
	return New(Options{Dir: dir, Shown: "~/.claude/projects", State: st, Now: func() time.Time { return now }})
}

const mainFile = "-home-alice-secret-project/0f8e2c1a-5b7d-4e9a-9c3b-2d1f6a7e8b90.jsonl"

func TestFollowerReadsTheTestdata(t *testing.T) {
	dir := copyTestdata(t)
	st := newMemState()
	f := newTestFollower(dir, st)
	var s sink
	if !f.Poll(context.Background(), &s) {
		t.Fatal("first poll changed nothing")
	}
	got := s.all()
	counts := map[probe.Class]int{}
	for _, r := range got {
		counts[r.Class]++
	}
	// main file: 2 retries 529, 1 answer (two lines, one call), 1 network
	// retry, 1 final 529, 1 final 429, 1 answer (the torn last line waits);
	// agent file: 1 answer, 1 final 401, retry with counters only, retry
	// with content text, retry 500.
	want := map[probe.Class]int{
		probe.ClassOverloaded: 3, probe.ClassOK: 3, probe.ClassNetwork: 2,
		probe.ClassRateLimited: 1, probe.ClassAuth: 1, probe.ClassServer: 1, probe.ClassUnexpected: 1,
	}
	for c, n := range want {
		if counts[c] != n {
			t.Errorf("%v: %d calls, want %d (all: %v)", c, counts[c], n, counts)
		}
	}
	rep := f.Report()
	if !rep.Found || rep.Dir != "~/.claude/projects" || rep.Err != "" {
		t.Errorf("report = found %v dir %q err %q", rep.Found, rep.Dir, rep.Err)
	}
	if rep.Skipped != 1 { // "not json at all"
		t.Errorf("skipped = %d, want 1", rep.Skipped)
	}
	if rep.Progress.Reading || rep.Progress.Percent() != 100 || rep.Progress.Files != 2 {
		t.Errorf("progress = %+v", rep.Progress)
	}
	// Usage: msg_01A counted once with its largest counts (output 87),
	// msg_01B, and the sub-agent's answer.
	w := rep.Window
	if w.Current == nil {
		t.Fatalf("no current block: %+v", w)
	}
	wantTok := probe.Tokens{Input: 4 + 10 + 500, Output: 87 + 250 + 40, CacheCreation: 1200, CacheRead: 15000 + 16000}
	if w.Current.Tokens != wantTok || w.Current.Requests != 3 {
		t.Errorf("block tokens = %+v (%d answers), want %+v (3)", w.Current.Tokens, w.Current.Requests, wantTok)
	}
	if w.Current.Start != time.Date(2026, 3, 4, 11, 0, 0, 0, time.UTC) || w.Current.End != w.Current.Start.Add(5*time.Hour) {
		t.Errorf("block %v–%v", w.Current.Start, w.Current.End)
	}
	if strings.Join(w.Current.Models, ",") != "claude-opus-4-6,claude-haiku-4-5-20251001,claude-sonnet-4-5-20250929" {
		t.Errorf("models = %v", w.Current.Models)
	}
	// Calls within 10 minutes of now are live; earlier ones are history.
	for _, r := range s.live {
		if testNow.Sub(r.Time) > LiveAfter {
			t.Errorf("live call from %v", r.Time)
		}
	}
	if len(s.old) == 0 || len(s.live) == 0 {
		t.Errorf("live %d, old %d: want both", len(s.live), len(s.old))
	}

	// A second poll with nothing new reads nothing.
	s.reset()
	f.Poll(context.Background(), &s)
	if n := len(s.all()); n != 0 {
		t.Errorf("second poll sent %d calls", n)
	}

	// The torn last line is completed, and a new line follows.
	appendTo(t, filepath.Join(dir, mainFile), ` more"}],"usage":{"input_tokens":1,"output_tokens":2}},"requestId":"req_C"}`+"\n"+
		`{"type":"system","subtype":"api_error","timestamp":"2026-03-04T11:11:30Z","error":{"status":529,"message":"Overloaded"},"retryAttempt":1,"maxRetries":10}`+"\n")
	f.Poll(context.Background(), &s)
	got = s.all()
	if len(got) != 2 || got[0].Class != probe.ClassOK || got[1].Class != probe.ClassOverloaded {
		t.Fatalf("after append: %+v", got)
	}

	// A restart with the same state reads nothing again and keeps the
	// usage.
	s.reset()
	f2 := newTestFollower(dir, st)
	f2.Poll(context.Background(), &s)
	if n := len(s.all()); n != 0 {
		t.Errorf("restart re-read %d calls", n)
	}
	if w2 := f2.Report().Window; w2.Current == nil || w2.Current.Requests != 4 {
		t.Errorf("restart window = %+v", w2.Current)
	}
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fh.WriteString(s); err != nil {
		t.Fatal(err)
	}
	fh.Close()
}

func retryLine(at time.Time, status int) string {
	return fmt.Sprintf(`{"type":"system","subtype":"api_error","sessionId":"s","timestamp":%q,"error":{"status":%d,"message":"x"},"retryAttempt":1,"maxRetries":10}`+"\n",
		at.Format(time.RFC3339Nano), status)
}

func TestFollowerSurvivesTruncationRotationRenameAndDeletion(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "projects")
	proj := filepath.Join(dir, "-p")
	if err := os.MkdirAll(proj, 0o700); err != nil {
		t.Fatal(err)
	}
	at := testNow.Add(-time.Minute)
	a := filepath.Join(proj, "a.jsonl")
	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(a, retryLine(at, 529)+retryLine(at, 529))
	st := newMemState()
	f := newTestFollower(dir, st)
	var s sink
	poll := func() []probe.Result {
		s.reset()
		f.Poll(context.Background(), &s)
		return s.all()
	}
	if got := poll(); len(got) != 2 {
		t.Fatalf("first read: %d calls", len(got))
	}

	// Truncated and rewritten shorter: read again from the start.
	write(a, retryLine(at, 500))
	if got := poll(); len(got) != 1 || got[0].HTTPStatus != 500 {
		t.Fatalf("after truncation: %+v", got)
	}

	// Rewritten in place with new content as long as before plus more:
	// the head changed, so from the start.
	write(a, retryLine(at.Add(time.Second), 429)+retryLine(at, 429))
	if got := poll(); len(got) != 2 || got[0].HTTPStatus != 429 {
		t.Fatalf("after rewrite: %+v", got)
	}

	// Rotated: moved aside (no longer .jsonl) and a new file under the
	// old name.
	if err := os.Rename(a, a+".1"); err != nil {
		t.Fatal(err)
	}
	write(a, retryLine(at, 503))
	if got := poll(); len(got) != 1 || got[0].HTTPStatus != 503 {
		t.Fatalf("after rotation: %+v", got)
	}

	// Renamed within the directory: the same file, nothing read twice;
	// what is appended after is read.
	b := filepath.Join(proj, "b.jsonl")
	if err := os.Rename(a, b); err != nil {
		t.Fatal(err)
	}
	if got := poll(); len(got) != 0 {
		t.Fatalf("after rename: re-read %+v", got)
	}
	appendTo(t, b, retryLine(at, 502))
	if got := poll(); len(got) != 1 || got[0].HTTPStatus != 502 {
		t.Fatalf("after append to renamed: %+v", got)
	}

	// New file in a new project.
	if err := os.MkdirAll(filepath.Join(dir, "-q"), 0o700); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(dir, "-q", "c.jsonl"), retryLine(at, 401))
	if got := poll(); len(got) != 1 || got[0].Class != probe.ClassAuth {
		t.Fatalf("new file: %+v", got)
	}

	// Deleted: its state goes.
	if err := os.Remove(b); err != nil {
		t.Fatal(err)
	}
	poll()
	if n := len(st.files); n != 1 {
		t.Errorf("%d file states after deletion, want 1", n)
	}
	for k := range st.files {
		if strings.Contains(k, "/") || strings.Contains(k, "jsonl") {
			t.Errorf("state key %q names a path", k)
		}
	}

	// The directory goes: found turns false, nothing fails.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	poll()
	if rep := f.Report(); rep.Found || rep.Err != "" {
		t.Errorf("missing dir: found %v err %q", rep.Found, rep.Err)
	}
}

func TestFollowerSkipsOverlongLinesAndKeepsOld(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "projects")
	proj := filepath.Join(dir, "-p")
	if err := os.MkdirAll(proj, 0o700); err != nil {
		t.Fatal(err)
	}
	long := `{"type":"user","message":{"content":"` + strings.Repeat("x", 300<<10) + `"},"usage":1}` + "\n"
	old := retryLine(testNow.Add(-40*24*time.Hour), 529)
	body := old + long + retryLine(testNow.Add(-time.Minute), 529)
	if err := os.WriteFile(filepath.Join(proj, "a.jsonl"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	f := New(Options{Dir: dir, MaxLine: 100 << 10, Now: func() time.Time { return testNow }})
	var s sink
	f.Poll(context.Background(), &s)
	got := s.all()
	if len(got) != 1 {
		t.Fatalf("got %d calls, want 1 (the 40-day-old one is past Keep)", len(got))
	}
	if rep := f.Report(); rep.Skipped != 1 {
		t.Errorf("skipped = %d, want 1", rep.Skipped)
	}
}

func TestRecentKeepsErrorsOverSuccesses(t *testing.T) {
	f := New(Options{Dir: t.TempDir(), Now: func() time.Time { return testNow }})
	at := testNow.Add(-30 * time.Minute)
	f.addRecent(probe.Result{Time: at, Class: probe.ClassOverloaded}, testNow)
	for i := range recentMax + 10 {
		f.addRecent(probe.Result{Time: at.Add(time.Duration(i) * time.Millisecond), Class: probe.ClassOK}, testNow)
	}
	if len(f.recent) != recentMax {
		t.Fatalf("recent holds %d", len(f.recent))
	}
	if f.recent[0].Class != probe.ClassOverloaded {
		t.Errorf("the error was dropped before successes")
	}
}

// TestRecentEvictsWholeCalls (diag4's notes): past recentMax records an
// answer that ended Claude Code's retries is evicted with those retries.
// Dropping the answer alone left the three 529 retries standing as a call
// still failing: a call that succeeded, counted failed.
func TestRecentEvictsWholeCalls(t *testing.T) {
	f := New(Options{Dir: t.TempDir(), Now: func() time.Time { return testNow }})
	at := testNow.Add(-50 * time.Minute)
	session := func(attempt int) string {
		return probe.SessionDetail{Version: "2.1.44", Session: "s1", Attempt: attempt, MaxAttempts: 10}.String()
	}
	for n := 1; n <= 3; n++ {
		f.addRecent(probe.Result{Target: probe.TargetSessions, Time: at.Add(time.Duration(n) * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529, Detail: session(n)}, testNow)
	}
	// Another session's call in between, then the answer that ends them.
	f.addRecent(probe.Result{Target: probe.TargetSessions, Time: at.Add(4 * time.Second), Class: probe.ClassOK, Detail: probe.SessionDetail{Session: "s2"}.String()}, testNow)
	f.addRecent(probe.Result{Target: probe.TargetSessions, Time: at.Add(5 * time.Second), Class: probe.ClassOK, Detail: session(0)}, testNow)
	for i := range recentMax {
		f.addRecent(probe.Result{Target: probe.TargetSessions, Time: at.Add(time.Minute + time.Duration(i)*time.Millisecond), Class: probe.ClassOK, Detail: probe.SessionDetail{Session: "s3"}.String()}, testNow)
	}
	for _, c := range probe.SessionCalls(f.recent) {
		if c.Class.Failing() {
			t.Fatalf("a call shows failed after eviction: %+v (recent holds %d)", c, len(f.recent))
		}
	}
	if len(f.recent) > recentMax {
		t.Errorf("recent holds %d, more than %d", len(f.recent), recentMax)
	}
}

// history is a probe.History holding session calls.
type history struct{ rs []probe.Result }

func (h history) Recent(probe.Target, int) ([]probe.Result, error) { return h.rs, nil }
func (h history) Range(_ probe.Target, from, to time.Time) ([]probe.Result, error) {
	var out []probe.Result
	for _, r := range h.rs {
		if !r.Time.Before(from) && (to.IsZero() || r.Time.Before(to)) {
			out = append(out, r)
		}
	}
	return out, nil
}
func (h history) LatestStatus() (probe.Status, bool, error) { return probe.Status{}, false, nil }

func TestFollowerStartsFromTheStoredHour(t *testing.T) {
	h := history{rs: []probe.Result{
		{Target: probe.TargetSessions, Time: testNow.Add(-2 * time.Hour), Class: probe.ClassOverloaded},
		{Target: probe.TargetSessions, Time: testNow.Add(-5 * time.Minute), Class: probe.ClassOverloaded, HTTPStatus: 529},
	}}
	f := New(Options{Dir: t.TempDir(), History: h, State: newMemState(), Now: func() time.Time { return testNow }})
	f.Poll(context.Background(), discard{})
	rep := f.Report()
	if len(rep.Recent) != 1 || rep.Recent[0].HTTPStatus != 529 {
		t.Fatalf("recent after a restart = %+v", rep.Recent)
	}
}
