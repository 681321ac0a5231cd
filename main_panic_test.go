package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/sys/unix"

	"downforai/probe/fakeupstream"
)

// panicOnSignalEnv, set in the environment of the program a test starts
// (with runMainEnv), makes its dashboards' clock panic once SIGUSR1
// arrives: the real ui.Model then panics inside its own Update or View,
// wherever it next asks the time.
const panicOnSignalEnv = "DOWNFORAI_TEST_PANIC_ON_SIGUSR1"

// deliberatePanic is the panic's value, to be found in the log.
const deliberatePanic = "deliberate test panic: the clock broke"

func init() {
	if os.Getenv(runMainEnv) != "1" || os.Getenv(panicOnSignalEnv) != "1" {
		return
	}
	var broken atomic.Bool
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	go func() {
		<-sig
		broken.Store(true)
	}()
	dashboardClock = func() time.Time {
		if broken.Load() {
			panic(deliberatePanic)
		}
		return time.Now()
	}
}

// TestPanicRestoresTerminalAndNamesLog crashes the real dashboard — main's
// run, its log and panic handler, the real ui.Model on a pseudo-terminal —
// and checks what README promises: the terminal is restored (raw mode
// off, the alternate screen left, the cursor shown), stderr says it
// crashed and names the log, the exit code is 1, and downforai.log holds
// the panic with its stack.
func TestPanicRestoresTerminalAndNamesLog(t *testing.T) {
	srv := httptest.NewServer(fakeupstream.NewHandler(fakeupstream.ModeOperational))
	t.Cleanup(srv.Close)
	d := startDashboard(t, []string{"--status-url", srv.URL, "--api-url", srv.URL, "--claude-url", srv.URL,
		"--interval", "1s", "--status-interval", "1s", "--timeout", "900ms"}, panicOnSignalEnv+"=1")
	d.waitScreen(t, "Operational")

	// The terminal as the program left it: open the pseudo-terminal's
	// own side, while it runs, to read its modes after it exits.
	name, err := os.Readlink("/proc/" + strconv.Itoa(d.cmd.Process.Pid) + "/fd/0")
	if err != nil {
		t.Skipf("cannot find the program's terminal: %v", err)
	}
	tty, err := os.OpenFile(name, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer tty.Close()
	raw, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if raw.Lflag&(unix.ICANON|unix.ECHO) != 0 {
		t.Fatalf("the dashboard runs with lflag %#x: not raw, so the check below proves nothing", raw.Lflag)
	}
	drawn := len(d.screen.Bytes())

	if err := d.cmd.Process.Signal(syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	code := d.wait(t)

	if code != exitFail {
		t.Errorf("exit %d after a panic, want %d", code, exitFail)
	}
	want := "downforai: crashed (panic in the dashboard); the terminal was restored; details in " + d.log + "\n"
	if got := string(d.stderr.Bytes()); !strings.Contains(got, want) {
		t.Errorf("stderr %q, want it to hold %q", got, want)
	}
	cooked, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if cooked.Lflag&(unix.ICANON|unix.ECHO) != unix.ICANON|unix.ECHO {
		t.Errorf("terminal left in raw mode (lflag %#x): the user's shell would not echo", cooked.Lflag)
	}
	tty.Close() // the last holder of the terminal's side: the copy sees its end
	waitFor(t, "the screen output to end", func() bool {
		select {
		case <-d.copied:
			return true
		default:
			return false
		}
	})
	after := d.screen.Bytes()[drawn:]
	if !bytes.Contains(after, []byte("\x1b[?1049l")) || !bytes.Contains(after, []byte("\x1b[?25h")) {
		t.Errorf("after the panic the alternate screen was not left or the cursor not shown: %q", tail(string(after), 400))
	}

	logText, err := os.ReadFile(d.log)
	if err != nil {
		t.Fatalf("no log: %v", err)
	}
	entry := ""
	for line := range strings.SplitSeq(string(logText), "\n") {
		if strings.Contains(line, "dashboard panicked") {
			entry = line
		}
	}
	if entry == "" {
		t.Fatalf("the log does not record the panic:\n%s", logText)
	}
	// slog's text handler quotes the stack: frames are separated by \n.
	for _, want := range []string{deliberatePanic, "stack=", "goroutine ", "downforai/ui.Model.", "main_panic_test.go:"} {
		if !strings.Contains(entry, want) {
			t.Errorf("the log's panic entry lacks %q:\n%s", want, ansi.Strip(entry))
		}
	}
}
