package transcript

import (
	"slices"
	"sort"
	"time"

	"downforai/probe"
)

// ledger holds the usage of the answers of the last seven days and a bit,
// one entry per answer (message id + request id), for the usage window. An
// answer streamed over several lines has cumulative counts on each; the
// entry keeps the largest of each kind, so it counts once and fully.
type ledger struct {
	entries []Usage
	index   map[uint64]int  // Key → position in entries
	dirty   map[uint64]bool // changed since the last save
}

func newLedger() *ledger {
	return &ledger{index: map[uint64]int{}, dirty: map[uint64]bool{}}
}

// has reports whether the answer is already counted.
func (l *ledger) has(key uint64) bool { _, ok := l.index[key]; return ok }

// add counts u, or merges it into the entry of its answer; it reports
// whether u was a new answer.
func (l *ledger) add(u Usage) bool {
	if i, ok := l.index[u.Key]; ok {
		e := &l.entries[i]
		m := e.Tokens
		m.Input = max(m.Input, u.Input)
		m.Output = max(m.Output, u.Output)
		m.CacheCreation = max(m.CacheCreation, u.CacheCreation)
		m.CacheRead = max(m.CacheRead, u.CacheRead)
		if m != e.Tokens {
			e.Tokens = m
			l.dirty[u.Key] = true
		}
		if e.Model == "" {
			e.Model = u.Model
		}
		return false
	}
	l.index[u.Key] = len(l.entries)
	l.entries = append(l.entries, u)
	l.dirty[u.Key] = true
	return true
}

// restore takes an entry read back from the store.
func (l *ledger) restore(u Usage) {
	if _, ok := l.index[u.Key]; ok {
		return
	}
	l.index[u.Key] = len(l.entries)
	l.entries = append(l.entries, u)
}

func (l *ledger) hasDirty() bool { return len(l.dirty) > 0 }

func (l *ledger) clean() { clear(l.dirty) }

// takeDirty returns the entries changed since the last save and forgets
// that they were.
func (l *ledger) takeDirty() []Usage {
	out := make([]Usage, 0, len(l.dirty))
	for k := range l.dirty {
		if i, ok := l.index[k]; ok {
			out = append(out, l.entries[i])
		}
	}
	clear(l.dirty)
	return out
}

// redirty marks entries whose save failed, to try again.
func (l *ledger) redirty(us []Usage) {
	for _, u := range us {
		l.dirty[u.Key] = true
	}
}

// prune forgets entries older than before.
func (l *ledger) prune(before time.Time) {
	kept := l.entries[:0]
	for _, e := range l.entries {
		if !e.Time.Before(before) {
			kept = append(kept, e)
		}
	}
	if len(kept) == len(l.entries) {
		return
	}
	l.entries = kept
	clear(l.index)
	for i, e := range l.entries {
		l.index[e.Key] = i
	}
}

// window computes the usage blocks of the last seven days at now.
func (l *ledger) window(now time.Time) probe.CodeWindow {
	l.prune(now.Add(-usageKeep))
	sorted := slices.Clone(l.entries)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Time.Before(sorted[j].Time) })
	return Blocks(sorted, now)
}

// Blocks groups usage (oldest first) into 5-hour blocks the way ccusage
// does: a block starts at the first answer after the previous block ended
// (or after a gap of five hours), floored to the UTC hour, and lasts five
// hours. It returns the blocks that began in the seven days before now
// and the one running at now, if any.
func Blocks(us []Usage, now time.Time) probe.CodeWindow {
	var blocks []probe.UsageBlock
	var cur *probe.UsageBlock
	for _, u := range us {
		if cur != nil && (u.Time.Sub(cur.Start) >= probe.BlockLength || u.Time.Sub(cur.Last) >= probe.BlockLength) {
			blocks = append(blocks, *cur)
			cur = nil
		}
		if cur == nil {
			start := u.Time.UTC().Truncate(time.Hour)
			cur = &probe.UsageBlock{Start: start, End: start.Add(probe.BlockLength), First: u.Time}
		}
		cur.Last = u.Time
		cur.Tokens.Add(u.Tokens)
		cur.Requests++
		if u.Model != "" && !slices.Contains(cur.Models, u.Model) {
			cur.Models = append(cur.Models, u.Model)
		}
	}
	if cur != nil {
		blocks = append(blocks, *cur)
	}
	var w probe.CodeWindow
	since := now.Add(-7 * 24 * time.Hour)
	for _, b := range blocks {
		if b.Start.Before(since) && !b.Active(now) {
			continue
		}
		w.Blocks = append(w.Blocks, b)
	}
	if n := len(w.Blocks); n > 0 && w.Blocks[n-1].Active(now) {
		c := w.Blocks[n-1]
		w.Current = &c
	}
	return w
}
