package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// damagedMsg is store's message for a damaged file at path (store's
// damagedError), as the engine's buffer passes it on.
func damagedMsg(path, arg string) string {
	return fmt.Sprintf("database %s is damaged (the file is cut short: 100000 bytes where its meta page needs 16441344); it was not written. "+
		"Copy out what can still be read with `downforai db salvage --db %s --to NEW.db`, then move %s aside (15 results kept in memory, retrying)", path, arg, path)
}

// TestSalvageCommandIsNeverBroken (cold F7): at 80×24 the banner wrapped
// the salvage command between "--" and "to NEW.db"; copied from the
// terminal it ran half a command. At every width the command has lines of
// its own, broken only between arguments with a shell's " \", so what is
// copied is the command.
func TestSalvageCommandIsNeverBroken(t *testing.T) {
	for _, p := range []struct{ path, arg string }{
		{"/tmp/cold/dmg2.db", "/tmp/cold/dmg2.db"},
		{"/home/someone/.local/state/downforai/a-much-longer-directory-name/history.db", "/home/someone/.local/state/downforai/a-much-longer-directory-name/history.db"},
		{"/tmp/my files/h.db", "'/tmp/my files/h.db'"},
	} {
		want := "downforai db salvage --db " + p.arg + " --to NEW.db"
		for _, w := range []int{60, 80, 120, 160, 200} {
			if len(p.arg)+2 > w {
				continue // a path wider than the screen: cut as a last resort
			}
			m := send(New(testOptions()), tea.WindowSizeMsg{Width: w, Height: 30}, eventMsg{StoreErr: damagedMsg(p.path, p.arg)})
			lines := m.storeWarning()
			var cmd []string
			for _, l := range lines {
				if ansi.StringWidth(l) > w {
					t.Errorf("%d: line of %d cells: %q", w, ansi.StringWidth(l), l)
				}
				s := strings.TrimSpace(l)
				if strings.HasPrefix(s, "downforai db salvage") || len(cmd) > 0 && strings.HasSuffix(cmd[len(cmd)-1], " \\") {
					cmd = append(cmd, s)
				}
			}
			got := strings.ReplaceAll(strings.Join(cmd, "\n"), " \\\n", " ")
			if got != want {
				t.Errorf("%d cols: the command reads %q, want %q:\n%s", w, got, want, strings.Join(lines, "\n"))
			}
			flat := strings.Join(strings.Fields(strings.Join(lines, " ")), " ")
			for _, s := range []string{"⚠ not recording to the database: database", "Copy out what can still be read with:", "then move " + p.path + " aside (15 results kept in memory, retrying)"} {
				if !strings.Contains(flat, s) {
					t.Errorf("%d cols: no %q in %q", w, s, flat)
				}
			}
			checkBox(t, fmt.Sprintf("damaged %d", w), m.View(), w, 30)
		}
	}
}

func TestCommandLines(t *testing.T) {
	cmd := "downforai db salvage --db /tmp/cold/dmg2.db --to NEW.db"
	for _, c := range []struct {
		w    int
		want string
	}{
		{80, "  downforai db salvage --db /tmp/cold/dmg2.db --to NEW.db"},
		{40, "  downforai db salvage --db \\|    /tmp/cold/dmg2.db --to NEW.db"},
		{24, "  downforai db salvage \\|    --db \\|    /tmp/cold/dmg2.db \\|    --to NEW.db"},
	} {
		if got := strings.Join(commandLines(cmd, c.w), "|"); got != c.want {
			t.Errorf("%d: %q, want %q", c.w, got, c.want)
		}
	}
	if got := shellFields("a 'b c' d"); strings.Join(got, "|") != "a|'b c'|d" {
		t.Errorf("shellFields: %q", got)
	}
}
