package check

import (
	"strings"
	"testing"
)

// TestCanaryCostWords (cold2 C9): check's cost line is an estimate that
// names the list price it uses, and a model without a list price makes
// the cost unknown rather than a guess at older Opus's price.
func TestCanaryCostWords(t *testing.T) {
	got := costWords(1300, 20000, []string{"claude-opus-4-5", "claude-haiku-4-5"})
	for _, want := range []string{"≈ $0.0091 today (an estimate)", "at most ≈ $0.14 a day", "Claude Opus 4.5's list price, $5 input / $25 output per million tokens", "anthropic.com/pricing"} {
		if !strings.Contains(got, want) {
			t.Errorf("cost %q lacks %q", got, want)
		}
	}
	got = costWords(0, 20000, []string{"claude-opus-4-5", "claude-foo-9"})
	if got != "unknown — no list price known for claude-foo-9" {
		t.Errorf("with an unknown model the cost is %q", got)
	}
}
