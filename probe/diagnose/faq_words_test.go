package diagnose

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
)

// TestFAQSaysWhatItCannotKnow: with every host answering, the FAQ's live
// lines infer ("likely … another path") and never claim what probes that
// ask no model cannot see ("the API is not overloaded"); the usage
// question names what downforai itself reads (cold5 D21, D23).
func TestFAQSaysWhatItCannotKnow(t *testing.T) {
	now := time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)
	e := Evidence{Now: now, Recent: map[probe.Target][]probe.Result{}}
	for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI} {
		e.Recent[tg] = []probe.Result{{Target: tg, Time: now.Add(-10 * time.Second), Class: probe.ClassOK, HTTPStatus: 200}}
	}
	for _, c := range []struct {
		live      string
		want, not []string
	}{
		{"network", []string{"likely takes another path"}, nil},
		{"overload", []string{"ask no model", "a model may still be overloaded"}, []string{"is not overloaded"}},
		{"usage", []string{"/usage", "transcripts", "--code-usage"}, []string{"known only to Claude Code"}},
	} {
		got := strings.Join(FAQLive(catalogue.Question{Live: c.live}, e), "\n")
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: no %q in %q", c.live, w, got)
			}
		}
		for _, n := range c.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: %q in %q", c.live, n, got)
			}
		}
	}
}
