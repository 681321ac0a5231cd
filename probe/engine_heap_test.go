package probe

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// discardRecorder stores nothing: what the heap holds afterwards is the
// engine's (and its buffer's) alone.
type discardRecorder struct{}

func (discardRecorder) PutResult(Result) error         { return nil }
func (discardRecorder) PutStatus(Status) (bool, error) { return true, nil }

// engineHeapSlack is how far the engine's live heap may grow in a
// simulated day after a GC whatever the number of probes: a pool refilled
// or a map grown once (one step of 36 KiB seen under -race).
const engineHeapSlack = 64 << 10

// TestEngineHeapIsFlatPerProbe runs the real engine on the dashboard's
// schedule (four targets every 30 s, the status page every minute) for
// 6 simulated hours, then two days (testing/synctest's fake clock), and
// checks that the live heap after a GC did not grow with the probes: it
// may not grow by more than 64 KiB on both days.
// TestLongRun's bound covers the engine and the store over days, but
// under -race it compares only 6 hours, within which one leaked 16-byte
// string header per probe (3,240 probes, 50 KiB) stays inside its slack
// (issue 18: "the engine keeps one string per probe forever" passed under
// -race); here each day's 12,960 probes would hold 130 KiB or more, under
// -race or not.
func TestEngineHeapIsFlatPerProbe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int64
		var checks []Check
		for _, tg := range []Target{TargetAPI, TargetAPIKey, TargetClaudeAI, TargetCode} {
			checks = append(checks, Check{Target: tg, Interval: 30 * time.Second, Run: func(context.Context) Event {
				i := n.Add(1)
				r := Result{Target: tg, Time: time.Now(), Class: ClassOK, HTTPStatus: 200,
					Message: "reachable (200 OK)", RequestID: fmt.Sprintf("req_%016d", i)}
				if i%97 == 0 {
					r.Class, r.HTTPStatus, r.ErrorType, r.Message = ClassOverloaded, 529, "overloaded_error", "529 overloaded_error: Overloaded"
				}
				return Event{Result: r}
			}})
		}
		checks = append(checks, Check{Target: TargetStatus, Interval: time.Minute, Run: func(context.Context) Event {
			now := time.Now()
			st := Status{Fetched: now, Indicator: "none", Description: "All Systems Operational",
				Components: []Component{{ID: "k8w3r06qmzrp", Name: "Claude API", Status: "operational"}}}
			return Event{Result: Result{Target: TargetStatus, Time: now, Class: ClassOK, HTTPStatus: 200, Detail: st.Indicator}, Status: &st}
		}})

		e := NewEngine(checks, NewBufferedRecorder(discardRecorder{}, 0))
		events, unsubscribe := e.Subscribe(256)
		var wg sync.WaitGroup
		var seen atomic.Int64
		wg.Go(func() {
			var last Event // what the dashboard would hold
			for ev := range events {
				last = ev
				seen.Add(1)
			}
			_ = last
		})
		ctx, cancel := context.WithCancel(context.Background())
		wg.Go(func() { e.Run(ctx) })

		heapNow := func() uint64 {
			synctest.Wait() // every probe of this instant is published
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			return ms.HeapAlloc
		}
		// The least of four readings a minute apart: what is live for a
		// moment (an event in flight, a timer's closure, about 36 KiB)
		// comes and goes; what the engine keeps is in every reading.
		heap := func() uint64 {
			least := uint64(1<<64 - 1)
			for range 4 {
				time.Sleep(time.Minute)
				least = min(least, heapNow())
			}
			return least
		}
		time.Sleep(6 * time.Hour) // warm up: buffers and maps at their size
		var heaps [3]uint64
		var probes [3]int64
		for i := range heaps {
			if i > 0 {
				time.Sleep(24 * time.Hour)
			}
			heaps[i], probes[i] = heap(), seen.Load()
		}
		cancel()
		unsubscribe()
		wg.Wait()

		if n := probes[1] - probes[0]; n < 4*2880*9/10 {
			t.Fatalf("only %d probes in 24 simulated hours", n)
		}
		t.Logf("live heap %d KiB after 6 h, %d KiB a day later, %d KiB two days later (%d probes a day)",
			heaps[0]>>10, heaps[1]>>10, heaps[2]>>10, probes[1]-probes[0])
		// A one-off step (a pool refilled, a map grown once) moves one of
		// the two days; what is kept per probe grows both.
		if d1, d2 := int64(heaps[1])-int64(heaps[0]), int64(heaps[2])-int64(heaps[1]); d1 > engineHeapSlack && d2 > engineHeapSlack {
			t.Errorf("the live heap grew %d KiB on the first day and %d KiB on the second: %d bytes kept per probe",
				d1>>10, d2>>10, (d1+d2)/(probes[2]-probes[0]))
		}
	})
}
