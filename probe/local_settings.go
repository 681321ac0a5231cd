package probe

import (
	"encoding/json"
	"io"
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
	path := filepath.Join(c.configDir(), "settings.json")
	shown := "~/.claude/settings.json"
	if c.o.Getenv("CLAUDE_CONFIG_DIR") != "" {
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
