//go:build !race

package store

import "testing"

const raceEnabled = false

// singleGoroutine: see race_on_test.go. Without the race detector, the
// test runs.
func singleGoroutine(*testing.T) {}
