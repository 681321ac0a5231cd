package transcript

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"sort"
	"time"

	"downforai/probe"
)

// readFile reads what is new in one file and returns its new state and the
// bytes read. A file that shrank, or whose start changed, was replaced or
// truncated: it is read again from the start.
func (f *Follower) readFile(ctx context.Context, path string, fi os.FileInfo, st FileState, sink Sink) (FileState, int64) {
	fh, err := os.Open(path)
	if err != nil {
		return st, 0
	}
	defer fh.Close()
	ino := inodeOf(fi)
	if fi.Size() < st.Offset || (st.Inode != 0 && ino != 0 && st.Inode != ino) || !sameHead(fh, st) {
		st = FileState{}
	}
	st.Inode, st.Size, st.ModTime = ino, fi.Size(), fi.ModTime().UnixNano()
	if _, err := fh.Seek(st.Offset, io.SeekStart); err != nil {
		return st, 0
	}

	start := st.Offset
	now := f.o.Now()
	keepAfter := now.Add(-f.o.Keep)
	var live, old []probe.Result
	flush := func() {
		if len(old) > 0 {
			sink.Calls(old, false)
			old = nil
		}
		if len(live) > 0 {
			sink.Calls(live, true)
			live = nil
		}
	}
	r := bufio.NewReaderSize(io.LimitReader(fh, fi.Size()-st.Offset), readChunk)
	var long []byte
	tooLong := false
	lineStart := st.Offset // where the line being read began
	for {
		if ctx.Err() != nil {
			// Stopped (the time is up): the next read starts at the
			// line that was not read whole.
			st.Offset = lineStart
			break
		}
		chunk, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if !tooLong && len(long)+len(chunk) <= f.o.MaxLine {
				long = append(long, chunk...)
			} else {
				tooLong, long = true, long[:0]
			}
			st.Offset += int64(len(chunk))
			continue
		}
		if err != nil {
			// The rest has no newline yet: a line being written. Leave it
			// for the next round (the offset stays at its start).
			st.Offset -= int64(len(long))
			if tooLong {
				// Re-reading it would cost as much again; it is skipped
				// when it ends.
				st.Offset += int64(len(long))
			}
			break
		}
		lineBytes := chunk
		if len(long) > 0 || tooLong {
			lineBytes = append(long, chunk...)
		}
		st.Offset += int64(len(chunk))
		lineStart = st.Offset
		if tooLong || len(lineBytes) > f.o.MaxLine {
			f.countSkipped()
		} else {
			f.handle(lineBytes, keepAfter, now, &live, &old)
		}
		long, tooLong = long[:0], false
		if len(live)+len(old) >= 512 {
			flush()
		}
	}
	flush()
	if st.HeadLen < headLen && st.Offset > st.HeadLen {
		st.HeadLen = min(st.Offset, headLen)
		st.Head = headOf(fh, st.HeadLen)
	}
	return st, st.Offset - start
}

// handle takes one whole line.
func (f *Follower) handle(b []byte, keepAfter, now time.Time, live, old *[]probe.Result) {
	if len(bytes.TrimSpace(b)) == 0 {
		return
	}
	rec, ok := Parse(b)
	if !ok {
		f.countSkipped()
		return
	}
	if rec.Kind == KindOther {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if u := rec.Usage; u != nil {
		// The lines of one answer (one per streamed block) are one call.
		dup := f.keys.has(u.Key) || f.ledger.has(u.Key)
		f.keys.add(u.Key)
		if !u.Time.Before(now.Add(-usageKeep)) {
			f.ledger.add(*u)
		}
		if dup {
			return
		}
	}
	r := rec.Result
	if r.Time.Before(keepAfter) {
		return
	}
	f.addRecent(r, now)
	if now.Sub(r.Time) <= LiveAfter {
		*live = append(*live, r)
	} else {
		*old = append(*old, r)
	}
}

// keyRing remembers the last answers' keys, so the lines of one answer are
// counted once even when its usage is too old for the ledger.
type keyRing struct {
	ring [256]uint64
	next int
	set  map[uint64]int
}

func (k *keyRing) has(key uint64) bool { _, ok := k.set[key]; return ok }

func (k *keyRing) add(key uint64) {
	if k.set == nil {
		k.set = map[uint64]int{}
	}
	if k.has(key) {
		return
	}
	if old := k.ring[k.next]; old != 0 {
		if k.set[old]--; k.set[old] <= 0 {
			delete(k.set, old)
		}
	}
	k.ring[k.next] = key
	k.set[key]++
	k.next = (k.next + 1) % len(k.ring)
}

func (f *Follower) countSkipped() {
	f.mu.Lock()
	f.skipped++
	f.mu.Unlock()
}

// addRecent keeps r among the last hour's calls. Called with f.mu held.
func (f *Follower) addRecent(r probe.Result, now time.Time) {
	if now.Sub(r.Time) > recentKeep {
		return
	}
	f.recent = append(f.recent, r)
	if len(f.recent) <= recentMax {
		return
	}
	// Over the bound: the oldest successful call goes first, errors last.
	// A call is its records: an answer that ended Claude Code's retries
	// goes with those retries, or they would stand alone as a call still
	// failing (probe.SessionCalls) — a call that succeeded shown failed.
	sort.SliceStable(f.recent, func(i, j int) bool { return f.recent[i].Time.Before(f.recent[j].Time) })
	for i, x := range f.recent {
		if !x.Class.Failing() {
			f.recent = dropCall(f.recent, i)
			return
		}
	}
	f.recent = f.recent[1:]
}

// dropCall is rs (oldest first) without the call whose outcome is rs[i]:
// rs[i] and the retry records of its session's chain just before it.
func dropCall(rs []probe.Result, i int) []probe.Result {
	d := probe.ParseSessionDetail(rs[i].Detail)
	drop := map[int]bool{i: true}
	last := rs[i].Time
	for j := i - 1; j >= 0; j-- {
		dj := probe.ParseSessionDetail(rs[j].Detail)
		if rs[j].Target != rs[i].Target || dj.Session != d.Session {
			continue // another session's record, between them
		}
		if dj.Attempt == 0 || last.Sub(rs[j].Time) > probe.RetryOutcomeWithin {
			break // the call before this one
		}
		drop[j] = true
		last = rs[j].Time
		if dj.Attempt == 1 {
			break // the chain's first attempt
		}
	}
	kept := rs[:0]
	for k, r := range rs {
		if !drop[k] {
			kept = append(kept, r)
		}
	}
	return kept
}

// sameHead reports whether the file still starts as it did.
func sameHead(fh *os.File, st FileState) bool {
	if st.HeadLen == 0 {
		return true
	}
	return headOf(fh, st.HeadLen) == st.Head
}

func headOf(fh *os.File, n int64) uint64 {
	buf := make([]byte, n)
	n2, _ := fh.ReadAt(buf, 0)
	n = int64(n2)
	sum := sha256.Sum256(buf[:n])
	return binary.BigEndian.Uint64(sum[:8]) | 1 // never 0: 0 means "not known"
}
