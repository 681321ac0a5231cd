package catalogue

import "testing"

// TestRequestRejectedReadsTheMessageAfterIt: Claude Code writes every
// refused request as "API Error: Request rejected (429) · <the upstream's
// message>". The words before the dot say only that a 429 came back; the
// message after it says whose limit: the bare "Rate limited" names none,
// so it is the server limiting requests (as the same message in a JSON
// body is), not "your organisation is over its rate limit" (issue 19, a
// false "your fault"); a message that names the limit keeps its entry.
func TestRequestRejectedReadsTheMessageAfterIt(t *testing.T) {
	for _, tc := range []struct {
		text string
		want EntryID
	}{
		{"API Error: Request rejected (429) · Rate limited", EntryThrottled},
		{"API Error: Request rejected (429) · Rate limited. Please try again later.", EntryThrottled},
		{`API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"}}`, EntryThrottled},
		{"API Error: Request rejected (429) · This request would exceed your organization's rate limit of 50,000 input tokens per minute", EntryRateLimited},
		{"API Error: Request rejected (429) · You've hit your limit · resets 3:50pm (Asia/Shanghai)", EntryUsageLimit},
		{"API Error: Request rejected (429)", EntryRateLimited},
	} {
		m, ok := Find(Read(tc.text))
		if !ok || m.Entry.ID != tc.want {
			t.Errorf("%q: %v %s (on %q), want %s", tc.text, ok, m.Entry.ID, m.Matched, tc.want)
		}
	}
}
