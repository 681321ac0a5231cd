package ui

import (
	"bytes"
	"io"
	"os"
	"sync"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
)

// Output serialises writes to a program's terminal, so that notification
// sequences (bell, OSC 9, OSC 777) written from another goroutine land
// between two frames of the renderer, never inside one. Bubble Tea's
// renderer writes each frame and each control sequence with one Write.
type Output struct {
	mu     sync.Mutex
	w      io.Writer
	screen screenRows // the rows as written, to write only changed cells

	drawn     chan struct{} // closed by the first frame written
	drawnOnce sync.Once
}

// NewOutput wraps w.
func NewOutput(w io.Writer) *Output { return &Output{w: w, drawn: make(chan struct{})} }

// Write writes p whole, after any write in progress.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := p
	if q, ok := o.screen.frame(p); ok {
		out = q
	} else if !harmless(p) {
		o.screen.reset()
	}
	_, err := o.w.Write(out)
	if err != nil {
		o.screen.reset() // what reached the terminal is not known
		return 0, err
	}
	// A frame on the alternate screen is one write that starts by homing
	// the cursor; entering the screen homes it alone (three bytes).
	if len(p) > len(ansi.CursorHomePosition) && bytes.HasPrefix(p, []byte(ansi.CursorHomePosition)) {
		o.drawnOnce.Do(func() { close(o.drawn) })
	}
	return len(p), nil
}

// Drawn is closed once the first frame has been written: what can wait
// until the user sees the dashboard (the probes, the garbage collector's
// usual pace) starts then and keeps the CPU free for the first frame.
func (o *Output) Drawn() <-chan struct{} { return o.drawn }

// FileOutput is Output for a terminal file. It keeps the file's Fd, Read
// and Close so Bubble Tea still finds a terminal behind it: it reads the
// window size and follows resizes through it.
type FileOutput struct {
	Output
	f *os.File
}

// NewFileOutput wraps f, usually os.Stdout.
func NewFileOutput(f *os.File) *FileOutput {
	return &FileOutput{Output: Output{w: f, drawn: make(chan struct{})}, f: f}
}

// Fd is the file's descriptor.
func (o *FileOutput) Fd() uintptr { return o.f.Fd() }

// Read reads from the file (part of the terminal file interface).
func (o *FileOutput) Read(p []byte) (int, error) { return o.f.Read(p) }

// Close does not close the file: the program does not own stdout.
func (o *FileOutput) Close() error { return nil }

// TerminalRescue holds the terminal's state from before the program
// changed it, so that an exit that cannot wait for the program to restore
// the terminal (a second Ctrl-C, a shutdown that overran) still hands it
// back usable.
type TerminalRescue struct {
	in    *os.File
	out   io.Writer
	state *term.State
}

// SaveTerminal records the state of the terminal behind in (nil state when
// in is no terminal); Restore writes to out.
func SaveTerminal(in *os.File, out io.Writer) *TerminalRescue {
	r := &TerminalRescue{in: in, out: out}
	if in != nil && term.IsTerminal(in.Fd()) {
		r.state, _ = term.GetState(in.Fd())
	}
	return r
}

// Restore puts the terminal back: mouse reports off, cursor shown, main
// screen, and the line mode it had. Errors are ignored: the terminal may be
// gone.
func (r *TerminalRescue) Restore() {
	if r == nil {
		return
	}
	if r.out != nil {
		io.WriteString(r.out, ansi.ResetModeMouseButtonEvent+ansi.ResetModeMouseAnyEvent+ansi.ResetModeMouseExtSgr+
			ansi.ShowCursor+ansi.ResetModeAltScreenSaveCursor)
	}
	if r.state != nil {
		term.Restore(r.in.Fd(), r.state)
	}
}
