package ui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
	"downforai/probe/catalogue"
)

// uncachedView is m drawn with an empty Troubleshooting cache: what the
// screen must show after any change of input.
func uncachedView(m Model) string {
	m.troubleshoot.cache = &troubleCache{}
	return m.View()
}

// TestTroubleshootCacheFollowsItsInputs: the tab's content is built once
// per change and drawn from the cache otherwise, and every input the
// content is built from — new data, the clock, the width, the page, the
// pasted error, the search, the cursors, the entry open, the colours —
// shows up on the next frame: each step's screen changes and equals one
// drawn without the cache.
func TestTroubleshootCacheFollowsItsInputs(t *testing.T) {
	clock := testNow
	m := invalidKeyModel(t)
	m.opts.Renderer = colourRenderer(true)
	m = send(m, tea.WindowSizeMsg{Width: 120, Height: 35}, keyRunes("3"))
	m.now = func() time.Time { return clock }
	failure := eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow, Class: probe.ClassOverloaded,
		HTTPStatus: 529, ErrorType: "overloaded_error", Message: "529 overloaded_error: Overloaded", RequestID: "req_011CacheTest"}}
	paste := tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune(`API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)}

	steps := []struct {
		name string
		msgs []tea.Msg
		prep func() // before the messages
	}{
		{name: "a new failure", msgs: []tea.Msg{failure}},
		{name: "the clock", msgs: []tea.Msg{tickMsg(testNow.Add(10 * time.Minute))}, prep: func() { clock = clock.Add(10 * time.Minute) }},
		{name: "the width", msgs: []tea.Msg{tea.WindowSizeMsg{Width: 90, Height: 35}}},
		{name: "a pasted error", msgs: []tea.Msg{keyRunes("p"), paste, enterKey}},
		{name: "the paste cleared", msgs: []tea.Msg{escKey}},
		{name: "the catalogue", msgs: []tea.Msg{keyRunes("b")}},
		{name: "its cursor", msgs: []tea.Msg{keyRunes("j")}},
		{name: "a search", msgs: []tea.Msg{keyRunes("/"), keyRunes("r"), keyRunes("a"), keyRunes("t"), keyRunes("e"), enterKey}},
		{name: "an entry", msgs: []tea.Msg{enterKey}},
		// No key goes from one entry to another without drawing a list
		// between; the cache must tell them apart all the same.
		{name: "another entry", prep: func() { m.troubleshoot.open = catalogue.EntryOverloaded }},
		{name: "back", msgs: []tea.Msg{escKey}},
		{name: "the FAQ", msgs: []tea.Msg{escKey, escKey, keyRunes("f")}},
		{name: "its cursor", msgs: []tea.Msg{keyRunes("j")}},
		{name: "an answer", msgs: []tea.Msg{enterKey}},
		{name: "the background", msgs: []tea.Msg{BackgroundMsg{Dark: false}}},
	}
	prev := m.View()
	for _, s := range steps {
		if s.prep != nil {
			s.prep()
		}
		m = send(m, s.msgs...)
		got := m.View()
		if got == prev {
			t.Errorf("%s: the screen did not change:\n%s", s.name, got)
		}
		if want := uncachedView(m); got != want {
			t.Errorf("%s: the cached screen is stale:\n%s\n--- want\n%s", s.name, got, want)
		}
		prev = got
	}
}

// TestTroubleshootCacheServesFramesAndScrolls: frames, scroll keys and the
// help toggle draw from the cache; only a change of input builds again.
func TestTroubleshootCacheServesFramesAndScrolls(t *testing.T) {
	m := send(invalidKeyModel(t), tea.WindowSizeMsg{Width: 80, Height: 24}, keyRunes("3"))
	_ = m.View()
	builds := m.troubleshoot.cache.builds
	for range 5 {
		_ = m.View()
	}
	m = send(m, keyRunes("j"), keyRunes("j"), keyRunes("k"), tea.KeyMsg{Type: tea.KeyPgDown}, keyRunes("G"), keyRunes("g"))
	_ = m.View()
	if n := m.troubleshoot.cache.builds - builds; n != 0 {
		t.Errorf("frames and scroll keys built the content %d times, want 0", n)
	}
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 24})
	_ = m.View()
	if n := m.troubleshoot.cache.builds - builds; n != 1 {
		t.Errorf("a new width built the content %d times, want 1", n)
	}
}

// BenchmarkTroubleshootScroll160x48 is one scroll key and the frame after
// it: the content comes from the cache (BenchmarkTroubleshootBuild160x48
// is what each did before it).
func BenchmarkTroubleshootScroll160x48(b *testing.B) {
	m := benchModel(b, tabTroubleshoot)
	down, up := keyRunes("j"), keyRunes("k")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := down
		if i%2 == 1 {
			k = up
		}
		next, _ := m.Update(k)
		m = next.(Model)
		_ = m.View()
	}
}

// BenchmarkTroubleshootBuild160x48 is building the main page's content
// once: what every frame and key cost before the cache.
func BenchmarkTroubleshootBuild160x48(b *testing.B) {
	m := benchModel(b, tabTroubleshoot)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = m.troubleshoot.build()
	}
}
