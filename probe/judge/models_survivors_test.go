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

// modelText is the failing model's own sentence.
func modelText(t *testing.T, v probe.Verdict, target probe.Target) probe.ModelVerdict {
	t.Helper()
	for _, mv := range v.Models {
		if mv.Target == target {
			return mv
		}
	}
	t.Fatalf("no verdict for %s in %+v", target, v.Models)
	return probe.ModelVerdict{}
}

// TestModelRefusedKeyOrQuota: a canary refused for its key is the
// credential, one refused for billing or a rate limit the quota — the
// verdict a model's row and check --json carry.
func TestModelRefusedKeyOrQuota(t *testing.T) {
	for _, tt := range []struct {
		class  probe.Class
		status int
		typ    string
		want   probe.VerdictKind
	}{
		{probe.ClassAuth, 401, "authentication_error", probe.VerdictLocalCredential},
		{probe.ClassAuth, 403, "permission_error", probe.VerdictLocalCredential},
		{probe.ClassBilling, 400, "invalid_request_error", probe.VerdictLocalQuota},
	} {
		rs := canaries(opus, probetest.Repeat(tt.class, 4)...)
		for i := range rs {
			rs[i].HTTPStatus, rs[i].ErrorType, rs[i].Message = tt.status, tt.typ, "refused"
		}
		v := judge.Judge(judge.Input{Status: probetest.Official(nil), Recent: withModels(map[probe.Target][]probe.Result{opus: rs}), Now: probetest.Now})
		mv := modelText(t, v, opus)
		if mv.Kind != tt.want || !strings.Contains(mv.Text, "your key or quota, not an outage") {
			t.Errorf("%d %s: %s %q, want %s", tt.status, tt.typ, mv.Kind, mv.Text, tt.want)
		}
	}
}

// TestModelReadsTheAPIComponent: a failing model is judged beside the
// Claude API's component on the page, not claude.ai's: the API under
// maintenance, or in an outage, while claude.ai is operational.
func TestModelReadsTheAPIComponent(t *testing.T) {
	api := "k8w3r06qmzrp"
	rs := canaries(opus, probetest.Repeat(probe.ClassOverloaded, 4)...)
	for _, tt := range []struct {
		status string
		kind   probe.VerdictKind
		says   string
	}{
		{"under_maintenance", probe.VerdictMaintenance, "during a maintenance of the Claude API"},
		{"major_outage", probe.VerdictOutage, "acknowledged on the status page"},
		{"degraded_performance", probe.VerdictOutage, "acknowledged on the status page"},
	} {
		v := judge.Judge(judge.Input{Status: probetest.Official(map[string]string{api: tt.status}), Recent: withModels(map[probe.Target][]probe.Result{opus: rs}), Now: probetest.Now})
		mv := modelText(t, v, opus)
		if mv.Kind != tt.kind || !strings.Contains(mv.Text, tt.says) {
			t.Errorf("API %s: %s %q, want %s saying %q", tt.status, mv.Kind, mv.Text, tt.kind, tt.says)
		}
	}
}

// TestModelSideIsCertainOnlyBesideAnAnswer: a model's failure is
// "Anthropic's side" for certain only when Anthropic's own error (a 529,
// a 5xx) came while another model or the key probe answered through the
// same key and network; with nothing to compare, or an error the answer
// carried mid-stream, it is "likely".
func TestModelSideIsCertainOnlyBesideAnAnswer(t *testing.T) {
	O := probe.ClassOK
	failing := func(class probe.Class, status int) []probe.Result {
		rs := canaries(opus, probetest.Repeat(class, 4)...)
		for i := range rs {
			rs[i].HTTPStatus = status
			if class == probe.ClassServer {
				rs[i].ErrorType, rs[i].Message = "api_error", "api_error: Internal server error"
			}
		}
		return rs
	}
	for _, tt := range []struct {
		name       string
		opus       []probe.Result
		haiku, key bool // answering
		want       string
	}{
		{"529, Haiku answers, no key probe", failing(probe.ClassOverloaded, 529), true, false, "while Claude Haiku 4.5 answers — Anthropic's side,"},
		{"529, the key probe answers", failing(probe.ClassOverloaded, 529), false, true, "while the API accepts your key — Anthropic's side,"},
		{"529, nothing else answers", failing(probe.ClassOverloaded, 529), false, false, " — likely Anthropic's side,"},
		{"500, Haiku answers", failing(probe.ClassServer, 500), true, false, "while Claude Haiku 4.5 answers — Anthropic's side,"},
		{"503, Haiku answers", failing(probe.ClassServer, 503), true, false, "while Claude Haiku 4.5 answers — Anthropic's side,"},
		{"an error inside a 200's stream, Haiku answers", failing(probe.ClassServer, 200), true, false, "while Claude Haiku 4.5 answers — likely Anthropic's side,"},
	} {
		recent := withModels(map[probe.Target][]probe.Result{opus: tt.opus})
		delete(recent, probe.TargetAPIKey)
		if tt.haiku {
			recent[haiku] = canaries(haiku, O, O, O, O)
		}
		if tt.key {
			recent[probe.TargetAPIKey] = probetest.Series(probe.TargetAPIKey, O, O, O, O)
		}
		v := judge.Judge(judge.Input{Status: probetest.Official(nil), Recent: recent, Now: probetest.Now})
		if mv := modelText(t, v, opus); !strings.Contains(mv.Text, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, mv.Text, tt.want)
		}
	}
}
