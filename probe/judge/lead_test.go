package judge

import (
	"strings"
	"testing"

	"downforai/probe"
)

// TestRefusalLeadsOverSessions (cold2 C24, both refusals): while Claude
// Code's recorded calls met 529s, the key refused live — its credential
// (401) or its quota (429) — is what every request meets now: that refusal
// leads, whether or not the page acknowledges an outage.
func TestRefusalLeadsOverSessions(t *testing.T) {
	for _, tt := range []struct {
		page, api, cred string
		want            probe.VerdictKind
	}{
		{"operational", "401", "bad", probe.VerdictLocalCredential},
		{"major", "401", "bad", probe.VerdictLocalCredential},
		{"operational", "429", "good", probe.VerdictLocalQuota},
		{"major", "429", "good", probe.VerdictLocalQuota},
	} {
		in := input(row{tt.page, tt.api, "ok", tt.cred, "ok", 0, "", nil})
		in.Recent[probe.TargetSessions] = sessionCalls("529")
		v := Judge(in)
		if v.Kind != tt.want || strings.HasPrefix(v.Headline, "Anthropic outage") {
			t.Errorf("page %s, key %s: %s %q, want %s to lead", tt.page, tt.api, v.Kind.Key(), v.Headline, tt.want.Key())
		}
	}
}
