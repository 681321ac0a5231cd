//go:build race

package store

import "testing"

// raceEnabled: the race detector slows bbolt commits about fifteenfold, so
// the long-run test simulates fewer days under it.
const raceEnabled = true

// fixtureSteps is damagedFixture's size: half a day of probes (5,760
// commits, still dozens of leaf pages per target) for the tests that run
// under the race detector; the two days run without it.
const fixtureSteps = 1440

// singleGoroutine skips a test under the race detector: one goroutine
// doing heavy arithmetic over a large history has no race to find, and
// costs half a minute there. .ci/run runs these tests without the race
// detector (see its "long runs" step), so what they prove is still
// proven in CI.
func singleGoroutine(t *testing.T) {
	t.Helper()
	t.Skip("single goroutine over a large history: .ci/run runs it without the race detector")
}
