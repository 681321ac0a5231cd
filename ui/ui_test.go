package ui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// updating reports the -update flag. charmbracelet/x/exp/golden, linked
// in through teatest, registers it already; a second definition panics.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// requireGolden compares got with testdata/<name>.golden.
func requireGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui/... -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (run go test ./ui/... -update to accept):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// send applies messages in order, ignoring their commands.
func send(m Model, msgs ...tea.Msg) Model {
	for _, msg := range msgs {
		next, _ := m.Update(msg)
		m = next.(Model)
	}
	return m
}

// states are the situations every tab is drawn in.
func states() map[string]func() Model {
	return map[string]func() Model{
		"checking": func() Model { return New(testOptions()) },
		"operational": func() Model {
			m := New(testOptions())
			snap := healthySnapshot(testNow.Add(-40*time.Second), ringSize)
			ev := eventMsg{Result: series(probe.TargetClaudeAI, 1, testNow.Add(-12*time.Second), time.Second, 140*time.Millisecond, never)[0]}
			return thisRun(send(m, snap, ev))
		},
		"outage": func() Model {
			m := New(testOptions())
			snap := outageSnapshot(testNow.Add(-40*time.Second), ringSize)
			st := outageStatus(testNow.Add(-12 * time.Second))
			ev := eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow.Add(-12 * time.Second), Class: probe.ClassOK, HTTPStatus: 200,
				Phases: probe.Phases{Total: 118 * time.Millisecond}}, Status: &st}
			return thisRun(send(m, snap, ev))
		},
		"stale": func() Model {
			return send(New(testOptions()), healthySnapshot(testNow.Add(-3*time.Hour), ringSize))
		},
	}
}

func TestViewGolden(t *testing.T) {
	sizes := []struct{ w, h int }{{80, 24}, {160, 48}}
	for name, build := range states() {
		for tb := tab(0); tb < tabCount; tb++ {
			for _, sz := range sizes {
				m := build()
				m = send(m, tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
				m.active = tb
				got := m.View()
				file := fmt.Sprintf("%s_%s_%dx%d", strings.ToLower(strings.Fields(tb.String())[0]), name, sz.w, sz.h)
				requireGolden(t, file, got)
				checkBox(t, file, got, sz.w, sz.h)
			}
		}
	}
}

// checkBox asserts the frame fits w×h exactly as a terminal would show it.
func checkBox(t *testing.T, name, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Errorf("%s: %d lines, want at most %d", name, len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("%s: line %d is %d cells wide, want at most %d: %q", name, i, n, w, l)
		}
	}
}

// TestViewerMarkedAt80x24: an attached viewer says so at 80×24, where
// the tab bar has no room for the app name and its version.
func TestViewerMarkedAt80x24(t *testing.T) {
	opts := testOptions()
	opts.Version = "dev · viewer of pid 4242"
	opts.Viewer = "viewer of pid 4242"
	size := tea.WindowSizeMsg{Width: 80, Height: 24}
	for name, m := range map[string]Model{
		"checking": send(New(opts), size),
		"data":     send(New(opts), healthySnapshot(testNow.Add(-40*time.Second), ringSize), size),
	} {
		for tb := tab(0); tb < tabCount; tb++ {
			m.active = tb
			v := m.View()
			if !strings.Contains(v, "viewer of pid 4242") {
				t.Errorf("%s, %v: no viewer marker:\n%s", name, tb, v)
			}
			checkBox(t, name, v, 80, 24)
		}
		m.active = tabLive
		requireGolden(t, "live_viewer_"+name+"_80x24", m.View())
	}
}

// TestFirstViewAtKnownSize: with the terminal's size known at start
// (Options.Width/Height), the first View — the one Run draws before any
// WindowSizeMsg — is that size, the same frame the size message would
// give; without it the first View is 80×24.
func TestFirstViewAtKnownSize(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{120, 35}, {160, 48}} {
		opts := testOptions()
		opts.Width, opts.Height = sz.w, sz.h
		got := New(opts).View()
		want := send(New(testOptions()), tea.WindowSizeMsg{Width: sz.w, Height: sz.h}).View()
		if got != want {
			t.Errorf("%dx%d: the first View differs from the one after the size message:\n--- first\n%s\n--- after\n%s", sz.w, sz.h, got, want)
		}
		if n := len(strings.Split(got, "\n")); n != sz.h {
			t.Errorf("%dx%d: first View has %d lines", sz.w, sz.h, n)
		}
	}
	if n := len(strings.Split(New(testOptions()).View(), "\n")); n != defaultHeight {
		t.Errorf("without a size the first View has %d lines, want %d", n, defaultHeight)
	}
}
