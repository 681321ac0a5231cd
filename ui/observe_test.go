package ui

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// TestFailureSentencesReadAsEnglish: "the last 4 API probes got 407
// network" (cold): a class word is no English. Every failing class, with
// and without an HTTP status, makes a sentence that says what happened
// and who answered.
func TestFailureSentencesReadAsEnglish(t *testing.T) {
	cases := []struct {
		c       probe.Class
		code    int
		errType string
		want    string
	}{
		{probe.ClassNetwork, 407, probe.NetProxy, "the last 4 API probes got 407 from a proxy on the way, not from the service"},
		{probe.ClassNetwork, 0, probe.NetProxy, "the last 4 API probes got no answer: a proxy on the way refused them"},
		{probe.ClassNetwork, 0, probe.NetTimeout, "the last 4 API probes got no answer (timed out)"},
		{probe.ClassNetwork, 200, probe.NetReset, "the last 4 API probes got a 200 whose answer broke off (connection reset)"},
		{probe.ClassUnexpected, 403, probe.ErrNotAnthropic, "the last 4 API probes got 403 from a filter, proxy or portal on the way, not from Anthropic"},
		{probe.ClassServer, 503, probe.ErrNotAnthropic, "the last 4 API probes got 503 from a filter, proxy or portal on the way, not from Anthropic"},
		{probe.ClassUnexpected, 200, "not_sse", "the last 4 API probes got an answer of the wrong shape (HTTP 200)"},
		{probe.ClassUnexpected, 0, "", "the last 4 API probes got an answer of the wrong shape"},
		// A 404 under the API URL set is the URL's, not a "wrong shape" (cold5 D34).
		{probe.ClassUnexpected, 404, probe.ErrBaseURLV1, "the last 4 API probes got 404 Not Found: the API URL ends in /v1, so they asked /v1/v1/…"},
		{probe.ClassUnexpected, 404, probe.ErrBaseURL404, "the last 4 API probes got 404 Not Found at /v1/models under the API URL set: a gateway that does not list models, or a wrong URL"},
		{probe.ClassOverloaded, 529, "overloaded_error", "the last 4 API probes got 529 overloaded"},
		{probe.ClassOverloaded, 200, "overloaded_error", "the last 4 API probes got 200, then an error in the stream (overloaded_error)"},
		{probe.ClassServer, 200, "stream_stalled", "the last 4 API probes got 200, then the stream stalled"},
		{probe.ClassServer, 200, "stream_incomplete", "the last 4 API probes got 200, then the stream broke off"},
		{probe.ClassServer, 500, "api_error", "the last 4 API probes got 500 server error"},
		{probe.ClassServer, 0, "", "the last 4 API probes got a server error"},
		{probe.ClassRateLimited, 429, "rate_limit_error", "the last 4 API probes were rate limited (429)"},
		{probe.ClassAuth, 401, "authentication_error", "the last 4 API probes got 401: the credential was refused"},
		{probe.ClassAuth, 403, "permission_error", "the last 4 API probes got 403: the credential was refused"},
		{probe.ClassBilling, 400, "invalid_request_error", "the last 4 API probes got 400: refused for billing (credit, plan or a disabled organisation)"},
		{probe.ClassBilling, 0, "", "the last 4 API probes were refused for billing (credit, plan or a disabled organisation)"},
	}
	for _, c := range cases {
		var rs []probe.Result
		for i := range 4 {
			rs = append(rs, probe.Result{Target: probe.TargetAPI, Time: testNow.Add(time.Duration(i) * time.Second), Class: c.c, HTTPStatus: c.code, ErrorType: c.errType})
		}
		o, ok := observeFailures(probe.TargetAPI, rs, nil, false)
		if !ok || o.text != c.want {
			t.Errorf("%v %d %q: %q, want %q", c.c, c.code, c.errType, o.text, c.want)
		}
	}
	// A canary's 404 has the row's and the incident's name (cold5 D18),
	// not "an answer of the wrong shape".
	var gone []probe.Result
	for i := range 3 {
		gone = append(gone, probe.Result{Target: probe.ModelTarget("claude-haiku-4-5"), Time: testNow.Add(time.Duration(i) * time.Second), Class: probe.ClassUnexpected, HTTPStatus: 404, ErrorType: "not_found_error"})
	}
	if o, _ := observeFailures(gone[0].Target, gone, nil, false); o.text != "the last 3 Claude Haiku 4.5 probes got 404: no such model (check --canary)" {
		t.Errorf("a model's 404: %q", o.text)
	}
	// One failure: the verb agrees ("the only API probe so far was rate
	// limited", not "were" — found in the tmux sweep, claude.ai at 429).
	for _, c := range []probe.Class{probe.ClassRateLimited, probe.ClassOverloaded, probe.ClassAuth, probe.ClassBilling} {
		rs := []probe.Result{{Target: probe.TargetAPI, Time: testNow, Class: c}}
		if o, _ := observeFailures(probe.TargetAPI, rs, nil, false); strings.Contains(o.text, " were ") || !strings.Contains(o.text, "probe so far was ") {
			t.Errorf("%v once: %q", c, o.text)
		}
	}
	// No class word is left bare after a status code, for any class.
	bare := regexp.MustCompile(`got \d+ (network|unexpected|auth|billing|unknown|rate_limited|slow|ok)\b`)
	for _, c := range probe.Classes() {
		if !c.Failing() {
			continue
		}
		for _, code := range []int{0, 200, 400, 401, 403, 407, 429, 500, 529} {
			rs := []probe.Result{{Target: probe.TargetAPIKey, Time: testNow, Class: c, HTTPStatus: code}}
			o, _ := observeFailures(probe.TargetAPIKey, rs, nil, false)
			if bare.MatchString(o.text) || strings.Contains(o.text, "%!") || strings.Contains(o.text, fmt.Sprintf("(%s)", c)) {
				t.Errorf("%v %d: %q", c, code, o.text)
			}
		}
	}
}

// TestFailingFactsComeFirst: at 80×24 the one line about a failing
// canary was hidden behind "… and 7 more" while "status page: All
// Systems Operational" was shown. What fails is listed first; the count
// of the rest names the key that shows them.
func TestFailingFactsComeFirst(t *testing.T) {
	opus := probe.ModelTarget("claude-opus-4-5")
	snap := healthySnapshot(testNow, 20)
	snap.recent[opus] = series(opus, 6, testNow, 10*time.Second, 0, func(i int) (probe.Result, bool) {
		if i >= 2 {
			return overloaded(i), true
		}
		return probe.Result{Class: probe.ClassOK, HTTPStatus: 200, Phases: probe.Phases{FirstToken: 412 * time.Millisecond, Total: 430 * time.Millisecond}}, true
	})
	o := testOptions()
	o.Targets = append(o.Targets, opus)
	m := send(New(o), tea.WindowSizeMsg{Width: 80, Height: 24}, snap)
	v := m.View()
	_, list, _ := strings.Cut(v, "What we're seeing right now\n")
	first, _, _ := strings.Cut(list, "\n")
	if !strings.Contains(first, "4 of the last 6 Claude Opus 4.5 probes got 529 overloaded") {
		t.Errorf("the failing canary is not first:\n%s", v)
	}
	if !strings.Contains(list, "more, all fine: press 3") {
		t.Errorf("the count of the rest does not say what they are and where:\n%s", v)
	}
}

// TestProbeCellSaysWhoAnswered: "✖ unexpected 403" for a block page and
// "✖ network 407" for a proxy were class words, not what happened.
func TestProbeCellSaysWhoAnswered(t *testing.T) {
	st := newStyles(asciiRenderer())
	for _, c := range []struct {
		r    probe.Result
		want string
	}{
		{probe.Result{Target: probe.TargetClaudeAI, Class: probe.ClassUnexpected, HTTPStatus: 403, ErrorType: probe.ErrNotAnthropic, Phases: probe.Phases{Total: time.Millisecond}}, "✖ intercepted 403 1ms"},
		// The gateway at the API URL the user set answering 500 for itself:
		// the banner's "through the gateway", not someone intercepting.
		{probe.Result{Target: probe.TargetAPI, Class: probe.ClassUnexpected, HTTPStatus: 500, ErrorType: probe.ErrNotAnthropic, Message: "500 Internal Server Error (envoy): the gateway's own answer, not Anthropic's: \"upstream connect error\"", Phases: probe.Phases{Total: time.Millisecond}}, "✖ gateway 500 1ms"},
		{probe.Result{Target: probe.TargetAPI, Class: probe.ClassNetwork, HTTPStatus: 407, ErrorType: probe.NetProxy, Phases: probe.Phases{Total: 5 * time.Millisecond}}, "✖ proxy 407 5ms"},
		{probe.Result{Target: probe.TargetAPI, Class: probe.ClassOverloaded, HTTPStatus: 529, Phases: probe.Phases{Total: 5 * time.Millisecond}}, "✖ overloaded 529 5ms"},
		// A canary's stream that began with 200 and failed: "✖ overloaded
		// 200 1ms" read as a 200 that was overloaded (live2).
		{probe.Result{Target: probe.ModelTarget("claude-opus-4-5"), Class: probe.ClassOverloaded, HTTPStatus: 200, ErrorType: "overloaded_error", Phases: probe.Phases{Total: time.Millisecond}}, "✖ 200, then overloaded"},
		{probe.Result{Target: probe.ModelTarget("claude-opus-4-5"), Class: probe.ClassServer, HTTPStatus: 200, ErrorType: "stream_incomplete", Phases: probe.Phases{Total: time.Millisecond}}, "✖ 200, then cut off"},
		{probe.Result{Target: probe.ModelTarget("claude-opus-4-5"), Class: probe.ClassServer, HTTPStatus: 200, ErrorType: "stream_stalled", Phases: probe.Phases{Total: 10 * time.Second}}, "✖ 200, then stalled"},
	} {
		if got := probeCell(&st, c.r); got != c.want {
			t.Errorf("%q, want %q", got, c.want)
		}
		if w := ansi.StringWidth(c.want); w > colProbe {
			t.Errorf("%q is %d cells, the column %d", c.want, w, colProbe)
		}
	}
}

// TestRecoveredFailuresDoNotLead (cold2 C5, C10): after the network came
// back, "What we're seeing right now" led with "8 of the last 12 API
// probes got no answer" under an all-clear. A target whose newest probe
// answers says it answers again, after the failing ones, and comes after
// what fails now.
func TestRecoveredFailuresDoNotLead(t *testing.T) {
	end := testNow.Add(-20 * time.Second)
	snap := healthySnapshot(end, 30)
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 30, end, 30*time.Second, 210*time.Millisecond, func(i int) (probe.Result, bool) {
		if i >= 20 && i < 28 {
			return probe.Result{Class: probe.ClassNetwork, ErrorType: probe.NetRefused, Message: "connection refused"}, true
		}
		return probe.Result{}, false
	})
	snap.recent[probe.TargetClaudeAI] = series(probe.TargetClaudeAI, 30, end, 30*time.Second, 140*time.Millisecond, func(i int) (probe.Result, bool) {
		if i >= 27 {
			return overloaded(i), true
		}
		return probe.Result{}, false
	})
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 120, Height: 35}, snap)
	texts := obsTexts(m)
	want := "API probes succeed again since 13:59:10, after 8 in a row from 13:55:10 got no answer (connection refused)"
	if len(texts) < 2 || texts[0] != "3 of the last 12 claude.ai probes got 529 overloaded" || !slices.Contains(texts, want) {
		t.Errorf("observations %q, want the current failure first and %q", texts, want)
	}
	if i := slices.Index(texts, want); i >= 0 && m.live.obs[i].tone == toneBad {
		t.Errorf("a recovered target is drawn as failing")
	}
}

// TestRecoveredKeylessBesideAFailingKey: the probes without a key answer
// again while the probe with the key gets 429: "API probes succeed again"
// would say the API answers this user; it says which probes answer.
func TestRecoveredKeylessBesideAFailingKey(t *testing.T) {
	end := testNow.Add(-20 * time.Second)
	snap := healthySnapshot(end, 30)
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 30, end, 30*time.Second, 210*time.Millisecond, func(i int) (probe.Result, bool) {
		if i >= 20 && i < 28 {
			return probe.Result{Class: probe.ClassServer, HTTPStatus: 503, ErrorType: "api_error", Message: "Service Unavailable"}, true
		}
		return probe.Result{}, false
	})
	snap.recent[probe.TargetAPIKey] = series(probe.TargetAPIKey, 30, end, 30*time.Second, 260*time.Millisecond, func(i int) (probe.Result, bool) {
		if i >= 28 {
			return probe.Result{Class: probe.ClassRateLimited, HTTPStatus: 429, ErrorType: "rate_limit_error", Message: "Rate limited"}, true
		}
		return probe.Result{}, false
	})
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 120, Height: 35}, snap)
	texts := obsTexts(m)
	joined := strings.Join(texts, "\n")
	if !strings.Contains(joined, "API probes without a key succeed again since") || strings.Contains(joined, "\nAPI probes succeed again") ||
		strings.HasPrefix(joined, "API probes succeed again") {
		t.Errorf("observations do not say which API probes answer again:\n%s", joined)
	}
}

// TestObservationLeadsWithTheNewestFailure: what a target gets now comes
// first under "right now", the commoner earlier failure after it (cold5
// D1, D20: "4 of the last 12 API probes got 529 overloaded" while the API
// timed out; "11 … got no answer (connection refused)" beside the key's
// fresh 429).
func TestObservationLeadsWithTheNewestFailure(t *testing.T) {
	mk := func(tg probe.Target, spec ...probe.Result) []probe.Result {
		var rs []probe.Result
		for _, r := range spec {
			r.Target, r.Time = tg, testNow.Add(time.Duration(len(rs))*time.Second)
			rs = append(rs, r)
		}
		return rs
	}
	overloaded := probe.Result{Class: probe.ClassOverloaded, HTTPStatus: 529, ErrorType: "overloaded_error"}
	timeout := probe.Result{Class: probe.ClassNetwork, ErrorType: probe.NetTimeout}
	refused := probe.Result{Class: probe.ClassNetwork, ErrorType: probe.NetRefused}
	limited := probe.Result{Class: probe.ClassRateLimited, HTTPStatus: 429, ErrorType: "rate_limit_error"}
	ok := probe.Result{Class: probe.ClassOK, HTTPStatus: 200}
	for _, c := range []struct {
		tg   probe.Target
		rs   []probe.Result
		want string
	}{
		{probe.TargetAPI, mk(probe.TargetAPI, ok, overloaded, overloaded, overloaded, overloaded, ok, timeout, timeout, timeout),
			"3 of the last 9 API probes got no answer (timed out); before, 4 got 529 overloaded"},
		{probe.TargetAPIKey, mk(probe.TargetAPIKey, refused, refused, refused, refused, refused, limited),
			"1 of the last 6 API probes with your key was rate limited (429); before, 5 got no answer (connection refused)"},
		{probe.TargetAPI, mk(probe.TargetAPI, overloaded, overloaded), "the last 2 API probes got 529 overloaded"},
		// cold M3: refusals, then timeouts: two kinds, not "the last 11
		// … (timed out)".
		{probe.TargetAPI, mk(probe.TargetAPI, refused, refused, refused, refused, timeout, timeout, timeout, timeout, timeout, timeout, timeout),
			"7 of the last 11 API probes got no answer (timed out); before, 4 got no answer (connection refused)"},
	} {
		if o, _ := observeFailures(c.tg, c.rs, nil, false); o.text != c.want {
			t.Errorf("%q\nwant %q", o.text, c.want)
		}
	}
	// cold M7: one probe in the window after 119 before it is the newest,
	// not "the only claude.ai probe so far".
	if o, _ := observeFailures(probe.TargetClaudeAI, mk(probe.TargetClaudeAI, limited), nil, true); o.text != "the newest claude.ai probe was rate limited (429)" {
		t.Errorf("one probe in the window, older ones before it: %q", o.text)
	}
}

// TestAlternatingIsNotARecovery (live2): with the API taking turns —
// two answers, two 529s, over and over — the banner said "Unstable: 5 of
// 12 …" while What we're seeing said "API probes succeed again since
// 11:40:49, after 5 of the last 12 got 529 overloaded", a recovery, each
// time the newest probe was one of the answers. It says they take turns.
func TestAlternatingIsNotARecovery(t *testing.T) {
	end := testNow.Add(-20 * time.Second)
	snap := healthySnapshot(end, 30)
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 30, end, 10*time.Second, 210*time.Millisecond, func(i int) (probe.Result, bool) {
		if i >= 16 && i%4 >= 2 { // ok ok × × …, the newest two ok
			return overloaded(i), true
		}
		return probe.Result{}, false
	})
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 120, Height: 35}, snap)
	texts := obsTexts(m)
	want := "API probes take turns failing and answering: 6 of the last 12 got 529 overloaded; the newest answered at 13:59:40"
	if len(texts) == 0 || texts[0] != want {
		t.Errorf("observations %q, want first %q", texts, want)
	}
	for _, s := range texts {
		if strings.Contains(s, "succeed again") {
			t.Errorf("a flap told as a recovery: %q", s)
		}
	}
	if v := m.View(); !strings.Contains(v, "Unstable") {
		t.Errorf("the banner does not say Unstable, so the test does not test the flap:\n%s", v)
	}
}

// TestRecoveredRunDoesNotShrink (cold walk of Dec 7): "after 10 of the last
// 12 got 529" shrank round by round as the window slid past the failures
// while the strip still drew ten ×. The run that ended at the recovery is
// counted whole, however many answers came since.
func TestRecoveredRunDoesNotShrink(t *testing.T) {
	for _, tc := range []struct {
		name      string
		from, to  int // failing results [from, to) of 30, one every 30 s
		mixedFrom int // from here on, 500s instead of refusals (-1: none)
		want      string
	}{
		{"four answers since", 16, 26, -1, "API probes succeed again since 13:58:10, after 10 in a row from 13:53:10 got no answer (connection refused)"},
		{"eight answers since", 12, 22, -1, "API probes succeed again since 13:56:10, after 10 in a row from 13:51:10 got no answer (connection refused)"},
		{"one failure", 27, 28, -1, "API probes succeed again since 13:59:10, after one failure at 13:58:40 (it got no answer (connection refused))"},
		{"two kinds", 18, 26, 23, "API probes succeed again since 13:58:10, after 8 in a row from 13:54:10: 3 got 500 server error; before, 5 got no answer (connection refused)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			end := testNow.Add(-20 * time.Second)
			snap := healthySnapshot(end, 30)
			snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 30, end, 30*time.Second, 210*time.Millisecond, func(i int) (probe.Result, bool) {
				switch {
				case i >= tc.from && i < tc.to && tc.mixedFrom >= 0 && i >= tc.mixedFrom:
					return probe.Result{Class: probe.ClassServer, HTTPStatus: 500, ErrorType: "api_error", Message: "Internal server error"}, true
				case i >= tc.from && i < tc.to:
					return probe.Result{Class: probe.ClassNetwork, ErrorType: probe.NetRefused, Message: "connection refused"}, true
				}
				return probe.Result{}, false
			})
			m := send(New(testOptions()), tea.WindowSizeMsg{Width: 120, Height: 35}, snap)
			texts := obsTexts(m)
			if !slices.Contains(texts, tc.want) {
				t.Errorf("observations %q\nwant %q", texts, tc.want)
			}
		})
	}
}

// TestMostlyFailingIsNotTakingTurns (cold walk of Dec 7): with 529s three
// times in four, "take turns failing and answering: 9 of the last 12"
// read as half and half. It says they fail most of the time, beside a
// banner that says failing.
func TestMostlyFailingIsNotTakingTurns(t *testing.T) {
	end := testNow.Add(-20 * time.Second)
	snap := healthySnapshot(end, 30)
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 30, end, 10*time.Second, 210*time.Millisecond, func(i int) (probe.Result, bool) {
		if i >= 16 && i%4 != 1 { // × ok × ×, …, the newest one ok
			return overloaded(i), true
		}
		return probe.Result{}, false
	})
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 120, Height: 35}, snap)
	texts := obsTexts(m)
	want := "API probes fail most of the time, answering now and then: "
	if len(texts) == 0 || !strings.HasPrefix(texts[0], want) {
		t.Errorf("observations %q, want first to begin %q", texts, want)
	}
	if v := m.View(); !strings.Contains(v, "failing from here most of the time") || strings.Contains(v, "Unstable") {
		t.Errorf("the banner does not say failing most of the time:\n%s", v)
	}
}

// TestRecoveredRunCountsEveryFailure (cold walk of Dec 7): "after 20 in a
// row from 20:04:07: 6 got 407 …; before, 5 got 401" said 11 of the 20;
// the run is counted whole, and what the two kinds named leave out is
// counted too.
func TestRecoveredRunCountsEveryFailure(t *testing.T) {
	end := testNow.Add(-20 * time.Second)
	snap := healthySnapshot(end, 30)
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 30, end, 30*time.Second, 210*time.Millisecond, func(i int) (probe.Result, bool) {
		switch {
		case i >= 4 && i < 10:
			return probe.Result{Class: probe.ClassNetwork, ErrorType: probe.NetRefused, Message: "connection refused"}, true
		case i >= 10 && i < 18:
			return overloaded(i), true
		case i >= 18 && i < 24:
			return probe.Result{Class: probe.ClassServer, HTTPStatus: 500, ErrorType: "api_error", Message: "Internal server error"}, true
		}
		return probe.Result{}, false
	})
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 120, Height: 35}, snap)
	texts := obsTexts(m)
	want := "API probes succeed again since 13:57:10, after 20 in a row from 13:47:10: 6 got 500 server error; before, 8 got 529 overloaded, and 6 more failed otherwise"
	if !slices.Contains(texts, want) {
		t.Errorf("observations %q\nwant %q", texts, want)
	}
}

// obsTexts is what What we're seeing says, in its order.
func obsTexts(m Model) []string {
	var texts []string
	for _, o := range m.live.obs {
		texts = append(texts, o.text)
	}
	return texts
}
