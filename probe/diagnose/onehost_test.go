package diagnose

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/probetest"
)

// TestOneServerFindingsFixThatServer (cold walk): with every URL set at
// one local server and it refusing, the banner named that server, but the
// Matching problem "Connection refused or reset" advised allowing
// api.anthropic.com through the firewall: no probe went there. Its fixes
// lead with the server the URLs point at, and none names Anthropic's
// hosts.
func TestOneServerFindingsFixThatServer(t *testing.T) {
	fake := "http://127.0.0.1:19900"
	e := Evidence{Now: probetest.Now, Recent: map[probe.Target][]probe.Result{},
		Local: &probe.LocalReport{APIURL: fake, ClaudeURL: fake, StatusURL: fake}}
	for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI} {
		rs := probetest.Series(tg, probetest.Repeat(probe.ClassNetwork, 3)...)
		for i := range rs {
			rs[i].ErrorType, rs[i].Message = probe.NetRefused, "connection to 127.0.0.1:19900 refused"
		}
		e.Recent[tg] = rs
	}
	if v := e.Verdict(); v.Kind != probe.VerdictLocalConfig {
		t.Fatalf("verdict %s: %q", v.Kind, v.Headline)
	}
	fs := Findings(e)
	if len(fs) == 0 {
		t.Fatal("no finding")
	}
	for _, f := range fs {
		if !f.IsCause() {
			continue
		}
		fix := strings.Join(f.Entry.Fix, "\n")
		if len(f.Entry.Fix) == 0 || !strings.Contains(f.Entry.Fix[0], "127.0.0.1:19900") {
			t.Errorf("%s: first fix does not name the server the URLs point at:\n%s", f.Entry.ID, fix)
		}
		if strings.Contains(fix, "api.anthropic.com") || strings.Contains(fix, "reaches Anthropic") {
			t.Errorf("%s: a fix names an Anthropic host no probe asked:\n%s", f.Entry.ID, fix)
		}
	}
}
