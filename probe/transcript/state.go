package transcript

import (
	"sort"
	"strings"
	"time"

	"downforai/probe"
)

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
