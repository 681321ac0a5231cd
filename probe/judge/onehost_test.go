package judge

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/probetest"
)

// TestEveryURLAtOneServerThatIsNotAnthropics (cold walk): with every URL
// set to one local server and it refusing, "Your network or proxy: no
// Anthropic host answers" blamed a network no probe crossed and advised
// allowing api.anthropic.com in the firewall: no Anthropic host was
// asked. It is that server, named; with Anthropic's own URLs it stays the
// network's.
func TestEveryURLAtOneServerThatIsNotAnthropics(t *testing.T) {
	down := map[probe.Target][]probe.Result{}
	for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI} {
		rs := probetest.Series(tg, probetest.Repeat(probe.ClassNetwork, 3)...)
		for i := range rs {
			rs[i].ErrorType, rs[i].Message = probe.NetRefused, "connection to 127.0.0.1:19900 refused"
		}
		down[tg] = rs
	}
	fake := "http://127.0.0.1:19900"
	for _, tc := range []struct {
		name             string
		api, claude, sts string
		kind             probe.VerdictKind
		says             string
	}{
		{"one fake", fake, fake, fake, probe.VerdictLocalConfig, "Your configuration: nothing answers at 127.0.0.1:19900, where every URL set points"},
		{"Anthropic's URLs", probe.DefaultAPIURL, "https://claude.ai", "https://status.claude.com", probe.VerdictLocalNetwork, "Your network or proxy: no Anthropic host answers"},
		{"two servers", fake, "http://127.0.0.1:19901", fake, probe.VerdictLocalNetwork, "Your network or proxy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Recent: down, Now: probetest.Now, Local: &probe.LocalReport{APIURL: tc.api, ClaudeURL: tc.claude, StatusURL: tc.sts}}
			v := Judge(in)
			if v.Kind != tc.kind || !strings.HasPrefix(v.Headline, tc.says) {
				t.Errorf("%s: %q", v.Kind, v.Headline)
			}
			if facts := strings.Join(v.Facts, "\n"); tc.kind == probe.VerdictLocalConfig && strings.Contains(facts, "Anthropic host") {
				t.Errorf("a fact speaks of Anthropic's hosts:\n%s", facts)
			}
		})
	}
}
