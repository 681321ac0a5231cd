package diagnose

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// TestOAuthTokenInTheKeyVariable: a subscription token (sk-ant-oat01-…)
// in ANTHROPIC_API_KEY gets 401 "invalid x-api-key". The verdict, the
// matching problem and the report say what it is — a token in the API-key
// variable, and where it belongs — not "Invalid API key" (whose advice,
// compare the key's last four characters, leads nowhere), and the local
// check of the credential in effect is no ✔ while the API rejects it.
func TestOAuthTokenInTheKeyVariable(t *testing.T) {
	tok := "sk-ant-oat01-" + strings.Repeat("o", 93) + "AA"
	rep := probetest.QuietChecker(t, map[string]string{"ANTHROPIC_API_KEY": tok}).Run(t.Context())
	recent := probetest.Healthy()
	key := probetest.Series(probe.TargetAPIKey, probe.ClassAuth, probe.ClassAuth, probe.ClassAuth)
	for i := range key {
		key[i].HTTPStatus, key[i].ErrorType, key[i].Message = 401, "authentication_error", "401 authentication_error: invalid x-api-key"
	}
	recent[probe.TargetAPIKey] = key
	ev := Evidence{Now: probetest.Now, Status: probetest.Official(nil), Recent: recent, Local: rep}

	v := ev.Verdict()
	if v.Kind != probe.VerdictLocalCredential || !strings.Contains(v.Headline, "ANTHROPIC_API_KEY holds a Claude subscription token") ||
		!strings.Contains(v.Headline, "CLAUDE_CODE_OAUTH_TOKEN") || strings.Contains(v.Headline, "Invalid API key") {
		t.Errorf("verdict %s %q", v.Kind, v.Headline)
	}
	fs := Findings(ev)
	if len(fs) == 0 || fs[0].Entry.ID != catalogue.EntryOAuthNotSupported {
		t.Errorf("matching problem %v, want %s first", findingIDs(fs), catalogue.EntryOAuthNotSupported)
	}
	for _, f := range fs {
		if f.Entry.ID == catalogue.EntryInvalidKey {
			t.Errorf("also offers %s: %v", f.Entry.ID, findingIDs(fs))
		}
	}
	var cred probe.LocalCheck
	for _, c := range LocalChecks(rep, recent) {
		if c.ID == "credential" {
			cred = c
		}
	}
	if cred.Level != probe.LocalFail || !strings.Contains(cred.Text, "the API rejects it") {
		t.Errorf("credential check %v %q while the key probe gets 401", cred.Level, cred.Text)
	}
	md := Report(ev)
	if !strings.Contains(md, "Matching problem: Subscription token sent to the public API") || strings.Contains(md, "Matching problem: Invalid API key") {
		t.Errorf("report:\n%s", md)
	}
}
