package store

import (
	"bytes"
	"slices"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// When a page high in the file's index is lost (overwritten), the leaves
// below it are intact but unreachable. placeUnreached puts them back by
// elimination, never by guessing: with a sound free list, every page
// below the high-water mark is either reached from the root, free, or
// under one of the lost parts of the index. So an unreached page that is
// not free is a page of a lost part, and a leaf whose keys and values fit
// exactly one lost part belongs there. Leaves that fit none or several are
// counted as unplaced and left behind. Without a sound free list (a file
// cut short usually loses it with the pages nearest the root, which bbolt
// rewrites on every commit and so keeps near the end) nothing is placed:
// a free page holds an old copy of some page, which would pass for data.

// lostPart is a subtree the walk could not read: keys lo to hi (nil: open)
// of the bucket at path.
type lostPart struct {
	path   []string
	lo, hi []byte
}

// unlinkedLeaf is a leaf page placed under a lost part.
type unlinkedLeaf struct {
	id   uint64
	path []string
}

// placeablePath reports whether leaves of a bucket can be recognised by
// their values: results, rollups and status snapshots can; strings (any
// bytes) cannot.
func placeablePath(path []string) bool {
	switch {
	case len(path) == 1:
		return path[0] == "status"
	case len(path) == 2:
		return path[0] == "results"
	case len(path) == 3:
		return path[0] == "rollups" && (path[1] == hourly.name || path[1] == daily.name)
	}
	return false
}

// fits reports whether every value decodes as a record of the bucket at
// path.
func fits(path []string, kvs [][2][]byte) bool {
	for _, kv := range kvs {
		k, v := kv[0], kv[1]
		if len(k) != 8 {
			return false
		}
		switch path[0] {
		case "results":
			r, err := decodeResult(v, func(uint64) (string, bool) { return "", true })
			if err != nil || !r.Class.Valid() {
				return false
			}
		case "rollups":
			var sum probe.Summary
			if decodeRollup(v, &sum) != nil {
				return false
			}
		case "status":
			if _, err := decodeStatus(v); err != nil {
				return false
			}
		}
	}
	return true
}

// placeUnreached returns the unreached, unfree leaves that fit exactly one
// lost part, and how many leaves could not be placed. reached marks the
// pages the walk reached; free is the free list, nil when it is not sound.
func placeUnreached(pg *pager, reached []bool, free map[uint64]bool, lost []lostPart) (placed []unlinkedLeaf, unplaced int) {
	if len(lost) == 0 {
		return nil, 0
	}
	pages := min(pg.hwm, uint64(pg.size/int64(pg.psz)))
	for id := uint64(2); id < pages; id++ {
		if reached[id] || free[id] {
			continue
		}
		buf, flags, err := pg.page(id)
		if err != nil || flags != leafPage {
			continue
		}
		var kvs [][2][]byte
		w := newWalker(pg)
		w.skip = func([]string) bool { return true }
		w.kv = func(_ []string, k, v []byte) { kvs = append(kvs, [2][]byte{k, v}) }
		w.leaf(nil, buf, nil, nil, false)
		if len(w.problems) > 0 || len(kvs) == 0 {
			continue
		}
		if free == nil {
			unplaced++
			continue
		}
		first, last := kvs[0][0], kvs[len(kvs)-1][0]
		var home []string
		n := 0
		for _, p := range lost {
			if !placeablePath(p.path) || (p.lo != nil && bytes.Compare(first, p.lo) < 0) || (p.hi != nil && bytes.Compare(last, p.hi) >= 0) {
				continue
			}
			if fits(p.path, kvs) && (n == 0 || !slices.Equal(home, p.path)) {
				home = p.path
				n++
			}
		}
		if n != 1 {
			unplaced++
			continue
		}
		placed = append(placed, unlinkedLeaf{id: id, path: home})
	}
	return placed, unplaced
}

// read hands over the keys and values of the leaf.
func (u unlinkedLeaf) read(pg *pager, kv func(path []string, k, v []byte)) {
	buf, flags, err := pg.page(u.id)
	if err != nil || flags != leafPage {
		return
	}
	w := newWalker(pg)
	w.kv = kv
	w.skip = func([]string) bool { return true } // no nested buckets here
	w.leaf(u.path, buf, nil, nil, false)
}

// harvest copies the records of unlinked leaves that the index did not
// already give, one leaf per transaction.
func (c *copier) harvest(pg *pager, leaves []unlinkedLeaf) {
	for _, u := range leaves {
		if c.err != nil {
			continue
		}
		type kv struct{ k, v []byte }
		var recs []kv
		u.read(pg, func(_ []string, k, v []byte) { recs = append(recs, kv{bytes.Clone(k), bytes.Clone(v)}) })
		path := u.path
		c.err = c.s.writeTx(func(tx *bolt.Tx, intern func(string) (uint64, bool)) error {
			for _, r := range recs {
				if len(r.k) != 8 {
					c.rep.Undecodable++
					continue
				}
				var b *bolt.Bucket
				var val []byte
				var err error
				switch path[0] {
				case "results":
					t := probe.Target(path[1])
					res, ok, lost := c.decode(r.v)
					if !ok {
						c.rep.Undecodable++
						continue
					}
					if b, err = resultBucket(tx.Bucket(bucketResults), t); err != nil {
						return err
					}
					if b.Get(r.k) != nil {
						continue
					}
					res.Target, res.Time = t, keyTime(r.k)
					if val, err = encodeResult(nil, res, intern); err != nil {
						return err
					}
					if lost {
						c.rep.TextsLost++
					}
					c.rep.Results[t]++
				case "rollups":
					var sum probe.Summary
					if decodeRollup(r.v, &sum) != nil {
						c.rep.Undecodable++
						continue
					}
					p := hourly
					if path[1] == daily.name {
						p = daily
					}
					if b, err = rollupBucketForWrite(tx, p, probe.Target(path[2])); err != nil {
						return err
					}
					if b.Get(r.k) != nil {
						continue
					}
					if p == daily {
						c.rep.DayRollups++
					} else {
						c.rep.HourRollups++
					}
					val = r.v
				case "status":
					if _, err := decodeStatus(r.v); err != nil {
						c.rep.Undecodable++
						continue
					}
					if b = tx.Bucket(bucketStatus); b.Get(r.k) != nil {
						continue
					}
					c.rep.Statuses++
					val = r.v
				}
				if err := b.Put(r.k, val); err != nil {
					return err
				}
				c.rep.Unlinked++
			}
			return nil
		})
	}
}
