// Package sshserve serves the dashboard over SSH (charmbracelet/wish with
// its Bubble Tea middleware) for `downforai serve`: every session gets its
// own ui.Model, sized to the client's pty and styled by the session's own
// renderer, fed by one subscription to the shared engine and by the shared
// store.
//
// Only public-key authentication is offered, against an authorized_keys
// file read at every attempt (so keys can be added or revoked without a
// restart); password and keyboard-interactive are never offered. A viewer
// never affects the engine or the other viewers: its events come through a
// bounded drop-oldest subscription, and a slow link only stalls its own
// program.
package sshserve

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

	"downforai/probe"
	"downforai/ui"
)

// DefaultAddr is where serve listens unless told otherwise: loopback only,
// so exposing the dashboard beyond the box is a deliberate choice.
const DefaultAddr = "127.0.0.1:23234"

// DefaultMaxSessions bounds the number of concurrent viewers.
const DefaultMaxSessions = 32

// eventBuffer is each session's subscription depth; an older event is
// dropped when a viewer falls this far behind.
const eventBuffer = 256

// Options configures New.
type Options struct {
	Addr           string // listen address; DefaultAddr when empty
	HostKeyPath    string // private host key; generated (ed25519, 0600) when missing
	AuthorizedKeys string // authorized_keys file; must exist
	MaxSessions    int    // DefaultMaxSessions when <= 0

	// Subscribe opens one event stream per session (probe.Engine.Subscribe).
	Subscribe func(buf int) (<-chan probe.Event, func())
	// UI is the template of every session's ui.Options; Renderer and
	// Events are filled per session.
	UI ui.Options
	// Terminal, when set, is handed each session's output while its
	// program runs, for bells and OSC notifications; the returned func is
	// called when the session ends.
	Terminal func(w io.Writer) (remove func())
	// Logger receives one line per session and per refusal; nil discards.
	Logger *slog.Logger
}

// Server is the SSH front door.
type Server struct {
	opts   Options
	srv    *ssh.Server
	log    *slog.Logger
	active atomic.Int32

	mu       sync.Mutex
	cleanups map[ssh.Session]func() // per running program, run when its session ends
}

// New checks the options, loads or creates the host key, and builds the
// server. It does not listen yet.
func New(o Options) (*Server, error) {
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	if o.MaxSessions <= 0 {
		o.MaxSessions = DefaultMaxSessions
	}
	if o.Subscribe == nil {
		return nil, errors.New("sshserve: no event source")
	}
	if _, err := os.Stat(o.AuthorizedKeys); err != nil {
		return nil, fmt.Errorf("authorized keys %s: %w (nobody could log in)", o.AuthorizedKeys, err)
	}
	if o.HostKeyPath == "" {
		return nil, errors.New("sshserve: no host key path")
	}
	if err := ensurePrivate(o.HostKeyPath); err != nil {
		return nil, err
	}
	s := &Server{opts: o, log: o.Logger, cleanups: make(map[ssh.Session]func())}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	srv, err := wish.NewServer(
		wish.WithAddress(o.Addr),
		wish.WithHostKeyPath(o.HostKeyPath),
		wish.WithPublicKeyAuth(s.authorize),
		wish.WithMiddleware(
			// Listed innermost first: the last runs first.
			bubbletea.MiddlewareWithProgramHandler(s.program, termenv.Ascii),
			s.limit,
			s.logSession,
		),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	// Never offered: with only a public-key handler set, the server
	// advertises "publickey" alone.
	srv.PasswordHandler = nil
	srv.KeyboardInteractiveHandler = nil
	s.srv = srv
	return s, nil
}

// ensurePrivate makes sure an existing host key is readable by its owner
// only; a missing one is generated 0600 by wish.
func ensurePrivate(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("host key %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return fmt.Errorf("host key %s is readable by others and cannot be fixed: %w", path, err)
		}
	}
	return nil
}

// authorize accepts key when it is in the authorized_keys file now. Lines
// that do not parse are skipped, not fatal, so one bad line locks nobody out.
func (s *Server) authorize(ctx ssh.Context, key ssh.PublicKey) bool {
	ok, err := authorized(s.opts.AuthorizedKeys, key)
	if err != nil {
		s.log.Warn("ssh authorized keys unreadable", "path", s.opts.AuthorizedKeys, "err", err)
	}
	if !ok {
		s.log.Info("ssh key refused", "user", probe.Line(ctx.User(), 64), "remote", ctx.RemoteAddr().String(),
			"key", gossh.FingerprintSHA256(key))
	}
	return ok
}

func authorized(path string, key ssh.PublicKey) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		k, _, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			continue
		}
		if ssh.KeysEqual(k, key) {
			return true, nil
		}
	}
	return false, sc.Err()
}

// logSession writes one line when a session starts and one when it ends.
func (s *Server) logSession(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		attrs := []any{"user", probe.Line(sess.User(), 64), "remote", sess.RemoteAddr().String()}
		if k := sess.PublicKey(); k != nil {
			attrs = append(attrs, "key", gossh.FingerprintSHA256(k))
		}
		s.log.Info("ssh session start", attrs...)
		next(sess)
		s.log.Info("ssh session end", attrs...)
	}
}

// limit refuses a session beyond MaxSessions.
func (s *Server) limit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if n := s.active.Add(1); int(n) > s.opts.MaxSessions {
			s.active.Add(-1)
			s.log.Warn("ssh session refused: too many viewers", "max", s.opts.MaxSessions, "remote", sess.RemoteAddr().String())
			wish.Fatalf(sess, "downforai: too many viewers (at most %d); try again later\r\n", s.opts.MaxSessions)
			return
		}
		defer s.active.Add(-1)
		next(sess)
		s.mu.Lock()
		cleanup := s.cleanups[sess]
		delete(s.cleanups, sess)
		s.mu.Unlock()
		if cleanup != nil {
			cleanup()
		}
	}
}

// program builds the session's own dashboard; without a pty it returns nil
// and the session is told to ask for one.
func (s *Server) program(sess ssh.Session) *tea.Program {
	if _, _, ok := sess.Pty(); !ok {
		wish.Fatalln(sess, "downforai: the dashboard needs a terminal; connect with ssh -t")
		return nil
	}
	events, unsubscribe := s.opts.Subscribe(eventBuffer)
	out := ui.NewOutput(sess)
	remove := func() {}
	if s.opts.Terminal != nil {
		remove = s.opts.Terminal(out)
	}
	s.mu.Lock()
	s.cleanups[sess] = func() { remove(); unsubscribe() }
	s.mu.Unlock()

	uo := s.opts.UI
	uo.Renderer = bubbletea.MakeRenderer(sess)
	uo.Events = events
	uo.Clipboard = out // OSC 52 goes down this session to the viewer's terminal
	opts := append(ui.ProgramOptions(), tea.WithInput(sess), tea.WithOutput(out))
	return tea.NewProgram(ui.New(uo), opts...)
}

// Sessions is the number of sessions running now.
func (s *Server) Sessions() int { return int(s.active.Load()) }

// Serve accepts connections on ln until Shutdown or Close.
func (s *Server) Serve(ln net.Listener) error {
	err := s.srv.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Listen opens the configured address.
func (s *Server) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("ssh listen %s: %w", s.opts.Addr, err)
	}
	return ln, nil
}

// Shutdown stops accepting and waits for sessions to end until ctx does,
// then closes what is left.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		return s.srv.Close()
	}
	return nil
}

// Close closes the listener and every connection at once.
func (s *Server) Close() error { return s.srv.Close() }
