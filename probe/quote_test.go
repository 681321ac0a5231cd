package probe

import (
	"strings"
	"testing"
)

// TestQuoteReadsAsAPersonQuotes: a quoted message on screen reads as the
// message, between quotation marks — no \" or \n of a Go or JSON literal
// — and is still sanitised.
func TestQuoteReadsAsAPersonQuotes(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Overloaded", `"Overloaded"`},
		{`model "claude-x" not found`, `"model "claude-x" not found"`},
		{"prompt is too long: 210000 tokens > 200000 maximum", `"prompt is too long: 210000 tokens > 200000 maximum"`},
		{"line one\nline two", `"line one line two"`},
		{"tab\there", `"tab here"`},
		{"red \x1b[31malert\x1b[0m", `"red alert"`},
		{`C:\path`, `"C:\path"`},
		{"", `""`},
	} {
		got := Quote(tt.in)
		if got != tt.want {
			t.Errorf("Quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
		if strings.ContainsAny(got, "\x1b\n\t") {
			t.Errorf("Quote(%q) = %q: a control character reaches the screen", tt.in, got)
		}
	}
}
