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
