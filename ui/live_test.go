package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// mixedSnapshot is a day with a bit of everything: the API failing now
// and then under an official incident of minor impact, a second incident
// on claude.ai, a maintenance in progress and one scheduled, an incident
// of ours on the API, claude.ai slow for a few probes, and your key's
// rate-limit headers.
func mixedSnapshot(end time.Time) snapshotMsg {
	snap := healthySnapshot(end, ringSize)
	for i, r := range snap.recent[probe.TargetAPI] {
		if i%9 == 4 || i >= ringSize-3 && i != ringSize-2 {
			f := overloaded(i)
			f.Target, f.Time = r.Target, r.Time
			snap.recent[probe.TargetAPI][i] = f
		}
	}
	for i, r := range snap.recent[probe.TargetClaudeAI] {
		if i >= ringSize-12 && i%4 == 1 {
			r.Class, r.Phases.Total = probe.ClassSlow, 3400*time.Millisecond
			snap.recent[probe.TargetClaudeAI][i] = r
		}
	}
	for i := range snap.recent[probe.TargetAPIKey] {
		r := &snap.recent[probe.TargetAPIKey][i]
		r.RateLimit = probe.RateLimit{RequestsLimit: 4000, RequestsRemaining: int64(3999 - i%3), RequestsReset: r.Time.Add(time.Second).Truncate(time.Second),
			TokensLimit: 400000, TokensRemaining: 398000}
	}
	st := operationalStatus(end)
	st.Indicator, st.Description = "minor", "Minor Service Outage"
	st.Components = components("degraded_performance", "degraded_performance", "operational")
	started := testNow.Add(-47 * time.Minute)
	st.Incidents = []probe.Incident{
		{ID: "inc1", Name: "Elevated errors on Claude Opus 4.1", Status: "monitoring", Impact: "minor",
			CreatedAt: started, StartedAt: started, UpdatedAt: testNow.Add(-5 * time.Minute), Components: []string{"k8w3r06qmzrp"}},
		{ID: "inc2", Name: "Slow responses on claude.ai for some users in Europe while we roll out a fix to the session service", Status: "investigating", Impact: "minor",
			CreatedAt: testNow.Add(-12 * time.Minute), StartedAt: testNow.Add(-12 * time.Minute), UpdatedAt: testNow.Add(-12 * time.Minute), Components: []string{"rwppv331jlwc"}},
	}
	st.Maintenances = []probe.Incident{
		{ID: "mt1", Name: "Claude Console database upgrade", Status: "in_progress", Impact: "maintenance",
			ScheduledFor: testNow.Add(-20 * time.Minute), ScheduledUntil: testNow.Add(40 * time.Minute), CreatedAt: testNow.Add(-48 * time.Hour), Components: []string{"0qbwn08sd68x"}},
		{ID: "mt2", Name: "Claude API network maintenance", Status: "scheduled", Impact: "maintenance",
			ScheduledFor: testNow.Add(26 * time.Hour), ScheduledUntil: testNow.Add(28 * time.Hour), CreatedAt: testNow.Add(-24 * time.Hour), Components: []string{"k8w3r06qmzrp"}},
	}
	snap.status = &st
	l := ourAPIIncident("inc1")
	l.FirstFailure = testNow.Add(-90 * time.Second)
	snap.local = []probe.LocalIncident{l}
	return snap
}

// liveStates are the Live tab's situations for the size goldens.
func liveStates() map[string]func() Model {
	s := states()
	return map[string]func() Model{
		"healthy": s["operational"],
		"failing": s["outage"],
		"mixed": func() Model {
			ev := eventMsg{Result: series(probe.TargetClaudeAI, 1, testNow.Add(-8*time.Second), time.Second, 150*time.Millisecond, never)[0]}
			return thisRun(send(New(testOptions()), mixedSnapshot(testNow.Add(-20*time.Second)), ev))
		},
	}
}

var liveSizes = []struct{ w, h int }{{80, 24}, {120, 35}, {160, 48}, {200, 60}}

// TestLiveGoldenSizes draws Live signals at every size in healthy,
// failing and mixed states: the frame fits, and no line of the tab was
// cut by the last-resort clamp (which cuts mid-word).
func TestLiveGoldenSizes(t *testing.T) {
	for name, build := range liveStates() {
		for _, sz := range liveSizes {
			m := send(build(), tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
			file := fmt.Sprintf("live_%s_%dx%d", name, sz.w, sz.h)
			got := m.View()
			requireGolden(t, file, got)
			checkBox(t, file, got, sz.w, sz.h)
			for i, line := range m.live.lines() {
				if n := ansi.StringWidth(line); n > sz.w {
					t.Errorf("%s: line %d is %d cells, cut by clamp: %q", file, i, n, line)
				}
			}
			if len(m.live.lines()) > m.live.h {
				t.Errorf("%s: %d lines for %d", file, len(m.live.lines()), m.live.h)
			}
		}
	}
}

// TestLiveUsesTheHeight: at 160×48 the tab is not half empty: the
// context sections are drawn.
func TestLiveUsesTheHeight(t *testing.T) {
	m := send(liveStates()["mixed"](), tea.WindowSizeMsg{Width: 160, Height: 48})
	v := m.View()
	for _, want := range []string{
		"Latency, 15 min to ", "Open incidents", "Elevated errors on Claude Opus 4.1 · monitoring · 47m · status page",
		"Claude API: overloaded (529) · 76 of 80 probes with and without your key failed · since 13:58 (1m) · our probes",
		"Maintenance", "Claude Console database upgrade · in progress, until 14:40 · status page",
		"Claude API network maintenance · scheduled Sep 4 16:00–18:00 (in 26h) · status page",
		"Your key's rate limit: 3,997 of 4,000 requests left · 398,000 of 400,000 tokens left",
		"−25m", "now",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q:\n%s", want, v)
		}
	}
	// An incident shown in full is not repeated under "What we're seeing".
	if strings.Count(v, "Elevated errors on Claude Opus 4.1") != 1 {
		t.Errorf("the official incident is drawn twice:\n%s", v)
	}
}

// TestLiveSummarisesWhatDoesNotFit: what does not fit is counted, never
// scrolled, and says where the rest is.
func TestLiveSummarisesWhatDoesNotFit(t *testing.T) {
	b := liveStates()["mixed"]()
	st := *b.board.status
	for i := range 20 {
		st.Incidents = append(st.Incidents, probe.Incident{ID: fmt.Sprintf("x%d", i), Name: fmt.Sprintf("Extra incident %d", i), Status: "investigating", Impact: "minor",
			StartedAt: testNow.Add(-time.Duration(i) * time.Minute), Components: []string{"k8w3r06qmzrp"}})
	}
	b = send(b, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow.Add(-5 * time.Second), Class: probe.ClassOK, HTTPStatus: 200}, Status: &st})
	m := send(b, tea.WindowSizeMsg{Width: 160, Height: 48})
	v := m.View()
	if !strings.Contains(v, "more incidents: press 2") || !strings.Contains(v, "Extra incident 0") {
		t.Errorf("no summary of the incidents that do not fit:\n%s", v)
	}
	checkBox(t, "summary", v, 160, 48)
	requireGolden(t, "live_many_incidents_160x48", v)
}

// TestSharedLatencyAxis: a bar's height is the latency's, whatever else
// the row holds: the same probe draws the same block in a fast row and a
// slow one, the set-up of a first probe is no spike, and slow and failed
// probes keep their symbols.
func TestSharedLatencyAxis(t *testing.T) {
	st := newStyles(asciiRenderer())
	at := func(i int) time.Time { return testNow.Add(time.Duration(i-10) * 30 * time.Second) }
	mk := func(ms ...int) []probe.Result {
		var rs []probe.Result
		for i, v := range ms {
			rs = append(rs, probe.Result{Time: at(i), Class: probe.ClassOK, Phases: probe.Phases{Total: time.Duration(v) * time.Millisecond}})
		}
		return rs
	}
	cases := []struct {
		name string
		rs   []probe.Result
		want string
	}{
		{"fast row", mk(140, 141, 139, 140), "▂▂▂▂"},
		{"first probe's set-up is a step, not a spike", mk(200, 140, 141, 140), "▃▂▂▂"},
		{"noise of a millisecond", mk(141, 142, 141, 140), "▂▂▂▂"},
		{"a slow service stands taller", mk(700, 720, 690, 700), "▆▆▆▆"},
	}
	for _, c := range cases {
		got := strip(&st, c.rs, 4, c.rs[len(c.rs)-1].Time, 30*time.Second, nil)
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	rs := mk(140, 140, 140, 140)
	rs[1].Class, rs[2].Class = probe.ClassSlow, probe.ClassOverloaded
	if got := strip(&st, rs, 4, rs[3].Time, 30*time.Second, nil); got != "▂▲×▂" {
		t.Errorf("slow and failed: %q", got)
	}
}

// TestStripPlacement: one cell per probe at the usual interval, with its
// jitter; a blank where probes did not run; rows that end earlier start
// further in; older results that do not fit are dropped.
func TestStripPlacement(t *testing.T) {
	step := 30 * time.Second
	end := testNow
	times := func(offsets ...time.Duration) []probe.Result {
		var rs []probe.Result
		for _, o := range offsets {
			rs = append(rs, probe.Result{Time: end.Add(-o)})
		}
		return rs
	}
	s := time.Second
	cases := []struct {
		name string
		rs   []probe.Result
		w    int
		want []int
	}{
		{"regular", times(90*s, 60*s, 30*s, 0), 6, []int{2, 3, 4, 5}},
		{"jitter up to 10%", times(99*s, 66*s, 33*s, 0), 6, []int{2, 3, 4, 5}},
		{"a missed probe leaves a blank", times(90*s, 30*s, 0), 6, []int{2, 4, 5}},
		{"the program was off for 2 minutes", times(180*s, 30*s, 0), 8, []int{1, 6, 7}},
		{"a row that stopped earlier", times(120*s, 90*s, 60*s), 6, []int{1, 2, 3}},
		{"too many", times(120*s, 90*s, 60*s, 30*s, 0), 3, []int{-1, -1, 0, 1, 2}},
	}
	for _, c := range cases {
		got, _ := stripCells(c.rs, c.w, end, step, nil)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// Two hours with the program off: one break cell, and the older probes
	// still fill the strip on its left.
	h := time.Hour
	rs := times(2*h+60*s, 2*h+30*s, 2*h, 30*s, 0)
	pos, breaks := stripCells(rs, 8, end, step, []quiet{{end.Add(-2 * h), end.Add(-30 * s)}})
	if fmt.Sprint(pos, breaks) != "[2 3 4 6 7] [5]" {
		t.Errorf("a quiet span: %v %v", pos, breaks)
	}
	if got := timeScale(30, step, "now", 20, "11:58", 0); got != "               11:58┊      now" {
		t.Errorf("scale with a break: %q", got)
	}
	// Right after a restart the break is under "now" or next to it: the
	// label stays whole (cold C19: "n┊w", then "┊ow").
	for _, brk := range []int{26, 27, 28, 29} {
		if got := timeScale(30, step, "now", brk, "11:58", 0); got != strings.Repeat(" ", 27)+"now" {
			t.Errorf("break at %d under the label: %q", brk, got)
		}
	}
}

func TestTimeScale(t *testing.T) {
	cases := []struct {
		w     int
		step  time.Duration
		right string
		want  string
	}{
		{14, 30 * time.Second, "now", " −5m       now"},
		{20, 30 * time.Second, "now", "       −5m       now"},
		{60, 30 * time.Second, "14:02", "      −25m      −20m      −15m      −10m       −5m     14:02"},
		{40, time.Minute, "now", "      −30m      −20m      −10m       now"},
		{3, 30 * time.Second, "now", "now"},
		{2, 30 * time.Second, "now", "  "},
	}
	for _, c := range cases {
		if got := timeScale(c.w, c.step, c.right, -1, "", 0); got != c.want {
			t.Errorf("timeScale(%d, %v, %q) = %q, want %q", c.w, c.step, c.right, got, c.want)
		}
	}
}

// TestVerdictChangeIsMarkedForAMinute: a change of verdict between two
// known ones shows in the banner for a minute, then goes.
//
// With Claude Code's sessions or a canary among the targets too: they
// speak only when the user's calls or the canary's interval do, and
// waiting for them once kept the mark from ever showing (cold4 C1).
func TestVerdictChangeIsMarkedForAMinute(t *testing.T) {
	for name, targets := range map[string][]probe.Target{
		"probes":            probe.Targets(),
		"and sessions":      append(probe.Targets(), probe.TargetSessions),
		"and a quiet model": append(probe.Targets(), probe.ModelTarget("claude-opus-4-5")),
	} {
		t.Run(name, func(t *testing.T) { testVerdictChangeIsMarked(t, targets) })
	}
}

func testVerdictChangeIsMarked(t *testing.T, targets []probe.Target) {
	clock := testNow
	opts := testOptions()
	opts.Targets = targets
	opts.Now = func() time.Time { return clock }
	m := send(New(opts), healthySnapshot(testNow.Add(-20*time.Second), ringSize), tea.WindowSizeMsg{Width: 120, Height: 35})
	if strings.Contains(m.View(), "changed") {
		t.Fatalf("a first verdict is no change:\n%s", m.View())
	}
	m = ranThisRun(m)
	clock = testNow.Add(2 * time.Minute).Add(2 * time.Second) // 14:02:02
	st := outageStatus(clock)
	for i := range 3 {
		r := overloaded(i)
		r.Target, r.Time = probe.TargetAPI, clock.Add(time.Duration(i-3)*time.Second)
		m = send(m, eventMsg{Result: r})
	}
	if k := m.board.verdict.Kind; k != probe.VerdictUnacknowledged {
		t.Fatalf("verdict %v after three 529s", k)
	}
	if v := m.View(); !strings.Contains(v, "changed 14:02 from Operational") {
		t.Fatalf("no mark of the change:\n%s", v)
	}
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: clock, Class: probe.ClassOK}, Status: &st})
	v := m.View()
	if !strings.Contains(v, "changed 14:02 from Not yet acknowledged by Anthropic") {
		t.Fatalf("no mark of the second change:\n%s", v)
	}
	clock = clock.Add(59 * time.Second)
	m = send(m, tickMsg(clock))
	if !strings.Contains(m.View(), "changed 14:02 from Not yet acknowledged by Anthropic") {
		t.Error("the mark went before a minute")
	}
	clock = clock.Add(2 * time.Second)
	m = send(m, tickMsg(clock))
	if v := m.View(); strings.Contains(v, "changed 14:02") {
		t.Errorf("the mark stayed after a minute:\n%s", v)
	}
}

// ranThisRun makes every result m's rings hold this run's own, as if the
// engine had delivered them (a change is measured only on those).
func ranThisRun(m Model) Model {
	for t, r := range m.board.rings {
		if rs := r.items(); len(rs) > 0 {
			if m.board.liveFrom == nil {
				m.board.liveFrom = map[probe.Target]time.Time{}
			}
			m.board.liveFrom[t] = rs[0].Time
		}
	}
	return m
}

// TestTimeScaleHoldsStillUnderJitter: the probes' interval jitters by up
// to 10%; the time scale must not hop with every probe (each hop rewrites
// the line on the terminal).
func TestTimeScaleHoldsStillUnderJitter(t *testing.T) {
	clock := testNow
	opts := testOptions()
	opts.Now = func() time.Time { return clock }
	m := send(New(opts), healthySnapshot(testNow, ringSize), tea.WindowSizeMsg{Width: 120, Height: 35})
	scale := func() string {
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.Contains(l, "▲ slow") {
				return l
			}
		}
		return ""
	}
	seen := map[string]bool{scale(): true}
	for i := range 200 {
		clock = clock.Add(30*time.Second + time.Duration(i*7919%3000)*time.Millisecond)
		for _, tg := range []probe.Target{probe.TargetClaudeAI, probe.TargetAPI, probe.TargetAPIKey, probe.TargetCode} {
			r := series(tg, 1, clock, time.Second, 140*time.Millisecond, never)[0]
			m = send(m, eventMsg{Result: r})
		}
		seen[scale()] = true
	}
	if len(seen) > 3 {
		t.Errorf("the time scale took %d forms in 200 probes:\n%s", len(seen), strings.Join(mapKeys(seen), "\n"))
	}
}

func mapKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestNoChangeMarkBeforeTheVerdictSettles (cold F15): on a fresh start
// against a failing API the first rounds answer before the status page
// is read, so the first verdict is a guess ("failing from here"); when
// the status read lands, the verdict moves, but nothing the user saw
// changed. The same for a viewer whose first events come before the
// snapshot of the engine's history.
func TestNoChangeMarkBeforeTheVerdictSettles(t *testing.T) {
	clock := testNow
	opts := testOptions()
	opts.Now = func() time.Time { return clock }
	t.Run("fresh start", func(t *testing.T) {
		m := send(New(opts), snapshotMsg{}, tea.WindowSizeMsg{Width: 120, Height: 35})
		seen := map[probe.VerdictKind]bool{}
		for i := range 3 {
			r := overloaded(i)
			r.Target, r.Time = probe.TargetAPI, clock.Add(time.Duration(i-3)*time.Second)
			m = send(m, eventMsg{Result: r})
			seen[m.board.verdict.Kind] = true
		}
		for _, tg := range []probe.Target{probe.TargetAPIKey, probe.TargetClaudeAI, probe.TargetCode} {
			for i := range 3 {
				r := probe.Result{Target: tg, Time: clock.Add(time.Duration(i-3) * time.Second), Class: probe.ClassOK, Phases: probe.Phases{Total: 100 * time.Millisecond}}
				if tg == probe.TargetAPIKey {
					r = overloaded(10 + i)
					r.Target, r.Time = tg, clock.Add(time.Duration(i-3)*time.Second)
				}
				m = send(m, eventMsg{Result: r})
				seen[m.board.verdict.Kind] = true
			}
		}
		st := operationalStatus(clock)
		m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: clock, Class: probe.ClassOK}, Status: &st})
		seen[m.board.verdict.Kind] = true
		if len(seen) < 2 {
			t.Fatalf("the fixture must move the verdict on the status read to test anything, saw %v", seen)
		}
		if k := m.board.verdict.Kind; k != probe.VerdictUnacknowledged {
			t.Fatalf("verdict %v, want not yet acknowledged", k)
		}
		if v := m.View(); strings.Contains(v, "changed") {
			t.Errorf("a first settled verdict is no change:\n%s", v)
		}
	})
	t.Run("viewer", func(t *testing.T) {
		end := clock.Add(-20 * time.Second)
		snap := healthySnapshot(end, 30)
		st := operationalStatus(end)
		snap.status = &st
		snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 30, end, 30*time.Second, 210*time.Millisecond, func(i int) (probe.Result, bool) {
			if i >= 20 {
				return overloaded(i), true
			}
			return probe.Result{}, false
		})
		r := overloaded(99)
		r.Target, r.Time = probe.TargetAPI, clock
		m := send(New(opts), tea.WindowSizeMsg{Width: 120, Height: 35}, eventMsg{Result: r})
		first := m.board.verdict.Kind
		m = send(m, snap)
		if m.board.verdict.Kind == first {
			t.Fatalf("the fixture must move the verdict on the snapshot to test anything (%v)", first)
		}
		if v := m.View(); strings.Contains(v, "changed") {
			t.Errorf("a viewer's first frames are no change:\n%s", v)
		}
	})
}

// TestRateLimitLineSaysWhyItIsUnknown: with no answer there were no
// headers to carry; the headroom last seen is given with its time, never
// as now's (cold5 D3).
func TestRateLimitLineSaysWhyItIsUnknown(t *testing.T) {
	at := testNow.Add(-time.Minute)
	withHeaders := probe.Result{Target: probe.TargetAPIKey, Time: at, Class: probe.ClassOK, HTTPStatus: 200,
		RateLimit: probe.RateLimit{RequestsLimit: 1000, RequestsRemaining: 999, TokensLimit: 96000, TokensRemaining: 96000}}
	timedOut := probe.Result{Target: probe.TargetAPIKey, Time: testNow.Add(-2 * time.Second), Class: probe.ClassNetwork,
		ErrorType: probe.NetTimeout, Message: "timed out after 2s, after connecting"}
	bare503 := probe.Result{Target: probe.TargetAPIKey, Time: testNow.Add(-2 * time.Second), Class: probe.ClassServer, HTTPStatus: 503}
	for _, c := range []struct {
		name      string
		results   []probe.Result
		want, not []string
	}{
		{"timed out, headroom seen before", []probe.Result{withHeaders, timedOut},
			[]string{"not known now — the last probe, <1m ago, got no answer (timed out after 2s", "at " + clock(testNow, at) + ": 999 of 1,000 requests left · 96,000 of 96,000 tokens left"},
			[]string{"carried no"}},
		{"timed out, never seen", []probe.Result{timedOut}, []string{"not known — the last probe, <1m ago, got no answer"}, []string{"carried no", " at "}},
		{"an answer without headers", []probe.Result{bare503}, []string{"not known — the last answer, <1m ago, carried no anthropic-ratelimit headers"}, []string{"no answer"}},
	} {
		m := New(testOptions())
		for _, r := range c.results {
			m = send(m, eventMsg{Result: r})
		}
		m = send(m, tea.WindowSizeMsg{Width: 200, Height: 60})
		text := strings.Join(strings.Fields(ansi.Strip(strings.Join(m.live.rateLimitSection().lines, " "))), " ")
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: no %q in %q", c.name, w, text)
			}
		}
		for _, n := range c.not {
			if strings.Contains(text, n) {
				t.Errorf("%s: %q in %q", c.name, n, text)
			}
		}
	}
}

// TestLiveLeavesOutMaintenancesLongPast: a maintenance the page still
// lists as scheduled for a window that ended (here in 2015) is no
// maintenance to watch; one far off in another year carries its year
// (cold5 D37).
func TestLiveLeavesOutMaintenancesLongPast(t *testing.T) {
	b := liveStates()["mixed"]()
	st := *b.board.status
	st.Maintenances = []probe.Incident{
		{ID: "old", Name: "Database maintenance", Status: "scheduled", Impact: "maintenance",
			ScheduledFor: time.Date(2015, 6, 1, 2, 0, 0, 0, time.UTC), ScheduledUntil: time.Date(2015, 6, 1, 4, 0, 0, 0, time.UTC)},
		{ID: "far", Name: "Datacenter move", Status: "scheduled", Impact: "maintenance",
			ScheduledFor: testNow.AddDate(1, 0, 0), ScheduledUntil: testNow.AddDate(1, 0, 0).Add(2 * time.Hour)},
	}
	b = send(b, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow.Add(-5 * time.Second), Class: probe.ClassOK, HTTPStatus: 200}, Status: &st})
	v := ansi.Strip(send(b, tea.WindowSizeMsg{Width: 160, Height: 48}).View())
	if strings.Contains(v, "Database maintenance") {
		t.Errorf("a window that ended in 2015 is listed as scheduled:\n%s", v)
	}
	far := testNow.AddDate(1, 0, 0).In(time.UTC)
	if want := "Datacenter move · scheduled " + far.Format("Jan 2 2006 15:04"); !strings.Contains(v, want) {
		t.Errorf("no %q:\n%s", want, v)
	}
}

func TestQuietSpansAreWhereTheProgramWasOff(t *testing.T) {
	step := 5 * time.Second
	s, m, h := time.Second, time.Minute, time.Hour
	// rounds builds the probe times of three targets probed one after
	// another in each round (up to 2 s apart), oldest first, at the given
	// offsets before testNow.
	rounds := func(offsets ...time.Duration) [][]time.Time {
		series := make([][]time.Time, 3)
		for _, o := range offsets {
			at := testNow.Add(-o)
			for k := range series {
				series[k] = append(series[k], at.Add(time.Duration(k)*900*time.Millisecond))
			}
		}
		return series
	}
	every := func(from, to, d time.Duration) []time.Duration {
		var out []time.Duration
		for o := from; o >= to; o -= d {
			out = append(out, o)
		}
		return out
	}
	cases := []struct {
		name string
		at   []time.Duration
		want []time.Duration // the quiet spans' lengths, newest first
	}{
		{"regular", every(2*m, 0, 5*s), nil},
		// The interval went from 30 s to 5 s: the older probes are 30 s
		// apart, which is their interval, not the program being off.
		{"after the interval was shortened", append(every(10*m, 2*m+30*s, 30*s), every(2*m, 0, 5*s)...), nil},
		{"off for ten minutes", append(every(15*m, 11*m, 5*s), every(1*m, 0, 5*s)...), []time.Duration{10 * m}},
		{"off at 30 s intervals", append(every(3*h, 2*h+50*m, 30*s), every(10*m, 0, 30*s)...), []time.Duration{2*h + 40*m}},
		{"on for one round between two stops", append(append(every(6*h, 5*h, 5*s), 2*h), every(1*m, 0, 5*s)...), []time.Duration{2*h - m, 3 * h}},
		// One target probed every 5 min kept 50 min of results, the others
		// only their last 10 min: between its probes the program ran.
		{"a target probed rarely reaches further back", nil, nil},
	}
	for _, c := range cases {
		var got []time.Duration
		series := rounds(c.at...)
		if c.at == nil {
			series = rounds(every(10*m, 0, 5*s)...)
			series[2] = nil
			for _, o := range every(50*m, 0, 5*m) {
				series[2] = append(series[2], testNow.Add(-o))
			}
		}
		for _, q := range quietIn(series, step) {
			got = append(got, q.to.Sub(q.from).Round(time.Minute))
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: quiet spans %v, want %v", c.name, got, c.want)
		}
	}
}

// TestLatencySpanIsWhatTheRingHolds: at a 5 s interval the 120 results a
// target keeps reach 10 min back; "last 15 full min" over them read the
// older minutes as minutes without probes (cold4 C4).
func TestLatencySpanIsWhatTheRingHolds(t *testing.T) {
	for _, c := range []struct {
		step time.Duration
		want string
	}{
		{30 * time.Second, "Latency, 15 min to "},
		{5 * time.Second, "Latency, 9 min to "},
		{time.Second, "Latency, 1 min to "},
	} {
		end := testNow.Add(-40 * time.Second)
		st := operationalStatus(end)
		snap := snapshotMsg{recent: map[probe.Target][]probe.Result{}, status: &st}
		for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI} {
			snap.recent[tg] = series(tg, ringSize, end, c.step, 150*time.Millisecond, never)
		}
		v := send(New(testOptions()), snap, tea.WindowSizeMsg{Width: 160, Height: 48}).View()
		if !strings.Contains(v, c.want) {
			t.Errorf("every %v: no %q:\n%s", c.step, c.want, v)
		}
		seen := false
		for _, l := range strings.Split(v, "\n") {
			seen = seen || strings.HasPrefix(l, "  claude.ai ")
			if strings.HasPrefix(l, "  claude.ai ") && (strings.Contains(l, "no probes") || !strings.HasSuffix(strings.TrimRight(l, " "), "none failed")) {
				t.Errorf("every %v: %q", c.step, l)
			}
		}
		if !seen {
			t.Errorf("every %v: no claude.ai latency line:\n%s", c.step, v)
		}
	}
}

// TestLiveRetryAfterReadsLikeTheRest: Live's rate-limit line writes a
// Retry-After like Troubleshooting does — 90 s is "1m 30s", not "1m",
// and half a second "<1s", never "0s", which would say there is no wait.
func TestLiveRetryAfterReadsLikeTheRest(t *testing.T) {
	for _, c := range []struct {
		ra   time.Duration
		want string
	}{
		{90 * time.Second, "retry after 1m 30s, so the key is not probed again before 14:01:28"},
		{500 * time.Millisecond, "retry after <1s"},
	} {
		r := probe.Result{Target: probe.TargetAPIKey, Time: testNow.Add(-2 * time.Second), Class: probe.ClassRateLimited, HTTPStatus: 429,
			RateLimit: probe.RateLimit{RequestsLimit: 1000, RequestsRemaining: 0, RetryAfter: c.ra}}
		m := send(New(testOptions()), eventMsg{Result: r})
		m = send(m, tea.WindowSizeMsg{Width: 200, Height: 60})
		text := strings.Join(strings.Fields(ansi.Strip(strings.Join(m.live.rateLimitSection().lines, " "))), " ")
		if !strings.Contains(text, c.want) {
			t.Errorf("Retry-After %v: no %q in %q", c.ra, c.want, text)
		}
	}
}

// TestScaleCoversOnlyTheData (cold6 C7): 20 s after a first start, probed
// every 5 s, the strips hold four cells on the right; the scale under them
// read "−6m … now" (and "−4m" at 15 s), minutes no probe covered. No label
// counts back past the oldest probe drawn.
func TestScaleCoversOnlyTheData(t *testing.T) {
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 140, Height: 40})
	for i := 4; i >= 0; i-- {
		at := testNow.Add(-time.Duration(i) * 5 * time.Second)
		for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetClaudeAI} {
			m = send(m, eventMsg{Result: probe.Result{Target: tg, Time: at, Class: probe.ClassOK, HTTPStatus: okCode(tg), Phases: probe.Phases{Total: 80 * time.Millisecond}}})
		}
	}
	var scale string
	for _, line := range strings.Split(ansi.Strip(m.View()), "\n") {
		if strings.Contains(line, "× failed") {
			scale = line
		}
	}
	if !strings.HasSuffix(strings.TrimRight(scale, " "), "now") {
		t.Fatalf("no time scale ending in now: %q", scale)
	}
	if strings.Contains(scale, "−") {
		t.Errorf("20 s of probes, the scale counts back minutes: %q", scale)
	}
}

// TestLatencyTableSaysWhatFailedSince: in an outage that began this
// minute the table's whole minutes had no failure, and "87, none failed"
// stood beside Open incidents' "all 7 probes failed" (cold7 E2). The
// heading names where its window ends and a line says what failed since,
// shorter where the terminal is narrow.
func TestLatencyTableSaysWhatFailedSince(t *testing.T) {
	end := testNow.Add(-15 * time.Second) // 13:59:45
	failSince := func(i int) (probe.Result, bool) {
		if i >= 80-5 { // the last five, 10 s apart from 13:59:05
			return overloaded(i), true
		}
		return probe.Result{}, false
	}
	st := operationalStatus(end)
	snap := snapshotMsg{recent: map[probe.Target][]probe.Result{}, status: &st}
	for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetClaudeAI} {
		snap.recent[tg] = series(tg, 80, end, 10*time.Second, 150*time.Millisecond, never)
	}
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 80, end, 10*time.Second, 150*time.Millisecond, failSince)
	minute := end.Truncate(time.Minute).UTC().Format("15:04")
	for _, c := range []struct {
		w            int
		head, apiEnd string
	}{
		{160, "Latency, 15 min to " + minute, "none failed; after " + minute + ": all 5 failed"},
		{88, "Latency, 15 min to " + minute, "none failed; now 5/5 failed"},
		{80, "Latency, 15 min to " + minute, "none failed"}, // the heading alone says it
	} {
		v := send(New(testOptions()), snap, tea.WindowSizeMsg{Width: c.w, Height: 48}).View()
		if !strings.Contains(v, c.head) {
			t.Errorf("%d columns: no %q:\n%s", c.w, c.head, v)
		}
		for _, l := range strings.Split(v, "\n") {
			l = strings.TrimRight(l, " ")
			switch {
			case strings.HasPrefix(l, "  API, no key "):
				if !strings.HasSuffix(l, c.apiEnd) {
					t.Errorf("%d columns: %q, want it to end %q", c.w, l, c.apiEnd)
				}
			case strings.HasPrefix(l, "  claude.ai "):
				if !strings.HasSuffix(l, "none failed") {
					t.Errorf("%d columns: %q: nothing failed since", c.w, l)
				}
			}
		}
	}
}

// TestShortLiveSaysWhatItLeavesOut: at short heights (60x15, 80x20) Live
// cut its lower sections silently and could end with a heading whose
// items were clamped away ("Also on the status page:" alone, "What we're
// seeing right now" with nothing under it). The tab fits its height
// whole, a heading always has a line under it, and when sections are left
// out one line says so.
func TestShortLiveSaysWhatItLeavesOut(t *testing.T) {
	headings := []string{"What we're seeing right now", "Open incidents", "Maintenance", "Also on the status page", "Latency, ", "Service "}
	for name, mk := range liveStates() {
		for _, sz := range []struct{ w, h int }{{60, 15}, {80, 20}, {80, 24}, {100, 18}, {120, 22}, {60, 10}} {
			m := send(mk(), tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
			lines := m.live.lines()
			where := fmt.Sprintf("%s at %dx%d", name, sz.w, sz.h)
			if len(lines) > m.live.h {
				t.Errorf("%s: %d lines for a tab of %d: the rest is cut without a word", where, len(lines), m.live.h)
			}
			v := strings.Join(lines, "\n")
			for i, l := range lines {
				next := ""
				if i+1 < len(lines) {
					next = strings.TrimSpace(lines[i+1])
				}
				for _, h := range headings {
					if strings.HasPrefix(l, h) && (next == "" || strings.HasPrefix(next, "… ") && strings.Contains(next, "make the terminal taller")) && !strings.Contains(l, ": ✔") && !strings.Contains(l, ": none") {
						t.Errorf("%s: heading %q has nothing under it:\n%s", where, l, v)
					}
				}
			}
			drawn, all := 0, 0
			for _, sec := range m.live.context() {
				all++
				head := strings.TrimSpace(ansi.Strip(sec.lines[0]))
				if strings.Contains(v, head[:min(len(head), 14)]) {
					drawn++
				}
			}
			all++ // the observations
			if strings.Contains(v, "What we're seeing right now") {
				drawn++
			}
			if drawn < all && !strings.Contains(v, "make the terminal taller") {
				t.Errorf("%s: %d of %d sections drawn and nothing says so:\n%s", where, drawn, all, v)
			}
		}
	}
}
