package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestSessionsHeadlineCountsTheClassItNames: the count in "get 529
// overloaded (N in the last 15 min …)" is of 529s, never of every
// failure — three 401s then two 529s read "5" — and the other kinds are
// said beside it, with their own counts.
func TestSessionsHeadlineCountsTheClassItNames(t *testing.T) {
	call := func(ago time.Duration, c probe.Class, status int, typ, msg string) probe.Result {
		return probe.Result{Target: probe.TargetSessions, Time: now.Add(-ago), Class: c, HTTPStatus: status, ErrorType: typ, Message: msg,
			Detail: "claude-code 2.1.44 · claude-opus-4-6 · session 1a2b3c4d"}
	}
	s401 := func(ago time.Duration) probe.Result {
		return call(ago, probe.ClassAuth, 401, "authentication_error", "OAuth token has expired.")
	}
	s529 := func(ago time.Duration) probe.Result {
		return call(ago, probe.ClassOverloaded, 529, "overloaded_error", "Overloaded")
	}
	s500 := func(ago time.Duration) probe.Result {
		return call(ago, probe.ClassServer, 500, "api_error", "Internal server error")
	}
	for _, tt := range []struct {
		name  string
		calls []probe.Result
		want  string
		not   []string
	}{
		{"three 401s then two 529s", []probe.Result{s401(5 * time.Minute), s401(4 * time.Minute), s401(3 * time.Minute), s529(40 * time.Second), s529(20 * time.Second)},
			"get 529 overloaded (2 in the last 15 min, the last at 14:01:40 UTC, 20 s ago; also 401 ×3)", []string{"(5 in the last"}},
		{"529s alone", []probe.Result{s529(50 * time.Second), s529(30 * time.Second), s529(10 * time.Second)},
			"get 529 overloaded (3 in the last 15 min, the last at 14:01:50 UTC, 10 s ago)", []string{"also"}},
		{"500s and 529s, the 529 newest", []probe.Result{s500(60 * time.Second), s500(50 * time.Second), s529(40 * time.Second), s500(30 * time.Second), s529(20 * time.Second)},
			"(2 in the last 15 min, the last at 14:01:40 UTC, 20 s ago; also 500 ×3)", []string{"(5 in the last"}},
		{"a 500 newest after 529s", []probe.Result{s529(60 * time.Second), s529(50 * time.Second), s500(20 * time.Second)},
			"(1 in the last 15 min, the last at 14:01:40 UTC, 20 s ago; also 529 overloaded ×2)", []string{"(3 in the last"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := input(row{"operational", "ok", "ok", "good", "ok", probe.VerdictOperational, "", nil})
			in.Recent[probe.TargetSessions] = recordedCalls(t, tt.calls)
			v := Judge(in)
			if !strings.Contains(v.Headline, tt.want) {
				t.Errorf("headline %q\nwant it to say %q", v.Headline, tt.want)
			}
			for _, bad := range tt.not {
				if strings.Contains(v.Headline, bad) {
					t.Errorf("headline %q says %q", v.Headline, bad)
				}
			}
		})
	}
}

// TestHeadlineQuotesAsAPersonWould: the API's message in a headline is
// between quotation marks as written — its own quotes are not \" and a
// newline is not \n.
func TestHeadlineQuotesAsAPersonWould(t *testing.T) {
	in := input(row{"operational", "ok", "ok", "good", "ok", probe.VerdictOperational, "", nil})
	in.Recent[probe.TargetSessions] = recordedCalls(t, []probe.Result{{Target: probe.TargetSessions, Time: now.Add(-10 * time.Second),
		Class: probe.ClassRateLimited, HTTPStatus: 429, ErrorType: "rate_limit_error",
		Message: "This request would exceed the rate limit for \"claude-opus-4-6\".\nPlease try again later.",
		Detail:  "claude-code 2.1.44 · claude-opus-4-6 · session 1a2b3c4d"}})
	v := Judge(in)
	want := `(429 rate_limit_error "This request would exceed the rate limit for "claude-opus-4-6". Please try again later.")`
	if !strings.Contains(v.Headline, want) {
		t.Errorf("headline %s\nwant it to say %s", v.Headline, want)
	}
	for _, s := range append([]string{v.Headline}, v.Facts...) {
		if strings.Contains(s, `\"`) || strings.Contains(s, `\n`) {
			t.Errorf("a Go escape on screen: %s", s)
		}
	}
}
