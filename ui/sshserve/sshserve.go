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
	"cmp"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

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

// DefaultHandshakeTimeout is how long a connection has to finish the SSH
// handshake and log in; one that has not is closed.
const DefaultHandshakeTimeout = 10 * time.Second

// DefaultIdleTimeout closes a connection on which nothing has passed in
// either direction for this long: a session without a dashboard, or a
// client that vanished. A dashboard session redraws far more often.
const DefaultIdleTimeout = 30 * time.Minute

// DefaultMaxPending bounds the connections that have not logged in yet;
// past it the oldest of them is dropped, so a flood of silent
// connections cannot keep a real viewer (whose login takes milliseconds)
// out.
const DefaultMaxPending = 64

// Goodbye is the line each viewer gets when serve stops.
const Goodbye = "downforai serve stopped; goodbye.\r\n"

// Options configures New.
type Options struct {
	Addr           string // listen address; DefaultAddr when empty
	HostKeyPath    string // private host key; generated (ed25519, 0600) when missing
	AuthorizedKeys string // authorized_keys file; must exist
	MaxSessions    int    // DefaultMaxSessions when <= 0

	// HandshakeTimeout bounds the handshake and login of a connection;
	// DefaultHandshakeTimeout when zero.
	HandshakeTimeout time.Duration
	// IdleTimeout closes a connection on which nothing passed either way
	// for that long; DefaultIdleTimeout when zero, never when negative.
	IdleTimeout time.Duration
	// MaxPending bounds the connections not logged in yet (the oldest is
	// dropped); DefaultMaxPending when <= 0.
	MaxPending int

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
	cleanups map[ssh.Session]func()       // per running program, run when its session ends
	programs map[ssh.Session]*tea.Program // running programs, quit by Shutdown
	stopping bool                         // Shutdown began: say goodbye

	pending pendingConns
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
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.MaxPending <= 0 {
		o.MaxPending = DefaultMaxPending
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
	s := &Server{opts: o, log: o.Logger, cleanups: make(map[ssh.Session]func()), programs: make(map[ssh.Session]*tea.Program)}
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
	srv.ConnCallback = s.admit
	if o.IdleTimeout > 0 {
		srv.IdleTimeout = o.IdleTimeout
	}
	s.srv = srv
	return s, nil
}

// ensurePrivate makes sure an existing host key is readable by its owner
// only, and writes a new one (ed25519, 0600) when there is none. The key is
// written here, not by wish: wish's key writer (charmbracelet/keygen)
// chmods the key's existing directory to 0700 — the database's directory,
// which may be shared (/tmp, a 1777 spool): cold7 E12. A directory that
// does not exist yet is created 0700, as the store creates it.
func ensurePrivate(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return writeHostKey(path)
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

// writeHostKey writes a new ed25519 host key to path, 0600, never over
// an existing file, leaving the mode of an existing directory alone.
func writeHostKey(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("host key directory: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "downforai host key")
	if err != nil {
		return fmt.Errorf("host key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("host key %s: %w", path, err)
	}
	if _, err := f.Write(pem.EncodeToMemory(block)); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("host key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("host key %s: %w", path, err)
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
		delete(s.programs, sess)
		stopping := s.stopping
		s.mu.Unlock()
		if cleanup != nil {
			cleanup()
		}
		if stopping {
			// After the program restored the viewer's terminal.
			io.WriteString(sess, Goodbye)
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
	events, unsubscribe := s.opts.Subscribe(probe.EventBuffer)
	out := ui.NewOutput(sess)
	remove := func() {}
	if s.opts.Terminal != nil {
		remove = s.opts.Terminal(out)
	}
	s.mu.Lock()
	s.cleanups[sess] = func() { remove(); unsubscribe() }
	s.mu.Unlock()

	uo := s.opts.UI
	var p *tea.Program
	made := make(chan struct{})
	renderer, in := viewerTerminal(sess, func(dark bool) {
		<-made
		p.Send(ui.BackgroundMsg{Dark: dark}) // returns once the program has ended
	})
	uo.Renderer = renderer
	uo.Events = events
	uo.OfRunningEngine = true // the serve's engine: its history is current
	uo.Clipboard = out        // OSC 52 goes down this session to the viewer's terminal
	uo.Location = viewerZone(sessionEnv(sess.Environ()).Getenv("TZ"), cmp.Or(uo.Location, time.Local))
	// The first frame at the session's size, drawn as soon as Run writes
	// it; then frames soon after a change and seldom when idle (ui.Pacer).
	if pty, _, ok := sess.Pty(); ok {
		uo.Width, uo.Height = pty.Window.Width, pty.Window.Height
	}
	pace := &ui.Pacer{}
	uo.OnInit, uo.OnView = func() { pace.Start(p) }, pace.Viewed
	opts := append(ui.ProgramOptions(), tea.WithInput(in), tea.WithOutput(out))
	p = tea.NewProgram(ui.New(uo), opts...)
	close(made)
	go pace.WhenDrawn(out.Drawn(), sess.Context().Done())
	s.mu.Lock()
	s.programs[sess] = p
	if s.stopping {
		go p.Quit() // Quit waits for Run to take it
	}
	s.mu.Unlock()
	return p
}

// pendingConns are the connections that have not logged in yet, oldest
// first. Entries that logged in or closed are dropped when the next
// connection arrives.
type pendingConns struct {
	mu    sync.Mutex
	conns []pendingConn

	admitted       int       // connections ever admitted
	lastLog        time.Time // refusals are logged at most every 10 s
	timedOut, shed int       // since the last log line
	flushing       bool      // a log line is due when the 10 s are up
}

type pendingConn struct {
	ctx  ssh.Context
	conn *countingConn
	at   time.Time
}

// quietGrace is how long a new connection may say nothing before it is
// the first to go when too many wait: a real client sends its SSH banner
// as soon as it connects.
const quietGrace = 250 * time.Millisecond

// victim picks the pending connection to close: the oldest that has sent
// nothing for quietGrace, else the oldest that has sent nothing, else the
// oldest.
func victim(conns []pendingConn, now time.Time) int {
	if i := slices.IndexFunc(conns, func(pc pendingConn) bool {
		return pc.conn.read.Load() == 0 && now.Sub(pc.at) >= quietGrace
	}); i >= 0 {
		return i
	}
	return max(slices.IndexFunc(conns, func(pc pendingConn) bool { return pc.conn.read.Load() == 0 }), 0)
}

// countingConn counts what the client sent: a client that has said
// nothing at all is the first to go when too many wait. It knows when it
// was closed: the connection's context is cancelled only once the
// server's handshake goroutine notices, which under load comes well after
// the client saw the close, and until then it must not be counted as
// waiting to log in.
type countingConn struct {
	net.Conn
	read   atomic.Int64
	closed atomic.Bool
}

func (c *countingConn) Close() error {
	c.closed.Store(true)
	return c.Conn.Close()
}

// waiting reports whether pc is still waiting to log in: not closed, its
// context alive, not logged in.
func (pc pendingConn) waiting() bool {
	return !pc.conn.closed.Load() && pc.ctx.Err() == nil && !loggedIn(pc.ctx)
}

func (c *countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.read.Add(int64(n))
	return n, err
}

// loggedIn reports whether the connection of ctx finished its handshake
// and login: the server stores the SSH connection in the context then.
func loggedIn(ctx ssh.Context) bool { return ctx.Value(ssh.ContextKeyConn) != nil }

// admit is the server's ConnCallback: every new connection gets
// HandshakeTimeout to log in, and when MaxPending connections are
// already waiting to, one of them is closed to make room: the oldest that
// has sent nothing yet, else the oldest.
func (s *Server) admit(ctx ssh.Context, raw net.Conn) net.Conn {
	c := &countingConn{Conn: raw}
	var drop []net.Conn
	p := &s.pending
	p.mu.Lock()
	live := p.conns[:0]
	for _, pc := range p.conns {
		if pc.waiting() {
			live = append(live, pc)
		}
	}
	clear(p.conns[len(live):])
	p.conns = live
	now := time.Now()
	for len(p.conns) >= s.opts.MaxPending {
		i := victim(p.conns, now)
		drop = append(drop, p.conns[i].conn)
		p.conns = slices.Delete(p.conns, i, i+1)
	}
	p.conns = append(p.conns, pendingConn{ctx, c, now})
	p.admitted++
	p.shed += len(drop)
	s.logRefusals()
	p.mu.Unlock()
	for _, d := range drop {
		d.Close()
	}
	t := time.AfterFunc(s.opts.HandshakeTimeout, func() {
		if loggedIn(ctx) {
			return
		}
		c.Close()
		p.mu.Lock()
		p.timedOut++
		s.logRefusals()
		p.mu.Unlock()
	})
	context.AfterFunc(ctx, func() { t.Stop() })
	return c
}

// logRefusals writes one line for the connections closed before login
// since the last one, at most every 10 s, so a flood cannot flood the log;
// what comes in between is written when the 10 s are up. s.pending.mu is
// held.
func (s *Server) logRefusals() {
	p := &s.pending
	if p.timedOut+p.shed == 0 {
		return
	}
	if wait := 10*time.Second - time.Since(p.lastLog); wait > 0 {
		if !p.flushing {
			p.flushing = true
			time.AfterFunc(wait, func() {
				p.mu.Lock()
				defer p.mu.Unlock()
				p.flushing = false
				s.logRefusals()
			})
		}
		return
	}
	s.log.Warn("ssh connections closed before login", "no_login_within", s.opts.HandshakeTimeout.String(),
		"timed_out", p.timedOut, "dropped_oldest_of_too_many_waiting", p.shed, "max_pending", s.opts.MaxPending)
	p.lastLog, p.timedOut, p.shed = time.Now(), 0, 0
}

// Pending is the number of connections that have not logged in yet.
func (s *Server) Pending() int {
	s.pending.mu.Lock()
	defer s.pending.mu.Unlock()
	n := 0
	for _, pc := range s.pending.conns {
		if pc.waiting() {
			n++
		}
	}
	return n
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

// Shutdown ends every viewer's dashboard with a goodbye line, waits for
// the sessions to end until ctx does, then closes the listener and every
// connection.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.stopping = true
	for _, p := range s.programs {
		go p.Quit() // Quit waits for Run to take it
	}
	s.mu.Unlock()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for s.active.Load() > 0 {
		select {
		case <-ctx.Done():
			return s.srv.Close()
		case <-tick.C:
		}
	}
	return s.srv.Close()
}

// Close closes the listener and every connection at once.
func (s *Server) Close() error { return s.srv.Close() }
