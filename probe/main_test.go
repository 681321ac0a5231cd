package probe

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind: probes
// run under the engine all day, so a leaked dial, exec wait or timer per
// round would add up.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
