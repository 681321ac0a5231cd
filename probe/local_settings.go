package probe

import (
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// maxSettingsFile bounds the read of Claude Code's settings.json.
const maxSettingsFile = 1 << 20

// settingsEnv is what the env block of Claude Code's user settings
// (settings.json under $CLAUDE_CONFIG_DIR, else ~/.claude) gives the names
// asked, and the file as shown; a missing or unreadable file gives none.
// Only the names asked are kept: the block may hold a key.
func (c *LocalChecker) settingsEnv(names ...string) (map[string]string, string) {
	return CodeSettingsEnv(c.o.Getenv, c.configDir(), names...)
}

// CodeSettingsEnv is settingsEnv for a caller without a LocalChecker
// (config reads ANTHROPIC_BASE_URL there, as Claude Code does): dir is
// Claude Code's config directory ($CLAUDE_CONFIG_DIR, else ~/.claude).
func CodeSettingsEnv(getenv func(string) string, dir string, names ...string) (map[string]string, string) {
	path := filepath.Join(dir, "settings.json")
	shown := "~/.claude/settings.json"
	if getenv("CLAUDE_CONFIG_DIR") != "" {
		shown = Line(path, 120)
	}
	out := map[string]string{}
	f, err := os.Open(path)
	if err != nil {
		return out, shown
	}
	buf, err := io.ReadAll(io.LimitReader(f, maxSettingsFile))
	f.Close()
	defer clear(buf)
	var doc struct {
		Env map[string]json.RawMessage `json:"env"`
	}
	if err != nil || json.Unmarshal(buf, &doc) != nil {
		return out, shown
	}
	for _, n := range names {
		var s string
		if raw, ok := doc.Env[n]; ok && json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
			out[n] = strings.TrimSpace(s)
		}
	}
	return out, shown
}

// SameBaseURL reports whether two API base URLs name the same place, as
// given (masked or not, with or without a trailing "/").
func SameBaseURL(a, b string) bool {
	norm := func(s string) string { return strings.TrimRight(MaskURL(strings.TrimSpace(s)), "/") }
	return strings.EqualFold(norm(a), norm(b))
}

// SettingsBaseURL is the ANTHROPIC_BASE_URL that Claude Code's user
// settings.json sets in its env block, and the file as shown
// ("~/.claude/settings.json"), when it is an http(s) URL and no cloud
// provider (CLAUDE_CODE_USE_BEDROCK …) takes Claude Code elsewhere: where
// Claude Code calls when the variable is not in the environment, so where
// downforai's API probes go by default too (issue 19). dir is Claude
// Code's config directory; false when the file sets none.
func SettingsBaseURL(getenv func(string) string, dir string) (raw, shown string, ok bool) {
	file, shown := CodeSettingsEnv(getenv, dir, append([]string{"ANTHROPIC_BASE_URL"}, cloudProviders...)...)
	if p, _ := cloudProvider(getenv, file); p != "" {
		return "", shown, false
	}
	raw = file["ANTHROPIC_BASE_URL"]
	if _, ok := httpURL(raw); !ok {
		return "", shown, false
	}
	return raw, shown, true
}

// cloudProvider is the first of cloudProviders set to anything but off
// ("0", "false") — in the environment, else in file (the env block of
// Claude Code's settings) — and whether file set it; "" when none is.
// Claude Code then talks to that provider, not to a base URL.
func cloudProvider(getenv func(string) string, file map[string]string) (name string, inFile bool) {
	for _, p := range cloudProviders {
		v, in := getenv(p), false
		if v == "" {
			v, in = file[p], true
		}
		if v != "" && v != "0" && !strings.EqualFold(v, "false") {
			return p, in
		}
	}
	return "", false
}

// httpURL is raw parsed, when it is an http(s) URL with a host: what
// Claude Code and the SDKs take as a base URL.
func httpURL(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, false
	}
	return u, true
}

// CodeCredentials looks up the credential variables names as Claude Code
// gets them: from the environment, else from the env block of its
// settings.json (dir is its config directory, the file read once), with
// where each was found there ("~/.claude/settings.json"; "" from the
// environment). A value from the file is masked by value from then on
// (AddSecret). "" when set nowhere; the lookup answers for names only.
func CodeCredentials(getenv func(string) string, dir string, names ...string) func(name string) (raw, where string) {
	file, shown := CodeSettingsEnv(getenv, dir, names...)
	return func(name string) (string, string) {
		if raw := getenv(name); raw != "" {
			return raw, ""
		}
		raw := file[name]
		if raw == "" {
			return "", ""
		}
		AddSecret(raw)
		return raw, shown
	}
}
