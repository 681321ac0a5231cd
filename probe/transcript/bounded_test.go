package transcript

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// cancelSink is a sink that ends the read once it has received calls
// (check's and diagnose's time limit running out, as an event: no clock).
type cancelSink struct {
	sink
	cancel context.CancelFunc
}

func (s *cancelSink) Calls(rs []probe.Result, live bool) {
	s.sink.Calls(rs, live)
	s.cancel()
}

// TestBoundedReadIsNewestFirstAndSaysWhatItLeft: a read cut short (check
// and diagnose bound it by --timeout) has read the newest transcript
// first, stops at a line's start, and says what it left — "older
// transcripts not read: … in 3 files" — instead of waiting for the whole
// backlog or skipping it silently; the next read continues where it
// stopped, losing and repeating no call.
func TestBoundedReadIsNewestFirstAndSaysWhatItLeft(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "projects", "-home-me")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// Named so that path order is the opposite of age order.
	files := []struct {
		name  string
		age   time.Duration
		lines int
	}{{"c-newest.jsonl", 0, 1200}, {"b-middle.jsonl", time.Hour, 1000}, {"a-oldest.jsonl", 2 * time.Hour, 1000}}
	var total int64
	want := 0
	for i, f := range files {
		var b strings.Builder
		for j := range f.lines {
			// Each file's calls in their own minute range: i*20 minutes back.
			b.WriteString(retryLine(testNow.Add(-time.Duration(i*20)*time.Minute-time.Duration(j)*time.Millisecond), 529))
		}
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		mt := testNow.Add(-f.age)
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
		total += int64(b.Len())
		want += f.lines
	}
	st := newMemState()
	fo := newTestFollower(filepath.Dir(dir), st)
	ctx, cancel := context.WithCancel(t.Context())
	s := &cancelSink{cancel: cancel}
	fo.Poll(ctx, s)

	got := s.all()
	if len(got) == 0 || len(got) >= 1200 {
		t.Fatalf("the cut-short read took %d calls, want part of the newest file's", len(got))
	}
	for _, r := range got {
		if testNow.Sub(r.Time) > time.Minute {
			t.Fatalf("a call of an older file (%s) was read before the newest file's", r.Time)
		}
	}
	p := fo.Report().Progress
	var older int64 // the two older files' bytes
	for _, f := range files[1:] {
		fi, err := os.Stat(filepath.Join(dir, f.name))
		if err != nil {
			t.Fatal(err)
		}
		older += fi.Size()
	}
	if p.Unread <= older || p.UnreadFiles != 3 || p.Done+p.Unread != total {
		t.Errorf("progress %+v: want the unread bytes of 3 files (of %d)", p, total)
	}
	if p.Reading {
		t.Error("still 'reading' after the read stopped")
	}

	// The next read goes on from the line it stopped at.
	var rest sink
	fo.Poll(t.Context(), &rest)
	all := append(got, rest.all()...)
	seen := map[time.Time]bool{}
	for _, r := range all {
		if seen[r.Time] {
			t.Fatalf("call at %s read twice", r.Time)
		}
		seen[r.Time] = true
	}
	if len(all) != want {
		t.Errorf("%d calls in two reads, want %d", len(all), want)
	}
	if p := fo.Report().Progress; p.Unread != 0 || p.UnreadFiles != 0 {
		t.Errorf("after the whole read: %+v", p)
	}
}

// errAfter is a context whose Err turns Canceled after n calls: a time
// limit running out at any point of a read, without a clock.
type errAfter struct {
	context.Context
	n *int
}

func (c errAfter) Err() error {
	if *c.n--; *c.n < 0 {
		return context.Canceled
	}
	return nil
}

// TestCutShortReadStopsAtALineStart: wherever the limit falls, inside a
// line longer than the read buffer included, the next read starts at the
// first line not read whole: every call is read once.
func TestCutShortReadStopsAtALineStart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "projects", "-home-me")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	long := strings.Replace(retryLine(testNow.Add(-2*time.Minute), 529), `"message":"x"`, `"message":"`+strings.Repeat("x", 3*readChunk)+`"`, 1)
	text := retryLine(testNow.Add(-3*time.Minute), 529) + long + retryLine(testNow.Add(-time.Minute), 529)
	if err := os.WriteFile(filepath.Join(dir, "s.jsonl"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	for n := 0; n < 12; n++ {
		fo := newTestFollower(filepath.Dir(dir), newMemState())
		var first, rest sink
		left := n
		fo.Poll(errAfter{t.Context(), &left}, &first)
		fo.Poll(t.Context(), &rest)
		all := append(first.all(), rest.all()...)
		seen := map[time.Time]int{}
		for _, r := range all {
			seen[r.Time]++
		}
		if len(seen) != 3 || len(all) != 3 {
			t.Errorf("cut after %d checks: %d calls at %d times, want 3 once each", n, len(all), len(seen))
		}
	}
}
