package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// TestStoreErrorBanner: while the database refuses writes the banner says
// so on every tab, next to live data; the first event recorded clears it.
func TestStoreErrorBanner(t *testing.T) {
	const why = "store results: write /state/history.db: no space left on device (3 results kept in memory, retrying)"
	ok := func(i int) probe.Result {
		return probe.Result{Target: probe.TargetAPI, Time: testNow.Add(time.Duration(i) * time.Second), Class: probe.ClassOK, HTTPStatus: 401}
	}
	for _, noData := range []bool{false, true} {
		m := send(New(testOptions()), tea.WindowSizeMsg{Width: 80, Height: 24})
		if noData {
			// An event that carries only the error: the banner still says it.
			m = send(m, eventMsg{StoreErr: why})
		} else {
			m = send(m, eventMsg{Result: ok(0)}, eventMsg{Result: ok(1), StoreErr: why})
		}
		for tb := tab(0); tb < tabCount; tb++ {
			m.active = tb
			v := m.View()
			flat := strings.Join(strings.Fields(v), " ") // the warning wraps
			if !strings.Contains(flat, "⚠ database write failed: "+why) {
				t.Errorf("noData=%v %v: no warning:\n%s", noData, tb, v)
			}
			checkBox(t, fmt.Sprintf("store error %v", tb), v, 80, 24)
		}
		for w := 1; w <= 20; w++ {
			for h := 1; h <= 5; h++ {
				m2 := send(m, tea.WindowSizeMsg{Width: w, Height: h})
				checkBox(t, fmt.Sprintf("store error %dx%d", w, h), m2.View(), w, h)
			}
		}
		m = send(m, eventMsg{Result: ok(2)})
		if v := m.View(); strings.Contains(v, "database write failed") {
			t.Errorf("warning stays after a recorded event:\n%s", v)
		}
	}
}

// TestOnPanicHearsAndRepanics: a panic in View reaches OnPanic with its
// stack and still propagates, so Bubble Tea restores the terminal.
func TestOnPanicHearsAndRepanics(t *testing.T) {
	var heard any
	var stack []byte
	opts := testOptions()
	opts.OnPanic = func(v any, s []byte) { heard, stack = v, s }
	m := New(opts)
	m.board = nil // View dereferences it: a stand-in for any bug
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic was swallowed")
			}
		}()
		m.View()
	}()
	if heard == nil || !strings.Contains(string(stack), "ui.Model.View") {
		t.Errorf("OnPanic heard %v with stack %q", heard, stack)
	}
}
