package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// How the Troubleshooting tab writes its lines: wrapped text under a
// prefix, and one failed result.

func (t troubleshootTab) bullet(s string) []string {
	return t.wrapped("  • ", probe.Line(s, 0))
}

// wrapped wraps text after a prefix, continuation lines aligned under it.
func (t troubleshootTab) wrapped(prefix, text string) []string {
	return t.wrappedStyle(t.st.text, prefix, text)
}

func (t troubleshootTab) wrappedTone(tn tone, prefix, text string) []string {
	return t.wrappedStyle(t.st.tone[tn], prefix, text)
}

func (t troubleshootTab) wrappedStyle(style lipgloss.Style, prefix, text string) []string {
	return t.wrappedMax(style, prefix, text, 0)
}

// wrappedMax is wrappedStyle in at most n lines (0: any number), the
// last of a cut text ending with "…".
func (t troubleshootTab) wrappedMax(style lipgloss.Style, prefix, text string, n int) []string {
	pw := lipgloss.Width(prefix)
	ls := wrap(probe.Line(text, 0), max(t.w-pw, 1))
	if n > 0 && len(ls) > n {
		ls = ls[:n]
		ls[n-1] = ansi.Truncate(ls[n-1], max(t.w-pw-1, 0), "") + "…"
	}
	for i := range ls {
		if i == 0 {
			ls[i] = t.st.muted.Render(prefix) + style.Render(ls[i])
		} else {
			ls[i] = strings.Repeat(" ", pw) + style.Render(ls[i])
		}
	}
	return ls
}

// failureDetailIndent sets a failure's message and request id under its
// time.
const failureDetailIndent = "      "

// failure is one failed result: its time, target, class and status, then
// its message and request id.
func (t troubleshootTab) failure(r probe.Result) []string {
	st, now := t.st, t.b.now
	sym, tn := classLook(r.Class)
	what := sym + " " + classWord(r.Class)
	if r.HTTPStatus != 0 {
		what += fmt.Sprintf(" %d", r.HTTPStatus)
	}
	head := "  " + st.muted.Render(clock(now, r.Time)) + " " + fit(st.text.Render(r.Target.Label()), colName) + " " + st.tone[tn].Render(what)
	if r.ErrorType != "" {
		head += " " + st.muted.Render(probe.Line(r.ErrorType, phraseMax))
	}
	lines := []string{head}
	var detail []string
	if r.Message != "" {
		detail = append(detail, probe.Line(r.Message, messageMax))
	}
	if r.RequestID != "" {
		detail = append(detail, "request-id "+probe.Line(r.RequestID, 80))
	}
	if len(detail) > 0 {
		lines = append(lines, t.wrapped(failureDetailIndent, strings.Join(detail, " · "))...)
	}
	return lines
}
