package cli

import (
	"strings"
	"testing"
	"time"

	"downforai/probe/diagnose"
)

// TestJudgedOnSaysTheReadFailed: report's basis says what check's says
// when the recorded rounds could not be read — before, "this round alone:
// the database holds no recent round", as if it held none.
func TestJudgedOnSaysTheReadFailed(t *testing.T) {
	ev := diagnose.Evidence{RecordedErr: "bucket results: bad record"}
	got := judgedOn(ev, nil, "the database", time.Now())
	want := "this round alone: reading the recorded rounds: bucket results: bad record"
	if !strings.HasPrefix(got, want) {
		t.Errorf("judged on %q, want %q", got, want)
	}
}
