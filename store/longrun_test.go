package store

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"downforai/probe"
)

// longRunDays is how long TestLongRun simulates with -longrun, which
// .ci/run passes (without the race detector: 30 days take about a minute
// there). Without it the test runs 4 days with a 1-day retention (rows
// held flat from day 2), and under the race detector, about fifteen times
// slower per commit, 3 quarter days with a 6 h retention (flat from the
// second, compared with the third):
// enough simulated traffic for the detector to see engine and store
// interleave, while flatness over a month is the -longrun run's to prove.
const longRunDays = 30

var longRun = flag.Bool("longrun", false, "TestLongRun simulates the full 30 days")

// longRunRetention is the raw-result retention the test applies once a
// simulated day. Issue 5 adds retention to the program itself; until then
// the test calls Prune directly, as that retention will.
const longRunRetention = 7 * 24 * time.Hour

// longRunHeapSlack is how far the live heap may move from the base day:
// GC timing, pools and bbolt's freelist, measured at ±20 KiB.
const longRunHeapSlack = 128 << 10

// TestLongRun runs the real engine and a real store for 30 simulated days
// (testing/synctest's fake clock): four targets every 30 s and the status
// page every 60 s, a subscriber draining events like the dashboard does,
// and retention once a day. It then compares day 8 (2 without -longrun or
// under -race; retention has begun to bite) with the last day: the
// goroutine count must not move, the live heap after a GC must stay within
// a generous bound, and the database
// file must stop growing once retention applies. Fsync is off here so that
// 400,000 commits take seconds; TestStoreSyncsEveryCommit asserts the
// product keeps it on.
func TestLongRun(t *testing.T) {
	days, retention, baseDay, step := longRunDays, longRunRetention, 8, 24*time.Hour
	switch {
	case raceEnabled:
		// Quarter days: 18 simulated hours, retention 6 h, held flat from
		// the second quarter, compared with the third.
		days, retention, baseDay, step = 3, 6*time.Hour, 2, 6*time.Hour
	case testing.Short() || !*longRun:
		days, retention, baseDay = 4, 24*time.Hour, 2
	}
	keptProbes := int(retention / (30 * time.Second)) // of one 30 s target
	path := t.TempDir() + "/history.db"
	synctest.Test(t, func(t *testing.T) {
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.db.NoSync = true

		checks := longRunChecks()
		e := probe.NewEngine(checks, probe.NewBufferedRecorder(s, 0))
		events, unsubscribe := e.Subscribe(256)
		var seen int
		var wg sync.WaitGroup
		wg.Go(func() {
			var last probe.Event // what the dashboard would hold
			for ev := range events {
				last = ev
				seen++
				if last.StoreErr != "" {
					t.Errorf("store error at %v: %s", ev.Result.Time, ev.StoreErr)
				}
			}
		})
		ctx, cancel := context.WithCancel(context.Background())
		wg.Go(func() { e.Run(ctx) })

		type sample struct {
			goroutines int
			heap       uint64
			fileSize   int64
			results    int
		}
		measure := func() sample {
			synctest.Wait() // every probe of this instant is recorded
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			counts, err := s.Counts()
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, c := range counts {
				n += c
			}
			return sample{runtime.NumGoroutine(), ms.HeapAlloc, fi.Size(), n}
		}

		start := time.Now()
		var base sample
		for day := 1; day <= days; day++ {
			time.Sleep(step) // a simulated day (a quarter under -race)
			if _, err := s.Prune(time.Now().Add(-retention), 0); err != nil {
				t.Fatalf("day %d: prune: %v", day, err)
			}
			got := measure()
			if day == baseDay {
				base = got
			}
			if day > baseDay {
				if got.goroutines != base.goroutines {
					t.Errorf("day %d: %d goroutines, %d on day %d", day, got.goroutines, base.goroutines, baseDay)
				}
				// The live heap after a GC stays within ±20 KiB of the
				// base day (about 440 KiB) for 30 days. Keeping one string
				// per probe (a 16-byte header, 13,000 probes a day) adds
				// 200 KiB a day, more with its bytes: over the two days
				// compared under -race and -short it passes this bound.
				if got.heap > base.heap+longRunHeapSlack {
					t.Errorf("day %d: heap %d KiB, %d KiB on day %d: %d bytes kept per probe since", day, got.heap>>10, base.heap>>10, baseDay,
						int(got.heap-base.heap)/max(1, (day-baseDay)*(4*2880+1440)))
				}
				if got.fileSize > base.fileSize+base.fileSize/10 {
					t.Errorf("day %d: database %d KiB, %d KiB on day %d: it grows although retention holds the rows flat", day, got.fileSize>>10, base.fileSize>>10, baseDay)
				}
			}
			if testing.Verbose() {
				t.Logf("day %2d: %d goroutines, heap %5d KiB, file %6d KiB, %d results kept", day, got.goroutines, got.heap>>10, got.fileSize>>10, got.results)
			}
		}
		cancel()
		unsubscribe()
		wg.Wait()

		// Every probe ran on schedule: about 2880 a day for each 30 s target.
		perDay := float64(seen) / time.Since(start).Hours() * 24
		if want := 4*2880 + 1440; perDay < float64(want)*0.9 || perDay > float64(want)*1.01 {
			t.Errorf("%.0f probes a simulated day, want about %d", perDay, want)
		}
		counts, _ := s.Counts()
		if n := counts[probe.TargetAPI]; n < keptProbes*9/10 || n > keptProbes+2880 {
			t.Errorf("%d API results kept, want about %v worth (%d)", n, retention, keptProbes)
		}
	})
}

// longRunChecks are the dashboard's schedule with fake probes: results
// with realistic phases and some failures, and a status snapshot that
// changes every few hours.
func longRunChecks() []probe.Check {
	var n atomic.Int64
	result := func(t probe.Target, i int) probe.Result {
		r := probe.Result{Target: t, Time: time.Now(), Class: probe.ClassOK, HTTPStatus: 200,
			Phases:  probe.Phases{DNS: 2 * time.Millisecond, Connect: 20 * time.Millisecond, TLS: 30 * time.Millisecond, FirstByte: time.Duration(100+i%200) * time.Millisecond},
			Message: "reachable (200 OK)", RequestID: fmt.Sprintf("req_%016d", i)}
		r.Phases.Total = r.Phases.FirstByte + 60*time.Millisecond
		if i%97 == 0 {
			r.Class, r.HTTPStatus, r.ErrorType, r.Message = probe.ClassOverloaded, 529, "overloaded_error", "529 overloaded_error: Overloaded"
		}
		return r
	}
	var checks []probe.Check
	for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI, probe.TargetCode} {
		checks = append(checks, probe.Check{Target: tg, Interval: 30 * time.Second, Run: func(context.Context) probe.Event {
			return probe.Event{Result: result(tg, int(n.Add(1)))}
		}})
	}
	checks = append(checks, probe.Check{Target: probe.TargetStatus, Interval: time.Minute, Run: func(context.Context) probe.Event {
		now := time.Now()
		st := probe.Status{Fetched: now, Indicator: "none", Description: "All Systems Operational",
			Components: []probe.Component{{ID: "k8w3r06qmzrp", Name: "Claude API", Status: "operational"}}}
		if now.Hour()%6 == 0 {
			st.Indicator, st.Description = "minor", "Minor Service Outage"
		}
		return probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: now, Class: probe.ClassOK, HTTPStatus: 200, Detail: st.Indicator}, Status: &st}
	}})
	return checks
}
