package store

// Reading the rollups: a window's Summary from the hourly and daily
// records plus the raw results at its edges, and a Series of whole steps.

import (
	"bytes"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// Summary sums the target's results with from <= Time < to from the
// rollups: daily ones for whole days, hourly ones for whole hours, and the
// raw results of the partial hours at either end. Where those raw results
// were already pruned, the whole hour's rollup stands in for them.
func (s *Store) Summary(t probe.Target, from, to time.Time) (probe.Summary, error) {
	sum := probe.Summary{Target: t, From: from, To: to}
	err := s.view("read", func(tx *bolt.Tx) error {
		return sumRange(tx, t, from, to, &sum)
	})
	if err != nil {
		return probe.Summary{}, fmt.Errorf("summary of %s from %v to %v: %w", t, from, to, err)
	}
	return sum, nil
}

func sumRange(tx *bolt.Tx, t probe.Target, from, to time.Time, sum *probe.Summary) error {
	if !from.Before(to) {
		return nil
	}
	pruned := prunedBefore(tx, t)
	h0, h1 := hourly.ceil(from), hourly.floor(to)
	if !h0.Before(h1) {
		// No whole hour inside: at most two partial hours.
		if hourly.floor(from).Equal(hourly.floor(to.Add(-1))) {
			return sumPartial(tx, t, from, to, pruned, sum)
		}
		if err := sumPartial(tx, t, from, h0, pruned, sum); err != nil {
			return err
		}
		return sumPartial(tx, t, h1, to, pruned, sum)
	}
	if from.Before(h0) {
		if err := sumPartial(tx, t, from, h0, pruned, sum); err != nil {
			return err
		}
	}
	d0, d1 := daily.ceil(h0), daily.floor(h1)
	if d0.Before(d1) {
		if err := sumRollups(tx, hourly, t, h0, d0, sum); err != nil {
			return err
		}
		if err := sumRollups(tx, daily, t, d0, d1, sum); err != nil {
			return err
		}
		if err := sumRollups(tx, hourly, t, d1, h1, sum); err != nil {
			return err
		}
	} else if err := sumRollups(tx, hourly, t, h0, h1, sum); err != nil {
		return err
	}
	if h1.Before(to) {
		return sumPartial(tx, t, h1, to, pruned, sum)
	}
	return nil
}

// sumPartial adds [from, to), inside one hour, from raw results, or from
// the hour's rollup when raw results of that stretch were pruned.
func sumPartial(tx *bolt.Tx, t probe.Target, from, to, pruned time.Time, sum *probe.Summary) error {
	if from.Before(pruned) {
		h := hourly.floor(from)
		return sumRollups(tx, hourly, t, h, h.Add(time.Hour), sum)
	}
	b := tx.Bucket(bucketResults).Bucket([]byte(t))
	if b == nil {
		return nil
	}
	if t == probe.TargetSessions {
		// Calls, as the rollups count them: the retries and the record
		// that ends them are one, where the newest is.
		calls, err := sessionCallsIn(b, bucketLookup(tx), from, to)
		for _, r := range calls {
			sum.AddFor(r, 0)
		}
		return err
	}
	end := boundKey(to)
	prev := prevTime(b, boundKey(from))
	c := b.Cursor()
	for k, v := c.Seek(boundKey(from)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		cl, total, err := peekResult(v)
		if err != nil {
			return fmt.Errorf("results/%s at %v: %w", t, keyTime(k), err)
		}
		at := keyTime(k)
		addPeeked(sum, cl, total, probe.Cover(prev, at))
		prev = at
	}
	return nil
}

// sumRollups adds the rollups of period p that start in [from, to).
func sumRollups(tx *bolt.Tx, p period, t probe.Target, from, to time.Time, sum *probe.Summary) error {
	if !from.Before(to) {
		return nil
	}
	b := rollupBucket(tx, p, t)
	if b == nil {
		return nil
	}
	end := boundKey(to)
	c := b.Cursor()
	for k, v := c.Seek(boundKey(from)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		if err := decodeRollup(v, sum); err != nil {
			return fmt.Errorf("rollups/%s/%s at %v: %w", p.name, t, keyTime(k), err)
		}
	}
	return nil
}

// Series returns one Summary per hour or day (step) from the one holding
// from to the one holding to-1ns, oldest first, empty ones included.
// Each covers its whole step, read from one rollup record.
func (s *Store) Series(t probe.Target, from, to time.Time, step time.Duration) ([]probe.Summary, error) {
	var p period
	switch step {
	case time.Hour:
		p = hourly
	case day:
		p = daily
	default:
		return nil, fmt.Errorf("series of %s: step %v is neither an hour nor a day", t, step)
	}
	if !from.Before(to) {
		return nil, nil
	}
	first := p.floor(from)
	n := int(p.floor(to.Add(-1)).Sub(first)/p.span) + 1
	out := make([]probe.Summary, n)
	for i := range out {
		out[i].Target = t
		out[i].From = first.Add(time.Duration(i) * p.span)
		out[i].To = out[i].From.Add(p.span)
	}
	err := s.view("read", func(tx *bolt.Tx) error {
		b := rollupBucket(tx, p, t)
		if b == nil {
			return nil
		}
		end := boundKey(first.Add(time.Duration(n) * p.span))
		c := b.Cursor()
		for k, v := c.Seek(boundKey(first)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
			i := int(keyTime(k).Sub(first) / p.span)
			if i < 0 || i >= n {
				continue
			}
			if err := decodeRollup(v, &out[i]); err != nil {
				return fmt.Errorf("rollups/%s/%s at %v: %w", p.name, t, keyTime(k), err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("series of %s: %w", t, err)
	}
	return out, nil
}

// rebuildChunk is how many raw results RebuildRollups folds into rollups
// per write transaction.
const rebuildChunk = 50000
