package store

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"downforai/probe"
)

// TestBlockReaderReadsAsTheFile: every range reads the bytes, the count and
// the end of file a plain reader gives, within a block, across blocks, at
// and past the end, and after the kept blocks have been replaced many times.
func TestBlockReaderReadsAsTheFile(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := randomBytes(rng, 40*readBlockSize+123) // more blocks than are kept
	size := int64(len(data))
	type rd struct {
		off int64
		n   int
	}
	reads := []rd{
		{0, 0}, {0, 1}, {0, 4096}, {readBlockSize - 1, 2}, {readBlockSize - 100, 3*readBlockSize + 200},
		{size - 4096, 4096}, {size - 1, 1}, {size - 10, 20}, {size, 1}, {size + 5000, 10}, {size, 0}, {-1, 4},
	}
	for range 2000 {
		reads = append(reads, rd{rng.Int64N(size + 100), rng.IntN(3 * 4096)})
	}
	ref := bytes.NewReader(data)
	br := newBlockReader(bytes.NewReader(data), size)
	for _, r := range reads {
		want, got := make([]byte, r.n), make([]byte, r.n)
		wn, werr := ref.ReadAt(want, r.off)
		gn, gerr := br.ReadAt(got, r.off)
		if gn != wn || (gerr == nil) != (werr == nil) || (werr == io.EOF) != (gerr == io.EOF) || !bytes.Equal(got[:gn], want[:wn]) {
			t.Fatalf("ReadAt(%d bytes at %d) = %d, %v; the file gives %d, %v", r.n, r.off, gn, gerr, wn, werr)
		}
	}
	if len(br.blocks) > readBlockCount {
		t.Errorf("%d blocks kept, want at most %d", len(br.blocks), readBlockCount)
	}
}

// badRange fails every read that touches [from, to).
type badRange struct {
	r        io.ReaderAt
	from, to int64
}

var errBadSector = errors.New("input/output error")

func (b badRange) ReadAt(p []byte, off int64) (int, error) {
	if off < b.to && off+int64(len(p)) > b.from {
		return 0, errBadSector
	}
	return b.r.ReadAt(p, off)
}

// TestBlockReaderReadsAroundABadSector: a block that cannot be read whole
// does not fail the pages beside the bad one; the bad one's error comes
// back as it is.
func TestBlockReaderReadsAroundABadSector(t *testing.T) {
	data := randomBytes(rand.New(rand.NewPCG(5, 6)), 4*readBlockSize)
	bad := int64(readBlockSize + 3*4096)
	br := newBlockReader(badRange{bytes.NewReader(data), bad, bad + 4096}, int64(len(data)))
	page := make([]byte, 4096)
	for _, off := range []int64{readBlockSize, bad - 4096, bad + 4096, 2 * readBlockSize} {
		if n, err := br.ReadAt(page, off); err != nil || n != len(page) || !bytes.Equal(page, data[off:off+4096]) {
			t.Errorf("the page at %d beside the bad one: %d, %v", off, n, err)
		}
	}
	if _, err := br.ReadAt(page, bad); !errors.Is(err, errBadSector) {
		t.Errorf("the bad page: %v, want its read error", err)
	}
}

// countReads counts the reads that reach the file.
type countReads struct {
	r io.ReaderAt
	n int
}

func (c *countReads) ReadAt(p []byte, off int64) (int, error) { c.n++; return c.r.ReadAt(p, off) }

// TestJudgingReadsBlocksNotPages: judging a sound file of many pages before
// it opens takes far fewer reads than it has pages, with the same verdict.
func TestJudgingReadsBlocksNotPages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var batch []probe.Result
	for i := range 40000 {
		batch = append(batch, okResult(probe.TargetAPI, base.Add(time.Duration(i)*30*time.Second)))
	}
	if err := s.PutResults(batch); err != nil {
		t.Fatal(err)
	}
	s.Close()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	pages := &countReads{r: f}
	byPage := judgeFile(pages, fi.Size())
	blocks := &countReads{r: f}
	byBlock := judgeFile(newBlockReader(blocks, fi.Size()), fi.Size())
	if byPage.problem != "" || byBlock.problem != "" || byPage.pages != byBlock.pages {
		t.Fatalf("by page %q (%d pages), by block %q (%d pages)", byPage.problem, byPage.pages, byBlock.problem, byBlock.pages)
	}
	if byPage.pages < 200 {
		t.Fatalf("the file has %d pages: too few to tell", byPage.pages)
	}
	if blocks.n*4 > pages.n {
		t.Errorf("judging %d pages took %d reads by block, %d by page: want a quarter or fewer", byPage.pages, blocks.n, pages.n)
	}
	t.Logf("%d pages: %d reads by page, %d by block", byPage.pages, pages.n, blocks.n)
}
