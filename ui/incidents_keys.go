package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// incidentKeys are the Incidents tab's own keys; the root's keys (tabs,
// help, quit) are matched before these.
type incidentKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Open, Back, Filter, Search              key.Binding
}

func newIncidentKeys() incidentKeys {
	return incidentKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", " "), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Filter:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filter")),
		Search:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
	}
}

// helpKeys is the tab's column of the full help: the keys that apply in
// the list, the open search or the detail.
func (t incidentsTab) helpKeys() [][]key.Binding {
	k := t.keys
	searching := t.search.Focused()
	list := !t.detail && !searching
	move := k.Up
	move.SetHelp("↑/↓", "move")
	if t.detail {
		move.SetHelp("↑/↓", "scroll")
	}
	move.SetEnabled(!searching)
	page := k.PageUp
	page.SetHelp("pgup/pgdn", "page")
	page.SetEnabled(!searching)
	ends := k.Top
	ends.SetHelp("g/G", "first / last")
	if t.detail {
		ends.SetHelp("g/G", "top / end")
	}
	ends.SetEnabled(!searching)
	k.Filter.SetEnabled(list)
	k.Search.SetEnabled(list)
	k.Open.SetEnabled(!t.detail)
	if searching {
		k.Open.SetHelp("enter", "keep search")
	}
	switch {
	case searching || list && t.query != "":
		k.Back.SetHelp("esc", "clear search")
	case list:
		k.Back.SetEnabled(false)
	}
	return [][]key.Binding{{move, page, ends, k.Filter, k.Search, k.Open, k.Back}}
}

// key handles a key: in the search while it has the focus, in the open
// incident's detail, else in the list.
func (t incidentsTab) key(msg tea.KeyMsg) (incidentsTab, tea.Cmd) {
	switch {
	case t.search.Focused():
		return t.searchKey(msg)
	case t.detail:
		return t.detailKey(msg)
	}
	return t.listKey(msg)
}

// searchKey types into the search, filtering as it goes: enter keeps the
// query, esc drops it.
func (t incidentsTab) searchKey(msg tea.KeyMsg) (incidentsTab, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEnter:
		t.search.Blur()
		return t, nil
	case tea.KeyEsc:
		t.search.Blur()
		t.search.SetValue("")
		t.query = ""
		t.apply()
		return t, nil
	}
	var cmd tea.Cmd
	t.search, cmd = t.search.Update(msg)
	t.query = t.search.Value()
	t.apply()
	return t, cmd
}

// detailKey scrolls the open incident's detail; back closes it.
func (t incidentsTab) detailKey(msg tea.KeyMsg) (incidentsTab, tea.Cmd) {
	k := t.keys
	switch {
	case key.Matches(msg, k.Back):
		t.detail = false
		return t, nil
	case key.Matches(msg, k.Top):
		t.vp.GotoTop()
		return t, nil
	case key.Matches(msg, k.Bottom):
		t.vp.GotoBottom()
		return t, nil
	}
	var cmd tea.Cmd
	t.vp, cmd = t.vp.Update(msg)
	return t, cmd
}

// listKey moves the list's cursor, cycles the filter, opens the search
// or the incident under the cursor; back clears a query.
func (t incidentsTab) listKey(msg tea.KeyMsg) (incidentsTab, tea.Cmd) {
	k := t.keys
	switch {
	case key.Matches(msg, k.Up):
		t.move(-1)
	case key.Matches(msg, k.Down):
		t.move(1)
	case key.Matches(msg, k.PageUp):
		t.move(-max(t.rowsFit(), 1))
	case key.Matches(msg, k.PageDown):
		t.move(max(t.rowsFit(), 1))
	case key.Matches(msg, k.Top):
		t.move(-len(t.shown))
	case key.Matches(msg, k.Bottom):
		t.move(len(t.shown))
	case key.Matches(msg, k.Filter):
		t.filter = (t.filter + 1) % filterCount
		t.apply()
	case key.Matches(msg, k.Search):
		t.search.SetValue(t.query)
		t.search.CursorEnd()
		return t, t.search.Focus()
	case key.Matches(msg, k.Back):
		if t.query != "" {
			t.query = ""
			t.search.SetValue("")
			t.apply()
		}
	case key.Matches(msg, k.Open):
		if t.cursor < len(t.shown) {
			t.detail = true
			t.openKey = entryKey(t.shown[t.cursor])
			t.vp.GotoTop()
			t.refreshDetail()
		}
	}
	return t, nil
}
