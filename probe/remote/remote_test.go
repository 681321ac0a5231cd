package remote

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"downforai/probe"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// memHistory is a probe.History in memory.
type memHistory struct {
	results map[probe.Target][]probe.Result
	status  *probe.Status
}

func (h *memHistory) Recent(t probe.Target, n int) ([]probe.Result, error) {
	rs := h.results[t]
	if len(rs) > n {
		rs = rs[len(rs)-n:]
	}
	return rs, nil
}

func (h *memHistory) Range(t probe.Target, from, to time.Time) ([]probe.Result, error) {
	var out []probe.Result
	for _, r := range h.results[t] {
		if (from.IsZero() || !r.Time.Before(from)) && (to.IsZero() || r.Time.Before(to)) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (h *memHistory) LatestStatus() (probe.Status, bool, error) {
	if h.status == nil {
		return probe.Status{}, false, nil
	}
	return *h.status, true, nil
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type rig struct {
	path string
	db   string
	hist *memHistory
	eng  *probe.Engine
	next probe.Result
	mu   sync.Mutex

	subscribed chan struct{} // one per server-side subscription
}

// start serves a rig on a socket in a temp dir until the test ends.
func start(t *testing.T) *rig {
	t.Helper()
	dir := t.TempDir()
	r := &rig{db: filepath.Join(dir, "h.db"), hist: &memHistory{results: map[probe.Target][]probe.Result{}}}
	r.path = SocketPath(r.db)
	r.subscribed = make(chan struct{}, 16)
	for i := 0; i < 5; i++ {
		r.hist.results[probe.TargetAPI] = append(r.hist.results[probe.TargetAPI], probe.Result{
			Target: probe.TargetAPI, Time: t0.Add(time.Duration(i) * time.Minute), Class: probe.ClassOK, HTTPStatus: 401,
			Phases: probe.Phases{DNS: time.Millisecond, Total: 42 * time.Millisecond}, RequestID: "req_" + string(rune('a'+i)),
			RateLimit: probe.RateLimit{RequestsLimit: 50, RequestsRemaining: 49, RequestsReset: t0},
		})
	}
	r.hist.status = &probe.Status{Fetched: t0, Indicator: "major", Description: "Partial outage",
		Incidents: []probe.Incident{{ID: "x", Name: "Elevated errors\x1b[2J on Opus", Updates: []probe.IncidentUpdate{{Body: "We are\x07 looking"}}}}}
	r.next = probe.Result{Target: probe.TargetClaudeAI, Class: probe.ClassOK, HTTPStatus: 200}
	r.eng = probe.NewEngine([]probe.Check{{Target: probe.TargetClaudeAI, Run: func(context.Context) probe.Event {
		r.mu.Lock()
		defer r.mu.Unlock()
		res := r.next
		res.Time = time.Now()
		return probe.Event{Result: res}
	}}}, nil)
	ln, err := Listen(r.path)
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{
		Hello:   Hello{Protocol: ProtocolVersion, Version: "test", DB: r.db, PID: os.Getpid(), Targets: probe.Targets},
		History: r.hist,
		Subscribe: func(n int) (<-chan probe.Event, func()) {
			ch, cancel := r.eng.Subscribe(n)
			r.subscribed <- struct{}{}
			return ch, cancel
		},
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return r
}

func (r *rig) publish(msg string) {
	r.mu.Lock()
	r.next.Message = msg
	r.mu.Unlock()
	r.eng.RunOnce(context.Background())
}

func TestSocketIsPrivate(t *testing.T) {
	r := start(t)
	fi, err := os.Stat(r.path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want a 0600 socket", fi.Mode())
	}
}

func TestHistoryThroughTheSocket(t *testing.T) {
	r := start(t)
	c, err := Dial(context.Background(), r.path, r.db)
	if err != nil {
		t.Fatal(err)
	}
	if h := c.Hello(); h.DB != r.db || len(h.Targets) != len(probe.Targets) || h.PID != os.Getpid() {
		t.Errorf("hello = %+v", h)
	}
	rs, err := c.Recent(probe.TargetAPI, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := r.hist.results[probe.TargetAPI][2:]
	if len(rs) != 3 {
		t.Fatalf("recent: %d results", len(rs))
	}
	for i := range rs {
		w := want[i]
		if !rs[i].Time.Equal(w.Time) || rs[i].Class != w.Class || rs[i].Phases != w.Phases || rs[i].RequestID != w.RequestID ||
			rs[i].RateLimit.RequestsRemaining != 49 || !rs[i].RateLimit.RequestsReset.Equal(t0) {
			t.Errorf("result %d:\n got %+v\nwant %+v", i, rs[i], w)
		}
	}
	rs, err = c.Range(probe.TargetAPI, t0.Add(time.Minute), t0.Add(3*time.Minute))
	if err != nil || len(rs) != 2 {
		t.Errorf("range: %d results, %v", len(rs), err)
	}
	if rs, err := c.Recent(probe.TargetCode, 3); err != nil || len(rs) != 0 {
		t.Errorf("empty target: %v %v", rs, err)
	}
	st, ok, err := c.LatestStatus()
	if err != nil || !ok {
		t.Fatalf("status: %v %v", ok, err)
	}
	if st.Indicator != "major" || !st.Fetched.Equal(t0) || len(st.Incidents) != 1 {
		t.Errorf("status = %+v", st)
	}
	// Strings are filtered again on the viewer's side.
	if strings.ContainsAny(st.Incidents[0].Name+st.Incidents[0].Updates[0].Body, "\x1b\x07") {
		t.Errorf("escape sequences survived: %q", st.Incidents[0].Name)
	}
}

func TestDialRefusesAnotherDatabase(t *testing.T) {
	r := start(t)
	if _, err := Dial(context.Background(), r.path, "/elsewhere/h.db"); err == nil || !strings.Contains(err.Error(), "owns") {
		t.Errorf("err = %v", err)
	}
}

func TestEventsFollowTheEngine(t *testing.T) {
	r := start(t)
	c, err := Dial(context.Background(), r.path, r.db)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	events, err := c.Events(ctx, 16)
	if err != nil {
		t.Fatal(err)
	}
	waitSubscribed(t, r)
	r.publish("first\x1b]0;title\x07")
	ev := <-events
	if ev.Result.Target != probe.TargetClaudeAI || ev.Result.HTTPStatus != 200 || ev.Result.Message != "first" {
		t.Errorf("event = %+v", ev.Result)
	}
	cancel()
	for range events { // closed once ctx ends
	}
}

// waitSubscribed waits for the server to subscribe a viewer: Events
// returns once the request is sent, before the server has read it.
func waitSubscribed(t *testing.T, r *rig) {
	t.Helper()
	<-r.subscribed
}

func TestEngineStopEndsTheStream(t *testing.T) {
	r := start(t)
	c, err := Dial(context.Background(), r.path, r.db)
	if err != nil {
		t.Fatal(err)
	}
	events, err := c.Events(context.Background(), 4)
	if err != nil {
		t.Fatal(err)
	}
	waitSubscribed(t, r)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.eng.Run(ctx); close(done) }()
	cancel()
	<-done
	for range events { // closed when the engine's subscription closes
	}
}

// A viewer that never reads does not hold the engine up.
func TestStuckViewerNeverBlocksTheEngine(t *testing.T) {
	r := start(t)
	conn, err := net.Dial("unix", r.path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte(`{"op":"subscribe"}` + "\n"))
	waitSubscribed(t, r)
	for i := 0; i < 2000; i++ {
		r.publish(strings.Repeat("x", 200)) // more than the socket buffers
	}
}

func TestListen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.sock")
	// A socket file left behind by an engine that died is replaced.
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	ln, err = Listen(path)
	if err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	defer ln.Close()
	// One that answers is not.
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	if _, err := Listen(path); !errors.Is(err, ErrInUse) {
		t.Errorf("err = %v, want ErrInUse", err)
	}
}

func TestDialNobody(t *testing.T) {
	if _, err := Dial(context.Background(), filepath.Join(t.TempDir(), "none.sock"), ""); err == nil {
		t.Error("dialled nothing")
	}
}

func TestBadRequests(t *testing.T) {
	r := start(t)
	for _, line := range []string{"not json\n", `{"op":"format-disk"}` + "\n"} {
		conn, err := net.Dial("unix", r.path)
		if err != nil {
			t.Fatal(err)
		}
		conn.Write([]byte(line))
		buf := make([]byte, 256)
		n, _ := conn.Read(buf)
		conn.Close()
		if !strings.Contains(string(buf[:n]), `"error"`) {
			t.Errorf("%q answered %q", line, buf[:n])
		}
	}
}
