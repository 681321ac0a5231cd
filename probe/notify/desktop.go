package notify

import (
	"context"
	"runtime"

	"github.com/gen2brain/beeep"
)

// Desktop shows a desktop notification (gen2brain/beeep: D-Bus or
// notify-send on Linux and the BSDs, the notification centre on macOS,
// toasts on Windows).
type Desktop struct {
	// notify replaces beeep.Notify in tests.
	notify func(title, body string) error
}

// Send implements Sink.
func (d Desktop) Send(_ context.Context, n Notification) error {
	f := d.notify
	if f == nil {
		f = func(title, body string) error { return beeep.Notify(title, body, "") }
	}
	return f(n.Title, n.Body)
}

// HasDesktop reports whether this process runs inside a desktop session,
// where a desktop notification can be seen: not on a headless ops box, not
// over ssh.
func HasDesktop(getenv func(string) string) bool {
	if getenv("SSH_CONNECTION") != "" || getenv("SSH_TTY") != "" {
		return false
	}
	switch runtime.GOOS {
	case "darwin", "windows":
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}

func init() { beeep.AppName = "downforai" }
