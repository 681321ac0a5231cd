package check

import (
	"errors"
	"sync"

	"downforai/probe"
)

// Round is the recorder of one round: it keeps what the engine records and
// writes it once the round is over (Flush), in one transaction per kind
// where the recorder can batch. A round's writes one by one cost two
// fsyncs each, a dozen per check, most of its run time on a real disk.
type Round struct {
	mu       sync.Mutex
	results  []probe.Result
	status   *probe.Status
	official []probe.Incident
	local    []probe.LocalIncident
}

var (
	_ probe.Recorder         = (*Round)(nil)
	_ probe.IncidentRecorder = (*Round)(nil)
)

// PutResult keeps r.
func (b *Round) PutResult(r probe.Result) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.results = append(b.results, r)
	return nil
}

// PutStatus keeps st; whether it differs from the stored one is known when
// it is written, so it always reports a change.
func (b *Round) PutStatus(st probe.Status) (bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.status = &st
	return true, nil
}

// PutOfficialIncidents keeps ins.
func (b *Round) PutOfficialIncidents(ins []probe.Incident) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.official = append(b.official, ins...)
	return nil
}

// PutLocalIncident keeps l.
func (b *Round) PutLocalIncident(l probe.LocalIncident) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.local = append(b.local, l)
	return nil
}

// resultsPutter is a recorder that stores many results in one transaction
// (the store).
type resultsPutter interface {
	PutResults([]probe.Result) error
}

// roundPutter is a recorder that stores a round's results and its status
// snapshot in one transaction (the store).
type roundPutter interface {
	PutRound([]probe.Result, *probe.Status) error
}

// Flush writes what the round recorded to rec: the results and the status
// snapshot in one transaction when rec can (one commit: its fsyncs were
// most of a check's time after its answer), else the results in one and
// the status in another, or one by one; then the incidents (when rec keeps
// incidents). A round that cannot be written whole is written in its
// parts, as before, so a result that cannot be stored does not take the
// status snapshot with it. It returns every error.
func (b *Round) Flush(rec probe.Recorder) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var errs []error
	rp, whole := rec.(roundPutter)
	if !whole || (len(b.results) == 0 && b.status == nil) || rp.PutRound(b.results, b.status) != nil {
		errs = b.flushParts(rec)
	}
	if ir, ok := rec.(probe.IncidentRecorder); ok {
		if len(b.official) > 0 {
			errs = append(errs, ir.PutOfficialIncidents(b.official))
		}
		for _, l := range b.local {
			errs = append(errs, ir.PutLocalIncident(l))
		}
	}
	return errors.Join(errs...)
}

// flushParts writes the results (in one transaction when rec can) and the
// status snapshot apart.
func (b *Round) flushParts(rec probe.Recorder) []error {
	var errs []error
	if rp, ok := rec.(resultsPutter); ok && len(b.results) > 0 {
		errs = append(errs, rp.PutResults(b.results))
	} else {
		for _, r := range b.results {
			errs = append(errs, rec.PutResult(r))
		}
	}
	if b.status != nil {
		_, err := rec.PutStatus(*b.status)
		errs = append(errs, err)
	}
	return errs
}
