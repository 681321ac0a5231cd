package judge

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/probetest"
)

func TestVerdictClaudeCodeLoginExpired(t *testing.T) {
	dir := t.TempDir()
	probetest.WriteCreds(t, dir, `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-xxxxxxxxxxxxxxxx","expiresAt":`+
		fmt.Sprint(probetest.LocalNow.Add(-3*time.Hour).UnixMilli())+`}}`)
	rep := probetest.QuietChecker(t, map[string]string{"CLAUDE_CONFIG_DIR": dir}).Run(t.Context())
	v := Judge(Input{Status: officialSnap(nil), Recent: healthy(), Now: judgeNow, Local: rep})
	if v.Kind != probe.VerdictLocalCredential || v.Headline != "Your credential: Claude Code's login expired 3 h ago — run `claude` then /login." {
		t.Errorf("verdict %v %q", v.Kind, v.Headline)
	}
	for _, sv := range v.Services {
		if sv.Service.Key == "claude_code" && sv.Kind != probe.VerdictLocalCredential {
			t.Errorf("Claude Code service %v", sv.Kind)
		}
	}
	// With an API key in effect, Claude Code does not use the login.
	rep = probetest.QuietChecker(t, map[string]string{"CLAUDE_CONFIG_DIR": dir, "ANTHROPIC_API_KEY": probetest.Key("z")}).Run(t.Context())
	if v := Judge(Input{Status: officialSnap(nil), Recent: healthy(), Now: judgeNow, Local: rep}); v.Kind != probe.VerdictOperational {
		t.Errorf("with a key in effect: %v %q", v.Kind, v.Headline)
	}
}

// TestVerdictKeyFormatBeforeAnyProbe: a key's format is a note, not an
// observation; before the key probe answers the verdict is still checking.
func TestVerdictKeyFormatBeforeAnyProbe(t *testing.T) {
	rep := probetest.QuietChecker(t, map[string]string{"ANTHROPIC_API_KEY": "sk-ant-oat01-" + strings.Repeat("o", 95)}).Run(t.Context())
	v := Judge(Input{Now: judgeNow, Local: rep})
	if v.Kind != probe.VerdictUnknown || !strings.HasPrefix(v.Headline, "Checking…") {
		t.Errorf("verdict %v %q", v.Kind, v.Headline)
	}
}

// TestCodeLoginProblemSaysTheOutageBeside (cold F16): Claude Code's own
// login refused or expired is the verdict, and an incident Anthropic has
// open at the same moment is said beside it, as for the key probe.
func TestCodeLoginProblemSaysTheOutageBeside(t *testing.T) {
	in := input(row{"operational", "ok", "ok", "none", "ok", 0, "", nil})
	st := *in.Status
	st.Incidents = []probe.Incident{{ID: "inc1", Name: "Elevated errors on claude.ai", Status: "investigating", Impact: "minor",
		StartedAt: now.Add(-5 * time.Minute), Components: []string{"rwppv331jlwc"}}}
	in.Status = &st
	in.Local.Checks = append(in.Local.Checks, probe.LocalCheck{ID: probe.CheckCodeLogin, Name: "Claude Code login", Level: probe.LocalFail,
		Text: "Claude Code's login expired 3 h ago — run `claude` then /login"})
	v := Judge(in)
	want := "Your credential: Claude Code's login expired 3 h ago — run `claude` then /login. Also, Anthropic reports Claude (claude.ai) in an open incident (incident: Elevated errors on claude.ai, investigating)."
	if v.Kind != probe.VerdictLocalCredential || v.Headline != want {
		t.Errorf("verdict %s %q\nwant %q", v.Kind.Key(), v.Headline, want)
	}
	if !strings.Contains(strings.Join(v.Facts, "\n"), "also, Anthropic reports Claude (claude.ai) in an open incident") {
		t.Errorf("facts do not say the incident: %q", v.Facts)
	}
}
