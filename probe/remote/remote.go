// Package remote lets a second downforai on the same machine watch the
// engine of a running one (`downforai serve` or a dashboard) over a unix
// socket beside the database, instead of failing on the database lock.
//
// The protocol is JSON lines. Every connection starts with one request line
// from the client; the server answers and, except for subscribe, closes:
//
//	{"op":"hello"}                                   → Hello
//	{"op":"recent","target":"api","n":30}            → {"results":[Result…]}
//	{"op":"range","target":"api","from":T,"to":T}    → {"results":[Result…]}
//	{"op":"status"}                                  → {"status":Status,"ok":true}
//	{"op":"summary","target":"api","from":T,"to":T}  → {"summary":Summary}
//	{"op":"series","target":"api","from":T,"to":T,"step":D} → {"series":[Summary…]}
//	{"op":"local_incidents","n":500}                 → {"local":[LocalIncident…]}
//	{"op":"open_local_incidents"}                    → {"local":[LocalIncident…]}
//	{"op":"official_incidents","n":500}              → {"incidents":[Incident…]}
//	{"op":"subscribe"}                               → {"event":Event} per line, until either side closes
//	{"op":"db_stats"}, {"op":"export",…}             → see dump.go
//
// A failed request is answered {"error":"…"}; one the engine's history
// cannot answer (no rollups, no incidents) also carries "unsupported":true.
// Results, statuses, summaries, incidents and events are probe's own types
// in encoding/json's default form (a step D is nanoseconds). The Client
// implements probe.History, probe.HistoryStats and probe.IncidentHistory,
// so a viewer's dashboard reads through it exactly as it would from the
// store.
//
// The summary, series and incident ops came after protocol 1 without a
// bump: they only add ops and fields, which an older viewer never asks for
// or ignores. An older engine answers them {"error":"unknown op"}, which
// the Client reports as ErrUnsupported.
//
// The socket is created 0600 in the 0700 state directory: only the user
// who runs the engine can connect.
package remote

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"downforai/probe"
)

// ProtocolVersion is bumped on any incompatible change; a client refuses a
// server that speaks another (ErrProtocol).
//
//  1. the first.
//  2. a local check carries its class and cause (LocalCheck.Class, Cause)
//     instead of the id of a catalogue entry: an engine of protocol 1
//     would send checks a newer viewer reads as finding nothing.
const ProtocolVersion = 2

// SocketPath is the socket of the engine that owns the database at db.
func SocketPath(db string) string { return db + ".sock" }

// DBName is how Hello names the database at db: its absolute path, so a
// viewer and the engine agree however each was given the file.
func DBName(db string) string {
	if a, err := filepath.Abs(db); err == nil {
		return a
	}
	return db
}

// Hello is the server's answer to "hello".
type Hello struct {
	Protocol int            `json:"protocol"`
	Version  string         `json:"version"` // downforai version of the engine
	DB       string         `json:"db"`      // database file the engine owns
	PID      int            `json:"pid"`
	Targets  []probe.Target `json:"targets"`
	// StaleAfter is how old the engine's newest data may be before it is
	// stale, from the engine's own intervals (a viewer's flags may differ).
	StaleAfter time.Duration `json:"stale_after,omitempty"`
	// RecoverThreshold is the engine's --recover-threshold, so a viewer's
	// banner recovers when the engine's incident closes.
	RecoverThreshold int `json:"recover_threshold,omitempty"`
	// Horizon is the engine's judge.Horizon: how far back, from a viewer's
	// start, recorded results count in its verdict.
	Horizon time.Duration `json:"horizon,omitempty"`
	// MetricsAddr is where the engine serves /metrics, "" for nowhere; nil
	// from an engine too old to say (a viewer never binds the address
	// itself: /metrics is the engine's).
	MetricsAddr *string `json:"metrics_addr"`
}

type request struct {
	Op     string        `json:"op"`
	Target probe.Target  `json:"target,omitempty"`
	N      int           `json:"n,omitempty"`
	From   time.Time     `json:"from,omitzero"`
	To     time.Time     `json:"to,omitzero"`
	Step   time.Duration `json:"step,omitempty"`
	// Viewer is the process id of the viewer subscribing (one viewer may
	// hold more than one subscription); 0 from older viewers.
	Viewer int `json:"viewer,omitempty"`
}

type response struct {
	Error       string                `json:"error,omitempty"`
	Unsupported bool                  `json:"unsupported,omitempty"`
	Results     []probe.Result        `json:"results,omitempty"`
	Status      *probe.Status         `json:"status,omitempty"`
	OK          bool                  `json:"ok,omitempty"`
	Event       *probe.Event          `json:"event,omitempty"`
	Summary     *probe.Summary        `json:"summary,omitempty"`
	Series      []probe.Summary       `json:"series,omitempty"`
	Local       []probe.LocalIncident `json:"local,omitempty"`
	Incidents   []probe.Incident      `json:"incidents,omitempty"`
}

// unknownOp is the answer to an op the engine does not know; engines of
// protocol 1 send it for every op added since.
const unknownOp = "unknown op"

// maxIncidents bounds the incidents one answer holds, whatever n the
// viewer asked for (n <= 0 means all to the store).
const maxIncidents = 1000

// maxSeriesSteps bounds the steps of one series: a year of hours and then
// some. The store allocates one Summary per step before it reads, so a
// zero "from" must not make it allocate millions.
const maxSeriesSteps = 10_000

// maxLine bounds one request line the server reads.
const maxLine = 64 << 10

// writeTimeout is how long the server waits for a viewer to take one line
// before it gives up on that viewer.
const writeTimeout = 10 * time.Second

// ErrInUse means another engine answers on the socket already.
var ErrInUse = errors.New("another downforai engine answers on the socket")

// Listen creates the socket at path, mode 0600. A socket file left behind
// by an engine that died is replaced; one that answers is not (ErrInUse).
func Listen(path string) (net.Listener, error) {
	if _, err := os.Lstat(path); err == nil {
		c, err := net.DialTimeout("unix", path, time.Second)
		if err == nil {
			c.Close()
			return nil, fmt.Errorf("%s: %w", path, ErrInUse)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("remove stale socket %s: %w", path, err)
		}
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("chmod socket %s: %w", path, err)
	}
	return ln, nil
}

// Server answers viewers from the engine's history and events.
type Server struct {
	Hello     Hello
	History   probe.History
	Subscribe func(buf int) (<-chan probe.Event, func())
	// Dumper answers db_stats and export; nil answers them unsupported.
	Dumper Dumper
	Logger *slog.Logger // nil discards

	mu      sync.Mutex
	viewers map[int]int // subscriptions open, by viewer pid
}

// Serve accepts viewers on ln until ctx ends, then closes ln and every
// connection and waits for their goroutines. It removes a unix socket file
// it is listening on when it returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	log := s.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := make(map[net.Conn]struct{})
	stop := context.AfterFunc(ctx, func() {
		ln.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	defer stop()
	var err error
	for {
		c, aerr := ln.Accept()
		if aerr != nil {
			if ctx.Err() == nil {
				err = aerr
			}
			break
		}
		mu.Lock()
		if ctx.Err() != nil {
			mu.Unlock()
			c.Close()
			break
		}
		conns[c] = struct{}{}
		mu.Unlock()
		wg.Go(func() {
			defer func() {
				c.Close()
				mu.Lock()
				delete(conns, c)
				mu.Unlock()
			}()
			s.handle(c, log)
		})
	}
	ln.Close()
	wg.Wait()
	return err
}

// track counts a viewer's subscriptions and reports whether this one is
// its first (delta +1) or its last (-1): one viewer, one line in the log,
// however many streams it opens. A viewer without a pid counts alone.
func (s *Server) track(viewer, delta int) bool {
	if viewer == 0 {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.viewers == nil {
		s.viewers = make(map[int]int)
	}
	s.viewers[viewer] += delta
	n := s.viewers[viewer]
	if n <= 0 {
		delete(s.viewers, viewer)
	}
	return (delta > 0 && n == 1) || (delta < 0 && n <= 0)
}

func viewerAttrs(viewer int) []any {
	if viewer == 0 {
		return nil
	}
	return []any{"pid", viewer}
}

func (s *Server) handle(c net.Conn, log *slog.Logger) {
	c.SetReadDeadline(time.Now().Add(writeTimeout))
	rd := bufio.NewReaderSize(io.LimitReader(c, maxLine), 4096)
	line, err := rd.ReadBytes('\n')
	if err != nil {
		return
	}
	c.SetReadDeadline(time.Time{})
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		writeLine(c, response{Error: "bad request"})
		return
	}
	switch req.Op {
	case "hello":
		writeLine(c, s.Hello)
	case "recent":
		rs, err := s.History.Recent(req.Target, req.N)
		writeLine(c, resultsOrError(rs, err))
	case "range":
		rs, err := s.History.Range(req.Target, req.From, req.To)
		writeLine(c, resultsOrError(rs, err))
	case "status":
		st, ok, err := s.History.LatestStatus()
		if err != nil {
			writeLine(c, errorResponse(err))
			return
		}
		r := response{OK: ok}
		if ok {
			r.Status = &st
		}
		writeLine(c, r)
	case "summary", "series":
		writeLine(c, s.stats(req))
	case "local_incidents", "open_local_incidents", "official_incidents":
		writeLine(c, s.incidents(req))
	case "subscribe":
		s.stream(c, req.Viewer, log)
	case "db_stats", "export":
		s.dump(c, req.Op, line)
	default:
		writeLine(c, response{Error: unknownOp})
	}
}

func unsupported(op string) response {
	return response{Error: op + ": not supported by this engine", Unsupported: true}
}

func errorResponse(err error) response {
	return response{Error: probe.Line(err.Error(), 200)}
}

// stats answers summary and series from the History's rollups.
func (s *Server) stats(req request) response {
	hs, ok := s.History.(probe.HistoryStats)
	if !ok {
		return unsupported(req.Op)
	}
	if req.Op == "summary" {
		sum, err := hs.Summary(req.Target, req.From, req.To)
		if err != nil {
			return errorResponse(err)
		}
		return response{Summary: &sum}
	}
	if err := checkSeries(req.From, req.To, req.Step); err != nil {
		return errorResponse(err)
	}
	ss, err := hs.Series(req.Target, req.From, req.To, req.Step)
	if err != nil {
		return errorResponse(err)
	}
	return response{Series: ss}
}

// checkSeries refuses a series of more than maxSeriesSteps steps before
// anything is allocated for it.
func checkSeries(from, to time.Time, step time.Duration) error {
	if step <= 0 {
		return fmt.Errorf("series: step %v is not positive", step)
	}
	// Sub saturates, so a zero from gives a huge count, not an overflow.
	if from.Before(to) && to.Sub(from)/step >= maxSeriesSteps {
		return fmt.Errorf("series: more than %d steps of %v from %s to %s", maxSeriesSteps, step,
			from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	return nil
}

// incidents answers the incident ops from the History's stored incidents.
func (s *Server) incidents(req request) response {
	ih, ok := s.History.(probe.IncidentHistory)
	if !ok {
		return unsupported(req.Op)
	}
	n := req.N
	if n <= 0 || n > maxIncidents {
		n = maxIncidents
	}
	var (
		local []probe.LocalIncident
		err   error
	)
	switch req.Op {
	case "official_incidents":
		incs, err := ih.OfficialIncidents(n)
		if err != nil {
			return errorResponse(err)
		}
		return response{Incidents: incs[:min(len(incs), n)]}
	case "local_incidents":
		local, err = ih.LocalIncidents(n)
	default:
		local, err = ih.OpenLocalIncidents()
	}
	if err != nil {
		return errorResponse(err)
	}
	return response{Local: local[:min(len(local), n)]}
}

func resultsOrError(rs []probe.Result, err error) response {
	if err != nil {
		return errorResponse(err)
	}
	if rs == nil {
		rs = []probe.Result{}
	}
	return response{Results: rs}
}

// stream sends every event to the viewer until it hangs up, stops taking
// lines, or the engine stops. The subscription drops the oldest events
// when the viewer is behind, so the engine never waits for it.
func (s *Server) stream(c net.Conn, viewer int, log *slog.Logger) {
	// Count the viewer before subscribing: once its stream is live, a
	// second stream of the same viewer finds it counted, so a viewer is
	// logged once however its streams interleave.
	if s.track(viewer, +1) {
		log.Info("viewer attached", viewerAttrs(viewer)...)
	}
	defer func() {
		if s.track(viewer, -1) {
			log.Info("viewer detached", viewerAttrs(viewer)...)
		}
	}()
	events, cancel := s.Subscribe(probe.EventBuffer)
	defer cancel()
	gone := make(chan struct{})
	go func() {
		// A viewer sends nothing after its request: a read returns only
		// when it hangs up (or the connection is closed under us).
		io.Copy(io.Discard, c)
		close(gone)
	}()
	defer func() { c.Close(); <-gone }()
	for {
		select {
		case <-gone:
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			if err := writeLine(c, response{Event: &ev}); err != nil {
				return
			}
		}
	}
}

func writeLine(c net.Conn, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.SetWriteDeadline(time.Now().Add(writeTimeout))
	_, err = c.Write(append(b, '\n'))
	return err
}
