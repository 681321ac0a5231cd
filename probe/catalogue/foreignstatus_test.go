package catalogue

import "testing"

// TestALooseWordYieldsToTheStatusInAForeignBody: a rate-limit word inside
// an error type Anthropic never sends, answered with a 500, is the
// service that sent it failing — a new-api relay's own "rate_limit_check_failed"
// (anthropics/claude-code#53905) — not "your organisation is over its
// rate limit" (issue 19: never a false "your fault"). The same word with
// its own status, or in Anthropic's format, still decides.
func TestALooseWordYieldsToTheStatusInAForeignBody(t *testing.T) {
	for _, tc := range []struct {
		text string
		want EntryID
	}{
		{`API Error: 500 {"error":{"code":"","message":"rate_limit_check_failed (request id: 202604260831354254128128268d9d641UJyrko)","type":"new_api_error"}}`, EntryGateway},
		// With its 429, a limit it is — but the relay's words say not whose.
		{`API Error: 429 {"error":{"code":"","message":"rate limit exceeded","type":"new_api_error"}}`, EntryRateLimitUnsaid},
		{`{"error":{"type":"server_error","message":"Overloaded"}}`, EntryOverloaded},
		{`API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}`, EntryServerError},
	} {
		m, ok := Find(Read(tc.text))
		if !ok || m.Entry.ID != tc.want {
			t.Errorf("%q: %v %s (on %q), want %s", tc.text, ok, m.Entry.ID, m.Matched, tc.want)
		}
	}
}
