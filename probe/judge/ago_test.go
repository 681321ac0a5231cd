package judge

import (
	"testing"
	"time"
)

// ago says seconds under a minute, truncated (a length still growing never
// reads more than has passed), then probe.Words.
func TestAgo(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "just now"},
		{0, "0 s ago"},
		{999 * time.Millisecond, "0 s ago"},
		{40*time.Second + 900*time.Millisecond, "40 s ago"},
		{59*time.Second + 999*time.Millisecond, "59 s ago"},
		{time.Minute, "1 min ago"},
		{6*time.Minute + 20*time.Second, "6 min ago"},
		{3*time.Hour + 5*time.Minute, "3 h 5 min ago"},
		{50 * time.Hour, "2 d 2 h ago"},
	} {
		if got := ago(tt.d); got != tt.want {
			t.Errorf("ago(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
