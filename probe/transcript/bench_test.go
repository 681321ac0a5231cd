package transcript

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// BenchmarkParse measures Parse over realistic transcript lines (see
// genTranscript); the floor is 200 MB/s.
func BenchmarkParse(b *testing.B) {
	lines := genTranscript(32<<20, 1, time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC))
	var size int64
	bs := make([][]byte, len(lines))
	for i, l := range lines {
		bs[i] = []byte(l)
		size += int64(len(l) + 1)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, l := range bs {
			if _, ok := Parse(l); !ok {
				b.Fatal("unreadable generated line")
			}
		}
	}
}

// BenchmarkBacklog reads a backlog of transcripts from disk, as the first
// start on a machine with history does: listing, reading, parsing,
// deduplicating and the usage ledger. DOWNFORAI_BACKLOG_MB sets its size
// (default 64; the case is 1024). It reports the peak heap seen
// while reading, which stays flat however large the backlog.
func BenchmarkBacklog(b *testing.B) {
	mb := 64
	if s := os.Getenv("DOWNFORAI_BACKLOG_MB"); s != "" {
		mb, _ = strconv.Atoi(s)
	}
	dir := filepath.Join(b.TempDir(), "projects")
	now := time.Now()
	var size int64
	const perFile = 16 << 20
	for i := 0; int64(i)*perFile < int64(mb)<<20; i++ {
		proj := filepath.Join(dir, fmt.Sprintf("-home-dev-p%d", i%8))
		if err := os.MkdirAll(proj, 0o700); err != nil {
			b.Fatal(err)
		}
		lines := genTranscript(perFile, uint64(i), now.Add(-6*24*time.Hour+time.Duration(i)*time.Hour))
		data := []byte(strings.Join(lines, "\n") + "\n")
		size += int64(len(data))
		if err := os.WriteFile(filepath.Join(proj, fmt.Sprintf("s%04d.jsonl", i)), data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		runtime.GC()
		stop := make(chan struct{})
		done := make(chan uint64)
		go func() {
			var m runtime.MemStats
			var p uint64
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				runtime.ReadMemStats(&m)
				p = max(p, m.HeapInuse)
				select {
				case <-stop:
					done <- p
					return
				case <-t.C:
				}
			}
		}()
		f := New(Options{Dir: dir})
		f.Poll(context.Background(), discard{})
		close(stop)
		peak = max(peak, <-done)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

type discard struct{}

func (discard) Calls([]probe.Result, bool)   {}
func (discard) Report(*probe.SessionsReport) {}
