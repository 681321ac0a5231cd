package ui

import (
	"testing"
	"time"
)

// TestAgo: a time in the past is "… ago", one still to come "in …" (a
// scheduled maintenance must never read as started), the zero time
// "never".
func TestAgo(t *testing.T) {
	now := time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{time.Time{}, "never"},
		{now, "<1m ago"},
		{now.Add(-59 * time.Second), "<1m ago"},
		{now.Add(-3 * time.Minute), "3m ago"},
		{now.Add(-5 * time.Hour), "5h ago"},
		{now.Add(-72 * time.Hour), "3d ago"},
		{now.Add(30 * time.Second), "in <1m"},
		{now.Add(24 * time.Hour), "in 24h"},
		{now.Add(72 * time.Hour), "in 3d"},
	} {
		if got := ago(now, tt.at); got != tt.want {
			t.Errorf("ago(%v) = %q, want %q", tt.at.Sub(now), got, tt.want)
		}
	}
}
