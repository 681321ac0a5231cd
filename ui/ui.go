// Package ui is downforai's terminal dashboard: a Bubble Tea program with
// four tabs (Live signals, Incidents, Troubleshooting, History) that starts
// from the last recorded state and then follows the engine's live events.
//
// The root Model owns the data (a bounded ring of recent results per target
// and the latest official status), the size and the keys; each tab is a
// value that draws from that data. Nothing here does I/O outside a tea.Cmd.
package ui

import (
	"cmp"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"downforai/probe"
)

// Options configures New.
type Options struct {
	// Renderer builds every style: lipgloss.DefaultRenderer() locally, the
	// session's renderer over ssh. Nil means the default renderer.
	Renderer *lipgloss.Renderer
	// History is read once, inside a command, for the initial snapshot.
	// Nil means start empty.
	History probe.History
	// Events are the engine's live observations. Nil means none.
	Events <-chan probe.Event
	// Version is shown in the tab bar when there is room.
	Version string
	// Viewer, when set, says that this dashboard watches another
	// process's engine ("viewer of pid 123"); it is shown on the banner's
	// first line, which every size keeps, unlike the tab bar's name.
	Viewer string
	// StatusURL is the status page's base (--status-url), for the link
	// to an incident that came without a shortlink; "" means
	// probe.DefaultStatusURL.
	StatusURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Location is the viewer's time zone, every time of day on screen is
	// in it and the tab bar names it: an ssh session's TZ, say. Nil means
	// time.Local, the zone of the process.
	Location *time.Location
	// StaleAfter marks data older than this as stale; 0 means never.
	StaleAfter time.Duration
	// RecoverThreshold is how many successes in a row end a failure
	// (--recover-threshold), so the banner recovers when the detector
	// closes the incident; 0 means judge.DefaultRecoverThreshold.
	RecoverThreshold int
	// Horizon is how far back, from this dashboard's start, the results
	// recorded before it count in the verdict (judge.Horizon, as check and
	// diagnose weigh the database): a restart does not judge on hours-old
	// failures, which would hold "recovering" or "Unstable" over a healthy
	// service. They still show in the strips and History. 0: no cutoff.
	Horizon time.Duration
	// Targets are the targets being probed, in display order; nil means
	// probe.Targets(). The API-with-your-key row appears only when
	// probe.TargetAPIKey is among them (or results for it arrive).
	Targets []probe.Target
	// Clipboard is where the OSC 52 "copy to clipboard" sequence is
	// written: the program's own output (os.Stdout locally, the session
	// over ssh), so it reaches the user's terminal. Nil disables copying.
	Clipboard io.Writer
	// OnPanic, when set, hears of a panic in Update or View, with its
	// stack, before the panic goes on to Bubble Tea, which restores the
	// terminal (main writes it to the log).
	OnPanic func(v any, stack []byte)
	// OnInit, when set, is called first thing in Init. Run calls Init once
	// its renderer runs, just before it writes the first View: where
	// FirstFrame belongs, so that View is drawn at once.
	OnInit func()
	// OnView, when set, is handed every View (ui.Pacer.Viewed: the
	// renderer draws soon after a change and seldom when nothing changes).
	OnView func(string)
	// Width and Height are the terminal's size when it is known before the
	// program starts, so the first frame already fits; 0 means
	// defaultWidth × defaultHeight until the terminal reports its size.
	Width, Height int
	// LoadFirst reads History's last known state in New, before the first
	// frame, so that frame shows what the database holds, with its age
	// ("stale — last known state from 17:51:03"), never "no data yet …
	// never" over a database full of history (cold4 C6). False: Init
	// reads it in the background (tests that feed the snapshot by hand).
	LoadFirst bool
}

// defaultWidth and defaultHeight are used until the terminal reports its
// size, so the first frame is never empty.
const (
	defaultWidth  = 80
	defaultHeight = 24
)

// ProgramOptions are the tea.ProgramOptions the dashboard is meant to run
// with: the alternate screen, mouse clicks on tabs, a fast frame rate for
// the first frame (the caller slows it after, WhenDrawn), and
// no signal handler of Bubble Tea's own. The caller ends the program
// (through its context) on SIGINT, SIGTERM and SIGHUP: Bubble Tea's
// handler hands the signal to the event loop with a blocking send, and
// when the loop has already stopped (the context ended, the terminal
// went away) its shutdown waits on that handler for ever. Over ssh the
// process's signals are not the session's business at all.
func ProgramOptions() []tea.ProgramOption {
	return []tea.ProgramOption{
		tea.WithAltScreen(),
		tea.WithMouseCellMotion(),
		tea.WithFPS(startFPS), // IdleFrames slows it after the first frame
		tea.WithoutSignalHandler(),
	}
}

// Model is the root Bubble Tea model.
type Model struct {
	opts   Options
	now    func() time.Time
	board  *board
	styles *styles
	keys   keyMap
	help   help.Model
	spin   spinner.Model

	active        tab
	width, height int

	live         liveTab
	incidents    incidentsTab
	troubleshoot troubleshootTab
	history      historyTab

	preloaded bool    // New read the snapshot (Options.LoadFirst): Init does not
	afterLoad tea.Cmd // what applying that snapshot asked for, run by Init
}

// New builds the root model. It does no I/O, unless Options.LoadFirst
// asks it to read History's snapshot: Init returns the commands that load
// history (otherwise) and listen for events.
func New(opts Options) Model {
	if opts.Renderer == nil {
		opts.Renderer = lipgloss.DefaultRenderer()
	}
	clock := opts.Now
	if clock == nil {
		clock = time.Now
	}
	now := inZone(clock, cmp.Or(opts.Location, time.Local))
	targets := opts.Targets
	if targets == nil {
		targets = probe.Targets()
	}
	targets = append([]probe.Target(nil), targets...)
	st := newStyles(opts.Renderer)
	b := newBoard(targets, now(), opts.StaleAfter, opts.Version)
	b.recover = opts.RecoverThreshold
	if opts.Horizon > 0 {
		b.cut = b.now.Add(-opts.Horizon)
	}
	b.statusPage = strings.TrimRight(cmp.Or(opts.StatusURL, probe.DefaultStatusURL), "/")

	h := help.New()
	h.Styles = st.help
	m := Model{
		opts:   opts,
		now:    now,
		board:  b,
		styles: &st,
		keys:   newKeyMap(),
		help:   h,
		spin:   spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(st.spinner)),

		live:         newLiveTab(b, &st),
		incidents:    newIncidentsTab(b, &st),
		troubleshoot: newTroubleshootTab(b, &st, opts.Clipboard),
		history:      newHistoryTab(b, &st, opts.History),
	}
	m.width, m.height = defaultWidth, defaultHeight
	if opts.Width > 0 && opts.Height > 0 {
		m.width, m.height = opts.Width, opts.Height
	}
	m.layout()
	if opts.LoadFirst && opts.History != nil {
		// Before the program runs, not in Update or View: the store is
		// read once here, as Init would have read it.
		msg := loadSnapshot(opts.History, m.board.targets)().(snapshotMsg)
		next, cmd := m.Update(msg)
		m = next.(Model)
		m.preloaded, m.afterLoad = true, cmd
	}
	return m
}

// inZone is the model's clock: now in the viewer's zone, so board.now
// carries the zone to every time of day the tabs print.
func inZone(now func() time.Time, loc *time.Location) func() time.Time {
	return func() time.Time { return now().In(loc) }
}

// Init loads the snapshot and starts the event listener, the clock and
// the "Checking…" spinner.
func (m Model) Init() tea.Cmd {
	if m.opts.OnInit != nil {
		m.opts.OnInit()
	}
	load := loadSnapshot(m.opts.History, m.board.targets)
	if m.preloaded {
		load = m.afterLoad
	}
	return tea.Batch(
		load,
		waitForEvent(m.opts.Events),
		tick(),
		m.spin.Tick,
	)
}

// Update handles one message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.opts.OnPanic != nil {
		defer m.reportPanic()
	}
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case BackgroundMsg:
		m.restyle(msg.Dark)
		return m, nil

	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 0), max(msg.Height, 0)
		m.layout()
		cmds = append(cmds, m.history.resized())

	case tea.KeyMsg:
		return m.updateKey(msg)

	case tea.MouseMsg:
		cmds = append(cmds, m.updateMouse(msg))

	case snapshotMsg:
		m.board.applySnapshot(msg, m.now())
		cmds = append(cmds, m.updateAll(msg))

	case eventMsg:
		m.board.applyEvent(probe.Event(msg), m.now())
		cmds = append(cmds, m.updateAll(msg), waitForEvent(m.opts.Events))

	case copiedMsg:
		m.troubleshoot, _ = m.troubleshoot.update(msg)

	case eventsClosedMsg:
		m.board.close()
		cmds = append(cmds, m.updateAll(msg))

	case tickMsg:
		m.board.setNow(m.now())
		cmds = append(cmds, m.updateAll(msg), tick())

	case historyLoadedMsg:
		var cmd tea.Cmd
		m.history, cmd = m.history.update(msg)
		cmds = append(cmds, cmd)

	case spinner.TickMsg:
		// The spinner only animates "Checking…"; once data is in, let its
		// tick chain end so an idle screen does not redraw ten times a second.
		if !m.board.hasData() {
			var cmd tea.Cmd
			m.spin, cmd = m.spin.Update(msg)
			cmds = append(cmds, cmd)
		}
	}
	return m.relayout(), tea.Batch(cmds...)
}

// updateKey handles a key: one by one when several arrived as one, all
// to the tab that is taking text, else the root's keys first, then the
// active tab's.
func (m Model) updateKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	// Bubble Tea v1 hands keys that arrive in one read ("2q" typed
	// fast, or sent by tmux in one go) over as one multi-rune key that
	// matches no binding. Outside a text input, play them one by one,
	// so that each is a key again ("/spend" still opens the search and
	// types "spend" into it).
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.capturing() {
		var model tea.Model = m
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			var cmd tea.Cmd
			model, cmd = model.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
			cmds = append(cmds, cmd)
		}
		return model, tea.Sequence(cmds...)
	}
	// A tab that is taking text (a search, a pasted error) gets every
	// key but ctrl+c, so typing "q" or "2" does not quit or switch tabs.
	if !m.capturing() || msg.Type == tea.KeyCtrlC {
		if cmd, handled := m.handleKey(msg); handled {
			return m.relayout(), cmd
		}
	}
	cmd := m.updateActive(msg)
	return m.relayout(), cmd
}

// updateMouse handles a click on the tab bar and the wheel over a tab.
func (m *Model) updateMouse(msg tea.MouseMsg) tea.Cmd {
	switch {
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft && msg.Y == 0:
		if t, ok := tabAt(msg.X, m.width); ok {
			return m.setActive(t)
		}
	case msg.Action == tea.MouseActionPress && (msg.Button == tea.MouseButtonWheelUp || msg.Button == tea.MouseButtonWheelDown):
		// The wheel over a tab moves what its arrow keys move: the
		// incident list or detail, the troubleshooting text, the
		// history's probe table.
		if m.inBody(msg.Y) && !m.capturing() {
			k := tea.KeyMsg{Type: tea.KeyDown}
			if msg.Button == tea.MouseButtonWheelUp {
				k.Type = tea.KeyUp
			}
			return m.updateActive(k)
		}
	}
	return nil
}

func (m *Model) handleKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, m.keys.Quit):
		return tea.Quit, true
	case key.Matches(msg, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		if m.help.ShowAll {
			m.keys.Help.SetHelp("?", "close help")
		} else {
			m.keys.Help.SetHelp("?", "more keys")
		}
		return nil, true
	case key.Matches(msg, m.keys.Next):
		return m.setActive((m.active + 1) % tabCount), true
	case key.Matches(msg, m.keys.Prev):
		return m.setActive((m.active + tabCount - 1) % tabCount), true
	}
	for t, b := range m.keys.Jump {
		if key.Matches(msg, b) {
			return m.setActive(tab(t)), true
		}
	}
	return nil, false
}

// setActive puts tab t on screen. The History tab reads the store only
// while it is on screen: selecting it starts a load.
func (m *Model) setActive(t tab) tea.Cmd {
	if t == m.active {
		return nil
	}
	m.active = t
	if t == tabHistory {
		return m.history.show()
	}
	m.history.hide()
	return nil
}

// capturing reports whether the visible tab is taking text input.
func (m Model) capturing() bool {
	switch m.active {
	case tabIncidents:
		return m.incidents.capturing()
	case tabTroubleshoot:
		return m.troubleshoot.capturing()
	case tabHistory:
		return m.history.capturing()
	}
	return false
}

// inBody reports whether screen row y is in the tab's part of the screen,
// between the tab bar and banner above and the help below.
func (m *Model) inBody(y int) bool {
	return y >= lipgloss.Height(m.header()) && y < m.height-lipgloss.Height(m.footer())
}

// updateActive gives a key to the visible tab only.
func (m *Model) updateActive(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch m.active {
	case tabLive:
		m.live, cmd = m.live.update(msg)
	case tabIncidents:
		m.incidents, cmd = m.incidents.update(msg)
	case tabTroubleshoot:
		m.troubleshoot, cmd = m.troubleshoot.update(msg)
	case tabHistory:
		m.history, cmd = m.history.update(msg)
	}
	return cmd
}

// updateAll gives a data message to every tab.
func (m *Model) updateAll(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, tabCount)
	m.live, cmds[tabLive] = m.live.update(msg)
	m.incidents, cmds[tabIncidents] = m.incidents.update(msg)
	m.troubleshoot, cmds[tabTroubleshoot] = m.troubleshoot.update(msg)
	m.history, cmds[tabHistory] = m.history.update(msg)
	return tea.Batch(cmds...)
}

func (m Model) relayout() Model {
	m.layout()
	return m
}

// layout measures the chrome (tab bar, banner, help), whose height depends
// on the width, the data and the help toggle, and gives the rest to the tabs.
func (m *Model) layout() {
	m.help.Width = m.width
	chrome := lipgloss.Height(m.header()) + lipgloss.Height(m.footer())
	h := max(m.height-chrome, 0)
	m.live.setSize(m.width, h)
	m.incidents.setSize(m.width, h)
	m.troubleshoot.headlineCap = headlineCap(m.height)
	m.troubleshoot.setSize(m.width, h)
	m.history.setSize(m.width, h)
}

// View draws the whole screen, never wider than the terminal and never
// taller.
func (m Model) View() string {
	if m.opts.OnPanic != nil {
		defer m.reportPanic()
	}
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var body string
	switch m.active {
	case tabLive:
		body = m.live.view()
	case tabIncidents:
		body = m.incidents.view()
	case tabTroubleshoot:
		body = m.troubleshoot.view()
	case tabHistory:
		body = m.history.view()
	}
	header, footer := m.header(), m.footer()
	bodyH := max(m.height-lipgloss.Height(header)-lipgloss.Height(footer), 0)
	parts := []string{header}
	if bodyH > 0 {
		// Pad the body to its full height so the help stays at the bottom.
		lines := strings.Split(clamp(body, m.width, bodyH), "\n")
		for len(lines) < bodyH {
			lines = append(lines, "")
		}
		parts = append(parts, strings.Join(lines, "\n"))
	}
	parts = append(parts, footer)
	v := clamp(strings.Join(parts, "\n"), m.width, m.height)
	if m.opts.OnView != nil {
		m.opts.OnView(v)
	}
	return v
}

// reportPanic passes a panic to OnPanic and lets it go on; deferred only
// when OnPanic is set.
func (m Model) reportPanic() {
	if v := recover(); v != nil {
		m.opts.OnPanic(v, debug.Stack())
		panic(v)
	}
}

func (m Model) header() string {
	return tabBar(m.styles, m.active, m.width, m.board.version, m.board.zone()) + "\n" +
		m.styles.rule.Render(strings.Repeat("─", m.width)) + "\n" +
		m.banner() + "\n"
}

func (m Model) footer() string {
	return m.help.View(helpKeys{root: m.keys, tab: m.tabHelp()})
}

// tabHelp is the visible tab's keys for the full help.
func (m Model) tabHelp() [][]key.Binding {
	switch m.active {
	case tabIncidents:
		return m.incidents.helpKeys()
	case tabTroubleshoot:
		return m.troubleshoot.helpKeys()
	case tabHistory:
		return m.history.helpKeys()
	}
	return nil
}

// banner is the answer in one glance: verdict word and symbol, when we
// last looked, the headline, and whether this is old news.
func (m Model) banner() string {
	st, b, w := m.styles, m.board, m.width
	if !b.hasData() {
		line := m.bannerLine(m.spin.View()+" "+st.heading.Render("Checking…"), "")
		note := "no data yet — probing Anthropic's status page, API, claude.ai and Claude Code"
		if b.loaded && b.loadErr != "" {
			note = b.loadErr
		} else if b.closed {
			note = "no data: the probe engine stopped"
		}
		return line + "\n" + strings.Join(append(wrap(st.muted.Render(note), w), m.storeWarning()...), "\n")
	}
	v := b.verdict
	sym, tn := verdictLook(v.Kind)
	left := st.strong[tn].Render(sym + " " + v.Title())
	note := checkedNote(b)
	var change string
	if at, from, ok := b.change(); ok {
		change = "changed " + at.In(b.loc()).Format("15:04") + " from " + from.String()
		if lipgloss.Width(left)+2+lipgloss.Width(change+" · "+note) <= w {
			note, change = change+" · "+note, ""
		}
	}
	lines := []string{m.bannerLine(left, note)}
	if change != "" {
		lines = append(lines, st.muted.Render(change))
	}
	// On a short terminal the headline is cut to a few lines; the
	// Troubleshooting tab's "Why we say so" then has it in full.
	head, _ := capHeadline(v.Headline, w, headlineCap(m.height))
	for _, l := range head {
		lines = append(lines, st.text.Render(l))
	}
	if s := limitReset(b); s != "" {
		lines = append(lines, wrap(st.text.Render(s), w)...)
	}
	lines = append(lines, m.incidentBanner()...)
	if b.stale() {
		lines = append(lines, wrap(st.stale.Render("stale — last known state from "+clock(b.now, b.lastChecked())), w)...)
	}
	if b.closed {
		// The engine (ours, or the one an attached viewer watched) is gone:
		// nothing on screen will change again.
		lines = append(lines, wrap(st.stale.Render("live updates stopped: the probe engine is gone — restart downforai"), w)...)
	}
	lines = append(lines, m.storeWarning()...)
	return strings.Join(lines, "\n")
}

// checkedNote is when our probes last ran and, when it differs, how old
// the status page's state is: "probes 3s ago · status page 6m ago".
func checkedNote(b *board) string {
	v := b.verdict
	probes := v.Checked
	if probes.IsZero() {
		return "checked " + ago(b.now, b.lastChecked())
	}
	note := "checked " + ago(b.now, probes)
	o := v.Official
	switch {
	case o.State == probe.OfficialUnreadable:
		note += " · status page unreadable"
	case o.State == probe.OfficialForeign:
		note += " · status page not Claude's"
	case o.Read.IsZero():
		note += " · status page not read"
	case probes.Sub(o.Read) >= time.Minute:
		// A minute or more older than our probes: worth saying.
		note += " · status page " + ago(b.now, o.Read)
	}
	return note
}

// bannerLine is the banner's first line: left, then on the right the
// viewer's marker and when we last looked (note).
func (m Model) bannerLine(left, note string) string {
	if m.opts.Viewer != "" {
		note = strings.TrimSuffix(probe.Line(m.opts.Viewer, 40)+" · "+note, " · ")
	}
	if note == "" {
		return left
	}
	right := m.styles.muted.Render(note)
	if gap := m.width - lipgloss.Width(left) - lipgloss.Width(right); gap >= 2 {
		return left + strings.Repeat(" ", gap) + right
	}
	return left + "  " + right
}

// storeWarning is the banner's line while the database refuses writes:
// what is shown is live, but it is not being saved.
func (m Model) storeWarning() []string {
	if m.board.storeErr == "" {
		return nil
	}
	// The salvage command of a damaged file is copied from here: on its
	// own lines, never broken inside a flag or a path.
	head := "⚠ database write failed: "
	if strings.Contains(m.board.storeErr, " is damaged (") {
		// Refused at open, never written: no write failed (cold2 C11).
		head = "⚠ not recording to the database: "
	}
	return wrapCommands(head+m.board.storeErr, m.width, func(s string) string { return m.styles.stale.Render(s) })
}
