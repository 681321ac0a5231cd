//go:build !race

package ui

import "testing"

// singleGoroutine: see race_on_test.go. Without the race detector, the
// test runs.
func singleGoroutine(*testing.T) {}
