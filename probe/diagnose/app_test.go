package diagnose

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/judge"
	"downforai/probe/probetest"
)

// TestLiveOfClaudeAIsOwnWords: claude.ai's error page and its region
// page are weighed against what claude.ai answers here, and what the
// status page says of claude.ai (not of the API). claude.ai failing on its
// side now (a 503 page) is the same thing seen from here, never "answers
// from here" (cold walk: "each of the last 12 probes" with 7 of them
// 503); claude.ai answering is no "other path (proxy, VPN)" but likely
// the account, session or chat alone — unless the status page reports
// claude.ai in trouble, which is no contradiction.
func TestLiveOfClaudeAIsOwnWords(t *testing.T) {
	page, _ := catalogue.ByID(catalogue.EntryAppOutage)
	region, _ := catalogue.ByID(catalogue.EntryRegion)
	failing := probetest.Healthy()
	for i := range failing[probe.TargetClaudeAI] {
		if i >= 2 {
			r := &failing[probe.TargetClaudeAI][i]
			r.Class, r.HTTPStatus, r.ErrorType, r.Message = probe.ClassServer, 503, "http_503", "claude.ai answered 503 Service Unavailable, an HTML page"
		}
	}
	claudeDown := probetest.Official(map[string]string{"rwppv331jlwc": "partial_outage"})
	for _, tc := range []struct {
		name        string
		e           catalogue.Entry
		recent      map[probe.Target][]probe.Result
		status      *probe.Status
		says, never []string
		contradicts bool
	}{
		{"page, claude.ai failing here", page, failing, probetest.Official(nil),
			[]string{"It fails from here too: 3 of the last 5 claude.ai probes got 503 Service Unavailable.", "says Claude (claude.ai): operational"},
			[]string{"answers from here", "Claude API:", "http_503"}, false},
		{"page, claude.ai answering", page, probetest.Healthy(), probetest.Official(nil),
			[]string{"answers from here (each of the last 5 probes): no outage seen from here; the page was likely for your account, session or one conversation alone"},
			[]string{"another path", "proxy, VPN"}, true},
		{"page, claude.ai answering, the page reports it", page, probetest.Healthy(), claudeDown,
			[]string{"but the status page reports trouble with it (below)", "says Claude (claude.ai): partial outage"},
			[]string{"another path", "your account"}, false},
		{"region, claude.ai answering", region, probetest.Healthy(), probetest.Official(nil),
			[]string{"this machine's connection is served; the page likely came over another path (a VPN or proxy exiting in another country)"},
			[]string{"another credential", "The API answers fine"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := LiveFor(&tc.e, judge.Input{Recent: tc.recent, Status: tc.status, Now: probetest.Now})
			got := strings.Join(l.Lines, "\n")
			for _, s := range tc.says {
				if !strings.Contains(got, s) {
					t.Errorf("does not say %q:\n%s", s, got)
				}
			}
			for _, s := range tc.never {
				if strings.Contains(got, s) {
					t.Errorf("says %q:\n%s", s, got)
				}
			}
			if l.Contradicted != tc.contradicts {
				t.Errorf("Contradicted %v, want %v:\n%s", l.Contradicted, tc.contradicts, got)
			}
			say := Disagreement(Diagnosis{Entry: &tc.e}, l)
			if strings.Contains(say, "another path") {
				t.Errorf("disagreement blames the path: %q", say)
			}
		})
	}
}
