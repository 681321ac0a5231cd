package sshserve

import (
	"context"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/ssh"
)

// stalledCtx is the context of a connection whose handshake goroutine has
// not yet noticed that its connection was closed: the server cancels the
// context only then, which under load comes well after the close.
type stalledCtx struct {
	context.Context
	sync.Mutex
}

func (*stalledCtx) User() string                    { return "" }
func (*stalledCtx) SessionID() string               { return "" }
func (*stalledCtx) ClientVersion() string           { return "" }
func (*stalledCtx) ServerVersion() string           { return "" }
func (*stalledCtx) RemoteAddr() net.Addr            { return nil }
func (*stalledCtx) LocalAddr() net.Addr             { return nil }
func (*stalledCtx) Permissions() *ssh.Permissions   { return nil }
func (*stalledCtx) SetValue(key, value interface{}) {}

// TestPendingIsExactOnceClosed: a connection the server closed — its
// handshake deadline passed, it was dropped to make room, or the server
// closed it — is no longer counted as waiting to log in, even before the
// server's handshake goroutine has noticed and cancelled its context.
// TestSilentConnectionsAreClosed failed once under load ("1 connections
// still counted as waiting to log in") because Pending waited for that
// cancellation.
func TestPendingIsExactOnceClosed(t *testing.T) {
	newServer := func(timeout time.Duration, maxPending int) *Server {
		return &Server{opts: Options{HandshakeTimeout: timeout, MaxPending: maxPending},
			log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	}
	admit := func(s *Server) (server net.Conn, client net.Conn) {
		a, b := net.Pipe()
		t.Cleanup(func() { a.Close(); b.Close() })
		return s.admit(&stalledCtx{Context: context.Background()}, a), b
	}
	waitClosed := func(t *testing.T, c net.Conn) {
		t.Helper()
		c.SetReadDeadline(time.Now().Add(hangGuard))
		if _, err := io.Copy(io.Discard, c); err != nil {
			t.Fatalf("the server never closed the connection: %v", err)
		}
	}

	t.Run("handshake deadline passed", func(t *testing.T) {
		s := newServer(time.Nanosecond, 16)
		_, client := admit(s)
		waitClosed(t, client)
		if n := s.Pending(); n != 0 {
			t.Errorf("Pending() = %d after the handshake deadline closed the only connection, want 0", n)
		}
	})
	t.Run("closed by the server", func(t *testing.T) {
		s := newServer(time.Hour, 16)
		c1, _ := admit(s)
		admit(s)
		if n := s.Pending(); n != 2 {
			t.Fatalf("Pending() = %d with two connections waiting, want 2", n)
		}
		c1.Close()
		if n := s.Pending(); n != 1 {
			t.Errorf("Pending() = %d after one of two was closed, want 1", n)
		}
	})
	t.Run("dropped to make room", func(t *testing.T) {
		s := newServer(time.Hour, 1)
		_, first := admit(s)
		admit(s)
		waitClosed(t, first)
		if n := s.Pending(); n != 1 {
			t.Errorf("Pending() = %d after the oldest was dropped for the newest, want 1", n)
		}
	})
}
