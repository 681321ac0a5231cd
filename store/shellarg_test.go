package store

import (
	"strings"
	"testing"
)

// TestDamagedMessageQuotesThePath: the salvage command in the message is
// copied into a shell; a path with a space or a quote is one argument.
func TestDamagedMessageQuotesThePath(t *testing.T) {
	for path, arg := range map[string]string{
		"/tmp/h.db":              "/tmp/h.db",
		"/home/me/my files/h.db": "'/home/me/my files/h.db'",
		"/tmp/it's/h.db":         `'/tmp/it'\''s/h.db'`,
		"/tmp/$HOME/h.db":        "'/tmp/$HOME/h.db'",
	} {
		msg := damagedError(path, "cut short").Error()
		if want := "`downforai db salvage --db " + arg + " --to NEW.db`"; !strings.Contains(msg, want) {
			t.Errorf("%q: %q has no %s", path, msg, want)
		}
	}
}
