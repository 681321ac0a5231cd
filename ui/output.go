package ui

import (
	"io"
	"os"
	"sync"
)

// Output serialises writes to a program's terminal, so that notification
// sequences (bell, OSC 9, OSC 777) written from another goroutine land
// between two frames of the renderer, never inside one. Bubble Tea's
// renderer writes each frame and each control sequence with one Write.
type Output struct {
	mu sync.Mutex
	w  io.Writer
}

// NewOutput wraps w.
func NewOutput(w io.Writer) *Output { return &Output{w: w} }

// Write writes p whole, after any write in progress.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.w.Write(p)
}

// FileOutput is Output for a terminal file. It keeps the file's Fd, Read
// and Close so Bubble Tea still finds a terminal behind it: it reads the
// window size and follows resizes through it.
type FileOutput struct {
	Output
	f *os.File
}

// NewFileOutput wraps f, usually os.Stdout.
func NewFileOutput(f *os.File) *FileOutput { return &FileOutput{Output: Output{w: f}, f: f} }

// Fd is the file's descriptor.
func (o *FileOutput) Fd() uintptr { return o.f.Fd() }

// Read reads from the file (part of the terminal file interface).
func (o *FileOutput) Read(p []byte) (int, error) { return o.f.Read(p) }

// Close does not close the file: the program does not own stdout.
func (o *FileOutput) Close() error { return nil }
