package ui

import (
	"testing"
	"time"

	"downforai/probe"
)

// TestRingKeepsTheNewestInOrder: whatever the number of pushes, items is
// the newest min(n, ringSize) results, oldest first, and the buffer holds
// no more than it needs: a few slots for a short history (the first
// frame over one recorded round allocated 2*ringSize results per target),
// never more than 2*ringSize.
func TestRingKeepsTheNewestInOrder(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 15, ringSize - 1, ringSize, ringSize + 1, 2*ringSize - 1, 2 * ringSize, 2*ringSize + 1, 5*ringSize + 3} {
		var r ring
		for i := range n {
			r.push(probe.Result{Time: time.Unix(int64(i), 0)})
		}
		got := r.items()
		if want := min(n, ringSize); len(got) != want {
			t.Fatalf("%d pushes: %d items, want %d", n, len(got), want)
		}
		for i, res := range got {
			if want := int64(n - len(got) + i); res.Time.Unix() != want {
				t.Fatalf("%d pushes: item %d is result %d, want %d", n, i, res.Time.Unix(), want)
			}
		}
		if c := cap(r.buf); c > 2*ringSize || c > max(2*n, 8) {
			t.Errorf("%d pushes: buffer of %d results", n, c)
		}
	}
}
