package probe

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// memRecorder is a database that can be made to refuse writes, like a full
// disk or a read-only file system, and refuses results without a time
// forever, like the store.
type memRecorder struct {
	mu       sync.Mutex
	fail     error
	results  []Result
	statuses []Status
	closed   bool
}

var errDiskFull = errors.New("write /state/history.db: no space left on device")

func (m *memRecorder) setFail(err error) { m.mu.Lock(); m.fail = err; m.mu.Unlock() }

func (m *memRecorder) PutResult(r Result) error { return m.PutResults([]Result{r}) }

func (m *memRecorder) PutResults(rs []Result) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	for _, r := range rs {
		if r.Time.IsZero() {
			return errors.New("time cannot be stored")
		}
	}
	m.results = append(m.results, rs...)
	return nil
}

func (m *memRecorder) PutStatus(st Status) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, m.fail
	}
	m.statuses = append(m.statuses, st)
	return true, nil
}

func (m *memRecorder) Close() error { m.closed = true; return nil }

// stored returns the messages of the stored results, in write order.
func (m *memRecorder) stored() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, r := range m.results {
		out = append(out, r.Message)
	}
	return out
}

// singleRecorder hides PutResults, for the one-at-a-time catch-up path.
type singleRecorder struct{ m *memRecorder }

func (s singleRecorder) PutResult(r Result) error          { return s.m.PutResult(r) }
func (s singleRecorder) PutStatus(st Status) (bool, error) { return s.m.PutStatus(st) }

func res(msg string) Result {
	return Result{Target: TargetAPI, Time: time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC), Class: ClassOK, Message: msg}
}

func TestBufferedRecorderKeepsAndCatchesUp(t *testing.T) {
	for _, batch := range []bool{true, false} {
		t.Run(map[bool]string{true: "batch", false: "one by one"}[batch], func(t *testing.T) {
			m := &memRecorder{}
			var rec Recorder = m
			if !batch {
				rec = singleRecorder{m}
			}
			b := NewBufferedRecorder(rec, 0)
			if err := b.PutResult(res("a")); err != nil {
				t.Fatal(err)
			}
			m.setFail(errDiskFull)
			err := b.PutResult(res("b"))
			if err == nil || !strings.Contains(err.Error(), "no space left on device") || !strings.Contains(err.Error(), "1 result kept in memory, retrying") {
				t.Fatalf("err = %v", err)
			}
			err = b.PutResult(res("c"))
			if err == nil || !strings.Contains(err.Error(), "2 results kept in memory") {
				t.Fatalf("err = %v", err)
			}
			if _, err := b.PutStatus(Status{Indicator: "major"}); err == nil {
				t.Fatal("status write did not fail")
			}
			if b.Pending() != 2 {
				t.Fatalf("pending %d", b.Pending())
			}
			m.setFail(nil) // space freed
			if err := b.PutResult(res("d")); err != nil {
				t.Fatalf("after recovery: %v", err)
			}
			if got := strings.Join(m.stored(), ""); got != "abcd" {
				t.Fatalf("stored %q, want abcd in order", got)
			}
			if b.Pending() != 0 || len(m.statuses) != 1 || m.statuses[0].Indicator != "major" {
				t.Fatalf("pending %d statuses %+v", b.Pending(), m.statuses)
			}
		})
	}
}

func TestBufferedRecorderBounded(t *testing.T) {
	m := &memRecorder{fail: errDiskFull}
	b := NewBufferedRecorder(m, 3)
	var err error
	for _, s := range []string{"a", "b", "c", "d", "e"} {
		err = b.PutResult(res(s))
	}
	if b.Pending() != 3 || err == nil || !strings.Contains(err.Error(), "3 results kept in memory, retrying; 2 oldest dropped") {
		t.Fatalf("pending %d err %v", b.Pending(), err)
	}
	m.setFail(nil)
	if err := b.PutResult(res("f")); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.stored(), ""); got != "cdef" {
		t.Fatalf("stored %q, want the newest kept (cde) then f", got)
	}
}

func TestBufferedRecorderUnstorableResultDoesNotBlock(t *testing.T) {
	m := &memRecorder{}
	b := NewBufferedRecorder(m, 0)
	bad := res("bad")
	bad.Time = time.Time{}
	if err := b.PutResult(bad); err == nil {
		t.Fatal("unstorable result accepted")
	}
	if err := b.PutResult(res("x")); err != nil {
		t.Fatalf("a good result after a bad one: %v", err)
	}
	if err := b.PutResult(res("y")); err != nil || b.Pending() != 0 {
		t.Fatalf("err %v pending %d", err, b.Pending())
	}
	if got := strings.Join(m.stored(), ""); got != "xy" {
		t.Fatalf("stored %q", got)
	}
}

func TestLazyRecorderOpensLater(t *testing.T) {
	m := &memRecorder{}
	tries := 0
	open := func() (Recorder, error) {
		tries++
		if tries < 3 {
			return nil, errors.New("open database /ro/history.db: permission denied")
		}
		return m, nil
	}
	b := NewLazyRecorder(open, 0)
	for i, s := range []string{"a", "b"} {
		err := b.PutResult(res(s))
		if err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	if err := b.PutResult(res("c")); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.stored(), ""); got != "abc" || tries != 3 {
		t.Fatalf("stored %q after %d opens", got, tries)
	}
	if err := b.Close(); err != nil || !m.closed {
		t.Fatalf("close: %v, closed %v", err, m.closed)
	}
}

func TestBufferedRecorderCloseFlushes(t *testing.T) {
	m := &memRecorder{fail: errDiskFull}
	b := NewBufferedRecorder(m, 0)
	b.PutResult(res("a"))
	err := b.Close()
	if err == nil || !strings.Contains(err.Error(), "1 results not saved") {
		t.Fatalf("close while failing: %v", err)
	}
	if m.closed {
		t.Fatal("closed a recorder it was handed")
	}
	m.setFail(nil)
	if err := b.Close(); err != nil || strings.Join(m.stored(), "") != "a" {
		t.Fatalf("close after recovery: %v, stored %q", err, m.stored())
	}
}

// TestEngineStoreErrFollowsTheDatabase: while the database refuses writes
// every event says so in StoreErr and the dashboard keeps its data; once it
// takes writes again StoreErr clears and nothing observed is missing.
func TestEngineStoreErrFollowsTheDatabase(t *testing.T) {
	m := &memRecorder{}
	n := 0
	check := Check{Target: TargetAPI, Run: func(context.Context) Event {
		n++
		return Event{Result: Result{Target: TargetAPI, Time: time.Unix(int64(n), 0), Class: ClassOK, Message: string(rune('a' + n - 1))}}
	}}
	e := NewEngine([]Check{check}, NewBufferedRecorder(m, 0))
	steps := []struct {
		fail    error
		storeOK bool
	}{{nil, true}, {errDiskFull, false}, {errDiskFull, false}, {nil, true}}
	for i, s := range steps {
		m.setFail(s.fail)
		evs := e.RunOnce(context.Background())
		if len(evs) != 1 {
			t.Fatalf("step %d: %d events", i, len(evs))
		}
		if got := evs[0].StoreErr == ""; got != s.storeOK {
			t.Fatalf("step %d: StoreErr %q", i, evs[0].StoreErr)
		}
		if !s.storeOK && !strings.Contains(evs[0].StoreErr, "no space left on device") {
			t.Fatalf("step %d: StoreErr %q does not say why", i, evs[0].StoreErr)
		}
	}
	if got := strings.Join(m.stored(), ""); got != "abcd" {
		t.Fatalf("stored %q, want abcd", got)
	}
}

// memIncRecorder is a memRecorder that also keeps incidents, as the store does.
type memIncRecorder struct {
	memRecorder
	local    map[string]LocalIncident
	official []Incident
}

func (m *memIncRecorder) PutLocalIncident(l LocalIncident) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	if m.local == nil {
		m.local = map[string]LocalIncident{}
	}
	m.local[l.ID] = l
	return nil
}

func (m *memIncRecorder) PutOfficialIncidents(ins []Incident) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.official = append(m.official, ins...)
	return nil
}

func TestBufferedRecorderKeepsIncidentsUntilTheDatabaseTakesThem(t *testing.T) {
	db := &memIncRecorder{}
	b := NewBufferedRecorder(db, 10)
	db.setFail(errDiskFull)

	if err := b.PutLocalIncident(LocalIncident{ID: "l1", Version: 1}); err == nil {
		t.Fatal("a refused incident write must report the failure")
	}
	_ = b.PutLocalIncident(LocalIncident{ID: "l1", Version: 3})
	_ = b.PutLocalIncident(LocalIncident{ID: "l1", Version: 2}) // older: must not win
	_ = b.PutOfficialIncidents([]Incident{{ID: "461yvfrzpwtt"}})
	if len(db.local) != 0 || len(db.official) != 0 {
		t.Fatal("wrote while the database refused")
	}

	db.setFail(nil)
	if err := b.PutResult(Result{Target: TargetAPI, Time: time.Unix(100, 0), Message: "ok"}); err != nil {
		t.Fatal(err)
	}
	if got := db.local["l1"].Version; got != 3 {
		t.Errorf("stored local incident version %d, want the newest, 3", got)
	}
	if len(db.official) != 1 || db.official[0].ID != "461yvfrzpwtt" {
		t.Errorf("official incidents not written on recovery: %+v", db.official)
	}
	// A database without incident buckets is no error.
	plain := NewBufferedRecorder(&memRecorder{}, 10)
	if err := plain.PutLocalIncident(LocalIncident{ID: "x"}); err != nil {
		t.Errorf("plain recorder: %v", err)
	}
}
