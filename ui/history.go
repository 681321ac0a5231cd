package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// historyTab shows how each target behaved over time: uptime per window
// and latency percentiles from the store's rollups, an uptime strip, a
// latency chart of the selected target and its recent raw probes. All of
// it is read in a command (loadHistory), and only while the tab is on
// screen: when it is selected, when its selection or size changes, and
// when new results (and so new rollups) have landed since the last read.
// A hidden tab reads nothing. Update and View only draw what arrived.
type historyTab struct {
	b    *board
	st   *styles
	hist probe.History // nil: no database, summaries come from memory
	keys historyKeys
	w, h int

	sel    int  // index of the selected target in b.targets
	win    int  // index into histWindows
	hours  bool // strip per hour for 48 h, else per day for 90 days
	scroll int  // first row of the probe table on screen

	shown    bool // the tab is on screen
	gen      int  // bumped per load; older answers are dropped
	loading  bool // a load is in flight
	needLoad bool // asked for while one was in flight
	newData  bool // results landed since the last load started
	data     historyData

	// Drawing happens in view, once per change: rev names the state that
	// is drawn (see changed), and cache holds the last drawing with its rev
	// and size. The pointer is shared by copies of the tab; a copy with
	// another rev or size draws afresh.
	rev   int
	cache *drawCache
}

// drawCache is a tab's last drawing and what it was drawn from.
type drawCache struct {
	rev, w, h int
	out       string
	revs      int // the last rev handed out
}

// changed gives the tab a new rev: what it draws has changed. Revs come
// from the shared cache, so two copies changed apart never share one.
func (t *historyTab) changed() {
	t.cache.revs++
	t.rev = t.cache.revs
}

// historyKeys are the keys the History tab adds.
type historyKeys struct {
	NextService, PrevService key.Binding
	NextWindow, PrevWindow   key.Binding
	Strip                    key.Binding
	Up, Down                 key.Binding
	PageUp, PageDown         key.Binding
	Top, Bottom              key.Binding
}

func newHistoryKeys() historyKeys {
	return historyKeys{
		// A pair's help is on its first key: the full help lists those.
		NextService: key.NewBinding(key.WithKeys("s", "]"), key.WithHelp("s/S", "next/prev service")),
		PrevService: key.NewBinding(key.WithKeys("S", "[")),
		NextWindow:  key.NewBinding(key.WithKeys("w", "}"), key.WithHelp("w/W", "next/prev window")),
		PrevWindow:  key.NewBinding(key.WithKeys("W", "{")),
		Strip:       key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "strip: 90 d / 48 h")),
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("j/k", "scroll probes")),
		Down:        key.NewBinding(key.WithKeys("down", "j")),
		PageUp:      key.NewBinding(key.WithKeys("pgup")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown", " ")),
		Top:         key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/G", "newest / oldest")),
		Bottom:      key.NewBinding(key.WithKeys("end", "G")),
	}
}

func newHistoryTab(b *board, st *styles, h probe.History) historyTab {
	return historyTab{b: b, st: st, hist: h, keys: newHistoryKeys(), win: 1, cache: &drawCache{rev: -1}}
}

// setSize sets the size the tab draws at; the root calls it after every
// Update. A changed chart width needs new data: see resized.
func (t *historyTab) setSize(w, h int) { t.w, t.h = w, h }

// show is called when the tab comes on screen: it starts a load, so the
// data is there on the next frame, not on the next clock tick.
func (t *historyTab) show() tea.Cmd {
	t.shown = true
	return t.load()
}

// hide is called when another tab is selected; loads stop.
func (t *historyTab) hide() { t.shown = false }

// resized starts a load when the tab is on screen and the chart's width
// changed since the data was read (its columns are binned to the width).
func (t *historyTab) resized() tea.Cmd {
	if !t.shown || t.data.req.gen == 0 || t.data.req.cols == t.chartCols() {
		return nil
	}
	return t.load()
}

// helpKeys is the tab's column of the full help.
func (t historyTab) helpKeys() [][]key.Binding {
	k := t.keys
	page := k.PageUp
	page.SetHelp("pgup/pgdn", "page probes")
	return [][]key.Binding{{k.NextService, k.NextWindow, k.Strip, k.Up, page, k.Top}}
}

// capturing reports whether the tab is taking text input, so the root
// sends it every key.
func (t historyTab) capturing() bool { return false }

func (t historyTab) update(msg tea.Msg) (historyTab, tea.Cmd) {
	switch msg := msg.(type) {
	case snapshotMsg:
		// The targets may have changed; the stored data is read by the
		// next tick's load if the tab is on screen.
		t.newData = true
		t.changed()
	case eventMsg:
		if r := msg.Result; r.Target != "" {
			t.newData = true
			// The newest probe of the selected target joins the table at
			// once; summaries follow with the next load.
			if r.Target == t.selected() && t.data.req.sel == r.Target {
				t.data.recent = append([]probe.Result{r}, t.data.recent[:min(len(t.data.recent), recentRows-1)]...)
				if t.scroll > 0 {
					t.scroll++ // keep the rows being read in place
				}
			}
			t.changed() // a new target may have joined
		}
	case tickMsg:
		// Results arrive in bursts (one per target, within seconds): the
		// clock gathers a burst into one load.
		if t.shown && (t.newData || t.needLoad) && !t.loading {
			return t, t.load()
		}
	case historyLoadedMsg:
		if msg.req.gen != t.gen {
			return t, nil // an older load; a newer one is on its way
		}
		t.loading = false
		t.data = historyData(msg)
		t.scroll = min(t.scroll, max(len(t.data.recent)-1, 0))
		t.changed()
		if t.needLoad && t.shown {
			return t, t.load()
		}
	case tea.KeyMsg:
		return t.handleKey(msg)
	}
	return t, nil
}

func (t historyTab) handleKey(msg tea.KeyMsg) (historyTab, tea.Cmd) {
	k := t.keys
	n := len(t.b.targets)
	page := max(t.tableRows()-1, 1)
	switch {
	case key.Matches(msg, k.NextService) && n > 0:
		t.sel, t.scroll = (t.sel+1)%n, 0
	case key.Matches(msg, k.PrevService) && n > 0:
		t.sel, t.scroll = (t.sel+n-1)%n, 0
	case key.Matches(msg, k.NextWindow):
		t.win = (t.win + 1) % len(histWindows)
	case key.Matches(msg, k.PrevWindow):
		t.win = (t.win + len(histWindows) - 1) % len(histWindows)
	case key.Matches(msg, k.Strip):
		t.hours = !t.hours
	case key.Matches(msg, k.Up):
		t.scroll = max(t.scroll-1, 0)
		t.changed()
		return t, nil
	case key.Matches(msg, k.Down):
		t.scroll = min(t.scroll+1, t.maxScroll())
		t.changed()
		return t, nil
	case key.Matches(msg, k.PageUp):
		t.scroll = max(t.scroll-page, 0)
		t.changed()
		return t, nil
	case key.Matches(msg, k.PageDown):
		t.scroll = min(t.scroll+page, t.maxScroll())
		t.changed()
		return t, nil
	case key.Matches(msg, k.Top):
		t.scroll = 0
		t.changed()
		return t, nil
	case key.Matches(msg, k.Bottom):
		t.scroll = t.maxScroll()
		t.changed()
		return t, nil
	default:
		return t, nil
	}
	// Selection changed: draw the new selection at once, load its data.
	t.changed()
	return t, t.load()
}

func (t historyTab) maxScroll() int {
	return max(len(t.data.recent)-t.tableRows(), 0)
}

// selected is the selected target, "" when there is none.
func (t historyTab) selected() probe.Target {
	if len(t.b.targets) == 0 {
		return ""
	}
	return t.b.targets[min(t.sel, len(t.b.targets)-1)]
}

// load starts a load of everything the tab shows, or notes that one is
// needed when another is still running.
func (t *historyTab) load() tea.Cmd {
	if t.loading {
		t.needLoad = true
		return nil
	}
	t.gen++
	t.loading, t.needLoad, t.newData = true, false, false
	var open []probe.Incident
	if t.b.status != nil {
		open = append(open, t.b.status.Incidents...)
	}
	req := historyReq{
		gen:     t.gen,
		now:     t.b.now,
		targets: append([]probe.Target(nil), t.b.targets...),
		sel:     t.selected(),
		win:     t.win,
		hours:   t.hours,
		cols:    t.chartCols(),
	}
	return loadHistory(sourceFor(t.hist, t.b), req, open)
}

// view draws the tab, or returns the drawing of the same rev and size.
func (t historyTab) view() string {
	c := t.cache
	if c.rev != t.rev || c.w != t.w || c.h != t.h {
		c.rev, c.w, c.h, c.out = t.rev, t.w, t.h, t.render()
	}
	return c.out
}
