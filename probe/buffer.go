package probe

import (
	"errors"
	"fmt"
	"io"
	"sync"
)

// DefaultBufferSize is how many results a BufferedRecorder keeps in memory
// while the database refuses writes: about a day of every target at 30 s.
const DefaultBufferSize = 15000

// BufferedRecorder stands between the engine and the database so that a
// full disk, a read-only state directory or a database that could not be
// opened at all never costs the dashboard its history or its life: a write
// that fails is kept in memory (bounded, oldest dropped first), every later
// write first retries what is kept, in order, and once the database takes
// writes again everything kept is written and the errors stop.
//
// Its errors say what failed and how much is waiting; the engine puts them
// in Event.StoreErr and the UI shows them until a write succeeds.
type BufferedRecorder struct {
	mu      sync.Mutex
	rec     Recorder                 // nil until open succeeds
	open    func() (Recorder, error) // nil: rec is fixed
	max     int
	pending []Result // oldest first, at most max
	status  *Status  // the newest snapshot not yet stored
	dropped int      // results dropped since the last successful write
	owned   bool     // rec came from open: Close closes it

	// Incidents waiting for the database: the newest version of each of
	// ours by id, and official ones (merged by the store on write).
	localInc map[string]LocalIncident
	official []Incident
}

var (
	_ Recorder         = (*BufferedRecorder)(nil)
	_ IncidentRecorder = (*BufferedRecorder)(nil)
)

// NewBufferedRecorder wraps rec, keeping up to max failed results (0 means
// DefaultBufferSize).
func NewBufferedRecorder(rec Recorder, max int) *BufferedRecorder {
	if max <= 0 {
		max = DefaultBufferSize
	}
	return &BufferedRecorder{rec: rec, max: max}
}

// NewLazyRecorder is a BufferedRecorder for a database that could not be
// opened: every write tries open first, until it succeeds; what arrived in
// the meantime is kept and written then. Close closes what open returned
// when it is an io.Closer.
func NewLazyRecorder(open func() (Recorder, error), max int) *BufferedRecorder {
	b := NewBufferedRecorder(nil, max)
	b.open = open
	return b
}

// resultsPutter is implemented by recorders that store many results in one
// transaction (the store does), which makes catching up cheap.
type resultsPutter interface {
	PutResults([]Result) error
}

// PutResults writes what is pending, then rs in one write where the
// Recorder can. On failure rs joins the pending results (the oldest
// dropped past the bound).
func (b *BufferedRecorder) PutResults(rs []Result) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	err := b.flush()
	if err == nil {
		if bp, ok := b.rec.(resultsPutter); ok {
			err = bp.PutResults(rs)
		} else {
			for _, r := range rs {
				if err = b.rec.PutResult(r); err != nil {
					break
				}
			}
		}
	}
	if err != nil {
		for _, r := range rs {
			b.keep(r)
		}
		return b.failure(err)
	}
	return nil
}

// PutResult writes what is pending, then r. On failure r joins the pending
// results and the error says how many wait.
func (b *BufferedRecorder) PutResult(r Result) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	err := b.flush()
	if err == nil {
		err = b.rec.PutResult(r)
	} else if b.rec != nil && b.rec.PutResult(r) == nil {
		// The database takes writes, yet the pending batch failed: it holds
		// a result the database will never take. Write the rest one by one
		// so that one bad result cannot block all that follow it.
		b.salvage()
		return nil
	}
	if err != nil {
		b.keep(r)
		return b.failure(err)
	}
	return nil
}

// salvage writes the pending results one at a time, dropping those the
// database refuses, then the pending status.
func (b *BufferedRecorder) salvage() {
	for _, p := range b.pending {
		_ = b.rec.PutResult(p) // refused ones are unstorable: dropped
	}
	b.pending = nil
	if b.status != nil {
		if _, err := b.rec.PutStatus(*b.status); err == nil {
			b.status = nil
		}
	}
	b.dropped = 0
}

// PutStatus stores st when the database can be written; otherwise keeps it
// (only the newest snapshot: the status page is a state, not a series) and
// reports it as changed, which it may well be.
func (b *BufferedRecorder) PutStatus(st Status) (bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	err := b.flush()
	if err == nil {
		var changed bool
		if changed, err = b.rec.PutStatus(st); err == nil {
			return changed, nil
		}
	}
	b.status = &st
	return true, b.failure(err)
}

// PutLocalIncident stores l when the database takes writes and keeps its
// newest version in memory otherwise. A database without incident buckets
// (a Recorder that is no IncidentRecorder) is not an error: nothing to do.
func (b *BufferedRecorder) PutLocalIncident(l LocalIncident) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.localInc == nil {
		b.localInc = map[string]LocalIncident{}
	}
	if old, ok := b.localInc[l.ID]; !ok || l.Version >= old.Version {
		b.localInc[l.ID] = l
	}
	if err := b.flush(); err != nil {
		return b.failure(err)
	}
	return nil
}

// PutOfficialIncidents stores ins when the database takes writes and keeps
// them in memory otherwise.
func (b *BufferedRecorder) PutOfficialIncidents(ins []Incident) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.official = append(b.official, ins...)
	if max := 4 * b.max; len(b.official) > max { // bounded like the results
		b.official = b.official[len(b.official)-max:]
	}
	if err := b.flush(); err != nil {
		return b.failure(err)
	}
	return nil
}

// flushIncidents writes the incidents waiting in memory, if the database
// keeps incidents at all.
func (b *BufferedRecorder) flushIncidents() error {
	if len(b.localInc) == 0 && len(b.official) == 0 {
		return nil
	}
	ir, ok := b.rec.(IncidentRecorder)
	if !ok {
		b.localInc, b.official = nil, nil
		return nil
	}
	if len(b.official) > 0 {
		if err := ir.PutOfficialIncidents(b.official); err != nil {
			return err
		}
		b.official = nil
	}
	for id, l := range b.localInc {
		if err := ir.PutLocalIncident(l); err != nil {
			return err
		}
		delete(b.localInc, id)
	}
	return nil
}

// Pending returns how many results wait in memory.
func (b *BufferedRecorder) Pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pending)
}

// Close makes a last attempt to write what is pending, then closes the
// database if this recorder opened it. It returns the flush's error, which
// says how much was lost.
func (b *BufferedRecorder) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var err error
	if len(b.pending) > 0 || b.status != nil || len(b.localInc) > 0 || len(b.official) > 0 {
		if ferr := b.flush(); ferr != nil {
			err = fmt.Errorf("database write failed at exit: %w; %d results not saved", ferr, len(b.pending))
		}
	}
	if c, ok := b.rec.(io.Closer); ok && b.owned {
		err = errors.Join(err, c.Close())
	}
	return err
}

// flush opens the database if need be and writes what is pending. What it
// wrote is no longer pending, even when it fails part way.
func (b *BufferedRecorder) flush() error {
	if b.rec == nil {
		if b.open == nil {
			return errors.New("no database")
		}
		rec, err := b.open()
		if err != nil {
			return err
		}
		b.rec, b.owned = rec, true
	}
	if len(b.pending) > 0 {
		if bp, ok := b.rec.(resultsPutter); ok {
			if err := bp.PutResults(b.pending); err != nil {
				return err
			}
			b.pending = b.pending[:0]
		}
		for len(b.pending) > 0 {
			if err := b.rec.PutResult(b.pending[0]); err != nil {
				return err
			}
			b.pending = b.pending[1:]
		}
		b.pending = nil // let the old backing array go
	}
	if b.status != nil {
		if _, err := b.rec.PutStatus(*b.status); err != nil {
			return err
		}
		b.status = nil
	}
	if err := b.flushIncidents(); err != nil {
		return err
	}
	b.dropped = 0
	return nil
}

func (b *BufferedRecorder) keep(r Result) {
	if len(b.pending) >= b.max {
		n := copy(b.pending, b.pending[1:])
		b.pending = b.pending[:n]
		b.dropped++
	}
	b.pending = append(b.pending, r)
}

// Lasting marks an error of a recorder's open that no retry mends in this
// run (a database it may only read): the results are kept in memory, and
// not said to be retried.
type Lasting interface {
	error
	Lasting() bool
}

func (b *BufferedRecorder) failure(err error) error {
	retry := ", retrying"
	if l, ok := errors.AsType[Lasting](err); ok && l.Lasting() {
		retry = " for this run"
	}
	msg := fmt.Sprintf("%d result%s kept in memory%s", len(b.pending), Plural(len(b.pending)), retry)
	if b.dropped > 0 {
		msg += fmt.Sprintf("; %d oldest dropped", b.dropped)
	}
	return fmt.Errorf("%w (%s)", err, msg)
}
