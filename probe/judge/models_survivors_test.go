package judge_test

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/judge"
	"downforai/probe/probetest"
)

// TestModelIncidentForMultipleModels: an open incident about "multiple
// models" or "all models", in its name or an update, acknowledges a
// failing model no incident names; of two such incidents the first is
// quoted, and one that names the model wins over either.
func TestModelIncidentForMultipleModels(t *testing.T) {
	O, X := probe.ClassOK, probe.ClassOverloaded
	recent := withModels(map[probe.Target][]probe.Result{
		opus:  canaries(opus, O, O, X, X, X, X),
		haiku: canaries(haiku, O, O, O, O, O, O),
	})
	inc := func(name, body string) probe.Incident {
		i := probe.Incident{ID: name, Name: name, Status: "investigating"}
		if body != "" {
			i.Updates = []probe.IncidentUpdate{{Status: "investigating", Body: body}}
		}
		return i
	}
	for _, tt := range []struct {
		name      string
		incidents []probe.Incident
		want      string
	}{
		{"multiple models in the name", []probe.Incident{inc("Elevated errors for multiple models", "")}, "Elevated errors for multiple models"},
		{"all models in an update", []probe.Incident{inc("Elevated error rates", "We are seeing errors on all models.")}, "Elevated error rates"},
		{"the first of two general ones", []probe.Incident{inc("Errors on multiple models", ""), inc("Slow answers from all models", "")}, "Errors on multiple models"},
		{"the one naming the model, after a general one", []probe.Incident{inc("Errors on multiple models", ""), inc("Elevated errors on Claude Opus 4.5", "")}, "Elevated errors on Claude Opus 4.5"},
	} {
		st := probetest.Official(nil)
		st.Incidents = tt.incidents
		v := judge.Judge(judge.Input{Status: st, Recent: recent, Now: probetest.Now})
		if v.Kind != probe.VerdictOutage || !strings.Contains(v.Headline, "acknowledged: "+tt.want+".") {
			t.Errorf("%s: %s %s\nwant it acknowledged by %q", tt.name, v.Kind, v.Headline, tt.want)
		}
	}
}

// TestModelQuotesItsWorstFailuresStatus: a model's sentence names its
// most frequent failure with that failure's HTTP status, even when that
// failure is the oldest of the canaries counted — the model's first two
// canaries a 529 then a 500 (one each; overloaded is the worse) are
// "529 overloaded", not a bare "overloaded".
func TestModelQuotesItsWorstFailuresStatus(t *testing.T) {
	O, X, S := probe.ClassOK, probe.ClassOverloaded, probe.ClassServer
	rs := canaries(opus, X, S)
	rs[1].HTTPStatus, rs[1].ErrorType, rs[1].Message = 500, "api_error", "500 api_error: Internal server error"
	recent := withModels(map[probe.Target][]probe.Result{
		opus:  rs,
		haiku: canaries(haiku, O, O, O, O, O, O),
	})
	v := judge.Judge(judge.Input{Status: probetest.Official(nil), Recent: recent, Now: probetest.Now})
	if !strings.Contains(v.Headline, "Claude Opus 4.5 failing (529 overloaded; the last 2 probes failed)") {
		t.Errorf("headline %s", v.Headline)
	}
}
