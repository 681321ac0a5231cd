package store

import (
	"errors"
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
