package probe

import (
	"encoding/json"
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

// TestLocalCredentialsFromSettings: Claude Code reads its credential
// variables from its settings.json's env block too (a gateway's token set
// there is the common setup), so the checks say which one it uses and
// where, the environment first; the value never reaches the report whole,
// and from then on is masked by value wherever the environment's are.
func TestLocalCredentialsFromSettings(t *testing.T) {
	const token = "gw-token-1234567890abcdefSECRET" // no pattern knows it
	key := "sk-ant-api03-" + strings.Repeat("k", 91) + "Xy7A"
	for _, tt := range []struct {
		name     string
		env      map[string]string
		settings string
		source   string // Credentials[0].Source ("" none)
		where    string // Credentials[0].Where
		says     string // the credential check's text
	}{
		{"token in settings", nil, `{"env": {"ANTHROPIC_BASE_URL": "http://127.0.0.1:4000", "ANTHROPIC_AUTH_TOKEN": "` + token + `"}}`,
			"ANTHROPIC_AUTH_TOKEN", "~/.claude/settings.json",
			"Claude Code uses ANTHROPIC_AUTH_TOKEN in ~/.claude/settings.json's env: not an Anthropic key …CRET (Authorization: Bearer); downforai probes the API with it"},
		{"key in settings", nil, `{"env": {"ANTHROPIC_API_KEY": "` + key + `"}}`,
			"ANTHROPIC_API_KEY", "~/.claude/settings.json", "Claude Code uses ANTHROPIC_API_KEY in ~/.claude/settings.json's env: API key sk-ant-api03-…Xy7A (x-api-key)"},
		{"the environment first", map[string]string{"ANTHROPIC_AUTH_TOKEN": key}, `{"env": {"ANTHROPIC_AUTH_TOKEN": "` + token + `"}}`,
			"ANTHROPIC_AUTH_TOKEN", "", "Claude Code uses ANTHROPIC_AUTH_TOKEN: API key sk-ant-api03-…Xy7A"},
		{"token in settings beats the key in the environment", map[string]string{"ANTHROPIC_API_KEY": key}, `{"env": {"ANTHROPIC_AUTH_TOKEN": "` + token + `"}}`,
			"ANTHROPIC_AUTH_TOKEN", "~/.claude/settings.json", "also set, not used by Claude Code: ANTHROPIC_API_KEY"},
		{"none anywhere", nil, `{"env": {"ANTHROPIC_BASE_URL": "http://127.0.0.1:4000"}}`, "", "",
			"none: no ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN in the environment or Claude Code's settings.json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"HOME": t.TempDir()}
			for k, v := range tt.env {
				env[k] = v
			}
			dir := filepath.Join(env["HOME"], ".claude")
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "settings.json"), []byte(tt.settings), 0o600); err != nil {
				t.Fatal(err)
			}
			rep := quietChecker(t, env).Run(t.Context())
			var got CredentialInfo
			if len(rep.Credentials) > 0 {
				got = rep.Credentials[0]
			}
			if got.Source != tt.source || got.Where != tt.where {
				t.Errorf("credential %q in %q, want %q in %q", got.Source, got.Where, tt.source, tt.where)
			}
			chk, _ := rep.Check(CheckCredential)
			if !strings.Contains(chk.Text, tt.says) {
				t.Errorf("credential check %q\nwant it to say %q", chk.Text, tt.says)
			}
			blob, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(blob), token) || strings.Contains(string(blob), key) {
				t.Errorf("the report holds a credential whole:\n%s", blob)
			}
		})
	}
	// Read from the file, the token is masked by value like the
	// environment's: a gateway echoing it in an error never shows it.
	if s := RedactEnv(`{"error": "token ` + token + ` is not valid"}`); strings.Contains(s, token) {
		t.Errorf("a token read from settings.json is not masked: %s", s)
	}
}

// TestKeyFormatOfAGatewayToken: a token that is no Anthropic key (a
// gateway's) has a format only its issuer knows: the check says it is not
// checked, never "well-formed" (cold walk).
func TestKeyFormatOfAGatewayToken(t *testing.T) {
	rep := quietChecker(t, map[string]string{"ANTHROPIC_AUTH_TOKEN": "gw-token-abcdef0123456789", "ANTHROPIC_BASE_URL": "http://127.0.0.1:4000"}).Run(t.Context())
	chk, _ := rep.Check(CheckKeyFormat)
	if strings.Contains(chk.Text, "well-formed") || !strings.Contains(chk.Text, "not an Anthropic key, so its format is not checked here") || chk.Level != LocalInfo {
		t.Errorf("key format %v %q", chk.Level, chk.Text)
	}
}
