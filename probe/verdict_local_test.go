package probe

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestVerdictClaudeCodeLoginExpired(t *testing.T) {
	dir := t.TempDir()
	writeCreds(t, dir, `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-xxxxxxxxxxxxxxxx","expiresAt":`+
		fmt.Sprint(localNow.Add(-3*time.Hour).UnixMilli())+`}}`)
	rep := quietChecker(t, map[string]string{"CLAUDE_CONFIG_DIR": dir}).Run(t.Context())
	v := Judge(JudgeInput{Status: official(nil), Recent: healthy(), Now: judgeNow, Local: rep})
	if v.Kind != VerdictLocalCredential || v.Headline != "Your credential: Claude Code's login expired 3 h ago — run `claude` then /login." {
		t.Errorf("verdict %v %q", v.Kind, v.Headline)
	}
	for _, sv := range v.Services {
		if sv.Service.Key == "claude_code" && sv.Kind != VerdictLocalCredential {
			t.Errorf("Claude Code service %v", sv.Kind)
		}
	}
	// With an API key in effect, Claude Code does not use the login.
	rep = quietChecker(t, map[string]string{"CLAUDE_CONFIG_DIR": dir, "ANTHROPIC_API_KEY": testKey("z")}).Run(t.Context())
	if v := Judge(JudgeInput{Status: official(nil), Recent: healthy(), Now: judgeNow, Local: rep}); v.Kind != VerdictOperational {
		t.Errorf("with a key in effect: %v %q", v.Kind, v.Headline)
	}
}

func TestVerdictBadKeyFormatBeforeAnyProbe(t *testing.T) {
	rep := quietChecker(t, map[string]string{"ANTHROPIC_API_KEY": "sk-ant-oat01-" + strings.Repeat("o", 95)}).Run(t.Context())
	v := Judge(JudgeInput{Now: judgeNow, Local: rep})
	if v.Kind != VerdictLocalCredential || !strings.Contains(v.Headline, "holds an OAuth token") {
		t.Errorf("verdict %v %q", v.Kind, v.Headline)
	}
}
