package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe/fakeupstream"
)

// ---- Claude Code as a live signal, end to end: a fake ~/.claude whose
// transcript gains records while the real program runs against the fake
// upstream; the Live line, the verdict and Troubleshooting must say what
// the sessions met, against what our probes see.

// codeRecord is one transcript line as Claude Code writes it
// (reference/anthropic-formats.md §3.6).
func codeRecord(t *testing.T, rec map[string]any) string {
	t.Helper()
	rec["sessionId"], rec["version"], rec["cwd"] = "e2e-session", "2.1.44", "/home/dev/secret-project"
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func codeAnswer(t *testing.T, at time.Time, i int) string {
	return codeRecord(t, map[string]any{"type": "assistant", "timestamp": at.UTC().Format(time.RFC3339Nano), "requestId": fmt.Sprintf("req_e2e%03d", i),
		"message": map[string]any{"id": fmt.Sprintf("msg_e2e%03d", i), "model": "claude-opus-4-6", "content": []any{map[string]any{"type": "text", "text": "the prompt's answer"}},
			"usage": map[string]any{"input_tokens": 40, "output_tokens": 900, "cache_creation_input_tokens": 12000, "cache_read_input_tokens": 150000}}})
}

func codeRetry529(t *testing.T, at time.Time, attempt int) string {
	return codeRecord(t, map[string]any{"type": "system", "subtype": "api_error", "level": "error", "timestamp": at.UTC().Format(time.RFC3339Nano),
		"retryAttempt": attempt, "maxRetries": 10, "retryInMs": 500,
		"error": map[string]any{"status": 529, "requestID": fmt.Sprintf("req_011CE2eRetry%02d", attempt),
			"error": map[string]any{"type": "error", "error": map[string]any{"type": "overloaded_error", "message": "Overloaded"}}}})
}

func codeLimit(t *testing.T, at time.Time) string {
	return codeRecord(t, map[string]any{"type": "assistant", "timestamp": at.UTC().Format(time.RFC3339Nano), "isApiErrorMessage": true,
		"apiErrorStatus": 429, "error": "rate_limit",
		"message": map[string]any{"id": "msg_e2e_limit", "model": "<synthetic>", "content": []any{map[string]any{"type": "text", "text": "You've hit your session limit · resets 12:50am (UTC)"}}}})
}

// TestClaudeCodeSessionsEndToEnd: a fake ~/.claude (CLAUDE_CONFIG_DIR)
// whose transcript gains 529 retry records while the fake API answers
// 529 — the Live line, the verdict and Troubleshooting say Anthropic is
// overloaded; with the API fine and the transcript showing a usage-limit
// error, they say it is your plan's limit.
func TestClaudeCodeSessionsEndToEnd(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("runs the dashboard twice for tens of seconds; .ci/run runs it without the race detector")
	}
	type tc struct {
		name    string
		api     fakeupstream.APIState
		gain    func(t *testing.T, now time.Time) []string
		live    []string // the Live tab says these once the records are read
		trouble []string // Troubleshooting says these
		never   []string // no tab says these
	}
	cases := []tc{
		{
			name: "529 retries while our API probe sees 529",
			api:  "529",
			gain: func(t *testing.T, now time.Time) []string {
				return []string{codeRetry529(t, now.Add(-3*time.Second), 1), codeRetry529(t, now.Add(-2*time.Second), 2), codeRetry529(t, now.Add(-time.Second), 3)}
			},
			live: []string{"Not yet acknowledged by Anthropic", "Claude API, Claude Code failing from here (529 overloaded)",
				// Three attempts of one request, still retrying: one call
				// failing, its newest attempt standing for it (cold6 E6).
				"└ your sessions", "1 API error in the last 15 min: 529 overloaded ×1", "req_011CE2eRetry03"},
			trouble: []string{"your Claude Code sessions: 1 error in the last 15 min (529 overloaded ×1)",
				"our API probe also sees 529 overloaded", "Anthropic overloaded, not yet acknowledged"},
			// The sessions' incident waits for three calls' outcomes.
			never: []string{"plan's limit", "Your network:", "secret-project", "the prompt's answer", "3 API errors", "Claude Code, your sessions: overloaded"},
		},
		{
			name: "a usage limit while the API answers",
			api:  "ok",
			gain: func(t *testing.T, now time.Time) []string { return []string{codeLimit(t, now.Add(-time.Second))} },
			live: []string{"Your quota or billing", "Your plan's limit: your Claude Code sessions hit the usage limit",
				"while the API answers, not an outage", "1 API error in the last 15 min: 429 ×1"},
			trouble: []string{"your plan's limit, not an outage"},
			never:   []string{"Anthropic problem", "Anthropic outage", "secret-project", "the prompt's answer"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := fakeupstream.NewSplit(fakeupstream.ModeOperational)
			defer srv.Close()
			srv.SetScenario(fakeupstream.Scenario{Status: "operational", API: c.api, Claude: "ok"})

			conf := filepath.Join(t.TempDir(), "claude")
			proj := filepath.Join(conf, "projects", "-home-dev-secret-project")
			if err := os.MkdirAll(proj, 0o700); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(proj, "e2e-session.jsonl")
			now := time.Now()
			var lines []string
			for i := 0; i < 12; i++ {
				lines = append(lines, codeAnswer(t, now.Add(-time.Duration(50-i*4)*time.Minute), i))
			}
			if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}

			// ANTHROPIC_BASE_URL, not --api-url: Claude Code's calls go
			// where our API probe does, so the one compares with the other.
			d := startVT(t, []string{"--status-url", srv.StatusURL, "--claude-url", srv.ClaudeURL},
				[]string{"CLAUDE_CONFIG_DIR=" + conf, "ANTHROPIC_BASE_URL=" + srv.APIURL}, 160, 50)
			// The history is read first: the window, no errors yet.
			d.waitFor(t, "└ your sessions", "no errors in the last hour, 12 requests", "└ usage window", "tokens so far")

			f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteString(strings.Join(c.gain(t, time.Now()), "\n") + "\n"); err != nil {
				t.Fatal(err)
			}
			f.Close()

			live := d.waitFor(t, c.live...)
			d.tty.WriteString("3")
			d.waitFor(t, "Claude Code: your sessions and usage window")
			trouble := d.pages(t)
			for _, w := range c.trouble {
				if !strings.Contains(trouble, w) {
					t.Errorf("Troubleshooting does not say %q:\n%s", w, cut(trouble))
				}
			}
			for _, n := range c.never {
				if strings.Contains(live, n) || strings.Contains(trouble, n) {
					t.Errorf("says %q:\nLive %s\nTroubleshooting %s", n, live, cut(trouble))
				}
			}
		})
	}
}

// cut keeps a failure's message readable: the pages repeat what is above.
func cut(s string) string {
	if len(s) > 6000 {
		return s[:6000] + " …"
	}
	return s
}
