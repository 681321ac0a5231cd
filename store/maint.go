package store

import (
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
