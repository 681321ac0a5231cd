package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadingCommandsNeverCreateADatabase: db stats, history export, db
// rebuild, db compact and db salvage (one skeleton, issue 16) on a --db that names no file say so (exit 1) and
// leave nothing behind — an empty history from a typo reads as data lost
// (cold5 D32); a negative --since is refused, not read as "all".
func TestReadingCommandsNeverCreateADatabase(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "HOME" || k == "XDG_CONFIG_HOME" || k == "XDG_DATA_HOME" || k == "XDG_STATE_HOME" {
			return dir
		}
		return ""
	}
	missing := filepath.Join(dir, "typo.db")
	for _, args := range [][]string{{"db", "stats"}, {"history", "export"}, {"db", "rebuild"}, {"db", "compact"}, {"db", "salvage", "--to", filepath.Join(dir, "new.db")}} {
		var out, errb bytes.Buffer
		code := Run(append(args, "--db", missing), Env{Getenv: getenv, Stdout: &out, Stderr: &errb}, Doors{})
		if code != ExitFail || !strings.Contains(errb.String(), "no database at "+missing) {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Fatalf("%v created %s", args, missing)
		}
	}
	var out, errb bytes.Buffer
	if code := Run([]string{"history", "export", "--since", "-1h", "--db", missing}, Env{Getenv: getenv, Stdout: &out, Stderr: &errb}, Doors{}); code != ExitUsage || !strings.Contains(errb.String(), "must not be negative") {
		t.Errorf("--since -1h: exit %d, stderr %q", code, errb.String())
	}
}
