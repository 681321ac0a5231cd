package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// DefaultPruneBatch is the number of deletions per transaction when Prune
// is given a batch size of zero or less.
const DefaultPruneBatch = 1000

// PutResult records one result in its own transaction.
func (s *Store) PutResult(r probe.Result) error {
	return s.PutResults([]probe.Result{r})
}

// PutResults records many results in one transaction (imports, tests).
// Either all are stored or none.
func (s *Store) PutResults(rs []probe.Result) error {
	if len(rs) == 0 {
		return nil
	}
	err := s.writeTx(func(tx *bolt.Tx, intern func(string) (uint64, bool)) error {
		return putResults(tx, intern, rs)
	})
	if err != nil {
		return fmt.Errorf("store results: %w", err)
	}
	return nil
}

// putResults stores rs in tx, with their rollups.
func putResults(tx *bolt.Tx, intern func(string) (uint64, bool), rs []probe.Result) error {
	var val []byte
	results := tx.Bucket(bucketResults)
	delta := rollupDelta{} // rollups change in the same transaction as the results
	recount, err := startRecount(tx, rs)
	if err != nil {
		return err
	}
	var b *bolt.Bucket
	var last probe.Target
	for _, r := range rs {
		if b == nil || r.Target != last {
			var err error
			if b, err = resultBucket(results, r.Target); err != nil {
				return err
			}
			last = r.Target
		}
		k, ok := timeKey(r.Time)
		if !ok {
			return fmt.Errorf("result of %s: time %v cannot be stored (zero or outside 1970–2262)", r.Target, r.Time)
		}
		if err := uniqueKey(b, k[:]); err != nil {
			return fmt.Errorf("result of %s at %v: %w", r.Target, r.Time, err)
		}
		var err error
		if val, err = encodeResult(val[:0], r, intern); err != nil {
			return fmt.Errorf("result of %s at %v: %w", r.Target, r.Time, err)
		}
		// bbolt copies neither key nor value until commit, so each Put
		// gets its own slices.
		if err := b.Put(bytes.Clone(k[:]), bytes.Clone(val)); err != nil {
			return fmt.Errorf("put result of %s: %w", r.Target, err)
		}
		r.Time = keyTime(k[:])
		delta.insert(b, r, k[:])
	}
	if err := recount.finish(tx, delta); err != nil {
		return err
	}
	return delta.flush(tx)
}

// resultBucket returns the target's bucket for writing. FillPercent is not
// persisted, so it is set on every write: keys arrive in time order, and
// full pages are what keeps a result near 60 bytes on disk.
func resultBucket(results *bolt.Bucket, t probe.Target) (*bolt.Bucket, error) {
	if t == "" {
		return nil, fmt.Errorf("result without a target")
	}
	b, err := results.CreateBucketIfNotExists([]byte(t))
	if err != nil {
		return nil, fmt.Errorf("create bucket results/%s: %w", t, err)
	}
	b.FillPercent = 1.0
	return b, nil
}

// uniqueKey bumps k by one nanosecond until no record uses it, so two
// results from the same nanosecond are both kept.
func uniqueKey(b *bolt.Bucket, k []byte) error {
	for b.Get(k) != nil {
		n := binary.BigEndian.Uint64(k)
		if n == 1<<63-1 {
			return fmt.Errorf("no free time key")
		}
		binary.BigEndian.PutUint64(k, n+1)
	}
	return nil
}

// decodeAt decodes one record; the caller's transaction still owns k and
// v, and decodeResult copies everything it keeps.
func decodeAt(t probe.Target, k, v []byte, lookup func(uint64) (string, bool)) (probe.Result, error) {
	if len(k) != 8 {
		return probe.Result{}, fmt.Errorf("results/%s: key %x is not a time key", t, k)
	}
	r, err := decodeResult(v, lookup)
	if err != nil {
		return probe.Result{}, fmt.Errorf("results/%s at %v: %w", t, keyTime(k), err)
	}
	r.Target = t
	r.Time = keyTime(k)
	return r, nil
}

// Recent returns up to n most recent results of the target, oldest first.
func (s *Store) Recent(t probe.Target, n int) ([]probe.Result, error) {
	if n <= 0 {
		return nil, nil
	}
	var out []probe.Result
	err := s.view("read", func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketResults).Bucket([]byte(t))
		if b == nil {
			return nil
		}
		lookup := s.lookup(tx)
		c := b.Cursor()
		for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
			r, err := decodeAt(t, k, v, lookup)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("recent results of %s: %w", t, err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// Range returns the results of the target with from <= Time < to, oldest
// first. A zero from means the beginning; a zero to means the end.
func (s *Store) Range(t probe.Target, from, to time.Time) ([]probe.Result, error) {
	var out []probe.Result
	err := s.view("read", func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketResults).Bucket([]byte(t))
		if b == nil {
			return nil
		}
		var end []byte
		if !to.IsZero() {
			end = boundKey(to)
		}
		lookup := s.lookup(tx)
		c := b.Cursor()
		var k, v []byte
		if from.IsZero() {
			k, v = c.First()
		} else {
			k, v = c.Seek(boundKey(from))
		}
		for ; k != nil && (end == nil || bytes.Compare(k, end) < 0); k, v = c.Next() {
			r, err := decodeAt(t, k, v, lookup)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("results of %s from %v to %v: %w", t, from, to, err)
	}
	return out, nil
}

// Prune deletes every result with Time < before, at most batch per
// transaction so that the writer lock is held briefly and readers keep
// flowing; results at exactly before are kept. It returns how many it
// deleted, also when it stops on an error.
//
// Each transaction first collects its keys with a cursor, then deletes
// them with Bucket.Delete: Cursor.Delete followed by Next skips keys in
// bbolt v1.5 when the transaction also wrote.
func (s *Store) Prune(before time.Time, batch int) (deleted int, err error) {
	if batch <= 0 {
		batch = DefaultPruneBatch
	}
	targets, err := s.targets()
	if err != nil {
		return 0, err
	}
	for _, t := range targets {
		for {
			n, err := s.pruneResults(t, before, batch)
			deleted += n
			if err != nil {
				return deleted, err
			}
			if n < batch {
				break
			}
		}
	}
	return deleted, nil
}

// targets lists the targets that have a results bucket.
func (s *Store) targets() ([]probe.Target, error) {
	var ts []probe.Target
	err := s.view("read", func(tx *bolt.Tx) error {
		return tx.Bucket(bucketResults).ForEachBucket(func(k []byte) error {
			ts = append(ts, probe.Target(k))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list result buckets: %w", err)
	}
	return ts, nil
}

// Counts returns how many results are stored per target.
func (s *Store) Counts() (map[probe.Target]int, error) {
	counts := make(map[probe.Target]int)
	err := s.view("read", func(tx *bolt.Tx) error {
		results := tx.Bucket(bucketResults)
		return results.ForEachBucket(func(k []byte) error {
			counts[probe.Target(k)] = results.Bucket(k).Stats().KeyN
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("count results: %w", err)
	}
	return counts, nil
}

// FirstObserved is when the oldest observation the database still holds
// was made: the first stored result of any target — or, where retention
// pruned the results of whole days before it, the start of the first day
// a daily rollup keeps. Zero when it holds none. It reads one key per
// bucket, so it is cheap at any size.
func (s *Store) FirstObserved() (time.Time, error) {
	var first, firstDay time.Time
	see := func(at *time.Time, k []byte) {
		if len(k) == 8 {
			if t := keyTime(k); at.IsZero() || t.Before(*at) {
				*at = t
			}
		}
	}
	err := s.view("read", func(tx *bolt.Tx) error {
		if results := tx.Bucket(bucketResults); results != nil {
			if err := results.ForEachBucket(func(k []byte) error {
				if k, _ := results.Bucket(k).Cursor().First(); k != nil {
					see(&first, k)
				}
				return nil
			}); err != nil {
				return err
			}
		}
		if root := tx.Bucket(bucketRollups); root != nil {
			if days := root.Bucket(bucketDay); days != nil {
				return days.ForEachBucket(func(k []byte) error {
					if k, _ := days.Bucket(k).Cursor().First(); k != nil {
						see(&firstDay, k)
					}
					return nil
				})
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("first observation: %w", err)
	}
	if !firstDay.IsZero() && (first.IsZero() || !firstDay.Add(day).After(first)) {
		// A whole day of rollups before the first result: its results
		// were pruned, not never made.
		return firstDay, nil
	}
	return first, nil
}
