package probe

import (
	"math"
	"time"
)

// LatencyBins is the number of buckets of a Latency histogram.
//
// Bucket i holds latencies in [2^(i/8), 2^((i+1)/8)) microseconds: eight
// buckets per doubling, each about 9% wide, from 1µs up to 2^25µs (33.5 s);
// bucket 0 also takes zero, the last bucket everything slower. The layout
// is stored in the database (rollups): never change it, add a new
// histogram instead.
const LatencyBins = 200

const binsPerDoubling = 8

// Latency is a histogram of latencies with fixed log-spaced buckets, so
// percentiles survive aggregation: two histograms merge by adding counts.
type Latency [LatencyBins]uint32

// LatencyBin is the bucket d falls into.
func LatencyBin(d time.Duration) int {
	us := d.Microseconds()
	if us < 1 {
		return 0
	}
	i := int(math.Floor(binsPerDoubling * math.Log2(float64(us))))
	// Floating point may land one off right at a boundary; settle it
	// against the exact bounds.
	for i > 0 && us < binLowerMicros(i) {
		i--
	}
	for i < LatencyBins-1 && us >= binLowerMicros(i+1) {
		i++
	}
	return min(max(i, 0), LatencyBins-1)
}

func binLowerMicros(i int) int64 {
	if i <= 0 {
		return 0
	}
	return int64(math.Ceil(math.Exp2(float64(i) / binsPerDoubling)))
}

// LatencyBinBounds returns the latencies bucket i holds: lo <= d < hi
// (the last bucket's hi is the largest Duration).
func LatencyBinBounds(i int) (lo, hi time.Duration) {
	lo = time.Duration(binLowerMicros(i)) * time.Microsecond
	if i >= LatencyBins-1 {
		return lo, time.Duration(math.MaxInt64)
	}
	return lo, time.Duration(binLowerMicros(i+1)) * time.Microsecond
}

// Add counts one latency.
func (h *Latency) Add(d time.Duration) {
	if i := LatencyBin(d); h[i] < math.MaxUint32 {
		h[i]++
	}
}

// Merge adds o's counts to h.
func (h *Latency) Merge(o *Latency) {
	for i, n := range o {
		if n != 0 {
			h[i] += n
		}
	}
}

// Count is the number of latencies counted.
func (h *Latency) Count() uint64 {
	var n uint64
	for _, c := range h {
		n += uint64(c)
	}
	return n
}

// Quantile returns the nearest-rank q-quantile (0 < q <= 1) as the
// geometric middle of the bucket that holds it, and false when the
// histogram is empty. The true value lies in the same bucket.
func (h *Latency) Quantile(q float64) (time.Duration, bool) {
	n := h.Count()
	if n == 0 {
		return 0, false
	}
	rank := uint64(math.Ceil(q * float64(n)))
	rank = min(max(rank, 1), n)
	var seen uint64
	for i, c := range h {
		seen += uint64(c)
		if seen >= rank {
			return binMiddle(i), true
		}
	}
	return binMiddle(LatencyBins - 1), true
}

func binMiddle(i int) time.Duration {
	if i == 0 {
		return time.Microsecond / 2
	}
	us := math.Exp2((float64(i) + 0.5) / binsPerDoubling)
	return time.Duration(us * float64(time.Microsecond))
}

// Summary is what happened to one target over [From, To): outcomes by
// class and the latency of the probes that were up. It is the unit of the
// History tab (a window, a cell of the uptime strip, a point of a chart).
type Summary struct {
	Target   Target
	From, To time.Time
	Counts   [classCount]uint32 // results by Class
	Latency  Latency            // total time of results that were up (ok, slow)
	// Spans is the time each class held, by Class: a result covers the
	// time since the one before it (at most MaxCover). Uptime weighs by
	// it, so probing faster while a target fails does not count the
	// failure more: 30 min up at 1 probe a minute and 30 min down at 6 a
	// minute is 50 %, not 14 %.
	Spans [classCount]time.Duration
}

// MaxCover is the most time one result speaks for: a gap longer than
// this (downforai was not running) is not credited to the next result.
const MaxCover = 15 * time.Minute

// Cover is the time a result at at covers after one at prev: the gap,
// at most MaxCover; 0 without an earlier result.
func Cover(prev, at time.Time) time.Duration {
	if prev.IsZero() || !at.After(prev) {
		return 0
	}
	return min(at.Sub(prev), MaxCover)
}

// AddFor counts one result that covers d (Cover). A call of Claude
// Code's sessions covers no time: calls come when the user works, not at
// an interval, so a failed call speaks for no stretch before it.
func (s *Summary) AddFor(r Result, d time.Duration) {
	s.Add(r)
	if d > 0 && r.Target != TargetSessions {
		c := r.Class
		if !c.Valid() {
			c = ClassUnknown
		}
		s.Spans[c] += d
	}
}

// AddCovered counts the results of rs (oldest first) taken in [from, to),
// each covering the time since the result before it (Cover), as the
// store's rollups do: uptime from raw results is then weighed by time,
// not by how often a target was probed. Results before from only start
// the first one's cover (pass them from MaxCover earlier on); a zero to
// is no bound.
func (s *Summary) AddCovered(rs []Result, from, to time.Time) {
	var prev time.Time
	for _, r := range rs {
		if !to.IsZero() && !r.Time.Before(to) {
			break
		}
		if !r.Time.Before(from) {
			s.AddFor(r, Cover(prev, r.Time))
		}
		prev = r.Time
	}
}

// Add counts one result.
func (s *Summary) Add(r Result) {
	if r.Class.Valid() {
		s.Counts[r.Class]++
	} else {
		s.Counts[ClassUnknown]++
	}
	// A result that measured no time (a Claude Code call read from its
	// transcript) has no latency to chart, not a latency of zero.
	if r.Class.Up() && r.Latency() > 0 {
		s.Latency.Add(r.Latency())
	}
}

// Merge adds o's counts to s; From and To widen to cover both.
func (s *Summary) Merge(o *Summary) {
	for i, n := range o.Counts {
		s.Counts[i] += n
	}
	s.Latency.Merge(&o.Latency)
	for i, d := range o.Spans {
		s.Spans[i] += d
	}
	if !o.From.IsZero() && (s.From.IsZero() || o.From.Before(s.From)) {
		s.From = o.From
	}
	if o.To.After(s.To) {
		s.To = o.To
	}
}

// Total is the number of results, unknown ones included.
func (s *Summary) Total() int {
	n := 0
	for _, c := range s.Counts {
		n += int(c)
	}
	return n
}

// Judged is the number of results with a judgement: all but unknown.
func (s *Summary) Judged() int { return s.Total() - int(s.Counts[ClassUnknown]) }

// Up is the number of results that were up (ok or slow).
func (s *Summary) Up() int { return int(s.Counts[ClassOK] + s.Counts[ClassSlow]) }

// Uptime is the share of judged time that was up (Spans), in [0, 1], or
// of judged results where no result covered any time (a lone result, a
// summary of an older file), and false when nothing was judged. For
// Claude Code's sessions it is always the share of calls that were
// answered: a call speaks for no stretch of time (AddFor), and a rollup
// written before that knew still holds the gaps before failed calls.
// The probe with the key refused by the account (401, 403, 429, credit:
// Refused) is not judged: the API answered, the refusal is the user's
// credential or quota, not the API's downtime.
func (s *Summary) Uptime() (float64, bool) {
	var judged, up time.Duration
	for c, d := range s.Spans {
		if Class(c) == ClassUnknown || s.Target == TargetSessions || s.refused(Class(c)) {
			continue
		}
		judged += d
		if Class(c).Up() {
			up += d
		}
	}
	if judged > 0 {
		return float64(up) / float64(judged), true
	}
	j := s.Judged()
	for c := range s.Counts {
		if s.refused(Class(c)) {
			j -= int(s.Counts[c])
		}
	}
	if j <= 0 {
		return 0, false
	}
	return float64(s.Up()) / float64(j), true
}

// refused reports whether c, on s's target, is the account refusing the
// key: the probe with the key's 401, 403, 429 or credit refusal.
func (s *Summary) refused(c Class) bool {
	return s.Target == TargetAPIKey && c.UserSide()
}

// Refused is the time the account refused the key in s (its results'
// count where they cover no time), which Uptime leaves out; 0 on other
// targets.
func (s *Summary) Refused() (time.Duration, int) {
	var d time.Duration
	n := 0
	for c := range s.Spans {
		if s.refused(Class(c)) {
			d += s.Spans[c]
			n += int(s.Counts[c])
		}
	}
	return d, n
}

// Worst is the most severe class seen (Class.Severity), ClassUnknown when
// there were no results.
func (s *Summary) Worst() Class {
	worst := ClassUnknown
	for c, n := range s.Counts {
		if n > 0 && Class(c).Severity() > worst.Severity() {
			worst = Class(c)
		}
	}
	return worst
}

// Percentile returns the latency below which p percent (0 < p <= 100) of
// the up results fell, to within one histogram bucket, and false when
// there were none.
func (s *Summary) Percentile(p float64) (time.Duration, bool) {
	return s.Latency.Quantile(p / 100)
}

// HistoryStats answers questions about long stretches of history without
// reading every result: the store keeps hourly and daily rollups. The
// store implements it next to History; readers that hold a History check
// for it with a type assertion, so a History without rollups still works.
type HistoryStats interface {
	// Summary sums the target's results with from <= Time < to.
	Summary(t Target, from, to time.Time) (Summary, error)
	// Series returns one Summary per step (time.Hour or 24*time.Hour)
	// from the step containing from up to the one containing to-1ns,
	// oldest first, including empty steps. Steps are aligned to UTC.
	Series(t Target, from, to time.Time, step time.Duration) ([]Summary, error)
}
