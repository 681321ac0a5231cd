package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// liveRejectedLogin is the local report of a machine whose Claude Code
// login the usage call (--code-usage) just had refused, as the local
// checks write it.
func liveRejectedLogin(at time.Time) *probe.LocalReport {
	l := local("none", "")
	l.Checks = nil
	l.Credentials = []probe.CredentialInfo{{Source: "Claude Code login", Kind: "OAuth token (max)", Masked: "sk-ant-oat01-…", Header: "Authorization: Bearer"}}
	l.CodeUsage = &probe.CodeUsage{Time: at, Rejected: true, HTTPStatus: 401, Message: "OAuth token has expired."}
	l.Checks = []probe.LocalCheck{
		{ID: probe.CheckCredential, Name: "Credential in effect", Level: probe.LocalFail, Class: probe.ClassAuth, Cause: probe.CauseRejected,
			Text: "Claude Code uses Claude Code login: OAuth token (max) sk-ant-oat01-… (Authorization: Bearer) — Claude Code's login is rejected by Anthropic (401): run /login (usage call at 14:01:48 UTC)"},
		{ID: probe.CheckCodeLogin, Name: "Claude Code login", Level: probe.LocalFail, Class: probe.ClassAuth, Cause: probe.CauseRejected,
			Text: "Claude Code's login is rejected by Anthropic (401): run /login (its usage call at 14:01:48 UTC; the credentials file holds the token valid for 59 min more)"},
	}
	return l
}

// TestLiveLoginRefusalLeadsSessions (cold2 C20): Claude Code's login
// refused by the usage call now is what every call of Claude Code meets;
// the sessions' 529s of the minutes before may be over. The refusal leads
// the verdict and the Claude Code service, with its age and what to do,
// and the sessions' failure is said beside it — never "not yet
// acknowledged" over a login Anthropic refuses.
func TestLiveLoginRefusalLeadsSessions(t *testing.T) {
	in := input(row{"operational", "ok", "ok", "none", "ok", 0, "", nil})
	in.Local = liveRejectedLogin(now.Add(-12 * time.Second))
	in.Recent[probe.TargetSessions] = sessionCalls("529")
	v := Judge(in)
	if v.Kind != probe.VerdictLocalCredential {
		t.Errorf("verdict %s, want local_credential\nheadline %q", v.Kind.Key(), v.Headline)
	}
	for _, want := range []string{"Claude Code's login is rejected by Anthropic (401", "12 s ago", "/login"} {
		if !strings.Contains(v.Headline, want) {
			t.Errorf("headline %q\nwant it to say %q", v.Headline, want)
		}
	}
	if strings.Contains(v.Headline, "not yet acknowledged") || strings.Contains(v.Headline, "Anthropic problem") {
		t.Errorf("headline blames Anthropic over the refused login: %q", v.Headline)
	}
	if all := strings.Join(v.Facts, "\n"); !strings.Contains(all, "your Claude Code sessions") || !strings.Contains(all, "529") {
		t.Errorf("facts do not say the sessions' 529s beside it:\n%s", all)
	}
	for _, sv := range v.Services {
		if sv.Service.Key == "claude_code" && sv.Kind != probe.VerdictLocalCredential {
			t.Errorf("Claude Code service %s, want local_credential", sv.Kind.Key())
		}
	}

	// A live failure of our own probes still leads: the API answering 529
	// now is no earlier session call.
	in = input(row{"operational", "529", "ok", "none", "ok", 0, "", nil})
	in.Local = liveRejectedLogin(now.Add(-12 * time.Second))
	in.Recent[probe.TargetSessions] = sessionCalls("529")
	if v := Judge(in); v.Kind != probe.VerdictUnacknowledged {
		t.Errorf("API 529 live: verdict %s %q, want not yet acknowledged", v.Kind.Key(), v.Headline)
	}
}

// TestLiveLoginRefusalHeadline: the headline says the refusal's age.
func TestLiveLoginRefusalHeadline(t *testing.T) {
	in := input(row{"operational", "ok", "ok", "none", "ok", 0, "", nil})
	in.Local = liveRejectedLogin(now.Add(-12 * time.Second))
	v := Judge(in)
	want := "Your credential: Claude Code's login is rejected by Anthropic (401 to its usage call at 14:01 UTC, 12 s ago) — run /login in Claude Code."
	if v.Kind != probe.VerdictLocalCredential || v.Headline != want {
		t.Errorf("verdict %s %q\nwant %q", v.Kind.Key(), v.Headline, want)
	}
}
