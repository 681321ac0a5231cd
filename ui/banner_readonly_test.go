package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestBannerOfAFileItMayNotWrite (D11): on a database the dashboard may
// only read, no write failed — it was refused at open: the banner says it
// is not recording, and why, not "database write failed".
func TestBannerOfAFileItMayNotWrite(t *testing.T) {
	msg := "database /srv/ro/h.db cannot be written (permission denied): it was read, not written (3 results kept in memory for this run)"
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 120, Height: 30}, eventMsg{StoreErr: msg})
	flat := strings.Join(strings.Fields(strings.Join(m.storeWarning(), " ")), " ")
	if !strings.HasPrefix(flat, "⚠ not recording to the database: database /srv/ro/h.db cannot be written (permission denied)") ||
		strings.Contains(flat, "write failed") {
		t.Errorf("banner %q", flat)
	}
}
