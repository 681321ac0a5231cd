package probe

import (
	"strings"
	"testing"
	"time"
)

// The key's unusual length is a warning until the API has judged a
// request with it; an answer that is no auth rejection makes it a note
// (cold7 E5, issue 19: live results beat heuristics).
func TestKeyFormatYieldsToTheKeyProbesAnswer(t *testing.T) {
	good := "sk-ant-api03-" + strings.Repeat("g", 93) + "AA"
	short := good[:57]
	long := good + "xyz"
	tests := []struct {
		name  string
		env   map[string]string
		key   []Result // the key probe's results, oldest first
		level LocalLevel
		want  string
		not   string
	}{
		{"no answer yet", map[string]string{"ANTHROPIC_API_KEY": short}, nil, LocalWarn, "only the API's answer can tell", "unlike the usual"},
		{"200", map[string]string{"ANTHROPIC_API_KEY": short}, []Result{{Class: ClassOK, HTTPStatus: 200}}, LocalInfo,
			"ANTHROPIC_API_KEY is 57 characters, unlike the usual 108; the API accepted it at 14:02:00 UTC", "truncated?"},
		{"slow 200", map[string]string{"ANTHROPIC_API_KEY": short}, []Result{{Class: ClassSlow, HTTPStatus: 200}}, LocalInfo, "the API accepted it", "truncated?"},
		{"429", map[string]string{"ANTHROPIC_API_KEY": short}, []Result{{Class: ClassRateLimited, HTTPStatus: 429}}, LocalInfo,
			"unlike the usual 108; the API answered it 429 at 14:02:00 UTC, not an auth rejection", "truncated?"},
		{"529", map[string]string{"ANTHROPIC_API_KEY": short}, []Result{{Class: ClassOverloaded, HTTPStatus: 529}}, LocalInfo, "answered it 529", "truncated?"},
		{"credit", map[string]string{"ANTHROPIC_API_KEY": short}, []Result{{Class: ClassBilling, HTTPStatus: 400}}, LocalInfo, "answered it 400", "truncated?"},
		{"401", map[string]string{"ANTHROPIC_API_KEY": short}, []Result{{Class: ClassAuth, HTTPStatus: 401}}, LocalWarn, "only the API's answer can tell", "unlike the usual"},
		{"accepted then 401", map[string]string{"ANTHROPIC_API_KEY": short}, []Result{{Class: ClassOK, HTTPStatus: 200}, {Class: ClassAuth, HTTPStatus: 401}}, LocalWarn, "truncated?", "accepted"},
		{"401 then accepted", map[string]string{"ANTHROPIC_API_KEY": short}, []Result{{Class: ClassAuth, HTTPStatus: 401}, {Class: ClassOK, HTTPStatus: 200}, {Class: ClassUnknown}}, LocalInfo, "accepted", "truncated?"},
		{"no HTTP answer", map[string]string{"ANTHROPIC_API_KEY": short}, []Result{{Class: ClassNetwork}}, LocalWarn, "only the API's answer can tell", "unlike the usual"},
		{"a 502 page", map[string]string{"ANTHROPIC_API_KEY": short}, []Result{{Class: ClassServer, HTTPStatus: 502}}, LocalWarn, "truncated?", "unlike the usual"},
		// A failure to reach the API since the key was accepted says
		// nothing of the key: the acceptance stands.
		{"accepted, then reset", map[string]string{"ANTHROPIC_API_KEY": long}, []Result{{Class: ClassOK, HTTPStatus: 200}, {Class: ClassNetwork}}, LocalInfo, "the API accepted it", "pasted after"},
		{"accepted, then a 502 page", map[string]string{"ANTHROPIC_API_KEY": short}, []Result{{Class: ClassOK, HTTPStatus: 200}, {Class: ClassServer, HTTPStatus: 502}, {Class: ClassUnknown}}, LocalInfo, "the API accepted it", "truncated?"},
		{"too long, accepted", map[string]string{"ANTHROPIC_API_KEY": long}, []Result{{Class: ClassOK, HTTPStatus: 200}}, LocalInfo, "111 characters, unlike the usual 108; the API accepted it", "pasted after"},
		// Another problem of the check is not the API's to settle: it stays.
		{"other problem stays", map[string]string{"ANTHROPIC_API_KEY": short, "CLAUDE_CODE_OAUTH_TOKEN": good}, []Result{{Class: ClassOK, HTTPStatus: 200}}, LocalWarn,
			"CLAUDE_CODE_OAUTH_TOKEN holds a API key, not an OAuth token from `claude setup-token`; ANTHROPIC_API_KEY is 57 characters, unlike the usual 108; the API accepted it", "truncated?"},
		// The key probe sends ANTHROPIC_AUTH_TOKEN when both are set: its
		// answer says nothing of ANTHROPIC_API_KEY.
		{"not the probed key", map[string]string{"ANTHROPIC_API_KEY": short, "ANTHROPIC_AUTH_TOKEN": good}, []Result{{Class: ClassOK, HTTPStatus: 200}}, LocalWarn, "truncated?", "unlike the usual"},
	}
	at := time.Date(2026, 12, 3, 14, 2, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := quietChecker(t, tt.env).Run(t.Context())
			rep.Time = at.Add(-time.Minute)
			for i := range tt.key {
				tt.key[i].Target, tt.key[i].Time = TargetAPIKey, at
			}
			checks := append([]LocalCheck(nil), rep.Checks...)
			KeyFormatLive(checks, rep, tt.key)
			var c LocalCheck
			for _, x := range checks {
				if x.ID == CheckKeyFormat {
					c = x
				}
			}
			if c.Level != tt.level || !strings.Contains(c.Text, tt.want) || strings.Contains(c.Text, tt.not) {
				t.Errorf("key_format = %v %q, want %v containing %q, not %q", c.Level, c.Text, tt.level, tt.want, tt.not)
			}
			if c.Level == LocalInfo && (c.Class != ClassUnknown || c.Cause != "") {
				t.Errorf("a note points at a fix: class %v cause %q", c.Class, c.Cause)
			}
			if orig, _ := rep.Check(CheckKeyFormat); orig.Level < LocalWarn {
				t.Errorf("the report itself changed: %v %q", orig.Level, orig.Text)
			}
		})
	}
}
