package ui

import (
	"io"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func colourRenderer(dark bool) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	r.SetHasDarkBackground(dark)
	return r
}

// TestBackgroundMsgRestyles: a dashboard started on the dark guess that
// then learns its background is light draws every tab, the searches open,
// exactly as one started light; learning what it guessed changes nothing.
func TestBackgroundMsgRestyles(t *testing.T) {
	build := func(dark bool) Model {
		o := testOptions()
		o.Renderer = colourRenderer(dark)
		return send(New(o), tea.WindowSizeMsg{Width: 120, Height: 35}, healthySnapshot(testNow, 10))
	}
	guessed := send(build(true), BackgroundMsg{Dark: false})
	light := build(false)
	dark := build(true)
	if guessed.View() == dark.View() {
		t.Fatal("the light answer changed nothing on screen")
	}
	for _, keys := range [][]string{{"1"}, {"2"}, {"2", "/"}, {"3"}, {"3", "b", "/"}, {"4"}} {
		g, l := guessed, light
		for _, k := range keys {
			g, l = send(g, keyRunes(k)), send(l, keyRunes(k))
			if k == "4" {
				g, l = loaded(t, g), loaded(t, l)
			}
		}
		if gv, lv := g.View(), l.View(); gv != lv {
			t.Errorf("after %v the restyled dashboard differs from one started light:\n%s\n---\n%s", keys, gv, lv)
		}
	}
	if v := send(build(true), BackgroundMsg{Dark: true}).View(); v != dark.View() {
		t.Error("the answer that matched the guess changed the screen")
	}
}
