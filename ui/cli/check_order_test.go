package cli

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"downforai/probe/config"
	"downforai/probe/fakeupstream"
	"downforai/store"
)

// TestCheckProbesBeforeTheDatabaseIsOpen: check's probes need nothing from
// the database (the round is kept in memory and written at the end), so
// they are on the wire while the file opens, not after (issue 11: the
// open, and on a big history its wait, came before the first byte sent).
// The open here waits until a probe has arrived; opened first, it would
// wait for a probe that never comes. The round is still recorded.
func TestCheckProbesBeforeTheDatabaseIsOpen(t *testing.T) {
	asked := make(chan struct{})
	var once sync.Once
	fake := fakeupstream.NewHandler(fakeupstream.ModeOperational)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		once.Do(func() { close(asked) })
		fake.ServeHTTP(w, req)
	}))
	defer srv.Close()

	real := checkOpen
	defer func() { checkOpen = real }()
	checkOpen = func(r Env, cmd string, o store.Options) (*store.Store, error, error) {
		select {
		case <-asked:
		case <-time.After(time.Minute): // only when the order is wrong
			t.Error("the database was opened before any probe was sent")
		}
		return real(r, cmd, o)
	}

	dir := t.TempDir()
	getenv := func(k string) string {
		switch k {
		case "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "CLAUDE_CONFIG_DIR":
			return dir
		}
		return ""
	}
	c := config.Default(getenv)
	c.DB = filepath.Join(dir, "h.db")
	c.StatusURL, c.APIURL, c.ClaudeURL = srv.URL, srv.URL, srv.URL
	c.ClaudeBin = filepath.Join(dir, "no-claude")
	c.CodeSessions = false
	var out, errb bytes.Buffer
	runCheck(Env{Name: "downforai check", Config: c, Getenv: getenv, Stdout: &out, Stderr: &errb}, true)
	if errb.Len() > 0 && bytes.Contains(errb.Bytes(), []byte("not recording")) {
		t.Errorf("stderr: %s", errb.String())
	}
	st, err := store.Open(c.DB, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok, err := st.LatestStatus(); err != nil || !ok {
		t.Errorf("the round was not recorded: status stored %v, %v", ok, err)
	}
}
