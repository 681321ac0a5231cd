package ui

import (
	"reflect"
	"time"
	"unsafe"

	tea "github.com/charmbracelet/bubbletea"
)

// The renderer's clock. Bubble Tea v1's standard renderer draws only on
// the ticks of one time.Ticker (tea.WithFPS sets its rate once), so two
// goals pull it apart: the first frame waits for the first tick, 1/fps
// after the program starts, and an idle screen still wakes the process
// at every tick (at 60 a second that is the floor program's whole idle
// CPU). So the program starts at startFPS, the most WithFPS allows (the
// first frame 8 ms after Run), and once that frame is out IdleFrames
// slows the same ticker to idleFPS: redraws after a key, an event or the
// clock wait at most 1/idleFPS, and an idle minute costs half the floor's
// wakeups. (At 20 a key's frame waited up to 50 ms on top of its work: the
// History tab's data, loaded on its key, took 101 ms to show; at 30 it is
// the next frame.)
const (
	startFPS = 120
	idleFPS  = 30
)

// IdleFrames slows p's renderer to idleFPS. Call it after the first frame
// is written (Output.Drawn), when p.Run has built and started the
// renderer: reading it then is ordered after Run wrote it (Run started
// the goroutine whose write closed Drawn). It reports whether it found
// the renderer's ticker.
//
// Bubble Tea v1.3.10 (pinned in go.mod) keeps the renderer and its
// ticker unexported and offers no way to change the rate of a running
// program, so this reaches them by reflection; TestIdleFramesFindsTicker
// fails if an upgrade moves them, and then the program simply keeps
// startFPS.
func IdleFrames(p *tea.Program) bool {
	return setFrameRate(p, time.Second/idleFPS)
}

func setFrameRate(p *tea.Program, every time.Duration) bool {
	if p == nil {
		return false
	}
	r := reflect.ValueOf(p).Elem().FieldByName("renderer")
	if !r.IsValid() || r.Kind() != reflect.Interface || r.IsNil() {
		return false
	}
	r = r.Elem()
	if r.Kind() != reflect.Pointer || r.IsNil() || r.Elem().Kind() != reflect.Struct {
		return false
	}
	sr := r.Elem()
	tk := sr.FieldByName("ticker")
	fr := sr.FieldByName("framerate")
	if !tk.IsValid() || tk.Type() != reflect.TypeFor[*time.Ticker]() ||
		!fr.IsValid() || fr.Type() != reflect.TypeFor[time.Duration]() {
		return false
	}
	ticker := *(**time.Ticker)(unsafe.Pointer(tk.UnsafeAddr()))
	if ticker == nil {
		return false
	}
	// framerate is what a restart of the renderer (after
	// ReleaseTerminal) resets the ticker to; nothing else reads it.
	*(*time.Duration)(unsafe.Pointer(fr.UnsafeAddr())) = every
	ticker.Reset(every)
	return true
}

// WhenDrawn slows p's renderer (IdleFrames) once drawn is closed; it
// returns at once when done is closed first. Run it in a goroutine.
func WhenDrawn(p *tea.Program, drawn, done <-chan struct{}) {
	select {
	case <-drawn:
		IdleFrames(p)
	case <-done:
	}
}
