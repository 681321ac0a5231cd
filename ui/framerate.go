package ui

import (
	"reflect"
	"sync"
	"time"
	"unsafe"

	tea "github.com/charmbracelet/bubbletea"
)

// The renderer's clock. Bubble Tea v1's standard renderer draws only on
// the ticks of one time.Ticker (tea.WithFPS sets its rate once), so two
// goals pull it apart: a frame waits for the next tick, and every tick
// wakes the process, changed or not (at 60 a second that is the floor
// program's whole idle CPU). So the program starts at startFPS, the most
// WithFPS allows; the model's Init (Options.OnInit), which Run calls once
// the renderer runs and just before it writes the first View, sets the
// ticker to firstFrameEvery (FirstFrame, Pacer.Start), so that View
// reaches the terminal at once rather than a tick later. After that a
// Pacer keeps the ticker at idleEvery while the screen stays the same and
// switches it to fastEvery for fastWindow whenever a View differs from
// the one before (Options.OnView): a key's, an event's or the clock's
// frame goes out within fastEvery, and an idle second wakes the renderer
// four times, not 30 (the rate before the Pacer) or the floor's 60
// (issue 11: the idle CPU row). A frame whose tick the renderer could
// not take within fastWindow (a starved process) waits for the next idle
// tick, at most idleEvery.
const (
	startFPS        = 120
	firstFrameEvery = time.Millisecond
	fastEvery       = 4 * time.Millisecond
	fastWindow      = 60 * time.Millisecond
	firstWindow     = time.Second
	idleEvery       = 250 * time.Millisecond
)

// Pacer paces a running program's renderer by what its views show. Start
// it from the model's Init (Options.OnInit), hand it every View
// (Options.OnView) and run WhenDrawn beside the program. The zero Pacer
// is ready; one paces one program.
type Pacer struct {
	mu    sync.Mutex
	reset func(time.Duration) // the renderer ticker's Reset, once started
	// after is time.AfterFunc (nil) or a test's; it returns its timer's Stop.
	after   func(time.Duration, func()) func() bool
	stop    func() bool // stops the pending slow-down
	last    string
	viewed  bool
	fast    bool // the ticker is at fastEvery (or firstFrameEvery)
	gen     int  // slow-downs armed; each acts only if it is the last
	changes int  // views unlike the one before, after the first
}

// Start finds p's renderer, sets what a restarted renderer (after
// ReleaseTerminal) goes back to, idleEvery, and has the view written next
// drawn within firstFrameEvery, as FirstFrame. It reports whether it found
// the renderer's ticker; without it the renderer keeps its own rate.
func (pc *Pacer) Start(p *tea.Program) bool {
	ticker, framerate := rendererClock(p)
	if ticker == nil {
		return false
	}
	*framerate = idleEvery
	pc.start(ticker.Reset)
	return true
}

// start is Start on reset, the renderer ticker's Reset.
func (pc *Pacer) start(reset func(time.Duration)) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.reset = reset
	reset(firstFrameEvery)
	pc.fast = true
	// The first frame gets longer than fastWindow (the process is at its
	// busiest then, and WhenDrawn slows it once it is out); slow again
	// even if no View ever comes.
	pc.settle(firstWindow)
}

// Viewed takes each View the program renders (on its event loop, before
// the renderer gets it). A view unlike the last speeds the ticker up to
// fastEvery for fastWindow; then it slows to idleEvery.
func (pc *Pacer) Viewed(v string) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.reset == nil || pc.viewed && v == pc.last {
		return
	}
	first := !pc.viewed
	pc.last, pc.viewed = v, true
	if first {
		return // start gave it firstFrameEvery and firstWindow
	}
	pc.changes++
	if !pc.fast {
		// Only when not fast already: a Reset restarts the period, so
		// views closer than fastEvery (a burst of events) would hold the
		// tick off for as long as they came.
		pc.reset(fastEvery)
		pc.fast = true
	}
	pc.settle(fastWindow)
}

// settle slows the ticker to idleEvery after window, unless another
// change comes first. pc.mu is held.
func (pc *Pacer) settle(window time.Duration) {
	pc.gen++
	gen := pc.gen
	if pc.stop != nil {
		pc.stop()
	}
	after := pc.after
	if after == nil {
		after = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	pc.stop = after(window, func() {
		pc.mu.Lock()
		defer pc.mu.Unlock()
		if pc.gen == gen {
			pc.reset(idleEvery)
			pc.fast = false
		}
	})
}

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

// WhenDrawn slows the renderer to idleEvery once drawn is closed (the
// first frame is out, Output.Drawn) if no view has changed since: the
// first frame needs firstFrameEvery until then, nothing after it. It
// returns at once when done is closed first. Run it in a goroutine.
func (pc *Pacer) WhenDrawn(drawn, done <-chan struct{}) {
	select {
	case <-drawn:
	case <-done:
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.reset != nil && pc.changes == 0 {
		pc.gen++ // the first window's slow-down has nothing left to do
		pc.reset(idleEvery)
		pc.fast = false
	}
}
