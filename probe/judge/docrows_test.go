package judge

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"downforai/probe"
)

// docRowTests names, for each decision row of doc.go (by the words before
// its arrow), the cases that play it: rows of the decision table
// ("page api claude credential network", a sixth word for the sessions'
// table) or tests of this package by name. TestEveryDocRowIsTested holds
// them together, so a row cannot be documented without a test.
var docRowTests = map[string][]string{
	"every HTTP probe fails at the network level":         {"operational ok ok none dns", "operational ok ok good dead_proxy", "operational ok ok good proxy_refuses", "operational ok ok good proxy_creds", "operational ok ok good proxy_down", "operational ok ok good hang"},
	"that, then some hosts answer again and the others":   {"operational ok ok good hang_ending", "TestPathRecoveringIsNotAnthropic"},
	"someone else answered, or DNS/TLS/proxy/no route":    {"operational proxy407 ok good ok", "operational gateway ok good ok", "operational portal ok good ok", "operational ok block none ok", "operational dns_one ok good ok", "operational litellm_401 ok good ok"},
	"a gateway you set asks for its own key, relays":      {"operational gw_ok ok good base_litellm", "operational gw_529 ok good base_litellm", "major gw_529 ok good base_litellm", "operational gw_529_id ok good base_litellm"},
	"that gateway's keyless 401, and no key set":          {"operational gw_ok ok none base_litellm"},
	"unstable, answering now, another target refused now": {"operational blip_then_429 ok good ok", "TestLiveRefusalOutranksAnEarlierBlip"},
	"unstable": {"flap flap ok good ok", "operational ok ok good ok flap"},
	"unstable, two failures in three or more (window and":                       {"operational flap_mostly ok good ok", "unreadable_html flap_mostly ok good ok", "TestWatchWeighsTheWindow"},
	"Anthropic's side, page fresh, component in maintenance":                    {"maintenance 529 ok good ok"},
	"Anthropic's side, page fresh and acknowledges it":                          {"major 529 503 good ok", "partial 500 ok none ok", "degraded 529 ok good ok"},
	"Anthropic's side, page fresh, component operational":                       {"operational 529 ok good ok", "operational 500 ok none ok", "operational 504 ok good ok", "operational timeout ok good ok", "operational reset ok good ok", "operational key_timeout ok good ok", "operational ok 503 good ok"},
	"Anthropic's side, page unreadable, stale, foreign, or component not on it": {"unreadable_html 529 ok good ok", "stale_major 529 ok good ok", "foreign 529 ok none ok", "not_listed 529 ok good ok"},
	"every host answers, the status page too, all slow":                         {"operational ok ok good slow"},
	"a URL set by the user that is not the API's": {"operational v1 ok good base_v1", "major v1 ok good base_v1", "operational dns_gw ok good base_gw", "TestConfigNeedsEveryAPIPath",
		"operational gw_refused ok good base_litellm", "major gw_refused ok good base_litellm", "operational gw_refused ok good base_gw",
		"operational ok local_refused none claude_local", "major ok local_refused none claude_local"},
	"a gateway's URL 404s at /v1/models, /v1/messages": {"operational gw_404 ok good base_gw"},
	"unreachable while other hosts answer": {"operational refused ok good ok", "operational ok unreachable none ok", "operational proxy_502 ok good proxy_api_502",
		"operational gw_envoy ok good base_litellm", "major gw_envoy ok good base_litellm",
		"operational reset ok good base_litellm", "operational timeout ok good base_litellm", "major reset ok good base_litellm"},
	"your account: 401/403 on the credential probed":                                      {"operational 401 ok bad ok", "operational 403 ok good ok", "operational 401 ok oauth_in_key ok", "operational token_401 ok key_ne_token ok", "operational gw_key_401 ok good base_litellm", "operational 401 ok bad base_litellm", "operational 401_id ok bad base_litellm"},
	"your account: 429 (its limit used up), credit, disabled":                             {"operational 429 ok good ok", "operational 429_used ok good ok", "operational credit ok good ok", "operational disabled ok good ok", "operational ok_then_429 ok good ok"},
	"host rate-limits this address; a bare 429 on the key with room; the local CLI fails": {"operational ok 429 none ok", "operational 429_bare ok good ok", "TestLocalCLIFailsIsDegraded"},
	"probes up, page fresh, component partial or major":                                   {"partial ok ok good ok", "major ok ok none ok", "TestOutageOnsetIsNotConflicting"},
	"probes up, page fresh, component in maintenance":                                     {"maintenance ok ok good ok"},
	"probes slow, or page fresh and component degraded":                                   {"degraded ok ok good ok", "operational slow ok good ok", "TestJudge"},
	"probes up, Claude Code's own login missing/expired":                                  {"TestVerdictClaudeCodeLoginExpired"},
	"probes up, the newest one failed once":                                               {"TestOneFailureIsNotOurProbesSucceed"},
	"probes up, page fresh and operational":                                               {"operational ok ok none ok", "operational ok ok good ok", "operational ok ok good_odd_length ok", "operational ok ok token_ne_key ok"},
	"probes up, page not fresh":                                                           {"unreadable_html ok ok good ok", "unreadable_timeout ok ok none ok", "stale_major ok ok none ok", "foreign ok ok none ok", "none ok ok none ok"},
	"probes up, the newest read failed, the last good one still counts":                   {"unreadable_once ok ok good ok", "TestUnreadPageSaysItsReads"},
	"nothing of ours answered yet":                                                        {"none none none none ok"},

	"one call (its retries folded in) failed so, our probes pass":                {"operational ok ok good ok throttled", "TestOneFailedCallIsNoOutage"},
	"sessions get 529/5xx only before our API probe's live local failure began":  {"operational dns_one ok good ok one_529", "operational dns_one ok good ok 529s_before", "operational dns_one ok good ok 529_then_ok", "operational ok ok none dns one_529"},
	"sessions get 529/5xx, page fresh, neither component acknowledges":           {"operational ok ok good ok 529", "operational 529 ok good ok 529", "operational dns_one ok good ok 529"},
	"sessions get 529/5xx, the page acknowledges, or maintenance, or unreadable": {"major 529 ok good ok 529", "major ok ok good ok 529", "maintenance ok ok good ok 529", "unreadable_html ok ok good ok 529"},
	`sessions hit the usage limit (or a 429, said "likely")`:                     {"operational ok ok good ok 429_limit", "operational ok ok good ok 529_then_limit", "operational ok ok good ok 429", "none ok ok good ok 429_limit"},
	"sessions hit the usage limit, credit or 401 while our API probe fails":      {"operational 529 ok good ok 429_limit", "TestOwnLimitBeatsTheAPIFailing"},
	"sessions get 401": {"operational ok ok good ok 401", "major ok ok good ok 401"},
	"sessions get 529/5xx, our key probe refused now (401, 403, 429, billing)": {"operational 401 ok bad ok 529", "major 401 ok bad ok 529", "operational 429 ok good ok 529"},
	"the sessions' calls read back from the database":                          {"operational ok ok good ok limit_8min_ago"},
}

// docRows are the decision rows of doc.go: the words before each arrow,
// and after it.
func docRows(t *testing.T) [][2]string {
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var rows [][2]string
	for _, line := range strings.Split(string(b), "\n") {
		body, ok := strings.CutPrefix(line, "//\t")
		if !ok || strings.HasPrefix(body, " ") {
			continue // prose, or a row's continuation
		}
		if left, right, ok := strings.Cut(body, "→"); ok {
			rows = append(rows, [2]string{strings.TrimSpace(left), strings.TrimSpace(right)})
		}
	}
	if len(rows) < 20 {
		t.Fatalf("found %d decision rows in doc.go; the parser lost them", len(rows))
	}
	return rows
}

// testNames are the Test functions of this package.
func testNames(t *testing.T) map[string]bool {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "Test") {
				names[fd.Name.Name] = true
			}
		}
	}
	return names
}

// named reports whether a doc row's verdict words name kind k ("Your quota"
// names "Your quota or billing"; "the same" names any).
func named(words string, k probe.VerdictKind) bool {
	if strings.HasPrefix(words, "the same") {
		return true
	}
	short := k.String()
	for _, suffix := range []string{" or billing", " signals", " by Anthropic"} {
		short = strings.TrimSuffix(short, suffix)
	}
	return strings.Contains(words, k.Key()) || strings.Contains(words, k.String()) || strings.Contains(words, short)
}

// TestEveryDocRowIsTested: every decision row of doc.go is played by a
// row of the decision table whose verdict it names, or by a test named
// for it; every name given exists.
func TestEveryDocRowIsTested(t *testing.T) {
	kinds := map[string]probe.VerdictKind{}
	for _, r := range table {
		kinds[strings.Join([]string{r.page, r.api, r.claude, r.cred, r.net}, " ")] = r.kind
	}
	for _, r := range sessionsTable {
		kinds[strings.Join([]string{r.page, r.api, r.claude, r.cred, r.net, r.sessions}, " ")] = r.kind
	}
	tests := testNames(t)
	seen := map[string]bool{}
	for _, dr := range docRows(t) {
		left, right := dr[0], dr[1]
		seen[left] = true
		cases, ok := docRowTests[left]
		if !ok || len(cases) == 0 {
			t.Errorf("doc.go row %q has no test: add a decision table row or a test, and name it in docRowTests", left)
			continue
		}
		for _, c := range cases {
			if strings.HasPrefix(c, "Test") {
				if !tests[c] {
					t.Errorf("doc.go row %q: no test %s in this package", left, c)
				}
				continue
			}
			k, ok := kinds[c]
			switch {
			case !ok:
				t.Errorf("doc.go row %q: no decision table row %q", left, c)
			case !named(right, k):
				t.Errorf("doc.go row %q says %q; its table row %q is %s", left, right, c, k.Key())
			}
		}
	}
	for left := range docRowTests {
		if !seen[left] {
			t.Errorf("docRowTests names %q, which is no decision row of doc.go", left)
		}
	}
}

// TestLocalCLIFailsIsDegraded plays doc.go's "the local CLI fails" row:
// `claude --version` failing twice while every probe answers is Claude
// Code degraded, said as the install's, never an outage or all clear;
// while the API fails too, the API's verdict leads.
func TestLocalCLIFailsIsDegraded(t *testing.T) {
	for _, tc := range []struct {
		api      string
		kind     probe.VerdictKind
		headline string
	}{
		{"ok", probe.VerdictDegraded, "Your Claude Code install: `claude --version` failed (claude --version exited with status 127)."},
		{"529", probe.VerdictUnacknowledged, "not yet acknowledged: Claude API"},
	} {
		t.Run(tc.api, func(t *testing.T) {
			in := input(row{page: "operational", api: tc.api, claude: "ok", cred: "good", net: "ok"})
			for i, r := range in.Recent[probe.TargetCode] {
				in.Recent[probe.TargetCode][i] = probe.Result{Target: probe.TargetCode, Time: r.Time, Class: probe.ClassUnexpected, ErrorType: "exit",
					Message: "claude --version exited with status 127"}
			}
			v := Judge(in)
			if v.Kind != tc.kind || !strings.Contains(v.Headline, tc.headline) {
				t.Fatalf("%s: %q\nwant %s saying %q", v.Kind.Key(), v.Headline, tc.kind.Key(), tc.headline)
			}
			for _, sv := range v.Services {
				if sv.Service.Key == "claude_code" && sv.Kind == probe.VerdictOperational {
					t.Errorf("Claude Code operational while its CLI fails: %+v", sv)
				}
			}
		})
	}
}
