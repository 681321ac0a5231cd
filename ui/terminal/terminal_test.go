//go:build unix

package terminal

import (
	"image/color"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/creack/pty"
)

func TestParseBackground(t *testing.T) {
	for _, tt := range []struct {
		answer   string
		ok, dark bool
	}{
		{"\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[12;1R", true, false},
		{"\x1b]11;rgb:0000/0000/0000\x07\x1b[12;1R", true, true},
		{"\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\\x1b[1;1R", true, true},
		{"\x1b]11;rgb:fdfd/f6f6/e3e3\x1b\\\x1b[1;1R", true, false}, // solarized light
		{"\x1b[12;1R", false, false},                               // ignores OSC 11, answers the cursor request
		{"\x1b]11;rgb:ffff/ff", false, false},                      // cut short
		{"", false, false},
	} {
		c, ok := parseBackground([]byte(tt.answer))
		if ok != tt.ok || ok && isDark(c) != tt.dark {
			t.Errorf("%q: ok %v dark %v, want %v %v", tt.answer, ok, ok && isDark(c), tt.ok, tt.dark)
		}
	}
}

func TestColorFGBG(t *testing.T) {
	for v, want := range map[string][2]bool{"15;0": {true, true}, "0;15": {false, true}, "0;default;15": {false, true}, "": {false, false}, "x": {false, false}} {
		if d, ok := colorFGBG(v); d != want[0] || ok != want[1] {
			t.Errorf("%q: %v %v, want %v", v, d, ok, want)
		}
	}
}

// TestQueryGivesUp: a terminal that answers nothing costs QueryTimeout,
// and one that answers is read up to its cursor report.
func TestQueryGivesUp(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	// Not the test's controlling terminal, so the foreground check would
	// refuse: read the answer directly, raw as queryBackground makes it.
	if _, err := term.MakeRaw(tty.Fd()); err != nil {
		t.Fatal(err)
	}
	go func() {
		buf := make([]byte, 64)
		ptmx.Read(buf)
		ptmx.Write([]byte("\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[3;1R"))
	}()
	if err := writeQuery(tty); err != nil {
		t.Fatal(err)
	}
	got := readAnswer(int(tty.Fd()), time.Now().Add(time.Minute)) // returns at the report, not the deadline
	if c, ok := parseBackground(got); !ok || isDark(c) {
		t.Errorf("answer %q: %v %v", got, c, ok)
	}
	if got := readAnswer(int(tty.Fd()), time.Now().Add(10*time.Millisecond)); len(got) != 0 {
		t.Errorf("silence read as %q", got)
	}
	if _, ok := queryBackground(tty, tty, "xterm-256color", time.Minute); ok {
		t.Error("asked a terminal this process does not have in the foreground")
	}
	if _, ok := queryBackground(os.Stdin, tty, "tmux-256color", time.Minute); ok {
		t.Error("asked through tmux")
	}
}

// TestAfterAskWritesOnceTheQuestionIsOver: while the background question
// is out the terminal is in raw mode, so an error the dashboard writes then
// (a database it cannot open) first reads the answer and gives the terminal
// its mode back, instead of being drawn as a staircase; the answer is read
// once.
func TestAfterAskWritesOnceTheQuestionIsOver(t *testing.T) {
	var order []string
	a := &Asked{answer: func(time.Time) (color.Color, bool) {
		order = append(order, "answer read, mode given back")
		return nil, false
	}}
	w := AfterAsk(a, writerFunc(func(p []byte) (int, error) {
		order = append(order, "written: "+string(p))
		return len(p), nil
	}))
	w.Write([]byte("downforai: cannot open the database\n"))
	w.Write([]byte("again\n"))
	want := []string{"answer read, mode given back", "written: downforai: cannot open the database\n", "written: again\n"}
	if !slices.Equal(order, want) {
		t.Errorf("order %q, want %q", order, want)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestAskedReadsAnAnswerThatCameEarly: the question is sent at Ask and the
// answer read at Wait, however late: an answer that arrived long before
// (the database took longer to open than QueryTimeout) is still read, not
// taken for silence.
func TestAskedReadsAnAnswerThatCameEarly(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if _, err := term.MakeRaw(tty.Fd()); err != nil {
		t.Fatal(err)
	}
	if _, err := ptmx.Write([]byte("\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[3;1R")); err != nil {
		t.Fatal(err)
	}
	// Past the deadline: only what has arrived is read, at once.
	got := readAnswer(int(tty.Fd()), time.Now().Add(-time.Hour))
	if c, ok := parseBackground(got); !ok || isDark(c) {
		t.Errorf("answer %q read past the deadline: %v %v", got, c, ok)
	}
}

// TestAskNotAskedStillAnswers: a terminal that is not asked (here: not
// this process's foreground terminal) gives the answer at once, from
// $COLORFGBG, to the renderer and the default one alike.
func TestAskNotAskedStillAnswers(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	defer lipgloss.SetHasDarkBackground(true)
	for _, tt := range []struct {
		fgbg string
		dark bool
	}{{"0;15", false}, {"15;0", true}, {"", true}} {
		env := map[string]string{"TERM": "xterm-256color", "COLORFGBG": tt.fgbg}
		r := Ask(tty, tty, func(k string) string { return env[k] }).Renderer()
		if r.HasDarkBackground() != tt.dark || lipgloss.HasDarkBackground() != tt.dark {
			t.Errorf("COLORFGBG=%q: renderer dark %v, default dark %v; want %v", tt.fgbg, r.HasDarkBackground(), lipgloss.HasDarkBackground(), tt.dark)
		}
	}
}
