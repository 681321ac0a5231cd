package catalogue

import (
	"strings"
	"testing"
)

// TestALimitThatSaysNotWhose: words that name a rate limit and not whose
// — Claude Code's "API Error: Rate limit reached", which Max and Pro
// logins well inside their windows got on every message
// (anthropics/claude-code#30723, #34413, #38246) — are no "your
// organisation is over its limit", no "your plan's limit" and no
// Anthropic's overload: the entry says whose is not known and how to
// tell, as the bare "Request rejected (429) · Rate limited" entry does.
// Words that name the limit keep their entry.
func TestALimitThatSaysNotWhose(t *testing.T) {
	for _, tc := range []struct {
		text string
		want EntryID
	}{
		{"API Error: Rate limit reached", EntryRateLimitUnsaid},
		{"> ci sei?\n  ⎿  API Error: Rate limit reached", EntryRateLimitUnsaid},
		{"❯ logout ⎿  API Error: Rate limit reached", EntryRateLimitUnsaid},
		{"HTTP/1.1 429 Too Many Requests", EntryRateLimitUnsaid},
		{"API Error: Request rejected (429) · Rate limited", EntryThrottled},
		{"API Error: Request rejected (429) · This request would exceed your organization's rate limit of 50,000 input tokens per minute", EntryRateLimited},
		{`API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed your account's rate limit. Please try again later."}}`, EntryRateLimited},
		{"You've hit your session limit · resets 12:50am (America/Los_Angeles)", EntryUsageLimit},
	} {
		m, ok := Find(Read(tc.text))
		if !ok || m.Entry.ID != tc.want {
			t.Errorf("%q: %v %s (on %q), want %s", tc.text, ok, m.Entry.ID, m.Matched, tc.want)
		}
	}
	// Both entries of a 429 that says not whose say how to tell, alike.
	for _, id := range []EntryID{EntryRateLimitUnsaid, EntryThrottled} {
		e, _ := ByID(id)
		if e.Side == SideYours || !strings.HasSuffix(e.What, WhoseLimitTells) {
			t.Errorf("%s: side %s, What %q: want no side of yours, ending in how to tell", id, e.Side, e.What)
		}
		for _, claim := range []string{"Your organisation is over", "is used up", "overloaded"} {
			if strings.Contains(e.What, claim) {
				t.Errorf("%s: What claims %q: %s", id, claim, e.What)
			}
		}
	}
}
