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
// CPU). So the program starts at startFPS, the most WithFPS allows; the
// model's Init (Options.OnInit), which Run calls once the renderer runs
// and just before it writes the first View, sets the ticker to
// firstFrameEvery (FirstFrame), so that View reaches the terminal at once
// rather than a tick later; once that frame is out IdleFrames slows the
// same ticker to idleFPS: redraws after a key, an event or the clock wait
// at most 1/idleFPS, and an idle minute costs half the floor's wakeups.
// (At 20 a key's frame waited up to 50 ms on top of its work: the History
// tab's data, loaded on its key, took 101 ms to show; at 30 it is the
// next frame.)
const (
	startFPS        = 120
	idleFPS         = 30
	firstFrameEvery = time.Millisecond
)

// FirstFrame makes p's renderer draw the view written next within
// firstFrameEvery. Call it from the model's Init (Options.OnInit): Run
// calls Init on its own goroutine after it built and started the
// renderer, and writes the first View right after it. Only the ticker
// changes (a renderer restarted after ReleaseTerminal goes back to its
// framerate); IdleFrames, once the frame is out, slows it for good. It
// reports whether it found the renderer's ticker.
func FirstFrame(p *tea.Program) bool {
	ticker, _ := rendererClock(p)
	if ticker == nil {
		return false
	}
	ticker.Reset(firstFrameEvery)
	return true
}

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
	ticker, framerate := rendererClock(p)
	if ticker == nil {
		return false
	}
	// framerate is what a restart of the renderer (after
	// ReleaseTerminal) resets the ticker to; nothing else reads it.
	*framerate = every
	ticker.Reset(every)
	return true
}

// rendererClock finds the ticker and the framerate of p's standard
// renderer; nil when p has none (before Run) or Bubble Tea moved them.
func rendererClock(p *tea.Program) (*time.Ticker, *time.Duration) {
	if p == nil {
		return nil, nil
	}
	r := reflect.ValueOf(p).Elem().FieldByName("renderer")
	if !r.IsValid() || r.Kind() != reflect.Interface || r.IsNil() {
		return nil, nil
	}
	r = r.Elem()
	if r.Kind() != reflect.Pointer || r.IsNil() || r.Elem().Kind() != reflect.Struct {
		return nil, nil
	}
	sr := r.Elem()
	tk := sr.FieldByName("ticker")
	fr := sr.FieldByName("framerate")
	if !tk.IsValid() || tk.Type() != reflect.TypeFor[*time.Ticker]() ||
		!fr.IsValid() || fr.Type() != reflect.TypeFor[time.Duration]() {
		return nil, nil
	}
	ticker := *(**time.Ticker)(unsafe.Pointer(tk.UnsafeAddr()))
	if ticker == nil {
		return nil, nil
	}
	return ticker, (*time.Duration)(unsafe.Pointer(fr.UnsafeAddr()))
}

// WhenDrawn slows p's renderer (IdleFrames) once drawn is closed; it
// returns at once when done is closed first. Run it in a goroutine. (A
// frame always comes: the first View is never empty, and a terminal that
// takes no writes blocks the renderer, so its fast ticker wakes nobody.)
func WhenDrawn(p *tea.Program, drawn, done <-chan struct{}) {
	select {
	case <-drawn:
		IdleFrames(p)
	case <-done:
	}
}
