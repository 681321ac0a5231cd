package ui

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// update runs one Update and returns the model and the command.
func update(t *testing.T, m Model, msg tea.Msg) (Model, tea.Cmd) {
	t.Helper()
	next, cmd := m.Update(msg)
	return next.(Model), cmd
}

// flatten runs cmd and every command of a batch, returning their messages.
// Commands that would block (waiting for an event, a timer) must not be
// passed in; callers pick the ones they run.
func flatten(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	// tea.BatchMsg, and tea.Sequence's unexported message: both []tea.Cmd.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		var out []tea.Msg
		for i := range v.Len() {
			out = append(out, flatten(v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func TestTabKeys(t *testing.T) {
	m := New(testOptions())
	steps := []struct {
		key  tea.KeyMsg
		want tab
	}{
		{keyRunes("3"), tabTroubleshoot},
		{tea.KeyMsg{Type: tea.KeyTab}, tabHistory},
		{tea.KeyMsg{Type: tea.KeyTab}, tabLive}, // wraps
		{tea.KeyMsg{Type: tea.KeyShiftTab}, tabHistory},
		{keyRunes("2"), tabIncidents},
		{keyRunes("1"), tabLive},
		{keyRunes("4"), tabHistory},
		{keyRunes("x"), tabHistory}, // unbound keys go to the tab, not the switcher
	}
	for _, s := range steps {
		var cmd tea.Cmd
		m, cmd = update(t, m, s.key)
		if m.active != s.want {
			t.Fatalf("after %q active = %v, want %v", s.key.String(), m.active, s.want)
		}
		if cmd != nil {
			msg := cmd()
			if _, load := msg.(historyLoadedMsg); load && s.want == tabHistory {
				continue // selecting History starts its load
			}
			if msg != nil {
				t.Errorf("after %q got unexpected message %T", s.key.String(), msg)
			}
		}
	}
}

func TestQuit(t *testing.T) {
	for _, k := range []tea.KeyMsg{keyRunes("q"), {Type: tea.KeyCtrlC}} {
		_, cmd := update(t, New(testOptions()), k)
		if cmd == nil {
			t.Fatalf("%q: no command", k.String())
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%q: command does not quit", k.String())
		}
	}
}

func TestHelpToggle(t *testing.T) {
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 80, Height: 24})
	short := m.live.h
	m, _ = update(t, m, keyRunes("?"))
	if !m.help.ShowAll {
		t.Fatal("? did not open the full help")
	}
	if m.live.h >= short {
		t.Errorf("full help did not take room from the tab: body %d, was %d", m.live.h, short)
	}
	if !strings.Contains(m.View(), "close help") {
		t.Error("full help does not say how to close it")
	}
	m, _ = update(t, m, keyRunes("?"))
	if m.help.ShowAll || m.live.h != short {
		t.Errorf("second ? did not restore: ShowAll=%v body=%d want %d", m.help.ShowAll, m.live.h, short)
	}
}

func TestMouseClickOnTab(t *testing.T) {
	for _, w := range []int{160, 80, 40, 20} {
		m := send(New(testOptions()), tea.WindowSizeMsg{Width: w, Height: 24})
		bar := ansi.Strip(strings.Split(m.View(), "\n")[0])
		for tb := tab(0); tb < tabCount; tb++ {
			label := tabLabels(w)[tb]
			x := strings.Index(bar, label)
			if x < 0 {
				t.Fatalf("width %d: label %q not in bar %q", w, label, bar)
			}
			x = ansi.StringWidth(bar[:x]) // bytes → cells
			m, _ = update(t, m, tea.MouseMsg{X: x + 1, Y: 0, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
			if m.active != tb {
				t.Errorf("width %d: click at x=%d on %q selected %v", w, x+1, label, m.active)
			}
		}
		// Clicks below the bar, releases and other buttons change nothing.
		before := m.active
		for _, msg := range []tea.MouseMsg{
			{X: 1, Y: 5, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft},
			{X: 1, Y: 0, Action: tea.MouseActionRelease, Button: tea.MouseButtonLeft},
			{X: 1, Y: 0, Action: tea.MouseActionPress, Button: tea.MouseButtonWheelDown},
		} {
			m, _ = update(t, m, msg)
		}
		if m.active != before {
			t.Errorf("width %d: a non-click moved the tab to %v", w, m.active)
		}
	}
}

// fakeHistory answers like the store: oldest first, at most n.
type fakeHistory struct {
	recent map[probe.Target][]probe.Result
	status *probe.Status
	fail   probe.Target
	asked  []probe.Target
}

func (h *fakeHistory) Recent(t probe.Target, n int) ([]probe.Result, error) {
	h.asked = append(h.asked, t)
	if t == h.fail {
		return nil, errors.New("database not open")
	}
	rs := h.recent[t]
	if len(rs) > n {
		rs = rs[len(rs)-n:]
	}
	return rs, nil
}

func (h *fakeHistory) Range(probe.Target, time.Time, time.Time) ([]probe.Result, error) {
	return nil, errors.New("not used by the ui")
}

func (h *fakeHistory) LatestStatus() (probe.Status, bool, error) {
	if h.status == nil {
		return probe.Status{}, false, nil
	}
	return *h.status, true, nil
}

func TestInitLoadsSnapshot(t *testing.T) {
	snap := outageSnapshot(testNow.Add(-time.Minute), 200) // more than the ring holds
	h := &fakeHistory{recent: snap.recent, status: snap.status}
	opts := testOptions()
	opts.History = h
	m := New(opts)

	// Init's batch holds blocking commands (a timer); run only the loader.
	msg := loadSnapshot(opts.History, m.board.targets)()
	s, ok := msg.(snapshotMsg)
	if !ok {
		t.Fatalf("loader returned %T", msg)
	}
	if !reflect.DeepEqual(h.asked, probe.Targets()) {
		t.Errorf("asked for %v, want every target %v", h.asked, probe.Targets())
	}
	m, cmd := update(t, m, s)
	if cmd != nil {
		if got := flatten(cmd); len(got) > 0 {
			t.Errorf("snapshot produced commands: %v", got)
		}
	}
	if got := len(m.board.results(probe.TargetAPI)); got != ringSize {
		t.Errorf("ring holds %d results, want %d", got, ringSize)
	}
	if last, _ := m.board.latest(probe.TargetAPI); !last.Time.Equal(snap.recent[probe.TargetAPI][199].Time) {
		t.Errorf("newest kept result is %v, want the newest stored", last.Time)
	}
	if m.board.verdict.Kind != probe.VerdictOutage {
		t.Errorf("verdict = %v, want outage", m.board.verdict.Kind)
	}
	if !m.board.stale() {
		t.Error("a snapshot without a live event must be marked stale")
	}
	if v := m.View(); !strings.Contains(v, "stale — last known state from 13:59:00") {
		t.Errorf("banner does not say stale:\n%s", v)
	}
}

func TestSnapshotErrorIsShown(t *testing.T) {
	opts := testOptions()
	opts.History = &fakeHistory{fail: probe.TargetStatus}
	m := New(opts)
	m = send(m, loadSnapshot(opts.History, m.board.targets)())
	if v := m.View(); !strings.Contains(v, "could not read all history") || !strings.Contains(v, "Checking") {
		t.Errorf("a failed load must say so and keep checking:\n%s", v)
	}
}

func TestEventApplied(t *testing.T) {
	ch := make(chan probe.Event, 1)
	opts := testOptions()
	opts.Events = ch
	m := send(New(opts), tea.WindowSizeMsg{Width: 80, Height: 24})

	r := overloaded(1)
	r.Target, r.Time = probe.TargetAPI, testNow.Add(-2*time.Second)
	ch <- probe.Event{Result: r}
	msg := waitForEvent(ch)()
	if _, ok := msg.(eventMsg); !ok {
		t.Fatalf("waitForEvent returned %T", msg)
	}
	m, cmd := update(t, m, msg)
	if got := m.board.results(probe.TargetAPI); len(got) != 1 || got[0].HTTPStatus != 529 {
		t.Fatalf("ring = %+v, want the 529", got)
	}
	if !m.board.live || m.board.stale() {
		t.Error("a live event must clear the stale mark")
	}
	if !strings.Contains(m.View(), "overloaded 529") {
		t.Errorf("live view does not show the 529:\n%s", m.View())
	}

	// The returned command re-arms the listener: the next event comes
	// through it, and a closed channel ends the chain.
	ch <- probe.Event{Result: probe.Result{Target: probe.TargetClaudeAI, Time: testNow, Class: probe.ClassOK, HTTPStatus: 200}}
	next := flatten(cmd) // the tabs return no command, so this is the listener
	if len(next) != 1 {
		t.Fatalf("event produced %d messages, want the next event only", len(next))
	}
	if ev, ok := next[0].(eventMsg); !ok || ev.Result.Target != probe.TargetClaudeAI {
		t.Fatalf("re-armed command returned %#v", next[0])
	}
	close(ch)
	if _, ok := waitForEvent(ch)().(eventsClosedMsg); !ok {
		t.Error("a closed channel must end with eventsClosedMsg")
	}
	if strings.Contains(m.View(), "live updates stopped") {
		t.Error("says the engine is gone while it runs")
	}
	m, cmd = update(t, m, eventsClosedMsg{})
	if got := flatten(cmd); len(got) > 0 {
		t.Errorf("closed channel re-armed: %v", got)
	}
	// Data stays on screen, and the banner says it will not change again.
	if v := m.View(); !strings.Contains(v, "overloaded 529") || !strings.Contains(v, "live updates stopped") {
		t.Errorf("after the engine stopped:\n%s", v)
	}
}

func TestNilEventsAndHistory(t *testing.T) {
	m := New(Options{Renderer: asciiRenderer(), Now: fixedNow, Location: time.UTC})
	if waitForEvent(nil) != nil || loadSnapshot(nil, nil) != nil {
		t.Error("nil sources must give nil commands, not goroutines that block forever")
	}
	if m.Init() == nil {
		t.Error("Init must still start the clock and spinner")
	}
	if v := m.View(); !strings.Contains(v, "Checking") {
		t.Errorf("no data must show Checking:\n%s", v)
	}
}

func TestTickRearmsAndAges(t *testing.T) {
	clock := testNow
	opts := testOptions()
	opts.Now = func() time.Time { return clock }
	m := send(New(opts), healthySnapshot(testNow, 10))
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow, Class: probe.ClassOK, HTTPStatus: 401}})

	clock = testNow.Add(12 * time.Second)
	m, cmd := update(t, m, tickMsg(clock))
	if cmd == nil {
		t.Fatal("tick was not re-armed")
	}
	if !strings.Contains(m.View(), "checked <1m ago") {
		t.Errorf("banner under a minute:\n%s", m.View())
	}
	clock = testNow.Add(2*time.Minute + 30*time.Second)
	m, _ = update(t, m, tickMsg(clock))
	if !strings.Contains(m.View(), "checked 2m ago") {
		t.Errorf("banner did not age:\n%s", m.View())
	}
	clock = testNow.Add(6 * time.Minute) // past StaleAfter
	m, _ = update(t, m, tickMsg(clock))
	if !m.board.stale() || !strings.Contains(m.View(), "stale — last known state from 14:00:00") {
		t.Errorf("old data not marked stale:\n%s", m.View())
	}
}

func TestSpinnerStopsWithData(t *testing.T) {
	m := New(testOptions())
	tick := m.spin.Tick().(spinner.TickMsg)
	if _, cmd := update(t, m, tick); cmd == nil {
		t.Error("spinner must animate while checking")
	}
	m = send(m, healthySnapshot(testNow, 3))
	if _, cmd := update(t, m, tick); cmd != nil {
		t.Error("spinner must stop re-arming once data is in")
	}
}

func TestRingBounded(t *testing.T) {
	var r ring
	for i := 0; i < 5*ringSize+7; i++ {
		r.push(probe.Result{HTTPStatus: i})
		items := r.items()
		if len(items) > ringSize {
			t.Fatalf("ring holds %d", len(items))
		}
		if items[len(items)-1].HTTPStatus != i {
			t.Fatalf("newest is %d, want %d", items[len(items)-1].HTTPStatus, i)
		}
		for j := 1; j < len(items); j++ {
			if items[j].HTTPStatus != items[j-1].HTTPStatus+1 {
				t.Fatalf("out of order after %d pushes", i+1)
			}
		}
	}
}

func TestSnapshotAfterEventKeepsBoth(t *testing.T) {
	m := New(testOptions())
	live := probe.Result{Target: probe.TargetAPI, Time: testNow, Class: probe.ClassOK, HTTPStatus: 401}
	m = send(m, eventMsg{Result: live})
	snap := healthySnapshot(testNow.Add(-time.Minute), 5)
	// The store may already hold the live result too: it must not double.
	snap.recent[probe.TargetAPI] = append(snap.recent[probe.TargetAPI], live)
	m = send(m, snap)
	rs := m.board.results(probe.TargetAPI)
	if len(rs) != 6 || !rs[5].Time.Equal(testNow) {
		t.Errorf("merged ring = %d results, newest %v; want 5 stored + 1 live", len(rs), rs[len(rs)-1].Time)
	}
	if !m.board.live {
		t.Error("a late snapshot must not mark live data stale")
	}
}

// TestTinySizes draws every tab in every state at sizes far below 80×24.
func TestTinySizes(t *testing.T) {
	singleGoroutine(t)
	for name, build := range states() {
		for w := 1; w <= 20; w++ {
			for h := 1; h <= 5; h++ {
				m := send(build(), tea.WindowSizeMsg{Width: w, Height: h})
				for tb := tab(0); tb < tabCount; tb++ {
					m.active = tb
					checkBox(t, fmt.Sprintf("%s %v %dx%d", name, tb, w, h), m.View(), w, h)
				}
			}
		}
		m := send(build(), tea.WindowSizeMsg{Width: 0, Height: 0})
		_ = m.View()
	}
}

// TestWidths checks every line at common widths, not only the goldens'.
func TestWidths(t *testing.T) {
	singleGoroutine(t)
	for name, build := range states() {
		for _, w := range []int{30, 59, 60, 79, 80, 81, 100, 120, 160, 250} {
			for _, help := range []bool{false, true} {
				m := send(build(), tea.WindowSizeMsg{Width: w, Height: 40})
				if help {
					m = send(m, keyRunes("?"))
				}
				for tb := tab(0); tb < tabCount; tb++ {
					m.active = tb
					checkBox(t, fmt.Sprintf("%s %v w=%d help=%v", name, tb, w, help), m.View(), w, 40)
				}
			}
		}
	}
}

// TestHostileTextNotDrawnRaw feeds escape sequences that skipped the
// prober's sanitiser straight into the model: the view layer must still
// not draw them.
func TestHostileTextNotDrawnRaw(t *testing.T) {
	hostile := "Elevated errors\x1b]0;pwned title\x07 now\x1b[2J\x1b[31m red\x9b2J\u202e"
	st := outageStatus(testNow)
	st.Incidents[0].Name = hostile
	st.Incidents[0].Updates[0].Body = hostile
	st.Components[1].Name = hostile
	r := overloaded(1)
	r.Target, r.Time = probe.TargetAPIKey, testNow
	r.Message, r.ErrorType, r.RequestID = hostile, hostile, hostile
	code := probe.Result{Target: probe.TargetCode, Time: testNow, Class: probe.ClassOK, Detail: hostile}

	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 160, Height: 48},
		eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK}, Status: &st},
		eventMsg{Result: r}, eventMsg{Result: code})
	for tb := tab(0); tb < tabCount; tb++ {
		m.active = tb
		v := m.View()
		for _, bad := range []string{"\x1b", "\x07", "\x9b", "\u202e"} {
			if strings.Contains(v, bad) {
				t.Errorf("%v draws %q raw:\n%q", tb, bad, v)
			}
		}
	}
	m.active = tabIncidents
	if !strings.Contains(m.View(), "Elevated errors now red") {
		t.Errorf("sanitised name missing:\n%s", m.View())
	}
}

func TestProgramOptions(t *testing.T) {
	if n := len(ProgramOptions()); n != 4 {
		t.Errorf("ProgramOptions has %d options, want alt screen, mouse, FPS and no signal handler", n)
	}
}

func TestObserveNetworkWording(t *testing.T) {
	rs := []probe.Result{{Class: probe.ClassNetwork, ErrorType: "dns"}, {Class: probe.ClassNetwork, ErrorType: "dns"}}
	o, ok := observeFailures(probe.TargetClaudeAI, rs, nil, false)
	if want := "the last 2 claude.ai probes got no answer (DNS lookup failed)"; !ok || o.text != want {
		t.Errorf("got %q, want %q", o.text, want)
	}
}

// The status page's words reach the screen as words: "in progress", not
// "in_progress".
func TestObserveStatusWords(t *testing.T) {
	st := operationalStatus(testNow)
	st.Maintenances = []probe.Incident{{ID: "m", Name: "Database upgrade", Status: "in_progress", Impact: "maintenance"}}
	m := send(New(testOptions()), eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK}, Status: &st})
	var texts []string
	for _, o := range observe(m.board) {
		texts = append(texts, o.text)
	}
	got := strings.Join(texts, "\n")
	if !strings.Contains(got, "maintenance Database upgrade (in progress)") || strings.Contains(got, "_") {
		t.Errorf("observations:\n%s", got)
	}
}

// Keys that arrive in one read reach Bubble Tea v1 as one multi-rune key;
// outside a text input each must still act as a key.
func TestKeysArrivingTogetherActOneByOne(t *testing.T) {
	m := New(Options{Renderer: asciiRenderer(), Now: fixedNow, Location: time.UTC})
	next, cmd := m.Update(keyRunes("4q"))
	got := next.(Model)
	if got.active != tabHistory {
		t.Errorf("active tab %v after \"4q\", want History", got.active)
	}
	if cmd == nil {
		t.Fatal("no command: q was lost")
	}
	quit := false
	for _, msg := range flatten(cmd) {
		if _, ok := msg.(tea.QuitMsg); ok {
			quit = true
		}
	}
	if !quit {
		t.Error("q in \"4q\" did not quit")
	}

	// "/spend" typed fast opens the search and types the rest into it.
	next, _ = New(Options{Renderer: asciiRenderer(), Now: fixedNow, Location: time.UTC}).Update(keyRunes("2/spend"))
	got = next.(Model)
	if got.active != tabIncidents || !got.capturing() {
		t.Fatalf("tab %v capturing %v: want the Incidents search open", got.active, got.capturing())
	}
	if v := got.incidents.view(); !strings.Contains(v, "spend") {
		t.Errorf("search text lost:\n%s", v)
	}
}

// TestFullHelpListsTheTabsKeys: "?" lists the active tab's keys that
// apply now beside the root's, within 80 columns; the short help stays
// one line.
func TestFullHelpListsTheTabsKeys(t *testing.T) {
	helpOf := func(m Model) string { return ansi.Strip(m.footer()) }
	base := incidentModel(80, 24)
	for tb := tab(0); tb < tabCount; tb++ {
		m := base
		m.active = tb
		if h := helpOf(m); strings.Contains(h, "\n") {
			t.Errorf("%v: short help is not one line:\n%s", tb, h)
		}
	}

	open := send(base, keyRunes("?"))
	for _, c := range []struct {
		name      string
		m         Model
		want, not []string
	}{
		{"live", send(open, keyRunes("1")), []string{"1 Live signals", "q/ctrl+c quit", "? close help", "mouse tabs, scroll"}, []string{"filter"}},
		{"incidents", send(open, keyRunes("2")), []string{"f filter", "/ search", "enter details", "↑/↓ move", "pgup/pgdn page", "g/G first / last"}, []string{"esc"}},
		{"incidents_detail", send(open, keyRunes("2"), tea.KeyMsg{Type: tea.KeyEnter}), []string{"esc back", "↑/↓ scroll", "pgup/pgdn page", "g/G top / end"}, []string{"f filter", "/ search", "enter"}},
		{"incidents_search", send(open, keyRunes("2"), keyRunes("/")), []string{"enter keep search", "esc clear search"}, []string{"f filter", "↑/↓", "pgup", "g/G"}},
		{"troubleshooting", send(open, keyRunes("3")), []string{"p paste an error", "c copy report", "b known problems", "/ search", "f FAQ", "enter open problem", "↑/↓ scroll", "pgup/pgdn page", "g/G top / end"}, []string{"esc"}},
		{"troubleshooting_catalogue", send(open, keyRunes("3"), keyRunes("b")), []string{"↑/↓ move", "enter open", "/ search", "esc back"}, []string{"p paste", "f FAQ"}},
		{"troubleshooting_entry", send(open, keyRunes("3"), keyRunes("b"), tea.KeyMsg{Type: tea.KeyEnter}), []string{"↑/↓ scroll", "pgup/pgdn page", "g/G top / end", "esc back"}, []string{"enter", "/ search"}},
		{"troubleshooting_faq", send(open, keyRunes("3"), keyRunes("f")), []string{"↑/↓ move", "enter open", "esc back"}, []string{"/ search", "p paste"}},
		{"troubleshooting_paste", send(open, keyRunes("3"), keyRunes("p")), []string{"enter diagnose", "esc close"}, []string{"p paste", "c copy"}},
		{"history", send(open, keyRunes("4")), []string{"s/S next/prev service", "w/W next/prev window", "b strip", "j/k scroll probes", "pgup/pgdn page probes", "g/G newest / oldest"}, []string{"filter"}},
	} {
		h := strings.Join(strings.Fields(helpOf(c.m)), " ") // columns pad keys
		for _, w := range c.want {
			if !strings.Contains(h, w) {
				t.Errorf("%s: help lacks %q:\n%s", c.name, w, h)
			}
		}
		for _, n := range c.not {
			if strings.Contains(h, n) {
				t.Errorf("%s: help shows %q, which does not apply:\n%s", c.name, n, h)
			}
		}
		if strings.Contains(h, "…") {
			t.Errorf("%s: help cut at 80 columns:\n%s", c.name, h)
		}
		requireGolden(t, "help_"+c.name+"_80x24", c.m.View())
		checkBox(t, c.name, c.m.View(), 80, 24)
	}
}

// TestIncidentDetailTopAndEnd: g and G, listed in the detail's help,
// move its text to the top and the end (the viewport alone ignores them).
func TestIncidentDetailTopAndEnd(t *testing.T) {
	m := send(states()["outage"](), tea.WindowSizeMsg{Width: 80, Height: 12}, keyRunes("2"), tea.KeyMsg{Type: tea.KeyEnter})
	if !m.incidents.detail || m.incidents.vp.TotalLineCount() <= m.incidents.vp.Height {
		t.Fatalf("want an open detail taller than the screen (detail %v, %d lines in %d)", m.incidents.detail, m.incidents.vp.TotalLineCount(), m.incidents.vp.Height)
	}
	m = send(m, keyRunes("G"))
	if !m.incidents.vp.AtBottom() {
		t.Errorf("G: detail not at its end (offset %d)", m.incidents.vp.YOffset)
	}
	m = send(m, keyRunes("g"))
	if !m.incidents.vp.AtTop() {
		t.Errorf("g: detail not at its top (offset %d)", m.incidents.vp.YOffset)
	}
	if !m.incidents.detail {
		t.Error("g/G closed the detail")
	}
}

// TestMouseWheelScrollsTheTab: the wheel over a tab moves what its arrow
// keys move (the incident list, the troubleshooting text, the history's
// probe table); over the tab bar or the help line it does nothing.
func TestMouseWheelScrollsTheTab(t *testing.T) {
	wheel := func(b tea.MouseButton, y int) tea.MouseMsg {
		return tea.MouseMsg{X: 10, Y: y, Action: tea.MouseActionPress, Button: b}
	}
	for _, tb := range []tab{tabIncidents, tabTroubleshoot, tabHistory} {
		m := send(states()["outage"](), tea.WindowSizeMsg{Width: 80, Height: 24})
		m, _ = update(t, m, keyRunes(fmt.Sprint(int(tb)+1)))
		if tb == tabTroubleshoot {
			// Start below the top, so that up has somewhere to go.
			m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyDown})
		}
		before := m.View()
		for _, dir := range []struct {
			button tea.MouseButton
			key    tea.KeyType
		}{{tea.MouseButtonWheelDown, tea.KeyDown}, {tea.MouseButtonWheelUp, tea.KeyUp}} {
			byKey, _ := update(t, m, tea.KeyMsg{Type: dir.key})
			byWheel, _ := update(t, m, wheel(dir.button, 12))
			if byWheel.View() != byKey.View() {
				t.Errorf("%v: the wheel (%v) did not do what %v does", tb, dir.button, dir.key)
			}
			if tb == tabTroubleshoot && byWheel.View() == before {
				t.Errorf("%v: the wheel (%v) moved nothing", tb, dir.button)
			}
			for _, y := range []int{0, 23} {
				if off, _ := update(t, m, wheel(dir.button, y)); off.View() != before {
					t.Errorf("%v: the wheel at row %d changed the tab", tb, y)
				}
			}
		}
	}
}

// TestFirstFrameShowsTheDatabase (cold4 C6): with LoadFirst, as main runs
// the dashboard, the very first View — before Init, before any event —
// shows what the database holds with its age, never "no data yet … never"
// over a database full of history; Init does not read it a second time.
func TestFirstFrameShowsTheDatabase(t *testing.T) {
	snap := outageSnapshot(testNow.Add(-time.Minute), 20)
	for _, first := range []bool{true, false} {
		h := &fakeHistory{recent: snap.recent, status: snap.status}
		opts := testOptions()
		opts.History, opts.LoadFirst = h, first
		m := New(opts)
		v := m.View()
		if !first {
			// Read in the background by Init: the first frame checks.
			if !strings.Contains(v, "no data yet") {
				t.Errorf("without LoadFirst the first frame is Init's to fill:\n%s", v)
			}
			continue
		}
		for _, bad := range []string{"no data yet", "never", "Checking"} {
			if strings.Contains(v, bad) {
				t.Errorf("first frame says %q with history in the database:\n%s", bad, v)
			}
		}
		if !strings.Contains(v, "stale — last known state from 13:59:00") {
			t.Errorf("first frame does not give the database's state its age:\n%s", v)
		}
		if !m.preloaded {
			t.Errorf("New read the snapshot but Init would read it again")
		}
	}
}

// TestStaleStartIsNoChange (cold5 D24): the first frame shows the
// database's last state, stale; the first fresh round replacing it is no
// change of verdict to mark ("changed 17:54 from Failing from here" stood
// beside the first fresh answers: two verdicts rebuilt at start).
func TestStaleStartIsNoChange(t *testing.T) {
	snap := outageSnapshot(testNow.Add(-10*time.Minute), 20)
	opts := testOptions()
	opts.History, opts.LoadFirst = &fakeHistory{recent: snap.recent, status: snap.status}, true
	m := send(New(opts), tea.WindowSizeMsg{Width: 120, Height: 35})
	if v := m.View(); !strings.Contains(v, "stale — last known state") {
		t.Fatalf("the first frame is not the database's, stale:\n%s", v)
	}
	st := operationalStatus(testNow)
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK, HTTPStatus: 200}, Status: &st})
	for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI, probe.TargetCode} {
		m = send(m, eventMsg{Result: probe.Result{Target: tg, Time: testNow, Class: probe.ClassOK, HTTPStatus: 200, Phases: probe.Phases{Total: 90 * time.Millisecond}}})
	}
	v := m.View()
	if strings.Contains(v, "stale") || !strings.Contains(v, "Operational") {
		t.Fatalf("fresh answers did not replace the database's state:\n%s", v)
	}
	if strings.Contains(v, "changed ") {
		t.Errorf("the database's stale state is marked as the verdict changed from:\n%s", v)
	}
}

// TestFreshRestartAfterAClearedFailureIsNoChange (issue 19 leftover 1):
// restarted 15 s after a stop, the database's last results are young
// enough to count, and they say the API failed (529); it has since
// recovered. The first rounds of this run answer 200: the banner goes
// from what the database said to all clear, and nothing changed in this
// run, so no "changed … from Failing from here" / "from Not yet
// acknowledged". A change this run's own results make is still marked.
func TestFreshRestartAfterAClearedFailureIsNoChange(t *testing.T) {
	stop := testNow.Add(-15 * time.Second)
	snap := healthySnapshot(stop, 30)
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 30, stop, 5*time.Second, 210*time.Millisecond, func(i int) (probe.Result, bool) {
		if i >= 25 {
			return overloaded(i), true
		}
		return probe.Result{}, false
	})
	for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetAPIKey, probe.TargetClaudeAI, probe.TargetCode} {
		snap.recent[tg] = series(tg, 30, stop, 5*time.Second, 150*time.Millisecond, never)
	}
	clock := testNow
	opts := testOptions()
	opts.Now = func() time.Time { return clock }
	opts.History, opts.LoadFirst = &fakeHistory{recent: snap.recent, status: snap.status}, true
	m := send(New(opts), tea.WindowSizeMsg{Width: 120, Height: 35})
	if k := m.board.verdict.Kind; k == probe.VerdictOperational || k == probe.VerdictUnknown {
		t.Fatalf("the fixture must start from the database's failure to test anything, got %v", k)
	}
	round := func(at time.Time, api func() probe.Result) {
		st := operationalStatus(at)
		m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: at, Class: probe.ClassOK, HTTPStatus: 200}, Status: &st})
		for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI, probe.TargetCode} {
			r := probe.Result{Target: tg, Time: at, Class: probe.ClassOK, HTTPStatus: okCode(tg), Phases: probe.Phases{Total: 90 * time.Millisecond}}
			if tg == probe.TargetAPI {
				r = api()
				r.Target, r.Time = tg, at
			}
			m = send(m, eventMsg{Result: r})
		}
		m = send(m, tickMsg(at.Add(time.Second)))
	}
	ok := func() probe.Result {
		return probe.Result{Class: probe.ClassOK, HTTPStatus: 401, Phases: probe.Phases{Total: 90 * time.Millisecond}}
	}
	for i := range 4 {
		clock = testNow.Add(time.Duration(i) * 5 * time.Second)
		round(clock, ok)
		if v := m.View(); strings.Contains(v, "changed ") {
			t.Fatalf("round %d: the last run's failure is marked as the verdict changed from:\n%s", i, v)
		}
	}
	if k := m.board.verdict.Kind; k != probe.VerdictOperational {
		t.Fatalf("verdict %v after four healthy rounds", k)
	}
	for i := range 3 {
		clock = testNow.Add(time.Duration(20+5*i) * time.Second)
		round(clock, func() probe.Result { return overloaded(100 + i) })
	}
	// The banner said Unstable for two rounds (the database's 529s beside
	// this run's), then moved on: the mark names what it drew just before.
	if v := m.View(); !strings.Contains(v, "changed ") || !strings.Contains(v, "from Degraded") {
		t.Errorf("a failure in this run is not marked as a change from the Degraded the banner drew:\n%s", v)
	}
}
