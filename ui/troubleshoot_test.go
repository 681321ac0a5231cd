package ui

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/diagnose"
	"downforai/probe/fakeupstream"
)

// secretKey is a well-formed API key; keyInner is a stretch of it that no
// mask shows.
var (
	secretKey = "sk-ant-api03-" + strings.Repeat("Sx9_", 22) + "QpXy7A" + "AA"
	keyInner  = secretKey[20:60]
)

// invalidKeyLocal is the local report of a machine whose ANTHROPIC_API_KEY
// the API rejects.
func invalidKeyLocal(at time.Time) *probe.LocalReport {
	return &probe.LocalReport{
		Time: at, APIURL: "https://api.anthropic.com", StatusURL: "https://status.claude.com", ClaudeURL: "https://claude.ai",
		Credentials: []probe.CredentialInfo{{Source: "ANTHROPIC_API_KEY", Kind: "API key", Masked: probe.Mask(secretKey), Header: "x-api-key", Probed: true}},
		Checks: []probe.LocalCheck{
			{ID: "credential", Name: "Credential in effect", Level: probe.LocalOK, Text: "Claude Code uses ANTHROPIC_API_KEY: API key " + probe.Mask(secretKey) + " (x-api-key); downforai probes the API with it"},
			{ID: "key_format", Name: "Key format", Level: probe.LocalOK, Text: "well-formed: ANTHROPIC_API_KEY (API key)"},
			{ID: "code_auth", Name: "Claude Code auth", Level: probe.LocalOK, Text: "logged in with apiKey"},
			{ID: "proxy", Name: "Proxy", Level: probe.LocalOK, Text: "no proxy in the environment: direct connection"},
			{ID: "dns", Name: "DNS", Level: probe.LocalOK, Text: "api.anthropic.com resolves to 160.79.104.10 in 12ms"},
			{ID: "clock", Name: "Clock", Level: probe.LocalOK, Text: "this clock agrees with the API server's (within 2 s)"},
		},
		SkewKnown: true,
	}
}

// invalidKeyModel is the dashboard after the key probe got 401 "invalid
// x-api-key" five times while everything else is green.
func invalidKeyModel(t *testing.T) Model {
	t.Helper()
	end := testNow.Add(-20 * time.Second)
	snap := healthySnapshot(end, 30)
	snap.recent[probe.TargetAPIKey] = series(probe.TargetAPIKey, 30, end, time.Minute, 260*time.Millisecond, func(i int) (probe.Result, bool) {
		if i < 25 {
			return probe.Result{}, false
		}
		return probe.Result{Class: probe.ClassAuth, HTTPStatus: 401, ErrorType: "authentication_error",
			Message:   "401 authentication_error: invalid x-api-key",
			RequestID: fmt.Sprintf("req_011CSHoEeqs5C35K2UUqR7F%d", i), Phases: probe.Phases{Total: 150 * time.Millisecond}}, true
	})
	m := send(New(testOptions()), snap)
	local := invalidKeyLocal(testNow.Add(-10 * time.Second))
	return thisRun(send(m, eventMsg{Result: local.Result(), Local: local}))
}

func TestTroubleshootLeadsWithInvalidKey(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		m := send(invalidKeyModel(t), tea.WindowSizeMsg{Width: sz.w, Height: sz.h}, keyRunes("3"))
		view := m.View()
		requireGolden(t, fmt.Sprintf("troubleshooting_invalidkey_%dx%d", sz.w, sz.h), view)
		checkBox(t, "invalid key", view, sz.w, sz.h)
		flat := strings.Join(strings.Fields(view), " ")
		for _, want := range []string{
			"Your credential: the API rejects ANTHROPIC_API_KEY (Invalid API key): it answered 401 \"invalid x-api-key\".",
			"Matching problem: Invalid API key",
			`GET https://api.anthropic.com/v1/models → 401 authentication_error "invalid x-api-key" · request-id req_011CSHoEeqs5C35K2UUqR7F29 · 13:59:40 UTC`,
			"credential: ANTHROPIC_API_KEY, API key sk-ant-api03-…7AAA",
		} {
			if !strings.Contains(flat, want) {
				t.Errorf("%dx%d: screen lacks %q:\n%s", sz.w, sz.h, want, view)
			}
		}
		// The entry comes before everything else in the tab.
		if i, j := strings.Index(view, "Matching problem"), strings.Index(view, "Why we say so"); i < 0 || (j >= 0 && j < i) {
			t.Errorf("the tab does not lead with the matching problem:\n%s", view)
		}
		if strings.Contains(view, keyInner) {
			t.Error("the key is on screen")
		}
	}
}

func TestTroubleshootPasteAnError(t *testing.T) {
	m := send(invalidKeyModel(t), tea.WindowSizeMsg{Width: 100, Height: 40}, keyRunes("3"))
	m, cmd := update(t, m, keyRunes("p"))
	if !m.capturing() {
		t.Fatal("p did not focus the input")
	}
	// While typing, q and 1 are text, not quit and tab switch.
	m, cmd = update(t, m, keyRunes("q1"))
	if m.active != tabTroubleshoot || cmd != nil && isQuit(cmd) {
		t.Fatal("typing q1 left the tab or quit")
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyBackspace}, tea.KeyMsg{Type: tea.KeyBackspace})
	paste := "curl -H 'x-api-key: " + secretKey + "' …\n" +
		`API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`
	m = send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(paste), Paste: true})
	if v := m.View(); strings.Contains(v, keyInner) {
		t.Fatalf("pasted key on screen:\n%s", v)
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
	if m.capturing() {
		t.Error("enter left the input focused")
	}
	view := m.View()
	requireGolden(t, "troubleshooting_pasted_100x40", view)
	flat := strings.Join(strings.Fields(view), " ")
	for _, want := range []string{
		"Pasted error", "Invalid API key · invalid_api_key", `HTTP 401 · authentication_error · “invalid x-api-key” · request-id req_011CSHoEeqs5C35K2UUqR7Fy`,
		"now: Confirmed from here: 5 of the last 12 API probes with your key got 401 authentication_error.",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, keyInner) {
		t.Error("pasted key on screen")
	}

	// Unknown text: an honest answer plus the live verdict.
	m = send(m, keyRunes("p"), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("the printer is on fire"), Paste: true}, tea.KeyMsg{Type: tea.KeyEnter})
	flat = strings.Join(strings.Fields(m.View()), " ")
	if !strings.Contains(flat, "no known signature") || !strings.Contains(flat, "now: Live verdict: Your credential") {
		t.Errorf("unknown text:\n%s", m.View())
	}
	// esc clears, and outside the input keys are keys again.
	m = send(m, tea.KeyMsg{Type: tea.KeyEsc})
	if strings.Contains(m.View(), "Pasted error") {
		t.Error("esc did not clear the diagnosis")
	}
	m = send(m, keyRunes("p"), tea.KeyMsg{Type: tea.KeyEsc})
	if m.capturing() {
		t.Error("esc did not close the input")
	}
}

func isQuit(cmd tea.Cmd) bool {
	for _, msg := range flatten(cmd) {
		if _, ok := msg.(tea.QuitMsg); ok {
			return true
		}
	}
	return false
}

func TestTroubleshootCopyReport(t *testing.T) {
	var out bytes.Buffer
	opts := testOptions()
	opts.Clipboard = &out
	m := New(opts)
	m = send(m, invalidKeyModel(t).board.snapshotForTest(), tea.WindowSizeMsg{Width: 100, Height: 30}, keyRunes("3"))
	local := invalidKeyLocal(testNow)
	m = send(m, eventMsg{Result: local.Result(), Local: local})
	m, cmd := update(t, m, keyRunes("c"))
	if cmd == nil {
		t.Fatal("c gave no command")
	}
	msgs := flatten(cmd)
	if len(msgs) != 1 {
		t.Fatalf("messages %v", msgs)
	}
	m = send(m, msgs[0])
	seq := out.String()
	if !strings.HasPrefix(seq, "\x1b]52;c;") || !(strings.HasSuffix(seq, "\x07") || strings.HasSuffix(seq, "\x1b\\")) {
		t.Fatalf("not an OSC 52 sequence: %q", seq[:min(len(seq), 40)])
	}
	payload := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b]52;c;"), "\x07"), "\x1b\\")
	report, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# downforai report", "## Verdict: Your credential", "Matching problem: Invalid API key", "req_011CSHoEeqs5C35K2UUqR7F29", "## Local checks"} {
		if !bytes.Contains(report, []byte(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
	if bytes.Contains(report, []byte(keyInner)) {
		t.Error("the key is in the report")
	}
	if v := m.View(); !strings.Contains(strings.Join(strings.Fields(v), " "), "copied the report") {
		t.Errorf("no confirmation on screen:\n%s", v)
	}

	// Without an output, it says so instead of pretending.
	m = send(New(testOptions()), keyRunes("3"))
	_, cmd = update(t, m, keyRunes("c"))
	if msg := flatten(cmd)[0].(copiedMsg); msg.err == nil {
		t.Error("copy without an output reported success")
	}
}

// snapshotForTest replays a board's rings as a snapshot.
func (b *board) snapshotForTest() snapshotMsg {
	msg := snapshotMsg{recent: map[probe.Target][]probe.Result{}, status: b.status}
	for t, r := range b.rings {
		msg.recent[t] = append([]probe.Result(nil), r.items()...)
	}
	return msg
}

// TestNoKeyOnScreenAgainstFake drives the real probes, local check
// included, against the fake answering "invalid x-api-key", and looks for
// the key in every tab at two sizes and in the copied report.
func TestNoKeyOnScreenAgainstFake(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeInvalidKey)
	defer fake.Close()
	env := map[string]string{"ANTHROPIC_API_KEY": secretKey, "HOME": t.TempDir()}
	cfg := probe.Config{
		StatusURL: fake.URL, APIURL: fake.URL, ClaudeURL: fake.URL, APIKey: secretKey,
		ClaudeBin: filepath.Join(t.TempDir(), "none"), Timeout: 5 * time.Second,
		Env: func(k string) string { return env[k] },
	}
	eng := probe.NewEngine(append(probe.NewChecks(cfg), probe.NewLocalCheck(cfg)), nil)
	var clip bytes.Buffer
	opts := testOptions()
	opts.Now, opts.Clipboard = time.Now, &clip
	m := New(opts)
	for range 2 {
		for _, ev := range eng.RunOnce(t.Context()) {
			m = send(m, eventMsg(ev))
		}
	}
	m = send(m, keyRunes("3"))
	for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		m = send(m, tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		for tb := tab(0); tb < tabCount; tb++ {
			m.active = tb
			if v := m.View(); strings.Contains(v, keyInner) {
				t.Errorf("%v at %dx%d shows the key", tb, sz.w, sz.h)
			}
		}
	}
	m.active = tabTroubleshoot
	m = send(m, tea.WindowSizeMsg{Width: 160, Height: 48})
	flat := strings.Join(strings.Fields(m.View()), " ")
	for _, want := range []string{"Matching problem: Invalid API key", "401 authentication_error \"invalid x-api-key\" · request-id req_011CFake", "sk-ant-api03-…7AAA"} {
		if !strings.Contains(flat, want) {
			t.Errorf("lacks %q:\n%s", want, m.View())
		}
	}
	_, cmd := update(t, m, keyRunes("c"))
	flatten(cmd)
	if clip.Len() == 0 || strings.Contains(clip.String(), keyInner) {
		t.Errorf("copy: %d bytes, key present: %v", clip.Len(), strings.Contains(clip.String(), keyInner))
	}
	payload, _ := base64.StdEncoding.DecodeString(strings.TrimSuffix(strings.TrimPrefix(clip.String(), "\x1b]52;c;"), "\x07"))
	if strings.Contains(string(payload), keyInner) || !strings.Contains(string(payload), "Invalid API key") {
		t.Errorf("decoded report wrong or leaking:\n%s", payload)
	}
}

// TestTroubleshootScrollEnds: G stops at the last screenful, so one k
// moves up one line, and scrolling past the end moves nothing.
func TestTroubleshootScrollEnds(t *testing.T) {
	m := send(invalidKeyModel(t), tea.WindowSizeMsg{Width: 80, Height: 24}, keyRunes("3"))
	last := m.troubleshoot.maxOffset()
	if last == 0 {
		t.Fatal("the content fits: nothing to scroll")
	}
	m = send(m, keyRunes("G"))
	if got := m.troubleshoot.offset[pageMain]; got != last {
		t.Fatalf("G: offset %d, want %d", got, last)
	}
	end := m.View()
	m = send(m, keyRunes("k"))
	if got := m.troubleshoot.offset[pageMain]; got != last-1 {
		t.Errorf("G then k: offset %d, want %d", got, last-1)
	}
	for range 5 {
		m = send(m, keyRunes("j"), tea.KeyMsg{Type: tea.KeyPgDown})
	}
	if got := m.troubleshoot.offset[pageMain]; got != last {
		t.Errorf("scrolling past the end: offset %d, want %d", got, last)
	}
	if m.View() != end {
		t.Error("the end drawn after scrolling past it differs from G's")
	}
	m = send(m, keyRunes("k"))
	if got := m.troubleshoot.offset[pageMain]; got != last-1 {
		t.Errorf("k after scrolling past the end: offset %d, want %d", got, last-1)
	}
}

// TestTroubleshootCopyNoteGoes: the copy note answers one key; the next
// key or a few ticks of the clock take it away.
func TestTroubleshootCopyNoteGoes(t *testing.T) {
	copied := copiedMsg{bytes: 2048}
	m := send(invalidKeyModel(t), tea.WindowSizeMsg{Width: 80, Height: 24}, keyRunes("3"), copied)
	if m.troubleshoot.note == "" {
		t.Fatal("no note after a copy")
	}
	if m = send(m, keyRunes("j")); m.troubleshoot.note != "" {
		t.Errorf("note kept after the next key: %q", m.troubleshoot.note)
	}

	m = send(m, copied)
	for i := 1; i < noteTicks; i++ {
		m = send(m, tickMsg(testNow))
	}
	if m.troubleshoot.note == "" {
		t.Fatalf("note gone before %d ticks", noteTicks)
	}
	if m = send(m, tickMsg(testNow)); m.troubleshoot.note != "" {
		t.Errorf("note kept after %d ticks: %q", noteTicks, m.troubleshoot.note)
	}
}

// TestTroubleshootRetryAfterReadsLikeTheRest: a finding's Retry-After is
// written like every other length on screen ("1m 30s"), not in Go's
// "1m30s" or "500ms"; under a second it is "<1s", never "0s".
func TestTroubleshootRetryAfterReadsLikeTheRest(t *testing.T) {
	m := send(invalidKeyModel(t), tea.WindowSizeMsg{Width: 100, Height: 40})
	e := catalogue.Entries()[0]
	for _, tc := range []struct {
		ra   time.Duration
		want string
	}{
		{30 * time.Second, "retry after: 30s"},
		{90 * time.Second, "retry after: 1m 30s"},
		{500 * time.Millisecond, "retry after: <1s"},
	} {
		r := probe.Result{Target: probe.TargetAPIKey, Time: testNow, Class: probe.ClassRateLimited, HTTPStatus: 429,
			RateLimit: probe.RateLimit{RetryAfter: tc.ra}}
		got := ansi.Strip(strings.Join(m.troubleshoot.finding(diagnose.Finding{Entry: e, Result: &r}), "\n"))
		if !strings.Contains(got, tc.want) {
			t.Errorf("Retry-After %v: finding lacks %q:\n%s", tc.ra, tc.want, got)
		}
	}
}
