package judge_test

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/judge"
	"downforai/probe/probetest"
)

var (
	opus  = probe.ModelTarget("claude-opus-4-5")
	haiku = probe.ModelTarget("claude-haiku-4-5")
)

// canaries is a series of one model's canaries; failures are 529s.
func canaries(t probe.Target, classes ...probe.Class) []probe.Result {
	rs := probetest.Series(t, classes...)
	for i := range rs {
		switch rs[i].Class {
		case probe.ClassOverloaded:
			rs[i].HTTPStatus, rs[i].ErrorType, rs[i].Message = 529, "overloaded_error", "529 overloaded_error: Overloaded"
			rs[i].RequestID = "req_011CFake"
		case probe.ClassOK:
			rs[i].HTTPStatus = 200
			rs[i].Phases = probe.Phases{FirstToken: 412 * time.Millisecond, Total: 430 * time.Millisecond}
		}
	}
	return rs
}

func withModels(extra map[probe.Target][]probe.Result) map[probe.Target][]probe.Result {
	in := probetest.Healthy()
	for t, rs := range extra {
		in[t] = rs
	}
	return in
}

func TestModelFailsWhileAnotherAnswers(t *testing.T) {
	O, X := probe.ClassOK, probe.ClassOverloaded
	recent := withModels(map[probe.Target][]probe.Result{
		opus:  canaries(opus, O, O, X, X, X, X),
		haiku: canaries(haiku, O, O, O, O, O, O),
	})
	v := judge.Judge(judge.Input{Status: probetest.Official(nil), Recent: recent, Now: probetest.Now})
	if v.Kind != probe.VerdictUnacknowledged {
		t.Fatalf("kind %s: %s", v.Kind, v.Headline)
	}
	want := "Claude Opus 4.5 failing (529 overloaded; 4 of the last 5 probes failed) since 13:27 UTC while Claude Haiku 4.5 answers — Anthropic's side, not yet acknowledged."
	if v.Headline != want {
		t.Errorf("headline\n got %s\nwant %s", v.Headline, want)
	}
	if len(v.Models) != 2 || v.Models[1].Target != opus || !v.Models[1].Failing || v.Models[0].Kind != probe.VerdictOperational ||
		!strings.Contains(v.Models[0].Text, "Claude Haiku 4.5 answers (TTFT 412 ms)") {
		t.Errorf("models %+v", v.Models)
	}

	// An incident that names the model acknowledges it.
	st := probetest.Official(nil)
	st.Incidents = []probe.Incident{{ID: "i1", Name: "Elevated errors on Claude Opus 4.5", Status: "investigating"}}
	v = judge.Judge(judge.Input{Status: st, Recent: recent, Now: probetest.Now})
	if v.Kind != probe.VerdictOutage || !strings.Contains(v.Headline, "acknowledged: Elevated errors on Claude Opus 4.5") {
		t.Errorf("with the incident: %s %s", v.Kind, v.Headline)
	}
	// One about another model does not.
	st.Incidents[0].Name = "Elevated errors on Claude Sonnet 4.5"
	v = judge.Judge(judge.Input{Status: st, Recent: recent, Now: probetest.Now})
	if v.Kind != probe.VerdictUnacknowledged {
		t.Errorf("another model's incident: %s %s", v.Kind, v.Headline)
	}
	// Recovered: two answers in a row.
	recent[opus] = canaries(opus, X, X, X, X, O, O)
	v = judge.Judge(judge.Input{Status: probetest.Official(nil), Recent: recent, Now: probetest.Now})
	if v.Kind != probe.VerdictOperational || v.Models[1].Failing {
		t.Errorf("recovered: %s %s", v.Kind, v.Headline)
	}
}

// TestModelNotFoundIsTheSetting: a model that does not exist never makes
// the verdict Anthropic's; its row says to check --canary.
func TestModelNotFoundIsTheSetting(t *testing.T) {
	rs := probetest.Series(opus, probetest.Repeat(probe.ClassUnexpected, 5)...)
	for i := range rs {
		rs[i].HTTPStatus, rs[i].ErrorType = 404, "not_found_error"
	}
	paused := probetest.Series(haiku, probe.ClassUnknown)
	paused[0].ErrorType, paused[0].Message = "budget", "canary paused: today's budget of 20000 tokens is spent (20000 used); resumes at 00:00 UTC"
	v := judge.Judge(judge.Input{Status: probetest.Official(nil), Recent: withModels(map[probe.Target][]probe.Result{opus: rs, haiku: paused}), Now: probetest.Now})
	if v.Kind != probe.VerdictOperational {
		t.Fatalf("%s %s", v.Kind, v.Headline)
	}
	if !strings.Contains(v.Models[1].Text, "check the name given to --canary") || !strings.Contains(v.Models[0].Text, "budget of 20000 tokens is spent") {
		t.Errorf("models %+v", v.Models)
	}
	d := judge.NewDetector(judge.DetectorConfig{FailThreshold: 3, RecoverThreshold: 2})
	for _, r := range rs {
		for _, l := range d.Observe(probe.Event{Result: r}) {
			if l.Kind == probe.KindProvider {
				t.Fatalf("a missing model opened a provider incident %s", l.Subject)
			}
		}
	}
}

// TestModelIncidentPerModel: each failing model has an incident of its own.
func TestModelIncidentPerModel(t *testing.T) {
	d := judge.NewDetector(judge.DetectorConfig{FailThreshold: 3, RecoverThreshold: 2})
	var subjects []string
	for _, r := range canaries(opus, probetest.Repeat(probe.ClassOverloaded, 4)...) {
		for _, l := range d.Observe(probe.Event{Result: r}) {
			subjects = append(subjects, l.Subject+"/"+l.Service)
		}
	}
	if len(subjects) == 0 || subjects[0] != "provider:model:claude-opus-4-5/api" {
		t.Errorf("incidents %v", subjects)
	}
}

// TestClaudeCodeNamesTheFailingModel: when only one model's canaries fail,
// Claude Code's fact names that model — "the Claude API it calls is
// failing" said of the whole API while Haiku and both key probes answer.
func TestClaudeCodeNamesTheFailingModel(t *testing.T) {
	O, X := probe.ClassOK, probe.ClassOverloaded
	recent := withModels(map[probe.Target][]probe.Result{
		opus:  canaries(opus, O, O, X, X, X, X),
		haiku: canaries(haiku, O, O, O, O, O, O),
	})
	v := judge.Judge(judge.Input{Status: probetest.Official(nil), Recent: recent, Now: probetest.Now})
	for _, sv := range v.Services {
		if sv.Service.Key != "claude_code" {
			continue
		}
		facts := strings.Join(sv.Facts, "\n")
		if strings.Contains(facts, "the Claude API it calls") && !strings.Contains(facts, "the Claude API it calls, for Claude Opus 4.5, ") {
			t.Errorf("Claude Code's facts blame the whole API for one model:\n%s", facts)
		}
		if !sv.ThroughAPI || !strings.Contains(facts, "for Claude Opus 4.5, is failing from here (529 overloaded)") {
			t.Errorf("Claude Code's facts do not name the failing model (ThroughAPI %v):\n%s", sv.ThroughAPI, facts)
		}
	}
}

// TestModelGoneIsNoContrast (cold5 D18): "Opus failing … while Haiku
// answers" stood while Haiku's last probes got 404 (no such model): a
// model's 404 is not judged as a failure of the API, but it answers
// nothing either, so it is no contrast; the key's probe is.
func TestModelGoneIsNoContrast(t *testing.T) {
	O, X := probe.ClassOK, probe.ClassOverloaded
	gone := canaries(haiku, O, O, O, O, probe.ClassUnexpected, probe.ClassUnexpected)
	for i := 4; i < len(gone); i++ {
		gone[i].HTTPStatus, gone[i].ErrorType = 404, "not_found_error"
		gone[i].Message = `404 not_found_error: model "claude-haiku-4-5" does not exist or this key cannot use it (check --canary)`
	}
	recent := withModels(map[probe.Target][]probe.Result{opus: canaries(opus, O, O, X, X, X, X), haiku: gone})
	v := judge.Judge(judge.Input{Status: probetest.Official(nil), Recent: recent, Now: probetest.Now})
	if strings.Contains(v.Headline, "Haiku") || !strings.Contains(v.Headline, "Claude Opus 4.5 failing") || !strings.Contains(v.Headline, "while the API accepts your key") {
		t.Errorf("headline %q", v.Headline)
	}
}
