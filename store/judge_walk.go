package store

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
)

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
