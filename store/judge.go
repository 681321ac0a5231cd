package store

import (
	"fmt"
	"io"
)

// The judge reads a bbolt file the way bbolt lays it out on disk — two meta
// pages, then branch, leaf and freelist pages — with plain reads, never a
// memory map, and checks every page it reaches before anything trusts it.
// bbolt itself trusts the file: a page that is not what its parent says
// panics ("Page expected to be: 46, but self identifies as 0"), a page
// past the end of a cut file is a memory fault that kills the process, and
// opening such a file for writing grows and rewrites it. So Open judges the
// file first (judgeFile), and Salvage copies out of a damaged one with the
// same walker, skipping what does not hold together.
//
// The layout, the meta pages and the page reads are in judge_layout.go;
// the walk over the tree in judge_walk.go; what a record must hold in
// judge_records.go.

// judgement is what judgeFile found.
type judgement struct {
	meta      boltMeta
	metaErrs  [2]error // why a meta page is unusable (nil: fine)
	problem   string   // the first problem found; "" when the file is sound
	pages     int      // pages checked
	cancelled bool     // the walk was stopped before it was over: no verdict
}

// judgeFile checks the bbolt file r of size bytes: its meta pages, that it
// is as long as its meta says, every page of every bucket reachable from
// the root, and the free list. It stops at the first problem. It reads
// only; nothing is written.
func judgeFile(r io.ReaderAt, size int64) judgement { return judgeUntil(r, size, nil) }

// judgeUntil is judgeFile, stopped (cancelled) when quit is closed.
func judgeUntil(r io.ReaderAt, size int64, quit <-chan struct{}) judgement {
	j, ok := judgeHead(r, size, false) // the walk reads the free list last
	if !ok {
		return j
	}
	m := j.meta
	w := newWalker(&pager{r: r, size: size, psz: int(m.pageSize), hwm: m.hwm})
	w.stopAt, w.quit = 1, quit
	w.kv = func(path []string, k, v []byte) {
		if why := judgeRecord(path, k, v); why != "" {
			w.problem(path, nil, nil, why)
		}
	}
	w.seen[0], w.seen[1] = true, true
	root := make([]byte, bucketHeaderSize)
	native.PutUint64(root, m.root)
	w.bucket(nil, root)
	if len(w.problems) == 0 && !w.cancelled && m.freelist != noFreelist {
		w.freelist(m.freelist)
	}
	j.pages, j.cancelled = w.pages, w.cancelled
	if len(w.problems) > 0 {
		j.problem, j.cancelled = w.problems[0], false
	}
	return j
}

// judgeHead checks what bbolt reads when it opens the file for writing,
// and no more: its meta pages, that the file is as long as they say (so
// no page below the high-water mark lies past the end of the memory
// map), and, with freelist, the free list page on its own (bbolt loads it
// at once). A few reads, whatever the file's size. ok is false when that
// already fails (j.problem says why).
func judgeHead(r io.ReaderAt, size int64, freelist bool) (j judgement, ok bool) {
	m, errs, ok := metas(r, size)
	j = judgement{meta: m, metaErrs: errs}
	if !ok {
		j.problem = fmt.Sprintf("neither of its two meta pages is readable (%v; %v)", errs[0], errs[1])
		return j, false
	}
	if need := int64(m.hwm) * int64(m.pageSize); size < need {
		j.problem = fmt.Sprintf("the file is cut short: %d bytes where its meta page needs %d", size, need)
		return j, false
	}
	if freelist && m.freelist != noFreelist {
		if _, _, err := readFreelist(&pager{r: r, size: size, psz: int(m.pageSize), hwm: m.hwm}, m.freelist); err != nil {
			j.problem = "free list: " + err.Error()
			return j, false
		}
	}
	return j, true
}
