package ui

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"downforai/probe"
	"downforai/store"
)

// statsHistory is a History with summaries computed from raw results, and
// counters of what was asked.
type statsHistory struct {
	rawStats
	summaries int
}

func (f *statsHistory) Summary(t probe.Target, from, to time.Time) (probe.Summary, error) {
	f.summaries++
	return f.rawStats.Summary(t, from, to)
}

// longHistory is days of results every step for the four targets probed
// without a key, ending at end: healthy, with an overload spell on the
// API an hour ago, a slow probe now and then, and a day of DNS failures
// on claude.ai two days ago.
func longHistory(end time.Time, days int, step time.Duration) map[probe.Target][]probe.Result {
	out := map[probe.Target][]probe.Result{}
	n := int(time.Duration(days) * 24 * time.Hour / step)
	base := map[probe.Target]time.Duration{
		probe.TargetStatus: 120 * time.Millisecond, probe.TargetAPI: 210 * time.Millisecond,
		probe.TargetClaudeAI: 140 * time.Millisecond, probe.TargetCode: 300 * time.Millisecond,
	}
	for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetClaudeAI, probe.TargetCode} {
		rs := series(tg, n, end, step, base[tg], func(i int) (probe.Result, bool) {
			ago := time.Duration(n-1-i) * step
			switch {
			case tg == probe.TargetAPI && ago >= 50*time.Minute && ago < 70*time.Minute:
				return overloaded(i), true
			case tg == probe.TargetClaudeAI && ago >= 48*time.Hour && ago < 49*time.Hour:
				return probe.Result{Class: probe.ClassNetwork, ErrorType: "dns", Message: "lookup claude.ai: no such host"}, true
			case i%97 == 5:
				return probe.Result{Class: probe.ClassSlow, HTTPStatus: okCode(tg), Phases: probe.Phases{Total: 4 * time.Second}}, true
			}
			return probe.Result{}, false
		})
		out[tg] = rs
	}
	return out
}

func historyOptions(h probe.History) Options {
	opts := testOptions()
	opts.History = h
	opts.Targets = []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetClaudeAI, probe.TargetCode}
	return opts
}

// loaded delivers the History tab's load as the program would after the
// tab was selected: helpers that drop commands (send) lose the one that
// selecting started, so this starts a fresh one and answers it.
func loaded(t testing.TB, m Model) Model {
	t.Helper()
	if !m.history.shown {
		t.Fatal("the History tab is not on screen")
	}
	m.history.loading = false
	cmd := m.history.load()
	if cmd == nil {
		t.Fatal("no history load")
	}
	return send(m, cmd())
}

// press sends a key to the model and delivers the load it starts.
func press(t testing.TB, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		next, cmd := m.Update(keyRunes(k))
		m = next.(Model)
		if cmd != nil {
			m = send(m, cmd())
		}
	}
	return m
}

func historyModel(t *testing.T, w, h int) (Model, *statsHistory) {
	t.Helper()
	status := outageStatus(testNow.Add(-12 * time.Second))
	f := &statsHistory{rawStats: rawStats{memHistory{results: longHistory(testNow.Add(-10*time.Second), 3, time.Minute), status: &status}}}
	m := New(historyOptions(f))
	snap := snapshotMsg{recent: map[probe.Target][]probe.Result{}, status: &status}
	for tg, rs := range f.History.(memHistory).results {
		snap.recent[tg] = rs[len(rs)-ringSize:]
	}
	m = send(m, tea.WindowSizeMsg{Width: w, Height: h}, snap, keyRunes("4"))
	return loaded(t, m), f
}

func TestHistoryGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		m, _ := historyModel(t, size[0], size[1])
		requireGolden(t, fmt.Sprintf("history_loaded_%dx%d", size[0], size[1]), m.View())
		m = press(t, m, "s", "w", "b")
		requireGolden(t, fmt.Sprintf("history_api_7d_hours_%dx%d", size[0], size[1]), m.View())
	}
}

// TestHistoryShowsDirectFigures: every window's uptime and the selected
// window's percentiles on screen are those computed directly from the
// raw results.
func TestHistoryShowsDirectFigures(t *testing.T) {
	m, f := historyModel(t, 160, 48)
	api := f.History.(memHistory).results[probe.TargetAPI]
	for w := range histWindows {
		if w > 0 {
			m = press(t, m, "w")
		}
		from := testNow.Add(-histWindows[w].span)
		var up, judged int
		var lats []time.Duration
		for _, r := range api {
			if r.Time.Before(from) || !r.Time.Before(testNow) {
				continue
			}
			judged++
			if r.Class.Up() {
				up++
				lats = append(lats, r.Latency())
			}
		}
		slices.Sort(lats)
		want := "100%"
		if up < judged {
			want = fmt.Sprintf("%.2f%%", math.Floor(float64(up)/float64(judged)*10000)/100)
		}
		var row string
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.Contains(l, "API reachability") && !strings.Contains(l, "Latency") && !strings.Contains(l, "Recent") {
				row = l
			}
		}
		fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(row), "›"))
		// name (two words), five uptimes, three percentiles
		if len(fields) != 10 {
			t.Fatalf("window %s: row %q", histWindows[w].label, row)
		}
		if fields[2+w] != want {
			t.Errorf("window %s: uptime %s, want %s (%d of %d up)", histWindows[w].label, fields[2+w], want, up, judged)
		}
		for i, p := range []float64{50, 95, 99} {
			truth := lats[int(math.Ceil(p/100*float64(len(lats))))-1]
			lo, hi := probe.LatencyBinBounds(probe.LatencyBin(truth))
			if shown := fields[7+i]; shown != latency(truth) && shown != latency(lo) && shown != latency(hi) && !within(shown, lo, hi) {
				t.Errorf("window %s: p%v shows %s, direct %v (bucket %v–%v)", histWindows[w].label, p, shown, truth, lo, hi)
			}
		}
	}
}

// within reports whether a latency as shown ("212ms", "4.0s") lies in
// [lo, hi] give or take the display's rounding.
func within(shown string, lo, hi time.Duration) bool {
	d, err := time.ParseDuration(shown)
	if err != nil {
		return false
	}
	slack := time.Millisecond
	if d >= time.Second {
		slack = 50 * time.Millisecond
	}
	return d+slack >= lo && d-slack <= hi
}

func TestHistoryKeys(t *testing.T) {
	m, f := historyModel(t, 160, 48)
	if m.history.selected() != probe.TargetStatus || m.history.win != 1 {
		t.Fatalf("start: %s, window %d", m.history.selected(), m.history.win)
	}
	before := f.summaries
	steps := []struct {
		key    string
		target probe.Target
		win    int
		hours  bool
	}{
		{"s", probe.TargetAPI, 1, false},
		{"S", probe.TargetStatus, 1, false},
		{"S", probe.TargetCode, 1, false}, // wraps
		{"w", probe.TargetCode, 2, false},
		{"W", probe.TargetCode, 1, false},
		{"W", probe.TargetCode, 0, false},
		{"W", probe.TargetCode, 4, false}, // wraps
		{"b", probe.TargetCode, 4, true},
	}
	for _, s := range steps {
		var cmd tea.Cmd
		m, cmd = update(t, m, keyRunes(s.key))
		if cmd == nil {
			t.Fatalf("%q: no load started", s.key)
		}
		m = send(m, cmd())
		h := m.history
		if h.selected() != s.target || h.win != s.win || h.hours != s.hours {
			t.Errorf("after %q: %s window %d hours %v; want %s %d %v", s.key, h.selected(), h.win, h.hours, s.target, s.win, s.hours)
		}
		if h.data.req.sel != s.target || h.loading {
			t.Errorf("after %q: data for %s, loading %v", s.key, h.data.req.sel, h.loading)
		}
	}
	if f.summaries == before {
		t.Error("selection changes read no summaries")
	}
	if !strings.Contains(m.View(), "Latency · Claude Code CLI · last 90d") || !strings.Contains(m.View(), "48 hours") {
		t.Errorf("view does not follow the selection:\n%s", m.View())
	}
}

func TestHistoryScroll(t *testing.T) {
	m, _ := historyModel(t, 80, 24)
	rows := m.history.tableRows()
	first := func(m Model) string {
		return strings.Split(strings.Split(m.View(), "Recent probes")[1], "\n")[2]
	}
	top := first(m)
	m = send(m, keyRunes("j"))
	if m.history.scroll != 1 || first(m) == top {
		t.Errorf("j: scroll %d", m.history.scroll)
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyPgDown})
	if m.history.scroll != 1+rows-1 {
		t.Errorf("pgdown: scroll %d, want %d", m.history.scroll, rows)
	}
	m = send(m, keyRunes("G"))
	if want := recentRows - rows; m.history.scroll != want {
		t.Errorf("G: scroll %d, want %d", m.history.scroll, want)
	}
	m = send(m, keyRunes("j"))
	if want := recentRows - rows; m.history.scroll != want {
		t.Errorf("j past the end: scroll %d, want %d", m.history.scroll, want)
	}
	// A live probe of the selected target joins the table; the rows being
	// read stay in place.
	shown := first(m)
	ev := eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassServer, HTTPStatus: 503}}
	m = send(m, ev)
	if first(m) != shown {
		t.Errorf("scrolled table moved on a live event:\n%s\n%s", shown, first(m))
	}
	m = send(m, keyRunes("g"))
	if m.history.scroll != 0 || !strings.Contains(first(m), "server error") {
		t.Errorf("g: scroll %d, first row %q", m.history.scroll, first(m))
	}
}

// historyTick is the History tab's own answer to a clock tick at clock.
func historyTick(m Model, clock time.Time) (Model, tea.Cmd) {
	m.board.setNow(clock)
	var cmd tea.Cmd
	m.history, cmd = m.history.update(tickMsg(clock))
	return m, cmd
}

// TestHistoryLoadsWhenShown: selecting the tab (key, tab key or click)
// starts its load at once, so the data is on the next frame; a hidden tab
// reads nothing, however many results and ticks arrive.
func TestHistoryLoadsWhenShown(t *testing.T) {
	f := &statsHistory{rawStats: rawStats{memHistory{results: longHistory(testNow, 1, time.Minute)}}}
	x := 0
	for t, ok := tabAt(x, 120); !ok || t != tabHistory; t, ok = tabAt(x, 120) {
		x++
	}
	for name, sel := range map[string]tea.Msg{
		"4":     keyRunes("4"),
		"tab":   tea.KeyMsg{Type: tea.KeyShiftTab},
		"click": tea.MouseMsg{X: x, Y: 0, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft},
	} {
		m := send(New(historyOptions(f)), tea.WindowSizeMsg{Width: 120, Height: 35}, healthySnapshot(testNow, 10))
		for i := range 100 {
			var cmd tea.Cmd
			m, cmd = historyTick(send(m, eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow.Add(time.Duration(i) * time.Second), Class: probe.ClassOK}}), testNow.Add(time.Duration(i)*time.Second))
			if cmd != nil {
				t.Fatalf("%s: the hidden History tab started a load", name)
			}
		}
		if f.summaries != 0 {
			t.Fatalf("%s: %d summaries read while hidden", name, f.summaries)
		}
		t.Logf("%s: hidden: %d summaries read over 100 ticks and results", name, f.summaries)
		m, cmd := update(t, m, sel)
		if m.active != tabHistory {
			t.Fatalf("%s: History not selected", name)
		}
		if cmd == nil {
			t.Fatalf("%s: selecting History started no load", name)
		}
		m = send(m, cmd())
		if v := m.View(); strings.Contains(v, "loading…") || !strings.Contains(v, "Recent probes") {
			t.Errorf("%s: no data on the frame after the selection:\n%s", name, v)
		}
		f.summaries = 0
		// Hidden again: nothing more is read.
		m = send(m, keyRunes("1"))
		m, cmd = historyTick(send(m, eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow, Class: probe.ClassOK}}), testNow)
		if cmd != nil || f.summaries != 0 {
			t.Errorf("%s: a load after the tab was left", name)
		}
	}
}

// TestHistoryRefreshesOnNewResults: on screen, the tab reloads only when
// results (and so rollups) landed since the last load, gathers a burst
// into one load on the clock, and never runs two at once.
func TestHistoryRefreshesOnNewResults(t *testing.T) {
	clock := testNow
	opts := historyOptions(&statsHistory{rawStats: rawStats{memHistory{}}})
	opts.Now = func() time.Time { return clock }
	m := send(New(opts), healthySnapshot(testNow, 10), tea.WindowSizeMsg{Width: 120, Height: 35})
	m, cmd := update(t, m, keyRunes("4"))
	if cmd == nil {
		t.Fatal("no load on selection")
	}
	if _, cmd2 := historyTick(send(m, eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: clock, Class: probe.ClassOK}}), clock); cmd2 != nil {
		t.Error("a second load started while one was in flight")
	}
	m = send(m, cmd())
	for range 120 {
		clock = clock.Add(time.Second)
		if m, cmd = historyTick(m, clock); cmd != nil {
			t.Fatalf("reloaded at +%v with no new results", clock.Sub(testNow))
		}
	}
	for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetClaudeAI, probe.TargetCode} {
		m = send(m, eventMsg{Result: probe.Result{Target: tg, Time: clock, Class: probe.ClassOK}})
	}
	clock = clock.Add(time.Second)
	m, cmd = historyTick(m, clock)
	if cmd == nil {
		t.Fatal("no reload after new results")
	}
	m = send(m, cmd())
	if _, cmd = historyTick(m, clock.Add(time.Second)); cmd != nil {
		t.Error("a burst of results loaded more than once")
	}
}

// TestHistoryReloadsOnResize: the chart is binned to the width, so a
// resize that changes it reloads, while the tab is on screen only.
func TestHistoryReloadsOnResize(t *testing.T) {
	m := send(New(historyOptions(&statsHistory{rawStats: rawStats{memHistory{}}})), healthySnapshot(testNow, 10), tea.WindowSizeMsg{Width: 120, Height: 35})
	m = press(t, m, "4")
	if _, cmd := update(t, m, tea.WindowSizeMsg{Width: 120, Height: 40}); cmd != nil {
		t.Error("a height change reloaded")
	}
	m, cmd := update(t, m, tea.WindowSizeMsg{Width: 100, Height: 35})
	if cmd == nil {
		t.Fatal("a width change did not reload")
	}
	m = send(m, cmd())
	if m.history.data.req.cols != m.history.chartCols() {
		t.Errorf("data for %d columns, chart has %d", m.history.data.req.cols, m.history.chartCols())
	}
	m = send(m, keyRunes("1"))
	if _, cmd := update(t, m, tea.WindowSizeMsg{Width: 160, Height: 48}); cmd != nil {
		t.Error("a resize reloaded the hidden tab")
	}
}

func TestHistoryWithoutDatabase(t *testing.T) {
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 160, Height: 48}, outageSnapshot(testNow, ringSize), keyRunes("4"))
	m = press(t, loaded(t, m), "s")
	v := m.View()
	if !strings.Contains(v, "Recent probes · API reachability") || !strings.Contains(v, "overloaded") {
		t.Errorf("no in-memory history shown:\n%s", v)
	}
}

func TestStripLook(t *testing.T) {
	for _, tt := range []struct {
		cell stripCell
		want string
	}{
		{stripCell{}, symNone},
		{stripCell{worst: probe.ClassOK, total: 3}, "█"},
		{stripCell{worst: probe.ClassSlow, total: 3}, symWarn},
		{stripCell{worst: probe.ClassAuth, total: 3}, symLocal},
		{stripCell{worst: probe.ClassOverloaded, total: 3}, symBad},
	} {
		if got, _ := stripLook(tt.cell); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.cell, got, tt.want)
		}
	}
}

// BenchmarkHistoryRender160x48 is the History tab's drawing when its
// data changes (View returns the cached drawing otherwise), without
// colour and on a 256-colour terminal.
func BenchmarkHistoryRender160x48(b *testing.B) {
	status := outageStatus(testNow)
	f := &statsHistory{rawStats: rawStats{memHistory{results: longHistory(testNow, 2, 30*time.Second), status: &status}}}
	for _, p := range []termenv.Profile{termenv.Ascii, termenv.ANSI256} {
		b.Run(strings.ToLower(p.Name()), func(b *testing.B) {
			opts := historyOptions(f)
			opts.Renderer = lipgloss.NewRenderer(io.Discard)
			opts.Renderer.SetColorProfile(p)
			opts.Renderer.SetHasDarkBackground(true)
			m := send(New(opts), tea.WindowSizeMsg{Width: 160, Height: 48}, keyRunes("4"))
			m = loaded(b, m)
			b.ReportAllocs()
			for b.Loop() {
				_ = m.history.render()
			}
		})
	}
}

// TestChartIncidentLegend: the legend names an incident only when it is
// the only one on the axis, and never calls one of ours official.
func TestChartIncidentLegend(t *testing.T) {
	m := New(testOptions())
	tb := m.history
	tb.setSize(80, 30)
	at := testNow.Add(-time.Hour)
	official := incidentSpan{from: at, to: testNow, official: true, name: "Elevated errors"}
	ours := incidentSpan{from: at.Add(-time.Hour), to: at, name: "API: overloaded"}
	for _, c := range []struct {
		spans []incidentSpan
		want  string
	}{
		{nil, "━ official incident"},
		{[]incidentSpan{official}, "━ Elevated errors"},
		{[]incidentSpan{ours}, "┄ ours: API: overloaded"},
		{[]incidentSpan{official, official}, "━ incidents"},
		{[]incidentSpan{ours, ours}, "┄ our incidents"},
		{[]incidentSpan{official, ours}, "━ official  ┄ our incidents"},
	} {
		tb.data.incidents = c.spans
		if got := tb.incidentLegend(); got != c.want {
			t.Errorf("%d spans: legend %q, want %q", len(c.spans), got, c.want)
		}
	}

	// On the axis, ours is drawn apart from the official one.
	tb.data.req = historyReq{sel: tb.selected(), win: tb.win}
	win := histWindows[tb.win].span
	for i := range 60 {
		from := testNow.Add(-win + time.Duration(i)*win/60)
		tb.data.chart = append(tb.data.chart, chartCol{from: from, to: from.Add(win / 60)})
	}
	tb.data.incidents = []incidentSpan{official, ours}
	lines := tb.chart(histChartMin)
	axis := lines[len(lines)-2]
	if !strings.Contains(axis, "━") || !strings.Contains(axis, "┄") || strings.Index(axis, "┄") > strings.Index(axis, "━") {
		t.Errorf("axis does not show ours (┄) before the official incident (━): %q", axis)
	}
}

// TestMemHistoryRange: from is inclusive, to exclusive, zero means open,
// equal times are all kept.
func TestMemHistoryRange(t *testing.T) {
	at := func(s int) time.Time { return testNow.Add(time.Duration(s) * time.Second) }
	var rs []probe.Result
	for _, s := range []int{0, 1, 1, 2, 5} {
		rs = append(rs, probe.Result{Target: probe.TargetAPI, Time: at(s)})
	}
	m := memHistory{results: map[probe.Target][]probe.Result{probe.TargetAPI: rs}}
	for _, c := range []struct {
		from, to time.Time
		want     int
	}{
		{time.Time{}, time.Time{}, 5}, {at(1), at(2), 2}, {at(1), time.Time{}, 4}, {time.Time{}, at(1), 1},
		{at(3), at(5), 0}, {at(5), at(6), 1}, {at(6), time.Time{}, 0}, {at(2), at(1), 0},
	} {
		got, _ := m.Range(probe.TargetAPI, c.from, c.to)
		if len(got) != c.want {
			t.Errorf("Range(%v, %v): %d results, want %d", c.from.Sub(testNow), c.to.Sub(testNow), len(got), c.want)
		}
	}
}

// TestHistoryAt80x24: the probe table's error is cut at a word, with
// room enough to read at 80 columns (the connection phases give theirs
// up), and with the help open (no row fits) the table claims no range
// such as "1–0 of 500".
func TestHistoryAt80x24(t *testing.T) {
	m, _ := historyModel(t, 80, 24)
	msg := "status page answered an HTML error page instead of JSON"
	ev := eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassServer, HTTPStatus: 503, ErrorType: "html", Message: msg}}
	m = send(m, ev)
	view := ansi.Strip(m.View())
	row := strings.Split(strings.Split(view, "Recent probes")[1], "\n")[2]
	i := strings.Index(row, "html: ")
	if i < 0 {
		t.Fatalf("no error in the first row %q", row)
	}
	shown := strings.TrimSuffix(strings.TrimSpace(row[i:]), "…")
	full := "html: " + msg
	if !strings.HasPrefix(full, shown) || (len(shown) < len(full) && full[len(shown)] != ' ') {
		t.Errorf("error cut mid-word: %q (of %q)", row[i:], full)
	}
	if len(shown) < 20 {
		t.Errorf("error column %q: too little of %q to read at 80 columns", row[i:], full)
	}
	if !strings.Contains(view, "1st byte") || strings.Contains(view, "Connect") {
		t.Errorf("at 80 columns the phases should give up their room:\n%s", view)
	}
	wide, _ := historyModel(t, 160, 48)
	if !strings.Contains(ansi.Strip(wide.View()), "Connect") {
		t.Error("at 160 columns the phases are left out")
	}
	// With more targets than these four (a key, canaries, sessions) the
	// help leaves no row for the table at 80x24: shorter heights stand in.
	for h := 18; h <= 24; h++ {
		m := send(m, tea.WindowSizeMsg{Width: 80, Height: h}, keyRunes("?"))
		view = ansi.Strip(m.View())
		if strings.Contains(view, "1–0") {
			t.Errorf("help open at 80x%d: false range in\n%s", h, view)
		}
	}
}

// TestHistoryPercentilesAt80: p50, p95 and p99 all fit at 80 columns —
// a canary's TTFT p99 is what issue 15 asks History for.
func TestHistoryPercentilesAt80(t *testing.T) {
	m, _ := historyModel(t, 80, 24)
	view := ansi.Strip(m.View())
	for _, h := range []string{"p50", "p95", "p99", "90d"} {
		if !strings.Contains(view, h) {
			t.Errorf("no %s column at 80 columns:\n%s", h, view)
		}
	}
}

// TestHistoryInMemoryWeighsByTime: without a database the tab sums the
// results held in memory; probing every 10 s while failing (the fast
// interval) must not weigh the failure 6× against a minute's ok probes,
// just as the store's rollups weigh by time (issue 15).
func TestHistoryInMemoryWeighsByTime(t *testing.T) {
	end := testNow.Add(-10 * time.Second)
	// 30 ok probes a minute apart, then 90 failures 10 s apart: 29 min
	// up (the first covers nothing), 15 min down.
	var rs []probe.Result
	start := end.Add(-30*time.Minute - 90*10*time.Second)
	for i := range 30 {
		rs = append(rs, probe.Result{Target: probe.TargetAPI, Time: start.Add(time.Duration(i) * time.Minute), Class: probe.ClassOK, HTTPStatus: 401,
			Phases: probe.Phases{Total: 200 * time.Millisecond}})
	}
	for i := range 90 {
		r := overloaded(i)
		r.Target, r.Time = probe.TargetAPI, start.Add(29*time.Minute+time.Duration(i+1)*10*time.Second)
		rs = append(rs, r)
	}
	want := float64(29) / float64(29+15)
	m := memHistory{results: map[probe.Target][]probe.Result{probe.TargetAPI: rs}}
	s, err := rawStats{m}.Summary(probe.TargetAPI, end.Add(-time.Hour), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if u, ok := s.Uptime(); !ok || math.Abs(u-want) > 0.001 {
		t.Errorf("uptime over the hour %.4f, want %.4f (by count it would be %.4f)", u, want, 30.0/120)
	}
	// An hour's cell of a Series: the same weighting, and the first
	// result of a step covers the time since the last one of the step
	// before.
	cells, err := rawStats{m}.Series(probe.TargetAPI, end.Add(-2*time.Hour), testNow, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var sum probe.Summary
	for i := range cells {
		sum.Merge(&cells[i])
	}
	if u, ok := sum.Uptime(); !ok || math.Abs(u-want) > 0.001 {
		t.Errorf("uptime over the series %.4f, want %.4f", u, want)
	}
	// On screen, from the ring of a dashboard without a database.
	opts := testOptions()
	opts.Targets = []probe.Target{probe.TargetAPI}
	snap := snapshotMsg{recent: map[probe.Target][]probe.Result{probe.TargetAPI: rs}}
	v := send(New(opts), tea.WindowSizeMsg{Width: 160, Height: 48}, snap, keyRunes("4"))
	view := ansi.Strip(loaded(t, v).View())
	if shown := fmt.Sprintf("%.2f%%", math.Floor(want*10000)/100); !strings.Contains(view, shown) {
		t.Errorf("History without a database does not show %s uptime:\n%s", shown, view)
	}
}

// TestHistorySessionsByClass: History's target for Claude Code's sessions
// shows its error rate by class over the window (issue 14), the commonest
// first, and at 80 columns drops counts and rare classes whole rather
// than cut a word.
func TestHistorySessionsByClass(t *testing.T) {
	end := testNow.Add(-10 * time.Second)
	var calls []probe.Result
	for i := range 100 {
		r := probe.Result{Target: probe.TargetSessions, Time: end.Add(-time.Duration(100-i) * 5 * time.Minute), Class: probe.ClassOK}
		switch {
		case i < 6:
			r.Class, r.HTTPStatus, r.ErrorType = probe.ClassOverloaded, 529, "overloaded_error"
		case i < 9:
			r.Class, r.HTTPStatus = probe.ClassRateLimited, 429
		case i < 10:
			r.Class, r.ErrorType = probe.ClassNetwork, probe.NetReset
		}
		calls = append(calls, r)
	}
	h := rawStats{memHistory{results: map[probe.Target][]probe.Result{probe.TargetSessions: calls}}}
	opts := historyOptions(h)
	opts.Targets = append(opts.Targets, probe.TargetSessions)
	for _, w := range []int{160, 80} {
		m := send(New(opts), tea.WindowSizeMsg{Width: w, Height: 40}, keyRunes("4"))
		m = loaded(t, m)
		for m.history.selected() != probe.TargetSessions {
			m = press(t, m, "s")
		}
		view := ansi.Strip(m.View())
		var line string
		for _, l := range strings.Split(view, "\n") {
			if strings.Contains(l, "Claude Code calls, last 24h:") {
				line = strings.TrimSpace(l)
			}
		}
		want := "Claude Code calls, last 24h: 100 calls, 10% failed — overloaded 6.0% (6) · rate limited 3.0% (3) · network 1.0% (1)"
		if w == 80 {
			want = "Claude Code calls, last 24h: 100 calls, 10% failed — overloaded 6.0% · …"
		}
		if line != want {
			t.Errorf("%d columns: by class %q\nwant %q\n%s", w, line, want, view)
		}
		if w == 160 {
			// Another target has no such line.
			m = press(t, m, "s")
			if v := ansi.Strip(m.View()); strings.Contains(v, ", last 24h:") {
				t.Errorf("a line by class for %s:\n%s", m.history.selected(), v)
			}
		}
	}
	for _, tt := range []struct {
		k, n int
		want string
	}{{0, 5, "0%"}, {5, 5, "100%"}, {1, 3, "33%"}, {1, 40, "2.5%"}, {1, 5000, "0.02%"}, {1, 1000000, "0.01%"}, {4999, 5000, "99.9%"}} {
		if got := pct(tt.k, tt.n); got != tt.want {
			t.Errorf("pct(%d, %d) = %q, want %q", tt.k, tt.n, got, tt.want)
		}
	}
}

// TestHistoryUptimeFromTheStoreWeighsByTime: the History tab's uptime,
// read from a database's rollups, is the share of the time that was up,
// as the README defines it, not the share of the probes. 30 minutes up
// probed once a minute, then 30 minutes down probed every 10 s (the fast
// interval): 50 % of the hour was up, yet only 30 of the 210 probes
// (14.28 %) were (C15).
func TestHistoryUptimeFromTheStoreWeighsByTime(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "history.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	start := testNow.Add(-time.Hour)
	var rs []probe.Result
	for i := range 30 {
		rs = append(rs, probe.Result{Target: probe.TargetAPI, Time: start.Add(time.Duration(i) * time.Minute), Class: probe.ClassOK, HTTPStatus: 401,
			Phases: probe.Phases{Total: 200 * time.Millisecond}})
	}
	for i := range 180 {
		r := overloaded(i)
		r.Target, r.Time = probe.TargetAPI, start.Add(29*time.Minute+time.Duration(i+1)*10*time.Second)
		rs = append(rs, r)
	}
	if err := st.PutResults(rs); err != nil {
		t.Fatal(err)
	}
	// The first probe covers nothing: 29 min up, 30 min down.
	byTime := fmt.Sprintf("%.2f%%", math.Floor(29.0/59*10000)/100)
	byCount := fmt.Sprintf("%.2f%%", math.Floor(30.0/210*10000)/100)
	opts := historyOptions(st)
	opts.Targets = []probe.Target{probe.TargetAPI}
	m := send(New(opts), tea.WindowSizeMsg{Width: 160, Height: 48}, snapshotMsg{recent: map[probe.Target][]probe.Result{probe.TargetAPI: rs[len(rs)-ringSize:]}}, keyRunes("4"))
	var row string
	for _, l := range strings.Split(ansi.Strip(loaded(t, m).View()), "\n") {
		if strings.Contains(l, "API reachability") && !strings.Contains(l, "Latency") && !strings.Contains(l, "Recent") {
			row = l
		}
	}
	fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(row), "›"))
	if len(fields) < 3 {
		t.Fatalf("no API row: %q", row)
	}
	if fields[2] != byTime {
		t.Errorf("1h uptime %s, want %s by time (by count it is %s): %q", fields[2], byTime, byCount, row)
	}
}

// sessionCall is one record of Claude Code's transcripts as stored: an
// answer, a retry (attempt > 0) or the error shown after the retries.
func sessionCall(at time.Time, c probe.Class, status, attempt int) probe.Result {
	d := probe.SessionDetail{Version: "2.0.50", Model: "claude-sonnet-4-5", Session: "1a2b3c4d", Attempt: attempt}
	if attempt > 0 {
		d.MaxAttempts = 10
	} else if c != probe.ClassOK {
		d.GaveUp = true
	}
	return probe.Result{Target: probe.TargetSessions, Time: at, Class: c, HTTPStatus: status, Detail: d.String(), Message: "a call"}
}

// TestHistorySessionsCountCalls (cold8 E5): the row of Claude Code's calls
// said 0.00% in every window and its line "8 calls, 62% failed —
// overloaded 50% (4)" counted each retry as a call, while Live counted
// calls. Three answers, a call retried three times on 529 then shown
// failed, a 500 shown at once, and a call retried twice then answered: 6
// calls, 4 answered — from a database's rollups and from memory alike.
func TestHistorySessionsCountCalls(t *testing.T) {
	s := testNow.Add(-40 * time.Minute)
	rs := []probe.Result{
		sessionCall(s, probe.ClassOK, 200, 0),
		sessionCall(s.Add(time.Minute), probe.ClassOK, 200, 0),
		sessionCall(s.Add(2*time.Minute), probe.ClassOK, 200, 0),
		sessionCall(s.Add(3*time.Minute), probe.ClassOverloaded, 529, 1),
		sessionCall(s.Add(3*time.Minute+10*time.Second), probe.ClassOverloaded, 529, 2),
		sessionCall(s.Add(3*time.Minute+30*time.Second), probe.ClassOverloaded, 529, 3),
		sessionCall(s.Add(4*time.Minute), probe.ClassOverloaded, 529, 0),
		sessionCall(s.Add(5*time.Minute), probe.ClassServer, 500, 0),
		sessionCall(s.Add(20*time.Minute), probe.ClassOverloaded, 529, 1),
		sessionCall(s.Add(21*time.Minute), probe.ClassOverloaded, 529, 2),
		sessionCall(s.Add(22*time.Minute), probe.ClassOK, 200, 0),
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "history.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, r := range rs { // as the follower writes them, one by one
		if err := st.PutResult(r); err != nil {
			t.Fatal(err)
		}
	}
	for _, src := range []struct {
		name string
		h    probe.History
	}{
		{"store", st},
		{"memory", rawStats{memHistory{results: map[probe.Target][]probe.Result{probe.TargetSessions: rs}}}},
	} {
		t.Run(src.name, func(t *testing.T) {
			opts := historyOptions(src.h)
			opts.Targets = []probe.Target{probe.TargetSessions}
			m := send(New(opts), tea.WindowSizeMsg{Width: 120, Height: 40}, keyRunes("4"))
			m = loaded(t, m)
			view := ansi.Strip(m.View())
			var row, line string
			for _, l := range strings.Split(view, "\n") {
				switch l = strings.TrimSpace(l); {
				case strings.HasPrefix(l, "› Claude Code calls"):
					row = l
				case strings.HasPrefix(l, "Claude Code calls, last 24h:"):
					line = l
				}
			}
			if want := "Claude Code calls, last 24h: 6 calls, 33% failed — overloaded 17% (1) · server error 17% (1)"; line != want {
				t.Errorf("line %q\nwant %q\n%s", line, want, view)
			}
			if f := strings.Fields(row); len(f) < 6 || f[4] != "66.66%" || f[5] != "66.66%" {
				t.Errorf("row %q: want 66.66%% (4 of 6 calls answered) in 1h and 24h\n%s", row, view)
			}
			if src.name == "store" {
				requireGolden(t, "history_sessions_calls_120x40", m.View())
			}
		})
	}
}
