package store

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrDamaged means the database file is a bbolt file whose pages do not
// hold together: cut short, overwritten, or its free list broken. Nothing
// was written to it; db salvage copies out what can still be read.
var ErrDamaged = errors.New("database is damaged")

// errLockTimeout is lockShared giving up.
var errLockTimeout = errors.New("timeout waiting for the file lock")

// damagedError names the file, says what is wrong and what to do.
func damagedError(path, why string) error {
	return &openError{
		msg: fmt.Sprintf("database %s is damaged (%s); it was not written. "+
			"Copy out what can still be read with `downforai db salvage --db %s --to NEW.db`, then move %s aside",
			path, why, shellArg(path), path),
		errs: []error{ErrDamaged},
	}
}

// shellArg is s as one argument of a shell command the user copies:
// as it is when it holds nothing a shell reads, else in single quotes.
func shellArg(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./~:@%+=,-", r)) {
			safe = false
			break
		}
	}
	if safe && !strings.HasPrefix(s, "~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// judgePath judges the file at path before bbolt opens it for writing,
// through a read-only descriptor under a shared lock (so never while
// another downforai writes it). A missing or empty file has nothing to
// judge. It returns ErrLocked when the lock does not come within timeout
// and ErrDamaged when the file does not hold together.
//
// With head, only what bbolt reads as it opens the file is judged (see
// judgeHead), and later reports whether the rest is still to be judged —
// unless bbolt would write as it opens it (a file without a free list,
// whose list it writes), which is then judged whole now.
func judgePath(path string, timeout time.Duration, head bool) (later bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return false, nil
		}
		return false, openErr(path, err)
	}
	defer f.Close()
	if err := lockShared(f, timeout); err != nil {
		if errors.Is(err, errLockTimeout) {
			return false, openErr(path, berrors.ErrTimeout)
		}
		return false, openErr(path, err)
	}
	if head {
		fi, err := f.Stat()
		if err != nil {
			return false, openErr(path, err)
		}
		if fi.Size() == 0 {
			return false, nil
		}
		j, ok := judgeHead(f, fi.Size(), true)
		if !ok {
			return false, damagedError(path, j.problem)
		}
		if j.meta.freelist != noFreelist {
			return true, nil
		}
	}
	return false, judgeOpen(path, f, nil)
}

// errNotJudged is a write refused because the store closed before the
// judgement of its file was over.
var errNotJudged = errors.New("the database closed before its file was checked: nothing was written")

// judgeOpen judges the open file f (whose lock, if any, the caller holds),
// whole; a walk stopped by quit is errNotJudged.
func judgeOpen(path string, f *os.File, quit <-chan struct{}) error {
	fi, err := f.Stat()
	if err != nil {
		return openErr(path, err)
	}
	if fi.Size() == 0 {
		return nil
	}
	j := judgeUntil(newBlockReader(f, fi.Size()), fi.Size(), quit)
	switch {
	case j.problem != "":
		return damagedError(path, j.problem)
	case j.cancelled:
		return errNotJudged
	}
	return nil
}

// judgeLater keeps f, the file Open opened on the strength of its head
// (Options.JudgeInBackground), to judge it whole in the background once
// that is asked for: StartJudging, the first write, Judged.
func (s *Store) judgeLater(f *os.File) {
	s.judged = make(chan struct{})
	s.judgeFile = f
}

// StartJudging starts the background judgement of the whole file, if Open
// left one to do and it has not started. Our bbolt holds the file's lock,
// and nothing of ours writes until the judgement is in (update waits for
// it), so the file holds still meanwhile. Damage stops the store writing
// for good, as damage found later does. The dashboard starts it once its
// first frame is out; a write or Judged starts it if nothing did.
func (s *Store) StartJudging() {
	if s.judged == nil {
		return
	}
	s.judgeOnce.Do(func() {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer close(s.judged)
			defer s.judgeFile.Close()
			if judgeLaterHook != nil {
				judgeLaterHook()
			}
			err := judgeOpen(s.path, s.judgeFile, s.quit)
			if errors.Is(err, ErrDamaged) {
				s.damaged.Store(&err)
				return
			}
			s.judgeErr = err
		}()
	})
}

// neverJudged ends a judgement that Close comes before: none starts after.
func (s *Store) neverJudged() {
	if s.judged == nil {
		return
	}
	s.judgeOnce.Do(func() {
		s.judgeFile.Close()
		s.judgeErr = errNotJudged
		close(s.judged)
	})
}

// judgeLaterHook, when a test sets it, runs in the background judgement
// before it reads the file.
var judgeLaterHook func()

// Judged waits until the whole file has been judged and returns what a
// write would: nil when the file is sound, the damage (ErrDamaged) when it
// is not. With Options.JudgeInBackground it starts the background
// judgement if need be and waits for it (reading the file does not);
// otherwise Open judged the file before it returned.
func (s *Store) Judged() error {
	if s.judged != nil {
		s.StartJudging()
		<-s.judged
		if s.judgeErr != nil {
			return s.judgeErr
		}
	}
	return s.damagedErr()
}

// guard runs fn, which uses bbolt, turning what bbolt does with pages it
// cannot make sense of — a panic, or a memory fault on a page past the end
// of the map — into an error. The file is then judged: if it is damaged
// the store stops writing to it for good (ErrDamaged); if it is sound the
// panic was downforai's own and is reported as such.
//
// writing says whether the caller holds s.wmu (every write does, through
// writeTx, or runs before the store is shared); a reader takes it while
// judging, so that no commit of this process is half on disk meanwhile.
func (s *Store) guard(op string, writing bool, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if v := recover(); v != nil {
			err = s.afterPanic(op, writing, v)
		}
	}()
	return fn()
}

// afterPanic judges the file once bbolt (or code inside a transaction)
// panicked during op.
func (s *Store) afterPanic(op string, writing bool, v any) error {
	if err := s.damagedErr(); err != nil {
		return err
	}
	if !writing {
		// A writer stuck for good must not hang the reader: judge anyway
		// after a while.
		held := false
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if held = s.wmu.TryLock(); held {
				break
			}
		}
		if held {
			defer s.wmu.Unlock()
		}
	}
	f, ferr := os.Open(s.path)
	if ferr == nil {
		// Our own process holds bbolt's lock, so no other process writes
		// and reading needs no lock of ours.
		jerr := judgeOpen(s.path, f, nil)
		f.Close()
		if errors.Is(jerr, ErrDamaged) {
			s.damaged.Store(&jerr)
			return jerr
		}
	}
	return fmt.Errorf("%s %s: internal error (the file checked sound): %v\n%s", op, s.path, v, debug.Stack())
}

// damagedErr is the error that stopped the store writing, nil while it
// writes.
func (s *Store) damagedErr() error {
	if p := s.damaged.Load(); p != nil {
		return *p
	}
	return nil
}

// view is db.View under guard; a record that does not decode makes the
// store damaged (undecodable).
func (s *Store) view(op string, fn func(*bolt.Tx) error) error {
	return s.undecodable(s.guard(op, false, func() error { return s.db.View(fn) }))
}

// update is db.Update under guard; it waits for the file to be judged
// whole and refuses once it was found damaged, so a damaged file is never
// written.
func (s *Store) update(op string, fn func(*bolt.Tx) error) error {
	if s.readOnly {
		return s.readOnlyError()
	}
	if err := s.Judged(); err != nil {
		return err
	}
	return s.undecodable(s.guard(op, true, func() error { return s.db.Update(fn) }))
}
