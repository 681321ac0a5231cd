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
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"downforai/probe"
	"downforai/probe/judge"
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
	// APIURL and ClaudeURL are the URLs the engine probes (--api-url or
	// ANTHROPIC_BASE_URL, --claude-url): until its local checks report
	// them, the verdict of the results the database holds knows from
	// them whether a timeout came after connecting. "" means https.
	APIURL, ClaudeURL string
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
	// OfRunningEngine says that Events come from an engine that ran
	// before this dashboard started (an ssh session of serve, a viewer
	// attached): what History holds is that engine's knowledge, so a
	// state younger than StaleAfter is shown as current with its age, not
	// as a last run's "stale — last known state from …" until the first
	// event (a 4 s old state was called stale on a viewer's first frame).
	OfRunningEngine bool
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
	b.ofEngine = opts.OfRunningEngine
	b.horizon = opts.Horizon
	if opts.Horizon > 0 {
		b.cut = b.now.Add(-opts.Horizon)
	}
	b.statusPage = strings.TrimRight(cmp.Or(opts.StatusURL, probe.DefaultStatusURL), "/")
	b.urls = judge.URLs{API: opts.APIURL, ClaudeAI: opts.ClaudeURL, Status: opts.StatusURL}

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
