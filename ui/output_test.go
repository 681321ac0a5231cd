package ui

import (
	"bytes"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestOutputDrawn: Drawn closes with the first frame Bubble Tea writes on
// the alternate screen (one write that starts by homing the cursor), not
// with the control sequences before it, the cursor home alone, or a
// notification.
func TestOutputDrawn(t *testing.T) {
	var buf bytes.Buffer
	o := NewOutput(&buf)
	drawn := func() bool {
		select {
		case <-o.Drawn():
			return true
		default:
			return false
		}
	}
	for _, w := range []string{ansi.HideCursor, ansi.SetAltScreenSaveCursorMode, ansi.EraseEntireScreen, ansi.CursorHomePosition, "\a", "\x1b]9;API down\a"} {
		o.Write([]byte(w))
		if drawn() {
			t.Fatalf("drawn after %q", w)
		}
	}
	o.Write([]byte(ansi.CursorHomePosition + "\r[1 Live signals] 2 Incidents"))
	if !drawn() {
		t.Fatal("the first frame did not close Drawn")
	}
	o.Write([]byte(ansi.CursorHomePosition + "\rsecond frame")) // closes nothing twice
	if f := NewFileOutput(nil); f.Drawn() == nil {
		t.Error("FileOutput has no Drawn channel")
	}
}
