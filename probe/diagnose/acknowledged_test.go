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

// TestMaintenanceLeadsTheMatchingProblem (second cold walk of Dec 7): 503s
// without Anthropic's body under a maintenance of the API: the banner said
// "Maintenance: errors expected …" while Troubleshooting led with "An error
// from something in between … likely came from a proxy". The matching
// problem leads with the maintenance, then its own words; a maintenance of
// another component, or a page read long ago, leaves it as it was; a
// refusal of the key (your side) is not the maintenance's.
func TestMaintenanceLeadsTheMatchingProblem(t *testing.T) {
	failing := func(code int, typ string) map[probe.Target][]probe.Result {
		recent := probetest.Healthy()
		for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey} {
			rs := probetest.Series(tg, probe.ClassOK, probe.ClassOK, probe.ClassServer, probe.ClassServer, probe.ClassServer)
			for i := 2; i < len(rs); i++ {
				rs[i].HTTPStatus, rs[i].ErrorType, rs[i].Message = code, typ, "503 Service Unavailable"
			}
			recent[tg] = rs
		}
		return recent
	}
	page := func(component string) *probe.Status {
		st := probetest.Official(map[string]string{component: "under_maintenance"})
		st.Maintenances = []probe.Incident{{ID: "m1", Name: "Scheduled maintenance of the Claude API", Status: "in_progress", Impact: "maintenance",
			ScheduledFor: probetest.Now.Add(-10 * time.Minute), ScheduledUntil: probetest.Now.Add(40 * time.Minute), Components: []string{component}}}
		return st
	}
	old := page("k8w3r06qmzrp")
	old.Fetched = probetest.Now.Add(-20 * time.Minute)
	for _, tc := range []struct {
		name  string
		st    *probe.Status
		stale bool
		typ   string
		lead  bool
	}{
		{"503 without Anthropic's body", page("k8w3r06qmzrp"), false, "http_503", true},
		{"Anthropic's own 503", page("k8w3r06qmzrp"), false, "api_error", true},
		{"maintenance of another component", page("0qbwn08sd68x"), false, "http_503", false},
		{"the page read 20 min ago", old, true, "http_503", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recent := failing(503, tc.typ)
			if tc.stale {
				recent[probe.TargetStatus] = nil
			}
			ev := Evidence{Now: probetest.Now, Status: tc.st, Recent: recent, StaleAfter: 5 * time.Minute}
			fs := Findings(ev)
			if len(fs) == 0 {
				t.Fatalf("no findings (verdict %q)", ev.Verdict().Headline)
			}
			en := fs[0].Entry
			led := strings.HasPrefix(en.What, `Expected now: Anthropic's maintenance "Scheduled maintenance of the Claude API" is in progress on Claude API until 14:10 UTC`) &&
				len(en.Fix) > 0 && strings.HasPrefix(en.Fix[0], "Wait for it to end (14:10 UTC) and try again")
			if led != tc.lead {
				t.Errorf("led by the maintenance: %v, want %v\nwhat: %s\nfix: %q", led, tc.lead, en.What, en.Fix)
			}
			if orig, _ := catalogue.ByID(en.ID); strings.HasPrefix(orig.What, "Expected now") {
				t.Error("the catalogue's entry was changed in place")
			}
		})
	}
}
