package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// flap is the API taking turns: the fake's "-api flap -flap 4s" probed
// every 3 s, on both API targets, for n rounds — two failures in a row at
// most, so three in a row never happen (cold F17).
func flap(n int) []string {
	pattern := []string{"529", "ok", "529", "529", "ok", "ok"}
	var out []string
	for i := range n {
		w := pattern[i%len(pattern)]
		out = append(out, "api:"+w, "api_key:"+w)
	}
	return out
}

// TestDetectorOpensAnUnstableIncident: an API flapping for ten minutes
// (the banner: "Unstable: 6 of the last 12 Claude API probes failed")
// left no incident anywhere, because three failures in a row never
// happened. The detector opens one by the banner's own rule — watch's
// instability over the same window — and closes it by the recover rule
// once that rule no longer holds.
func TestDetectorOpensAnUnstableIncident(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
	steps := flap(200) // 200 rounds of 3 s: 10 minutes
	var window []probe.Result
	last := map[string]probe.LocalIncident{}
	for i, s := range steps {
		r := stepResult(s, i)
		for _, l := range d.Observe(probe.Event{Result: r}) {
			last[l.ID] = l
		}
		if r.Target != probe.TargetAPI {
			continue
		}
		window = append(window, r)
		// One rule: whenever the banner would say unstable, an incident
		// of ours is open.
		if watch(r.Target, window, DefaultRecoverThreshold, true).unstable && len(d.Open()) == 0 {
			t.Fatalf("step %d: the banner's rule says unstable, no incident open", i)
		}
	}
	open := d.Open()
	if len(open) != 1 || len(last) != 1 {
		t.Fatalf("open %d, emitted %d incidents, want one of each: %+v", len(open), len(last), last)
	}
	l := open[0]
	if l.Subject != "provider:api" || !l.Unstable || l.Kind != probe.KindProvider {
		t.Errorf("subject %q unstable %v kind %v", l.Subject, l.Unstable, l.Kind)
	}
	if got, want := l.Title(), "Claude API: unstable, overloaded (529)"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if l.Failures > l.Probes || l.Failures < len(steps)/3 || l.Probes < len(steps)*4/5 {
		t.Errorf("%d failed of %d probes over %d results", l.Failures, l.Probes, len(steps))
	}
	if !l.FirstFailure.Equal(t0) {
		t.Errorf("first failure %v, want the window's first, %v", l.FirstFailure, t0)
	}

	// Then the API answers: not closed at the recover threshold while the
	// window still flips, closed once the banner's rule lets go — and
	// recovered, since it answered.
	i := len(steps)
	closedAt := -1
	for k := 0; k < Window && closedAt < 0; k++ {
		for _, s := range []string{"api:ok", "api_key:ok"} {
			r := stepResult(s, i)
			i++
			if r.Target == probe.TargetAPI {
				window = append(window, r)
			}
			for _, c := range d.Observe(probe.Event{Result: r}) {
				if !c.Active() {
					l, closedAt = c, k
				}
			}
		}
		if closedAt < 0 && !watch(probe.TargetAPI, window, DefaultRecoverThreshold, true).unstable && k >= DefaultRecoverThreshold {
			t.Fatalf("round %d of successes: the banner no longer says unstable, the incident is still open", k)
		}
	}
	if closedAt < DefaultRecoverThreshold || !l.Recovering() || l.Recovered.IsZero() {
		t.Errorf("closed after %d successes, recovered %v superseded %v", closedAt+1, l.Recovered, l.Superseded)
	}
}

// TestDetectorSupersededIsNotRecovered: a 529 incident was marked
// "recovered … lasted 4m" when the API merely became unreachable (the
// fake killed): it never answered (cold F6). Its end is when the failures
// changed kind, and it says what they became.
func TestDetectorSupersededIsNotRecovered(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0.Add(time.Hour) }})
	var steps []string
	for range 8 {
		steps = append(steps, "status:ok", "api:529", "api_key:529", "claude_ai:ok")
	}
	for range 4 {
		steps = append(steps, "status:refused", "api:refused", "api_key:refused", "claude_ai:refused")
	}
	open, all := feed(d, steps)
	var old probe.LocalIncident
	for _, l := range all {
		if l.Subject == "provider:api" {
			old = l
		}
	}
	if old.Active() || old.ID == "" {
		t.Fatalf("529 incident still open or missing: %+v", old)
	}
	if !old.Recovered.IsZero() || old.Recovering() {
		t.Errorf("recovered %v: nothing answered", old.Recovered)
	}
	// The API's two targets both stopped failing with 529 by the key
	// probe's first refused connection.
	firstRefused := stepResult("api_key:refused", 8*4+2).Time
	if !old.Superseded.Equal(firstRefused) || !old.End().Equal(firstRefused) {
		t.Errorf("superseded %v end %v, want the first refused probe %v", old.Superseded, old.End(), firstRefused)
	}
	if old.BecameWords() != "unreachable" || !strings.Contains(old.Became, "unreachable") {
		t.Errorf("became %q (%q)", old.Became, old.BecameWords())
	}
	if _, ok := open["network"]; !ok {
		t.Errorf("no network incident open: %v", open)
	}

	// A 401 after the 529s is the servers answering: the provider's
	// incident recovered, the key's refusal is an incident of its own —
	// never "overloaded — became credential rejected" (cold walk of Dec 7).
	d = NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
	_, all = feed(d, seq(times("api_key:529", 3), times("api_key:401", 3)))
	want := stepResult("api_key:401", 3).Time
	for _, l := range all {
		if l.Subject == "provider:api" && (!l.Recovered.Equal(want) || l.Became != "" || l.Active()) {
			t.Errorf("529 incident after 401s: recovered %v (want %v) became %q", l.Recovered, want, l.Became)
		}
	}
}

// TestDetectorNetworkIncidentTitleFollowsTheVerdict: every host taking the
// connection and TLS and then hanging is "Likely your network or a proxy
// on the path" in the verdict; the incident was titled "Your network: no
// Anthropic host answers from here" (cold F22).
func TestDetectorNetworkIncidentTitleFollowsTheVerdict(t *testing.T) {
	hang := func(tg probe.Target, i int) probe.Result {
		return probe.Result{Target: tg, Time: t0.Add(time.Duration(i) * 30 * time.Second), Class: probe.ClassNetwork,
			ErrorType: probe.NetTimeout, Message: "timed out after 3s", Phases: probe.Phases{Connect: time.Millisecond, TLS: 2 * time.Millisecond}}
	}
	targets := []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI}
	run := func(local *probe.LocalReport, mk func(probe.Target, int) probe.Result) probe.LocalIncident {
		d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
		if local != nil {
			d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetLocal, Time: t0}, Local: local})
		}
		for i := range 4 {
			for _, tg := range targets {
				d.Observe(probe.Event{Result: mk(tg, i)})
			}
		}
		for _, l := range d.Open() {
			if l.Kind == probe.KindYourNetwork {
				return l
			}
		}
		t.Fatalf("no network incident: %+v", d.Open())
		return probe.LocalIncident{}
	}
	if got := run(nil, hang).Title(); got != "Likely your network or a proxy on the path: hosts accepted the connection, then did not answer" {
		t.Errorf("hung: %q", got)
	}
	refused := func(tg probe.Target, i int) probe.Result {
		r := hang(tg, i)
		r.ErrorType, r.Phases = probe.NetRefused, probe.Phases{}
		return r
	}
	if got := run(nil, refused).Title(); got != "Your network or proxy: no Anthropic host answers from here" {
		t.Errorf("refused: %q", got)
	}
	// A failing DNS check is evidence about the network: the plain words.
	dns := &probe.LocalReport{Checks: []probe.LocalCheck{{ID: probe.CheckDNS, Name: "DNS", Level: probe.LocalFail, Text: "resolver timed out"}}}
	if l := run(dns, hang); l.Hung {
		t.Errorf("hung with a failing DNS check: %q", l.Title())
	}
	// Over http (a base URL without TLS) a timeout after connecting is as
	// much a hang.
	plain := &probe.LocalReport{APIURL: "http://127.0.0.1:1", StatusURL: "http://127.0.0.1:1", ClaudeURL: "http://127.0.0.1:1"}
	noTLS := func(tg probe.Target, i int) probe.Result {
		r := hang(tg, i)
		r.Phases.TLS = 0
		return r
	}
	if l := run(plain, noTLS); !l.Hung {
		t.Errorf("http hang not hung: %q", l.Title())
	}
}

// TestDetectorNetworkIncidentRecoversOnAnyAnswer: every host refused, then
// answered — the API with 529. The network works again: its incident
// recovered; the API's 529s are an incident of their own, not what "your
// network" became.
func TestDetectorNetworkIncidentRecoversOnAnyAnswer(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
	var steps []string
	for range 4 {
		steps = append(steps, "status:refused", "api:refused", "api_key:refused", "claude_ai:refused")
	}
	for range 3 {
		steps = append(steps, "status:ok", "api:529", "api_key:529", "claude_ai:ok")
	}
	open, all := feed(d, steps)
	for _, l := range all {
		if l.Kind == probe.KindYourNetwork && (l.Active() || !l.Recovering() || l.Became != "") {
			t.Errorf("network incident: active %v superseded %v became %q", l.Active(), l.Superseded, l.Became)
		}
	}
	if _, ok := open["provider:api"]; !ok {
		t.Errorf("no 529 incident open: %v", open)
	}
}

// TestDetectorBlockPageIsNotAnthropics: a Zscaler block page on claude.ai
// ("not Anthropic" by the verdict) opened a provider incident, which was
// then linked to Anthropic's incident with lead and lag (cold2 C12).
func TestDetectorBlockPageIsNotAnthropics(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0.Add(10 * time.Minute) }})
	off := probe.Incident{ID: "461yvfrzpwtt", Status: "resolved", Impact: "major", StartedAt: t0.Add(-40 * time.Minute),
		CreatedAt: t0.Add(-40 * time.Minute), ResolvedAt: t0.Add(-2 * time.Minute), Components: []string{"rwppv331jlwc"}}
	d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: t0, Class: probe.ClassOK}, Official: []probe.Incident{off}})
	var got probe.LocalIncident
	for i := range 4 {
		r := probe.Result{Target: probe.TargetClaudeAI, Time: t0.Add(time.Duration(i) * 30 * time.Second), Class: probe.ClassUnexpected,
			HTTPStatus: 403, ErrorType: probe.ErrNotAnthropic, Message: "403 from Zscaler"}
		for _, l := range d.Observe(probe.Event{Result: r}) {
			got = l
		}
	}
	if got.Kind == probe.KindProvider || got.OfficialID != "" {
		t.Errorf("block page incident: kind %v linked %q, title %q", got.Kind, got.OfficialID, got.Title())
	}
}

// TestDetectorTimeoutsAfterConnectingThen529: the API timed out after the
// connection was made, then answered 529: the title was "unreachable, then
// overloaded (529)" — the banner had said "after connecting" (cold2 C1/C2).
func TestDetectorTimeoutsAfterConnectingThen529(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
	d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: t0, Class: probe.ClassOK}})
	for i := range 5 {
		d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetAPI, Time: t0.Add(time.Duration(i) * time.Second), Class: probe.ClassNetwork,
			ErrorType: probe.NetTimeout, Phases: probe.Phases{Connect: time.Millisecond, TLS: time.Millisecond}}})
	}
	for i := range 3 {
		d.Observe(probe.Event{Result: stepResult("api:529", 10+i)})
	}
	open := d.Open()
	if len(open) != 1 || open[0].Title() != "Claude API: no answer after connecting, then overloaded (529)" {
		t.Errorf("open %d, title %q", len(open), open[0].Title())
	}
}

// TestDetectorNetworkIncidentRecoversWhileTheAPIFlaps (cold5 D5): every
// host timed out; then the status page and claude.ai answer at once while
// the API takes turns, ok and 529 — unstable by the banner's rule. The
// path is working: the "your network" incident recovers when every host
// answered (at the first answers, not minutes later when the API settles),
// and the 529s are the API's incident of their own.
func TestDetectorNetworkIncidentRecoversWhileTheAPIFlaps(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
	var steps []string
	for range 4 {
		steps = append(steps, "status:timeout", "api:timeout", "api_key:timeout", "claude_ai:timeout")
	}
	back := len(steps)
	// The key's probe runs less often than the others (as with the
	// default intervals): once in the first ten rounds.
	for i := range 16 {
		w := []string{"ok", "529"}[i%2]
		steps = append(steps, "status:ok", "api:"+w, "claude_ai:ok")
		if i == 9 {
			steps = append(steps, "api_key:"+w)
		}
	}
	open, all := feed(d, steps)
	if l, ok := open["network"]; ok {
		t.Fatalf("network incident still open while every host answers: %s, %d of %d", l.Title(), l.Failures, l.Probes)
	}
	var net probe.LocalIncident
	for _, l := range all {
		if l.Kind == probe.KindYourNetwork {
			net = l
		}
	}
	if net.ID == "" || !net.Recovering() && net.Recovered.IsZero() {
		t.Fatalf("no recovered network incident: %+v", net)
	}
	if want := stepResult("status:ok", back).Time; net.Recovered.After(want.Add(6 * 30 * time.Second)) {
		t.Errorf("network recovered %v, want by the hosts' first answers (%v)", net.Recovered, want)
	}
	if _, ok := open["provider:api"]; !ok {
		t.Errorf("the API's 529s have no incident of their own: %v", open)
	}
}

// TestUnstableIncidentFollowsTheBanner: an API taking turns with 529s,
// then failing with every probe, showed the banner "Not yet acknowledged
// … Claude API failing from here (529 overloaded)" beside the Incidents
// tab's "Claude API: unstable, overloaded (529)" (cold10 E5): the flag
// that made the title was set once and never let go. At every step of
// each sequence, fed to the detector and the judge alike, the open
// incident's title says what the banner says: "unstable, …" exactly while
// the banner says "Unstable:", "was unstable, now …" while the banner
// says failing; closed, it keeps its history ("unstable, then …").
func TestUnstableIncidentFollowsTheBanner(t *testing.T) {
	steady := func(n int) []string {
		var out []string
		for range n {
			out = append(out, "api:529", "api_key:529")
		}
		return out
	}
	calm := func(n int) []string {
		var out []string
		for range n {
			out = append(out, "api:ok", "api_key:ok")
		}
		return out
	}
	times500 := func(n int) []string {
		var out []string
		for range n {
			out = append(out, "api:500", "api_key:500")
		}
		return out
	}
	alternate := func(n int) []string {
		var out []string
		for i := range n {
			w := []string{"ok", "529"}[i%2]
			out = append(out, "api:"+w, "api_key:"+w)
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		steps     []string
		wantTitle []string // every open title seen, in order, each once
		closed    string   // the closed incident's title, "" when it stays open
	}{
		{"unstable, then failing (cold10)", seq(flap(12), times("api:529", 1), nil, steady(12)),
			[]string{"Claude API: unstable, overloaded (529)", "Claude API: was unstable, now overloaded (529)"}, ""},
		{"unstable, failing, unstable again", seq(flap(12), steady(12), flap(18)),
			[]string{"Claude API: unstable, overloaded (529)", "Claude API: was unstable, now overloaded (529)", "Claude API: unstable, overloaded (529)"}, ""},
		{"unstable, failing, recovered", seq(flap(12), steady(12), calm(4)),
			[]string{"Claude API: unstable, overloaded (529)", "Claude API: was unstable, now overloaded (529)"}, "Claude API: unstable, then overloaded (529)"},
		// inc3 I1: a steady run before the turns was titled only
		// "unstable, …": what came first is said too.
		{"failing, then unstable", seq(steady(6), flap(18)),
			[]string{"Claude API: overloaded (529)", "Claude API: failing (529), then unstable, overloaded (529)"}, ""},
		{"failing with 500, then unstable with 529", seq(times500(6), flap(18)),
			[]string{"Claude API: server errors (500)", "Claude API: server errors, then overloaded (529)",
				"Claude API: failing (500), then unstable, overloaded (529)"}, ""},
		{"answering, failing with 500, then unstable with 529", seq(calm(8), times500(4), alternate(12)),
			[]string{"Claude API: server errors (500)", "Claude API: failing (500), then unstable, overloaded (529)"}, ""},
		{"failing with 500, unstable, failing with 529, recovered", seq(times500(6), flap(18), steady(12), calm(4)),
			[]string{"Claude API: server errors (500)", "Claude API: server errors, then overloaded (529)",
				"Claude API: failing (500), then unstable, overloaded (529)", "Claude API: failing (500), was unstable, now overloaded (529)"},
			"Claude API: failing (500), then unstable, then overloaded (529)"},
		{"unstable, then recovered", seq(flap(12), calm(Window)),
			[]string{"Claude API: unstable, overloaded (529)"}, "Claude API: unstable, overloaded (529)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := page("operational")
			d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
			recent := map[probe.Target][]probe.Result{}
			var titles []string
			closed := ""
			for i, s := range tc.steps {
				r := stepResult(s, i)
				for _, l := range d.Observe(probe.Event{Result: r}) {
					if !l.Active() {
						closed = l.Title()
					}
				}
				recent[r.Target] = append(recent[r.Target], r)
				recent[probe.TargetStatus] = append(recent[probe.TargetStatus], probe.Result{Target: probe.TargetStatus, Class: probe.ClassOK, HTTPStatus: 200, Time: r.Time, Detail: "none"})
				c := *st
				c.Fetched = r.Time
				v := Judge(Input{Status: &c, Recent: recent, Now: r.Time, StaleAfter: 3 * time.Minute})
				open := d.Open()
				if len(open) == 0 {
					continue
				}
				title := open[0].Title()
				if n := len(titles); n == 0 || titles[n-1] != title {
					titles = append(titles, title)
				}
				// Failing "most of the time" is unstable too, said as failing.
				mostly := strings.Contains(v.Headline, "failing from here most of the time")
				bannerUnstable := strings.HasPrefix(v.Headline, "Unstable:") || mostly
				titleUnstable := strings.Contains(title, "unstable, ") && !strings.Contains(title, "was unstable")
				if bannerUnstable != titleUnstable {
					t.Fatalf("step %d (%s): banner %q (%s) beside incident %q", i, s, v.Headline, v.Kind, title)
				}
				if strings.Contains(v.Headline, "failing from here") && !mostly && strings.Contains(title, "unstable") && !strings.Contains(title, "was unstable, now ") {
					t.Fatalf("step %d (%s): banner says failing, incident %q", i, s, title)
				}
			}
			if strings.Join(titles, " | ") != strings.Join(tc.wantTitle, " | ") {
				t.Errorf("open titles\n %q\nwant\n %q", titles, tc.wantTitle)
			}
			if closed != tc.closed {
				t.Errorf("closed title %q, want %q", closed, tc.closed)
			}
		})
	}
}

// TestDetectorRefusedThenHung (cold M6, M1): claude.ai refusing while the
// rest answers is "unreachable … from here — Anthropic or a firewall
// between you", never "Your side"; when its failures turn into timeouts
// after connecting, the old incident "became no answer after
// connecting", not "became unreachable" (it already was).
func TestDetectorRefusedThenHung(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0.Add(time.Hour) }})
	var steps []string
	for range 5 {
		steps = append(steps, "status:ok", "api:ok", "claude_ai:refused")
	}
	for range 5 {
		steps = append(steps, "status:ok", "api:ok", "claude_ai:hung")
	}
	_, all := feed(d, steps)
	var old probe.LocalIncident
	for _, l := range all {
		if l.Subject == "yours:claude_ai:path" {
			old = l
		}
	}
	if old.ID == "" {
		t.Fatalf("no incident of claude.ai refusing: %v", all)
	}
	if got := old.Title(); strings.Contains(got, "Your side") || !strings.Contains(got, "Anthropic or a firewall between you") {
		t.Errorf("title %q", got)
	}
	if old.Superseded.IsZero() || old.BecameWords() != "no answer after connecting" {
		t.Errorf("superseded %v, became %q (%q)", old.Superseded, old.BecameWords(), old.Became)
	}
}

// TestUnstableAfterARecoveredRunStartsAfterIt: the API got 529s, recovered
// (the incident closed), then took turns failing. The unstable incident
// that opens began with the flap's first failure: the window it is opened
// from still holds the closed run's failures, which that run counted —
// the banner said "failing since" the old run's last failure, a time of
// neither episode.
func TestUnstableAfterARecoveredRunStartsAfterIt(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
	var steps []string
	for range 5 {
		steps = append(steps, "api:529", "api_key:529")
	}
	for range 2 * DefaultRecoverThreshold { // a recovery that holds: a failure sooner takes it back (relapse)
		steps = append(steps, "api:ok", "api_key:ok")
	}
	flapFrom := len(steps)
	steps = append(steps, flap(30)...)
	var first probe.LocalIncident
	var flapped []probe.LocalIncident
	for i, s := range steps {
		for _, l := range d.Observe(probe.Event{Result: stepResult(s, i)}) {
			switch {
			case first.ID == "" || l.ID == first.ID:
				first = l
			default:
				flapped = append(flapped, l)
			}
		}
		if i == flapFrom-1 && first.Active() {
			t.Fatalf("the 529 run did not recover before the flap: %+v", first)
		}
	}
	if len(flapped) == 0 {
		t.Fatal("no incident opened for the flap")
	}
	l := flapped[len(flapped)-1]
	start := stepResult(steps[flapFrom], flapFrom).Time
	if !l.Unstable || l.FirstFailure.Before(start) {
		t.Errorf("unstable %v, first failure %v; the flap began %v and the recovered run ended %v",
			l.Unstable, l.FirstFailure.Format(time.TimeOnly), start.Format(time.TimeOnly), first.End().Format(time.TimeOnly))
	}
	if l.Failures > l.Probes {
		t.Errorf("%d failed of %d probes", l.Failures, l.Probes)
	}
}

// TestProxyAfterAFlapIsNotUnstable (cold walk of Dec 7): 529s taking turns
// with answers, then a proxy answering 407 every time. The flap was
// Anthropic's incident's; the proxy's incident is a steady run ("Your
// side, API reachability: was unstable, now a proxy answered …" said
// otherwise), and Anthropic's says it became a proxy answering, not
// "unreachable".
func TestProxyAfterAFlapIsNotUnstable(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
	var proxied []string
	for range 8 {
		proxied = append(proxied, "api:proxy407", "api_key:proxy407")
	}
	_, all := feed(d, seq(times("api:529", 3), flap(8), proxied))
	var provider probe.LocalIncident
	paths := 0
	for _, l := range all {
		switch {
		case l.Subject == "provider:api":
			provider = l
		case strings.HasSuffix(l.Subject, ":path"):
			paths++
			if l.Unstable || strings.Contains(l.Title(), "unstable") {
				t.Errorf("the proxy's incident: %q (unstable %v)", l.Title(), l.Unstable)
			}
		}
	}
	if paths == 0 {
		t.Error("no incident for the proxy's answers")
	}
	if got := provider.BecameWords(); got != "a proxy answering instead" {
		t.Errorf("Anthropic's incident became %q (%q)", got, provider.Title())
	}
}
