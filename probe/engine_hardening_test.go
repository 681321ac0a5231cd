package probe

import (
	"context"
	"strings"
	"testing"
	"time"
)

// panicRecorder panics on every write, as bbolt does on a damaged page.
type panicRecorder struct{}

func (panicRecorder) PutResult(Result) error         { panic("page 42: unreachable unfreed") }
func (panicRecorder) PutStatus(Status) (bool, error) { panic("page 42: unreachable unfreed") }

// TestEngineSurvivesPanickingRecorder: the engine's own goroutines must not
// die on a store panic (nothing above them could restore the terminal);
// the event goes out with the panic as its StoreErr.
func TestEngineSurvivesPanickingRecorder(t *testing.T) {
	check := Check{Target: TargetAPI, Run: func(context.Context) Event {
		return Event{Result: Result{Target: TargetAPI, Time: time.Now(), Class: ClassOK}, Status: &Status{Indicator: "none"}}
	}}
	e := NewEngine([]Check{check}, panicRecorder{})
	for range 2 {
		evs := e.RunOnce(context.Background())
		if len(evs) != 1 || !strings.Contains(evs[0].StoreErr, "panic: page 42: unreachable unfreed") || evs[0].Result.Class != ClassOK {
			t.Fatalf("events %+v", evs)
		}
	}
}
