package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe/diagnose"
)

// TestTroubleshootPasteKeepsItsLines (diag6): the paste box reads a
// paste as `downforai diagnose` does, its lines kept — the one-line input
// turns line breaks into blanks, and claude-code#7892's "5-hour limit
// reached ∙ resets 9pm" followed by its bug report matched "… resets 9pm
// **Bug Description** I have" in the tab, read its reset as "**Bug
// Description** I have", while the CLI read "9pm". The box says how much
// it holds when its one line shows only the end.
func TestTroubleshootPasteKeepsItsLines(t *testing.T) {
	paste := "# 5-hour limit reached ∙ resets 9pm\n\n**Bug Description**\nI have two Claude accounts – one personal (with a PRO subscription) and one work account (MAX 5×). While working in Claude Code, I accidentally logged into my personal account and quickly hit the 5-hour limit.\n\n" +
		"**Errors**\n```json\n" + `[{"error":"Error: 429 {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"This request would exceed your account's rate limit. Please try again later.\"},\"request_id\":\"req_011CTJ7z36bGCvpqTkREMU7B\"}\n    at n9.generate (file:///Users/alextrejtnar/.claude/local/node_modules/@anthropic-ai/claude-code/cli.js:992:2620)"}]` + "\n```"
	want := diagnose.Diagnose(paste)
	m := send(keyWorksModel(t), tea.WindowSizeMsg{Width: 80, Height: 24}, keyRunes("3"), keyRunes("p"),
		tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune(paste)})
	if v := m.View(); !strings.Contains(v, "holds 9 lines, ") || !strings.Contains(v, "enter reads all of it") {
		t.Errorf("the box does not say how much it holds:\n%s", v)
	}
	m = send(m, enterKey)
	got := m.troubleshoot.diag
	if got == nil || got.Matched != want.Matched || got.Matched != "5-hour limit reached ∙ resets 9pm" {
		t.Fatalf("the tab read %+v, diagnose reads %q", got, want.Matched)
	}
	// Cleared and pasted again: the next paste is read alone.
	m = send(m, tea.KeyMsg{Type: tea.KeyEsc}, keyRunes("p"),
		tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune("API Error: 529 Overloaded. This is a server-side issue, usually temporary")}, enterKey)
	if d := m.troubleshoot.diag; d == nil || !d.Known() || d.Entry.ID != "overloaded" {
		t.Errorf("the second paste: %+v", d)
	}
	// Typed by hand, the input's own text is read.
	m = send(m, keyRunes("p"), keyRunes("Invalid API key · Please run /login"), enterKey)
	if d := m.troubleshoot.diag; d == nil || !d.Known() || d.Entry.ID != "invalid_api_key" {
		t.Errorf("typed text: %+v", d)
	}
}

// TestTroubleshootPasteReadsATerminalsLineBreaks (diag6): a terminal
// pastes a line break as "\r" (tmux's paste-buffer, iTerm, xterm): the
// tab read claude-code#7892 pasted that way as one line, its reset time
// running into the bug report, and said "holds 1 line".
func TestTroubleshootPasteReadsATerminalsLineBreaks(t *testing.T) {
	paste := "# 5-hour limit reached ∙ resets 9pm\r\r**Bug Description**\rI have two Claude accounts – one personal (with a PRO subscription) and one work account (MAX 5×).\r"
	m := send(keyWorksModel(t), tea.WindowSizeMsg{Width: 80, Height: 24}, keyRunes("3"), keyRunes("p"),
		tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune(paste)})
	if v := m.View(); !strings.Contains(v, "holds 4 lines, ") {
		t.Errorf("the box does not count the lines:\n%s", v)
	}
	m = send(m, enterKey)
	if d := m.troubleshoot.diag; d == nil || d.Matched != "5-hour limit reached ∙ resets 9pm" {
		t.Fatalf("the tab read %+v", d)
	}
	if d := diagnose.Diagnose(paste); d.Matched != "5-hour limit reached ∙ resets 9pm" {
		t.Errorf("diagnose read %q", d.Matched)
	}
}
