package remote

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"downforai/probe"
	"downforai/probe/probetest"
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
	next probe.Event
	mu   sync.Mutex

	subscribed chan struct{}    // one per server-side subscription
	log        probetest.Buffer // the server's log
}

// start serves a rig on a socket in a temp dir until the test ends.
func start(t *testing.T) *rig { t.Helper(); return startWith(t, nil) }

// startWith serves a rig whose server reads through wrap(r.hist), or
// r.hist itself when wrap is nil.
func startWith(t *testing.T, wrap func(*memHistory) probe.History) *rig {
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
	r.next = probe.Event{Result: probe.Result{Target: probe.TargetClaudeAI, Class: probe.ClassOK, HTTPStatus: 200}}
	r.eng = probe.NewEngine([]probe.Check{{Target: probe.TargetClaudeAI, Run: func(context.Context) probe.Event {
		r.mu.Lock()
		defer r.mu.Unlock()
		ev := r.next
		ev.Result.Time = time.Now()
		return ev
	}}}, nil)
	ln, err := Listen(r.path)
	if err != nil {
		t.Fatal(err)
	}
	var hist probe.History = r.hist
	if wrap != nil {
		hist = wrap(r.hist)
	}
	srv := &Server{
		Hello:   Hello{Protocol: ProtocolVersion, Version: "test", DB: r.db, PID: os.Getpid(), Targets: probe.Targets()},
		History: hist,
		Subscribe: func(n int) (<-chan probe.Event, func()) {
			ch, cancel := r.eng.Subscribe(n)
			r.subscribed <- struct{}{}
			return ch, cancel
		},
		Logger: slog.New(slog.NewTextHandler(&r.log, nil)),
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
	r.next.Result.Message = msg
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
	if h := c.Hello(); h.DB != r.db || len(h.Targets) != len(probe.Targets()) || h.PID != os.Getpid() {
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

// hostile is what a compromised or broken engine might put in a string.
const hostile = "\x1b[2J\x1b]0;pwned\x07\u009b"

func clean(s string) bool { return !strings.ContainsAny(s, "\x1b\x07\u009b") }

// fullHistory adds rollups and stored incidents to a memHistory, with
// answers raw results could never give, so a test sees which one spoke.
type fullHistory struct {
	*memHistory
	local    []probe.LocalIncident
	official []probe.Incident
	askedN   atomic.Int64 // the n of the last incident request
}

func (h *fullHistory) Summary(t probe.Target, from, to time.Time) (probe.Summary, error) {
	s := probe.Summary{Target: t + hostile, From: from, To: to}
	s.Counts[probe.ClassOK] = 1000
	s.Latency.Add(42 * time.Millisecond)
	return s, nil
}

func (h *fullHistory) Series(t probe.Target, from, to time.Time, step time.Duration) ([]probe.Summary, error) {
	var out []probe.Summary
	for at := from; at.Before(to); at = at.Add(step) {
		s := probe.Summary{Target: t, From: at, To: at.Add(step)}
		s.Counts[probe.ClassOverloaded] = uint32(len(out) + 1)
		out = append(out, s)
	}
	return out, nil
}

func (h *fullHistory) LocalIncidents(n int) ([]probe.LocalIncident, error) {
	h.askedN.Store(int64(n))
	return h.local, nil // more than n: the server bounds what it sends
}

func (h *fullHistory) OpenLocalIncidents() ([]probe.LocalIncident, error) {
	var open []probe.LocalIncident
	for _, l := range h.local {
		if l.Active() {
			open = append(open, l)
		}
	}
	return open, nil
}

func (h *fullHistory) OfficialIncidents(n int) ([]probe.Incident, error) {
	h.askedN.Store(int64(n))
	return h.official, nil
}

var (
	_ probe.IncidentHistory = (*fullHistory)(nil)
	_ probe.HistoryStats    = (*fullHistory)(nil)
)

func hostileLocal(i int, open bool) probe.LocalIncident {
	l := probe.LocalIncident{
		ID: fmt.Sprintf("%04d-provider:api%s", i, hostile), Subject: "provider:api" + hostile, Kind: probe.KindProvider,
		Service: "api" + hostile, Targets: []probe.Target{probe.TargetAPI + hostile},
		FirstFailure: t0, Opened: t0.Add(time.Minute), Failures: 3, Probes: 4,
		Classes:    map[probe.Class]int{probe.ClassOverloaded: 3},
		HTTPStatus: 529, ErrorType: "overloaded_error" + hostile, Message: "Overloaded" + hostile,
		RequestIDs: []string{"req_1" + hostile}, OfficialID: "off" + hostile, Version: 2,
	}
	if !open {
		l.Closed = t0.Add(time.Hour)
		l.MergedInto = "network" + hostile
	}
	return l
}

func hostileIncident(i int) probe.Incident {
	return probe.Incident{
		ID: fmt.Sprintf("inc%d%s", i, hostile), Name: "Elevated errors" + hostile, Status: "investigating" + hostile,
		Impact: "major" + hostile, Shortlink: "https://stspg.io/x" + hostile, StartedAt: t0,
		Components: []string{"comp" + hostile},
		Updates:    []probe.IncidentUpdate{{ID: "u" + hostile, Status: "identified" + hostile, Body: "line one" + hostile + "\nline two", Components: []string{"c" + hostile}}},
	}
}

func startFull(t *testing.T) (*rig, *fullHistory) {
	t.Helper()
	var fh *fullHistory
	r := startWith(t, func(m *memHistory) probe.History {
		fh = &fullHistory{memHistory: m}
		for i := range maxIncidents + 200 {
			fh.local = append(fh.local, hostileLocal(i, i%2 == 0))
			fh.official = append(fh.official, hostileIncident(i))
		}
		return fh
	})
	return r, fh
}

func dial(t *testing.T, r *rig) *Client {
	t.Helper()
	c, err := Dial(context.Background(), r.path, r.db)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func checkLocal(t *testing.T, what string, ls []probe.LocalIncident) {
	t.Helper()
	for _, l := range ls {
		strs := append([]string{l.ID, l.Subject, l.Service, l.ErrorType, l.Message, l.OfficialID, l.MergedInto}, l.RequestIDs...)
		for _, tg := range l.Targets {
			strs = append(strs, string(tg))
		}
		for _, s := range strs {
			if !clean(s) {
				t.Fatalf("%s: escape survived in %q", what, s)
			}
		}
		if l.Classes[probe.ClassOverloaded] != 3 || l.HTTPStatus != 529 || !l.FirstFailure.Equal(t0) || l.Kind != probe.KindProvider {
			t.Fatalf("%s: fields lost: %+v", what, l)
		}
	}
}

func checkIncidents(t *testing.T, what string, incs []probe.Incident) {
	t.Helper()
	for _, in := range incs {
		strs := append([]string{in.ID, in.Name, in.Status, in.Impact, in.Shortlink}, in.Components...)
		for _, u := range in.Updates {
			strs = append(append(strs, u.ID, u.Status, u.Body), u.Components...)
		}
		for _, s := range strs {
			if !clean(s) {
				t.Fatalf("%s: escape survived in %q", what, s)
			}
		}
		if !in.StartedAt.Equal(t0) || len(in.Updates) != 1 || !strings.Contains(in.Updates[0].Body, "line one") {
			t.Fatalf("%s: fields lost: %+v", what, in)
		}
	}
}

func TestIncidentsThroughTheSocket(t *testing.T) {
	r, fh := startFull(t)
	c := dial(t, r)

	ls, err := c.LocalIncidents(3)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 3 || fh.askedN.Load() != 3 || !strings.HasPrefix(ls[0].ID, "0000-") {
		t.Errorf("local incidents: %d, asked %d", len(ls), fh.askedN.Load())
	}
	checkLocal(t, "local incidents", ls)

	// n is bounded by the engine, whatever the viewer asks.
	for _, n := range []int{0, -1, 5000} {
		ls, err := c.LocalIncidents(n)
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) != maxIncidents || fh.askedN.Load() != maxIncidents {
			t.Errorf("LocalIncidents(%d): %d sent, %d asked of the history", n, len(ls), fh.askedN.Load())
		}
	}

	open, err := c.OpenLocalIncidents()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range open {
		if !l.Active() {
			t.Fatalf("closed incident among the open: %+v", l)
		}
	}
	if len(open) != (maxIncidents+200)/2 {
		t.Errorf("open incidents: %d", len(open))
	}
	checkLocal(t, "open incidents", open)

	incs, err := c.OfficialIncidents(7)
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 7 || fh.askedN.Load() != 7 {
		t.Errorf("official incidents: %d, asked %d", len(incs), fh.askedN.Load())
	}
	checkIncidents(t, "official incidents", incs)
	if incs, err := c.OfficialIncidents(1 << 20); err != nil || len(incs) != maxIncidents {
		t.Errorf("OfficialIncidents(1<<20): %d, %v", len(incs), err)
	}
}

func TestStatsThroughTheSocket(t *testing.T) {
	r, _ := startFull(t)
	c := dial(t, r)

	s, err := c.Summary(probe.TargetAPI, t0, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if s.Counts[probe.ClassOK] != 1000 || s.Target != probe.TargetAPI || !s.From.Equal(t0) || !s.To.Equal(t0.Add(24*time.Hour)) {
		t.Errorf("summary = %+v", s)
	}
	if p, ok := s.Percentile(50); !ok || p < 40*time.Millisecond || p > 45*time.Millisecond {
		t.Errorf("p50 = %v %v, want about 42ms", p, ok)
	}

	ss, err := c.Series(probe.TargetAPI, t0, t0.Add(3*time.Hour), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 3 {
		t.Fatalf("series: %d steps", len(ss))
	}
	for i, s := range ss {
		if s.Counts[probe.ClassOverloaded] != uint32(i+1) || !s.From.Equal(t0.Add(time.Duration(i)*time.Hour)) {
			t.Errorf("step %d = %+v", i, s)
		}
	}

	// A series the engine would have to allocate millions of steps for is
	// refused before the history sees it.
	if _, err := c.Series(probe.TargetAPI, time.Time{}, t0, time.Hour); err == nil || !strings.Contains(err.Error(), "steps") {
		t.Errorf("series from the zero time: %v", err)
	}
	if _, err := c.Series(probe.TargetAPI, t0, t0.Add(time.Hour), 0); err == nil {
		t.Error("series with a zero step answered")
	}
}

// An engine whose history keeps no rollups or incidents says so; the
// viewer computes stats from raw results and reports incidents as
// unsupported.
func TestHistoryWithoutExtras(t *testing.T) {
	r := start(t)
	c := dial(t, r)

	for op, call := range map[string]func() error{
		"local_incidents":      func() error { _, err := c.LocalIncidents(5); return err },
		"open_local_incidents": func() error { _, err := c.OpenLocalIncidents(); return err },
		"official_incidents":   func() error { _, err := c.OfficialIncidents(5); return err },
	} {
		if err := call(); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), op) {
			t.Errorf("%s: err = %v, want ErrUnsupported", op, err)
		}
	}

	for _, line := range []string{`{"op":"summary","target":"api"}`, `{"op":"series","target":"api","step":3600000000000}`, `{"op":"local_incidents"}`} {
		if got := rawAsk(t, r.path, line); !strings.Contains(got, "not supported by this engine") || !strings.Contains(got, `"unsupported":true`) {
			t.Errorf("%s answered %s", line, got)
		}
	}

	s, err := c.Summary(probe.TargetAPI, t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if s.Counts[probe.ClassOK] != 5 || s.Total() != 5 {
		t.Errorf("raw summary = %v", s.Counts)
	}
	// Weighed by time as the engine's rollups are: five results a minute
	// apart cover four minutes.
	if s.Spans[probe.ClassOK] != 4*time.Minute {
		t.Errorf("raw summary covers %v of ok, want 4m (by time, not by count)", s.Spans[probe.ClassOK])
	}
	ss, err := c.Series(probe.TargetAPI, t0.Add(-time.Hour), t0.Add(time.Hour), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 2 || ss[0].Total() != 0 || ss[1].Counts[probe.ClassOK] != 5 || !ss[1].From.Equal(t0) || ss[1].Spans[probe.ClassOK] != 4*time.Minute {
		t.Errorf("raw series = %+v", ss)
	}
}

func rawAsk(t *testing.T, path, line string) string {
	t.Helper()
	conn, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte(line + "\n"))
	b, _ := io.ReadAll(conn)
	return string(b)
}

// An engine of protocol 1 answers the new ops "unknown op": the viewer
// gets ErrUnsupported at once, never a hang.
func TestOlderEngine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			bufio.NewReader(conn).ReadBytes('\n')
			conn.Write([]byte(`{"error":"unknown op"}` + "\n"))
			conn.Close()
		}
	})
	defer func() { ln.Close(); wg.Wait() }()

	c := &Client{path: path}
	if _, err := c.OfficialIncidents(5); !errors.Is(err, ErrUnsupported) {
		t.Errorf("official incidents: %v", err)
	}
	if _, err := c.LocalIncidents(5); !errors.Is(err, ErrUnsupported) {
		t.Errorf("local incidents: %v", err)
	}
	// Stats fall back to raw ranges, which this engine refuses too.
	if _, err := c.Summary(probe.TargetAPI, t0, t0.Add(time.Hour)); !errors.Is(err, ErrUnsupported) {
		t.Errorf("summary: %v", err)
	}
}

func TestEventsAreSanitised(t *testing.T) {
	r := start(t)
	c := dial(t, r)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events, err := c.Events(ctx, 4)
	if err != nil {
		t.Fatal(err)
	}
	waitSubscribed(t, r)
	r.mu.Lock()
	r.next.Official = []probe.Incident{hostileIncident(1)}
	r.next.LocalIncidents = []probe.LocalIncident{hostileLocal(1, true)}
	r.next.Local = &probe.LocalReport{
		APIURL: "https://api.anthropic.com" + hostile, StatusURL: hostile, ClaudeURL: hostile,
		Credentials: []probe.CredentialInfo{{Source: "ANTHROPIC_API_KEY" + hostile, Kind: hostile, Masked: "sk-ant-…" + hostile, Header: hostile, Where: hostile}},
		Checks:      []probe.LocalCheck{{ID: "dns" + hostile, Name: hostile, Level: probe.LocalWarn, Text: "slow" + hostile, Cause: hostile}},
	}
	r.mu.Unlock()
	r.publish("hi" + hostile)

	ev := <-events
	checkIncidents(t, "event official", ev.Official)
	checkLocal(t, "event local incidents", ev.LocalIncidents)
	if len(ev.Official) != 1 || len(ev.LocalIncidents) != 1 || ev.Local == nil || !clean(ev.Result.Message) {
		t.Fatalf("event = %+v", ev)
	}
	rep := ev.Local
	strs := []string{rep.APIURL, rep.StatusURL, rep.ClaudeURL}
	for _, cr := range rep.Credentials {
		strs = append(strs, cr.Source, cr.Kind, cr.Masked, cr.Header, cr.Where)
	}
	for _, ch := range rep.Checks {
		strs = append(strs, ch.ID, ch.Name, ch.Text, ch.Cause)
	}
	for _, s := range strs {
		if !clean(s) {
			t.Errorf("local report: escape survived in %q", s)
		}
	}
	if rep.Checks[0].Level != probe.LocalWarn || rep.Checks[0].Text != "slow" {
		t.Errorf("check = %+v", rep.Checks[0])
	}
}

// TestOneViewerIsLoggedOnce: a viewer opens more than one stream (its
// screen's and its notifications'); the engine's log says it attached once
// and detached once.
func TestOneViewerIsLoggedOnce(t *testing.T) {
	r := start(t)
	c, err := Dial(context.Background(), r.path, r.db)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var streams []<-chan probe.Event
	for range 2 {
		ev, err := c.Events(ctx, 4)
		if err != nil {
			t.Fatal(err)
		}
		streams = append(streams, ev)
		waitSubscribed(t, r)
	}
	cancel()
	for _, ev := range streams {
		for range ev {
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(r.log.String(), "viewer detached") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	log := r.log.String()
	if n := strings.Count(log, "viewer attached"); n != 1 {
		t.Errorf("%d lines say the viewer attached:\n%s", n, log)
	}
	if n := strings.Count(log, "viewer detached"); n != 1 {
		t.Errorf("%d lines say the viewer detached:\n%s", n, log)
	}
	if !strings.Contains(log, fmt.Sprintf("pid=%d", os.Getpid())) {
		t.Errorf("the log does not name the viewer's pid:\n%s", log)
	}
}

// TestProtocolMismatch: an engine of another protocol (here 1, whose local
// checks named catalogue entries) is refused with ErrProtocol, and the
// error says "version mismatch" and both protocols, not a lock or a parse
// failure.
func TestProtocolMismatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			bufio.NewReader(conn).ReadBytes('\n')
			conn.Write([]byte(`{"protocol":1,"version":"v0.9.0","db":"/x/history.db","pid":42}` + "\n"))
			conn.Close()
		}
	})
	defer func() { ln.Close(); wg.Wait() }()
	_, err = Dial(t.Context(), path, "")
	if !errors.Is(err, ErrProtocol) {
		t.Fatalf("dial an engine of protocol 1: %v, want ErrProtocol", err)
	}
	for _, want := range []string{"version mismatch", "v0.9.0", "protocol 1", fmt.Sprintf("protocol %d", ProtocolVersion)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
