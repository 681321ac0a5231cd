package store

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BenchmarkSummaryAllWindows is what the History tab asks on each
// refresh: every window (1h … 90d) of every target, over the month of
// history at 30 s for four targets, ending mid-hour. Budget: 5 ms.
func BenchmarkSummaryAllWindows(b *testing.B) {
	s := month(b)
	now := base.Add(30*day - 17*time.Minute - 3*time.Second)
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range benchTargets {
			for _, w := range windows {
				if _, err := s.Summary(t, now.Add(-w), now); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

// BenchmarkSeries is the uptime strips: 90 days and 48 hours of every
// target.
func BenchmarkSeries(b *testing.B) {
	s := month(b)
	now := base.Add(30 * day)
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range benchTargets {
			if _, err := s.Series(t, now.Add(-90*day), now, day); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Series(t, now.Add(-48*time.Hour), now, time.Hour); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRollupBytes reports the bytes in use by the rollups of the
// month, per result stored, next to BenchmarkBytesPerResult's figure.
func BenchmarkRollupBytes(b *testing.B) {
	s := month(b)
	var inuse, n int
	b.ReportAllocs()
	for b.Loop() {
		inuse, n = 0, 0
		err := s.db.View(func(tx *bolt.Tx) error {
			st := tx.Bucket(bucketRollups).Stats()
			inuse = st.LeafInuse + st.BranchInuse
			n = st.KeyN
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(inuse)/float64(4*30*2880), "rollup-bytes/result")
	b.ReportMetric(float64(inuse)/float64(n), "bytes/rollup")
}

func BenchmarkRebuildRollups(b *testing.B) {
	s := month(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.RebuildRollups(nil); err != nil {
			b.Fatal(err)
		}
	}
}
