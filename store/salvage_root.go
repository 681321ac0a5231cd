package store

import (
	"bytes"
	"errors"
	"io"
)

// Finding the tree to copy from when the meta pages, or the root bucket
// they point at, are damaged.

// bestRoot picks the tree to copy from: the root of the meta page bbolt
// would use, or of the other valid one if that reads more records; with
// both meta pages gone, a page that looks like the root bucket (a leaf of
// nothing but downforai's top-level buckets), trying every one found.
func bestRoot(f io.ReaderAt, size int64) (root []byte, freelist uint64, pg *pager, err error) {
	type cand struct {
		root, freelist uint64
		pg             *pager
	}
	var cands []cand
	use, errs, ok := metas(f, size)
	if ok {
		cands = append(cands, cand{use.root, use.freelist, &pager{r: f, size: size, psz: int(use.pageSize), hwm: use.hwm}})
		// The other meta page, one transaction older.
		buf := make([]byte, pageHeaderSize+64)
		for i, off := range []int64{0, int64(use.pageSize)} {
			if errs[i] != nil {
				continue
			}
			if _, err := f.ReadAt(buf, off); err == nil {
				if m, err := parseMeta(buf); err == nil && m.root != use.root {
					cands = append(cands, cand{m.root, m.freelist, &pager{r: f, size: size, psz: int(m.pageSize), hwm: m.hwm}})
				}
			}
		}
	} else {
		for psz := int64(minPageSize); psz <= 64<<10; psz *= 2 {
			pg := &pager{r: f, size: size, psz: int(psz), hwm: uint64(size / psz)}
			for id := uint64(2); id < pg.hwm; id++ {
				if looksLikeRoot(pg, id) {
					cands = append(cands, cand{id, noFreelist, pg})
				}
			}
			if len(cands) > 0 {
				break
			}
		}
	}
	if len(cands) == 0 {
		return nil, 0, nil, errors.New("no readable root: nothing can be recovered")
	}
	// The tree to trust: one that reads without a problem (an old copy
	// whose pages were reused does not), then the one holding the newest
	// result, then the most records — except that the tree bbolt would
	// use, damaged, still beats a sound older one that holds no newer
	// result: after an import, or any file written in few commits, the
	// older meta page's tree may be the empty file the import began with,
	// sound and holding nothing, and choosing it recovered nothing while
	// saying nothing was lost.
	type score struct {
		sound  bool
		newest []byte
		n      int
	}
	better := func(a, b score) bool {
		if a.sound != b.sound {
			return a.sound
		}
		if c := bytes.Compare(a.newest, b.newest); c != 0 {
			return c > 0
		}
		return a.n > b.n
	}
	best, bestScore := 0, score{n: -1}
	var inUse score
	for i, c := range cands {
		var sc score
		w := newWalker(c.pg)
		w.kv = func(path []string, k, _ []byte) {
			sc.n++
			if len(path) == 2 && path[0] == "results" && bytes.Compare(k, sc.newest) > 0 {
				sc.newest = bytes.Clone(k)
			}
		}
		w.bucket(nil, rootHeader(c.root))
		sc.sound = len(w.problems) == 0
		if i == 0 {
			inUse = sc
		}
		if i == 0 || better(sc, bestScore) {
			best, bestScore = i, sc
		}
	}
	if ok && best != 0 && !inUse.sound && bestScore.sound {
		if a, b := inUse, bestScore; bytes.Compare(a.newest, b.newest) > 0 || (bytes.Equal(a.newest, b.newest) && a.n > b.n) {
			best = 0
		}
	}
	c := cands[best]
	return rootHeader(c.root), c.freelist, c.pg, nil
}

func rootHeader(root uint64) []byte {
	h := make([]byte, bucketHeaderSize)
	native.PutUint64(h, root)
	return h
}

// looksLikeRoot reports whether page id is a leaf holding only nested
// buckets with printable names, meta and results among them: downforai's
// root bucket (a newer schema may have more buckets).
func looksLikeRoot(pg *pager, id uint64) bool {
	buf, flags, err := pg.page(id)
	if err != nil || flags != leafPage {
		return false
	}
	n := int(native.Uint16(buf[10:]))
	if n == 0 || pageHeaderSize+n*elemSize > len(buf) {
		return false
	}
	var meta, results bool
	for i := range n {
		at := pageHeaderSize + i*elemSize
		e := buf[at : at+elemSize]
		pos, ksize := int(native.Uint32(e[4:])), int(native.Uint32(e[8:]))
		if native.Uint32(e)&bucketLeafFlag == 0 || ksize == 0 || ksize > 64 || at+pos+ksize > len(buf) {
			return false
		}
		k := string(buf[at+pos : at+pos+ksize])
		if printable(k) != k {
			return false
		}
		meta, results = meta || k == string(bucketMeta), results || k == string(bucketResults)
	}
	return meta && results
}
