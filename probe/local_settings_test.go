package probe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLocalBaseURLFromSettings: Claude Code reads ANTHROPIC_BASE_URL from
// its settings.json's env block too, so the API endpoint check and
// LocalReport.CodeURL say where it calls when the variable is set only
// there; set both ways to different URLs, where it calls is not known.
// When downforai's API probes go elsewhere (--api-url), the check says
// they do not speak for Claude Code's calls.
func TestLocalBaseURLFromSettings(t *testing.T) {
	const gw = "http://litellm.corp:4000"
	for _, tt := range []struct {
		name               string
		env                map[string]string
		settings           string // settings.json ("" none)
		apiURL, apiURLFrom string // where downforai's API probes go
		code               string // LocalReport.CodeURL
		says, never        string
	}{
		{"settings only", nil, `{"env": {"ANTHROPIC_BASE_URL": "` + gw + `", "ANTHROPIC_API_KEY": "sk-ant-api03-secret"}}`, gw, "--api-url", gw,
			"ANTHROPIC_BASE_URL sends Claude Code to litellm.corp:4000, not api.anthropic.com: errors there are the gateway's (set in ~/.claude/settings.json's env)", "secret"},
		{"settings only, probes at Anthropic", nil, `{"env": {"ANTHROPIC_BASE_URL": "` + gw + `"}}`, DefaultAPIURL, "", gw,
			"(set in ~/.claude/settings.json's env); downforai's API probes go to https://api.anthropic.com instead: they do not speak for Claude Code's calls", ""},
		{"both, the same", map[string]string{"ANTHROPIC_BASE_URL": gw + "/"}, `{"env": {"ANTHROPIC_BASE_URL": "` + gw + `"}}`, gw, "ANTHROPIC_BASE_URL", gw + "/",
			"sends Claude Code to litellm.corp:4000", "settings.json"},
		{"both, different", map[string]string{"ANTHROPIC_BASE_URL": gw}, `{"env": {"ANTHROPIC_BASE_URL": "https://other.corp"}}`, gw, "ANTHROPIC_BASE_URL", "",
			"; ~/.claude/settings.json's env sets it to https://other.corp: Claude Code uses one of the two", ""},
		{"a cloud provider in settings", nil, `{"env": {"CLAUDE_CODE_USE_BEDROCK": "1"}}`, DefaultAPIURL, "", "",
			"CLAUDE_CODE_USE_BEDROCK is set in ~/.claude/settings.json's env: Claude Code talks to a cloud provider", ""},
		{"unset, --api-url a gateway", nil, "", gw, "--api-url", DefaultAPIURL,
			"ANTHROPIC_BASE_URL unset: Claude Code talks to api.anthropic.com; downforai's API probes go to --api-url http://litellm.corp:4000 instead: they do not speak for Claude Code's calls", ""},
		{"unset, the default", nil, "", DefaultAPIURL, "", DefaultAPIURL, "ANTHROPIC_BASE_URL unset: Claude Code talks to api.anthropic.com", "downforai's API probes"},
		{"not JSON", nil, `{"env": `, DefaultAPIURL, "", DefaultAPIURL, "ANTHROPIC_BASE_URL unset", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"HOME": t.TempDir()}
			for k, v := range tt.env {
				env[k] = v
			}
			if tt.settings != "" {
				dir := filepath.Join(env["HOME"], ".claude")
				if err := os.MkdirAll(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "settings.json"), []byte(tt.settings), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			c := quietChecker(t, env)
			c.o.APIURL, c.o.APIURLFrom = tt.apiURL, tt.apiURLFrom
			chk, code := c.baseURL()
			if !strings.Contains(chk.Text, tt.says) || tt.never != "" && strings.Contains(chk.Text, tt.never) {
				t.Errorf("base_url %q\nwant it to say %q, never %q", chk.Text, tt.says, tt.never)
			}
			if code != tt.code {
				t.Errorf("CodeURL %q, want %q", code, tt.code)
			}
		})
	}
}
