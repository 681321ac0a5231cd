package ui

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// tapTerminal feeds every write of the renderer to two emulators: one
// as written, one through Output's changed-cell rewriting. After every
// write both screens must be the same, cell for cell and style for style.
type tapTerminal struct {
	mu          sync.Mutex
	t           *testing.T
	plain, diff *vt.Emulator
	out         *Output
	in, written int
	mismatch    string
}

func (tp *tapTerminal) Write(p []byte) (int, error) {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	tp.in += len(p)
	tp.plain.Write(p)
	tp.out.Write(p)
	if tp.mismatch == "" && tp.plain.Render() != tp.diff.Render() {
		tp.mismatch = fmt.Sprintf("after %q:\nas written:\n%s\nthrough Output:\n%s", p, tp.plain.Render(), tp.diff.Render())
	}
	return len(p), nil
}

func (tp *tapTerminal) shows(s string) bool {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return strings.Contains(tp.plain.String(), s)
}

type countingWriter struct {
	w interface{ Write([]byte) (int, error) }
	n *int
}

func (c countingWriter) Write(p []byte) (int, error) { *c.n += len(p); return c.w.Write(p) }

// stripLine is a row like Live's: name, a probe cell, a strip of
// coloured blocks.
func stripLine(rng *rand.Rand, name string, cells int) string {
	blocks := []rune("▁▂▃▄▅▆▇█")
	colours := []string{"\x1b[32m", "\x1b[33m", "\x1b[1;91m", "\x1b[90m"}
	var b strings.Builder
	fmt.Fprintf(&b, "\x1b[1;96m%-12s\x1b[0m \x1b[32m✔ ok 200 %3dms\x1b[0m ", name, rng.IntN(999))
	cur := ""
	for range cells {
		c := colours[rng.IntN(len(colours))]
		if rng.IntN(3) > 0 {
			c = colours[0]
		}
		if c != cur {
			if cur != "" {
				b.WriteString("\x1b[0m")
			}
			b.WriteString(c)
			cur = c
		}
		if rng.IntN(10) == 0 {
			b.WriteRune('×')
		} else {
			b.WriteRune(blocks[rng.IntN(len(blocks))])
		}
	}
	b.WriteString("\x1b[0m")
	return b.String()
}

// shiftLine is a Live row drawn from its strip's levels (9 is a failure),
// then the age column.
func shiftLine(name string, ms int, levels []int) string {
	blocks := []rune("▁▂▃▄▅▆▇█")
	var b strings.Builder
	fmt.Fprintf(&b, "\x1b[1;96m%-12s\x1b[0m \x1b[32m✔ ok 200 %3dms\x1b[0m ", name, ms)
	cur := ""
	for _, l := range levels {
		c, r := "\x1b[32m", ' '
		switch {
		case l == 9:
			c, r = "\x1b[1;91m", '×'
		case l == 8:
			c = ""
		default:
			r = blocks[l]
		}
		if c != cur {
			if cur != "" {
				b.WriteString("\x1b[0m")
			}
			b.WriteString(c)
			cur = c
		}
		b.WriteRune(r)
	}
	if cur != "" {
		b.WriteString("\x1b[0m")
	}
	b.WriteString(" \x1b[90m<1m\x1b[0m")
	return b.String()
}

func TestOutputWritesOnlyChangedCells(t *testing.T) {
	const w, h = 100, 12
	rng := rand.New(rand.NewPCG(1, 2))
	tp := &tapTerminal{t: t, plain: vt.NewEmulator(w, h), diff: vt.NewEmulator(w, h)}
	defer tp.plain.Close()
	defer tp.diff.Close()
	tp.out = NewOutput(countingWriter{tp.diff, &tp.written})
	p := tea.NewProgram(textModel("start"), tea.WithAltScreen(), tea.WithInput(nil),
		tea.WithOutput(tp), tea.WithoutSignalHandler(), tea.WithFPS(startFPS))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	<-tp.out.Drawn()
	strips := make([]string, 4)
	rows := make([][]int, 4)
	for i := range strips {
		strips[i] = stripLine(rng, fmt.Sprintf("target %d", i), 40)
		for range 50 + i*5 {
			rows[i] = append(rows[i], rng.IntN(10))
		}
	}
	for step := range 300 {
		// Mostly what an idle Live tab does: one row's probe cell, a
		// shifted strip; now and then wide text, emoji, a shorter screen,
		// a notification between frames.
		i := rng.IntN(len(strips))
		switch rng.IntN(8) {
		case 2, 3, 4:
			// A probe: the strip moves left by a cell or two and the
			// probe cell's latency changes.
			shifted := rows[i][1+rng.IntN(2):]
			for len(shifted) < len(rows[i]) {
				shifted = append(shifted, rng.IntN(10))
			}
			rows[i] = shifted
			strips[i] = shiftLine(fmt.Sprintf("target %d", i), rng.IntN(999), rows[i])
		case 0:
			strips[i] = strips[i][:len(strips[i])/2] + "\x1b[0m"
		case 1:
			strips[i] = "漢字 wide ⚠️ emoji " + fmt.Sprint(step)
		default:
			strips[i] = stripLine(rng, fmt.Sprintf("target %d", i), 20+rng.IntN(60))
		}
		lines := append([]string{"\x1b[1mBanner\x1b[0m ✔ All clear", ""}, strips...)
		if rng.IntN(10) == 0 {
			lines = lines[:3]
		}
		marker := fmt.Sprintf("step %d.", step)
		lines = append(lines, marker)
		if rng.IntN(20) == 0 {
			tp.out.Write([]byte("\a\x1b]9;downforai: notice\x07"))
		}
		p.Send(strings.Join(lines, "\n"))
		if step%25 == 0 {
			p.Send(tea.WindowSizeMsg{Width: w, Height: h})
		}
		// One frame per step: wait until this one is on the screen.
		for i := 0; !tp.shows(marker); i++ {
			if i > 10000 {
				t.Fatalf("step %d never drawn", step)
			}
			time.Sleep(time.Millisecond)
		}
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	tp.mu.Lock()
	defer tp.mu.Unlock()
	if tp.mismatch != "" {
		t.Fatal(tp.mismatch)
	}
	if tp.written >= tp.in {
		t.Errorf("wrote %d bytes for the renderer's %d: no saving", tp.written, tp.in)
	}
	t.Logf("renderer wrote %d bytes, Output %d", tp.in, tp.written)
}

func TestParseRow(t *testing.T) {
	for _, tc := range []struct {
		line   string
		ok     bool
		cells  int
		erased bool
	}{
		{"plain", true, 5, false},
		{"\x1b[32m▁▂\x1b[0m x\x1b[K", true, 4, true},
		{"\x1b[32mopen", false, 0, false},             // style left open
		{"\x1b[41mx\x1b[K", false, 0, false},          // EL with a colour
		{"漢字", false, 0, false},                       // wide
		{"⚠️", false, 0, false},                       // a variation selector
		{"a\x1b]8;;http://x\x1b\\b", false, 0, false}, // a hyperlink
		{"a\x1b[2Cb", false, 0, false},                // a cursor move
		{"a\tb", false, 0, false},
		{"", true, 0, false},
	} {
		row, ok := parseRow(tc.line)
		if ok != tc.ok || (ok && (len(row.cells) != tc.cells || row.erased != tc.erased)) {
			t.Errorf("parseRow(%q) = %d cells, erased %v, ok %v; want %d, %v, %v", tc.line, len(row.cells), row.erased, ok, tc.cells, tc.erased, tc.ok)
		}
	}
}

func TestHarmless(t *testing.T) {
	for s, want := range map[string]bool{
		"\a":                          true,
		"\x1b]9;hello\x07":            true,
		"\x1b]777;notify;a;b\x1b\\\a": true,
		"\x1b]52;c;aGVsbG8=\x07":      true,
		"\x1b[2J":                     false,
		"\x1b[?1049h":                 false,
		"text":                        false,
		"\x1b]9;never ends":           false,
	} {
		if got := harmless([]byte(s)); got != want {
			t.Errorf("harmless(%q) = %v, want %v", s, got, want)
		}
	}
}

// lockedScreen is an emulator the renderer writes from its goroutine while
// the test reads the screen from its own (the emulator is not safe for
// that by itself: go test -race failed on it).
type lockedScreen struct {
	mu sync.Mutex
	e  *vt.Emulator
}

func (l *lockedScreen) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.e.Write(p)
}

func (l *lockedScreen) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.e.String()
}

// TestFramesBeforeTheWidthLeaveNoStaleText: until the renderer has a
// WindowSizeMsg it ends no line with EL, and the first frames are drawn
// then (FirstFrame). A line that becomes shorter or empty in such a frame
// must not leave the old line's tail on the screen: a stale "Open
// incidents: the status page is not read yet" once stood for good under
// Live's legend while the section below said "none on the status page".
func TestFramesBeforeTheWidthLeaveNoStaleText(t *testing.T) {
	const w, h = 80, 6
	term := &lockedScreen{e: vt.NewEmulator(w, h)}
	defer term.e.Close()
	out := NewOutput(term)
	p := tea.NewProgram(textModel("\x1b[1mOpen incidents:\x1b[0m the status page is not read yet\nsecond row stays\nthird row, long enough to shrink"),
		tea.WithAltScreen(), tea.WithInput(nil), tea.WithOutput(out), tea.WithoutSignalHandler(), tea.WithFPS(startFPS))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	<-out.Drawn()
	frames := []string{
		"\nsecond row stays\nthird row",            // a row emptied, a row shortened
		"\x1b[1mx\x1b[0m\nsecond row stays\nthird", // a styled short row over an empty one
	}
	for _, f := range frames {
		p.Send(f)
		term.await(t, f)
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// await waits until the screen's first rows show frame f's lines, each
// exactly (trailing blanks aside); it fails the test with the screen
// when they never do.
func (l *lockedScreen) await(t *testing.T, f string) {
	t.Helper()
	want := strings.Split(f, "\n")
	for i := 0; ; i++ {
		got := strings.Split(l.String(), "\n")
		same := len(got) >= len(want)
		for j := 0; same && j < len(want); j++ {
			same = strings.TrimRight(got[j], " ") == ansi.Strip(want[j])
		}
		if same {
			return
		}
		if i > 5000 {
			t.Fatalf("the screen after frame %q:\n%s", f, l.String())
		}
		time.Sleep(time.Millisecond)
	}
}

// TestResizeForgetsTheRows: a terminal that gets shorter moves its rows
// (tmux and xterm keep the bottom ones), so after a resize the rows
// Output wrote are no longer on the screen. The renderer repaints; Output
// must write that repaint whole, not as cells changed from rows that are
// gone: in tmux a pane made shorter kept stale latency rows where the tab
// bar and the verdict belong, with new cells spliced into them ("Claude
// C7de CLI"), for good.
func TestResizeForgetsTheRows(t *testing.T) {
	const w = 60
	term := &lockedScreen{e: vt.NewEmulator(w, 8)}
	defer term.e.Close()
	out := NewOutput(term)
	p := tea.NewProgram(textModel("start"),
		tea.WithAltScreen(), tea.WithInput(nil), tea.WithOutput(out), tea.WithoutSignalHandler(), tea.WithFPS(startFPS))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	<-out.Drawn()
	p.Send(tea.WindowSizeMsg{Width: w, Height: 8})
	rows := []string{"\x1b[1m[1 Live signals]\x1b[0m 2 Incidents", "✔ Operational", "", "Service  Our probe", "  claude.ai  1ms  4ms", "  Claude Code CLI  6ms", "  status page  1ms", "footer"}
	before := strings.Join(rows, "\n")
	p.Send(before)
	term.await(t, before)
	// The terminal shrinks by three rows and keeps the bottom five.
	term.mu.Lock()
	term.e.Resize(w, 5)
	io.WriteString(term.e, "\x1b[H\x1b[2J")
	for i, r := range rows[3:] {
		fmt.Fprintf(term.e, "\x1b[%d;1H%s", i+1, r)
	}
	term.mu.Unlock()
	p.Send(tea.WindowSizeMsg{Width: w, Height: 5})
	after := strings.Join([]string{rows[0], "✔ Operational", "", "  Claude Code CLI  7ms", "footer"}, "\n")
	p.Send(after)
	term.await(t, after)
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
