package catalogue

import (
	"testing"

	"downforai/probe"
)

// TestKeyless429IsNoRateLimitOfYours: a 429 to a request that carried no
// credential (claude.ai, the API without a key, the status page) counted
// no key's limit: the host limits this address, as the judge says it,
// never "Rate limited" (your organisation's limit) — whatever its words.
// With the key, the key's headers still decide (tests3's finding).
func TestKeyless429IsNoRateLimitOfYours(t *testing.T) {
	org := "429 rate_limit_error: This request would exceed the rate limit for your organization"
	for _, tc := range []struct {
		name string
		r    probe.Result
		want EntryID
	}{
		{"claude.ai", probe.Result{Target: probe.TargetClaudeAI, Class: probe.ClassRateLimited, HTTPStatus: 429, ErrorType: "rate_limited",
			Message: "claude.ai answered 429 Too Many Requests"}, EntryThrottled},
		{"the API without a key", probe.Result{Target: probe.TargetAPI, Class: probe.ClassRateLimited, HTTPStatus: 429, ErrorType: "rate_limit_error",
			Message: org}, EntryThrottled},
		{"the status page", probe.Result{Target: probe.TargetStatus, Class: probe.ClassRateLimited, HTTPStatus: 429,
			Message: "429 Too Many Requests"}, EntryThrottled},
		{"the key, its words", probe.Result{Target: probe.TargetAPIKey, Class: probe.ClassRateLimited, HTTPStatus: 429, ErrorType: "rate_limit_error",
			Message: org}, EntryRateLimited},
		{"the key, used up", probe.Result{Target: probe.TargetAPIKey, Class: probe.ClassRateLimited, HTTPStatus: 429, ErrorType: "rate_limit_error",
			Message: "429 rate_limit_error: Rate limited", RateLimit: probe.RateLimit{RequestsLimit: 50, TokensLimit: 100, TokensRemaining: 100}}, EntryRateLimited},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, ok := MatchResult(tc.r)
			if !ok || e.ID != tc.want {
				t.Errorf("MatchResult = %s (%v), want %s", e.ID, ok, tc.want)
			}
			if tc.want == EntryThrottled && e.Side == SideYours {
				t.Errorf("a keyless 429 is on your side")
			}
		})
	}
}
