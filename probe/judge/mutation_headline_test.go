package judge_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/judge"
	"downforai/probe/probetest"
)

// TestAnswerFactsNameEachAnswer: with the status page not read, "Claude
// answers from here" stands on facts, one per probe that answers, each
// with its HTTP status, time and age; the API's keyless 401 says it is
// the expected answer; Claude Code's CLI is no host that answers, so it
// is never one of them (headline.go answerFacts: six mutants of its
// conditions lived, issue 18).
func TestAnswerFactsNameEachAnswer(t *testing.T) {
	series := func(target probe.Target, status int) []probe.Result {
		rs := probetest.Series(target, probetest.Repeat(probe.ClassOK, 3)...)
		for i := range rs {
			rs[i].HTTPStatus = status
		}
		return rs
	}
	now := probetest.Now.Add(5 * time.Second)
	for _, tt := range []struct {
		name  string
		key   bool
		facts []string
	}{
		{"with a key", true, []string{
			"claude.ai answered 200 at 13:30:00 UTC (5 s ago)",
			"API reachability answered 401 (as expected without a key) at 13:30:00 UTC (5 s ago)",
			"API with your key answered 200 at 13:30:00 UTC (5 s ago)",
		}},
		{"without a key, Claude Code is not listed", false, []string{
			"claude.ai answered 200 at 13:30:00 UTC (5 s ago)",
			"API reachability answered 401 (as expected without a key) at 13:30:00 UTC (5 s ago)",
		}},
	} {
		recent := map[probe.Target][]probe.Result{
			probe.TargetClaudeAI: series(probe.TargetClaudeAI, 200),
			probe.TargetAPI:      series(probe.TargetAPI, 401),
			probe.TargetCode:     series(probe.TargetCode, 0),
		}
		if tt.key {
			recent[probe.TargetAPIKey] = series(probe.TargetAPIKey, 200)
		}
		v := judge.Judge(judge.Input{Recent: recent, Now: now})
		if v.Kind != probe.VerdictOperational || v.Headline != "Claude answers from here; the status page has not been read yet." {
			t.Errorf("%s: %s %q", tt.name, v.Kind, v.Headline)
		}
		if !slices.Equal(v.Facts, tt.facts) {
			t.Errorf("%s: facts\n%q\nwant\n%q", tt.name, v.Facts, tt.facts)
		}
	}
}

// TestConfiguredHostPerTarget: a name that does not exist is the
// setting's when it is the host of the URL the user set for that probe —
// claude.ai's from --claude-url, the key probe's from the API URL —
// never the other probe's setting (headline.go configuredHost: two
// mutants of its target switch lived, issue 18).
func TestConfiguredHostPerTarget(t *testing.T) {
	nxdomain := func(target probe.Target, host string) []probe.Result {
		rs := probetest.Series(target, probe.ClassNetwork, probe.ClassNetwork, probe.ClassNetwork)
		for i := range rs {
			rs[i].ErrorType, rs[i].Message = probe.NetDNS, "DNS lookup of "+host+" failed: no such host"
			rs[i].Phases = probe.Phases{DNS: time.Millisecond, Total: 2 * time.Millisecond}
		}
		return rs
	}
	ok := func(target probe.Target, status int) []probe.Result {
		rs := probetest.Series(target, probetest.Repeat(probe.ClassOK, 3)...)
		for i := range rs {
			rs[i].HTTPStatus = status
		}
		return rs
	}
	local := &probe.LocalReport{Time: probetest.Now, APIURL: "https://llm.gateway.example", ClaudeURL: "https://claude.mirror.example", StatusURL: "https://status.claude.com"}
	for _, tt := range []struct {
		name   string
		recent map[probe.Target][]probe.Result
		want   string
	}{
		{"claude.ai's host from --claude-url", map[probe.Target][]probe.Result{
			probe.TargetClaudeAI: nxdomain(probe.TargetClaudeAI, "claude.mirror.example"),
			probe.TargetAPI:      ok(probe.TargetAPI, 401),
			probe.TargetAPIKey:   ok(probe.TargetAPIKey, 200),
		}, "Likely your configuration: the claude.ai URL's host claude.mirror.example does not resolve (no such host)"},
		{"the key probe's host from the API URL", map[probe.Target][]probe.Result{
			probe.TargetClaudeAI: ok(probe.TargetClaudeAI, 200),
			probe.TargetAPIKey:   nxdomain(probe.TargetAPIKey, "llm.gateway.example"),
		}, "Likely your configuration: the API URL's host llm.gateway.example does not resolve (no such host)"},
	} {
		v := judge.Judge(judge.Input{Status: probetest.Official(nil), Recent: tt.recent, Local: local, Now: probetest.Now})
		if v.Kind != probe.VerdictLocalConfig || !strings.HasPrefix(v.Headline, tt.want) {
			t.Errorf("%s: %s %q\nwant %s %q…", tt.name, v.Kind, v.Headline, probe.VerdictLocalConfig, tt.want)
		}
	}
}

// TestSlowOnTheSecond: a whole second is "1 s", as the budget's seconds
// are, not "1.0 s" (headline.go secs: d >= time.Second to > lived, issue 18).
func TestSlowOnTheSecond(t *testing.T) {
	slow := func(target probe.Target, status int) []probe.Result {
		rs := probetest.Series(target, probetest.Repeat(probe.ClassSlow, 3)...)
		for i := range rs {
			rs[i].HTTPStatus, rs[i].Message = status, "API answers; slow: 1s, budget 500ms"
			rs[i].Phases = probe.Phases{DNS: time.Millisecond, Connect: time.Millisecond, TLS: time.Millisecond, Total: time.Second}
		}
		return rs
	}
	recent := map[probe.Target][]probe.Result{
		probe.TargetClaudeAI: probetest.Series(probe.TargetClaudeAI, probetest.Repeat(probe.ClassOK, 3)...),
		probe.TargetAPI:      slow(probe.TargetAPI, 401),
		probe.TargetAPIKey:   slow(probe.TargetAPIKey, 200),
	}
	v := judge.Judge(judge.Input{Status: probetest.Official(nil), Recent: recent, Now: probetest.Now})
	if want := "Degraded: Claude API slow from here (1 s, over the 500 ms latency budget)."; v.Headline != want {
		t.Errorf("%s %q, want %q", v.Kind, v.Headline, want)
	}
}
