package ui

import (
	"bytes"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	tea "github.com/charmbracelet/bubbletea"
)

// lockedBuffer is a terminal the test reads while the renderer writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// textModel shows its text; a string message replaces it.
type textModel string

func (m textModel) Init() tea.Cmd { return nil }
func (m textModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if s, ok := msg.(string); ok {
		return textModel(s), nil
	}
	return m, nil
}
func (m textModel) View() string { return string(m) }

// rendererPeriod reads the running renderer's framerate field, the way
// setFrameRate finds it.
func rendererPeriod(t *testing.T, p *tea.Program) time.Duration {
	t.Helper()
	sr := reflect.ValueOf(p).Elem().FieldByName("renderer").Elem().Elem()
	fr := sr.FieldByName("framerate")
	return *(*time.Duration)(unsafe.Pointer(fr.UnsafeAddr()))
}

// The program starts at startFPS and, once its first frame is written,
// settles to idleFPS on the same renderer, which goes on drawing. If a
// Bubble Tea upgrade moves the renderer's ticker, this fails (and the
// dashboard would keep startFPS for ever, costing idle CPU).
func TestIdleFramesFindsTicker(t *testing.T) {
	term := &lockedBuffer{}
	out := NewOutput(term)
	p := tea.NewProgram(textModel("first frame"), tea.WithAltScreen(), tea.WithFPS(startFPS),
		tea.WithInput(nil), tea.WithOutput(out), tea.WithoutSignalHandler())
	if IdleFrames(p) {
		t.Fatal("IdleFrames found a renderer before Run built one")
	}
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	select {
	case <-out.Drawn():
	case <-time.After(10 * time.Second):
		t.Fatal("no first frame")
	}
	if got, want := rendererPeriod(t, p), time.Second/startFPS; got != want {
		t.Errorf("before: renderer period %v, want %v", got, want)
	}
	if !IdleFrames(p) {
		t.Fatal("IdleFrames did not find the renderer's ticker: Bubble Tea's standard renderer changed")
	}
	if got, want := rendererPeriod(t, p), time.Second/idleFPS; got != want {
		t.Errorf("after: renderer period %v, want %v", got, want)
	}
	p.Send("second frame")
	for i := 0; !strings.Contains(term.String(), "second frame"); i++ {
		if i > 1000 {
			t.Fatal("no frame after the renderer slowed down")
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// WhenDrawn returns without touching the program when done comes first.
func TestWhenDrawnReturnsOnDone(t *testing.T) {
	done := make(chan struct{})
	close(done)
	WhenDrawn(nil, make(chan struct{}), done)
}

// initHook is textModel with an Init that runs a hook, as Options.OnInit
// does for the dashboard.
type initHook struct {
	textModel
	hook func()
}

func (m initHook) Init() tea.Cmd { m.hook(); return nil }

// FirstFrame, called from Init, finds the running renderer's ticker (Run
// has started the renderer before Init) and leaves its framerate alone,
// which a restarted renderer goes back to; the frame written after Init
// is drawn. Before Run there is no renderer to find.
func TestFirstFrameFromInit(t *testing.T) {
	term := &lockedBuffer{}
	out := NewOutput(term)
	var p *tea.Program
	found := make(chan bool, 1)
	m := initHook{textModel: "first frame", hook: func() { found <- FirstFrame(p) }}
	p = tea.NewProgram(m, tea.WithAltScreen(), tea.WithFPS(startFPS),
		tea.WithInput(nil), tea.WithOutput(out), tea.WithoutSignalHandler())
	if FirstFrame(p) {
		t.Fatal("FirstFrame found a renderer before Run built one")
	}
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	if !<-found {
		t.Fatal("FirstFrame did not find the renderer's ticker from Init: Bubble Tea's standard renderer changed")
	}
	select {
	case <-out.Drawn():
	case <-time.After(10 * time.Second):
		t.Fatal("no first frame")
	}
	if !strings.Contains(term.String(), "first frame") {
		t.Errorf("the first frame is not the first View: %q", term.String())
	}
	if got, want := rendererPeriod(t, p), time.Second/startFPS; got != want {
		t.Errorf("renderer framerate %v after FirstFrame, want %v kept", got, want)
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
