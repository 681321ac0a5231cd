package cli

import (
	"bytes"
	"downforai/probe/check"
	"encoding/json"
	"strings"
	"testing"
)

// TestCheckInternalErrorIsCouldNotCheck: a panic inside the round is exit 3,
// "could not check", and the JSON says why — not Go's exit 2 for a panic,
// which a script would read as an Anthropic outage.
func TestCheckInternalErrorIsCouldNotCheck(t *testing.T) {
	for _, asJSON := range []bool{true, false} {
		var out, errb bytes.Buffer
		r := Env{Stdout: &out, Stderr: &errb}
		code := writeCheck(r, asJSON, func() check.Report { panic("boom in the round") })
		if code != check.ExitUnknown {
			t.Errorf("json=%v: exit %d, want %d", asJSON, code, check.ExitUnknown)
		}
		if !asJSON {
			if !strings.Contains(out.String(), "could not check: internal error: boom in the round") {
				t.Errorf("table %q does not say why", out.String())
			}
			continue
		}
		var rep struct {
			Verdict  string `json:"verdict"`
			Error    string `json:"error"`
			ExitCode int    `json:"exit_code"`
		}
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("stdout %q: %v", out.String(), err)
		}
		if rep.ExitCode != check.ExitUnknown || rep.Verdict != "unknown" || !strings.Contains(rep.Error, "boom in the round") {
			t.Errorf("json %+v", rep)
		}
	}
}
