package probe

import (
	"strings"
	"testing"
)

// testKey is a well-formed API key (sk-ant-api03- + 93 + "AA") whose body
// repeats fill, so a test can look for any stretch of it.
func testKey(fill string) string {
	return "sk-ant-api03-" + strings.Repeat(fill, 89) + "Xy7A" + "AA"
}

func TestMask(t *testing.T) {
	key := "sk-ant-api03-" + strings.Repeat("a", 91) + "Xy7A"
	tests := []struct{ in, want string }{
		{key, "sk-ant-api03-…Xy7A"},
		{"  " + key + "\n", "sk-ant-api03-…Xy7A"},
		{`"` + key + `"`, "sk-ant-api03-…Xy7A"},
		{"sk-ant-oat01-" + strings.Repeat("b", 100) + "Zz09", "sk-ant-oat01-…Zz09"},
		{"sk-ant-admin01-" + strings.Repeat("c", 40) + "1234", "sk-ant-admin01-…1234"},
		{"sk-ant-api03-short", "sk-ant-api03-…"},
		{"sk-ant-", "sk-ant-…"},
		{"abcdefghijklmnopqrstuvwxyz", "…wxyz"},
		{"short", "…"},
		{"", ""},
		// Boundaries: a kind of up to 10 characters is public, an empty
		// one too; 16 characters after it are the fewest that show a tail.
		{"sk-ant-abcdefghij-" + strings.Repeat("d", 16), "sk-ant-abcdefghij-…dddd"},
		{"sk-ant-abcdefghijk-" + strings.Repeat("d", 16), "sk-ant-…dddd"},
		{"sk-ant--" + strings.Repeat("e", 16), "sk-ant--…eeee"},
		{"sk-ant-api03-" + strings.Repeat("f", 15), "sk-ant-api03-…"},
		{strings.Repeat("g", 15) + "h", "…gggh"},
		{strings.Repeat("g", 15), "…"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	key := testKey("k")
	tests := []struct{ in, gone, keep string }{
		{"key " + key + " rejected", key[15:50], "sk-ant-api03-…7AAA"},
		{"x-api-key: gw-" + strings.Repeat("9", 30), strings.Repeat("9", 30), "x-api-key: …9999"},
		{"Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123", "abcdefghijklmnop", "Authorization: Bearer …0123"},
		{"ANTHROPIC_API_KEY=" + key, key[15:50], "ANTHROPIC_API_KEY=sk-ant-api03-…7AAA"},
		{`{"accessToken":"tok-` + strings.Repeat("t", 40) + `"}`, strings.Repeat("t", 30), `"accessToken":"…tttt"`},
		{"HTTPS_PROXY=http://bob:hunter2secret@proxy:3128", "hunter2secret", "http://bob:…@proxy:3128"},
		{"nothing secret: invalid x-api-key", "", "nothing secret: invalid x-api-key"},
		// (?i) matches the Kelvin sign as k and the long s as s: so must
		// the words that decide whether an expression runs at all.
		{"X-API-KEY: gw-" + strings.Repeat("8", 30), strings.Repeat("8", 30), "…8888"},
		{`{"acceſſToken":"tok-` + strings.Repeat("t", 40) + `"}`, strings.Repeat("t", 30), "…tttt"},
		{"ANTHROPIC_AUTH_TOKEN=" + strings.Repeat("z", 20), strings.Repeat("z", 20), "ANTHROPIC_AUTH_TOKEN=…zzzz"},
		{"CLAUDE_CODE_OAUTH_TOKEN='" + strings.Repeat("y", 20) + "'", strings.Repeat("y", 20), "CLAUDE_CODE_OAUTH_TOKEN='…yyyy"},
		{"Proxy-Authorization: Basic " + strings.Repeat("w", 20), strings.Repeat("w", 20), "Basic …wwww"},
		{"socks5://u:pw12345@h and ftp://a@b", "pw12345", "socks5://u:…@h and ftp://a@b"},
		// Every key in a text, not only the first.
		{"first " + testKey("m") + " then " + testKey("n"), strings.Repeat("n", 30), "then sk-ant-api03-…7AAA"},
		{"first " + testKey("m") + " then " + testKey("n"), strings.Repeat("m", 30), "first sk-ant-api03-…7AAA then"},
		// A password holding '@': the userinfo ends at the last one.
		{"HTTPS_PROXY=http://bob:p@ssw0rd@proxy:3128/x", "ssw0rd", "http://bob:…@proxy:3128/x"},
	}
	for _, tt := range tests {
		got := Redact(tt.in)
		if tt.gone != "" && strings.Contains(got, tt.gone) {
			t.Errorf("Redact(%q) = %q still holds %q", tt.in, got, tt.gone)
		}
		if !strings.Contains(got, tt.keep) {
			t.Errorf("Redact(%q) = %q, want it to contain %q", tt.in, got, tt.keep)
		}
		if Redact(got) != got {
			t.Errorf("Redact is not idempotent on %q: %q", got, Redact(got))
		}
	}
}

func TestMaskURL(t *testing.T) {
	if got := MaskURL("http://bob:secretpw@proxy.corp:3128"); got != "http://bob:…@proxy.corp:3128" {
		t.Errorf("got %q", got)
	}
	if got := MaskURL("socks5://proxy:1080"); got != "socks5://proxy:1080" {
		t.Errorf("got %q", got)
	}
	// The URL parser, not a pattern, finds the password: one holding '@'
	// or '/' is hidden whole; a user without one is shown as given.
	for in, want := range map[string]string{
		"http://bob:p@ss@proxy.corp:3128":   "http://bob:…@proxy.corp:3128",
		"http://bob:p%2Fss@proxy.corp:3128": "http://bob:…@proxy.corp:3128",
		" http://bob:pw@proxy.corp:3128\n":  "http://bob:…@proxy.corp:3128",
		"http://bob@proxy.corp:3128":        "http://bob@proxy.corp:3128",
	} {
		if got := MaskURL(in); got != want {
			t.Errorf("MaskURL(%q) = %q, want %q", in, got, want)
		}
	}
}
