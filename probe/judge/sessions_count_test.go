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

// TestSessionsRefusalNamesTheCredential: a session's 401 is the login's
// only when its words or Local checks say the login is what was sent —
// with ANTHROPIC_API_KEY in effect, "run /login" fixes nothing.
func TestSessionsRefusalNamesTheCredential(t *testing.T) {
	login := []probe.CredentialInfo{{Source: "Claude Code login", Kind: "OAuth token", Masked: "sk-ant-oat01-…", Header: "Authorization: Bearer"}}
	key := []probe.CredentialInfo{{Source: "ANTHROPIC_API_KEY", Kind: "API key", Masked: "sk-ant-api03-…Xy7A", Header: "x-api-key", Probed: true},
		{Source: "Claude Code login", Kind: "OAuth token", Masked: "sk-ant-oat01-…", Header: "Authorization: Bearer"}}
	call := func(msg string) []probe.Result {
		return []probe.Result{{Target: probe.TargetSessions, Time: now.Add(-10 * time.Second), Class: probe.ClassAuth, HTTPStatus: 401,
			ErrorType: "authentication_error", Message: msg, Detail: "claude-code 2.1.44 · claude-opus-4-6 · session 1a2b3c4d"}}
	}
	for _, tt := range []struct {
		name  string
		creds []probe.CredentialInfo
		msg   string
		says  string
		never []string
	}{
		{"login, OAuth expired", login, "OAuth token has expired.", "Your credential: Claude Code's login is refused (401 authentication_error \"OAuth token has expired.\") while the API answers — run /login in Claude Code.", nil},
		{"login, invalid key words", login, "Invalid API key · Please run /login", "— run /login in Claude Code.", nil},
		{"key, OAuth expired", key, "OAuth token has expired.", "so those sessions ran on your Claude login, not on the ANTHROPIC_API_KEY Claude Code would use here now; run /login in Claude Code where they ran.", nil},
		{"key, invalid x-api-key", key, "invalid x-api-key", "Your credential: your Claude Code sessions' key is refused (401 authentication_error \"invalid x-api-key\") while the API answers — Claude Code sends ANTHROPIC_API_KEY here", []string{"/login"}},
		{"key, words name nothing", key, "Unauthorized request", "Likely your credential: your Claude Code sessions are refused", []string{"/login"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := input(row{"operational", "ok", "ok", "good", "ok", probe.VerdictLocalCredential, "", nil})
			in.Local.Credentials = tt.creds
			in.Recent[probe.TargetSessions] = recordedCalls(t, call(tt.msg))
			v := Judge(in)
			if v.Kind != probe.VerdictLocalCredential || !strings.Contains(v.Headline, tt.says) {
				t.Errorf("verdict %s, headline %s\nwant it to say %s", v.Kind.Key(), v.Headline, tt.says)
			}
			for _, n := range tt.never {
				if strings.Contains(v.Headline, n) {
					t.Errorf("headline says %q: %s", n, v.Headline)
				}
			}
		})
	}
}
