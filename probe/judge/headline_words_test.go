package judge

import (
	"slices"
	"strings"
	"testing"

	"downforai/probe"
)

// TestRoomWords: what the key's rate-limit headers said, in the headline of
// a 429 with room left — the requests limit, else the tokens limit, else
// that no header named one (never "0 of 0 left").
func TestRoomWords(t *testing.T) {
	for _, tt := range []struct {
		rl   probe.RateLimit
		want string
	}{
		{probe.RateLimit{RequestsLimit: 50, RequestsRemaining: 49, TokensLimit: 40000, TokensRemaining: 100}, "your key's limits show room (requests 49 of 50 left)"},
		{probe.RateLimit{TokensLimit: 40000, TokensRemaining: 39000}, "your key's limits show room (tokens 39000 of 40000 left)"},
		{probe.RateLimit{}, "no rate-limit header names your key's limit"},
	} {
		if got := roomWords(tt.rl); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.rl, got, tt.want)
		}
	}
}

// TestRejectionNotesKeyFormat: beside a rejected key, a key-format warning
// is said as a note ("key format: …"); a well-formed key gets none.
func TestRejectionNotesKeyFormat(t *testing.T) {
	const odd = "ANTHROPIC_API_KEY is 106 characters long, an API key has 108: truncated? (the API accepts it)"
	for _, level := range []probe.LocalLevel{probe.LocalOK, probe.LocalWarn, probe.LocalFail} {
		in := input(row{"operational", "401", "ok", "bad", "ok", 0, "", nil})
		for i, c := range in.Local.Checks {
			if c.ID == probe.CheckKeyFormat {
				in.Local.Checks[i].Level, in.Local.Checks[i].Text = level, odd
			}
		}
		v := Judge(in)
		if v.Kind != probe.VerdictLocalCredential {
			t.Fatalf("level %v: verdict %s, want a rejected credential", level, v.Kind.Key())
		}
		noted := strings.Contains(strings.Join(v.Facts, "\n"), "key format: "+odd)
		if noted != (level != probe.LocalOK) {
			t.Errorf("key format %v: noted %v; facts:\n%s", level, noted, strings.Join(v.Facts, "\n"))
		}
	}
	// A 429 or a credit refusal read the key: its length is no evidence
	// there (cold M5: "key format: … truncated?" under the quota verdict).
	for _, api := range []string{"429", "credit"} {
		in := input(row{"operational", api, "ok", "good", "ok", 0, "", nil})
		for i, c := range in.Local.Checks {
			if c.ID == probe.CheckKeyFormat {
				in.Local.Checks[i].Level, in.Local.Checks[i].Text = probe.LocalWarn, odd
			}
		}
		v := Judge(in)
		if v.Kind != probe.VerdictLocalQuota {
			t.Fatalf("%s: verdict %s, want your quota", api, v.Kind.Key())
		}
		if f := strings.Join(v.Facts, "\n"); strings.Contains(f, "key format") {
			t.Errorf("%s: the key's format is noted beside an answer that read the key:\n%s", api, f)
		}
	}
}

// TestWhileOthersAnswer: the headline of a failure of ours names the hosts
// that still answer, with the verb agreeing — "while the status page
// answers", "while Claude (claude.ai) and the status page answer".
func TestWhileOthersAnswer(t *testing.T) {
	for _, tt := range []struct {
		claude, want string
	}{
		{"ok", "while Claude (claude.ai) and the status page answer"},
		{"unreachable", "while the status page answers"},
	} {
		v := Judge(input(row{"operational", "refused", tt.claude, "good", "ok", 0, "", nil}))
		if !strings.Contains(v.Headline, tt.want) {
			t.Errorf("claude.ai %s: %q, want it to say %q", tt.claude, v.Headline, tt.want)
		}
	}
}

// TestProxyOnThePathNamesTheURLSet (cold walk of Dec 7): a 407 from a
// proxy our requests were not sent to, under --api-url, said "or
// ANTHROPIC_BASE_URL pointing at one", a setting nobody had set. The other
// place it may sit is the URL set, named as set; under Anthropic's own
// URL there is none to name.
func TestProxyOnThePathNamesTheURLSet(t *testing.T) {
	in := input(row{page: "operational", api: "proxy407", claude: "ok", cred: "good", net: "direct"})
	if v := Judge(in); strings.Contains(v.Headline, "pointing at one") {
		t.Errorf("under Anthropic's URL: %q", v.Headline)
	}
	l := *in.Local
	l.APIURL, l.APIURLFrom = "http://127.0.0.1:19900", "--api-url"
	in.Local = &l
	v := Judge(in)
	if want := "a transparent or corporate proxy on the path, or --api-url (http://127.0.0.1:19900) pointing at one;"; !strings.Contains(v.Headline, want) {
		t.Errorf("under --api-url: %q\nwant it to say %q", v.Headline, want)
	}
}

// TestCredentialFactSaysWhetherClaudeCodeSendsIt (cold walk of Dec 7): the
// refused credential's fact said "(the one Claude Code sends)" on a
// machine without Claude Code.
func TestCredentialFactSaysWhetherClaudeCodeSendsIt(t *testing.T) {
	in := input(row{page: "operational", api: "401", claude: "ok", cred: "bad", net: "ok"})
	fact := func(v probe.Verdict) string {
		for _, f := range v.Facts {
			if strings.HasPrefix(f, "credential: ") {
				return f
			}
		}
		return ""
	}
	if f := fact(Judge(in)); !strings.HasSuffix(f, "(the one Claude Code sends)") {
		t.Errorf("with Claude Code: %q", f)
	}
	l := *in.Local
	l.Checks = slices.DeleteFunc(slices.Clone(l.Checks), func(c probe.LocalCheck) bool { return c.ID == "code_auth" })
	l.Checks = append(l.Checks, probe.LocalCheck{ID: "code_auth", Level: probe.LocalInfo, Cause: probe.CauseNotInstalled, Text: "Claude Code is not installed here"})
	in.Local = &l
	if f := fact(Judge(in)); !strings.HasSuffix(f, "(the one Claude Code would send)") {
		t.Errorf("without Claude Code: %q", f)
	}
}
