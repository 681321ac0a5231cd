package store

import (
	"errors"
	"io"
)

// blockReader reads r (size bytes long) a block at a time and keeps the
// last few blocks, so judging a file before it opens costs a read per
// block, not per page. Judging a 30-day history (4,015 pages of 4 KiB)
// read every page with its own pread: half the CPU of every start that
// opens the file, 20–40 ms at a load of 10 on two cores (issue 11).
// The walk goes down the tree mostly in file order; 16 blocks of 64 KiB
// (1 MiB) read that file in about 330 reads.
type blockReader struct {
	r      io.ReaderAt
	size   int64
	blocks []block // most recently used first
}

type block struct {
	start int64
	data  []byte
}

const (
	readBlockSize  = 64 << 10
	readBlockCount = 16
)

func newBlockReader(r io.ReaderAt, size int64) *blockReader {
	return &blockReader{r: r, size: size}
}

// ReadAt reads len(p) bytes at off, as the file would: fewer than len(p)
// only with an error, io.EOF when the range passes the end of size.
func (b *blockReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("blockReader: negative offset")
	}
	if off >= b.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) {
		at := off + int64(n)
		if at >= b.size {
			return n, io.EOF
		}
		blk, err := b.block(at - at%readBlockSize)
		if err != nil {
			// A block that cannot be read whole (a bad sector in a page
			// nothing refers to, a file cut short since its size was
			// taken) says nothing about the bytes asked for: read those
			// alone, as before, and answer what that read answers.
			m, err := b.r.ReadAt(p[n:], at)
			return n + m, err
		}
		n += copy(p[n:], blk.data[at-blk.start:])
	}
	return n, nil
}

// block returns the block that starts at start, reading it if it is not
// kept; the block read is kept first, the least recently used dropped.
func (b *blockReader) block(start int64) (block, error) {
	for i, blk := range b.blocks {
		if blk.start == start {
			copy(b.blocks[1:i+1], b.blocks[:i])
			b.blocks[0] = blk
			return blk, nil
		}
	}
	var buf []byte
	if len(b.blocks) == readBlockCount {
		buf = b.blocks[readBlockCount-1].data[:cap(b.blocks[readBlockCount-1].data)]
		b.blocks = b.blocks[:readBlockCount-1]
	} else {
		buf = make([]byte, readBlockSize)
	}
	want := min(int64(readBlockSize), b.size-start)
	got, err := b.r.ReadAt(buf[:want], start)
	if int64(got) < want {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return block{}, err
	}
	blk := block{start: start, data: buf[:want]}
	b.blocks = append(b.blocks, block{})
	copy(b.blocks[1:], b.blocks)
	b.blocks[0] = blk
	return blk, nil
}
