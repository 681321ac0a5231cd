package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// TestBannerNoteDropsWholeParts (cold7 E7): on a narrow terminal the
// banner's first line keeps the verdict's title whole and its note loses
// whole parts, least important first — never a word cut at the edge
// ("checked <1m ago · s" at 40 columns).
func TestBannerNoteDropsWholeParts(t *testing.T) {
	// The status page read 3 minutes before our probes: the note has two
	// parts, "checked …" and "status page …".
	end := testNow.Add(-20 * time.Second)
	snap := outageSnapshot(end, ringSize)
	read := end.Add(-3 * time.Minute)
	st := *snap.status
	st.Fetched = read
	snap.status = &st
	snap.recent[probe.TargetStatus] = series(probe.TargetStatus, ringSize, read, 30*time.Second, 120*time.Millisecond, never)
	tests := []struct {
		width int
		want  string // the note shown, "" for none
	}{
		{40, "checked <1m ago"},
		{60, "checked <1m ago · status page 3m ago"},
		{80, "checked <1m ago · status page 3m ago"},
		{24, ""},
	}
	for _, tt := range tests {
		m := thisRun(send(New(testOptions()), snap, tea.WindowSizeMsg{Width: tt.width, Height: 24}))
		title := m.board.verdict.Title()
		line := ansi.Strip(strings.Split(m.View(), "\n")[bannerRow(t, m)])
		if w := ansi.StringWidth(line); w > tt.width {
			t.Errorf("%d columns: banner line is %d wide: %q", tt.width, w, line)
		}
		_, right, ok := strings.Cut(line, title)
		if !ok {
			t.Fatalf("%d columns: title %q not whole in %q", tt.width, title, line)
		}
		if got := strings.TrimSpace(right); got != tt.want {
			t.Errorf("%d columns: note %q, want %q (line %q)", tt.width, got, tt.want, line)
		}
	}
}

// bannerRow is the View's row holding the banner's first line.
func bannerRow(t *testing.T, m Model) int {
	t.Helper()
	title := m.board.verdict.Title()
	for i, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(ansi.Strip(l), title) {
			return i
		}
	}
	t.Fatalf("no banner with %q in:\n%s", title, m.View())
	return 0
}
