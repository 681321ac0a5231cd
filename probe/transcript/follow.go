package transcript

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"downforai/probe"
)

// Defaults of Options.
const (
	DefaultPoll    = 5 * time.Second
	DefaultMaxLine = 8 << 20
	DefaultKeep    = 30 * 24 * time.Hour
	// LiveAfter: calls newer than this when read are live (they go through
	// the incident detector and to the screens); older ones only to the
	// store.
	LiveAfter = 10 * time.Minute
	// reportEvery is the longest gap between two reports, so counts "in
	// the last 15 min" age on every screen.
	reportEvery = 30 * time.Second
	// recentKeep is how far back a report's Recent reaches, and recentMax
	// how many calls it holds at most.
	recentKeep = time.Hour
	recentMax  = 2000
	// usageKeep is how long answers' usage is kept: seven days of blocks,
	// plus the block that began before them.
	usageKeep = 7*24*time.Hour + probe.BlockLength
	// headLen is how much of a file's start identifies it.
	headLen = 256
	// readChunk bounds the buffer of one file's read.
	readChunk = 64 << 10
)

// FileState, State and Usage are probe's vocabulary (so the store that
// keeps them needs nothing of this package); the names here are the
// follower's.
type (
	FileState = probe.TranscriptFile
	State     = probe.TranscriptState
	Usage     = probe.TranscriptUsage
)

// Sink is where the follower sends what it reads.
type Sink interface {
	// Calls receives new calls, oldest first within one file. live is
	// false for calls older than LiveAfter: history, not news.
	Calls(rs []probe.Result, live bool)
	// Report receives a fresh report after a read that changed something
	// and at least every 30 s.
	Report(*probe.SessionsReport)
}

// Options configure a Follower.
type Options struct {
	// Dir is the projects directory; Shown names it for people
	// ("~/.claude/projects"). See DefaultDir.
	Dir, Shown string
	State      State // nil: offsets live in memory only
	// History, when set, gives back the calls of the last hour stored
	// before a restart, so the report does not start empty.
	History probe.History
	Poll    time.Duration    // 0: DefaultPoll
	Keep    time.Duration    // calls older than this are not sent; 0: DefaultKeep (match the store's retention)
	MaxLine int              // longer lines are skipped; 0: DefaultMaxLine
	Now     func() time.Time // nil: time.Now
}

// DefaultDir is $CLAUDE_CONFIG_DIR/projects, else ~/.claude/projects, with
// the way to name it on screen.
func DefaultDir(getenv func(string) string, home string) (dir, shown string) {
	if d := getenv("CLAUDE_CONFIG_DIR"); d != "" {
		return filepath.Join(d, "projects"), "$CLAUDE_CONFIG_DIR/projects"
	}
	if home == "" {
		return "", "~/.claude/projects" // no home: nothing to read (never a relative path)
	}
	return filepath.Join(home, ".claude", "projects"), "~/.claude/projects"
}

// Follower reads Claude Code's transcripts as they grow: new lines only,
// from an offset kept per file, surviving truncation, deletion, renames
// and new files. It polls (a stat of every transcript per round): it works
// on every file system, needs no watch descriptors, and the cost is a few
// system calls per file every few seconds.
type Follower struct {
	o Options

	mu      sync.Mutex // guards everything below (Run's goroutine and Report readers)
	files   map[string]FileState
	seen    map[string]fileSeen // in memory: what the last round saw, to skip unchanged files
	ledger  *ledger
	keys    keyRing
	recent  []probe.Result
	prog    probe.SessionProgress
	skipped int
	found   bool
	err     string
	loaded  bool
}

// fileSeen is what a round saw of a file's metadata.
type fileSeen struct {
	size, mod int64
	inode     uint64
}

// New returns a follower; nothing is read before Run or Poll.
func New(o Options) *Follower {
	if o.Poll <= 0 {
		o.Poll = DefaultPoll
	}
	if o.Keep <= 0 {
		o.Keep = DefaultKeep
	}
	if o.MaxLine <= 0 {
		o.MaxLine = DefaultMaxLine
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Shown == "" {
		o.Shown = "the transcripts directory"
	}
	return &Follower{o: o, files: map[string]FileState{}, seen: map[string]fileSeen{}, ledger: newLedger()}
}

// Run polls until ctx ends. The first round reads the backlog (every line
// not read before), reporting progress as it goes; later rounds read what
// was appended.
func (f *Follower) Run(ctx context.Context, sink Sink) {
	t := time.NewTicker(f.o.Poll)
	defer t.Stop()
	last := time.Time{}
	for {
		changed := f.Poll(ctx, sink)
		if now := f.o.Now(); changed || now.Sub(last) >= reportEvery {
			sink.Report(f.Report())
			last = now
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Poll runs one round: it finds the transcripts, reads what is new in each
// and stores the offsets. It reports whether anything changed.
func (f *Follower) Poll(ctx context.Context, sink Sink) bool {
	f.mu.Lock()
	if !f.loaded {
		f.load()
	}
	f.mu.Unlock()

	paths, found, err := f.list()
	f.mu.Lock()
	changed := found != f.found || errText(err) != f.err
	f.found, f.err = found, errText(err)
	if err != nil {
		f.mu.Unlock()
		return changed
	}

	// What the round must read, and how much: the progress of the backlog.
	type job struct {
		key, path string
		fi        os.FileInfo
	}
	var jobs []job
	var size, done int64
	present := map[string]bool{}
	for _, p := range paths {
		fi, err := os.Stat(p.path)
		if err != nil {
			continue // gone between the listing and now
		}
		present[p.key] = true
		s := fileSeen{size: fi.Size(), mod: fi.ModTime().UnixNano(), inode: inodeOf(fi)}
		if f.seen[p.key] == s {
			continue
		}
		st := f.files[p.key]
		size += max(0, fi.Size()-st.Offset)
		jobs = append(jobs, job{p.key, p.path, fi})
	}
	// Files no longer listed are forgotten at the end of the round; until
	// then a file renamed within the directory (same inode, same head)
	// can continue from their offset.
	var gone []string
	for k := range f.files {
		if !present[k] {
			gone = append(gone, k)
		}
	}
	backlog := !f.prog.Reading && f.prog.Files == 0
	f.prog = probe.SessionProgress{Files: len(paths), Size: size, Reading: size > 0 && backlog}
	f.mu.Unlock()
	if backlog && size > 0 {
		sink.Report(f.Report()) // "reading 0 %" at once, before the first byte
	}

	dirty := map[string]FileState{}
	var lastSave time.Time
	lastReport := f.o.Now()
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		f.mu.Lock()
		st, known := f.files[j.key]
		if !known {
			st = f.adopt(j.fi, gone)
		}
		f.mu.Unlock()
		st, n := f.readFile(ctx, j.path, j.fi, st, sink)
		done += n
		f.mu.Lock()
		f.files[j.key] = st
		f.seen[j.key] = fileSeen{size: st.Size, mod: st.ModTime, inode: st.Inode}
		f.prog.Done = done
		dirty[j.key] = st
		f.mu.Unlock()
		changed = true
		// While catching up, save now and then so an interrupted backlog
		// does not start over, and show how far it got.
		f.mu.Lock()
		reading := f.prog.Reading
		f.mu.Unlock()
		if now := f.o.Now(); reading && now.Sub(lastSave) > 2*time.Second {
			f.save(dirty, nil)
			dirty = map[string]FileState{}
			lastSave = now
			if now.Sub(lastReport) >= 500*time.Millisecond {
				sink.Report(f.Report())
				lastReport = now
			}
		}
	}
	f.mu.Lock()
	for _, k := range gone {
		delete(f.files, k)
		delete(f.seen, k)
	}
	f.prog.Reading = false
	f.prog.Done = f.prog.Size
	f.mu.Unlock()
	f.mu.Lock()
	pending := f.ledger.hasDirty()
	f.mu.Unlock()
	if len(dirty) > 0 || len(gone) > 0 || pending {
		f.save(dirty, gone)
		changed = true
	}
	return changed
}

// adopt is the state a file not seen under its name starts from: a file
// that was renamed (same inode, same head) continues where it was; any
// other starts at 0. Called with f.mu held.
func (f *Follower) adopt(fi os.FileInfo, gone []string) FileState {
	ino := inodeOf(fi)
	if ino == 0 {
		return FileState{}
	}
	for _, k := range gone {
		if st := f.files[k]; st.Inode == ino && st.Offset <= fi.Size() {
			return st // the head is checked when it is read
		}
	}
	return FileState{}
}

type listed struct{ key, path string }

// list finds the transcripts: *.jsonl up to three levels below Dir
// (<project>/<session>.jsonl, and sub-agents' files below a session).
func (f *Follower) list() ([]listed, bool, error) {
	var out []listed
	info, err := os.Stat(f.o.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("cannot read %s: %w", f.o.Shown, innermost(err))
	}
	if !info.IsDir() {
		return nil, false, fmt.Errorf("%s is not a directory", f.o.Shown)
	}
	err = filepath.WalkDir(f.o.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == f.o.Dir {
				return err
			}
			return nil // an unreadable sub-directory costs only itself
		}
		rel, _ := filepath.Rel(f.o.Dir, p)
		depth := strings.Count(rel, string(filepath.Separator))
		if d.IsDir() {
			if depth >= 3 {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".jsonl") && d.Type().IsRegular() {
			out = append(out, listed{key: fileKey(rel), path: p})
		}
		return nil
	})
	if err != nil {
		return nil, true, fmt.Errorf("cannot read %s: %w", f.o.Shown, innermost(err))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, true, nil
}

// fileKey names a file by a hash of its path below Dir.
func fileKey(rel string) string {
	sum := sha256.Sum256([]byte(filepath.ToSlash(rel)))
	return hex.EncodeToString(sum[:8])
}

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
	for ctx.Err() == nil {
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
	// Over the bound: the oldest success goes first, errors last.
	sort.SliceStable(f.recent, func(i, j int) bool { return f.recent[i].Time.Before(f.recent[j].Time) })
	for i, x := range f.recent {
		if !x.Class.Failing() {
			f.recent = append(f.recent[:i], f.recent[i+1:]...)
			return
		}
	}
	f.recent = f.recent[1:]
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

// load reads the kept state once. Called with f.mu held.
func (f *Follower) load() {
	f.loaded = true
	if f.o.State == nil {
		return
	}
	files, usage, err := f.o.State.TranscriptState(f.o.Now().Add(-usageKeep))
	if err != nil {
		// Without the offsets every transcript is read again from its
		// start (its calls may be stored twice): say so on screen.
		f.err = "cannot read the transcripts' offsets from the database: " + probe.Line(err.Error(), 120)
		return
	}
	for k, st := range files {
		f.files[k] = st
	}
	for _, u := range usage {
		f.ledger.restore(u)
	}
	if f.o.History != nil {
		now := f.o.Now()
		rs, err := f.o.History.Range(probe.TargetSessions, now.Add(-recentKeep), time.Time{})
		if err == nil {
			for _, r := range rs {
				f.addRecent(r, now)
			}
		}
	}
}

// save stores the changed files and the new usage.
func (f *Follower) save(dirty map[string]FileState, gone []string) {
	f.mu.Lock()
	if f.o.State == nil {
		f.ledger.clean()
		f.mu.Unlock()
		return
	}
	usage := f.ledger.takeDirty()
	f.mu.Unlock()
	err := f.o.State.PutTranscriptState(dirty, gone, usage, f.o.Now().Add(-usageKeep))
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		f.ledger.redirty(usage)
		f.err = "cannot store the transcripts' offsets: " + probe.Line(err.Error(), 120)
	} else if strings.HasPrefix(f.err, "cannot store") {
		f.err = ""
	}
}

// Report is the follower's view now.
func (f *Follower) Report() *probe.SessionsReport {
	now := f.o.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	var recent []probe.Result
	for _, r := range f.recent {
		if now.Sub(r.Time) <= recentKeep {
			recent = append(recent, r)
		}
	}
	f.recent = append(f.recent[:0], recent...)
	sort.SliceStable(recent, func(i, j int) bool { return recent[i].Time.Before(recent[j].Time) })
	return &probe.SessionsReport{
		Time:     now,
		Dir:      f.o.Shown,
		Found:    f.found,
		Progress: f.prog,
		Recent:   append([]probe.Result(nil), recent...),
		Window:   f.ledger.window(now),
		Err:      f.err,
		Skipped:  f.skipped,
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return probe.Line(err.Error(), 200)
}

func innermost(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

// ToEngine is the Sink that feeds an engine: live calls through Observe
// (the incident detector, the store, every screen), history through
// Backfill (the store only), reports through Announce. onErr hears of a
// backlog write that failed; nil ignores it.
func ToEngine(e *probe.Engine, onErr func(error)) Sink { return engineSink{e, onErr} }

type engineSink struct {
	e     *probe.Engine
	onErr func(error)
}

func (s engineSink) Calls(rs []probe.Result, live bool) {
	if !live {
		if err := s.e.Backfill(rs); err != nil && s.onErr != nil {
			s.onErr(err)
		}
		return
	}
	for _, r := range rs {
		s.e.Observe(probe.Event{Result: r})
	}
}

func (s engineSink) Report(r *probe.SessionsReport) { s.e.Announce(probe.Event{Sessions: r}) }

// ToRecorder is the Sink of a one-shot read (check, diagnose, report):
// every call goes to rec, reports nowhere.
func ToRecorder(rec probe.Recorder) Sink { return recorderSink{rec} }

type recorderSink struct{ rec probe.Recorder }

func (s recorderSink) Calls(rs []probe.Result, _ bool) {
	if bp, ok := s.rec.(interface{ PutResults([]probe.Result) error }); ok {
		_ = bp.PutResults(rs) // a failed write costs this read's record, not the answer
		return
	}
	for _, r := range rs {
		_ = s.rec.PutResult(r)
	}
}

func (recorderSink) Report(*probe.SessionsReport) {}
