package sshserve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"downforai/probe"
	"downforai/ui"
)

// hangGuard bounds every wait so a broken server fails the test instead of
// hanging it; it is not a performance budget.
const hangGuard = 30 * time.Second

type rig struct {
	srv    *Server
	addr   string
	eng    *probe.Engine
	signer gossh.Signer // authorized
	dir    string
	result probe.Result // what the next publish sends
	mu     sync.Mutex
}

func newSigner(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newRig(t *testing.T, maxSessions int) *rig {
	t.Helper()
	return newRigWith(t, func(o *Options) { o.MaxSessions = maxSessions })
}

// newRigWith is newRig with options of the test's own.
func newRigWith(t *testing.T, set func(*Options)) *rig {
	t.Helper()
	r := &rig{dir: t.TempDir(), signer: newSigner(t)}
	r.result = probe.Result{Target: probe.TargetAPI, Class: probe.ClassOK, HTTPStatus: 401}
	ak := filepath.Join(r.dir, "authorized_keys")
	content := "# a comment\nnot a key at all\n" + string(gossh.MarshalAuthorizedKey(r.signer.PublicKey()))
	if err := os.WriteFile(ak, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	r.eng = probe.NewEngine([]probe.Check{{Target: probe.TargetAPI, Run: func(context.Context) probe.Event {
		r.mu.Lock()
		defer r.mu.Unlock()
		res := r.result
		res.Time = time.Now()
		return probe.Event{Result: res}
	}}}, nil)
	o := Options{
		Addr:           "127.0.0.1:0",
		HostKeyPath:    filepath.Join(r.dir, "ssh_host_ed25519_key"),
		AuthorizedKeys: ak,
		Subscribe:      r.eng.Subscribe,
		UI:             ui.Options{Version: "test", Targets: []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetClaudeAI, probe.TargetCode}},
	}
	set(&o)
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.srv, r.addr = srv, ln.Addr().String()
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return r
}

// publish runs the engine's one check, which publishes to every viewer.
func (r *rig) publish(class probe.Class, status int) {
	r.mu.Lock()
	r.result.Class, r.result.HTTPStatus = class, status
	r.mu.Unlock()
	r.eng.RunOnce(context.Background())
}

func dial(addr string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "viewer",
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), // a test server with a fresh key
		Timeout:         hangGuard,
	})
}

// viewer is one connected ssh client with a pty, collecting its screen.
type viewer struct {
	client *gossh.Client
	sess   *gossh.Session
	mu     sync.Mutex
	out    strings.Builder
	// term is the screen as an 80×24 terminal shows it: the renderer
	// writes only a line's changed cells, so "507" after "506" reaches
	// the stream as "7" (ui.Output).
	term *vt.Emulator
	grew chan struct{}
	in   io.Writer // the viewer's keyboard
}

func connect(t *testing.T, r *rig) *viewer {
	t.Helper()
	return connectAnswering(t, r, darkAnswer)
}

// darkAnswer is what a terminal with a black background answers to the
// background colour (OSC 11) and device attributes (DA1) queries.
const darkAnswer = "\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;22c"

// connectAnswering connects a viewer whose terminal answers the queries
// with answer at once ("": a terminal that answers nothing).
func connectAnswering(t *testing.T, r *rig, answer string) *viewer {
	t.Helper()
	return connectWith(t, r, answer, nil)
}

// connectWith connects a viewer that sends env (as ssh -o SendEnv does)
// before it asks for its pty.
func connectWith(t *testing.T, r *rig, answer string, env map[string]string) *viewer {
	t.Helper()
	c, err := dial(r.addr, gossh.PublicKeys(r.signer))
	if err != nil {
		t.Fatalf("authorized key refused: %v", err)
	}
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatalf("setenv %s: %v", k, err)
		}
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	v := &viewer{client: c, sess: sess, grew: make(chan struct{}, 1), term: vt.NewEmulator(80, 24)}
	// The emulator answers the server's queries into its input pipe, and
	// would block on them unread; the pipe is closed when the stream
	// ends (not Close, whose flag Read checks unguarded).
	go io.Copy(io.Discard, v.term)
	endTerm := func() {
		if pw, ok := v.term.InputPipe().(*io.PipeWriter); ok {
			pw.CloseWithError(io.EOF)
		}
	}
	t.Cleanup(endTerm)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := stdout.Read(buf)
			v.mu.Lock()
			v.out.Write(buf[:n])
			v.term.Write(buf[:n])
			v.mu.Unlock()
			select {
			case v.grew <- struct{}{}:
			default:
			}
			if err != nil {
				endTerm()
				return
			}
		}
	}()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(stdin, answer)
	v.in = stdin
	t.Cleanup(func() { c.Close() })
	return v
}

// raw is everything the viewer received, escape sequences included.
func (v *viewer) raw() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.out.String()
}

func (v *viewer) screen() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return ansi.Strip(v.out.String())
}

// shown is the screen the viewer's terminal shows now.
func (v *viewer) shown() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.term.String()
}

// waitFor waits until the viewer's output, or its terminal's screen,
// contains s.
func (v *viewer) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.After(hangGuard)
	for !strings.Contains(v.screen(), s) && !strings.Contains(v.shown(), s) {
		select {
		case <-v.grew:
		case <-deadline:
			t.Fatalf("viewer never showed %q; screen:\n%s\nstream:\n%s", s, v.shown(), v.screen())
		}
	}
}

func TestAuthorizedKeySeesTheDashboard(t *testing.T) {
	r := newRig(t, 0)
	v := connect(t, r)
	v.waitFor(t, "Live signals")
	r.publish(probe.ClassOverloaded, 529)
	v.waitFor(t, "529")
	// The host key was generated once, private to its owner.
	fi, err := os.Stat(filepath.Join(r.dir, "ssh_host_ed25519_key"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestRefused(t *testing.T) {
	r := newRig(t, 0)
	for _, tc := range []struct {
		name string
		auth gossh.AuthMethod
	}{
		{"unknown key", gossh.PublicKeys(newSigner(t))},
		{"password", gossh.Password("hunter2")},
		{"keyboard-interactive", gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return []string{"hunter2"}, nil
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := dial(r.addr, tc.auth)
			if err == nil {
				c.Close()
				t.Fatal("logged in")
			}
			if !strings.Contains(err.Error(), "unable to authenticate") {
				t.Errorf("err = %v", err)
			}
			if tc.name != "unknown key" && !strings.Contains(err.Error(), "no supported methods remain") {
				t.Errorf("%s should not even be offered: %v", tc.name, err)
			}
		})
	}
}

func TestTenViewersAndOneLeaves(t *testing.T) {
	r := newRig(t, 0)
	var vs []*viewer
	for i := 0; i < 10; i++ {
		vs = append(vs, connect(t, r))
	}
	for _, v := range vs {
		v.waitFor(t, "Live signals")
	}
	if n := r.srv.Sessions(); n != 10 {
		t.Errorf("sessions = %d, want 10", n)
	}
	r.publish(probe.ClassOverloaded, 529)
	for _, v := range vs {
		v.waitFor(t, "529")
	}
	// Kill one viewer's connection without a goodbye.
	vs[0].client.Close()
	waitSessions(t, r.srv, 9)
	r.publish(probe.ClassServer, 503)
	for _, v := range vs[1:] {
		v.waitFor(t, "503")
	}
}

func waitSessions(t *testing.T, s *Server, want int) {
	t.Helper()
	deadline := time.Now().Add(hangGuard)
	for s.Sessions() != want {
		if time.Now().After(deadline) {
			t.Fatalf("sessions = %d, want %d", s.Sessions(), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A viewer that never reads its output holds up nobody else.
func TestIdleViewerDoesNotStallOthers(t *testing.T) {
	r := newRig(t, 0)
	stuck, err := dial(r.addr, gossh.PublicKeys(r.signer))
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	sess, err := stuck.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
	stdin, _ := sess.StdinPipe()
	sess.Stdout = nil // never read
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(stdin, darkAnswer)
	v := connect(t, r)
	v.waitFor(t, "Live signals")
	for i := 0; i < 50; i++ {
		r.publish(probe.ClassServer, 500+i%10)
	}
	r.publish(probe.ClassOverloaded, 529)
	v.waitFor(t, "529")
}

func TestMaxSessions(t *testing.T) {
	r := newRig(t, 2)
	a, b := connect(t, r), connect(t, r)
	a.waitFor(t, "Live signals")
	b.waitFor(t, "Live signals")
	c, err := dial(r.addr, gossh.PublicKeys(r.signer))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
	stdin, _ := sess.StdinPipe()
	stderr, _ := sess.StderrPipe()
	stdout, _ := sess.StdoutPipe()
	sess.Shell()
	io.WriteString(stdin, darkAnswer)
	msg, _ := io.ReadAll(io.MultiReader(stderr, stdout))
	if !strings.Contains(string(msg), "too many viewers") {
		t.Errorf("third viewer got %q", msg)
	}
}

func TestNoPtyIsToldToAskForOne(t *testing.T) {
	r := newRig(t, 0)
	c, err := dial(r.addr, gossh.PublicKeys(r.signer))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, _ := sess.CombinedOutput("")
	if !strings.Contains(string(out), "needs a terminal") {
		t.Errorf("got %q", out)
	}
	waitSessions(t, r.srv, 0)
}

func TestNewNeedsAuthorizedKeys(t *testing.T) {
	eng := probe.NewEngine(nil, nil)
	_, err := New(Options{AuthorizedKeys: filepath.Join(t.TempDir(), "none"), HostKeyPath: filepath.Join(t.TempDir(), "k"), Subscribe: eng.Subscribe})
	if err == nil || !strings.Contains(err.Error(), "nobody could log in") {
		t.Errorf("err = %v", err)
	}
}

// The evidence report copied with c travels down the viewer's own session
// as OSC 52, so it lands on the clipboard of the machine they sit at.
func TestCopyReachesTheViewersTerminal(t *testing.T) {
	r := newRig(t, 0)
	v := connect(t, r)
	v.waitFor(t, "Live signals")
	r.publish(probe.ClassOverloaded, 529)
	io.WriteString(v.in, "3")
	v.waitFor(t, "[3 Troubleshooting]")
	io.WriteString(v.in, "c")
	deadline := time.After(hangGuard)
	for {
		v.mu.Lock()
		raw := v.out.String()
		v.mu.Unlock()
		if strings.Contains(raw, "\x1b]52;c;") {
			break
		}
		select {
		case <-v.grew:
		case <-deadline:
			t.Fatalf("no OSC 52 copy in the session; screen:\n%s", v.screen())
		}
	}
	if strings.Contains(v.screen(), "could not copy") {
		t.Error("the viewer was told the copy failed")
	}
}
