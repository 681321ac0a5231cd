package notify

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"downforai/probe"
	"downforai/probe/watch"
)

// countingTransport answers every webhook POST with 204 and remembers when
// it came (simulated time).
type countingTransport struct {
	mu sync.Mutex
	at []time.Time
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	c.mu.Lock()
	c.at = append(c.at, time.Now())
	c.mu.Unlock()
	return &http.Response{StatusCode: http.StatusNoContent, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
}

// bellCounter is a terminal that notes when a bell rang.
type bellCounter struct {
	mu    sync.Mutex
	bells []time.Time
	osc   int
}

func (b *bellCounter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for range bytes.Count(p, []byte("\a")) - bytes.Count(p, []byte("\x1b]")) {
		b.bells = append(b.bells, time.Now())
	}
	b.osc += bytes.Count(p, []byte("\x1b]9;"))
	return len(p), nil
}

// TestFlappingAPIIsAnnouncedAtMostAsTheDebounceAllows runs ten simulated
// minutes of the real chain — engine, watch, verdict, notifier — while the
// API alternates every 2 s between answering and failing with 500s (the
// status page all green): the bell, OSC and webhook fire no more than the
// debounce allows (each announcement needs the verdict to have differed
// from the last one announced for the debounce, so at most one per
// debounce period, plus reminders), the same number of times each, never
// the same verdict twice as news — and at least once: ten minutes of an
// API failing half the time are news.
func TestFlappingAPIIsAnnouncedAtMostAsTheDebounceAllows(t *testing.T) {
	for _, tc := range []struct {
		name             string
		debounce, remind time.Duration
	}{
		{"default debounce", time.Minute, 0},
		{"short debounce with reminders", 10 * time.Second, time.Minute},
		{"no debounce", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				apiUp := func() bool { return (time.Since(start)/(2*time.Second))%2 == 0 }
				checks := []probe.Check{
					{Target: probe.TargetAPI, Interval: time.Second, Run: func(context.Context) probe.Event {
						r := probe.Result{Target: probe.TargetAPI, Time: time.Now(), Class: probe.ClassOK, HTTPStatus: 401}
						if !apiUp() {
							r.Class, r.HTTPStatus, r.Message = probe.ClassServer, 500, "500 Internal Server Error"
						}
						return probe.Event{Result: r}
					}},
					{Target: probe.TargetStatus, Interval: 5 * time.Second, Run: func(context.Context) probe.Event {
						now := time.Now()
						st := &probe.Status{Fetched: now, Indicator: "none", Description: "All Systems Operational"}
						for _, s := range probe.Services() {
							st.Components = append(st.Components, probe.Component{ID: s.ComponentID, Name: s.Name, Status: "operational"})
						}
						return probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: now, Class: probe.ClassOK, HTTPStatus: 200}, Status: st}
					}},
				}
				eng := probe.NewEngine(checks, nil, probe.WithJitter(func(time.Duration) time.Duration { return 0 }))

				hooks := &countingTransport{}
				term := &bellCounter{}
				n := New(Options{Debounce: tc.debounce, Remind: tc.remind, Bell: true, OSC: true})
				n.Add(Webhook{URL: "https://hooks.example/x", Client: &http.Client{Transport: hooks}})
				n.AddTerminal(term)
				var notes []Notification
				var mu sync.Mutex
				n.Add(sinkFunc(func(_ context.Context, note Notification) error {
					mu.Lock()
					notes = append(notes, note)
					mu.Unlock()
					return nil
				}))

				const span = 10 * time.Minute
				ctx, cancel := context.WithTimeout(t.Context(), span)
				defer cancel()
				events, unsubscribe := eng.Subscribe(256)
				tr := watch.NewTracker(time.Minute)
				var wg sync.WaitGroup
				wg.Go(func() { watch.Run(ctx, events, tr, 15*time.Second, time.Now, n) })
				eng.Run(ctx)
				unsubscribe()
				wg.Wait()
				synctest.Wait()
				n.Close()

				mu.Lock()
				defer mu.Unlock()
				kinds := make([]string, len(notes))
				for i, note := range notes {
					kinds[i] = note.Time.Sub(start).String() + " " + note.Kind.Key()
				}
				t.Logf("%d announcements in %s: %v", len(notes), span, kinds)
				// Announcements (changes and reminders) need the verdict to
				// have held for the debounce; with none, each flip may be
				// one, but never more than one per flip.
				limit := int(span / max(tc.debounce, 2*time.Second))
				if tc.remind > 0 {
					limit += int(span / tc.remind)
				}
				if len(notes) == 0 {
					// The API failed half the time for ten minutes: silence
					// would be a false all-clear.
					t.Error("ten minutes of a flapping API were never announced")
				}
				if len(notes) > limit {
					t.Errorf("%d announcements in %s; the debounce of %s allows at most %d", len(notes), span, tc.debounce, limit)
				}
				for i := 1; i < len(notes); i++ {
					if gap := notes[i].Time.Sub(notes[i-1].Time); gap < tc.debounce && !notes[i].Reminder {
						t.Errorf("announcements %d and %d only %s apart", i-1, i, gap)
					}
					if !notes[i].Reminder && notes[i].Kind == notes[i-1].Kind {
						t.Errorf("announcement %d repeats %s as news", i, notes[i].Kind)
					}
				}
				hooks.mu.Lock()
				term.mu.Lock()
				if len(hooks.at) != len(notes) || len(term.bells) != len(notes) || term.osc != len(notes) {
					t.Errorf("announcements %d, webhook posts %d, bells %d, OSC %d: every sink must get each one once",
						len(notes), len(hooks.at), len(term.bells), term.osc)
				}
				term.mu.Unlock()
				hooks.mu.Unlock()
			})
		})
	}
}
