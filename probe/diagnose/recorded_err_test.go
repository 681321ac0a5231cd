package diagnose

import (
	"errors"
	"testing"
	"time"

	"downforai/probe"
)

// brokenHistory fails every read, as a damaged bucket does.
type brokenHistory struct{}

func (brokenHistory) Recent(probe.Target, int) ([]probe.Result, error) {
	return nil, errors.New("bucket results: bad record")
}
func (brokenHistory) Range(probe.Target, time.Time, time.Time) ([]probe.Result, error) {
	return nil, errors.New("bucket results: bad record")
}
func (brokenHistory) LatestStatus() (probe.Status, bool, error) {
	return probe.Status{}, false, errors.New("bucket status: bad record")
}

// TestGatherSaysTheRecordedReadFailed: a history that cannot be read is
// no empty history: Gather says why, so report says what check says
// ("judged on this round alone: reading the recorded rounds: …"), not
// "the database holds no recent round".
func TestGatherSaysTheRecordedReadFailed(t *testing.T) {
	ev := Gather(t.Context(), nil, nil, brokenHistory{}, time.Hour, "test")
	if ev.RecordedErr == "" {
		t.Fatalf("Gather dropped the read error: %+v", ev)
	}
	ok := Gather(t.Context(), nil, nil, emptyHistory{}, time.Hour, "test")
	if ok.RecordedErr != "" {
		t.Errorf("an empty history read fine, yet RecordedErr %q", ok.RecordedErr)
	}
}

type emptyHistory struct{}

func (emptyHistory) Recent(probe.Target, int) ([]probe.Result, error) { return nil, nil }
func (emptyHistory) Range(probe.Target, time.Time, time.Time) ([]probe.Result, error) {
	return nil, nil
}
func (emptyHistory) LatestStatus() (probe.Status, bool, error) { return probe.Status{}, false, nil }
