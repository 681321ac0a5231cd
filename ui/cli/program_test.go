package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestProgramExit(t *testing.T) {
	for _, tt := range []struct {
		name  string
		err   error
		crash string
		code  int
		say   string
	}{
		{"quit", nil, "", ExitOK, ""},
		{"signal", fmt.Errorf("%w: %w", tea.ErrProgramKilled, context.Canceled), "", ExitOK, ""},
		{"engine crash", tea.ErrProgramKilled, "engine panicked: boom", ExitFail, "crashed (engine panicked: boom)"},
		{"ui crash", fmt.Errorf("%w: %w", tea.ErrProgramKilled, tea.ErrProgramPanic), "", ExitFail, "details in /l.log"},
		{"tty gone", errors.New("read /dev/tty: input/output error"), "", ExitFail, "input/output error"},
	} {
		var errb bytes.Buffer
		if code := ProgramExit(tt.err, tt.crash, "/l.log", &errb); code != tt.code || !strings.Contains(errb.String(), tt.say) || (tt.say == "") != (errb.Len() == 0) {
			t.Errorf("%s: exit %d, stderr %q", tt.name, code, errb.String())
		}
	}
}
