package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/fakeupstream"
	"downforai/store"
)

// ---- The verdict end to end: the real program against the fake upstream,
// the dashboard's banner and `check --json` of the same state.

// e2eRow is one row of the decision table (README, probe/judge) that the
// fake can play.
type e2eRow struct {
	name    string
	sc      fakeupstream.Scenario
	cred    string   // none, good, bad, oauth, odd (a 106-character key the API accepts), key_ne_token (good key, bad token)
	net     string   // ok, dns (no name resolves), dead_proxy (HTTP_PROXY refuses)
	verdict string   // check --json's verdict, and the banner's word for it
	exit    int      // check's exit code
	says    string   // the banner's headline and check's headline contain this
	never   []string // neither says any of these
}

// A key of the real length (108) and one two characters short: the API
// accepts both, so neither is "invalid".
var (
	goodKey = "sk-ant-api03-" + strings.Repeat("e2eGoodKey", 9) + "abcAA"
	oddKey  = "sk-ant-api03-" + strings.Repeat("e2eOddKey0", 9) + "aAA"
	badKey  = "sk-ant-api03-" + strings.Repeat("e2eBadKey0", 9) + "abcAA"
	oauthIn = "sk-ant-oat01-" + strings.Repeat("e2eOAuthTk", 9) + "abcAA"
)

func sc(status fakeupstream.StatusState, api fakeupstream.APIState, claude fakeupstream.ClaudeState) fakeupstream.Scenario {
	return fakeupstream.Scenario{Status: status, API: api, Claude: claude}
}

var e2eRows = []e2eRow{
	{"all clear", sc("operational", "ok", "ok"), "none", "ok", "operational", 0, "All clear: our probes succeed, those of the Claude API through the gateway at --api-url (http://127.0.0.1:", nil},
	{"all clear with a key", sc("operational", "ok", "ok"), "good", "ok", "operational", 0, "All clear", nil},
	{"page degraded", sc("degraded", "ok", "ok"), "good", "ok", "degraded", 1, "Anthropic reports Claude API as degraded performance", nil},
	{"page partial, probes ok", sc("partial", "ok", "ok"), "good", "ok", "conflicting", 1, "but our probes succeed", nil},
	{"maintenance, probes ok", sc("maintenance", "ok", "ok"), "good", "ok", "maintenance", 1, "under scheduled maintenance until", nil},
	{"page HTML challenge", sc("challenge", "ok", "ok"), "good", "ok", "operational", 0, "Claude answers from here; the status page could not be read", []string{"Anthropic reports", "All clear"}},
	{"page hangs", sc("hang", "ok", "ok"), "none", "ok", "operational", 0, "(timed out)", []string{"Anthropic reports"}},
	{"page 503", sc("503", "ok", "ok"), "none", "ok", "operational", 0, "(503 Service Unavailable)", []string{"Anthropic reports"}},
	{"page garbage", sc("garbage", "ok", "ok"), "none", "ok", "operational", 0, "(not status JSON)", []string{"Anthropic reports"}},
	{"page 64 MiB", sc("huge", "ok", "ok"), "none", "ok", "operational", 0, "(a body over 1 MiB)", []string{"Anthropic reports"}},
	{"page resets", sc("reset", "ok", "ok"), "none", "ok", "operational", 0, "(connection reset)", []string{"Anthropic reports"}},
	{"GitHub's page", sc("foreign_github", "ok", "ok"), "none", "ok", "operational", 0, "not Claude's status page (GitHub)", []string{"Anthropic reports", "All clear"}},
	{"API 529", sc("operational", "529", "ok"), "good", "ok", "unacknowledged", 2, "not yet acknowledged: Claude API failing from here (529 overloaded)", nil},
	{"API 500", sc("operational", "500", "ok"), "none", "ok", "unacknowledged", 2, "(500 server error)", nil},
	{"API 504", sc("operational", "504", "ok"), "good", "ok", "unacknowledged", 2, "(504 server error)", nil},
	// The fake's API stands at a loopback URL set with --api-url: a
	// server there that takes the connection, then hangs or resets it, is
	// the gateway or its upstream (issue 19); the table plays the same
	// under Anthropic's own URL, Anthropic's side.
	{"API hangs", sc("operational", "timeout", "ok"), "good", "ok", "unreachable", 1, "Claude API unreachable through the gateway at --api-url (http://127.0.0.1:", []string{"Your network", "Anthropic problem", "not yet acknowledged"}},
	{"API resets", sc("operational", "reset", "ok"), "good", "ok", "unreachable", 1, "after connecting, while Claude (claude.ai) and the status page answer — likely the gateway or its upstream", []string{"Your network", "Anthropic problem", "not yet acknowledged"}},
	{"outage acknowledged", sc("major", "529", "503"), "good", "ok", "outage", 2, "acknowledged on the status page (Elevated errors for multiple models)", nil},
	{"maintenance and 529", sc("maintenance", "529", "ok"), "good", "ok", "maintenance", 1, "Maintenance: errors expected on Claude API until", []string{"outage"}},
	{"page unreadable and 529", sc("challenge", "529", "ok"), "good", "ok", "failing", 2, "so we cannot say whether Anthropic has acknowledged it", []string{"not yet acknowledged"}},
	{"GitHub's page and 529", sc("foreign_github", "529", "ok"), "none", "ok", "failing", 2, "not Claude's status page (GitHub)", nil},
	// The fake's API stands at a loopback URL set with --api-url: nothing
	// listening there is the gateway not running (issue 19 E2); the table
	// plays the refusal of Anthropic's own host.
	{"API refuses", sc("operational", "refused", "ok"), "good", "ok", "local_config", 1, "Your configuration: nothing listens at --api-url (127.0.0.1:", []string{"Your network", "Anthropic or a firewall"}},
	{"claude.ai 503", sc("operational", "ok", "503"), "good", "ok", "unacknowledged", 2, "Claude (claude.ai) failing from here (503 server error)", nil},
	// The same for the loopback --claude-url: nothing listens there
	// (issue 19); the table plays claude.ai's own refusal.
	{"claude.ai refuses", sc("operational", "ok", "refused"), "none", "ok", "local_config", 1, "Your configuration: nothing listens at --claude-url (127.0.0.1:", []string{"Your network", "Anthropic or a firewall", "unreachable from here"}},
	{"proxy 407 in the API's place", sc("operational", "proxy_407", "ok"), "good", "ok", "local_network", 1, "407 Proxy Authentication Required", []string{"Anthropic outage", "not yet acknowledged"}},
	// A gateway the user set asks the probe without a key for its own key
	// (LiteLLM's 401 auth_error): the probe with the key decides (issue 19 E1).
	{"a gateway asks for its own key and relays the API's 200", sc("operational", "gateway_ok", "ok"), "good", "ok", "operational", 0, "All clear", []string{"Your network", "in its place"}},
	{"a gateway relays Anthropic's 529 in its own words", sc("operational", "gateway_529", "ok"), "good", "ok", "unacknowledged", 2, "Likely an Anthropic problem, not yet acknowledged: Claude API failing from here (529 overloaded, as the gateway at --api-url, http://127.0.0.1:", []string{"Your network", "in its place"}},
	// A gateway's own 5xx at the URL the user set is its report that its
	// upstream failed (issue 19 E3): quoted, never Anthropic's outage nor
	// your network. The fake's API stands at a --api-url, so nginx's page
	// there is the gateway's too; the table plays it under Anthropic's URL.
	{"a gateway refuses the key in its own words", sc("operational", "gateway_key", "ok"), "good", "ok", "local_credential", 1, `Your credential: the gateway at --api-url (http://127.0.0.1:`, []string{"Your network", "in its place", "the API rejects"}},
	{"a gateway's Envoy 500", sc("operational", "gateway_envoy", "ok"), "good", "ok", "unreachable", 1, `Claude API unreachable through the gateway at --api-url (http://127.0.0.1:`, []string{"Anthropic outage", "not yet acknowledged", "Your network", "in its place"}},
	{"gateway page in the API's place", sc("operational", "gateway_html", "ok"), "good", "ok", "unreachable", 1, `it answered 502 Bad Gateway (nginx/1.24.0), a page titled "502 Bad Gateway"`, []string{"Anthropic outage", "not yet acknowledged", "Your network"}},
	{"claude.ai block page", sc("operational", "ok", "block"), "none", "ok", "local_network", 1, "blocked", []string{"Anthropic outage", "All clear"}},
	{"key rejected", sc("operational", "401", "ok"), "bad", "ok", "local_credential", 1, "Your credential: the API rejects ANTHROPIC_API_KEY (Invalid API key): it answered 401 \"invalid x-api-key\"", nil},
	{"key forbidden", sc("operational", "403", "ok"), "good", "ok", "local_credential", 1, "the API rejects ANTHROPIC_API_KEY", nil},
	{"rate limited", sc("operational", "429", "ok"), "good", "ok", "local_quota", 1, "Your quota or billing", nil},
	{"no credit", sc("operational", "credit", "ok"), "good", "ok", "local_quota", 1, "Credit balance too low on ANTHROPIC_API_KEY", []string{`\u0026`}},
	{"organisation disabled", sc("operational", "disabled", "ok"), "good", "ok", "local_quota", 1, "Your quota or billing", nil},
	{"OAuth token as the key", sc("operational", "ok", "ok"), "oauth", "ok", "local_credential", 1, "ANTHROPIC_API_KEY holds a Claude subscription token (sk-ant-oat01-…), not an API key: the API rejects it (401)", []string{"OAuth authentication is currently not supported", "Invalid API key"}},
	{"good key, bad token (Claude Code sends the token)", sc("operational", "ok", "ok"), "key_ne_token", "ok", "local_credential", 1, "the API rejects ANTHROPIC_AUTH_TOKEN", []string{"All clear"}},
	{"a working key of odd length", sc("operational", "ok", "ok"), "odd", "ok", "operational", 0, "All clear", []string{"Invalid", "rejects"}},
	{"no name resolves", sc("operational", "ok", "ok"), "none", "dns", "local_network", 1, "Your network's DNS: no Anthropic name resolves here, nor the status page's (DNS lookup of", nil},
	{"dead proxy", sc("operational", "ok", "ok"), "good", "dead_proxy", "local_network", 1, "no Anthropic host answers from here (proxy connection failed", nil},
}

// e2eSeqRow is a row whose state needs a past: the rounds `check` records
// in the states before, one each, and Claude Code's session calls recorded
// in the database, before the row's own state is played. check, report and
// the dashboard then start from that database, in that order.
type e2eSeqRow struct {
	e2eRow
	before    []fakeupstream.Scenario
	sessions  string   // "", "529" (three 529 retries in the last minute), "limit_8min_ago"
	checkSays []string // the plain `check` table says these
}

// e2eSeqRows are the rows of the decision table that need a past: each
// fails if its row's behaviour breaks.
var e2eSeqRows = []e2eSeqRow{
	// cold C7: one 429 with Retry-After after successes counts at once.
	{e2eRow: e2eRow{"a 429 with Retry-After after successes", sc("operational", "429", "ok"), "good", "ok", "local_quota", 1, "Your quota or billing", []string{"All clear"}},
		before: []fakeupstream.Scenario{sc("operational", "ok", "ok")}},
	// cold3 C1: the key refused now after 529s between successes is the
	// quota, not "Unstable".
	{e2eRow: e2eRow{"a 429 on the key after a blip of the API", sc("operational", "429", "ok"), "good", "ok", "local_quota", 1, "Your quota or billing", []string{"Unstable"}},
		before: []fakeupstream.Scenario{sc("operational", "ok", "ok"), sc("operational", "529", "ok"), sc("operational", "ok", "ok"), sc("operational", "529", "ok"),
			sc("operational", "ok", "ok"), sc("operational", "529", "ok"), sc("operational", "ok", "ok")}},
	// cold3 C2: this round's read failed, the last good one counts: check's
	// official cell names that read.
	{e2eRow: e2eRow{"the newest status read failed", sc("garbage", "ok", "ok"), "good", "ok", "operational", 0, "the status page could not be read", []string{"All clear", "Anthropic reports"}},
		before: []fakeupstream.Scenario{sc("operational", "ok", "ok")}, checkSays: []string{"operational (read "}},
	// cold2 C24's twin: the quota refused live leads the sessions' 529s.
	{e2eRow: e2eRow{"a 429 on the key while the sessions met 529s", sc("operational", "429", "ok"), "good", "ok", "local_quota", 1, "Your quota or billing", []string{"not yet acknowledged by Anthropic:", "Anthropic outage:"}},
		sessions: "529"},
	// cold C18: every session call of the last 15 minutes counts, whatever
	// the probe intervals (check at --interval 5s: a horizon of a minute).
	{e2eRow: e2eRow{"the usage limit 8 minutes ago", sc("operational", "ok", "ok"), "good", "ok", "local_quota", 1, "Your plan's limit: your Claude Code sessions hit the usage limit", []string{"All clear"}},
		sessions: "limit_8min_ago"},
}

// recordSessions writes the session calls of a state into the database at
// db, as the dashboard's transcript follower records them.
func recordSessions(t *testing.T, db, state string) {
	t.Helper()
	now := time.Now()
	call := func(ago time.Duration, c probe.Class, status int, typ, msg string) probe.Result {
		return probe.Result{Target: probe.TargetSessions, Time: now.Add(-ago), Class: c, HTTPStatus: status, ErrorType: typ, Message: msg,
			RequestID: fmt.Sprintf("req_011CE2eSess%03d", int(ago/time.Second)), Detail: "claude-code 2.1.44 · claude-opus-4-6 · session 1a2b3c4d"}
	}
	overloaded := func(ago time.Duration) probe.Result {
		return call(ago, probe.ClassOverloaded, 529, "overloaded_error", "Overloaded")
	}
	rs := []probe.Result{call(12*time.Minute, probe.ClassOK, 0, "", "")}
	switch state {
	case "529":
		rs = append(rs, overloaded(50*time.Second), overloaded(30*time.Second), overloaded(10*time.Second))
	case "limit_8min_ago":
		for i := range 14 {
			rs = append(rs, overloaded(time.Duration(11*60-i*10)*time.Second))
		}
		rs = append(rs, call(8*time.Minute, probe.ClassRateLimited, 429, "rate_limit", "You've hit your session limit · resets 12:50am (UTC)"))
	default:
		t.Fatalf("sessions state %q", state)
	}
	if err := os.MkdirAll(filepath.Dir(db), 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.PutResults(rs); err != nil {
		t.Fatal(err)
	}
}

// e2eArgs are the URLs, environment and flags of a row against srv.
func e2eArgs(t *testing.T, r e2eRow, srv *fakeupstream.Server) ([]string, []string) {
	status, api, claude := srv.StatusURL, srv.APIURL, srv.ClaudeURL
	var env []string
	switch r.net {
	case "dns":
		// .invalid never resolves (RFC 6761), and the program asks an
		// in-process resolver that knows no name, not the machine's: a
		// resolver that is slow, absent or answers .invalid cannot change
		// the row.
		env = append(env, noDNSEnv+"=1")
		status = strings.Replace(status, "127.0.0.1", "status.downforai-e2e.invalid", 1)
		api = strings.Replace(api, "127.0.0.1", "api.downforai-e2e.invalid", 1)
		claude = strings.Replace(claude, "127.0.0.1", "claude.downforai-e2e.invalid", 1)
	case "dead_proxy":
		// Loopback addresses bypass a proxy; "localhost." is proxied.
		status = strings.Replace(status, "127.0.0.1", "localhost.", 1)
		api = strings.Replace(api, "127.0.0.1", "localhost.", 1)
		claude = strings.Replace(claude, "127.0.0.1", "localhost.", 1)
		env = append(env, "HTTP_PROXY=http://"+freeLoopbackAddr(t), "HTTPS_PROXY=")
	}
	switch r.cred {
	case "good":
		env = append(env, "ANTHROPIC_API_KEY="+goodKey)
	case "bad":
		env = append(env, "ANTHROPIC_API_KEY="+badKey)
	case "oauth":
		env = append(env, "ANTHROPIC_API_KEY="+oauthIn)
	case "odd":
		env = append(env, "ANTHROPIC_API_KEY="+oddKey)
	case "key_ne_token":
		env = append(env, "ANTHROPIC_API_KEY="+goodKey, "ANTHROPIC_AUTH_TOKEN=gw-e2e-bad-token-0123456789")
	}
	return []string{"--status-url", status, "--api-url", api, "--claude-url", claude}, env
}

// checkJSON runs `downforai check --json` once and returns what it said.
func checkJSON(t *testing.T, args, env []string) (verdict, headline string, exit int, out []byte) {
	t.Helper()
	dir := t.TempDir()
	cmd := programCmd(t, dir, append([]string{"check", "--json", "--db", filepath.Join(dir, "check.db"),
		"--claude-bin", filepath.Join(dir, "no-claude"), "--timeout", "900ms"}, args...), env)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	exit = cmd.ProcessState.ExitCode()
	var got struct {
		Verdict  string `json:"verdict"`
		Headline string `json:"headline"`
		ExitCode int    `json:"exit_code"`
	}
	if jerr := json.Unmarshal(stdout.Bytes(), &got); jerr != nil {
		t.Fatalf("check --json: %v (%v); stdout %s stderr %s", jerr, err, stdout.Bytes(), stderr.Bytes())
	}
	if got.ExitCode != exit {
		t.Errorf("check --json says exit_code %d, the process exited %d", got.ExitCode, exit)
	}
	return got.Verdict, got.Headline, exit, stdout.Bytes()
}

// checkTable runs `downforai check` once and returns its table.
func checkTable(t *testing.T, args, env []string) string {
	t.Helper()
	dir := t.TempDir()
	cmd := programCmd(t, dir, append([]string{"check", "--db", filepath.Join(dir, "check.db"),
		"--claude-bin", filepath.Join(dir, "no-claude"), "--timeout", "900ms"}, args...), env)
	out, _ := cmd.Output() // its exit code is the verdict's
	return string(out)
}

// runReport runs `downforai report` once and returns the Markdown.
func runReport(t *testing.T, args, env []string) string {
	t.Helper()
	dir := t.TempDir()
	cmd := programCmd(t, dir, append([]string{"report", "--db", filepath.Join(dir, "report.db"),
		"--claude-bin", filepath.Join(dir, "no-claude"), "--timeout", "900ms"}, args...), env)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	return string(out)
}

// runBanner runs the dashboard on a 120×35 terminal and returns the banner
// once it has shown the same text twice, a second apart, after the
// verdict's word appeared.
func runBanner(t *testing.T, args, env []string, word string) string {
	t.Helper()
	d := startVT(t, args, env, 120, 35)
	defer d.stop() // before the next row takes its place among the parallel ones
	scr := d.scr
	last, same := "", 0
	for deadline := time.Now().Add(hangGuard); ; time.Sleep(500 * time.Millisecond) {
		b := scr.banner()
		switch {
		case !strings.Contains(b, word):
			same = 0
		case b == last || masked(b) == masked(last):
			same++
		default:
			same = 0
		}
		last = b
		// Two probe rounds for hysteresis, then the same banner for a
		// second and a half.
		if same >= 3 {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("the banner never settled on %q; last %q\nscreen:\n%s", word, b, strings.Join(scr.lines(), "\n"))
		}
	}
}

var digits = regexp.MustCompile(`[0-9]+`)

var since = regexp.MustCompile(` since [0-9]+:[0-9]+ UTC`)

// masked drops what changes from moment to moment: times, ages, ports,
// request ids, and since when the status page has been unreadable — check
// reads it once and so says no "since", while the dashboard, reading the
// failed reads check and report recorded, does.
func masked(s string) string { return digits.ReplaceAllString(since.ReplaceAllString(s, ""), "#") }

// verdictWords are the banner's words for each verdict key.
var verdictWords = map[string]string{
	"operational": "Operational", "degraded": "Degraded", "maintenance": "Maintenance", "conflicting": "Conflicting signals",
	"local_quota": "Your quota or billing", "local_credential": "Your credential", "local_network": "Your network",
	"unacknowledged": "Not yet acknowledged by Anthropic", "outage": "Anthropic outage", "failing": "Failing from here",
	"unreachable": "Unreachable from here", "unknown": "Unknown", "local_config": "Your configuration",
}

// TestVerdictEndToEnd plays rows of the decision table on the fake and
// reads what the real program says about each: `check --json` (verdict,
// headline, exit code) and the dashboard's banner must agree with the
// table and with each other, and neither may say what the row forbids.
func TestVerdictEndToEnd(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("runs the program 140 times; .ci/run runs it without the race detector")
	}
	sem := make(chan struct{}, 3)
	rows := append([]e2eSeqRow(nil), e2eSeqRows...)
	for _, r := range e2eRows {
		rows = append(rows, e2eSeqRow{e2eRow: r})
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			sem <- struct{}{}
			defer func() { <-sem }()
			srv := fakeupstream.NewSplit(fakeupstream.ModeOperational)
			defer srv.Close()
			if r.cred == "bad" || r.cred == "key_ne_token" {
				srv.SetAccepted(goodKey)
			}
			args, env := e2eArgs(t, r.e2eRow, srv)
			var dash []string // the dashboard's own flags
			if r.before != nil || r.sessions != "" {
				// One database for the past, check, report and the
				// dashboard; its horizon (12 of the 5 s intervals) holds
				// every recorded round of the row.
				db := filepath.Join(t.TempDir(), "past.db")
				if r.sessions != "" {
					recordSessions(t, db, r.sessions)
				}
				args = append(args, "--db", db)
				for _, b := range r.before {
					srv.SetScenario(b)
					checkJSON(t, args, env)
				}
				dash = []string{"--interval", "5s", "--status-interval", "5s"}
				args = append(args, dash...)
			}
			srv.SetScenario(r.sc)
			if r.checkSays != nil {
				out := checkTable(t, args, env)
				for _, w := range r.checkSays {
					if !strings.Contains(out, w) {
						t.Errorf("check does not say %q:\n%s", w, out)
					}
				}
			}

			verdict, headline, exit, out := checkJSON(t, args, env)
			if verdict != r.verdict || exit != r.exit {
				t.Errorf("check: verdict %s exit %d, want %s exit %d\n%s", verdict, exit, r.verdict, r.exit, out)
			}
			if !strings.Contains(headline, r.says) {
				t.Errorf("check headline %q\nwant it to say %q", headline, r.says)
			}

			// The report (what `c` copies) leads with the same verdict,
			// and with no "Matching problem" when all is clear.
			word := verdictWords[r.verdict]
			if r.verdict == "unreachable" && strings.Contains(headline, " unreachable through the gateway at ") {
				// --api-url is the fake: a URL the user set, titled as
				// its row is.
				word = "Unreachable through your gateway"
			}
			rep := runReport(t, args, env)
			if !strings.Contains(rep, "## Verdict: "+word+"\n") || !strings.Contains(masked(rep), masked(headline)) {
				t.Errorf("report disagrees with check %q:\n%s", headline, rep)
			}
			if r.verdict == "operational" && strings.Contains(rep, "Matching problem") {
				t.Errorf("all clear, yet the report has a matching problem:\n%s", rep)
			}

			b := runBanner(t, args, env, word)
			if !strings.Contains(b, r.says) {
				t.Errorf("banner %q\nwant it to say %q", b, r.says)
			}
			// One verdict per moment: the banner's sentence is check's.
			if !strings.Contains(masked(b), masked(headline)) {
				t.Errorf("banner and check disagree:\nbanner %q\ncheck  %q", b, headline)
			}
			for _, n := range r.never {
				if strings.Contains(b, n) || strings.Contains(string(out), n) {
					t.Errorf("says %q:\nbanner %q\ncheck %s", n, b, out)
				}
			}
			if t.Failed() {
				fmt.Fprintf(os.Stderr, "%s: banner %q\n", r.name, b)
			}
		})
	}
}
