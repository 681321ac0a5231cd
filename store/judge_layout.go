package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
)

// What judgeFile reads: bbolt's layout on disk, its two meta pages, and
// checked reads of the other pages (pager).
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
