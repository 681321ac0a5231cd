//go:build race

package ui

import "testing"

// singleGoroutine skips a test under the race detector: a loop of direct
// Update and View calls on one goroutine (every state, tab and size) has
// no race to find and costs tens of seconds there. .ci/run runs these
// tests without the race detector (its "long runs" step), so what they
// prove is still proven in CI.
func singleGoroutine(t *testing.T) {
	t.Helper()
	t.Skip("direct Update/View calls on one goroutine: .ci/run runs it without the race detector")
}
