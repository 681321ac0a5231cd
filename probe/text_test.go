package probe

import (
	"testing"
	"time"
)

func TestWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Second:                 "under a minute",
		90 * time.Second:                 "2 min",
		7 * time.Minute:                  "7 min",
		time.Hour:                        "1 h",
		65 * time.Minute:                 "1 h 5 min",
		26 * time.Hour:                   "1 d 2 h",
		48 * time.Hour:                   "2 d",
		-5 * time.Minute:                 "under a minute",
		time.Hour - 20*time.Second:       "1 h",
		24*time.Hour + 29*time.Second:    "1 d",
		3*time.Minute + 29*time.Second:   "3 min",
		3*time.Minute + 30*time.Second:   "4 min",
		59*time.Minute + 29*time.Second:  "59 min",
		119*time.Minute + 31*time.Second: "2 h",
	} {
		if got := Words(d); got != want {
			t.Errorf("Words(%v) = %q, want %q", d, got, want)
		}
	}
}
