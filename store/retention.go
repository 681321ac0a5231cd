package store

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// DefaultRetention is how long raw results are kept when the caller names
// no other age.
const DefaultRetention = 30 * day

// Retention configures the background pruning StartRetention runs.
type Retention struct {
	// Results is the age past which raw results are deleted; zero or less
	// keeps them forever.
	Results time.Duration
	// Rollups is the age past which hourly and daily rollups are deleted;
	// zero means DefaultRollupRetention, less than zero forever.
	Rollups time.Duration
	// Every is the pause between two rounds; zero means 10 minutes.
	Every time.Duration
	// Batch is the number of deletions per transaction; zero means 500.
	Batch int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// StartRetention prunes in the background, at once and then every
// r.Every, in small transactions with a pause between them, so that
// probes and readers never wait long. Close stops it before closing the
// database. Errors are passed to report (which may be nil).
func (s *Store) StartRetention(r Retention, report func(error)) {
	if r.Rollups == 0 {
		r.Rollups = DefaultRollupRetention
	}
	if r.Every <= 0 {
		r.Every = 10 * time.Minute
	}
	if r.Batch <= 0 {
		r.Batch = 500
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			if err := s.pruneRound(r); err != nil && report != nil && !errors.Is(err, errStopped) {
				report(err)
			}
			select {
			case <-s.quit:
				return
			case <-time.After(r.Every):
			}
		}
	}()
}

// errStopped ends a pruning round when Close was called.
var errStopped = errors.New("store closing")

// pruneRound runs one round of retention: batches until nothing is left
// to delete, pausing between them and stopping when the store closes.
// Per target, its results, then its hourly and daily rollups.
func (s *Store) pruneRound(r Retention) error {
	targets, err := s.targets()
	if err != nil {
		return err
	}
	now := r.Now()
	var kinds []pruneKind
	for _, t := range targets {
		if r.Results > 0 {
			kinds = append(kinds, resultsKind(t, now.Add(-r.Results)))
		}
		if r.Rollups > 0 {
			for _, p := range [...]period{hourly, daily} {
				kinds = append(kinds, rollupsKind(p, t, now.Add(-r.Rollups)))
			}
		}
	}
	var errs []error
	for _, k := range kinds {
		if err := s.pruneAll(k, r.Batch); err != nil {
			if errors.Is(err, errStopped) {
				return err
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// pruneAll deletes k's stale records batch by batch, pausing between
// batches, until a batch comes back short; errStopped when the store
// closes.
func (s *Store) pruneAll(k pruneKind, batch int) error {
	const pause = 5 * time.Millisecond
	for {
		select {
		case <-s.quit:
			return errStopped
		default:
		}
		n, err := s.pruneBatch(k, batch)
		if err != nil {
			return err
		}
		if n < batch {
			return nil
		}
		select {
		case <-s.quit:
			return errStopped
		case <-time.After(pause):
		}
	}
}

// pruneKind is one bucket of one target that retention deletes from:
// its results, or its rollups of one period.
type pruneKind struct {
	what   string // in errors: "results of claude-api before …"
	bucket func(*bolt.Tx) *bolt.Bucket
	cutoff []byte                               // keys below it are stale
	after  func(tx *bolt.Tx, last []byte) error // after a batch's deletes; nil: nothing
}

// resultsKind is t's results with Time < before; deleting them records
// how far t's results are pruned (notePruned).
func resultsKind(t probe.Target, before time.Time) pruneKind {
	return pruneKind{
		what:   fmt.Sprintf("results of %s before %v", t, before),
		bucket: func(tx *bolt.Tx) *bolt.Bucket { return tx.Bucket(bucketResults).Bucket([]byte(t)) },
		cutoff: boundKey(before),
		after:  func(tx *bolt.Tx, last []byte) error { return notePruned(tx, t, last) },
	}
}

// rollupsKind is t's rollups of period p that end at or before cut.
func rollupsKind(p period, t probe.Target, cut time.Time) pruneKind {
	return pruneKind{
		what:   fmt.Sprintf("%s rollups of %s before %v", p.name, t, cut),
		bucket: func(tx *bolt.Tx) *bolt.Bucket { return rollupBucket(tx, p, t) },
		// A record that starts at or before cut-span ends at or before cut.
		cutoff: boundKey(cut.Add(-p.span + 1)),
	}
}

// pruneResults deletes at most batch results of t with Time < before, in
// one transaction, and reports how many.
func (s *Store) pruneResults(t probe.Target, before time.Time, batch int) (int, error) {
	return s.pruneBatch(resultsKind(t, before), batch)
}

// pruneBatch deletes at most batch of k's stale records, in one
// transaction, and reports how many: none when the transaction fails,
// since it then rolls back and deleted nothing.
func (s *Store) pruneBatch(k pruneKind, batch int) (int, error) {
	n := 0
	if stale, err := s.anyStale(k.bucket, k.cutoff); err != nil || !stale {
		if err != nil {
			err = fmt.Errorf("prune %s: %w", k.what, err)
		}
		return 0, err
	}
	err := s.writeTx(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
		b := k.bucket(tx)
		if b == nil {
			return nil
		}
		stale := staleKeys(b, k.cutoff, batch)
		for _, key := range stale {
			if err := b.Delete(key); err != nil {
				return err
			}
		}
		if n = len(stale); n > 0 && k.after != nil {
			return k.after(tx, stale[n-1])
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune %s: %w", k.what, err)
	}
	return n, nil
}

// anyStale reports whether the bucket holds a key below cutoff, in a read
// transaction: a round with nothing to delete writes nothing (every
// committed write transaction rewrites a meta page and syncs the file,
// which at every start was a dozen syncs for nothing).
func (s *Store) anyStale(bucket func(*bolt.Tx) *bolt.Bucket, cutoff []byte) (bool, error) {
	stale := false
	err := s.view("read", func(tx *bolt.Tx) error {
		if b := bucket(tx); b != nil {
			k, _ := b.Cursor().First()
			stale = k != nil && bytes.Compare(k, cutoff) < 0
		}
		return nil
	})
	return stale, err
}

// staleKeys collects up to batch keys below cutoff. Deleting happens
// after, with Bucket.Delete (see Prune).
func staleKeys(b *bolt.Bucket, cutoff []byte, batch int) [][]byte {
	var stale [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil && len(stale) < batch && bytes.Compare(k, cutoff) < 0; k, _ = c.Next() {
		stale = append(stale, bytes.Clone(k))
	}
	return stale
}
