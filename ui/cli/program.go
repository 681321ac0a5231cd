package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// ProgramExit turns the end of the dashboard into an exit code. After a
// crash — a panic Bubble Tea caught (it restored the terminal and printed
// the panic), or one in the engine (crash says which) — one line on stderr
// names the log that holds the details.
func ProgramExit(err error, crash, logPath string, stderr io.Writer) int {
	if crash != "" || errors.Is(err, tea.ErrProgramPanic) {
		if crash == "" {
			crash = "panic in the dashboard"
		}
		where := "the log"
		if logPath != "" {
			where = logPath
		}
		fmt.Fprintf(stderr, "downforai: crashed (%s); the terminal was restored; details in %s\n", crash, where)
		return ExitFail
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "downforai: %v\n", err)
		return ExitFail
	}
	return ExitOK
}

// ProgramEnd says why a dashboard program returned, for the log.
func ProgramEnd(err error) string {
	switch {
	case err == nil:
		return "quit"
	case errors.Is(err, tea.ErrProgramKilled):
		return "stopped"
	}
	return probe.Line(err.Error(), 200)
}
