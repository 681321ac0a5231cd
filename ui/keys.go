package ui

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
)

// keyMap is every key the root understands. Tabs get the keys the root
// does not match.
type keyMap struct {
	Jump     [tabCount]key.Binding // 1–4, matched one by one
	JumpHelp key.Binding           // shows "1-4" in help; never matched
	Next     key.Binding
	Prev     key.Binding
	Help     key.Binding
	Quit     key.Binding
	// Mouse shows in the full help what the mouse does; never matched.
	Mouse key.Binding
}

func newKeyMap() keyMap {
	k := keyMap{
		JumpHelp: key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", "jump to tab")),
		Next:     key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("tab/→", "next tab")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("shift+tab/←", "previous tab")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Mouse:    key.NewBinding(key.WithKeys("mouse"), key.WithHelp("mouse", "tabs, scroll")),
	}
	for t := tab(0); t < tabCount; t++ {
		n := string(rune('1' + t))
		k.Jump[t] = key.NewBinding(key.WithKeys(n), key.WithHelp(n, t.String()))
	}
	return k
}

// ShortHelp is the one-line help under every tab.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.JumpHelp, k.Next, k.Help, k.Quit}
}

// FullHelp is the root's part of the help shown after "?": two columns,
// so that a tab's column fits beside them at 80 columns.
func (k keyMap) FullHelp() [][]key.Binding {
	quit := k.Quit
	quit.SetHelp("q/ctrl+c", "quit")
	return [][]key.Binding{
		{k.Jump[0], k.Jump[1], k.Jump[2], k.Jump[3]},
		{k.Next, k.Prev, k.Help, quit, k.Mouse},
	}
}

// helpKeys is what the footer shows: the root's keys on one line, and
// after "?" the active tab's keys (those that apply now) before them.
// The short help leaves the tab's keys out: each tab lists them in its
// own first line.
type helpKeys struct {
	root keyMap
	tab  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding { return h.root.ShortHelp() }

func (h helpKeys) FullHelp() [][]key.Binding {
	return append(slices.Clone(h.tab), h.root.FullHelp()...)
}
