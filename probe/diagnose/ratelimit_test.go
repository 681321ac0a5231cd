package diagnose

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// TestA429IsJudgedOnePrinciple: the verdict and Troubleshooting's matching
// problem read a 429 on the key alike. A bare "Rate limited" while the
// key's rate-limit headers show room is likely Anthropic limiting
// requests (said as likely, on both); the same words with the key's
// requests used up is your rate limit, and never "not your limit". Before,
// the verdict said "Your quota or billing: Anthropic is limiting requests
// (429, not your limit) on ANTHROPIC_API_KEY" — both at once.
func TestA429IsJudgedOnePrinciple(t *testing.T) {
	bare := func(remaining int64) probe.Result {
		return probe.Result{Class: probe.ClassRateLimited, HTTPStatus: 429, ErrorType: "rate_limit_error",
			Message:   "429 rate_limit_error: Rate limited (retry after 5s)",
			RateLimit: probe.RateLimit{RequestsLimit: 50, RequestsRemaining: remaining, TokensLimit: 40000, TokensRemaining: 40000, RetryAfter: 5e9}}
	}
	for _, tc := range []struct {
		name      string
		r         probe.Result
		kind      probe.VerdictKind
		says      string
		side      catalogue.Side
		neverSays string
	}{
		{"room left", bare(49), probe.VerdictDegraded, "likely Anthropic limiting requests", catalogue.SideAnthropic, "Your quota"},
		{"used up", bare(0), probe.VerdictLocalQuota, "Your quota or billing", catalogue.SideYours, "not your limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recent := probetest.Healthy()
			key := probetest.Series(probe.TargetAPIKey, probe.ClassOK, probe.ClassOK, probe.ClassRateLimited, probe.ClassRateLimited)
			for i := 2; i < len(key); i++ {
				r := tc.r
				r.Target, r.Time = probe.TargetAPIKey, key[i].Time
				key[i] = r
			}
			recent[probe.TargetAPIKey] = key
			ev := Evidence{Now: probetest.Now, Status: probetest.Official(nil), Recent: recent}
			v := ev.Verdict()
			if v.Kind != tc.kind || !strings.Contains(v.Headline, tc.says) || strings.Contains(v.Headline, tc.neverSays) {
				t.Errorf("verdict %s %q; want %s saying %q, never %q", v.Kind, v.Headline, tc.kind, tc.says, tc.neverSays)
			}
			for _, f := range v.Facts {
				if strings.Contains(f, `(retry after`) {
					t.Errorf("a quote with our note in it: %s", f)
				}
			}
			fs := Findings(ev)
			if len(fs) == 0 {
				t.Fatalf("no finding for %s", v.Headline)
			}
			if fs[0].Entry.Side != tc.side {
				t.Errorf("matching problem %s (%s), the verdict %s", fs[0].Entry.ID, fs[0].Entry.Side, v.Kind)
			}
		})
	}
}
