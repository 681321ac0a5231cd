package diagnose

import (
	"strings"
	"testing"
	"time"

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
		{"no proxy set", map[string]string{}, "If the environment sets no proxy the API's requests use, one on the path answered", probe.LocalWarn,
			"no proxy in the environment, but a proxy answered 407 on the path (API reachability"},
		// The fake API is on this machine, which is never proxied: the
		// requests went direct, so the proxy that answered is on the path
		// whatever the environment names (cold6 D19).
		{"HTTP_PROXY set, the API host exempt", map[string]string{"HTTP_PROXY": "http://127.0.0.1:1"}, "If the environment sets no proxy the API's requests use", probe.LocalWarn,
			"HTTP_PROXY is set, but the API host is on this machine, which is never proxied; yet a proxy answered 407 on the path (API reachability"},
		{"only ALL_PROXY set", map[string]string{"ALL_PROXY": "http://127.0.0.1:1"}, "If the environment sets no proxy the API's requests use", probe.LocalWarn,
			"ALL_PROXY=http://127.0.0.1:1 set, but requests to the API read only HTTP_PROXY"},
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

// A status page never read, unreadable now, is said as the table above it
// says it ("not read now (unreadable)"), with why — never "Not read yet."
// beside it, two wordings for one fact (cold8 E1).
func TestReportOfficialUnreadableIsOneFact(t *testing.T) {
	for _, tc := range []struct {
		o    probe.Official
		want string
	}{
		{probe.Official{State: probe.OfficialUnreadable, Why: "the proxy answered 407"}, "Not read now (unreadable: the proxy answered 407); no earlier read is stored."},
		{probe.Official{State: probe.OfficialUnreadable, Why: "timed out", Since: time.Date(2026, 12, 3, 18, 25, 23, 0, time.UTC)},
			"Not read now (unreadable: timed out, since 18:25:23 UTC); no earlier read is stored."},
		{probe.Official{State: probe.OfficialUnreadable}, "Not read now (unreadable); no earlier read is stored."},
		{probe.Official{}, "Not read yet."},
	} {
		var b mdWriter
		reportOfficial(&b, nil, tc.o, time.Now())
		if got := b.String(); !strings.Contains(got, tc.want) {
			t.Errorf("%+v: %q, want %q", tc.o, got, tc.want)
		}
	}
}
