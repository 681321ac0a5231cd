package judge

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/probetest"
)

// TestNoAllClearForAHostNotHeardFrom: while the Claude API or claude.ai
// has no result to judge — the first seconds of a run, or after a restart
// whose older results no longer count — the others answering is no "All
// clear: our probes succeed" (cold walk: said on claude.ai's first answer
// while the API's probe, still under way, was to time out). It says what
// is still being checked, and the verdict is not operational.
func TestNoAllClearForAHostNotHeardFrom(t *testing.T) {
	for _, tc := range []struct {
		name    string
		drop    []probe.Target
		status  *probe.Status
		want    string
		unknown bool
	}{
		{"the API not heard from", []probe.Target{probe.TargetAPI, probe.TargetAPIKey}, probetest.Official(nil),
			"Checking… the Claude API has not answered yet; claude.ai answers, and Anthropic reports no problem.", true},
		{"claude.ai not heard from", []probe.Target{probe.TargetClaudeAI}, probetest.Official(nil),
			"Checking… claude.ai has not answered yet; the Claude API answers, and Anthropic reports no problem.", true},
		{"neither, the page unread", []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI}, nil,
			"Checking…", true},
		{"both heard from", nil, probetest.Official(nil), "All clear: our probes succeed", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := probetest.Healthy()
			for _, d := range tc.drop {
				delete(rec, d)
			}
			v := Judge(Input{Recent: rec, Status: tc.status, Now: probetest.Now})
			if !strings.HasPrefix(v.Headline, tc.want) {
				t.Errorf("headline %q, want it to start %q", v.Headline, tc.want)
			}
			if (v.Kind == probe.VerdictUnknown) != tc.unknown {
				t.Errorf("kind %s", v.Kind)
			}
		})
	}
	// A failure seen is said whatever is still unheard.
	rec := probetest.Healthy()
	delete(rec, probe.TargetClaudeAI)
	rec[probe.TargetAPI] = probetest.Series(probe.TargetAPI, probetest.Repeat(probe.ClassOverloaded, 5)...)
	if v := Judge(Input{Recent: rec, Status: probetest.Official(nil), Now: probetest.Now}); v.Kind != probe.VerdictUnacknowledged {
		t.Errorf("a failing API with claude.ai unheard: %s %q", v.Kind, v.Headline)
	}
}
