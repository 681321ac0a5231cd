package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// ---- The pty harness the end-to-end tests share: the real program (this
// test binary, run as main) on a pseudo-terminal, read through a terminal
// emulator as a user's terminal would draw it.

// programCmd is `downforai args…` with HOME and the XDG directories in
// dir and TZ=UTC, so nothing of the machine's leaks in (times of day are
// in the process's zone), and env added.
func programCmd(t *testing.T, dir string, args, env []string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append([]string{runMainEnv + "=1", "TZ=UTC", "HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "state"), "PATH=" + os.Getenv("PATH")}, env...)
	return cmd
}

// ptyTerm is the terminal the programs on a pseudo-terminal are told they
// have: colours, but no OSC 11 background query that a pseudo-terminal
// with nobody behind it would leave unanswered.
const ptyTerm = "TERM=screen-256color"

// vtScreen is a terminal emulator fed by the program's pseudo-terminal: what
// a user's terminal would show, as text.
type vtScreen struct {
	mu  sync.Mutex
	emu *vt.Emulator
}

func (s *vtScreen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.Write(p)
}

// lines is the screen's text, one string per row.
func (s *vtScreen) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Split(ansi.Strip(s.emu.String()), "\n")
}

// banner is the banner's text: from the verdict line (third row, under the
// tab bar and the rule) to the first empty row, joined with spaces.
func (s *vtScreen) banner() string {
	ls := s.lines()
	var out []string
	for i := 2; i < len(ls); i++ {
		l := strings.TrimSpace(ls[i])
		if l == "" || strings.HasPrefix(l, "───") {
			break
		}
		out = append(out, l)
	}
	return strings.Join(strings.Fields(strings.Join(out, " ")), " ")
}

// row is the first row of the screen that contains label, "" if none.
func (s *vtScreen) row(label string) string {
	for _, l := range s.lines() {
		if strings.Contains(l, label) {
			return l
		}
	}
	return ""
}

// vtDashboard is the real dashboard on a w×h pseudo-terminal.
type vtDashboard struct {
	cmd  *exec.Cmd
	tty  *os.File
	scr  *vtScreen
	done chan struct{}
	once sync.Once
}

// startVT runs the dashboard with a fresh database and no Claude Code CLI,
// probing every second (args may override any of it: the last flag
// wins), and stops it when the test ends.
func startVT(t *testing.T, args, env []string, w, h int) *vtDashboard {
	t.Helper()
	dir := t.TempDir()
	cmd := programCmd(t, dir, append([]string{"--db", filepath.Join(dir, "state", "history.db"),
		"--claude-bin", filepath.Join(dir, "no-claude"), "--interval", "1s", "--status-interval", "1s",
		"--timeout", "900ms", "--local-interval", "1m"}, args...), append([]string{ptyTerm}, env...))
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: uint16(h), Cols: uint16(w)})
	if err != nil {
		t.Fatal(err)
	}
	d := &vtDashboard{cmd: cmd, tty: tty, scr: &vtScreen{emu: vt.NewEmulator(w, h)}, done: make(chan struct{})}
	go func() {
		io.Copy(d.scr, tty)
		close(d.done)
	}()
	// The terminal's answers to the program's queries go back to it.
	go io.Copy(tty, d.scr.emu)
	t.Cleanup(d.stop)
	return d
}

// stop kills the program and waits for its screen to close; once.
func (d *vtDashboard) stop() {
	d.once.Do(func() {
		d.cmd.Process.Kill()
		d.cmd.Wait()
		d.tty.Close()
		<-d.done
		d.scr.emu.Close()
	})
}

// text is the screen as one line of words: wrapped sentences read whole.
func (d *vtDashboard) text() string {
	return strings.Join(strings.Fields(strings.Join(d.scr.lines(), " ")), " ")
}

// waitFor waits until the screen says every one of want, and returns it.
func (d *vtDashboard) waitFor(t *testing.T, want ...string) string {
	t.Helper()
	for deadline := time.Now().Add(hangGuard); ; time.Sleep(300 * time.Millisecond) {
		s := d.text()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen never said %q:\n%s", missing, strings.Join(d.scr.lines(), "\n"))
		}
	}
}

// waitUntil waits until ok holds of the screen; what names it on failure.
func (d *vtDashboard) waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(hangGuard); !ok(); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s never showed; screen:\n%s", what, strings.Join(d.scr.lines(), "\n"))
		}
	}
}

// pages is every page of the active tab, read with pgdown from its top.
func (d *vtDashboard) pages(t *testing.T) string {
	t.Helper()
	d.tty.WriteString("g")
	time.Sleep(300 * time.Millisecond)
	var all []string
	for i := 0; i < 12; i++ {
		all = append(all, d.text())
		d.tty.WriteString("\x1b[6~")
		time.Sleep(250 * time.Millisecond)
	}
	return strings.Join(all, " ")
}
