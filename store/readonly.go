package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// ErrReadOnly is a write to a database opened read-only (Options.ReadOnly):
// nothing was written.
var ErrReadOnly = errors.New("database is opened read-only")

// Unwritable reports whether an error from Open says the file cannot be
// opened for writing — its permissions, a read-only file system — while it
// may still be read: a command that reads can then open it read-only
// (OpenForReading).
func Unwritable(err error) bool {
	return err != nil && (errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)) &&
		!errors.Is(err, ErrLocked) && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrNotDatabase)
}

// OpenForReading opens the database for a command that writes when it can
// and reads all the same when it cannot: Open, and when the file cannot be
// opened for writing (Unwritable) but exists, Open read-only. unwritable
// is then why it could not be written (nil when st is writable); err is
// Open's error when the file cannot be read either.
func OpenForReading(path string, opts Options) (st *Store, unwritable, err error) {
	st, err = Open(path, opts)
	if err == nil || !Unwritable(err) {
		return st, nil, err
	}
	if _, serr := os.Stat(path); serr != nil {
		return nil, nil, err
	}
	ro := opts
	ro.ReadOnly = true
	st, rerr := Open(path, ro)
	if rerr != nil {
		return nil, nil, err
	}
	why := "permission denied"
	if errors.Is(err, syscall.EROFS) {
		why = "a read-only file system"
	}
	return st, &openError{msg: fmt.Sprintf("database %s cannot be written (%s): it was read, not written", path, why), errs: []error{ErrReadOnly, err}}, nil
}

// OpenToRead opens the database for a command that only reads: read-only,
// so that it writes nothing, not even what bbolt may write as it opens a
// file; a file a first writable open has yet to initialise (an empty
// file, one of an older downforai) is opened as Open does.
func OpenToRead(path string, opts Options) (*Store, error) {
	ro := opts
	ro.ReadOnly = true
	st, err := Open(path, ro)
	if errors.Is(err, ErrNotInitialised) {
		return Open(path, opts)
	}
	return st, err
}

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// readOnlyError is a refused write, in words.
func (s *Store) readOnlyError() error {
	return &openError{
		msg:  fmt.Sprintf("database %s is opened read-only (it could not be opened for writing): nothing was written", s.path),
		errs: []error{ErrReadOnly},
	}
}

// ErrNotInitialised is a file opened read-only that lacks what a first
// writable open writes.
var ErrNotInitialised = errors.New("database is not initialised")

func notInitialised(path, what string) error {
	return &openError{
		msg:  fmt.Sprintf("database %s was opened read-only, and %s: open it once where it can be written (downforai check does)", path, what),
		errs: []error{ErrNotInitialised},
	}
}

// FreePagesOnDisk counts the pages the file's free list holds, as the
// last commit wrote it. bbolt does not load the free list of a file it
// opens read-only, so its own count reads 0 there; db stats asks this
// instead.
func (s *Store) FreePagesOnDisk() (int, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	m, _, ok := metas(f, fi.Size())
	if !ok {
		return 0, errors.New("no readable meta page")
	}
	if m.freelist == noFreelist {
		return 0, errors.New("the file keeps no free list")
	}
	free, _, err := readFreelist(&pager{r: f, size: fi.Size(), psz: int(m.pageSize), hwm: m.hwm}, m.freelist)
	if err != nil {
		return 0, fmt.Errorf("free list: %w", err)
	}
	return len(free), nil
}
