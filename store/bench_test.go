package store

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// benchTargets are the four targets probed without an API key.
var benchTargets = []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetClaudeAI, probe.TargetCode}

const benchStep = 30 * time.Second

func ms(rng *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo*1000+rng.IntN((hi-lo)*1000)) * time.Microsecond
}

// realistic returns what the probes record for t most of the time, with a
// failure now and then: texts as probe writes them, random phases, a
// fresh request id on every API answer.
func realistic(rng *rand.Rand, t probe.Target, when time.Time) probe.Result {
	r := probe.Result{Target: t, Time: when, Class: probe.ClassOK}
	if t != probe.TargetCode {
		dns, conn, tls := ms(rng, 1, 30), ms(rng, 8, 40), ms(rng, 15, 60)
		fb := dns + conn + tls + ms(rng, 40, 400)
		r.Phases = probe.Phases{DNS: dns, Connect: conn, TLS: tls, FirstByte: fb, Total: fb + ms(rng, 0, 30)}
	} else {
		r.Phases.Total = ms(rng, 200, 900)
	}
	switch t {
	case probe.TargetStatus:
		r.HTTPStatus, r.Detail = 304, "none"
		r.Message = "unchanged (304): All Systems Operational"
	case probe.TargetAPI:
		r.HTTPStatus = 401
		r.Message = "API answers (401 without key, as expected)"
		r.RequestID = "req_011C" + randID(rng, 20)
	case probe.TargetAPIKey:
		r.HTTPStatus = 200
		r.Message = "API key accepted (9 models listed)"
		r.RequestID = "req_011C" + randID(rng, 20)
		r.RateLimit = probe.RateLimit{RequestsLimit: 50, RequestsRemaining: 49, RequestsReset: when.Add(time.Second).Truncate(time.Second)}
	case probe.TargetClaudeAI:
		r.HTTPStatus = 403
		r.Message = "reachable (Cloudflare challenge)"
	case probe.TargetCode:
		r.Message, r.Detail = "installed, logged in", "2.0.14 (Claude Code)"
	}
	if rng.IntN(200) == 0 { // a failure now and then, with its own text
		r.Class, r.HTTPStatus, r.ErrorType, r.RequestID = probe.ClassNetwork, 0, "timeout", ""
		r.Message = fmt.Sprintf("no answer from %s within 10s", t)
	}
	return r
}

func randID(rng *rand.Rand, n int) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

// fill stores days of results every benchStep for each target, in batches.
func fill(tb testing.TB, s *Store, targets []probe.Target, days int) int {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	n := days * int(24*time.Hour/benchStep)
	batch := make([]probe.Result, 0, 10000)
	for _, t := range targets {
		for i := range n {
			batch = append(batch, realistic(rng, t, base.Add(time.Duration(i)*benchStep)))
			if len(batch) == cap(batch) {
				if err := s.PutResults(batch); err != nil {
					tb.Fatal(err)
				}
				batch = batch[:0]
			}
		}
	}
	if err := s.PutResults(batch); err != nil {
		tb.Fatal(err)
	}
	return n * len(targets)
}

// month is the 30-day, 30-second, four-target store the read benchmarks
// share; it is built once per benchmark function.
func month(b *testing.B) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "history.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	fill(b, s, benchTargets, 30)
	return s
}

// bytesPerResult is the leaf and branch bytes in use of the result
// buckets divided by the results they hold, per target and overall.
func bytesPerResult(tb testing.TB, s *Store) (map[probe.Target]float64, float64) {
	tb.Helper()
	per := map[probe.Target]float64{}
	var inuse, keys int
	err := s.db.View(func(tx *bolt.Tx) error {
		results := tx.Bucket(bucketResults)
		return results.ForEachBucket(func(k []byte) error {
			st := results.Bucket(k).Stats()
			per[probe.Target(k)] = float64(st.LeafInuse+st.BranchInuse) / float64(st.KeyN)
			inuse += st.LeafInuse + st.BranchInuse
			keys += st.KeyN
			return nil
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return per, float64(inuse) / float64(keys)
}

// TestBytesPerResult holds the encoding to its budget: at most 64 bytes in
// use per raw result for a realistic day of every target.
func TestBytesPerResult(t *testing.T) {
	s := openTest(t)
	fill(t, s, probe.Targets(), 1)
	per, all := bytesPerResult(t, s)
	for _, tg := range probe.Targets() {
		t.Logf("%-12s %.1f bytes/result", tg, per[tg])
	}
	t.Logf("all          %.1f bytes/result", all)
	if all > 64 {
		t.Errorf("%.1f bytes in use per result, budget 64", all)
	}
}

func BenchmarkBytesPerResult(b *testing.B) {
	s := month(b)
	b.ReportAllocs()
	for b.Loop() {
		bytesPerResult(b, s)
	}
	per, all := bytesPerResult(b, s)
	b.ReportMetric(all, "bytes/result")
	for t, v := range per {
		b.ReportMetric(v, "B/result:"+string(t))
	}
}

func BenchmarkPutResult(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "history.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if err := s.PutResult(realistic(rng, probe.TargetAPI, base.Add(time.Duration(i)*benchStep))); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkRecent(b *testing.B) {
	s := month(b)
	for _, n := range []int{60, 2880} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rs, err := s.Recent(probe.TargetAPI, n)
				if err != nil || len(rs) != n {
					b.Fatal(len(rs), err)
				}
			}
		})
	}
}

func BenchmarkRange1Day(b *testing.B) {
	s := month(b)
	from := base.Add(15 * 24 * time.Hour)
	to := from.Add(24 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		rs, err := s.Range(probe.TargetAPI, from, to)
		if err != nil || len(rs) != 2880 {
			b.Fatal(len(rs), err)
		}
	}
}

func BenchmarkPrune1Day(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s, err := Open(filepath.Join(b.TempDir(), "history.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		fill(b, s, benchTargets, 2)
		b.StartTimer()
		if n, err := s.Prune(base.Add(24*time.Hour), 1000); err != nil || n != 4*2880 {
			b.Fatal(n, err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
