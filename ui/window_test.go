package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
	"downforai/probe/judge"
	"downforai/probe/metrics"
	"downforai/probe/watch"
)

// TestBannerMetricsAndLiveCountWhatIsRecent (verdicts5 W2): the key probe
// waits out each Retry-After, so its last 12 results reached six minutes
// back; at 5 s intervals the banner and /metrics said "Unstable: 5 of the
// last 12 Claude API probes failed (401 credential rejected)" while check,
// reading the database within the horizon, said all clear. The dashboard
// (with the engine's horizon), the tracker /metrics reads and Live's "What
// we're seeing right now" weigh the same recent window: the 401s minutes
// old have aged out of all three.
func TestBannerMetricsAndLiveCountWhatIsRecent(t *testing.T) {
	const every = 5 * time.Second
	horizon := judge.Horizon(every, every)
	start := testNow.Add(-7 * time.Minute)
	clk := start
	opts := testOptions()
	opts.Now = func() time.Time { return clk }
	opts.Horizon = horizon
	m := send(New(opts), tea.WindowSizeMsg{Width: 160, Height: 48})
	tr := watch.NewTracker(opts.StaleAfter)
	tr.Horizon = horizon
	met := metrics.New("test")

	ok := func(tg probe.Target, at time.Time) probe.Result {
		return probe.Result{Target: tg, Time: at, Class: probe.ClassOK, HTTPStatus: okCode(tg),
			Phases: probe.Phases{DNS: time.Millisecond, Connect: 2 * time.Millisecond, TLS: 3 * time.Millisecond, Total: 90 * time.Millisecond}}
	}
	r401 := func(at time.Time) probe.Result {
		r := probe.Result{Target: probe.TargetAPIKey, Time: at, Class: probe.ClassAuth, HTTPStatus: 401, ErrorType: "authentication_error",
			Message: "401 authentication_error: invalid x-api-key", Phases: probe.Phases{Connect: 2 * time.Millisecond, TLS: 3 * time.Millisecond, Total: 80 * time.Millisecond}}
		r.RateLimit.RetryAfter = 45 * time.Second
		return r
	}
	feed := func(ev probe.Event) {
		clk = ev.Result.Time
		m = send(m, eventMsg(ev))
		tr.Apply(ev)
		met.Observe(clk, &ev, tr.Verdict(clk), tr.Status())
	}
	// The other targets every 5 s, the page read fine throughout.
	key := map[time.Time]probe.Result{}
	at := start
	for i := range 6 { // 401 and ok taking turns, 50 s apart
		if i%2 == 0 {
			key[at] = r401(at)
		} else {
			key[at] = ok(probe.TargetAPIKey, at)
		}
		at = at.Add(50 * time.Second)
	}
	for i, w := range []string{"ok", "401", "ok", "ok", "ok", "ok"} {
		at := testNow.Add(-time.Duration(30-5*i) * time.Second)
		key[at] = ok(probe.TargetAPIKey, at)
		if w == "401" {
			key[at] = r401(at)
		}
	}
	for at := start; !at.After(testNow.Add(-5 * time.Second)); at = at.Add(every) {
		st := operationalStatus(at)
		feed(probe.Event{Result: ok(probe.TargetStatus, at), Status: &st})
		feed(probe.Event{Result: ok(probe.TargetAPI, at)})
		if r, ok := key[at]; ok {
			feed(probe.Event{Result: r})
		}
		feed(probe.Event{Result: ok(probe.TargetClaudeAI, at)})
	}

	banner := m.board.verdict
	if banner.Kind != probe.VerdictOperational || strings.Contains(banner.Headline, "Unstable") {
		t.Errorf("banner: %s %q; want operational: the 401s minutes old are over", banner.Kind.Key(), banner.Headline)
	}
	if tv := tr.Verdict(clk); tv.Kind != banner.Kind || tv.Headline != banner.Headline {
		t.Errorf("/metrics judges %s %q; the banner %s %q", tv.Kind.Key(), tv.Headline, banner.Kind.Key(), banner.Headline)
	}
	if got := scrape(t, met)["downforai_verdict"]; got != banner.Kind.Key() {
		t.Errorf("downforai_verdict is %q, the banner %q", got, banner.Kind.Key())
	}
	for _, o := range observe(m.board) {
		if strings.Contains(o.text, "with your key") && strings.Contains(o.text, "401") {
			if strings.Contains(o.text, "of the last 12") || strings.Contains(o.text, "3 of") {
				t.Errorf("Live: %q — counts the 401s minutes old", o.text)
			}
		}
	}
}
