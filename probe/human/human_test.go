package human

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dustin/go-humanize"
)

// The words on screen do not change with the package: every size and
// count is written as go-humanize wrote it.
func TestSameAsHumanize(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	sizes := []uint64{0, 1, 9, 10, 1023, 1024, 1025, 10239, 10240, 1 << 20, 16777216, 46*1024*1024 + 512, math.MaxUint64}
	for range 2000 {
		sizes = append(sizes, rng.Uint64()>>rng.IntN(64))
	}
	for _, s := range sizes {
		if got, want := IBytes(s), humanize.IBytes(s); got != want {
			t.Errorf("IBytes(%d) = %q, humanize says %q", s, got, want)
		}
	}
	counts := []int64{0, 1, -1, 999, 1000, -1000, 1001, 123456, 1000000, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	for range 2000 {
		counts = append(counts, rng.Int64()>>rng.IntN(64)*int64(1-2*rng.IntN(2)))
	}
	for _, v := range counts {
		if got, want := Comma(v), humanize.Comma(v); got != want {
			t.Errorf("Comma(%d) = %q, humanize says %q", v, got, want)
		}
	}
}
