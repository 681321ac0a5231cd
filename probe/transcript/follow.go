package transcript

import (
	"context"
	"os"
	"path/filepath"
	"sort"
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
	// Newest first: when the read is cut short (check and diagnose bound
	// it by their time limit), what is left unread is the oldest.
	sort.SliceStable(jobs, func(a, b int) bool { return jobs[a].fi.ModTime().After(jobs[b].fi.ModTime()) })
	backlog := !f.prog.Reading && f.prog.Files == 0
	f.prog = probe.SessionProgress{Files: len(paths), Size: size, Reading: size > 0 && backlog}
	f.mu.Unlock()
	if backlog && size > 0 {
		sink.Report(f.Report()) // "reading 0%" at once, before the first byte
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
		if ctx.Err() == nil {
			// Read to its end (a read cut short is not: the next
			// round goes on with it).
			f.seen[j.key] = fileSeen{size: st.Size, mod: st.ModTime, inode: st.Inode}
		}
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
	f.prog.Unread, f.prog.UnreadFiles, f.prog.UnreadNewest = 0, 0, time.Time{}
	if ctx.Err() != nil {
		// Cut short: say what was not read rather than nothing.
		for _, j := range jobs {
			if left := j.fi.Size() - f.files[j.key].Offset; left > 0 {
				f.prog.Unread += left
				f.prog.UnreadFiles++
				if mt := j.fi.ModTime(); mt.After(f.prog.UnreadNewest) {
					f.prog.UnreadNewest = mt
				}
			}
		}
	}
	f.prog.Done = f.prog.Size - f.prog.Unread
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
