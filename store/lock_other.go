//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package store

import (
	"os"
	"time"
)

// lockShared is a no-op where flock is missing: bbolt's own lock still
// keeps two writers apart; only the judging read goes unlocked.
func lockShared(*os.File, time.Duration) error { return nil }
