package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe/fakeupstream"
)

// TestCheckReadsTheSessionsOnAFreshDatabase: Claude Code's sessions got
// a 529 (retried, then shown) a minute ago while our probes pass. A first
// check on a fresh database read no transcript and said "All clear"
// (exit 0), while diagnose on the same machine said the sessions got 529:
// check now reads them as diagnose and the dashboard do, and agrees.
func TestCheckReadsTheSessionsOnAFreshDatabase(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	cc := t.TempDir()
	proj := filepath.Join(cc, "projects", "-home-dev-work")
	if err := os.MkdirAll(proj, 0o700); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Minute)
	lines := []string{codeRetry529(t, at, 1), codeRetry529(t, at.Add(2*time.Second), 2), codeRetry529(t, at.Add(5*time.Second), 3),
		codeRecord(t, map[string]any{"type": "assistant", "timestamp": at.Add(9 * time.Second).UTC().Format(time.RFC3339Nano), "isApiErrorMessage": true,
			"apiErrorStatus": 529, "error": "unknown",
			"message": map[string]any{"id": "msg_check_529", "model": "<synthetic>", "content": []any{map[string]any{"type": "text",
				"text": `API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CheckSess01"}`}}}})}
	if err := os.WriteFile(filepath.Join(proj, "s.jsonl"), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	getenv, dir := testEnv(t, map[string]string{"CLAUDE_CONFIG_DIR": cc})
	var out, errb bytes.Buffer
	code := run(append([]string{"check", "--json"}, diagnoseFlags(fake.URL, dir)...), getenv, strings.NewReader(""), &out, &errb)
	var chk struct {
		Verdict  string `json:"verdict"`
		Headline string `json:"headline"`
	}
	if err := json.Unmarshal(out.Bytes(), &chk); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out.String(), errb.String())
	}
	if code == 0 || chk.Verdict == "operational" || !strings.Contains(chk.Headline, "529") {
		t.Errorf("exit %d, verdict %q, headline %q: the sessions' 529 a minute ago is not in the verdict", code, chk.Verdict, chk.Headline)
	}
}
