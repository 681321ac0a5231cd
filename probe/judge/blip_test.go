package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestOneFailureIsNotOurProbesSucceed: the newest probe failing once after
// successes does not change the verdict yet (two in a row do), but the
// headline never says "our probes succeed" beside it.
func TestOneFailureIsNotOurProbesSucceed(t *testing.T) {
	for _, tc := range []struct {
		page, api, says string
	}{
		{"operational", "529", "All clear so far: the newest Claude API probe failed (529 overloaded) after successes — a second failure in a row changes the verdict; Anthropic reports no problem."},
		{"operational", "timeout", "the newest Claude API probe failed (timed out after 2s, after connecting)"},
		{"unreadable_html", "500", "All clear so far: the newest Claude API probe failed (500 server error) after successes — a second failure in a row changes the verdict; the status page could not be read since"},
	} {
		t.Run(tc.page+"/"+tc.api, func(t *testing.T) {
			in := input(row{tc.page, "ok", "ok", "none", "ok", 0, "", nil})
			bad, _ := apiResults(tc.api, false)
			bad.Time = now.Add(-time.Second)
			in.Recent[probe.TargetAPI] = append(in.Recent[probe.TargetAPI], bad)
			v := Judge(in)
			if v.Kind != probe.VerdictOperational {
				t.Errorf("verdict %s after one failure, want operational until a second", v.Kind.Key())
			}
			if !strings.Contains(v.Headline, tc.says) || strings.Contains(v.Headline, "our probes succeed") {
				t.Errorf("headline %q\nwant %q", v.Headline, tc.says)
			}
		})
	}
}
