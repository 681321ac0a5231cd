package judge_test

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/judge"
	"downforai/probe/probetest"
)

// TestModelIncidentIsTheFirstFact: when a failing canary leads the
// headline, the official incident that names its model is the verdict's
// first fact (check and report read it there); with no incident naming
// it, no "status page incident" fact is made up — an empty name would
// read "status page incident: " (models.go:283 negated, issue 18).
func TestModelIncidentIsTheFirstFact(t *testing.T) {
	O, X := probe.ClassOK, probe.ClassOverloaded
	recent := withModels(map[probe.Target][]probe.Result{
		opus:  canaries(opus, O, O, X, X, X, X),
		haiku: canaries(haiku, O, O, O, O, O, O),
	})
	for _, tt := range []struct {
		name      string
		incidents []probe.Incident
		kind      probe.VerdictKind
		first     string // the first fact; "" for no incident fact at all
	}{
		{"an incident naming the model", []probe.Incident{{ID: "i1", Name: "Elevated errors on Claude Opus 4.5", Status: "investigating"}},
			probe.VerdictOutage, "status page incident: Elevated errors on Claude Opus 4.5"},
		{"an incident naming another model", []probe.Incident{{ID: "i2", Name: "Elevated errors on Claude Sonnet 4.5", Status: "investigating"}},
			probe.VerdictUnacknowledged, ""},
		{"no incident", nil, probe.VerdictUnacknowledged, ""},
	} {
		st := probetest.Official(nil)
		st.Incidents = tt.incidents
		v := judge.Judge(judge.Input{Status: st, Recent: recent, Now: probetest.Now})
		if v.Kind != tt.kind || !strings.HasPrefix(v.Headline, "Claude Opus 4.5 failing") {
			t.Errorf("%s: %s %q, want %s led by Opus", tt.name, v.Kind, v.Headline, tt.kind)
			continue
		}
		if tt.first != "" {
			if len(v.Facts) == 0 || v.Facts[0] != tt.first {
				t.Errorf("%s: facts %q, want %q first", tt.name, v.Facts, tt.first)
			}
			continue
		}
		for _, f := range v.Facts {
			if strings.HasPrefix(f, "status page incident") {
				t.Errorf("%s: fact %q with no incident naming the model (facts %q)", tt.name, f, v.Facts)
			}
		}
	}
}
