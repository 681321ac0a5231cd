package diagnose

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// TestKeyless429ReadsOneWay: claude.ai's 429 (no credential sent) is the
// host limiting this address in the verdict, in Troubleshooting's matching
// problem and the report (no "your organisation", no credential line),
// and in what the live probes say of a paste: they confirm "Server is
// temporarily limiting requests" and never "your rate limit" (tests3).
func TestKeyless429ReadsOneWay(t *testing.T) {
	recent := probetest.Healthy()
	ca := probetest.Series(probe.TargetClaudeAI, probe.ClassOK, probe.ClassRateLimited, probe.ClassRateLimited)
	for i := 1; i < len(ca); i++ {
		ca[i].HTTPStatus, ca[i].ErrorType, ca[i].Message = 429, "rate_limited", "claude.ai answered 429 Too Many Requests"
	}
	recent[probe.TargetClaudeAI] = ca
	ev := Evidence{Now: probetest.Now, Status: probetest.Official(nil), Recent: recent,
		Local: &probe.LocalReport{Credentials: []probe.CredentialInfo{{Source: "ANTHROPIC_API_KEY", Kind: "API key", Masked: "sk-ant-api03-…7AAA", Header: "x-api-key", Probed: true}}}}
	v := ev.Verdict()
	if !strings.Contains(v.Headline, "rate-limits requests from this address") {
		t.Fatalf("verdict %q", v.Headline)
	}
	fs := Findings(ev)
	if len(fs) == 0 || fs[0].Entry.ID != catalogue.EntryThrottled || fs[0].Result == nil || fs[0].Result.Target != probe.TargetClaudeAI {
		t.Fatalf("findings %v, want claude.ai's 429 as %s", findingIDs(fs), catalogue.EntryThrottled)
	}
	rep := Report(ev)
	for _, never := range []string{"Matching problem: Rate limited", "Your organisation", "Credential: ANTHROPIC_API_KEY"} {
		if strings.Contains(rep, never) {
			t.Errorf("the report says %q of a 429 to a request without a credential:\n%s", never, rep)
		}
	}

	in := ev.Input()
	yours, _ := catalogue.ByID(catalogue.EntryRateLimited)
	if l := LiveFor(&yours, in); l.Confirmed {
		t.Errorf("claude.ai's keyless 429 confirms a pasted 'your rate limit': %q", l.Lines)
	}
	theirs, _ := catalogue.ByID(catalogue.EntryThrottled)
	l := LiveFor(&theirs, in)
	if !l.Confirmed || !strings.Contains(strings.Join(l.Lines, "\n"), "Anthropic is limiting requests: 2 of the last 3 claude.ai probes got 429") {
		t.Errorf("a pasted 'Server is temporarily limiting requests' is not confirmed by claude.ai's 429: %q", l.Lines)
	}
}
