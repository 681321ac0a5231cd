package transcript

import (
	"downforai/probe"
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
