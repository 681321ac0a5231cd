package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"downforai/probe"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func verdict(k probe.VerdictKind) probe.Verdict {
	v := probe.Verdict{Kind: k, Headline: k.String() + " headline", Facts: []string{"a fact"}}
	for _, s := range probe.Services() {
		v.Services = append(v.Services, probe.ServiceVerdict{Service: s, Kind: k, Official: "major_outage"})
	}
	return v
}

var maintenance = &probe.Status{Maintenances: []probe.Incident{{ID: "m", Status: "in_progress"}}}

func TestDecide(t *testing.T) {
	const (
		op     = probe.VerdictOperational
		out    = probe.VerdictOutage
		deg    = probe.VerdictDegraded
		unk    = probe.VerdictUnknown
		maintK = probe.VerdictMaintenance
	)
	type step struct {
		at     time.Duration
		kind   probe.VerdictKind
		stale  bool
		st     *probe.Status
		want   bool // a notification is sent
		remind bool
	}
	for _, tc := range []struct {
		name  string
		opts  Options
		steps []step
	}{
		{"the first verdict is the baseline", Options{}, []step{
			{0, out, false, nil, false, false},
			{time.Minute, out, false, nil, false, false},
		}},
		{"a change is sent at once without debounce", Options{}, []step{
			{0, op, false, nil, false, false},
			{time.Second, out, false, nil, true, false},
			{2 * time.Second, out, false, nil, false, false},
			{3 * time.Second, op, false, nil, true, false},
		}},
		{"debounce waits for the new verdict to hold", Options{Debounce: time.Minute}, []step{
			{0, op, false, nil, false, false},
			{10 * time.Second, out, false, nil, false, false},
			{40 * time.Second, out, false, nil, false, false},
			{70 * time.Second, out, false, nil, true, false}, // held 60 s
			{80 * time.Second, out, false, nil, false, false},
		}},
		{"a blip shorter than the debounce is never sent", Options{Debounce: time.Minute}, []step{
			{0, op, false, nil, false, false},
			{10 * time.Second, out, false, nil, false, false},
			{20 * time.Second, op, false, nil, false, false},
			{90 * time.Second, op, false, nil, false, false},
			{100 * time.Second, out, false, nil, false, false}, // the clock starts again
		}},
		{"a verdict that keeps changing is announced once it has differed for the debounce", Options{Debounce: time.Minute}, []step{
			{0, op, false, nil, false, false},
			{10 * time.Second, deg, false, nil, false, false},
			{50 * time.Second, out, false, nil, false, false},
			{70 * time.Second, out, false, nil, true, false}, // bad since 10 s: announced as it is now
			{110 * time.Second, out, false, nil, false, false},
		}},
		{"flapping between two bad verdicts is announced once", Options{Debounce: time.Minute}, []step{
			{0, op, false, nil, false, false},
			{2 * time.Second, deg, false, nil, false, false},
			{4 * time.Second, out, false, nil, false, false},
			{30 * time.Second, deg, false, nil, false, false},
			{62 * time.Second, out, false, nil, true, false},
			{64 * time.Second, deg, false, nil, false, false},
			{66 * time.Second, out, false, nil, false, false}, // back to the announced one: the clock resets
			{128 * time.Second, deg, false, nil, false, false},
			{130 * time.Second, out, false, nil, false, false},
		}},
		{"unknown and stale verdicts say nothing", Options{}, []step{
			{0, op, false, nil, false, false},
			{time.Second, unk, false, nil, false, false},
			{2 * time.Second, out, true, nil, false, false},
			{3 * time.Second, op, false, nil, false, false},
		}},
		{"reminders repeat a bad verdict", Options{Remind: 10 * time.Minute}, []step{
			{0, op, false, nil, false, false},
			{time.Minute, out, false, nil, true, false},
			{5 * time.Minute, out, false, nil, false, false},
			{11 * time.Minute, out, false, nil, true, true},
			{15 * time.Minute, out, false, nil, false, false},
			{21 * time.Minute, out, false, nil, true, true},
			{22 * time.Minute, op, false, nil, true, false},
			{40 * time.Minute, op, false, nil, false, false}, // never remind that all is well
		}},
		{"quiet during maintenance, and its end is not news", Options{QuietMaintenance: true}, []step{
			{0, op, false, nil, false, false},
			{time.Minute, maintK, false, maintenance, false, false},
			{2 * time.Minute, deg, false, maintenance, false, false},
			{3 * time.Minute, op, false, nil, true, false}, // degraded → operational was not announced as degraded
			{4 * time.Minute, out, false, nil, true, false},
		}},
		{"maintenance is announced when not quiet", Options{}, []step{
			{0, op, false, nil, false, false},
			{time.Minute, maintK, false, maintenance, true, false},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := New(tc.opts)
			defer n.Close()
			for i, s := range tc.steps {
				v := verdict(s.kind)
				v.Stale = s.stale
				note, sent := n.decide(t0.Add(s.at), v, s.st)
				if sent != s.want {
					t.Fatalf("step %d (%v at %v): sent = %v, want %v", i, s.kind, s.at, sent, s.want)
				}
				if sent && note.Reminder != s.remind {
					t.Errorf("step %d: reminder = %v, want %v", i, note.Reminder, s.remind)
				}
				if sent && note.Kind != s.kind {
					t.Errorf("step %d: kind = %v", i, note.Kind)
				}
			}
		})
	}
}

func TestTerminal(t *testing.T) {
	note := Notification{Title: "downforai: Anthropic outage; now", Body: "bad\x07\x1b]9;pwn\x07 day"}
	for _, tc := range []struct {
		name string
		term Terminal
		want string
	}{
		{"bell", Terminal{Bell: true}, "\a"},
		{"osc", Terminal{OSC: true}, "\x1b]9;downforai: bad day\x07" +
			"\x1b]777;notify;downforai: Anthropic outage, now;bad day\x07"},
		{"off", Terminal{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			tc.term.W = &b
			if err := tc.term.Send(context.Background(), note); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Errorf("wrote %q\n want %q", b.String(), tc.want)
			}
		})
	}
}

// sinkFunc adapts a func to Sink.
type sinkFunc func(context.Context, Notification) error

func (f sinkFunc) Send(ctx context.Context, n Notification) error { return f(ctx, n) }

func TestNotifierDeliversToEverySinkAndNeverBlocks(t *testing.T) {
	n := New(Options{})
	got := make(chan string, 1000)
	put := func(s string) {
		select {
		case got <- s:
		default:
		}
	}
	n.Add(sinkFunc(func(_ context.Context, note Notification) error { put("a:" + note.Kind.Key()); return nil }))
	removeB := n.Add(sinkFunc(func(_ context.Context, note Notification) error { put("b:" + note.Kind.Key()); return nil }))
	// A sink that hangs until shutdown must not hold up Observe.
	n.Add(sinkFunc(func(ctx context.Context, _ Notification) error { <-ctx.Done(); return ctx.Err() }))

	n.Observe(t0, nil, verdict(probe.VerdictOperational), nil)
	n.Observe(t0.Add(time.Second), nil, verdict(probe.VerdictOutage), nil)
	seen := map[string]bool{<-got: true, <-got: true}
	if !seen["a:outage"] || !seen["b:outage"] {
		t.Errorf("delivered %v", seen)
	}
	removeB()
	removeB()                  // idempotent
	for i := 0; i < 100; i++ { // far more than any queue holds
		k := probe.VerdictOperational
		if i%2 == 0 {
			k = probe.VerdictLocalNetwork
		}
		n.Observe(t0.Add(time.Duration(i+2)*time.Second), nil, verdict(k), nil)
	}
	n.Close()
	close(got)
	for s := range got {
		if strings.HasPrefix(s, "b:") {
			t.Errorf("removed sink got %s", s)
		}
	}
}

// receiver is a local webhook endpoint that fails the first n requests
// with status.
type receiver struct {
	mu     sync.Mutex
	bodies [][]byte
	fail   int
	status int
	hang   bool
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.bodies = append(r.bodies, b)
	fail, hang := r.fail > 0, r.hang
	if fail {
		r.fail--
	}
	r.mu.Unlock()
	if req.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "want json", http.StatusUnsupportedMediaType)
		return
	}
	if hang {
		<-req.Context().Done()
		return
	}
	if fail {
		w.WriteHeader(r.status)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies)
}

func sample() Notification {
	v := verdict(probe.VerdictOutage)
	return Notification{Time: t0, Kind: probe.VerdictOutage, Previous: probe.VerdictOperational,
		Title: "downforai: Anthropic outage", Body: "Anthropic outage: Claude API.", Facts: v.Facts, Services: v.Services, Host: "ops-1"}
}

func TestWebhookGenericPayload(t *testing.T) {
	rcv := &receiver{}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	w := Webhook{URL: srv.URL + "/hook/SECRET"}
	if err := w.Send(context.Background(), sample()); err != nil {
		t.Fatal(err)
	}
	if rcv.count() != 1 {
		t.Fatalf("%d requests", rcv.count())
	}
	var p GenericPayload
	if err := json.Unmarshal(rcv.bodies[0], &p); err != nil {
		t.Fatal(err)
	}
	if p.Source != "downforai" || p.Event != "verdict_changed" || p.Verdict != "outage" || p.Previous != "operational" ||
		p.Host != "ops-1" || len(p.Services) != len(probe.Services()) || p.Services[1].Service != "api" || !p.Time.Equal(t0) {
		t.Errorf("payload %+v", p)
	}
}

// attemptCounter counts the attempts the client makes: the receiver's
// count races a timed-out attempt (the client may give up before the
// handler runs), the client's own does not.
type attemptCounter struct {
	mu sync.Mutex
	n  int
}

func (c *attemptCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (c *attemptCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func TestWebhookRetries(t *testing.T) {
	for _, tc := range []struct {
		name     string
		rcv      *receiver
		attempts int
		ok       bool
	}{
		{"two 503s then success", &receiver{fail: 2, status: 503}, 3, true},
		{"429 is retried", &receiver{fail: 1, status: 429}, 2, true},
		{"gives up after the last attempt", &receiver{fail: 5, status: 500}, 3, false},
		{"a 400 is not retried", &receiver{fail: 5, status: 400}, 1, false},
		{"a receiver that never answers times out", &receiver{hang: true}, 3, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.rcv)
			defer srv.Close()
			// Only the receiver that never answers meets the per-attempt
			// timeout; the others answer, however slow the machine (a
			// minute is a hang guard, not a budget).
			timeout := time.Minute
			if tc.rcv.hang {
				timeout = 50 * time.Millisecond
			}
			rt := &attemptCounter{}
			w := Webhook{URL: srv.URL + "/services/T0/B0/SECRETPART", Timeout: timeout, Client: &http.Client{Transport: rt},
				Backoff: func(int) time.Duration { return time.Millisecond }}
			err := w.Send(context.Background(), sample())
			if (err == nil) != tc.ok {
				t.Errorf("err = %v", err)
			}
			if n := rt.count(); n != tc.attempts {
				t.Errorf("%d attempts, want %d", n, tc.attempts)
			}
			if err != nil && strings.Contains(err.Error(), "SECRETPART") {
				t.Errorf("error leaks the webhook URL: %v", err)
			}
		})
	}
}

func TestWebhookFlavours(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want Flavour
		key  string
	}{
		{"https://hooks.slack.com/services/T0/B0/x", Slack, "text"},
		{"https://discord.com/api/webhooks/1/x", Discord, "content"},
		{"https://discordapp.com/api/webhooks/1/x", Discord, "content"},
		{"https://discord.com/not-a-webhook", Generic, "verdict"},
		{"https://example.org/hook", Generic, "verdict"},
	} {
		if got := FlavourOf(tc.url); got != tc.want {
			t.Errorf("%s: flavour %v, want %v", tc.url, got, tc.want)
		}
		b, err := Webhook{URL: tc.url}.Payload(sample())
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(b, &m)
		if _, ok := m[tc.key]; !ok {
			t.Errorf("%s: payload lacks %q: %s", tc.url, tc.key, b)
		}
		if tc.want != Generic && !strings.Contains(string(b), "ops-1") {
			t.Errorf("%s: chat text should name the host: %s", tc.url, b)
		}
	}
	if r := Redact("https://hooks.slack.com/services/T0/B0/secret"); strings.Contains(r, "secret") || !strings.Contains(r, "hooks.slack.com") {
		t.Errorf("redact = %q", r)
	}
}

// End to end: a verdict change reaches a local receiver through the
// Notifier, and Observe returned long before.
func TestNotifierToWebhook(t *testing.T) {
	rcv := &receiver{}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	n := New(Options{Host: "ops-1"})
	n.Add(Webhook{URL: srv.URL})
	n.Observe(t0, nil, verdict(probe.VerdictOperational), nil)
	n.Observe(t0.Add(time.Second), nil, verdict(probe.VerdictLocalNetwork), nil)
	deadline := time.Now().Add(30 * time.Second) // a hang guard, not a budget
	for rcv.count() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	n.Close()
	if rcv.count() != 1 {
		t.Fatalf("%d deliveries", rcv.count())
	}
	if !bytes.Contains(rcv.bodies[0], []byte(`"verdict":"local_network"`)) {
		t.Errorf("body %s", rcv.bodies[0])
	}
}

func TestDesktop(t *testing.T) {
	var title string
	d := Desktop{notify: func(t, _ string) error { title = t; return errors.New("no bus") }}
	if err := d.Send(context.Background(), sample()); err == nil || title != "downforai: Anthropic outage" {
		t.Errorf("err %v title %q", err, title)
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if HasDesktop(env(map[string]string{"DISPLAY": ":0", "SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22"})) {
		t.Error("a desktop over ssh")
	}
}

// TestFlushDeliversWhatIsQueued: Close abandons the queue, Flush waits
// for it — a slow sink still gets the last verdict's notification before
// Flush returns (the ui agreement test read an older one under load).
func TestFlushDeliversWhatIsQueued(t *testing.T) {
	n := New(Options{})
	var mu sync.Mutex
	var got []probe.VerdictKind
	n.Add(sinkFunc(func(_ context.Context, note Notification) error {
		time.Sleep(5 * time.Millisecond) // slower than Observe
		mu.Lock()
		got = append(got, note.Kind)
		mu.Unlock()
		return nil
	}))
	n.Observe(t0, nil, verdict(probe.VerdictOperational), nil)
	n.Observe(t0.Add(time.Minute), nil, verdict(probe.VerdictOutage), nil)
	n.Observe(t0.Add(2*time.Minute), nil, verdict(probe.VerdictOperational), nil)
	n.Flush(context.Background())
	n.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[1] != probe.VerdictOperational {
		t.Errorf("delivered %v, want outage then operational", got)
	}
	// After Close, Flush returns at once.
	n.Flush(context.Background())
}
