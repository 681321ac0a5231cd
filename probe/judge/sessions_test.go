package judge

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/store"
)

// sessionRow is a row of the decision table with Claude Code's own
// sessions as a sixth input (README's second table; TestREADMEListsTheTable
// holds them together).
type sessionRow struct {
	row
	sessions string
}

var sessionsTable = []sessionRow{
	// Anthropic's side, seen by the sessions.
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictUnacknowledged, "not yet acknowledged: your Claude Code sessions get 529 overloaded (3 in the last 15 min, the last at 14:01:50 UTC, 10 s ago) while our API probe answers", []string{"All clear", "Your"}}, "529"},
	{row{"operational", "529", "ok", "good", "ok", probe.VerdictUnacknowledged, "not yet acknowledged: Claude API, Claude Code failing from here (529 overloaded)", []string{"All clear", "plan"}}, "529"},
	{row{"major", "529", "ok", "good", "ok", probe.VerdictOutage, "acknowledged on the status page (Elevated errors for multiple models)", []string{"not yet"}}, "529"},
	{row{"major", "ok", "ok", "good", "ok", probe.VerdictOutage, "Anthropic outage: your Claude Code sessions get 529 overloaded", []string{"not yet", "Conflicting"}}, "529"},
	{row{"unreadable_html", "ok", "ok", "good", "ok", probe.VerdictFailing, "your Claude Code sessions get 529 overloaded (3 in the last 15 min, the last at 14:01:50 UTC, 10 s ago) while our API probe answers; the status page could not be read since", []string{"not yet acknowledged", "Anthropic reports"}}, "529"},
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictDegraded, "Likely brief: one Claude Code call failed (429 rate limited)", []string{"plan", "Your", "not yet acknowledged"}}, "throttled"},
	{row{"maintenance", "ok", "ok", "good", "ok", probe.VerdictMaintenance, "Maintenance: your Claude Code sessions get 529 overloaded", []string{"outage"}}, "529"},
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictDegraded, "Unstable: 6 of your Claude Code sessions' last 12 calls failed (529 overloaded) while our API probe answers", nil}, "flap"},

	// Our API probe goes to --api-url, Claude Code to api.anthropic.com:
	// what the probe sees says nothing of the sessions' calls, so it is
	// never "while our API probe answers" beside them (issue 19).
	{row{"operational", "ok", "ok", "good", "api_url_flag", probe.VerdictUnacknowledged, "your Claude Code sessions get 529 overloaded (3 in the last 15 min, the last at 14:01:50 UTC, 10 s ago); our API probe goes to --api-url (http://127.0.0.1:4000), not where Claude Code calls (api.anthropic.com), so it does not compare", []string{"while our API probe answers", "lists models without asking one"}}, "529"},
	{row{"operational", "ok", "ok", "good", "api_url_flag", probe.VerdictDegraded, "Likely brief: one Claude Code call failed (429 rate limited)", []string{"while our probes succeed", "not yet acknowledged"}}, "throttled"},
	{row{"operational", "ok", "ok", "good", "api_url_flag", probe.VerdictLocalQuota, "Your plan's limit: your Claude Code sessions hit the usage limit", []string{"while the API answers", "not an outage"}}, "429_limit"},

	// Your plan, your login: the sessions refused while the API answers.
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictLocalQuota, "Your plan's limit: your Claude Code sessions hit the usage limit (429 \"You've hit your session limit · resets 12:50am (America/Los_Angeles)\") while the API answers, not an outage — a Claude subscription's limit, so those sessions ran on your Claude login, not on the ANTHROPIC_API_KEY Claude Code would use here now", []string{"Anthropic problem", "Likely"}}, "429_limit"},
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictLocalQuota, "Your plan's limit: your Claude Code sessions hit the usage limit", []string{"Anthropic problem", "not an outage"}}, "529_then_limit"},
	// The limit's own words name the user's plan: they beat "the API fails
	// too" (cold4), which is said beside it, as observed.
	{row{"operational", "529", "ok", "good", "ok", probe.VerdictLocalQuota, "Your plan's limit: your Claude Code sessions hit the usage limit (429 \"You've hit your session limit · resets 12:50am (America/Los_Angeles)\") while our API probe fails too", []string{"not an outage", "not yet acknowledged: your", "no fresh answer"}}, "429_limit"},
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictLocalQuota, "Likely your API key's rate limit: your Claude Code sessions are refused (429 rate_limit_error", []string{"Anthropic problem", "plan"}}, "429"},
	// During an acknowledged outage the refusal stays the verdict and the
	// outage is said beside it, as for the key probe (cold F16).
	{row{"major", "ok", "ok", "good", "ok", probe.VerdictLocalQuota, "Also, Anthropic reports Claude API as major outage, Claude (claude.ai) as partial outage, Claude Code as partial outage (incident: Elevated errors for multiple models, identified).", []string{"not an outage"}}, "429_limit"},
	{row{"major", "ok", "ok", "good", "ok", probe.VerdictLocalCredential, "where they ran. Also, Anthropic reports Claude API as major outage", nil}, "401"},
	// cold2 C24: the key refused live while the sessions met 529s: the refusal leads, the outage beside it.
	{row{"major", "401", "ok", "bad", "ok", probe.VerdictLocalCredential, "Your credential: the API rejects ANTHROPIC_API_KEY", []string{"Anthropic outage:"}}, "529"},
	{row{"operational", "401", "ok", "bad", "ok", probe.VerdictLocalCredential, "Your credential: the API rejects ANTHROPIC_API_KEY", []string{"Anthropic outage:", "not yet acknowledged by Anthropic:"}}, "529"},
	// Its twin: a quota refused live leads the sessions' 529s as well.
	{row{"operational", "429", "ok", "good", "ok", probe.VerdictLocalQuota, "Your quota or billing", []string{"Anthropic outage:", "not yet acknowledged by Anthropic:"}}, "529"},
	// cold C18: the calls of the last 15 minutes count, all of them, whatever
	// the probe intervals: fourteen 529 retries 11 to 9 minutes ago, then the
	// usage limit 8 minutes ago (the rows read the sessions from a real
	// database as check does at --interval 5s, a horizon of one minute).
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictLocalQuota, "Your plan's limit: your Claude Code sessions hit the usage limit", []string{"All clear"}}, "limit_8min_ago"},
	{row{"major", "ok", "ok", "good", "ok", probe.VerdictLocalQuota, "while the API answers. Also, Anthropic reports Claude API as major outage", nil}, "credit"},
	{row{"none", "ok", "ok", "good", "ok", probe.VerdictLocalQuota, "hit the usage limit (429 \"You've hit your session limit · resets 12:50am (America/Los_Angeles)\") while the API answers — a Claude subscription's limit", []string{"not an outage"}}, "429_limit"},
	{row{"operational", "429", "ok", "good", "ok", probe.VerdictLocalQuota, "Your quota or billing", []string{"Anthropic problem"}}, "429_limit"},
	// With ANTHROPIC_API_KEY in effect an OAuth token's expiry names the
	// login those sessions ran on, not the key Claude Code sends here.
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictLocalCredential, "Your credential: Claude Code's login is refused (401 authentication_error \"OAuth token has expired.\") while the API answers — an OAuth login's refusal, so those sessions ran on your Claude login", []string{"the API rejects ANTHROPIC_API_KEY"}}, "401"},
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictLocalQuota, "Your quota or billing: your Claude Code sessions are refused", nil}, "credit"},

	// The API's name does not resolve here while claude.ai and the status
	// page answer: that is this machine's resolver, live, and the sessions'
	// 529s before it began do not outrank it (cold10 E3), nor does one call
	// (its retries folded in) since, which our probe cannot compare. Calls
	// failing since it began, two or more, are Anthropic's answer to Claude
	// Code, which reached the API: they lead, the lookup said beside them.
	{row{"operational", "dns_one", "ok", "good", "ok", probe.VerdictLocalNetwork, "Your DNS resolver cannot resolve api.anthropic.com (no such host) while Claude (claude.ai) and the status page answer — likely your resolver or a DNS filter.", []string{"Anthropic problem", "not yet acknowledged", "no fresh answer", "Your network"}}, "one_529"},
	{row{"operational", "dns_one", "ok", "good", "ok", probe.VerdictLocalNetwork, "Your DNS resolver cannot resolve api.anthropic.com (no such host)", []string{"Anthropic problem", "not yet acknowledged", "no fresh answer", "Your network"}}, "529s_before"},
	{row{"operational", "dns_one", "ok", "good", "ok", probe.VerdictLocalNetwork, "Claude Code's own calls reach it: the last at 14:01:40 UTC (20 s ago) succeeded", []string{"Anthropic problem", "not yet acknowledged", "no fresh answer", "Your network"}}, "529_then_ok"},
	{row{"operational", "dns_one", "ok", "good", "ok", probe.VerdictUnacknowledged, "not yet acknowledged: your Claude Code sessions get 529 overloaded (3 in the last 15 min, the last at 14:01:50 UTC, 10 s ago); our API probe cannot reach the API from here to compare (DNS lookup of api.anthropic.com failed: no such host)", []string{"no fresh answer", "while our API probe answers"}}, "529"},
	// No name resolves: the DNS of this machine, not the proxy.
	{row{"operational", "ok", "ok", "none", "dns", probe.VerdictLocalNetwork, "Your network's DNS: no Anthropic name resolves here, nor the status page's (DNS lookup of status.claude.com failed: no such host) — likely your resolver, or no connection to it.", []string{"Anthropic problem", "or proxy"}}, "one_529"},

	// What the sessions say that does not move the verdict.
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictOperational, "All clear", []string{"sessions"}}, "ok"},
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictOperational, "All clear", []string{"529"}}, "old_529"},
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictOperational, "All clear", []string{"Your network"}}, "reset"},
	{row{"operational", "ok", "ok", "good", "ok", probe.VerdictOperational, "All clear", []string{"Anthropic problem"}}, "prompt_too_long"},
	{row{"major", "ok", "ok", "none", "ok", probe.VerdictConflicting, "but our probes succeed", nil}, "ok"},
}

// sessionCalls are the calls Claude Code's sessions made for a state, as
// probe/transcript reads them from the transcripts.
func sessionCalls(state string) []probe.Result {
	call := func(ago time.Duration, c probe.Class, status int, typ, msg, rid string) probe.Result {
		return probe.Result{Target: probe.TargetSessions, Time: now.Add(-ago), Class: c, HTTPStatus: status, ErrorType: typ, Message: msg, RequestID: rid,
			Detail: "claude-code 2.1.44 · claude-opus-4-6 · session 1a2b3c4d"}
	}
	ok := func(ago time.Duration) probe.Result { return call(ago, probe.ClassOK, 0, "", "", "req_011CSok") }
	overloaded := func(ago time.Duration) probe.Result {
		return call(ago, probe.ClassOverloaded, 529, "overloaded_error", "Overloaded", "req_011CXPBk57rUbKp5XVtievhP")
	}
	switch state {
	case "none":
		return nil
	case "ok":
		return []probe.Result{ok(9 * time.Minute), ok(5 * time.Minute), ok(time.Minute)}
	case "529":
		return []probe.Result{ok(9 * time.Minute), overloaded(50 * time.Second), overloaded(30 * time.Second), overloaded(10 * time.Second)}
	case "one_529":
		// cold10 E3: one call, a minute before the API's name stopped
		// resolving here.
		return []probe.Result{ok(9 * time.Minute), overloaded(time.Minute)}
	case "529_then_ok":
		// The 529, then a call that succeeded since.
		return []probe.Result{ok(9 * time.Minute), overloaded(2 * time.Minute), ok(20 * time.Second)}
	case "529s_before":
		// Three calls got 529, all before the API's name stopped
		// resolving here.
		return []probe.Result{ok(9 * time.Minute), overloaded(3 * time.Minute), overloaded(2 * time.Minute), overloaded(time.Minute)}
	case "old_529":
		return []probe.Result{overloaded(50 * time.Minute), overloaded(45 * time.Minute), overloaded(40 * time.Minute)}
	case "flap":
		var rs []probe.Result
		for i := 11; i >= 0; i-- {
			r := ok(time.Duration(i*20+10) * time.Second)
			if i%4 < 2 {
				r = overloaded(time.Duration(i*20+10) * time.Second)
			}
			rs = append(rs, r)
		}
		return rs
	case "limit_8min_ago":
		rs := []probe.Result{ok(12 * time.Minute)}
		for i := range 14 {
			rs = append(rs, overloaded(time.Duration(11*60-i*10)*time.Second))
		}
		return append(rs, call(8*time.Minute, probe.ClassRateLimited, 429, "rate_limit", "You've hit your session limit · resets 12:50am (America/Los_Angeles)", ""))
	case "throttled":
		return []probe.Result{ok(9 * time.Minute), call(20*time.Second, probe.ClassRateLimited, 429, "", "Server is temporarily limiting requests (not your usage limit) · Rate limited", "")}
	case "529_then_limit":
		return []probe.Result{ok(9 * time.Minute), overloaded(50 * time.Second), overloaded(30 * time.Second), overloaded(20 * time.Second),
			call(10*time.Second, probe.ClassRateLimited, 429, "rate_limit", "You've hit your session limit · resets 12:50am (America/Los_Angeles)", "")}
	case "429_limit":
		return []probe.Result{ok(9 * time.Minute), call(10*time.Second, probe.ClassRateLimited, 429, "rate_limit", "You've hit your session limit · resets 12:50am (America/Los_Angeles)", "")}
	case "429":
		return []probe.Result{ok(9 * time.Minute), call(10*time.Second, probe.ClassRateLimited, 429, "rate_limit_error", "This request would exceed your account's rate limit. Please try again later.", "req_011CS429")}
	case "401":
		return []probe.Result{call(10*time.Second, probe.ClassAuth, 401, "authentication_error", "OAuth token has expired.", "req_011CSSdA5fqJCVm1m4XMjNks")}
	case "credit":
		return []probe.Result{call(10*time.Second, probe.ClassBilling, 400, "billing_error", "Credit balance is too low", "")}
	case "reset":
		return []probe.Result{ok(9 * time.Minute), call(30*time.Second, probe.ClassNetwork, 0, probe.NetReset, "ECONNRESET Connection error.", ""), call(10*time.Second, probe.ClassNetwork, 0, probe.NetReset, "ECONNRESET Connection error.", "")}
	case "prompt_too_long":
		return []probe.Result{call(10*time.Second, probe.ClassUnexpected, 400, "invalid_request_error", "Prompt is too long", "")}
	}
	panic("sessions state " + state)
}

func (r sessionRow) String() string { return r.row.String() + " sessions=" + r.sessions }

func TestDecisionTableWithSessions(t *testing.T) {
	for _, r := range sessionsTable {
		t.Run(r.String(), func(t *testing.T) {
			in := input(r.row)
			if rs := sessionCalls(r.sessions); rs != nil {
				in.Recent[probe.TargetSessions] = recordedCalls(t, rs)
			}
			v := Judge(in)
			if v.Kind != r.kind {
				t.Errorf("verdict %s, want %s\nheadline %q\nfacts %q", v.Kind.Key(), r.kind.Key(), v.Headline, v.Facts)
			}
			if !strings.Contains(v.Headline, r.says) {
				t.Errorf("headline %q\nwant it to say %q", v.Headline, r.says)
			}
			all := v.Headline + "\n" + strings.Join(v.Facts, "\n")
			if n := nested(all); n != "" {
				t.Errorf("a parenthesis inside another reads badly: %q in\n%s", n, all)
			}
			for _, n := range r.never {
				if strings.Contains(all, n) {
					t.Errorf("says %q:\n%s", n, all)
				}
			}
			// (When our probes fail too, their facts may fill the three.)
			if v.Kind != probe.VerdictOperational && v.Kind != probe.VerdictConflicting && r.sessions != "flap" && r.api == "ok" &&
				!strings.Contains(all, "your Claude Code sessions: ") && !strings.Contains(v.Headline, "Earlier, your Claude Code sessions got ") && !strings.Contains(v.Headline, "Claude Code failing from here") {
				t.Errorf("no fact says what the sessions met:\n%s", all)
			}
			// Sessions never stand in for our probes' own clock.
			if !v.Checked.IsZero() && v.Checked.After(now.Add(-10*time.Second)) {
				t.Errorf("checked %s: a session call counted as our probe", v.Checked)
			}
		})
	}
}

// recordedCalls are rs as check reads them back from its database at
// --interval 5s: through a real store and ReadRecorded, whose horizon for
// the probes (a minute) is not the sessions' (cold C18).
func recordedCalls(t *testing.T, rs []probe.Result) []probe.Result {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	rec, err := ReadRecorded(st, []probe.Target{probe.TargetSessions}, now, Horizon(5*time.Second, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return rec.Recent[probe.TargetSessions]
}

// TestSessionsAgeOut: a session's failure stops counting SessionsFresh
// after it happened, and the verdict says so by returning to what our
// probes see.
func TestSessionsAgeOut(t *testing.T) {
	in := input(row{"operational", "ok", "ok", "good", "ok", 0, "", nil})
	in.Recent[probe.TargetSessions] = sessionCalls("529")
	if v := Judge(in); v.Kind != probe.VerdictUnacknowledged {
		t.Fatalf("fresh: %s %q", v.Kind.Key(), v.Headline)
	}
	in.Now = now.Add(SessionsFresh + time.Second)
	in.StaleAfter = 0
	if v := Judge(in); v.Kind != probe.VerdictOperational {
		t.Fatalf("after %s: %s %q", SessionsFresh, v.Kind.Key(), v.Headline)
	}
}

// TestSessionsRecover: calls that succeed after the errors end the
// failure, as probes do.
func TestSessionsRecover(t *testing.T) {
	in := input(row{"operational", "ok", "ok", "good", "ok", 0, "", nil})
	rs := sessionCalls("529")
	for _, ago := range []time.Duration{5 * time.Second, 3 * time.Second} {
		rs = append(rs, probe.Result{Target: probe.TargetSessions, Time: now.Add(-ago), Class: probe.ClassOK})
	}
	in.Recent[probe.TargetSessions] = rs
	if v := Judge(in); v.Kind != probe.VerdictOperational {
		t.Fatalf("%s %q %q", v.Kind.Key(), v.Headline, v.Facts)
	}
}

// TestSessionsLimitNamesTheCredential: which credential the sessions
// used decides the words for their 429 (cold F13): with Claude Code's
// login in effect a 429 is likely the plan's limit; with an API key in
// effect it is likely the key's rate limit (a key has no plan); and a
// subscription's own "session limit" words with a key in effect say the
// sessions ran on the login, so the banner and Local checks agree.
func TestSessionsLimitNamesTheCredential(t *testing.T) {
	login := []probe.CredentialInfo{{Source: "Claude Code login", Kind: "OAuth token", Masked: "sk-ant-oat01-…", Header: "Authorization: Bearer"}}
	key := []probe.CredentialInfo{{Source: "ANTHROPIC_API_KEY", Kind: "API key", Masked: "sk-ant-api03-…Xy7A", Header: "x-api-key", Probed: true}}
	for _, tt := range []struct {
		name     string
		creds    []probe.CredentialInfo
		sessions string
		says     string
		never    []string
	}{
		{"login_429", login, "429", "Likely your plan's limit: your Claude Code sessions are refused", []string{"API key"}},
		{"key_429", key, "429", "Likely your API key's rate limit: your Claude Code sessions are refused", []string{"plan"}},
		{"login_limit", login, "429_limit", "Your plan's limit: your Claude Code sessions hit the usage limit", []string{"ran on your Claude login", "API key"}},
		{"key_limit", key, "429_limit", "so those sessions ran on your Claude login, not on the ANTHROPIC_API_KEY Claude Code would use here now", nil},
		{"unknown_429", nil, "429", "Likely your plan's limit", []string{"API key"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := input(row{"operational", "ok", "ok", "good", "ok", probe.VerdictLocalQuota, "", nil})
			in.Local.Credentials = tt.creds
			in.Recent[probe.TargetSessions] = sessionCalls(tt.sessions)
			v := Judge(in)
			if v.Kind != probe.VerdictLocalQuota || !strings.Contains(v.Headline, tt.says) {
				t.Errorf("verdict %s, headline %q\nwant it to say %q", v.Kind.Key(), v.Headline, tt.says)
			}
			for _, n := range tt.never {
				if strings.Contains(v.Headline, n) {
					t.Errorf("headline says %q: %q", n, v.Headline)
				}
			}
		})
	}
}

// TestOwnLimitBeatsTheAPIFailing: a session refused in words that name the
// user's own account (the usage limit, credit, a login refused) leads over
// the API failing from here, which is said beside it; a 429 without such
// words yields to the failure our probes see, and the path from here
// (a proxy answering in the API's place) still leads (cold4).
func TestOwnLimitBeatsTheAPIFailing(t *testing.T) {
	for _, tc := range []struct {
		api, sessions string
		kind          probe.VerdictKind
		says          string
	}{
		{"529", "429_limit", probe.VerdictLocalQuota, "Also failing from here: Claude API (529 overloaded; not yet acknowledged)."},
		{"529", "credit", probe.VerdictLocalQuota, "Your quota or billing: your Claude Code sessions are refused (400 billing_error \"Credit balance is too low\") while our API probe fails too."},
		{"529", "401", probe.VerdictLocalCredential, "Your credential: Claude Code's login is refused (401 authentication_error \"OAuth token has expired.\") while our API probe fails too"},
		{"500", "429_limit", probe.VerdictLocalQuota, "Also failing from here: Claude API (500 server error; not yet acknowledged)."},
		{"529", "429", probe.VerdictUnacknowledged, "not yet acknowledged: Claude API failing from here (529 overloaded)"},
		{"proxy407", "429_limit", probe.VerdictLocalNetwork, "a proxy answered instead of Claude API"},
	} {
		t.Run(tc.api+"/"+tc.sessions, func(t *testing.T) {
			in := input(row{page: "operational", api: tc.api, claude: "ok", cred: "good", net: "ok"})
			in.Recent[probe.TargetSessions] = recordedCalls(t, sessionCalls(tc.sessions))
			v := Judge(in)
			if v.Kind != tc.kind || !strings.Contains(v.Headline, tc.says) {
				t.Fatalf("%s: %q\nwant %s saying %q", v.Kind.Key(), v.Headline, tc.kind.Key(), tc.says)
			}
			if strings.Contains(v.Headline, "no fresh answer") || strings.Contains(v.Headline, "not an outage") {
				t.Errorf("says what we did not observe: %q", v.Headline)
			}
		})
	}
}

// TestSessionsUnstableAreOurs: Claude Code's sessions going up and down
// make its verdict Degraded; that verdict is ours, not "Anthropic's
// report" (found in the tmux hand test: Troubleshooting read "Claude Code
// ▲ Degraded — Anthropic's report" while the page said operational).
func TestSessionsUnstableAreOurs(t *testing.T) {
	for _, cli := range []string{"ok", "none"} {
		in := input(row{"operational", "ok", "ok", "good", "ok", 0, "", nil})
		if cli == "none" {
			delete(in.Recent, probe.TargetCode)
		}
		// Flapping, the newest failure alone after successes: the view is
		// up and unstable.
		calls := sessionCalls("flap")
		in.Recent[probe.TargetSessions] = recordedCalls(t, calls[:len(calls)-1])
		v := Judge(in)
		if !strings.Contains(v.Headline, "Unstable") {
			t.Fatalf("cli %s: headline %q", cli, v.Headline)
		}
		for _, sv := range v.Services {
			if sv.Service.Key != "claude_code" {
				continue
			}
			if sv.Kind != probe.VerdictDegraded || sv.PageOnly || strings.Contains(sv.Words(), "Anthropic") {
				t.Errorf("cli %s: Claude Code %s, PageOnly %v, said %q; want Degraded, ours", cli, sv.Kind.Key(), sv.PageOnly, sv.Words())
			}
		}
	}
}
