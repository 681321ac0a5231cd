package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// troubleKeys are the tab's own keys, listed in its first line.
type troubleKeys struct {
	Paste, Copy, Submit, Cancel          key.Binding
	Browse, Search, FAQ, Open, Back      key.Binding
	Up, Down, PageUp, PageDown, Top, End key.Binding
}

func newTroubleKeys() troubleKeys {
	return troubleKeys{
		Paste:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "paste an error")),
		Copy:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy report")),
		Submit:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "diagnose")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		Browse:   key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "known problems")),
		Search:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		FAQ:      key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "FAQ")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "scroll")),
		Down:     key.NewBinding(key.WithKeys("down", "j")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", "page")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", " ")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/G", "top / end")),
		End:      key.NewBinding(key.WithKeys("end", "G")),
	}
}

// helpKeys is the tab's column of the full help: the keys of the page on
// screen (enter and esc while pasting or searching).
func (t troubleshootTab) helpKeys() [][]key.Binding {
	return [][]key.Binding{t.pageKeys()}
}

// pageKeys are the keys that work on the page on screen, in the order
// the first line and the full help list them.
func (t troubleshootTab) pageKeys() []key.Binding {
	k := t.keys
	switch {
	case t.pasting:
		return []key.Binding{k.Submit, k.Cancel}
	case t.cat.search.Focused():
		k.Open.SetHelp("enter", "keep search")
		k.Back.SetHelp("esc", "clear search")
		return []key.Binding{k.Open, k.Back}
	}
	move := k.Up
	switch t.page {
	case pageCatalogue, pageFAQ:
		move.SetHelp("↑/↓", "move")
		out := []key.Binding{move, k.Open}
		if t.page == pageCatalogue {
			out = append(out, k.Search)
			if t.cat.query != "" {
				k.Back.SetHelp("esc", "clear search")
			}
		}
		return append(out, k.Back)
	case pageEntry, pageAnswer:
		return []key.Binding{move, k.PageUp, k.Top, k.Back}
	}
	out := []key.Binding{k.Paste, k.Copy, k.Browse, k.Search, k.FAQ}
	if t.diag != nil || len(t.findings) > 0 {
		k.Open.SetHelp("enter", "open problem")
		out = append(out, k.Open)
	}
	out = append(out, move, k.PageUp, k.Top)
	if t.diag != nil {
		k.Cancel.SetHelp("esc", "clear")
		out = append(out, k.Cancel)
	}
	return out
}

// scroll moves the page on screen by the scrolling keys.
func (t *troubleshootTab) scroll(msg tea.KeyMsg) {
	k, page := t.keys, max(t.h-2, 1)
	// The content may have shrunk since the last key: start from where
	// the view is, so that k after G moves up one line.
	last := t.maxOffset()
	off := min(t.offset[t.page], last)
	switch {
	case key.Matches(msg, k.Up):
		off--
	case key.Matches(msg, k.Down):
		off++
	case key.Matches(msg, k.PageUp):
		off -= page
	case key.Matches(msg, k.PageDown):
		off += page
	case key.Matches(msg, k.Top):
		off = 0
	case key.Matches(msg, k.End):
		off = last
	}
	t.offset[t.page] = max(min(off, last), 0)
}

// keyLine is the page's keys in one line: as many as fit, esc (the way
// back) always among them.
func (t troubleshootTab) keyLine() string {
	st := t.st
	var parts []string
	var back string
	for _, b := range t.pageKeys() {
		h := b.Help()
		s := st.help.ShortKey.Render(h.Key) + " " + st.help.ShortDesc.Render(h.Desc)
		if h.Key == "esc" {
			back = s
			continue
		}
		parts = append(parts, s)
	}
	sep := st.help.ShortSeparator.Render(" • ")
	for {
		all := parts
		if back != "" {
			all = append(slices.Clip(parts), back)
		}
		line := strings.Join(all, sep)
		if lipgloss.Width(line) <= t.w || len(parts) <= 1 {
			return line
		}
		parts = parts[:len(parts)-1]
	}
}
