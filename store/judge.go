package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
)

// This file reads a bbolt file the way bbolt lays it out on disk — two meta
// pages, then branch, leaf and freelist pages — with plain reads, never a
// memory map, and checks every page it reaches before anything trusts it.
// bbolt itself trusts the file: a page that is not what its parent says
// panics ("Page expected to be: 46, but self identifies as 0"), a page
// past the end of a cut file is a memory fault that kills the process, and
// opening such a file for writing grows and rewrites it. So Open judges the
// file first (judgeFile), and Salvage copies out of a damaged one with the
// same walker, skipping what does not hold together.
//
// The layout (go.etcd.io/bbolt internal/common, machine byte order):
//
//	page header   id u64, flags u16, count u16, overflow u32 (16 bytes)
//	meta          magic u32, version u32, page size u32, flags u32,
//	              root bucket {root page u64, sequence u64}, freelist page u64,
//	              high-water mark u64, txid u64, fnv-64a of the above u64
//	branch elem   pos u32, key size u32, child page u64; key at elem+pos
//	leaf elem     flags u32, pos u32, key size u32, value size u32; key at
//	              elem+pos, value right after; flag 1 = nested bucket, whose
//	              value is {root page u64, sequence u64} and, when the root
//	              is 0, an inline leaf page
//	freelist      count (0xFFFF: the real count is the first u64), then ids

const (
	pageHeaderSize   = 16
	elemSize         = 16
	bucketHeaderSize = 16

	branchPage   = 0x01
	leafPage     = 0x02
	metaPage     = 0x04
	freelistPage = 0x10

	bucketLeafFlag = 0x01

	noFreelist  = ^uint64(0)
	boltVersion = 2

	minPageSize = 1024
	maxPageSize = 1 << 24
)

var native = binary.NativeEndian

// boltMeta is one meta page, decoded.
type boltMeta struct {
	pageSize uint32
	root     uint64 // page of the root bucket
	freelist uint64 // page of the free list, or noFreelist
	hwm      uint64 // high-water mark: pages below it are in use or free
	txid     uint64
}

// parseMeta decodes the meta page at the start of b (a whole page or at
// least its first 80 bytes) and says what is wrong with it, if anything.
func parseMeta(b []byte) (boltMeta, error) {
	const size = pageHeaderSize + 64
	if len(b) < size {
		return boltMeta{}, errors.New("too short")
	}
	m := b[pageHeaderSize:size]
	if native.Uint32(m[0:]) != boltMagic {
		return boltMeta{}, errors.New("no bbolt magic")
	}
	if v := native.Uint32(m[4:]); v != boltVersion {
		return boltMeta{}, fmt.Errorf("bbolt format %d", v)
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != native.Uint64(m[56:]) {
		return boltMeta{}, errors.New("checksum does not match")
	}
	meta := boltMeta{
		pageSize: native.Uint32(m[8:]),
		root:     native.Uint64(m[16:]),
		freelist: native.Uint64(m[32:]),
		hwm:      native.Uint64(m[40:]),
		txid:     native.Uint64(m[48:]),
	}
	switch {
	case meta.pageSize < minPageSize || meta.pageSize > maxPageSize || meta.pageSize&(meta.pageSize-1) != 0:
		return boltMeta{}, fmt.Errorf("page size %d", meta.pageSize)
	case meta.hwm < 2:
		return boltMeta{}, fmt.Errorf("high-water mark %d", meta.hwm)
	case meta.root < 2 || meta.root >= meta.hwm:
		return boltMeta{}, fmt.Errorf("root page %d outside 2…%d", meta.root, meta.hwm-1)
	case meta.freelist != noFreelist && (meta.freelist < 2 || meta.freelist >= meta.hwm):
		return boltMeta{}, fmt.Errorf("freelist page %d outside 2…%d", meta.freelist, meta.hwm-1)
	}
	return meta, nil
}

// metas reads both meta pages as bbolt finds them: page 0 at offset 0,
// page 1 one page further, the page size taken from whichever is valid.
// It returns the one bbolt would use (the valid one with the higher txid)
// and why each is unusable; ok is false when neither is valid.
func metas(r io.ReaderAt, size int64) (use boltMeta, errs [2]error, ok bool) {
	buf := make([]byte, pageHeaderSize+64)
	read := func(off int64) (boltMeta, error) {
		if off+int64(len(buf)) > size {
			return boltMeta{}, errors.New("past the end of the file")
		}
		if _, err := r.ReadAt(buf, off); err != nil {
			return boltMeta{}, err
		}
		return parseMeta(buf)
	}
	var ms [2]boltMeta
	ms[0], errs[0] = read(0)
	if errs[0] == nil {
		ms[1], errs[1] = read(int64(ms[0].pageSize))
		if errs[1] == nil && ms[1].pageSize != ms[0].pageSize {
			errs[1] = fmt.Errorf("page size %d, the other meta page says %d", ms[1].pageSize, ms[0].pageSize)
		}
	} else {
		errs[1] = errors.New("not found at any page size")
		for off := int64(minPageSize); off <= maxPageSize; off *= 2 {
			if m, err := read(off); err == nil && int64(m.pageSize) == off {
				ms[1], errs[1] = m, nil
				break
			}
		}
	}
	switch {
	case errs[0] == nil && errs[1] == nil:
		if ms[1].txid > ms[0].txid {
			return ms[1], errs, true
		}
		return ms[0], errs, true
	case errs[0] == nil:
		return ms[0], errs, true
	case errs[1] == nil:
		return ms[1], errs, true
	}
	return boltMeta{}, errs, false
}

// pager reads checked pages of one file.
type pager struct {
	r    io.ReaderAt
	size int64
	psz  int
	hwm  uint64 // pages at or above it do not exist

	free [][]byte // one-page buffers to reuse (see release)
}

// page reads page id and its overflow pages, checking that it lies inside
// the file and names itself id. It returns the bytes and the page's flags.
func (p *pager) page(id uint64) ([]byte, uint16, error) {
	if id < 2 || id >= p.hwm {
		return nil, 0, fmt.Errorf("page %d does not exist (the file has %d)", id, p.hwm)
	}
	if int64(id+1)*int64(p.psz) > p.size {
		return nil, 0, fmt.Errorf("page %d lies past the end of the file (cut short)", id)
	}
	buf := p.get()
	if _, err := p.r.ReadAt(buf, int64(id)*int64(p.psz)); err != nil {
		return nil, 0, fmt.Errorf("page %d: %w", id, err)
	}
	if got := native.Uint64(buf); got != id {
		return nil, 0, fmt.Errorf("page %d identifies itself as %d", id, got)
	}
	overflow := uint64(native.Uint32(buf[12:]))
	if overflow > 0 {
		if id+overflow >= p.hwm {
			return nil, 0, fmt.Errorf("page %d runs %d pages past the end", id, id+overflow-p.hwm+1)
		}
		if int64(id+overflow+1)*int64(p.psz) > p.size {
			return nil, 0, fmt.Errorf("page %d runs past the end of the file (cut short)", id)
		}
		buf = append(buf, make([]byte, overflow*uint64(p.psz))...)
		if _, err := p.r.ReadAt(buf[p.psz:], int64(id+1)*int64(p.psz)); err != nil {
			return nil, 0, fmt.Errorf("page %d: %w", id, err)
		}
	}
	return buf, native.Uint16(buf[8:]), nil
}

// get returns a one-page buffer, reused when one was released.
func (p *pager) get() []byte {
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		return b
	}
	return make([]byte, p.psz)
}

// release hands back a buffer page returned, once nothing refers to its
// bytes any more (the walker's hooks copy what they keep).
func (p *pager) release(b []byte) {
	if len(b) == p.psz && len(p.free) < 64 {
		p.free = append(p.free, b)
	}
}

// span is the number of pages page id takes, from its header.
func span(buf []byte, psz int) int { return len(buf) / psz }

// walker visits a bbolt tree page by page. Every page is checked before it
// is used: that it exists, names itself, has a known type, that its
// elements fit inside it, that keys are sorted and inside the range its
// parent gives them, and that no page is reached twice. A page that fails
// is reported and its subtree skipped; the walk goes on.
type walker struct {
	p    *pager
	seen []bool // pages reached, by id

	// stopAt ends the walk after that many problems (0: never).
	stopAt   int
	problems []string

	// skip, if set, says not to descend into the bucket at path.
	skip func(path []string) bool
	// kv hears every key and value of every bucket, with the bucket's path.
	kv func(path []string, k, v []byte)
	// lost hears a subtree of bucket path that could not be read: keys
	// from lo (nil: the start) up to hi (nil: the end), and why.
	lost func(path []string, lo, hi []byte, why string)

	// onLeaf hears every sound leaf page (not inline ones) with its
	// bucket and whether its key range is closed (it is not the last
	// page of its bucket).
	onLeaf func(path []string, id uint64, closed bool)

	pages int            // pages read and found sound
	tick  func(read int) // if set, hears the count of pages read so far
	read  int

	// quit, if set, ends the walk when it is closed (cancelled reports it).
	quit      <-chan struct{}
	cancelled bool
}

func newWalker(p *pager) *walker {
	return &walker{p: p, seen: make([]bool, p.hwm)}
}

func (w *walker) stopped() bool {
	if w.quit != nil && !w.cancelled {
		select {
		case <-w.quit:
			w.cancelled = true
		default:
		}
	}
	return w.cancelled || w.stopAt > 0 && len(w.problems) >= w.stopAt
}

func (w *walker) problem(path []string, lo, hi []byte, why string) {
	w.problems = append(w.problems, why)
	if w.lost != nil {
		w.lost(path, lo, hi, why)
	}
}

// bucket walks the bucket at path whose header is h (16 bytes, then the
// inline page when its root is 0).
func (w *walker) bucket(path []string, h []byte) {
	if w.stopped() || (w.skip != nil && w.skip(path)) {
		return
	}
	root := native.Uint64(h)
	if root != 0 {
		w.node(path, root, nil, nil)
		return
	}
	inline := h[bucketHeaderSize:]
	if len(inline) < pageHeaderSize {
		w.problem(path, nil, nil, fmt.Sprintf("bucket %s: inline page cut short", pathName(path)))
		return
	}
	if native.Uint16(inline[8:]) != leafPage {
		w.problem(path, nil, nil, fmt.Sprintf("bucket %s: inline page is not a leaf", pathName(path)))
		return
	}
	w.leaf(path, inline, nil, nil, true)
}

// node walks page id of bucket path, whose keys must lie in [lo, hi).
func (w *walker) node(path []string, id uint64, lo, hi []byte) {
	if w.stopped() {
		return
	}
	if id < uint64(len(w.seen)) && w.seen[id] {
		w.problem(path, lo, hi, fmt.Sprintf("bucket %s: page %d is reached twice", pathName(path), id))
		return
	}
	buf, flags, err := w.p.page(id)
	if w.read++; w.tick != nil {
		w.tick(w.read)
	}
	if err != nil {
		w.problem(path, lo, hi, fmt.Sprintf("bucket %s: %v", pathName(path), err))
		return
	}
	defer w.p.release(buf)
	for i := range span(buf, w.p.psz) {
		w.seen[id+uint64(i)] = true
	}
	switch flags {
	case branchPage:
		w.branch(path, id, buf, lo, hi)
	case leafPage:
		w.leaf(path, buf, lo, hi, false)
	default:
		w.problem(path, lo, hi, fmt.Sprintf("bucket %s: page %d has type %#x, not branch or leaf", pathName(path), id, flags))
	}
}

func (w *walker) branch(path []string, id uint64, buf, lo, hi []byte) {
	n := int(native.Uint16(buf[10:]))
	type child struct {
		key []byte
		id  uint64
	}
	kids := make([]child, 0, n)
	bad := func(format string, a ...any) {
		w.problem(path, lo, hi, fmt.Sprintf("bucket %s: branch page %d: ", pathName(path), id)+fmt.Sprintf(format, a...))
	}
	if n == 0 || pageHeaderSize+n*elemSize > len(buf) {
		bad("%d elements do not fit", n)
		return
	}
	for i := range n {
		at := pageHeaderSize + i*elemSize
		e := buf[at : at+elemSize]
		pos, ksize := int(native.Uint32(e)), int(native.Uint32(e[4:]))
		if pos < 0 || ksize < 0 || at+pos+ksize > len(buf) || at+pos < pageHeaderSize+n*elemSize {
			bad("element %d points outside the page", i)
			return
		}
		k := buf[at+pos : at+pos+ksize]
		if i > 0 && bytes.Compare(k, kids[i-1].key) <= 0 {
			bad("keys out of order")
			return
		}
		if (lo != nil && bytes.Compare(k, lo) < 0) || (hi != nil && bytes.Compare(k, hi) >= 0) {
			bad("keys outside the range of the parent page")
			return
		}
		kids = append(kids, child{k, native.Uint64(e[8:])})
	}
	w.pages++
	for i, c := range kids {
		to := hi
		if i+1 < len(kids) {
			to = kids[i+1].key
		}
		w.node(path, c.id, c.key, to)
		if w.stopped() {
			return
		}
	}
}

// leaf checks a leaf page (or an inline bucket's page) as a whole, then
// hands over its keys and values and walks its nested buckets.
func (w *walker) leaf(path []string, buf, lo, hi []byte, inline bool) {
	n := int(native.Uint16(buf[10:]))
	bad := func(format string, a ...any) {
		where := "inline page"
		if !inline {
			where = fmt.Sprintf("leaf page %d", native.Uint64(buf))
		}
		w.problem(path, lo, hi, fmt.Sprintf("bucket %s: %s: ", pathName(path), where)+fmt.Sprintf(format, a...))
	}
	if pageHeaderSize+n*elemSize > len(buf) {
		bad("%d elements do not fit", n)
		return
	}
	// elem reads element i; ok is false when it points outside the page.
	elem := func(i int) (flags uint32, k, v []byte, ok bool) {
		at := pageHeaderSize + i*elemSize
		e := buf[at : at+elemSize]
		flags = native.Uint32(e)
		pos, ksize, vsize := int(native.Uint32(e[4:])), int(native.Uint32(e[8:])), int(native.Uint32(e[12:]))
		end := at + pos + ksize + vsize
		if pos < 0 || ksize < 0 || vsize < 0 || end > len(buf) || end < at || at+pos < pageHeaderSize+n*elemSize {
			return flags, nil, nil, false
		}
		return flags, buf[at+pos : at+pos+ksize], buf[at+pos+ksize : end], true
	}
	var prev []byte
	for i := range n {
		flags, k, v, ok := elem(i)
		switch {
		case flags&^bucketLeafFlag != 0:
			bad("element %d has flags %#x", i, flags)
			return
		case !ok:
			bad("element %d points outside the page", i)
			return
		case i > 0 && bytes.Compare(k, prev) <= 0:
			bad("keys out of order")
			return
		case (lo != nil && bytes.Compare(k, lo) < 0) || (hi != nil && bytes.Compare(k, hi) >= 0):
			bad("keys outside the range of the parent page")
			return
		case flags&bucketLeafFlag != 0 && len(v) < bucketHeaderSize:
			bad("bucket %q has a short header", k)
			return
		case flags&bucketLeafFlag != 0 && inline && native.Uint64(v) == 0:
			bad("inline bucket %q inside an inline bucket", k)
			return
		}
		prev = k
	}
	if !inline {
		w.pages++
		if w.onLeaf != nil {
			w.onLeaf(path, native.Uint64(buf), hi != nil)
		}
	}
	if w.kv == nil && !w.nested(buf, n) {
		return
	}
	for i := range n {
		flags, k, v, _ := elem(i)
		if flags&bucketLeafFlag != 0 {
			w.bucket(append(slices.Clip(path), string(k)), v)
		} else if w.kv != nil {
			w.kv(path, k, v)
		}
		if w.stopped() {
			return
		}
	}
}

// nested reports whether any of the n elements of a leaf is a bucket.
func (w *walker) nested(buf []byte, n int) bool {
	for i := range n {
		if native.Uint32(buf[pageHeaderSize+i*elemSize:])&bucketLeafFlag != 0 {
			return true
		}
	}
	return false
}

// readFreelist reads the free list at page id: the free pages, each of
// which must exist and be listed once, and the pages the list itself
// takes.
func readFreelist(p *pager, id uint64) (free map[uint64]bool, own []uint64, err error) {
	buf, flags, err := p.page(id)
	if err != nil {
		return nil, nil, err
	}
	if flags != freelistPage {
		return nil, nil, fmt.Errorf("page %d has type %#x", id, flags)
	}
	for i := range span(buf, p.psz) {
		own = append(own, id+uint64(i))
	}
	n, at := uint64(native.Uint16(buf[10:])), pageHeaderSize
	if n == 0xFFFF {
		if len(buf) < at+8 {
			return nil, nil, errors.New("cut short")
		}
		n, at = native.Uint64(buf[at:]), at+8
	}
	if n > uint64(len(buf)-at)/8 {
		return nil, nil, fmt.Errorf("%d ids do not fit in %d bytes", n, len(buf)-at)
	}
	free = make(map[uint64]bool, n)
	for i := range n {
		pg := native.Uint64(buf[at+int(i)*8:])
		switch {
		case pg < 2 || pg >= p.hwm:
			return nil, nil, fmt.Errorf("page %d does not exist", pg)
		case free[pg]:
			return nil, nil, fmt.Errorf("page %d is listed twice", pg)
		}
		free[pg] = true
	}
	return free, own, nil
}

// freelist checks the free list at page id against the pages the walk
// reached: every free page exists, is listed once and is not in use. It
// returns the free pages, nil when the list is not sound.
func (w *walker) freelist(id uint64) map[uint64]bool {
	free, own, err := readFreelist(w.p, id)
	if err != nil {
		w.problem(nil, nil, nil, "free list: "+err.Error())
		return nil
	}
	for _, pg := range own {
		if w.seen[pg] {
			w.problem(nil, nil, nil, fmt.Sprintf("free list: page %d is also in use", pg))
			return nil
		}
		w.seen[pg] = true
	}
	for pg := range free {
		if w.seen[pg] {
			w.problem(nil, nil, nil, fmt.Sprintf("free list: page %d is free and in use", pg))
			return nil
		}
	}
	return free
}

func pathName(path []string) string {
	if len(path) == 0 {
		return "(root)"
	}
	var b bytes.Buffer
	for i, p := range path {
		if i > 0 {
			b.WriteByte('/')
		}
		fmt.Fprintf(&b, "%s", printable(p))
	}
	return b.String()
}

// printable shows a bucket name as text when it is one, else in hex.
func printable(s string) string {
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			return fmt.Sprintf("%x", s)
		}
	}
	return s
}

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
