package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
	"downforai/probe/probetest"
)

// TestRejectedLoginEverySurfaceAgrees (cold2 C20): with --code-usage
// answering 401 the login Claude Code uses is refused now. The banner,
// Claude Code's row, the usage line, Local checks and Matching problem
// all say so, with what to do — no green "Credential in effect" under it,
// and no "not yet acknowledged" over it while the sessions' 529s are
// minutes old and our probes pass.
func TestRejectedLoginEverySurfaceAgrees(t *testing.T) {
	dir := t.TempDir()
	probetest.WriteCreds(t, dir, fmt.Sprintf(`{"claudeAiOauth":{"accessToken":"sk-ant-oat01-%s","expiresAt":%d,"subscriptionType":"max"}}`,
		strings.Repeat("s", 90), testNow.Add(time.Hour).UnixMilli()))
	// The quiet checker's API answers 401 to every call, the usage call too.
	local := probetest.QuietChecker(t, map[string]string{"CLAUDE_CONFIG_DIR": dir}, func(o *probe.LocalOptions) {
		o.CodeUsage = &probe.CodeUsageProber{}
		o.Now = func() time.Time { return probetest.LocalNow } // testNow: the clock check agrees
	}).Run(t.Context())
	if local.CodeUsage == nil || !local.CodeUsage.Rejected {
		t.Fatalf("the usage call was not refused: %+v", local.CodeUsage)
	}
	snap := healthySnapshot(testNow.Add(-20*time.Second), 30)
	delete(snap.recent, probe.TargetAPIKey) // no key here: Claude Code sends its login
	m := send(New(sessionsOptions()), snap)
	// The sessions' 529s of the last minutes, Claude Code giving up 1 min ago.
	sessions := sessionsReport(testNow.Add(6 * time.Minute))
	m = send(m, eventMsg{Result: local.Result(), Local: local}, eventMsg{Sessions: sessions})
	for _, r := range sessions.Recent {
		m = send(m, eventMsg{Result: r}) // as the follower sends its calls to the engine
	}
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 35}, {160, 48}} {
		m = send(m, tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		m.active = tabLive
		live := ansi.Strip(m.View())
		banner := strings.Join(strings.Split(live, "\n")[1:4], " ")
		for _, bad := range []string{"not yet acknowledged", "Not yet acknowledged", "Anthropic problem"} {
			if strings.Contains(banner, bad) {
				t.Errorf("%dx%d: banner says %q over the refused login:\n%s", sz.w, sz.h, bad, live)
			}
		}
		if !strings.Contains(banner, "login") {
			t.Errorf("%dx%d: banner does not say the login:\n%s", sz.w, sz.h, live)
		}
		if !strings.Contains(live, "login rejected") && !strings.Contains(live, "login is rejected") {
			t.Errorf("%dx%d: Live's usage line does not say the login is rejected:\n%s", sz.w, sz.h, live)
		}
		m.active = tabTroubleshoot
		var all []string
		for range 8 {
			all = append(all, ansi.Strip(m.View()))
			m = send(m, tea.KeyMsg{Type: tea.KeyPgDown})
		}
		tr := strings.Join(all, "\n")
		for _, l := range strings.Split(tr, "\n") {
			if strings.Contains(l, "Credential in effect") && strings.Contains(l, symOK) {
				t.Errorf("%dx%d: %q green under a refused login", sz.w, sz.h, l)
			}
		}
		for _, want := range []string{"Claude login rejected", "/login"} {
			if !strings.Contains(tr, want) {
				t.Errorf("%dx%d: Troubleshooting lacks %q:\n%s", sz.w, sz.h, want, tr)
			}
		}
		for range 8 {
			m = send(m, tea.KeyMsg{Type: tea.KeyPgUp})
		}
	}
}

// TestRefusedLoginNotInUse: with ANTHROPIC_API_KEY set Claude Code sends
// the key, not its login, so the usage call's 401 to that login is no
// failure — the usage line says the login is not in use, and neither the
// banner nor Local checks tell the user to run /login.
func TestRefusedLoginNotInUse(t *testing.T) {
	dir := t.TempDir()
	probetest.WriteCreds(t, dir, fmt.Sprintf(`{"claudeAiOauth":{"accessToken":"sk-ant-oat01-%s","expiresAt":%d,"subscriptionType":"max"}}`,
		strings.Repeat("s", 90), testNow.Add(time.Hour).UnixMilli()))
	env := map[string]string{"CLAUDE_CONFIG_DIR": dir, "ANTHROPIC_API_KEY": "sk-ant-api03-" + strings.Repeat("k", 93) + "AA"}
	local := probetest.QuietChecker(t, env, func(o *probe.LocalOptions) {
		o.CodeUsage = &probe.CodeUsageProber{}
		o.Now = func() time.Time { return probetest.LocalNow }
	}).Run(t.Context())
	if !local.CodeUsage.LoginUnused() {
		t.Fatalf("the usage call's refusal is not marked unused: %+v", local.CodeUsage)
	}
	snap := healthySnapshot(testNow.Add(-20*time.Second), 30)
	m := send(New(sessionsOptions()), snap)
	m = send(m, eventMsg{Result: local.Result(), Local: local}, eventMsg{Sessions: sessionsReport(testNow.Add(-time.Minute))})
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 35}, {160, 48}} {
		m = send(m, tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		m.active = tabLive
		live := ansi.Strip(m.View())
		banner := strings.Join(strings.Split(live, "\n")[1:4], " ")
		if strings.Contains(banner, "login") {
			t.Errorf("%dx%d: banner speaks of the unused login:\n%s", sz.w, sz.h, live)
		}
		if strings.Contains(live, "login rejected") || strings.Contains(live, "login is rejected") {
			t.Errorf("%dx%d: Live says the unused login is rejected:\n%s", sz.w, sz.h, live)
		}
		if !strings.Contains(live, "/login not in use") && !strings.Contains(live, "its /login is not in use") {
			t.Errorf("%dx%d: Live's usage line does not say the login is not in use:\n%s", sz.w, sz.h, live)
		}
		if sz.w >= 160 && !strings.Contains(live, "Claude Code uses ANTHROPIC_API_KEY here; its /login is not in use") {
			t.Errorf("%dx%d: wide usage line lacks the full words:\n%s", sz.w, sz.h, live)
		}
	}
}
