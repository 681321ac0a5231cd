package sshserve

import (
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"downforai/probe/lazyre"
	"downforai/ui/terminal"
)

// answerWait bounds how long a viewer's first keys are held back while its
// terminal has not answered the background query. Keys are held, never
// lost, and the dashboard draws from the start either way.
const answerWait = 2 * time.Second

var (
	bgAnswer  = lazyre.New(`\x1b\]11;([^\x07\x1b]*)(?:\x07|\x1b\\)`)
	da1Answer = lazyre.New(`\x1b\[\?[0-9;]*c`)
)

// sessionEnv is a session's environment for termenv: its variables and the
// pty's TERM.
type sessionEnv []string

func (e sessionEnv) Environ() []string { return e }

func (e sessionEnv) Getenv(k string) string {
	for i := len(e) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(e[i], k+"="); ok {
			return v
		}
	}
	return ""
}

// viewerTerminal is what a session's dashboard draws with and reads keys
// from. wish's MakeRenderer asks the viewer's terminal for its background
// and waits for the answer before the program may start: a terminal that
// does not answer held the first frame until the viewer typed something,
// and that key went to the question. Here the renderer starts from the
// session's $COLORFGBG, else dark (lipgloss's own guess); the question
// goes out with the device attributes request (every terminal answers
// that one, so a terminal that ignores OSC 11 is known at once); and the
// answers are taken out of the viewer's input as they come, onDark hearing
// the background when the terminal names one.
func viewerTerminal(sess ssh.Session, onDark func(dark bool)) (*lipgloss.Renderer, io.Reader) {
	pty, _, ok := sess.Pty()
	if !ok || pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii)), sess
	}
	env := sessionEnv(append(sess.Environ(), "TERM="+pty.Term))
	r := lipgloss.NewRenderer(sess, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
	dark, ok := terminal.DarkFromEnv(env.Getenv)
	r.SetHasDarkBackground(dark || !ok)
	if _, err := io.WriteString(sess, ansi.RequestBackgroundColor+ansi.RequestPrimaryDeviceAttributes); err != nil {
		return r, sess
	}
	pr, pw := io.Pipe()
	go pickAnswers(sess, pw, answerWait, func(spec string) {
		if dark, ok := terminal.DarkColor(spec); ok {
			onDark(dark)
		}
	})
	return r, pr
}

// pickAnswers copies in to out, taking the terminal's answers to the
// background and device-attribute queries out of what comes first: input
// is held until the device attributes answer or wait passes, then goes on
// as it comes. onBackground hears the colour the terminal named.
func pickAnswers(in io.Reader, out *io.PipeWriter, wait time.Duration, onBackground func(spec string)) {
	type chunk struct {
		b   []byte
		err error
	}
	reads := make(chan chunk)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			buf := make([]byte, 1024)
			n, err := in.Read(buf)
			select {
			case reads <- chunk{buf[:n], err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	var held []byte
	timeout := time.NewTimer(wait)
	defer timeout.Stop()
	for waiting := true; waiting; {
		select {
		case c := <-reads:
			held = append(held, c.b...)
			if m := bgAnswer.FindSubmatchIndex(held); m != nil {
				onBackground(string(held[m[2]:m[3]]))
				held = append(held[:m[0]:m[0]], held[m[1]:]...)
			}
			if m := da1Answer.FindIndex(held); m != nil {
				held = append(held[:m[0]:m[0]], held[m[1]:]...)
				waiting = false
			}
			if c.err != nil {
				out.Write(held)
				out.CloseWithError(c.err)
				return
			}
		case <-timeout.C:
			waiting = false
		}
	}
	if len(held) > 0 {
		if _, err := out.Write(held); err != nil {
			return // the program is gone
		}
	}
	for c := range reads {
		if len(c.b) > 0 {
			if _, err := out.Write(c.b); err != nil {
				return
			}
		}
		if c.err != nil {
			out.CloseWithError(c.err)
			return
		}
	}
}
