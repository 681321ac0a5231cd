//go:build !race

package store

import "testing"

const raceEnabled = false

// fixtureSteps: two days of probes (23,040 commits); see race_on_test.go.
const fixtureSteps = 2 * 2880

// singleGoroutine: see race_on_test.go. Without the race detector, the
// test runs.
func singleGoroutine(*testing.T) {}
