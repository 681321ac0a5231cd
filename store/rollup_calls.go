package store

// Claude Code's calls in the rollups. A session record is one attempt or
// one outcome; a call is its retries and the record that ends them
// (probe.SessionCalls), counted once, where its newest record is. Whether
// a record is a call depends on the records within
// probe.RetryOutcomeWithin of it, so a write recounts the calls of the
// stretch around what it wrote, before and after, and the rollups take the
// difference: a retry the answer ends leaves its hour, the answer comes in.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// keyRollupCalls marks a file whose rollups of Claude Code's sessions
// count calls; older files counted every attempt, and Open recounts them
// once from the raw records.
var keyRollupCalls = []byte("rollups-calls")

// recountReach is how far around a write its calls may change: a record's
// call depends on those within RetryOutcomeWithin after it and on the
// calls under way that long before it.
const recountReach = 2 * probe.RetryOutcomeWithin

// bucketLookup resolves interned ids from tx's strings bucket alone.
func bucketLookup(tx *bolt.Tx) func(uint64) (string, bool) {
	sb := tx.Bucket(bucketStrings)
	return func(id uint64) (string, bool) {
		if sb == nil {
			return "", false
		}
		v := sb.Get(binary.BigEndian.AppendUint64(nil, id))
		if v == nil {
			return "", false
		}
		return string(v), true
	}
}

// sessionCallsIn is the calls of Claude Code's sessions whose newest
// record is in [from, to), read from b with the records that far either
// side of it.
func sessionCallsIn(b *bolt.Bucket, lookup func(uint64) (string, bool), from, to time.Time) ([]probe.Result, error) {
	if b == nil || !from.Before(to) {
		return nil, nil
	}
	end := boundKey(to.Add(probe.RetryOutcomeWithin))
	var rs []probe.Result
	c := b.Cursor()
	for k, v := c.Seek(boundKey(from.Add(-probe.RetryOutcomeWithin))); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		r, err := decodeAt(probe.TargetSessions, k, v, lookup)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return probe.SessionCallsIn(rs, from, to), nil
}

// callRecount counts the calls around one write's session records before
// it and, in finish, after it.
type callRecount struct {
	from, to time.Time
	before   map[int64]probe.Class // a call's newest record's time → its class
}

// startRecount notes the calls around the session records among rs before
// they are written; nil when there are none.
func startRecount(tx *bolt.Tx, rs []probe.Result) (*callRecount, error) {
	var lo, hi time.Time
	for _, r := range rs {
		if r.Target != probe.TargetSessions {
			continue
		}
		if lo.IsZero() || r.Time.Before(lo) {
			lo = r.Time
		}
		if hi.IsZero() || r.Time.After(hi) {
			hi = r.Time
		}
	}
	if lo.IsZero() {
		return nil, nil
	}
	// The write may bump a key by a few nanoseconds (uniqueKey).
	c := &callRecount{from: lo.Add(-recountReach), to: hi.Add(recountReach + time.Microsecond)}
	var err error
	c.before, err = c.calls(tx)
	return c, err
}

func (c *callRecount) calls(tx *bolt.Tx) (map[int64]probe.Class, error) {
	b := tx.Bucket(bucketResults).Bucket([]byte(probe.TargetSessions))
	calls, err := sessionCallsIn(b, bucketLookup(tx), c.from, c.to)
	if err != nil {
		return nil, fmt.Errorf("count Claude Code's calls: %w", err)
	}
	m := make(map[int64]probe.Class, len(calls))
	for _, r := range calls {
		m[r.Time.UnixNano()] = r.Class
	}
	return m, nil
}

// finish recounts the calls after the write and puts the difference in d.
func (c *callRecount) finish(tx *bolt.Tx, d rollupDelta) error {
	if c == nil {
		return nil
	}
	after, err := c.calls(tx)
	if err != nil {
		return err
	}
	for at, cl := range after {
		if old, ok := c.before[at]; ok && old == cl {
			continue
		}
		d.add(probe.Result{Target: probe.TargetSessions, Time: time.Unix(0, at), Class: cl}, 0, true, true)
	}
	for at, cl := range c.before {
		if now, ok := after[at]; ok && now == cl {
			continue
		}
		d.remove(probe.TargetSessions, time.Unix(0, at), cl)
	}
	return nil
}

// rebuildCalls recounts the rollups of Claude Code's sessions from the
// raw records: hours from hs on, days from ds on (the older ones' records
// were pruned). A day at a time, so a long history is never held whole.
func (s *Store) rebuildCalls(hs, ds time.Time, progress func(n int)) error {
	var next time.Time
	first := true
	for first || !next.IsZero() {
		delta := rollupDelta{}
		n := 0
		err := s.view("read", func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketResults).Bucket([]byte(probe.TargetSessions))
			if b == nil {
				next = time.Time{}
				return nil
			}
			c := b.Cursor()
			var k []byte
			if first {
				k, _ = c.Seek(boundKey(hs))
			} else {
				k, _ = c.Seek(boundKey(next))
			}
			first = false
			if len(k) != 8 {
				next = time.Time{}
				return nil
			}
			from := daily.floor(keyTime(k))
			if from.Before(hs) {
				from = hs
			}
			to := daily.floor(keyTime(k)).Add(day)
			calls, err := sessionCallsIn(b, s.lookup(tx), from, to)
			if err != nil {
				return err
			}
			for _, r := range calls {
				delta.add(r, 0, !r.Time.Before(hs), !r.Time.Before(ds))
			}
			for k, _ := c.Seek(boundKey(from)); k != nil && bytes.Compare(k, boundKey(to)) < 0; k, _ = c.Next() {
				n++
			}
			next = to
			return nil
		})
		if err != nil {
			return fmt.Errorf("rebuild rollups of %s: %w", probe.TargetSessions, err)
		}
		if err := s.writeTx(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error { return delta.flush(tx) }); err != nil {
			return fmt.Errorf("rebuild rollups of %s: %w", probe.TargetSessions, err)
		}
		if progress != nil {
			progress(n)
		}
	}
	return nil
}
