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
	if !IsTerminal(in) || !IsTerminal(out) {
		return nil, false
	}
	for _, p := range []string{"screen", "tmux", "dumb"} {
		if strings.HasPrefix(termName, p) {
			return nil, false
		}
	}
	fd := int(in.Fd())
	if pg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err != nil || pg != unix.Getpgrp() {
		return nil, false
	}
	state, err := term.MakeRaw(in.Fd())
	if err != nil {
		return nil, false
	}
	defer term.Restore(in.Fd(), state)
	if err := writeQuery(out); err != nil {
		return nil, false
	}
	answer := readAnswer(fd, time.Now().Add(timeout))
	return parseBackground(answer)
}

// writeQuery asks for the background colour, then the cursor position.
func writeQuery(out *os.File) error {
	_, err := out.WriteString(ansi.RequestBackgroundColor + ansi.RequestCursorPositionReport)
	return err
}

// readAnswer reads from fd until the cursor position report ends the
// answer, or the deadline passes.
func readAnswer(fd int, deadline time.Time) []byte {
	var got []byte
	buf := make([]byte, 256)
	for len(got) < 4096 {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left/time.Millisecond)+1)
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
