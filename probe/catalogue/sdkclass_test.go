package catalogue

import (
	"strings"
	"testing"
)

// TestSDKClassIsItsStatus: Anthropic's SDKs name an API error by its
// status ("anthropic.AuthenticationError" is a 401), and a paste that
// names only the class is read as that status, said as read from the
// class; another library's class of the same name is not Anthropic's SDK.
func TestSDKClassIsItsStatus(t *testing.T) {
	for _, c := range []struct {
		text   string
		status int
		want   EntryID // "" for no match
		says   string
	}{
		{`I keep getting the "anthropic.AuthenticationError"`, 401, EntryInvalidKey, "anthropic.AuthenticationError (the SDK's error for HTTP 401)"},
		{`anthropic.PermissionDeniedError raised from messages.create`, 403, "", ""},
		{`Unhandled: InternalServerError`, 500, "", ""},
		// A status written beats the class's.
		{`anthropic.APIStatusError: Error code: 529 - overloaded_error`, 529, EntryOverloaded, ""},
		{`litellm.AuthenticationError: boom`, 0, "", ""},
	} {
		p := Read(c.text)
		if p.Status() != c.status {
			t.Errorf("%q: HTTP %d, want %d", c.text, p.Status(), c.status)
		}
		if c.want == "" {
			continue
		}
		m, ok := Find(p)
		if !ok || m.Entry.ID != c.want || !strings.Contains(m.Matched, c.says) {
			t.Errorf("%q: %v %s matched %q, want %s saying %q", c.text, ok, m.Entry.ID, m.Matched, c.want, c.says)
		}
	}
}

// TestSpendLimitIsTheConsoles: the API's refusal past an organisation's
// or workspace's spend limit is a 400 invalid_request_error; its words,
// not its type, say it is a limit of the user's own setting, apart from
// a credit balance and from a subscription's usage limit.
func TestSpendLimitIsTheConsoles(t *testing.T) {
	for text, want := range map[string]EntryID{
		`API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"You have reached your specified workspace API usage limits. You will regain access on 2025-06-01 at 00:00 UTC."}}`: EntrySpendLimit,
		`You have reached your specified API usage limits.`:                          EntrySpendLimit,
		`You've hit your monthly spend limit · raise it at claude.ai/settings/usage`: EntryUsageLimit,
		`Your credit balance is too low to access the Anthropic API.`:                EntryCredit,
	} {
		m, ok := Find(Read(text))
		if !ok || m.Entry.ID != want {
			t.Errorf("%q: %v %s, want %s", text, ok, m.Entry.ID, want)
		}
	}
}
