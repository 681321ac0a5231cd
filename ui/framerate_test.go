package ui

import (
	"bytes"
	"reflect"
	"slices"
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

// pacedModel is textModel handing its views to a Pacer, as the
// dashboard's View does through Options.OnView, and starting it from Init.
type pacedModel struct {
	textModel
	pc *Pacer
	p  **tea.Program
}

func (m pacedModel) Init() tea.Cmd { m.pc.Start(*m.p); return nil }
func (m pacedModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	t, cmd := m.textModel.Update(msg)
	return pacedModel{t.(textModel), m.pc, m.p}, cmd
}
func (m pacedModel) View() string { v := m.textModel.View(); m.pc.Viewed(v); return v }

// A Pacer finds the running renderer from Init (if a Bubble Tea upgrade
// moves its ticker this fails, and the renderer would keep startFPS for
// ever, costing idle CPU), sets the rate a restarted renderer goes back to
// (idleEvery), and the program goes on drawing: the first frame, and a
// change long after the renderer settled.
func TestPacerFindsTicker(t *testing.T) {
	term := &lockedBuffer{}
	out := NewOutput(term)
	pc := &Pacer{}
	var p *tea.Program
	if pc.Start(p) {
		t.Fatal("Start found a renderer without a program")
	}
	p = tea.NewProgram(pacedModel{"first frame", pc, &p}, tea.WithAltScreen(), tea.WithFPS(startFPS),
		tea.WithInput(nil), tea.WithOutput(out), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	select {
	case <-out.Drawn():
	case <-time.After(10 * time.Second):
		t.Fatal("no first frame")
	}
	pc.WhenDrawn(out.Drawn(), nil)
	pc.mu.Lock()
	started, fast := pc.reset != nil, pc.fast
	pc.mu.Unlock()
	if !started {
		t.Fatal("Start did not find the renderer's ticker from Init: Bubble Tea's standard renderer changed")
	}
	if fast {
		t.Error("still fast after the first frame, nothing changed since")
	}
	if got := rendererPeriod(t, p); got != idleEvery {
		t.Errorf("renderer framerate %v, want %v for a restart", got, idleEvery)
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

// fakeClock records a Pacer's ticker resets and holds its slow-downs for
// the test to fire.
type fakeClock struct {
	resets []time.Duration
	timers []func()
}

func (c *fakeClock) pacer() *Pacer {
	pc := &Pacer{after: func(_ time.Duration, f func()) func() bool {
		c.timers = append(c.timers, f)
		return func() bool { return true }
	}}
	pc.start(func(d time.Duration) { c.resets = append(c.resets, d) })
	return pc
}

// The Pacer's rule, step by step (issue 11, idle CPU): the first frame at
// once; idle once it is out; a changed view drawn within fastEvery, the
// same view again costs nothing; a burst of changes does not keep pushing
// the tick away; idle again once the view settled, and only by the last
// change's slow-down.
func TestPacerFastOnChangeIdleOtherwise(t *testing.T) {
	c := &fakeClock{}
	pc := c.pacer()
	want := []time.Duration{firstFrameEvery}
	check := func(step string) {
		t.Helper()
		if !slices.Equal(c.resets, want) {
			t.Fatalf("%s: resets %v, want %v", step, c.resets, want)
		}
	}
	check("start")
	pc.Viewed("a")
	check("first view: start's rate stands")
	drawn := make(chan struct{})
	close(drawn)
	pc.WhenDrawn(drawn, nil)
	want = append(want, idleEvery)
	check("first frame out")
	pc.Viewed("a")
	pc.Viewed("a")
	check("the same view")
	pc.Viewed("b")
	want = append(want, fastEvery)
	check("a change")
	pc.Viewed("c")
	pc.Viewed("b")
	check("a burst: the ticker is fast already, its period not restarted")
	n := len(c.timers)
	for _, f := range c.timers[:n-1] {
		f() // earlier slow-downs: superseded by the last change
	}
	check("superseded slow-downs")
	c.timers[n-1]()
	want = append(want, idleEvery)
	check("settled")
	pc.Viewed("d")
	want = append(want, fastEvery)
	check("a change after settling")
}

// Without WhenDrawn (or a first frame that never comes) the first window's
// slow-down still ends the fast start.
func TestPacerSlowsWithoutAFrame(t *testing.T) {
	c := &fakeClock{}
	c.pacer()
	c.timers[0]()
	if want := []time.Duration{firstFrameEvery, idleEvery}; !slices.Equal(c.resets, want) {
		t.Errorf("resets %v, want %v", c.resets, want)
	}
}

// WhenDrawn returns without touching the pacer when done comes first.
func TestWhenDrawnReturnsOnDone(t *testing.T) {
	done := make(chan struct{})
	close(done)
	(&Pacer{}).WhenDrawn(make(chan struct{}), done)
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
