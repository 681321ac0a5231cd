package store

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
	"downforai/probe/human"
)

// Progress hears how far long work has come: done out of total units
// (bytes or results; total 0 when unknown). It is called on the working
// goroutine; a nil Progress means nobody listens.
type Progress func(done, total int64)

func (p Progress) report(done, total int64) {
	if p != nil {
		p(done, total)
	}
}

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
// transaction, and reports how many.
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
		return n, fmt.Errorf("prune %s: %w", k.what, err)
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

// TargetStats describes what the database holds for one target.
type TargetStats struct {
	Target         probe.Target
	Results        int
	Oldest, Newest time.Time // zero when there are no results
	ResultBytes    int       // bytes in use by the results (leaf and branch pages)
	HourRollups    int
	DayRollups     int
}

// Stats describes the database file.
type Stats struct {
	Path         string
	FileSize     int64
	PageSize     int
	FreePages    int // pages free for reuse
	PendingPages int // pages freed but still seen by an open reader
	InUse        int // bytes in use by every bucket's pages
	Targets      []TargetStats
}

// Stats reads the file's size, its free pages and, per target, the
// results and rollups held.
func (s *Store) Stats() (Stats, error) {
	st := Stats{Path: s.path}
	if fi, err := os.Stat(s.path); err == nil {
		st.FileSize = fi.Size()
	}
	ds := s.db.Stats()
	st.FreePages, st.PendingPages = ds.FreePageN, ds.PendingPageN
	st.PageSize = s.db.Info().PageSize
	err := s.view("read", func(tx *bolt.Tx) error {
		err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			bs := b.Stats()
			st.InUse += bs.BranchInuse + bs.LeafInuse
			return nil
		})
		if err != nil {
			return err
		}
		per := map[probe.Target]*TargetStats{}
		get := func(t probe.Target) *TargetStats {
			if ts := per[t]; ts != nil {
				return ts
			}
			ts := &TargetStats{Target: t}
			per[t] = ts
			return ts
		}
		results := tx.Bucket(bucketResults)
		err = results.ForEachBucket(func(k []byte) error {
			b := results.Bucket(k)
			ts := get(probe.Target(k))
			bs := b.Stats()
			ts.Results, ts.ResultBytes = bs.KeyN, bs.LeafInuse+bs.BranchInuse
			if bs.LeafPageN == 0 {
				// A bucket small enough to live inline in its parent's
				// page (a few results) has no pages of its own: bbolt
				// counts its bytes apart, and B/result read 0.0.
				ts.ResultBytes = bs.InlineBucketInuse
			}
			c := b.Cursor()
			if k, _ := c.First(); k != nil {
				ts.Oldest = keyTime(k)
			}
			if k, _ := c.Last(); k != nil {
				ts.Newest = keyTime(k)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, p := range [...]period{hourly, daily} {
			pb := tx.Bucket(bucketRollups).Bucket([]byte(p.name))
			err := pb.ForEachBucket(func(k []byte) error {
				n := pb.Bucket(k).Stats().KeyN
				if p == hourly {
					get(probe.Target(k)).HourRollups = n
				} else {
					get(probe.Target(k)).DayRollups = n
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		for _, ts := range per {
			st.Targets = append(st.Targets, *ts)
		}
		slices.SortFunc(st.Targets, func(a, b TargetStats) int { return targetOrder(a.Target, b.Target) })
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats of %s: %w", s.path, err)
	}
	return st, nil
}

// targetOrder sorts targets as probe.Targets() lists them, others after by
// name.
func targetOrder(a, b probe.Target) int {
	ts := probe.Targets()
	ia, ib := slices.Index(ts, a), slices.Index(ts, b)
	switch {
	case ia >= 0 && ib >= 0:
		return ia - ib
	case ia >= 0:
		return -1
	case ib >= 0:
		return 1
	}
	return cmp.Compare(string(a), string(b))
}

// compactTxSize bounds a compaction transaction: big enough to be fast,
// small enough to keep memory flat.
const compactTxSize = 32 << 20

// Compact rewrites the database at path into a new file with every page
// full (bbolt's Compact), then renames it over the original, so the file
// shrinks to what it holds. It refuses, with ErrLocked, while another
// process has the database open; the lock stays held until the rename is
// done, so nobody writes to the old file meanwhile. It returns the file
// size before and after. progress hears bytes written out of an estimate.
func Compact(path string, opts Options, progress Progress) (before, after int64, err error) {
	src, err := Open(path, opts)
	if err != nil {
		if errors.Is(err, ErrLocked) {
			return 0, 0, &openError{
				msg:  fmt.Sprintf("cannot compact %s: another downforai has it open; quit it (or stop downforai serve) and run compact again", path),
				errs: []error{err},
			}
		}
		return 0, 0, err
	}
	defer src.Close()
	st, err := src.Stats()
	if err != nil {
		return 0, 0, err
	}
	before = st.FileSize
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".compact")
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return 0, 0, fmt.Errorf("compact %s: remove leftover %s: %w", path, tmp, err)
	}
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: opts.LockTimeout})
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: create %s: %w", path, tmp, err)
	}
	fail := func(err error) (int64, int64, error) {
		dst.Close()
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}

	total := int64(st.InUse)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if progress != nil {
		wg.Add(1)
		go func() { // bbolt's Compact says nothing while it works: watch what it allocates
			defer wg.Done()
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					ts := dst.Stats().TxStats
					done := ts.GetPageAlloc()
					progress(min(done, total), total)
				}
			}
		}()
	}
	err = src.guard("compact", false, func() error { return bolt.Compact(dst, src.db, compactTxSize) })
	close(stop)
	wg.Wait()
	if err != nil {
		return fail(err)
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("compact %s: close %s: %w", path, tmp, err)
	}
	progress.report(total, total)
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("compact %s: rename: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // make the rename durable; best effort
		d.Close()
	}
	if fi, err := os.Stat(path); err == nil {
		after = fi.Size()
	}
	return before, after, nil
}

// WriteTo prints the stats for people, as `downforai db stats` shows them.
func (st Stats) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "database  %s\n", st.Path)
	fmt.Fprintf(&b, "file      %s (%d pages of %d B)\n", byteSize(st.FileSize), st.FileSize/int64(max(st.PageSize, 1)), st.PageSize)
	fmt.Fprintf(&b, "in use    %s; free pages %d (%s), pending %d\n", byteSize(int64(st.InUse)), st.FreePages,
		byteSize(int64(st.FreePages*st.PageSize)), st.PendingPages)
	// The name column is as wide as the longest name: a canary's
	// "model:claude-opus-4-5-20251101" would push its row out of line.
	name := 12
	for _, t := range st.Targets {
		name = max(name, utf8.RuneCountInString(string(t.Target)))
	}
	fmt.Fprintf(&b, "\n%-*s %9s %9s  %-20s  %-20s  %7s %6s\n", name, "target", "results", "B/result", "oldest", "newest", "hourly", "daily")
	for _, t := range st.Targets {
		per := "-"
		if t.Results > 0 {
			per = fmt.Sprintf("%.1f", float64(t.ResultBytes)/float64(t.Results))
		}
		fmt.Fprintf(&b, "%-*s %9d %9s  %-20s  %-20s  %7d %6d\n", name, t.Target, t.Results, per,
			stamp(t.Oldest), stamp(t.Newest), t.HourRollups, t.DayRollups)
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// byteSize is n for people, in binary units as the page sizes are:
// "173 B", "32 KiB", "1.5 MiB".
func byteSize(n int64) string { return human.IBytes(uint64(max(n, 0))) }
