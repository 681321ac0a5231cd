package judge

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestPathRecoveringIsNotAnthropic: a hang of the whole path ends; the
// status page answers again first, and claude.ai and the API, whose last
// probes timed out with it, are not asked again for a few seconds. Those
// timeouts are what the path did: the verdict stays with the path
// (recovering), never "Not yet acknowledged by Anthropic" (cold4 C11). A
// host that fails again after the path came back speaks for itself.
func TestPathRecoveringIsNotAnthropic(t *testing.T) {
	at := func(s int) time.Time { return judgeNow.Add(time.Duration(s) * time.Second) }
	hung := func(tg probe.Target, s int) probe.Result {
		return probe.Result{Target: tg, Time: at(s), Class: probe.ClassNetwork, ErrorType: probe.NetTimeout,
			Message: "timed out after 2s", Phases: probe.Phases{Connect: time.Millisecond, TLS: time.Millisecond}}
	}
	ok := func(tg probe.Target, s int) probe.Result {
		return probe.Result{Target: tg, Time: at(s), Class: probe.ClassOK, HTTPStatus: 200}
	}
	overloaded := func(tg probe.Target, s int) probe.Result {
		return probe.Result{Target: tg, Time: at(s), Class: probe.ClassOverloaded, HTTPStatus: 529}
	}
	page := officialSnap(nil)
	page.Fetched = judgeNow.Add(-time.Second)
	hosts := []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI}
	for _, tc := range []struct {
		name     string
		recent   func() map[probe.Target][]probe.Result
		path     bool
		headline string
	}{
		{"the page answers again, the others not asked yet", func() map[probe.Target][]probe.Result {
			m := map[probe.Target][]probe.Result{probe.TargetStatus: {ok(probe.TargetStatus, -40), hung(probe.TargetStatus, -20), hung(probe.TargetStatus, -10), ok(probe.TargetStatus, -2)}}
			for _, h := range hosts {
				m[h] = []probe.Result{ok(h, -40), hung(h, -20), hung(h, -10)}
			}
			return m
		}, true, "recovering: hosts answer again since"},
		{"claude.ai answers again too, the API not asked yet", func() map[probe.Target][]probe.Result {
			m := map[probe.Target][]probe.Result{probe.TargetStatus: {hung(probe.TargetStatus, -20), hung(probe.TargetStatus, -10), ok(probe.TargetStatus, -3)}}
			m[probe.TargetClaudeAI] = []probe.Result{hung(probe.TargetClaudeAI, -20), hung(probe.TargetClaudeAI, -10), ok(probe.TargetClaudeAI, -1)}
			m[probe.TargetAPI] = []probe.Result{hung(probe.TargetAPI, -20), hung(probe.TargetAPI, -10)}
			m[probe.TargetAPIKey] = []probe.Result{hung(probe.TargetAPIKey, -20), hung(probe.TargetAPIKey, -10)}
			return m
		}, true, "the Claude API not probed again yet"},
		// The probes in flight when the path came back time out, then
		// every host answers once: their failures, the path's, hold until
		// --recover-threshold answers in a row (the fake's hang ending, in
		// tmux: "Not yet acknowledged" for 5 s).
		{"every host answered once again: the path's failures still hold", func() map[probe.Target][]probe.Result {
			m := map[probe.Target][]probe.Result{probe.TargetStatus: {ok(probe.TargetStatus, -40), hung(probe.TargetStatus, -20), hung(probe.TargetStatus, -10), ok(probe.TargetStatus, -3)}}
			for _, h := range hosts {
				m[h] = []probe.Result{ok(h, -40), hung(h, -20), hung(h, -10), ok(h, -2)}
			}
			return m
		}, true, "; all clear after 2 answers in a row from the Claude API and claude.ai"},
		{"every host answered twice again: all clear", func() map[probe.Target][]probe.Result {
			m := map[probe.Target][]probe.Result{}
			for _, h := range append(hosts, probe.TargetStatus) {
				m[h] = []probe.Result{ok(h, -40), hung(h, -20), hung(h, -10), ok(h, -6), ok(h, -2)}
			}
			return m
		}, false, ""},
		{"the API times out again after the path came back", func() map[probe.Target][]probe.Result {
			m := map[probe.Target][]probe.Result{probe.TargetStatus: {hung(probe.TargetStatus, -20), hung(probe.TargetStatus, -10), ok(probe.TargetStatus, -5)}}
			m[probe.TargetClaudeAI] = []probe.Result{hung(probe.TargetClaudeAI, -20), ok(probe.TargetClaudeAI, -4)}
			m[probe.TargetAPI] = []probe.Result{hung(probe.TargetAPI, -20), hung(probe.TargetAPI, -10), hung(probe.TargetAPI, -1)}
			m[probe.TargetAPIKey] = []probe.Result{hung(probe.TargetAPIKey, -20), hung(probe.TargetAPIKey, -10), hung(probe.TargetAPIKey, -1)}
			return m
		}, false, ""},
		{"the page never stopped answering: the API's timeouts are the API's", func() map[probe.Target][]probe.Result {
			m := map[probe.Target][]probe.Result{probe.TargetStatus: {ok(probe.TargetStatus, -20), ok(probe.TargetStatus, -2)}}
			m[probe.TargetClaudeAI] = []probe.Result{ok(probe.TargetClaudeAI, -20), ok(probe.TargetClaudeAI, -3)}
			m[probe.TargetAPI] = []probe.Result{hung(probe.TargetAPI, -20), hung(probe.TargetAPI, -10)}
			m[probe.TargetAPIKey] = []probe.Result{hung(probe.TargetAPIKey, -20), hung(probe.TargetAPIKey, -10)}
			return m
		}, false, ""},
		{"a host answering with an error speaks for itself", func() map[probe.Target][]probe.Result {
			m := map[probe.Target][]probe.Result{probe.TargetStatus: {hung(probe.TargetStatus, -20), ok(probe.TargetStatus, -3)}}
			m[probe.TargetClaudeAI] = []probe.Result{hung(probe.TargetClaudeAI, -20)}
			m[probe.TargetAPI] = []probe.Result{hung(probe.TargetAPI, -20), overloaded(probe.TargetAPI, -1)}
			m[probe.TargetAPIKey] = []probe.Result{hung(probe.TargetAPIKey, -20), overloaded(probe.TargetAPIKey, -1)}
			return m
		}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Judge(Input{Status: page, Recent: tc.recent(), Now: judgeNow, StaleAfter: 10 * time.Minute})
			if tc.path {
				if v.Kind != probe.VerdictLocalNetwork || !strings.Contains(v.Headline, tc.headline) {
					t.Fatalf("%s: %q; want the path recovering (%q)", v.Kind.Key(), v.Headline, tc.headline)
				}
				return
			}
			if strings.Contains(v.Headline, "recovering: hosts answer again") {
				t.Fatalf("%s: %q; want no path recovery", v.Kind.Key(), v.Headline)
			}
			if strings.HasSuffix(tc.name, "all clear") && v.Kind != probe.VerdictOperational {
				t.Fatalf("%s: %q; want all clear", v.Kind.Key(), v.Headline)
			}
		})
	}
}

// TestPathRecoveringSaysWhoWaits: the hosts not probed again are named in
// full ("the status page, the Claude API and claude.ai": the key probe
// answered again, the keyless one not yet), and only the services the
// hang left failing are the path's; one answering again stays as it is.
func TestPathRecoveringSaysWhoWaits(t *testing.T) {
	at := func(s int) time.Time { return judgeNow.Add(time.Duration(s) * time.Second) }
	hung := func(tg probe.Target, s int) probe.Result {
		return probe.Result{Target: tg, Time: at(s), Class: probe.ClassNetwork, ErrorType: probe.NetTimeout,
			Message: "timed out after 2s", Phases: probe.Phases{Connect: time.Millisecond, TLS: time.Millisecond}}
	}
	ok := func(tg probe.Target, s int) probe.Result {
		return probe.Result{Target: tg, Time: at(s), Class: probe.ClassOK, HTTPStatus: 200}
	}
	page := officialSnap(nil)
	page.Fetched = judgeNow.Add(-time.Second)
	for _, tc := range []struct {
		name, who string
		recent    map[probe.Target][]probe.Result
		kinds     map[string]probe.VerdictKind
	}{
		{"three hosts wait", "the status page, the Claude API and claude.ai", map[probe.Target][]probe.Result{
			probe.TargetStatus:   {hung(probe.TargetStatus, -20), hung(probe.TargetStatus, -10)},
			probe.TargetClaudeAI: {hung(probe.TargetClaudeAI, -20), hung(probe.TargetClaudeAI, -10)},
			probe.TargetAPI:      {hung(probe.TargetAPI, -20), hung(probe.TargetAPI, -10)},
			probe.TargetAPIKey:   {hung(probe.TargetAPIKey, -20), ok(probe.TargetAPIKey, -1)},
		}, nil},
		{"one host waits", "the Claude API", map[probe.Target][]probe.Result{
			probe.TargetStatus:   {hung(probe.TargetStatus, -20), hung(probe.TargetStatus, -10), ok(probe.TargetStatus, -3)},
			probe.TargetClaudeAI: {hung(probe.TargetClaudeAI, -20), hung(probe.TargetClaudeAI, -10), ok(probe.TargetClaudeAI, -1), ok(probe.TargetClaudeAI, 0)},
			probe.TargetAPI:      {hung(probe.TargetAPI, -20), hung(probe.TargetAPI, -10)},
			probe.TargetAPIKey:   {hung(probe.TargetAPIKey, -20), hung(probe.TargetAPIKey, -10)},
		}, map[string]probe.VerdictKind{"claude_ai": probe.VerdictOperational, "api": probe.VerdictLocalNetwork, "claude_code": probe.VerdictLocalNetwork}}, // Claude Code through the API
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Judge(Input{Status: page, Recent: tc.recent, Now: judgeNow, StaleAfter: 10 * time.Minute})
			want := "; " + tc.who + " not probed again yet (the last probe failed at the network level, with every other host)."
			if v.Kind != probe.VerdictLocalNetwork || !strings.HasPrefix(v.Headline, "Likely your network or a proxy on the path, recovering: hosts answer again since ") ||
				!strings.HasSuffix(v.Headline, want) {
				t.Errorf("%s: %q\nwant it to end %q", v.Kind.Key(), v.Headline, want)
			}
			for key, k := range tc.kinds {
				if got := svc(t, v, key).Kind; got != k {
					t.Errorf("%s: %s, want %s", key, got.Key(), k.Key())
				}
			}
		})
	}
}

// TestPathRecoveringNeedsEveryHostDown: every Anthropic host times out
// after TLS while the status page answers every round, then they answer
// again, one probe at a time, in every order. The status page never
// failed, so the path never did: their recovery is never "Likely your
// network or a proxy on the path, recovering" (a false "your fault", for
// about a round and a half after the API answered first). Judged after
// each result, as the dashboard judges every event.
func TestPathRecoveringNeedsEveryHostDown(t *testing.T) {
	hung := func(tg probe.Target, at time.Time) probe.Result {
		return probe.Result{Target: tg, Time: at, Class: probe.ClassNetwork, ErrorType: probe.NetTimeout,
			Message: "timed out after 2s", Phases: probe.Phases{Connect: time.Millisecond, TLS: time.Millisecond}}
	}
	ok := func(tg probe.Target, at time.Time) probe.Result {
		return probe.Result{Target: tg, Time: at, Class: probe.ClassOK, HTTPStatus: 200}
	}
	for _, order := range [][]probe.Target{
		{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI},
		{probe.TargetStatus, probe.TargetClaudeAI, probe.TargetAPI, probe.TargetAPIKey},
		{probe.TargetAPIKey, probe.TargetStatus, probe.TargetClaudeAI, probe.TargetAPI},
		{probe.TargetClaudeAI, probe.TargetAPIKey, probe.TargetAPI, probe.TargetStatus},
	} {
		t.Run(string(order[0])+"-"+string(order[1])+"-"+string(order[2]), func(t *testing.T) {
			start := judgeNow.Add(-10 * time.Minute)
			recent := map[probe.Target][]probe.Result{}
			var saw []string
			for round := range 14 {
				for i, tg := range order {
					at := start.Add(time.Duration(round)*10*time.Second + time.Duration(i)*time.Second)
					r := ok(tg, at)
					if tg != probe.TargetStatus && round >= 3 && round < 8 {
						r = hung(tg, at)
					}
					recent[tg] = append(recent[tg], r)
					page := officialSnap(nil)
					page.Fetched = at
					v := Judge(Input{Status: page, Recent: recent, Now: at, StaleAfter: 10 * time.Minute})
					saw = append(saw, fmt.Sprintf("round %d, %s %s: %s %q", round, tg, r.Class, v.Kind.Key(), v.Headline))
					if v.Kind == probe.VerdictLocalNetwork || strings.Contains(v.Headline, "your network") {
						t.Fatalf("the status page answered every round, yet:\n%s", strings.Join(saw, "\n"))
					}
				}
			}
			if last := saw[len(saw)-1]; !strings.Contains(last, "operational") {
				t.Errorf("ends %s, want all clear", last)
			}
		})
	}
}
