//go:build !unix

package terminal

import (
	"image/color"
	"os"
	"time"
)

// queryBackground does not ask where there is no termios: the environment
// decides.
func queryBackground(_, _ *os.File, _ string, _ time.Duration) (color.Color, bool) { return nil, false }

// sendQuery asks nothing where there is no termios.
func sendQuery(_, _ *os.File, _ string) func(time.Time) (color.Color, bool) { return nil }
