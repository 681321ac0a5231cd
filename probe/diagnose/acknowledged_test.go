package diagnose

import (
	"slices"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// TestOverloadFixSaysWhatThePageSays (cold walk of Dec 7): the overload's
// fix "Watch the Incidents tab; downforai shows when Anthropic acknowledges
// it" stayed once an incident acknowledged it. The fix names that incident;
// a page that is not a current read says the acknowledgement is not known;
// a fresh page without one keeps the catalogue's words.
func TestOverloadFixSaysWhatThePageSays(t *testing.T) {
	overloaded := func() map[probe.Target][]probe.Result {
		recent := probetest.Healthy()
		for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey} {
			rs := probetest.Series(tg, probe.ClassOK, probe.ClassOK, probe.ClassOverloaded, probe.ClassOverloaded, probe.ClassOverloaded)
			for i := 2; i < len(rs); i++ {
				rs[i].HTTPStatus, rs[i].ErrorType, rs[i].Message = 529, "overloaded_error", "529 overloaded_error: Overloaded"
			}
			recent[tg] = rs
		}
		return recent
	}
	acked := probetest.Official(map[string]string{"k8w3r06qmzrp": "partial_outage"})
	acked.Incidents = []probe.Incident{{ID: "inc1", Name: "Elevated errors on the Claude API", Status: "identified", Impact: "major",
		CreatedAt: probetest.Now.Add(-10 * time.Minute), StartedAt: probetest.Now.Add(-10 * time.Minute), Components: []string{"k8w3r06qmzrp"}}}
	other := probetest.Official(nil)
	other.Incidents = []probe.Incident{{ID: "inc2", Name: "Console login errors", Status: "investigating", Impact: "minor",
		CreatedAt: probetest.Now.Add(-10 * time.Minute), Components: []string{"0qbwn08sd68x"}}}
	old := probetest.Official(nil)
	old.Fetched = probetest.Now.Add(-20 * time.Minute)
	for _, tc := range []struct {
		name  string
		st    *probe.Status
		stale bool
		want  string
	}{
		{"acknowledged", acked, false, `Anthropic acknowledges it on the status page: "Elevated errors on the Claude API" (identified); follow its updates in the Incidents tab.`},
		{"an incident of another component", other, false, catalogue.FixAwaitAck},
		{"not acknowledged", probetest.Official(nil), false, catalogue.FixAwaitAck},
		{"the page read 20 min ago", old, true, "The status page is not a current read, so whether Anthropic acknowledges it is not known"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recent := overloaded()
			if tc.stale {
				recent[probe.TargetStatus] = nil
			}
			ev := Evidence{Now: probetest.Now, Status: tc.st, Recent: recent, StaleAfter: 5 * time.Minute}
			fs := Findings(ev)
			if len(fs) == 0 || fs[0].Entry.ID != catalogue.EntryOverloaded {
				t.Fatalf("findings %+v (verdict %q)", fs, ev.Verdict().Headline)
			}
			if !slices.ContainsFunc(fs[0].Entry.Fix, func(s string) bool { return strings.HasPrefix(s, tc.want) }) {
				t.Errorf("fix %q, want a line %q", fs[0].Entry.Fix, tc.want)
			}
			if rep := Report(ev); !strings.Contains(rep, tc.want) {
				t.Errorf("report lacks %q:\n%s", tc.want, rep)
			}
			if e, _ := catalogue.ByID(catalogue.EntryOverloaded); !slices.Contains(e.Fix, catalogue.FixAwaitAck) {
				t.Errorf("the catalogue's entry was changed in place: %q", e.Fix)
			}
		})
	}
}
