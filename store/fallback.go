package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"downforai/probe"
)

// Retryable reports whether an error from Open may go away without anyone
// touching the file: a read-only or full file system, a directory someone
// may yet make writable. The dashboard then keeps its history in memory and
// tries again (probe.NewLazyRecorder). It is false for what needs a
// person — another downforai holds the lock, the file is not a database
// (it is never overwritten), it is damaged, or it comes from a newer downforai — and for
// nil.
func Retryable(err error) bool {
	return err != nil && !errors.Is(err, ErrLocked) && !errors.Is(err, ErrNotDatabase) && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrSchemaTooNew)
}

// lateLockTimeout bounds each later try to open the database: a try runs
// on the engine's write path, which must not wait a second per result.
const lateLockTimeout = 100 * time.Millisecond

// Recorder is the database as the engine's owner opens it: behind a
// probe.BufferedRecorder, so that writes failing later (a full disk) keep
// history in memory and retry.
type Recorder struct {
	// Rec is where the engine writes.
	Rec *probe.BufferedRecorder
	// History is the open store, nil when the run started on memory.
	History probe.History
	// Close flushes and closes; safe to call more than once, from more
	// than one goroutine (a forced exit may close while the shutdown does).
	Close func() error

	late *lateOpen
}

// OpenRecorder opens the database at path for an engine. A file it may
// not write is opened read-only: its history is shown, and every write
// fails saying why (ErrReadOnly). A database that
// cannot be opened now for a reason that may pass (a read-only or full
// file system) is not fatal: the run starts on memory alone, warns on
// warn, and keeps trying; so is a damaged file, which is never written:
// the run stays on memory until the file is replaced (moved aside, or a
// salvaged copy put in its place). One that needs a person otherwise
// (locked, not a database, too new) is the error. A store opened later
// starts retention at retention and is handed to WhenOpen.
func OpenRecorder(path string, retention time.Duration, warn io.Writer) (*Recorder, error) {
	// The first frame reads what it shows while the rest of the file is
	// judged (JudgeInBackground); the first write waits for that.
	st, unwritable, err := OpenForReading(path, Options{JudgeInBackground: true})
	switch {
	case err == nil && unwritable != nil:
		// A file it may not write (D11): the screen shows what it holds,
		// the run's results stay in memory, every write says why. No
		// retry: our own read lock would keep a writable open out.
		fmt.Fprintf(warn, "downforai: warning: %v; showing what it holds, keeping this run's results in memory (restart downforai once it can be written)\n", unwritable)
		refused := lasting{unwritable}
		rec := probe.NewLazyRecorder(func() (probe.Recorder, error) { return nil, refused }, 0)
		return &Recorder{Rec: rec, History: st, Close: onceErr(func() error { return errors.Join(rec.Close(), st.Close()) })}, nil
	case err == nil:
		return judgedRecorder(path, st, retention), nil
	case errors.Is(err, ErrDamaged):
		fmt.Fprintf(warn, "downforai: warning: %v\ndownforai: keeping history in memory until %s is replaced\n", err, path)
	case !Retryable(err):
		return nil, err
	default:
		fmt.Fprintf(warn, "downforai: warning: %v: keeping history in memory and retrying\n", err)
	}
	late := &lateOpen{}
	rec := probe.NewLazyRecorder(reopen(path, newDamagedMemo(path, err), retention, late), 0)
	return &Recorder{Rec: rec, Close: onceErr(rec.Close), late: late}, nil
}

// judgedRecorder writes to st once its file is judged sound. A file the
// background judgement finds damaged is never written: the run goes on as
// on a file found damaged at the start — in memory, the ⚠ banner saying
// why (the writes' errors) — and opens the file once it is replaced; the
// screen goes on reading st.
func judgedRecorder(path string, st *Store, retention time.Duration) *Recorder {
	first, next := st, func() (probe.Recorder, error) { return nil, nil }
	rec := probe.NewLazyRecorder(func() (probe.Recorder, error) {
		if first == nil {
			return next()
		}
		err := first.Judged()
		if err == nil {
			return first, nil
		}
		first, next = nil, reopen(path, newDamagedMemo(path, err), retention, &lateOpen{})
		return nil, err
	}, 0)
	return &Recorder{Rec: rec, History: st, Close: onceErr(func() error { return errors.Join(rec.Close(), st.Close()) })}
}

// reopen is what a recorder without its database tries on each write:
// opening the file again, unless it is the same damaged file as before.
func reopen(path string, damaged *damagedMemo, retention time.Duration, late *lateOpen) func() (probe.Recorder, error) {
	return func() (probe.Recorder, error) {
		if err := damaged.still(); err != nil {
			return nil, err // the same damaged file: not judged again
		}
		st, err := Open(path, Options{LockTimeout: lateLockTimeout})
		if err != nil {
			damaged.note(err)
			return nil, err
		}
		// Opened late: retention must run on it all the same, or a serve
		// that started on a full disk would grow the file without bound.
		// (The screen's history stays memory-only until the next start.)
		st.StartRetention(Retention{Results: retention}, nil)
		late.opened(st)
		return st, nil
	}
}

// WhenOpen runs fn with the store once a run that started on memory opens
// it (at once if it has); never when the store was open from the start.
func (r *Recorder) WhenOpen(fn func(*Store)) {
	if r.late != nil {
		r.late.then(fn)
	}
}

// lateOpen hands a store that opened after the start to whoever waits for
// it (the attach socket), whichever comes first.
type lateOpen struct {
	mu sync.Mutex
	st *Store
	fn func(*Store)
}

func (l *lateOpen) opened(st *Store) {
	l.mu.Lock()
	l.st = st
	fn := l.fn
	l.mu.Unlock()
	if fn != nil {
		fn(st)
	}
}

// then runs fn with the store once it is open (at once if it is).
func (l *lateOpen) then(fn func(*Store)) {
	l.mu.Lock()
	st := l.st
	l.fn = fn
	l.mu.Unlock()
	if st != nil {
		fn(st)
	}
}

// damagedMemo remembers that the file at path was judged damaged, and
// which file that was, so that retrying to open it does not read it whole
// again until it changes.
type damagedMemo struct {
	path string
	mu   sync.Mutex
	err  error
	fi   os.FileInfo
}

func newDamagedMemo(path string, err error) *damagedMemo {
	m := &damagedMemo{path: path}
	m.note(err)
	return m
}

func (m *damagedMemo) note(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.err, m.fi = nil, nil
	if errors.Is(err, ErrDamaged) {
		if fi, serr := os.Stat(m.path); serr == nil {
			m.err, m.fi = err, fi
		}
	}
}

// still returns the damage error while the same file, unchanged, is there.
func (m *damagedMemo) still() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err == nil {
		return nil
	}
	fi, err := os.Stat(m.path)
	if err != nil || !os.SameFile(fi, m.fi) || fi.Size() != m.fi.Size() || !fi.ModTime().Equal(m.fi.ModTime()) {
		m.err, m.fi = nil, nil
		return nil
	}
	return m.err
}

// onceErr makes fn safe to call more than once, from more than one
// goroutine.
func onceErr(fn func() error) func() error {
	var once sync.Once
	var err error
	return func() error {
		once.Do(func() { err = fn() })
		return err
	}
}

// lasting is an error no retry mends in this run (probe.Lasting).
type lasting struct{ error }

func (lasting) Lasting() bool   { return true }
func (e lasting) Unwrap() error { return e.error }
