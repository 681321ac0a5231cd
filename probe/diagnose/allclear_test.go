package diagnose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/fakeupstream"
	"downforai/probe/probetest"
)

// TestAllClearHasNoMatchingProblem: while every probe passes, a local
// check that found a problem (Claude Code's expired login, an API key
// overriding it) is a local finding that says what it means, never the
// "Matching problem" of the report (cold6 D19(2)).
func TestAllClearHasNoMatchingProblem(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".claude"), 0o700); err != nil {
		t.Fatal(err)
	}
	login := `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-x","expiresAt":1700000000000}}`
	if err := os.WriteFile(filepath.Join(home, ".claude", ".credentials.json"), []byte(login), 0o600); err != nil {
		t.Fatal(err)
	}
	ev := gatherRounds(t, scenarioChecks(t, fake.URL, map[string]string{"HOME": home, "ANTHROPIC_API_KEY": probetest.Key("c")}), 2)
	if v := ev.Verdict(); v.Kind != probe.VerdictOperational {
		t.Fatalf("verdict %s (%s), want operational", v.Kind, v.Headline)
	}
	fs := Findings(ev)
	if len(fs) == 0 {
		t.Fatal("no finding: the failing local checks are not shown")
	}
	for _, f := range fs {
		if f.IsCause() || f.Local == nil {
			t.Errorf("%s is a cause while every probe passes", f.Entry.ID)
		}
		if !strings.Contains(f.Aside, "every probe passes") || !strings.Contains(f.Aside, "not the cause") {
			t.Errorf("%s: aside %q does not say what it means", f.Entry.ID, f.Aside)
		}
	}
	rep := Report(ev)
	if strings.Contains(rep, "Matching problem") {
		t.Errorf("the report has a Matching problem under All clear:\n%s", rep)
	}
	if !strings.Contains(rep, "## Local finding: ") || !strings.Contains(rep, "our probes do not depend on it, Claude Code does") {
		t.Errorf("the report lacks the local finding:\n%s", rep)
	}
}
