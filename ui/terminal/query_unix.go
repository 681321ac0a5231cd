//go:build unix

package terminal

import (
	"bytes"
	"image/color"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// queryBackground asks the terminal on out for its background colour and
// reads the answer from in, giving up after timeout. A cursor position
// request follows the colour request, as termenv does: every terminal
// answers that one, so a terminal that ignores OSC 11 is known at once
// rather than at the timeout. Nothing is asked of a terminal multiplexer
// (screen and tmux answer for one of their clients), a dumb terminal, or
// from the background (the terminal would stop the process).
func queryBackground(in, out *os.File, termName string, timeout time.Duration) (color.Color, bool) {
	answer := sendQuery(in, out, termName)
	if answer == nil {
		return nil, false
	}
	return answer(time.Now().Add(timeout))
}

// sendQuery is queryBackground's question, sent: the terminal is left in
// raw mode, so its answer waits in the input, unechoed, until answer reads
// it (up to deadline; past it, what has arrived) and gives the terminal
// its mode back. nil when nothing was asked.
func sendQuery(in, out *os.File, termName string) (answer func(deadline time.Time) (color.Color, bool)) {
	if !IsTerminal(in) || !IsTerminal(out) {
		return nil
	}
	for _, p := range []string{"screen", "tmux", "dumb"} {
		if strings.HasPrefix(termName, p) {
			return nil
		}
	}
	fd := int(in.Fd())
	if pg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err != nil || pg != unix.Getpgrp() {
		return nil
	}
	state, err := term.MakeRaw(in.Fd())
	if err != nil {
		return nil
	}
	if err := writeQuery(out); err != nil {
		term.Restore(in.Fd(), state)
		return nil
	}
	return func(deadline time.Time) (color.Color, bool) {
		defer term.Restore(in.Fd(), state)
		return parseBackground(readAnswer(fd, deadline))
	}
}

// writeQuery asks for the background colour, then the cursor position.
func writeQuery(out *os.File) error {
	_, err := out.WriteString(ansi.RequestBackgroundColor + ansi.RequestCursorPositionReport)
	return err
}

// readAnswer reads from fd until the cursor position report ends the
// answer, or the deadline passes; past the deadline it still reads what has
// already arrived (the question may have been sent long before).
func readAnswer(fd int, deadline time.Time) []byte {
	var got []byte
	buf := make([]byte, 256)
	for len(got) < 4096 {
		ms := 0
		if left := time.Until(deadline); left > 0 {
			ms = int(left/time.Millisecond) + 1
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, ms)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			break
		}
		m, err := unix.Read(fd, buf)
		if err != nil || m <= 0 {
			break
		}
		got = append(got, buf[:m]...)
		if cursorReportEnds(got) {
			break
		}
	}
	return got
}

// cursorReportEnds reports whether b holds a cursor position report
// (CSI row ; col R), the last of the answers.
func cursorReportEnds(b []byte) bool {
	i := bytes.LastIndex(b, []byte("\x1b["))
	return i >= 0 && bytes.IndexByte(b[i:], 'R') > 0
}

// parseBackground finds the OSC 11 answer in b ("ESC ] 11 ; rgb:… BEL" or
// "… ESC \") and reads its colour.
func parseBackground(b []byte) (color.Color, bool) {
	i := bytes.Index(b, []byte("\x1b]11;"))
	if i < 0 {
		return nil, false
	}
	rest := b[i+len("\x1b]11;"):]
	end := bytes.IndexAny(rest, "\x07\x1b")
	if end < 0 {
		return nil, false
	}
	c := ansi.XParseColor(string(rest[:end]))
	return c, c != nil
}
