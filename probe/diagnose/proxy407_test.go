package diagnose

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/fakeupstream"
)

// TestProxy407OrdersTheFixByWhatWeSaw (cold F18): a 407 with no proxy in
// the environment came from a proxy on the path, so the Matching problem's
// first fix is about that proxy (or ANTHROPIC_BASE_URL), not "put the
// credentials in HTTPS_PROXY", and the Proxy local check is no bare ✔
// "no proxy" beside it. With a proxy named in the environment, the credentials fix leads.
func TestProxy407OrdersTheFixByWhatWeSaw(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	fake.SetScenario(fakeupstream.Scenario{Status: fakeupstream.StatusOperational, API: fakeupstream.APIProxy407, Claude: fakeupstream.ClaudeOK})
	for _, tc := range []struct {
		name      string
		env       map[string]string
		firstFix  string
		proxy     probe.LocalLevel
		proxySays string
	}{
		{"no proxy set", map[string]string{}, "If no proxy is set in the environment, one on the path answered", probe.LocalWarn,
			"no proxy in the environment, but a proxy answered 407 on the path (API reachability"},
		{"HTTP_PROXY set", map[string]string{"HTTP_PROXY": "http://127.0.0.1:1"}, "Put the credentials in the proxy URL", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gatherRounds(t, scenarioChecks(t, fake.URL, tc.env), 2)
			fs := Findings(ev)
			if len(fs) == 0 || fs[0].Entry.ID != catalogue.EntryProxyAuth {
				t.Fatalf("findings %v, want %s first", fs, catalogue.EntryProxyAuth)
			}
			if got := fs[0].Entry.Fix[0]; !strings.HasPrefix(got, tc.firstFix) {
				t.Errorf("first fix %q, want %q…", got, tc.firstFix)
			}
			if tc.proxySays == "" {
				return
			}
			for _, c := range LocalChecks(ev.Local, ev.Recent) {
				if c.ID == probe.CheckProxy && (c.Level != tc.proxy || !strings.HasPrefix(c.Text, tc.proxySays)) {
					t.Errorf("Proxy check %v %q, want %v %q…", c.Level, c.Text, tc.proxy, tc.proxySays)
				}
			}
		})
	}
}
