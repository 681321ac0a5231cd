// Package terminal keeps downforai from asking the terminal anything it
// does not need: only the dashboard asks, once, and briefly.
//
// Bubble Tea's package init asks the terminal for its background colour
// (OSC 11, through lipgloss and termenv) so that it has the answer before a
// program takes over the input. A terminal that never answers — a pty with
// nobody reading it, some CI runners, a serial console — made every command,
// --version included, wait termenv's fixed 5 s, and could leave the query's
// bytes on the screen. This package's init runs before Bubble Tea's (Go
// initialises packages in import-path order among those whose imports are
// ready; it imports neither Bubble Tea nor anything that does, and main
// imports it): it tells lipgloss the background, so Bubble Tea's init has
// nothing to ask. The dashboard asks for real with Renderer, under
// QueryTimeout.
package terminal

import (
	"image/color"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/lucasb-eyer/go-colorful"
)

// QueryTimeout bounds the question to the terminal: a local terminal
// answers in microseconds and one over ssh in a round trip.
const QueryTimeout = 500 * time.Millisecond

func init() {
	// Dark is lipgloss's own guess when a terminal does not say.
	lipgloss.SetHasDarkBackground(true)
}

// IsTerminal reports whether f is a terminal.
func IsTerminal(f *os.File) bool { return f != nil && term.IsTerminal(f.Fd()) }

// Size is f's size in cells; 0, 0 when f is not a terminal or does not
// say.
func Size(f *os.File) (width, height int) {
	if f == nil {
		return 0, 0
	}
	w, h, err := term.GetSize(f.Fd())
	if err != nil || w <= 0 || h <= 0 {
		return 0, 0
	}
	return w, h
}

// Renderer is a renderer for the dashboard on out that knows out's colour
// profile (from the environment) and its background: asked once, under
// QueryTimeout, reading the answer from in; else from $COLORFGBG; else
// dark. The default renderer is told the same, so anything still drawing
// through it agrees.
func Renderer(out, in *os.File, getenv func(string) string) *lipgloss.Renderer {
	return Ask(out, in, getenv).Renderer()
}

// Asked is the background question on its way (Ask). The terminal is in
// raw mode until the answer is read, so nothing may be written to it before
// Wait returns (AfterAsk).
type Asked struct {
	once     sync.Once
	out      *os.File
	answer   func(deadline time.Time) (color.Color, bool) // nil: not asked
	deadline time.Time
	fgbg     string
	timer    *time.Timer
	dark     bool
}

// Ask sends Renderer's question and returns at once: the terminal answers
// while the caller goes on (the dashboard opens its database meanwhile),
// and Renderer or Wait reads the answer, in the caller's goroutine — no
// thread waits on the terminal. The terminal is in raw mode meanwhile, so a
// caller saving its mode for a rescue saves it before Ask; it gets its mode
// back at Wait, or QueryTimeout after Ask if nothing called Wait by then
// (keys like ^C work again).
func Ask(out, in *os.File, getenv func(string) string) *Asked {
	a := &Asked{out: out, fgbg: getenv("COLORFGBG"), deadline: time.Now().Add(QueryTimeout)}
	if a.answer = sendQuery(in, out, getenv("TERM")); a.answer != nil {
		a.timer = time.AfterFunc(QueryTimeout, a.Wait)
	}
	return a
}

// Wait reads the answer and gives the terminal its mode back: at once when
// the answer is in or nothing was asked, else up to QueryTimeout after Ask.
// Safe to call more than once, from any goroutine.
func (a *Asked) Wait() {
	a.once.Do(func() {
		if a.timer != nil {
			a.timer.Stop()
		}
		a.dark = true
		if a.answer != nil {
			if bg, ok := a.answer(a.deadline); ok {
				a.dark = isDark(bg)
				return
			}
		}
		if d, ok := colorFGBG(a.fgbg); ok {
			a.dark = d
		}
	})
}

// Renderer waits for the answer and returns a renderer for out with the
// background it gave, telling the default renderer the same.
func (a *Asked) Renderer() *lipgloss.Renderer {
	a.Wait()
	r := lipgloss.NewRenderer(a.out)
	r.SetHasDarkBackground(a.dark)
	lipgloss.SetHasDarkBackground(a.dark)
	return r
}

// AfterAsk is w that waits for a's question to be over before it writes:
// an error written while the terminal is in raw mode would be drawn as a
// staircase.
func AfterAsk(a *Asked, w io.Writer) io.Writer { return afterAsk{a, w} }

type afterAsk struct {
	a *Asked
	w io.Writer
}

func (w afterAsk) Write(p []byte) (int, error) {
	w.a.Wait()
	return w.w.Write(p)
}

// DarkFromEnv reads $COLORFGBG from getenv: whether it names a dark
// background, and whether it says at all.
func DarkFromEnv(getenv func(string) string) (dark, ok bool) { return colorFGBG(getenv("COLORFGBG")) }

// DarkColor reads a colour as a terminal's OSC 11 answer spells it
// ("rgb:1c1c/1c1c/1c1c", "#ffffff"): whether it is a dark background, and
// whether it could be read.
func DarkColor(spec string) (dark, ok bool) {
	c := ansi.XParseColor(spec)
	if c == nil {
		return false, false
	}
	return isDark(c), true
}

// isDark is lipgloss's rule: a background whose lightness is under half.
func isDark(c color.Color) bool {
	cf, ok := colorful.MakeColor(c)
	if !ok {
		return true
	}
	_, _, l := cf.Hsl()
	return l < 0.5
}

// colorFGBG reads rxvt's "fg;bg" (or "fg;x;bg") variable: ANSI colours 0–6
// and 8 are dark backgrounds.
func colorFGBG(v string) (dark, ok bool) {
	i := strings.LastIndexByte(v, ';')
	if i < 0 {
		return false, false
	}
	n, err := strconv.Atoi(v[i+1:])
	if err != nil {
		return false, false
	}
	return n <= 6 || n == 8, true
}
