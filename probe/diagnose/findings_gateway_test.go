package diagnose

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// TestFindingsThroughTheGateway: with the API URL set to a gateway, the
// matching problem speaks of what our probes reached — the gateway:
// a 529 in its own JSON (no Anthropic request-id) is the service at that
// URL saying it, never "Anthropic's API said"; Anthropic's own answer
// passed on (its request-id) stays Anthropic's; a reset or timeout there
// names the gateway in its fixes, never "allow api.anthropic.com in the
// firewall", whose host was not asked. Under Anthropic's own URL nothing
// changes. A local finding of the gateway never says it answered when
// nothing did.
func TestFindingsThroughTheGateway(t *testing.T) {
	gw := &probe.LocalReport{APIURL: "http://127.0.0.1:4000", APIURLFrom: "--api-url"}
	own := &probe.LocalReport{APIURL: probe.DefaultAPIURL}
	fail := func(class probe.Class, status int, typ, msg, rid string) map[probe.Target][]probe.Result {
		recent := probetest.Healthy()
		for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey} {
			rs := probetest.Series(tg, probe.ClassOK, class, class, class)
			for i := 1; i < len(rs); i++ {
				rs[i].HTTPStatus, rs[i].ErrorType, rs[i].Message, rs[i].RequestID = status, typ, msg, rid
			}
			recent[tg] = rs
		}
		return recent
	}
	for _, tc := range []struct {
		name      string
		local     *probe.LocalReport
		recent    map[probe.Target][]probe.Result
		entry     catalogue.EntryID
		want, not []string
	}{
		{"529 in the gateway's JSON", gw, fail(probe.ClassOverloaded, 529, "overloaded_error", "529 Overloaded", ""), catalogue.EntryOverloaded,
			[]string{"The service at http://127.0.0.1:4000 (--api-url) said it is overloaded"}, []string{"Anthropic's API said"}},
		{"Anthropic's 529 passed on", gw, fail(probe.ClassOverloaded, 529, "overloaded_error", "529 overloaded_error: Overloaded", "req_011CSHoEeqs5C35K2UUqR7Fz"), catalogue.EntryOverloaded,
			[]string{"Anthropic's API said it is overloaded"}, []string{"The service at"}},
		{"529 from Anthropic", own, fail(probe.ClassOverloaded, 529, "overloaded_error", "529 Overloaded", ""), catalogue.EntryOverloaded,
			[]string{"Anthropic's API said it is overloaded"}, []string{"The service at"}},
		{"reset at the gateway", gw, fail(probe.ClassNetwork, 0, probe.NetReset, "connection reset by peer", ""), catalogue.EntryConnection,
			[]string{"The probes went to the gateway at --api-url (http://127.0.0.1:4000), not api.anthropic.com"}, []string{"Allow api.anthropic.com", "A gateway or relay answered"}},
		{"reset at Anthropic", own, fail(probe.ClassNetwork, 0, probe.NetReset, "connection reset by peer", ""), catalogue.EntryConnection,
			[]string{"Allow api.anthropic.com (160.79.104.0/23)"}, []string{"The probes went to the gateway"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := Evidence{Now: probetest.Now, Status: probetest.Official(nil), Recent: tc.recent, Local: tc.local}
			fs := Findings(ev)
			if len(fs) == 0 || fs[0].Entry.ID != tc.entry {
				t.Fatalf("findings %v, want %s first (verdict %q)", findingIDs(fs), tc.entry, ev.Verdict().Headline)
			}
			var all []string
			for _, f := range fs {
				all = append(all, f.Entry.Title, f.Entry.What)
				all = append(all, f.Entry.Fix...)
			}
			text := strings.Join(all, "\n")
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in:\n%s", w, text)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(text, n) {
					t.Errorf("%q in:\n%s", n, text)
				}
			}
		})
	}
	// The catalogue's own entries are untouched by a finding's words.
	c, _ := catalogue.ByID(catalogue.EntryConnection)
	if !strings.Contains(strings.Join(c.Fix, "\n"), "Allow api.anthropic.com") {
		t.Error("the catalogue's entry was changed in place")
	}
}
