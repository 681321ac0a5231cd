package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// rollupVersion is the leading byte of every rollup value; metaRollups
// records the rollup format of the file, and Open rebuilds the rollups
// when it is missing or older.
// Version 2 adds the time each class held (probe.Summary.Spans), so
// uptime is weighed by time when the sampling rate changes.
const (
	rollupVersion   = 2
	rollupVersionV1 = 1
)

// DefaultRollupRetention is how long hourly and daily rollups are kept.
const DefaultRollupRetention = 400 * 24 * time.Hour

const day = 24 * time.Hour

var (
	bucketRollups = []byte("rollups")
	bucketHour    = []byte("hour")
	bucketDay     = []byte("day")
	bucketPruned  = []byte("pruned")

	keyRollups = []byte("rollups")
)

// period is one of the two rollup granularities.
type period struct {
	name string // its bucket under rollups
	span time.Duration
}

var (
	hourly = period{string(bucketHour), time.Hour}
	daily  = period{string(bucketDay), day}
)

func (p period) floor(t time.Time) time.Time { return t.Truncate(p.span) }

func (p period) ceil(t time.Time) time.Time {
	f := t.Truncate(p.span)
	if f.Equal(t) {
		return f
	}
	return f.Add(p.span)
}

// initRollups creates the rollup buckets and, for a file written before
// rollups existed (or by an older rollup format), builds them from the raw
// results once.
func (s *Store) initRollups() error {
	// Ready files (every open after the first) need no write transaction.
	var ready, calls bool
	if err := s.view("read", func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketRollups)
		if root == nil {
			return nil
		}
		for _, name := range [][]byte{bucketHour, bucketDay, bucketPruned} {
			if root.Bucket(name) == nil {
				return nil
			}
		}
		if v := tx.Bucket(bucketMeta).Get(keyRollups); v != nil {
			ver, n := binary.Uvarint(v)
			ready = n > 0 && ver >= rollupVersion
		}
		calls = tx.Bucket(bucketMeta).Get(keyRollupCalls) != nil
		return nil
	}); err != nil {
		return fmt.Errorf("initialise rollups of %s: %w", s.path, err)
	}
	switch {
	case ready && (calls || s.readOnly):
		// A reader leaves attempts counted as they were until a writer
		// recounts them (Summary.Uptime of calls is by count either way).
		return nil
	case ready:
		return s.recountCalls()
	case s.readOnly:
		return notInitialised(s.path, "its rollups are of an older downforai")
	}
	var rebuild bool
	err := s.update("write", func(tx *bolt.Tx) error {
		root, err := tx.CreateBucketIfNotExists(bucketRollups)
		if err != nil {
			return err
		}
		for _, name := range [][]byte{bucketHour, bucketDay, bucketPruned} {
			if _, err := root.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keyRollups); v != nil {
			if ver, n := binary.Uvarint(v); n > 0 && ver >= rollupVersion {
				return nil
			}
		}
		rebuild = true
		return nil
	})
	if err != nil {
		return fmt.Errorf("initialise rollups of %s: %w", s.path, err)
	}
	if rebuild {
		if err := s.RebuildRollups(nil); err != nil {
			return err
		}
		err := s.update("write", func(tx *bolt.Tx) error {
			if err := tx.Bucket(bucketMeta).Put(keyRollupCalls, []byte{1}); err != nil {
				return err
			}
			return tx.Bucket(bucketMeta).Put(keyRollups, binary.AppendUvarint(nil, rollupVersion))
		})
		if err != nil {
			return fmt.Errorf("initialise rollups of %s: %w", s.path, err)
		}
	}
	return nil
}

// recountCalls rebuilds the rollups of Claude Code's sessions of a file
// that counted their attempts, once (keyRollupCalls).
func (s *Store) recountCalls() error {
	err := s.rebuildRollups([]probe.Target{probe.TargetSessions}, nil)
	if err == nil {
		err = s.update("write", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keyRollupCalls, []byte{1})
		})
	}
	if err != nil {
		return fmt.Errorf("count Claude Code's calls in the rollups of %s: %w", s.path, err)
	}
	return nil
}

// rollupBucket returns the target's bucket of period p, nil when missing.
func rollupBucket(tx *bolt.Tx, p period, t probe.Target) *bolt.Bucket {
	root := tx.Bucket(bucketRollups)
	if root == nil {
		return nil
	}
	pb := root.Bucket([]byte(p.name))
	if pb == nil {
		return nil
	}
	return pb.Bucket([]byte(t))
}

func rollupBucketForWrite(tx *bolt.Tx, p period, t probe.Target) (*bolt.Bucket, error) {
	b, err := tx.Bucket(bucketRollups).Bucket([]byte(p.name)).CreateBucketIfNotExists([]byte(t))
	if err != nil {
		return nil, fmt.Errorf("create bucket rollups/%s/%s: %w", p.name, t, err)
	}
	// Keys arrive in time order and only the newest record changes:
	// full pages, as for results.
	b.FillPercent = 1.0
	return b, nil
}

// encodeRollup appends s's counts and histogram to dst; From, To and
// Target are the key and the buckets.
func encodeRollup(dst []byte, s *probe.Summary) []byte {
	dst = append(dst, rollupVersion)
	dst = binary.AppendUvarint(dst, uint64(len(s.Counts)))
	for _, n := range s.Counts {
		dst = binary.AppendUvarint(dst, uint64(n))
	}
	bins := 0
	for _, n := range s.Latency {
		if n != 0 {
			bins++
		}
	}
	dst = binary.AppendUvarint(dst, uint64(bins))
	prev := 0
	for i, n := range s.Latency {
		if n != 0 {
			dst = binary.AppendUvarint(dst, uint64(i-prev))
			dst = binary.AppendUvarint(dst, uint64(n))
			prev = i
		}
	}
	dst = binary.AppendUvarint(dst, uint64(len(s.Spans)))
	for _, d := range s.Spans {
		dst = binary.AppendUvarint(dst, uint64(max(d, 0)/time.Millisecond))
	}
	return dst
}

// decodeRollup adds the counts of value v to s. Counts of classes this
// version does not know go to ClassUnknown.
func decodeRollup(v []byte, s *probe.Summary) error {
	d := decoder{b: v}
	ver := d.byte()
	if d.err == nil && ver != rollupVersion && ver != rollupVersionV1 {
		return fmt.Errorf("%w: rollup version %d, want %d", errCorrupt, ver, rollupVersion)
	}
	nc := d.uvarint()
	if d.err == nil && nc > 255 {
		d.fail("%d classes", nc)
	}
	for c := uint64(0); c < nc && d.err == nil; c++ {
		n := uint32(d.uvarint())
		if c < uint64(len(s.Counts)) {
			s.Counts[c] += n
		} else {
			s.Counts[probe.ClassUnknown] += n
		}
	}
	nb := d.uvarint()
	if d.err == nil && nb > probe.LatencyBins {
		d.fail("%d latency bins", nb)
	}
	i := uint64(0)
	for b := uint64(0); b < nb && d.err == nil; b++ {
		i += d.uvarint()
		n := uint32(d.uvarint())
		if d.err == nil && i >= probe.LatencyBins {
			d.fail("latency bin %d", i)
		}
		if d.err == nil {
			s.Latency[i] += n
		}
	}
	if ver == rollupVersion {
		ns := d.uvarint()
		if d.err == nil && ns > 255 {
			d.fail("%d spans", ns)
		}
		for c := uint64(0); c < ns && d.err == nil; c++ {
			ms := d.uvarint()
			if ms > uint64(400*day/time.Millisecond) {
				d.fail("span of %d ms", ms)
			}
			span := time.Duration(ms) * time.Millisecond
			if c < uint64(len(s.Spans)) {
				s.Spans[c] += span
			} else {
				s.Spans[probe.ClassUnknown] += span
			}
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	return d.err
}

// peekResult reads only the class and total latency of a result value:
// enough for a rollup, without touching its strings.
func peekResult(v []byte) (probe.Class, time.Duration, error) {
	d := decoder{b: v}
	ver := d.byte()
	if d.err == nil && ver != resultVersion && ver != resultVersionCanary {
		return 0, 0, fmt.Errorf("%w: value version %d, want %d", errCorrupt, ver, resultVersion)
	}
	c := probe.Class(d.byte())
	d.uvarint() // HTTP status
	for range 4 {
		d.uvarint() // DNS, connect, TLS, first byte
	}
	total := d.micros()
	if ver == resultVersionCanary {
		// A canary charts its time to first token (Result.Latency).
		if ft := d.micros(); ft > 0 {
			total = ft
		}
	}
	return c, total, d.err
}

// addPeeked counts a peeked result covering d into s as Summary.AddFor
// would.
func addPeeked(s *probe.Summary, c probe.Class, total, d time.Duration) {
	s.AddFor(probe.Result{Class: c, Phases: probe.Phases{Total: total}}, d)
}

// prevTime is the time of the result before key k in b, zero if none.
func prevTime(b *bolt.Bucket, k []byte) time.Time {
	c := b.Cursor()
	sk, _ := c.Seek(k)
	var pk []byte
	if sk == nil {
		pk, _ = c.Last()
		if pk != nil && bytes.Compare(pk, k) >= 0 {
			pk = nil
		}
	} else {
		pk, _ = c.Prev()
	}
	if len(pk) != 8 {
		return time.Time{}
	}
	return keyTime(pk)
}

// rollupKey names one rollup record.
type rollupKey struct {
	target probe.Target
	day    bool
	start  int64 // UnixNano of the period's start
}

// rollupDelta collects what a write transaction adds to the rollups, so
// that a batch of results reads and writes each touched record once.
type rollupDelta map[rollupKey]*rollupEntry

// rollupEntry is what a write adds to one rollup record, and the results
// it takes out (a retry of Claude Code's that its answer now ends is no
// call of its own).
type rollupEntry struct {
	probe.Summary
	less [len(probe.Summary{}.Counts)]uint32
}

func (d rollupDelta) entry(k rollupKey) *rollupEntry {
	e := d[k]
	if e == nil {
		e = new(rollupEntry)
		d[k] = e
	}
	return e
}

func (d rollupDelta) add(r probe.Result, cover time.Duration, hours, days bool) {
	for _, p := range [...]period{hourly, daily} {
		if (p == hourly && !hours) || (p == daily && !days) {
			continue
		}
		d.entry(rollupKey{r.Target, p == daily, p.floor(r.Time).UnixNano()}).AddFor(r, cover)
	}
}

// remove takes one result of class c at at out of its hour and day.
func (d rollupDelta) remove(t probe.Target, at time.Time, c probe.Class) {
	if !c.Valid() {
		c = probe.ClassUnknown
	}
	for _, p := range [...]period{hourly, daily} {
		d.entry(rollupKey{t, p == daily, p.floor(at).UnixNano()}).less[c]++
	}
}

// insert counts r, just put at key k of bucket b, covering the time since
// the result before it; the result after it, if any, now covers the time
// since r instead, so the rollups do not depend on the order results
// were written in (an import, a late batch).
func (d rollupDelta) insert(b *bolt.Bucket, r probe.Result, k []byte) {
	if r.Target == probe.TargetSessions {
		return // counted as calls around the write (callRecount), covering no time
	}
	prev := prevTime(b, k)
	d.add(r, probe.Cover(prev, r.Time), true, true)
	c := b.Cursor()
	if sk, _ := c.Seek(k); sk == nil {
		return
	}
	nk, nv := c.Next()
	if len(nk) != 8 {
		return
	}
	cl, _, err := peekResult(nv)
	if err != nil || !cl.Valid() {
		return
	}
	nt := keyTime(nk)
	if diff := probe.Cover(r.Time, nt) - probe.Cover(prev, nt); diff != 0 {
		for _, p := range [...]period{hourly, daily} {
			d.entry(rollupKey{r.Target, p == daily, p.floor(nt).UnixNano()}).Spans[cl] += diff
		}
	}
}

// flush merges the delta into the stored rollups inside tx.
func (d rollupDelta) flush(tx *bolt.Tx) error {
	keys := make([]rollupKey, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b rollupKey) int {
		if a.target != b.target {
			return cmp.Compare(string(a.target), string(b.target))
		}
		if a.day != b.day {
			if a.day {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.start, b.start)
	})
	var b *bolt.Bucket
	var bt probe.Target
	var bday bool
	var val []byte
	for i, k := range keys {
		if i == 0 || k.target != bt || k.day != bday {
			p := hourly
			if k.day {
				p = daily
			}
			var err error
			if b, err = rollupBucketForWrite(tx, p, k.target); err != nil {
				return err
			}
			bt, bday = k.target, k.day
		}
		var key [8]byte
		binary.BigEndian.PutUint64(key[:], uint64(k.start))
		sum := d[k].Summary
		if old := b.Get(key[:]); old != nil {
			if err := decodeRollup(old, &sum); err != nil {
				return fmt.Errorf("rollup of %s at %v: %w", k.target, time.Unix(0, k.start).UTC(), err)
			}
		}
		for i, n := range d[k].less {
			sum.Counts[i] -= min(n, sum.Counts[i])
		}
		for i, sp := range sum.Spans {
			sum.Spans[i] = max(sp, 0) // a shrunk cover never takes more than was added
		}
		val = encodeRollup(val[:0], &sum)
		if err := b.Put(bytes.Clone(key[:]), bytes.Clone(val)); err != nil {
			return fmt.Errorf("put rollup of %s: %w", k.target, err)
		}
	}
	return nil
}

// prunedBefore is the time from which the target's raw results are
// complete: every result ever pruned was older. Zero when none was.
func prunedBefore(tx *bolt.Tx, t probe.Target) time.Time {
	root := tx.Bucket(bucketRollups)
	if root == nil {
		return time.Time{}
	}
	v := root.Bucket(bucketPruned).Get([]byte(t))
	if len(v) != 8 {
		return time.Time{}
	}
	return keyTime(v)
}

// notePruned records that results of t up to and including the time key
// last were deleted.
func notePruned(tx *bolt.Tx, t probe.Target, last []byte) error {
	next := time.Unix(0, int64(binary.BigEndian.Uint64(last))+1)
	if next.Before(prunedBefore(tx, t)) {
		return nil
	}
	k, _ := timeKey(next)
	return tx.Bucket(bucketRollups).Bucket(bucketPruned).Put([]byte(t), k[:])
}

// RebuildRollups recomputes every rollup that the raw results can still
// answer for: hours and days that begin at or after the oldest pruned
// result. Older rollups, whose raw results are gone, are kept as they
// are. progress, if not nil, hears results done out of results to do.
func (s *Store) RebuildRollups(progress Progress) error {
	targets, err := s.targets()
	if err != nil {
		return err
	}
	return s.rebuildRollups(targets, progress)
}

func (s *Store) rebuildRollups(targets []probe.Target, progress Progress) error {
	var total, done int64
	if progress != nil {
		counts, err := s.Counts()
		if err != nil {
			return err
		}
		for _, n := range counts {
			total += int64(n)
		}
		progress(0, total)
	}
	for _, t := range targets {
		var hs, ds time.Time
		err := s.writeTx(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
			pruned := prunedBefore(tx, t)
			hs, ds = hourly.ceil(pruned), daily.ceil(pruned)
			if err := deleteFrom(tx, hourly, t, hs); err != nil {
				return err
			}
			return deleteFrom(tx, daily, t, ds)
		})
		if err != nil {
			return fmt.Errorf("rebuild rollups of %s: %w", t, err)
		}
		if t == probe.TargetSessions {
			err := s.rebuildCalls(hs, ds, func(n int) {
				done += int64(n)
				if progress != nil {
					progress(done, total)
				}
			})
			if err != nil {
				return err
			}
			continue
		}
		next := boundKey(hs)
		for next != nil {
			delta := rollupDelta{}
			n := 0
			err := s.view("read", func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketResults).Bucket([]byte(t))
				if b == nil {
					next = nil
					return nil
				}
				prev := prevTime(b, next)
				c := b.Cursor()
				k, v := c.Seek(next)
				for ; k != nil && n < rebuildChunk; k, v = c.Next() {
					cl, total, err := peekResult(v)
					if err != nil {
						return fmt.Errorf("results/%s at %v: %w", t, keyTime(k), err)
					}
					at := keyTime(k)
					delta.add(probe.Result{Target: t, Time: at, Class: cl, Phases: probe.Phases{Total: total}},
						probe.Cover(prev, at), !at.Before(hs), !at.Before(ds))
					prev = at
					n++
				}
				if k == nil {
					next = nil
				} else {
					next = bytes.Clone(k)
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("rebuild rollups of %s: %w", t, err)
			}
			err = s.writeTx(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error { return delta.flush(tx) })
			if err != nil {
				return fmt.Errorf("rebuild rollups of %s: %w", t, err)
			}
			done += int64(n)
			if progress != nil {
				progress(done, total)
			}
		}
	}
	return nil
}

// deleteFrom deletes the target's rollups of period p starting at or
// after from.
func deleteFrom(tx *bolt.Tx, p period, t probe.Target, from time.Time) error {
	b := rollupBucket(tx, p, t)
	if b == nil {
		return nil
	}
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(boundKey(from)); k != nil; k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
