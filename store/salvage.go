package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"downforai/probe"
)

// SalvageReport says what Salvage copied and what it could not read.
type SalvageReport struct {
	Source, Dest string
	// Problem is the first damage the source's check found; "" when it
	// checked sound (Salvage then is a plain copy).
	Problem string
	// Results recovered per target, and the other records recovered.
	Results        map[probe.Target]int
	HourRollups    int
	DayRollups     int
	Statuses       int
	Incidents      int
	LocalIncidents int
	Annotations    int
	Usage          int // Claude Code usage records (transcript_usage)
	// Lost lists the parts of the file that could not be read.
	Lost []LostPart
	// Undecodable counts records whose pages were sound but whose value
	// did not decode; they were left behind.
	Undecodable int
	// TextsLost counts results kept whose message or detail sat in a lost
	// part of the strings table; they say "(text lost in salvage)".
	TextsLost int
	// Unplaced counts intact leaf pages below a lost part of the index
	// that could not be put back (see placeUnreached); their records
	// were left behind.
	Unplaced int
	// Unlinked counts the results, rollups and snapshots among the above
	// that came from leaves below a lost part of the index, put back by
	// placeUnreached.
	Unlinked int
	// RollupsRebuilt is set when rollups were lost and were rebuilt from
	// the raw results that survived.
	RollupsRebuilt bool
}

// Recovered is the number of records copied.
func (r SalvageReport) Recovered() int {
	n := r.HourRollups + r.DayRollups + r.Statuses + r.Incidents + r.LocalIncidents + r.Annotations + r.Usage
	for _, c := range r.Results {
		n += c
	}
	return n
}

// LostPart is one subtree of the file that could not be read: keys of
// Bucket from From up to To (as text: times for time keys), and why.
type LostPart struct {
	Bucket   string
	From, To string
	Why      string
}

// textLost stands in for an interned text whose page was lost.
const textLost = "(text lost in salvage)"

// salvageBatch is how many records go into one write transaction of the
// new file.
const salvageBatch = 5000

// Salvage copies every result, rollup, status snapshot and incident that
// can still be read out of the database at src, damaged or not, into a new
// database at dst, page by page: a page that does not hold together is
// skipped with what it covered, the rest is copied. src is opened
// read-only, under a shared lock (so not while another downforai writes
// it), and never written. dst must not exist yet. progress hears pages
// read out of the file's pages.
func Salvage(src, dst string, opts Options, progress Progress) (SalvageReport, error) {
	rep := SalvageReport{Source: src, Dest: dst, Results: map[probe.Target]int{}}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	if a, b := absOr(src), absOr(dst); a == b {
		return rep, fmt.Errorf("salvage %s: --to names the same file; give a new one", src)
	}
	if fi, err := os.Stat(dst); err == nil && (fi.IsDir() || fi.Size() > 0) {
		return rep, fmt.Errorf("salvage %s: %s already exists; salvage writes only to a new file", src, dst)
	}
	f, err := os.Open(src)
	if err != nil {
		return rep, fmt.Errorf("salvage %s: %w", src, err)
	}
	defer f.Close()
	if err := lockShared(f, opts.LockTimeout); err != nil {
		if errors.Is(err, errLockTimeout) {
			return rep, &openError{
				msg:  fmt.Sprintf("cannot salvage %s: another downforai has it open; quit it (or stop downforai serve) and run salvage again", src),
				errs: []error{ErrLocked},
			}
		}
		return rep, fmt.Errorf("salvage %s: %w", src, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return rep, fmt.Errorf("salvage %s: %w", src, err)
	}
	size := fi.Size()
	if j := judgeFile(f, size); j.problem != "" {
		rep.Problem = j.problem
	}

	root, freelist, pg, err := bestRoot(f, size)
	if err != nil {
		return rep, fmt.Errorf("salvage %s: %w", src, err)
	}

	// What the index still reaches, what it lost, and — by elimination —
	// where the leaves below the lost parts belong.
	w := newWalker(pg)
	w.seen[0], w.seen[1] = true, true
	var lost []lostPart
	w.lost = func(path []string, lo, hi []byte, _ string) {
		lost = append(lost, lostPart{slices.Clone(path), bytes.Clone(lo), bytes.Clone(hi)})
	}
	w.bucket(nil, root)
	var unlinked []unlinkedLeaf
	if len(lost) > 0 {
		var free map[uint64]bool
		if freelist != noFreelist {
			w.lost = nil
			free = w.freelist(freelist)
		}
		unlinked, rep.Unplaced = placeUnreached(pg, w.seen, free, lost)
	}

	// Pass 1: the strings table and the schema version, which the rest
	// needs.
	strs := map[uint64]string{}
	var schema uint64
	var created []byte
	meta := func(path []string, k, v []byte) {
		switch {
		case len(path) == 1 && path[0] == "strings" && len(k) == 8:
			if _, ok := strs[binary.BigEndian.Uint64(k)]; !ok {
				strs[binary.BigEndian.Uint64(k)] = string(v)
			}
		case len(path) == 1 && path[0] == "meta" && string(k) == string(keySchema):
			schema, _ = binary.Uvarint(v)
		case len(path) == 1 && path[0] == "meta" && string(k) == string(keyCreated) && len(v) == 8:
			created = bytes.Clone(v)
		}
	}
	w = newWalker(pg)
	w.skip = func(path []string) bool { return len(path) > 0 && path[0] != "strings" && path[0] != "meta" }
	w.kv = meta
	w.bucket(nil, root)
	if schema > SchemaVersion {
		return rep, &openError{
			msg:  fmt.Sprintf("database %s has schema version %d, this downforai understands up to %d: upgrade downforai to salvage it", src, schema, SchemaVersion),
			errs: []error{ErrSchemaTooNew},
		}
	}

	out, err := Open(dst, opts)
	if err != nil {
		return rep, fmt.Errorf("salvage %s: %w", src, err)
	}
	c := &copier{s: out, rep: &rep, strs: strs, lostUntil: map[probe.Target]time.Time{}}
	if created != nil {
		c.put(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
			return tx.Bucket(bucketMeta).Put(keyCreated, created)
		})
	}

	// Pass 2: everything else.
	w = newWalker(pg)
	w.skip = func(path []string) bool { return len(path) > 0 && (path[0] == "strings" || path[0] == "meta") }
	w.kv = c.record
	w.lost = c.lost
	if progress != nil {
		progress(0, int64(pg.hwm))
		w.tick = func(pages int) {
			if pages%256 == 0 {
				progress(int64(pages), int64(pg.hwm))
			}
		}
	}
	w.bucket(nil, root)
	c.flush()
	c.harvest(pg, unlinked)
	progress.report(int64(pg.hwm), int64(pg.hwm))
	if c.err == nil {
		c.markLost()
	}
	if c.err == nil && c.rollupsLost {
		if err := out.RebuildRollups(nil); err != nil {
			c.err = err
		} else {
			rep.RollupsRebuilt = true
		}
	}
	if cerr := out.Close(); c.err == nil {
		c.err = cerr
	}
	if c.err != nil {
		return rep, fmt.Errorf("salvage %s into %s: %w", src, dst, c.err)
	}
	return rep, nil
}

func absOr(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

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
	// result, then the most records.
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
		if i == 0 || better(sc, bestScore) {
			best, bestScore = i, sc
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

// copier writes what the walk finds into the new store in batches.
type copier struct {
	s    *Store
	rep  *SalvageReport
	strs map[uint64]string
	ops  []func(*bolt.Tx, func(string) (uint64, bool)) error
	err  error

	rollupsLost bool
	// lostUntil is, per target, the end of the last lost range of raw
	// results: the raw results are complete only after it.
	lostUntil map[probe.Target]time.Time
}

func (c *copier) put(op func(*bolt.Tx, func(string) (uint64, bool)) error) {
	c.ops = append(c.ops, op)
	if len(c.ops) >= salvageBatch {
		c.flush()
	}
}

func (c *copier) flush() {
	if len(c.ops) == 0 || c.err != nil {
		c.ops = c.ops[:0]
		return
	}
	ops := c.ops
	c.err = c.s.writeTx(func(tx *bolt.Tx, intern func(string) (uint64, bool)) error {
		for _, op := range ops {
			if err := op(tx, intern); err != nil {
				return err
			}
		}
		return nil
	})
	c.ops = c.ops[:0]
}

// record copies one key and value found at path, if it decodes.
func (c *copier) record(path []string, k, v []byte) {
	k, v = bytes.Clone(k), bytes.Clone(v)
	bad := func() { c.rep.Undecodable++ }
	switch {
	case len(path) == 2 && path[0] == "results":
		t := probe.Target(path[1])
		if len(k) != 8 {
			bad()
			return
		}
		r, ok, lost := c.decode(v)
		if !ok {
			bad()
			return
		}
		r.Target, r.Time = t, keyTime(k)
		if lost {
			c.rep.TextsLost++
		}
		c.rep.Results[t]++
		c.put(func(tx *bolt.Tx, intern func(string) (uint64, bool)) error {
			b, err := resultBucket(tx.Bucket(bucketResults), t)
			if err != nil {
				return err
			}
			val, err := encodeResult(nil, r, intern)
			if err != nil {
				return err
			}
			return b.Put(k, val)
		})
	case len(path) == 3 && path[0] == "rollups" && (path[1] == hourly.name || path[1] == daily.name):
		var sum probe.Summary
		if len(k) != 8 || decodeRollup(v, &sum) != nil {
			bad()
			return
		}
		p := hourly
		if path[1] == daily.name {
			p, c.rep.DayRollups = daily, c.rep.DayRollups+1
		} else {
			c.rep.HourRollups++
		}
		t := probe.Target(path[2])
		c.put(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
			b, err := rollupBucketForWrite(tx, p, t)
			if err != nil {
				return err
			}
			return b.Put(k, v)
		})
	case len(path) == 2 && path[0] == "rollups" && path[1] == "pruned":
		if len(v) != 8 {
			bad()
			return
		}
		c.put(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
			return tx.Bucket(bucketRollups).Bucket(bucketPruned).Put(k, v)
		})
	case len(path) == 1 && path[0] == "status":
		if _, err := decodeStatus(v); err != nil || len(k) != 8 {
			bad()
			return
		}
		c.rep.Statuses++
		c.putIn(bucketStatus, k, v)
	case len(path) == 1 && path[0] == "incidents":
		if _, err := decodeIncident(v); err != nil {
			bad()
			return
		}
		c.rep.Incidents++
		c.putIn(bucketIncidents, k, v)
	case len(path) == 1 && path[0] == "local_incidents":
		if _, err := decodeLocal(v); err != nil {
			bad()
			return
		}
		c.rep.LocalIncidents++
		c.putIn(bucketLocalIncidents, k, v)
	case len(path) == 1 && path[0] == "annotations":
		c.rep.Annotations++
		c.putIn(bucketAnnotations, k, v)
	case len(path) == 1 && path[0] == string(bucketTranscriptFiles):
		if _, err := decodeFileState(v); err != nil {
			bad()
			return
		}
		c.putIn(bucketTranscriptFiles, k, v)
	case len(path) == 1 && path[0] == string(bucketTranscriptUsage):
		if _, err := decodeUsage(k, v); err != nil {
			bad()
			return
		}
		c.rep.Usage++
		c.putIn(bucketTranscriptUsage, k, v)
	case len(path) == 1 && path[0] == string(bucketCanary):
		if _, err := decodeTokens(v); err != nil {
			bad()
			return
		}
		c.putIn(bucketCanary, k, v)
	}
}

// decode reads a result value against the source's strings, a lost text
// standing in for one whose page was lost (lost is then set), and cleans
// its texts: a damaged page may hold anything.
func (c *copier) decode(v []byte) (r probe.Result, ok, lost bool) {
	r, err := decodeResult(v, func(id uint64) (string, bool) {
		if s, ok := c.strs[id]; ok {
			return s, true
		}
		lost = true
		return textLost, true
	})
	if err != nil || !r.Class.Valid() {
		return probe.Result{}, false, false
	}
	r.ErrorType, r.Message, r.Detail = cleanText(r.ErrorType), cleanText(r.Message), cleanText(r.Detail)
	r.RequestID = cleanText(r.RequestID)
	return r, true, lost
}

func (c *copier) putIn(bucket, k, v []byte) {
	c.put(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error {
		b, err := tx.CreateBucketIfNotExists(bucket)
		if err != nil {
			return err
		}
		return b.Put(k, v)
	})
}

// lost notes a subtree that could not be read.
func (c *copier) lost(path []string, lo, hi []byte, why string) {
	timeKeys := len(path) > 0 && (path[0] == "status" || (path[0] == "results" && len(path) == 2) || (path[0] == "rollups" && len(path) == 3))
	show := func(k []byte, end string) string {
		switch {
		case k == nil:
			return end
		case timeKeys && len(k) == 8:
			return stamp(keyTime(k))
		}
		return printable(string(k))
	}
	c.rep.Lost = append(c.rep.Lost, LostPart{Bucket: pathName(path), From: show(lo, "the start"), To: show(hi, "the end"), Why: why})
	switch {
	case len(path) >= 1 && path[0] == "rollups":
		c.rollupsLost = true
	case len(path) == 2 && path[0] == "results":
		t := probe.Target(path[1])
		until := time.Now()
		if hi != nil && len(hi) == 8 {
			until = keyTime(hi)
		}
		if until.After(c.lostUntil[t]) {
			c.lostUntil[t] = until
		}
	}
}

// markLost records, for each target whose raw results lost a range, that
// raw results are complete only after it — as retention does for what it
// deletes — so summaries of those hours come from the rollups, which
// still count what was lost, and a rebuild leaves those rollups alone.
func (c *copier) markLost() {
	for t, until := range c.lostUntil {
		k := boundKey(until.Add(-1))
		c.put(func(tx *bolt.Tx, _ func(string) (uint64, bool)) error { return notePruned(tx, t, k) })
	}
	c.flush()
}

// WriteTo prints the report for people, as `downforai db salvage` shows it.
func (r SalvageReport) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	if r.Problem == "" {
		fmt.Fprintf(&b, "%s checked sound; copied it whole.\n", r.Source)
	} else {
		fmt.Fprintf(&b, "%s is damaged: %s.\n", r.Source, r.Problem)
	}
	total := 0
	var per []string
	for _, t := range slices.SortedFunc(maps.Keys(r.Results), targetOrder) {
		total += r.Results[t]
		per = append(per, fmt.Sprintf("%s %d", t, r.Results[t]))
	}
	fmt.Fprintf(&b, "recovered into %s:\n", r.Dest)
	fmt.Fprintf(&b, "  results          %d", total)
	if len(per) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(per, ", "))
	}
	fmt.Fprintf(&b, "\n  rollups          %d hourly, %d daily", r.HourRollups, r.DayRollups)
	if r.RollupsRebuilt {
		b.WriteString(" (rebuilt from the results, some were lost)")
	}
	fmt.Fprintf(&b, "\n  incidents        %d official, %d local\n", r.Incidents, r.LocalIncidents)
	fmt.Fprintf(&b, "  status snapshots %d\n", r.Statuses)
	if r.Usage > 0 {
		fmt.Fprintf(&b, "  Claude Code usage records %d\n", r.Usage)
	}
	if r.Unlinked > 0 {
		fmt.Fprintf(&b, "  (%d of these from pages below the lost parts, put back where nothing else can belong)\n", r.Unlinked)
	}
	if len(r.Lost) == 0 && r.Undecodable == 0 && r.TextsLost == 0 && r.Unplaced == 0 {
		b.WriteString("lost: nothing\n")
	} else {
		b.WriteString("lost:\n")
		for _, l := range r.Lost {
			what := l.Bucket
			if what == pathName(nil) {
				what = "the root of the file's index, and with it where every page belongs"
			}
			if l.From != "the start" || l.To != "the end" {
				what += fmt.Sprintf(" from %s to %s", l.From, l.To)
			} else if l.Bucket != pathName(nil) {
				what += ", all of it"
			}
			fmt.Fprintf(&b, "  %s (%s)\n", what, l.Why)
		}
		if r.Undecodable > 0 {
			fmt.Fprintf(&b, "  %d records that no longer decode\n", r.Undecodable)
		}
		if r.Unplaced > 0 {
			fmt.Fprintf(&b, "  %d intact pages whose place in the file was lost with the pages above them\n", r.Unplaced)
		}
		if r.TextsLost > 0 {
			fmt.Fprintf(&b, "  the message of %d results (kept, marked %q)\n", r.TextsLost, textLost)
		}
	}
	fmt.Fprintf(&b, "%s was not written.\n", r.Source)
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}
