package sshserve

import (
	"context"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// openFDs counts this process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd here")
	}
	return len(es)
}

// steady returns n() once it has not changed for half a second.
func steady(n func() int) int {
	last := n()
	for deadline := time.Now().Add(hangGuard); time.Now().Before(deadline); {
		time.Sleep(500 * time.Millisecond)
		got := n()
		if got == last {
			return got
		}
		last = got
	}
	return last
}

// settle polls until n() is at most want, and returns the last value.
func settle(want int, n func() int) int {
	deadline := time.Now().Add(hangGuard)
	for {
		got := n()
		if got <= want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSilentConnectionsAreClosed opens 200 TCP connections that never send
// a byte — not even the SSH banner — while a real viewer logs in: the
// viewer gets its dashboard, every silent connection is closed by the
// server (the oldest at once when more than MaxPending wait, the rest when
// the handshake deadline passes), and file descriptors and goroutines come
// back to where they were.
func TestSilentConnectionsAreClosed(t *testing.T) {
	r := newRigWith(t, func(o *Options) { o.HandshakeTimeout, o.MaxPending = 2*time.Second, 16 })
	// Warm up: the first connection starts goroutines that stay (the
	// engine's, the server's); count from after it.
	v := connect(t, r)
	v.waitFor(t, "Live signals")
	v.client.Close()
	waitSessions(t, r.srv, 0)
	fds, gs := steady(func() int { return openFDs(t) }), steady(runtime.NumGoroutine)

	const silent = 200
	admitted := func() int { r.srv.pending.mu.Lock(); defer r.srv.pending.mu.Unlock(); return r.srv.pending.admitted }
	before := admitted()
	conns := make([]net.Conn, 0, silent)
	for range silent {
		c, err := net.Dial("tcp", r.addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	// The viewer comes once the server has taken them all in: a flood that
	// is still arriving may push out a viewer who arrives in its midst
	// (who then tries again), not one who comes while it sits there.
	for deadline := time.Now().Add(hangGuard); admitted() < before+silent && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	viewer := connect(t, r)
	viewer.waitFor(t, "Live signals")

	closed := make(chan int, silent)
	for i, c := range conns {
		go func() {
			c.SetReadDeadline(time.Now().Add(hangGuard))
			io.Copy(io.Discard, c) // the server's banner, then EOF when it closes
			closed <- i
		}()
	}
	for range silent {
		select {
		case <-closed:
		case <-time.After(hangGuard):
			t.Fatalf("silent connections still open after %s; %d waiting to log in", hangGuard, r.srv.Pending())
		}
	}
	t.Logf("%d silent connections closed by the server", silent)
	for _, c := range conns {
		c.Close()
	}
	if n := r.srv.Pending(); n != 0 {
		t.Errorf("%d connections still counted as waiting to log in", n)
	}
	// The viewer was never disturbed.
	r.publish(7, 529)
	viewer.waitFor(t, "529")
	viewer.client.Close()
	waitSessions(t, r.srv, 0)
	t.Log("viewer gone")
	if got := settle(fds, func() int { return openFDs(t) }); got > fds {
		t.Errorf("file descriptors: %d before, %d after", fds, got)
	}
	if got := settle(gs, runtime.NumGoroutine); got > gs {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d before, %d after\n%s", gs, got, buf[:runtime.Stack(buf, true)])
	}
}

// TestIdleLoggedInConnectionIsClosed: a client that logs in and then sends
// nothing, asking for no session, is closed after the idle timeout.
func TestIdleLoggedInConnectionIsClosed(t *testing.T) {
	r := newRigWith(t, func(o *Options) { o.IdleTimeout = 500 * time.Millisecond })
	c, err := dial(r.addr, gossh.PublicKeys(r.signer))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(hangGuard):
		t.Fatal("an idle logged-in connection was never closed")
	}
}

// TestWatchingViewerOutlivesTheIdleTimeout: a viewer whose dashboard keeps
// drawing is not idle, even if it never types.
func TestWatchingViewerOutlivesTheIdleTimeout(t *testing.T) {
	r := newRigWith(t, func(o *Options) { o.IdleTimeout = 700 * time.Millisecond })
	v := connect(t, r)
	v.waitFor(t, "Live signals")
	for i := range 8 {
		time.Sleep(250 * time.Millisecond)
		r.publish(7, 500+i)
	}
	v.waitFor(t, "507")
	if r.srv.Sessions() != 1 {
		t.Fatal("the watching viewer was dropped")
	}
}

// TestShutdownSaysGoodbye: when serve stops, each viewer's dashboard ends,
// its terminal is restored and it reads why.
func TestShutdownSaysGoodbye(t *testing.T) {
	r := newRig(t, 0)
	v := connect(t, r)
	v.waitFor(t, "Live signals")
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	if err := r.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	v.waitFor(t, strings.TrimSpace(Goodbye))
	raw := v.raw()
	if i, j := strings.LastIndex(raw, "\x1b[?1049l"), strings.LastIndex(raw, "goodbye"); i < 0 || j < i {
		t.Errorf("goodbye before the terminal was restored (alt screen left at %d, goodbye at %d)", i, j)
	}
	if err := v.sess.Wait(); err != nil {
		t.Logf("session ended: %v", err)
	}
}
