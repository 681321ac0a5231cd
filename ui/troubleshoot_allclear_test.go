package ui

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// allClearLocal is a machine whose every probe passes while two local
// checks found a problem: a proxy that refuses connections and Claude
// Code's expired login.
func allClearLocal(at time.Time) *probe.LocalReport {
	l := invalidKeyLocal(at)
	for i := range l.Checks {
		switch l.Checks[i].ID {
		case probe.CheckProxy:
			l.Checks[i] = probe.LocalCheck{ID: probe.CheckProxy, Name: "Proxy", Level: probe.LocalFail, Class: probe.ClassNetwork,
				Text: "HTTPS_PROXY=http://127.0.0.1:9 does not accept connections (refused: connection refused)"}
		case probe.CheckCodeAuth:
			l.Checks[i] = probe.LocalCheck{ID: probe.CheckCodeLogin, Name: "Claude Code login", Level: probe.LocalFail, Class: probe.ClassAuth,
				Cause: probe.CauseExpired, Text: "Claude Code's login expired 3d ago — run `claude` then /login"}
		}
	}
	return l
}

// TestTroubleshootAllClearHasNoMatchingProblem: under "All clear", a
// local check that fails is no "Matching problem" on the tab, nor in the
// report c copies (cold6 D19(2)): it is a local finding that says what it
// means while every probe passes.
func TestTroubleshootAllClearHasNoMatchingProblem(t *testing.T) {
	var out bytes.Buffer
	opts := testOptions()
	opts.Clipboard = &out
	m := send(New(opts), healthySnapshot(testNow.Add(-20*time.Second), 30), tea.WindowSizeMsg{Width: 100, Height: 40}, keyRunes("3"))
	local := allClearLocal(testNow.Add(-10 * time.Second))
	m = send(m, eventMsg{Result: local.Result(), Local: local})
	if !strings.Contains(flatView(m), "All clear") {
		t.Fatalf("not all clear:\n%s", m.View())
	}
	page := allContent(m)
	if strings.Contains(page, "Matching problem") {
		t.Errorf("a Matching problem while every probe passes:\n%s", strings.Join(m.troubleshoot.content(), "\n"))
	}
	if i, j := strings.Index(page, "Why we say so"), strings.Index(page, "Local finding: "); i < 0 || j < i {
		t.Errorf("the local finding leads the tab under All clear:\n%s", strings.Join(m.troubleshoot.content(), "\n"))
	}
	for _, want := range []string{"Local finding: ", "every probe passes", "not the cause of anything failing now", "our probes do not depend on it, Claude Code does"} {
		if !strings.Contains(page, want) {
			t.Errorf("the tab lacks %q:\n%s", want, strings.Join(m.troubleshoot.content(), "\n"))
		}
	}

	// The fix that acts on what the check found, alone: not the entry's
	// list for a login seen failing (diag4's notes).
	if !strings.Contains(page, "fix: 1. Run `claude`, then /login, and sign in again") || strings.Contains(page, "If /login itself fails") {
		t.Errorf("the local finding does not show only the fix that applies:\n%s", strings.Join(m.troubleshoot.content(), "\n"))
	}

	_, cmd := update(t, m, keyRunes("c"))
	msgs := flatten(cmd)
	if len(msgs) != 1 {
		t.Fatalf("messages %v", msgs)
	}
	send(m, msgs[0])
	payload := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(out.String(), "\x1b]52;c;"), "\x07"), "\x1b\\")
	report, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(report, []byte("Matching problem")) {
		t.Errorf("the report has a Matching problem while every probe passes:\n%s", report)
	}
	if !bytes.Contains(report, []byte("## Local finding: ")) || !bytes.Contains(report, []byte("Now: every probe passes")) {
		t.Errorf("the report lacks the local finding and what it means:\n%s", report)
	}
	if !bytes.Contains(report, []byte("1. Run `claude`, then /login, and sign in again")) || bytes.Contains(report, []byte("If /login itself fails")) {
		t.Errorf("the report's local finding does not give only the fix that applies:\n%s", report)
	}
}
