package ui

import (
	"errors"
	"io"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// errNoClipboard is copyReport's answer when the program has no output to
// write the sequence to.
var errNoClipboard = errors.New("no terminal to send the clipboard sequence to")

// copyReport writes text to the terminal's clipboard with OSC 52: an
// escape sequence the terminal itself interprets, so it works over ssh and
// needs no clipboard program. bubbletea v1 has no clipboard API; the
// sequence goes to the program's output in one Write, as the renderer's
// frames do, so the two never interleave mid-sequence.
func copyReport(w io.Writer, text string) tea.Cmd {
	return func() tea.Msg {
		if w == nil {
			return copiedMsg{bytes: len(text), err: errNoClipboard}
		}
		_, err := io.WriteString(w, ansi.SetSystemClipboard(text))
		return copiedMsg{bytes: len(text), err: err}
	}
}
