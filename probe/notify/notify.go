// Package notify tells people when the verdict changes: a terminal bell,
// OSC 9 and OSC 777 notifications (written into each viewer's own output,
// so they reach the user's terminal through ssh), a desktop notification
// where a desktop session exists, and a webhook (Slack, Discord or generic
// JSON).
//
// Only changes are announced, after a debounce: the verdict must have
// differed from the one last announced for Options.Debounce before the
// verdict of that moment is sent, so one bad probe does not page anyone,
// and a verdict flapping between two bad kinds is still announced once
// instead of never. The first verdict after start is the baseline, never announced.
// Optional reminders repeat a bad verdict every Options.Remind. While
// Anthropic announces a maintenance in progress, nothing is sent (if
// Options.QuietMaintenance) but the state still follows, so the end of
// the maintenance is not announced as news either.
//
// Delivery never blocks the engine: every sink has its own goroutine and a
// small queue that drops when full.
package notify

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"downforai/probe"
)

// Notification is one announcement.
type Notification struct {
	Time     time.Time
	Kind     probe.VerdictKind // the verdict now
	Previous probe.VerdictKind // the verdict announced before
	Reminder bool              // a repeat of an unchanged verdict
	Title    string            // "downforai: Anthropic outage"
	Body     string            // the verdict's headline
	Facts    []string
	Services []probe.ServiceVerdict
	Host     string // the machine that saw it
}

// Sink delivers notifications somewhere. Send may block (a webhook does);
// the Notifier calls it from the sink's own goroutine.
type Sink interface {
	Send(ctx context.Context, n Notification) error
}

// Options tune the Notifier.
type Options struct {
	Debounce         time.Duration // how long the verdict must differ from the one announced before it is announced
	Remind           time.Duration // repeat a bad verdict this often; 0: never
	QuietMaintenance bool          // send nothing while a maintenance is in progress
	Host             string        // put into notifications (webhooks from many boxes)
	Logger           *slog.Logger  // delivery failures; nil discards

	// Bell and OSC are what AddTerminal writes to each terminal.
	Bell, OSC bool
}

// Config is the user's choice of notifications, for Start.
type Config struct {
	Options
	Desktop bool   // a desktop notification (only where HasDesktop)
	Webhook string // "" for none
}

// Start returns a Notifier with the desktop and webhook sinks c asks for;
// terminals are added one by one with AddTerminal.
func Start(c Config) *Notifier {
	n := New(c.Options)
	if c.Desktop {
		n.Add(Desktop{})
	}
	if c.Webhook != "" {
		n.Add(Webhook{URL: c.Webhook})
	}
	return n
}

// AddTerminal adds a Terminal sink writing to w with the Bell and OSC
// options; with both off it adds nothing. The func removes it.
func (n *Notifier) AddTerminal(w io.Writer) (remove func()) {
	if !n.opts.Bell && !n.opts.OSC {
		return func() {}
	}
	return n.Add(Terminal{W: w, Bell: n.opts.Bell, OSC: n.opts.OSC})
}

// queueLen is each sink's queue; notifications are rare, so a full queue
// means a stuck sink, and dropping is right.
const queueLen = 8

// Notifier decides what to announce and hands it to every sink.
// Observe and Add are safe for concurrent use.
type Notifier struct {
	opts Options
	log  *slog.Logger

	// decision state, guarded by mu
	mu        sync.Mutex
	known     bool
	announced probe.VerdictKind
	candidate probe.VerdictKind
	since     time.Time
	lastSent  time.Time

	workers map[int]*worker
	nextID  int
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

type worker struct {
	sink Sink
	q    chan queued
	stop chan struct{}
}

// queued is one notification for a sink, or (flushed set) Flush's marker:
// the queue is first in, first out, so when the worker reaches the marker
// everything queued before it has been handed to the sink.
type queued struct {
	note    Notification
	flushed chan struct{}
}

// New returns a Notifier without sinks.
func New(o Options) *Notifier {
	ctx, cancel := context.WithCancel(context.Background())
	n := &Notifier{opts: o, log: o.Logger, workers: make(map[int]*worker), ctx: ctx, cancel: cancel}
	if n.log == nil {
		n.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return n
}

// Add starts delivering to s; the returned func stops it (idempotent).
func (n *Notifier) Add(s Sink) (remove func()) {
	w := &worker{sink: s, q: make(chan queued, queueLen), stop: make(chan struct{})}
	n.mu.Lock()
	id := n.nextID
	n.nextID++
	n.workers[id] = w
	n.mu.Unlock()
	n.wg.Go(func() {
		for {
			select {
			case <-w.stop:
				return
			case <-n.ctx.Done():
				return
			case it := <-w.q:
				if it.flushed != nil {
					close(it.flushed)
					continue
				}
				note := it.note
				if err := s.Send(n.ctx, note); err != nil && n.ctx.Err() == nil {
					n.log.Warn("notification not delivered", "sink", fmt.Sprintf("%T", s), "err", err)
				}
			}
		}
	})
	var once sync.Once
	return func() {
		once.Do(func() {
			n.mu.Lock()
			delete(n.workers, id)
			n.mu.Unlock()
			close(w.stop)
		})
	}
}

// Flush waits until every notification queued before it has been handed
// to its sink (or ctx ends, or the Notifier closes): Close alone abandons
// what is queued, so a caller that must know what was delivered — a test
// comparing the last notification with the banner — flushes first.
func (n *Notifier) Flush(ctx context.Context) {
	n.mu.Lock()
	ws := make([]*worker, 0, len(n.workers))
	for _, w := range n.workers {
		ws = append(ws, w)
	}
	n.mu.Unlock()
	for _, w := range ws {
		done := make(chan struct{})
		select {
		case w.q <- queued{flushed: done}:
		case <-w.stop:
			continue
		case <-n.ctx.Done():
			return
		case <-ctx.Done():
			return
		}
		select {
		case <-done:
		case <-w.stop:
		case <-n.ctx.Done():
			return
		case <-ctx.Done():
			return
		}
	}
}

// Close stops every sink, abandoning what is queued, and waits for them.
func (n *Notifier) Close() {
	n.cancel()
	n.wg.Wait()
}

// Observe implements watch.Observer.
func (n *Notifier) Observe(now time.Time, _ *probe.Event, v probe.Verdict, st *probe.Status) {
	n.mu.Lock()
	defer n.mu.Unlock()
	note, ok := n.decide(now, v, st)
	if !ok {
		return
	}
	for _, w := range n.workers {
		select {
		case w.q <- queued{note: note}:
		default:
			n.log.Warn("notification dropped: sink is behind", "sink", fmt.Sprintf("%T", w.sink))
		}
	}
}

// decide runs the state machine; n.mu is held.
func (n *Notifier) decide(now time.Time, v probe.Verdict, st *probe.Status) (Notification, bool) {
	k := v.Kind
	if k == probe.VerdictUnknown || v.Stale {
		// No data, or old data: nothing new to say either way.
		return Notification{}, false
	}
	if !n.known {
		n.known, n.announced, n.candidate, n.lastSent = true, k, k, now
		return Notification{}, false
	}
	quiet := n.opts.QuietMaintenance && (maintenanceActive(st) || k == probe.VerdictMaintenance)
	if k == n.announced {
		n.candidate, n.since = k, time.Time{}
		if n.opts.Remind > 0 && k != probe.VerdictOperational && now.Sub(n.lastSent) >= n.opts.Remind {
			n.lastSent = now
			if quiet {
				return Notification{}, false
			}
			return n.note(now, v, n.announced, true), true
		}
		return Notification{}, false
	}
	// The debounce runs from the first moment the verdict left the one
	// announced, whatever it became since: a verdict flapping between two
	// bad kinds (degraded, outage, degraded …) has been bad all along and
	// is announced — as what it is at that moment — once it has been so
	// for the debounce. Only a return to the announced verdict resets it.
	if n.since.IsZero() {
		n.since = now
	}
	n.candidate = k
	if now.Sub(n.since) < n.opts.Debounce {
		return Notification{}, false
	}
	n.since = time.Time{}
	prev := n.announced
	n.announced, n.lastSent = k, now
	if quiet {
		return Notification{}, false
	}
	return n.note(now, v, prev, false), true
}

func (n *Notifier) note(now time.Time, v probe.Verdict, prev probe.VerdictKind, reminder bool) Notification {
	title := "downforai: " + v.Title()
	switch {
	case reminder:
		title += " (still)"
	case v.Kind == probe.VerdictOperational:
		title = "downforai: back to operational"
	}
	return Notification{
		Time: now, Kind: v.Kind, Previous: prev, Reminder: reminder,
		Title: title, Body: probe.Line(v.Headline, 200), Facts: append([]string(nil), v.Facts...),
		Services: append([]probe.ServiceVerdict(nil), v.Services...),
		Host:     probe.Line(n.opts.Host, 64),
	}
}

func maintenanceActive(st *probe.Status) bool {
	if st == nil {
		return false
	}
	for _, m := range st.Maintenances {
		if m.Status == "in_progress" || m.Status == "verifying" {
			return true
		}
	}
	return false
}

// Terminal writes a bell and/or OSC 9 and OSC 777 notifications to w, a
// program's serialised output (ui.Output), so they land between frames.
type Terminal struct {
	W    io.Writer
	Bell bool // BEL
	OSC  bool // OSC 9 (iTerm2, WezTerm, Windows Terminal …) and OSC 777 (rxvt, foot, Ghostty …)
}

// Send implements Sink.
func (t Terminal) Send(_ context.Context, n Notification) error {
	var b strings.Builder
	if t.OSC {
		body := oscText(n.Body)
		// OSC 9 has one text: the headline already names the verdict.
		lead := "downforai: "
		if n.Reminder {
			lead = "downforai (still): "
		}
		b.WriteString("\x1b]9;" + lead + body + "\x07")
		b.WriteString("\x1b]777;notify;" + strings.ReplaceAll(oscText(n.Title), ";", ",") + ";" + body + "\x07")
	}
	if t.Bell {
		b.WriteString("\a")
	}
	if b.Len() == 0 {
		return nil
	}
	_, err := io.WriteString(t.W, b.String())
	return err
}

// oscText keeps a notification text from ending or escaping its sequence.
func oscText(s string) string { return probe.Line(s, 160) }
