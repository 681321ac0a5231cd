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
