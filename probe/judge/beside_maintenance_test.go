package judge

import (
	"strings"
	"testing"

	"downforai/probe"
)

// TestRefusalDuringMaintenanceSaysSo: a key refused while the page shows
// the API under scheduled maintenance is still the key's verdict, with the
// maintenance beside it — a 401 then may be the maintenance's (cold5 D27).
func TestRefusalDuringMaintenanceSaysSo(t *testing.T) {
	v := Judge(input(row{"maintenance", "401", "ok", "bad", "ok", probe.VerdictLocalCredential, "", nil}))
	if v.Kind != probe.VerdictLocalCredential {
		t.Fatalf("verdict %s: %q", v.Kind.Key(), v.Headline)
	}
	if !strings.Contains(v.Headline, "the API rejects ANTHROPIC_API_KEY") || !strings.Contains(v.Headline, "Also, Anthropic reports Claude API under scheduled maintenance") {
		t.Errorf("headline %q", v.Headline)
	}
	if n := nested(v.Headline); n != "" {
		t.Errorf("nested %q in %q", n, v.Headline)
	}
}
