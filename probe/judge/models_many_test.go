package judge_test

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/judge"
	"downforai/probe/probetest"
)

// TestEveryFailingModelIsNamed: the canary headline names every model
// that fails, never one of two as if it were the only one (the facts
// listed Claude Sonnet 4.5's 529 under "Claude Opus 4.5 failing … while
// Claude Haiku 4.5 answers"), and after "while" only the models that
// answer. The models that fail alike share a clause; those of one cause
// one tail; each failing model's evidence is among the facts.
func TestEveryFailingModelIsNamed(t *testing.T) {
	O, X := probe.ClassOK, probe.ClassOverloaded
	sonnet := probe.ModelTarget("claude-sonnet-4-5")
	for _, tc := range []struct {
		name      string
		opus, son []probe.Class
		incident  string // an open incident's name
		kind      probe.VerdictKind
		headline  string
	}{
		{"two fail alike", []probe.Class{O, O, X, X, X, X}, []probe.Class{O, O, X, X, X, X}, "", probe.VerdictUnacknowledged,
			"Claude Opus 4.5 and Claude Sonnet 4.5 each failing (529 overloaded; 4 of the last 5 probes failed) since 13:27 UTC while Claude Haiku 4.5 answers — Anthropic's side, not yet acknowledged."},
		{"two fail, since different times", []probe.Class{O, O, X, X, X, X}, []probe.Class{O, O, O, O, X, X}, "", probe.VerdictUnacknowledged,
			"Claude Opus 4.5 failing (529 overloaded; 4 of the last 5 probes failed) since 13:27 UTC and Claude Sonnet 4.5 failing (529 overloaded; 2 of the last 5 probes failed) since 13:29 UTC while Claude Haiku 4.5 answers — Anthropic's side, not yet acknowledged."},
		{"an incident names one of them", []probe.Class{O, O, X, X, X, X}, []probe.Class{O, O, X, X, X, X}, "Elevated errors on Claude Opus 4.5", probe.VerdictOutage,
			"Claude Opus 4.5 failing (529 overloaded; 4 of the last 5 probes failed) since 13:27 UTC while Claude Haiku 4.5 answers — Anthropic's side, acknowledged: Elevated errors on Claude Opus 4.5; Claude Sonnet 4.5 failing (529 overloaded; 4 of the last 5 probes failed) since 13:27 UTC — Anthropic's side, not yet acknowledged."},
		{"one fails, the other answers", []probe.Class{O, O, X, X, X, X}, []probe.Class{O, O, O, O, O, O}, "", probe.VerdictUnacknowledged,
			"Claude Opus 4.5 failing (529 overloaded; 4 of the last 5 probes failed) since 13:27 UTC while Claude Haiku 4.5 and Claude Sonnet 4.5 answer — Anthropic's side, not yet acknowledged."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recent := withModels(map[probe.Target][]probe.Result{
				opus:   canaries(opus, tc.opus...),
				sonnet: canaries(sonnet, tc.son...),
				haiku:  canaries(haiku, O, O, O, O, O, O),
			})
			st := probetest.Official(nil)
			if tc.incident != "" {
				st.Incidents = []probe.Incident{{ID: "i1", Name: tc.incident, Status: "investigating"}}
			}
			v := judge.Judge(judge.Input{Status: st, Recent: recent, Now: probetest.Now})
			if v.Kind != tc.kind || v.Headline != tc.headline {
				t.Errorf("%s: %s\nwant %s: %s", v.Kind.Key(), v.Headline, tc.kind.Key(), tc.headline)
			}
			facts := strings.Join(v.Facts, "\n")
			var failing []string
			for _, m := range v.Models {
				if m.Failing {
					failing = append(failing, m.Name)
				}
				if m.Failing && !strings.Contains(facts, m.Name+" → 529") {
					t.Errorf("the facts do not give %s's 529:\n%s", m.Name, facts)
				}
			}
			// Claude Code's calls fail on the same models, named alike.
			for _, sv := range v.Services {
				if want := "the Claude API it calls, for " + strings.Join(failing, " and ") + ", is failing from here"; sv.Service.Key == "claude_code" &&
					!strings.Contains(strings.Join(sv.Facts, "\n"), want) {
					t.Errorf("Claude Code's facts do not say %q:\n%s", want, strings.Join(sv.Facts, "\n"))
				}
			}
		})
	}
}
