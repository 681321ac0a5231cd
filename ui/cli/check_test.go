package cli

import (
	"bytes"
	"downforai/probe/check"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
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

// TestCheckJSONSaysWhyOnBadFlags: `check --json | jq .verdict` gets JSON
// with exit_code 3 and the error for a bad flag or setting, not an empty
// stdout (cold5 D26); without --json stdout stays empty.
func TestCheckJSONSaysWhyOnBadFlags(t *testing.T) {
	getenv := func(k string) string {
		if k == "HOME" || k == "XDG_CONFIG_HOME" || k == "XDG_DATA_HOME" || k == "XDG_STATE_HOME" {
			return t.TempDir()
		}
		return ""
	}
	for _, c := range []struct {
		args []string
		why  string
	}{
		{[]string{"check", "--json", "--timeout", "0s"}, "--timeout 0s must be positive"},
		{[]string{"check", "--json", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"check", "--bogus", "--json"}, "unknown flag: --bogus"},
		{[]string{"check", "--json", "extra"}, "unexpected argument"},
	} {
		var out, errb bytes.Buffer
		code := Run(c.args, Env{Getenv: getenv, Stdout: &out, Stderr: &errb}, Doors{})
		var rep struct {
			Verdict  string `json:"verdict"`
			Error    string `json:"error"`
			ExitCode int    `json:"exit_code"`
		}
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Errorf("%v: stdout %q is no JSON: %v", c.args, out.String(), err)
			continue
		}
		if code != check.ExitUnknown || rep.ExitCode != code || rep.Verdict != "unknown" || !strings.Contains(rep.Error, c.why) {
			t.Errorf("%v: exit %d, json %+v; want %d and %q", c.args, code, rep, check.ExitUnknown, c.why)
		}
	}
	var out, errb bytes.Buffer
	if code := Run([]string{"check", "--bogus"}, Env{Getenv: getenv, Stdout: &out, Stderr: &errb}, Doors{}); code != check.ExitUnknown || out.Len() != 0 {
		t.Errorf("without --json: exit %d, stdout %q", code, out.String())
	}
}

// writeCounter counts the writes that reach it.
type writeCounter struct {
	bytes.Buffer
	writes int
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

// TestCheckWritesItsReportOnce: the table (and the JSON) reach stdout in
// one write — the table's writer wrote cell by cell, 70 system calls for
// a five-row table, each a trip to the kernel on the check's path.
func TestCheckWritesItsReportOnce(t *testing.T) {
	rep := check.Failed(time.Now(), "no probe could say anything")
	for _, asJSON := range []bool{false, true} {
		var out writeCounter
		code := writeCheck(Env{Stdout: &out, Stderr: &bytes.Buffer{}}, asJSON, func() check.Report { return rep })
		if code != check.ExitUnknown {
			t.Errorf("json=%v: exit %d, want %d", asJSON, code, check.ExitUnknown)
		}
		if out.writes != 1 || out.Len() == 0 {
			t.Errorf("json=%v: %d writes of %d bytes, want the report in one", asJSON, out.writes, out.Len())
		}
	}
}

// failingWriter refuses every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("stdout closed") }

// TestCheckSaysAFailedWrite: a stdout that refuses the report is exit 3
// and said on stderr, as before the report was buffered.
func TestCheckSaysAFailedWrite(t *testing.T) {
	var errb bytes.Buffer
	code := writeCheck(Env{Stdout: failingWriter{}, Stderr: &errb}, false, func() check.Report {
		return check.Failed(time.Now(), "x")
	})
	if code != check.ExitUnknown || !strings.Contains(errb.String(), "stdout closed") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}
