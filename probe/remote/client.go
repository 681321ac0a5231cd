package remote

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"time"

	"downforai/probe"
)

// callTimeout bounds one history request.
const callTimeout = 10 * time.Second

// maxResponse bounds one line read from the server (a long Range answer).
const maxResponse = 256 << 20

// Client is a viewer's end of the socket. It implements probe.History,
// probe.HistoryStats and probe.IncidentHistory.
type Client struct {
	path  string
	hello Hello
}

var (
	_ probe.History         = (*Client)(nil)
	_ probe.HistoryStats    = (*Client)(nil)
	_ probe.IncidentHistory = (*Client)(nil)
)

// ErrUnsupported means the engine cannot answer a request: it predates the
// op, or its history keeps no rollups or incidents.
var ErrUnsupported = errors.New("not supported by this engine")

// ErrProtocol means the engine speaks another protocol: the viewer and the
// engine are different versions of downforai. The dashboard and the
// database commands say so instead of falling back to the lock message.
var ErrProtocol = errors.New("version mismatch")

// Dial connects to the engine behind the socket at path and checks that it
// speaks this protocol and owns the database db (when db is not "").
func Dial(ctx context.Context, path, db string) (*Client, error) {
	c := &Client{path: path}
	var h Hello
	if err := c.call(ctx, request{Op: "hello"}, &h); err != nil {
		return nil, err
	}
	if h.Protocol != ProtocolVersion {
		return nil, fmt.Errorf("%w: the engine on %s (downforai %s) speaks protocol %d, this downforai (protocol %d) another; run one version of downforai for both",
			ErrProtocol, path, probe.Line(h.Version, 40), h.Protocol, ProtocolVersion)
	}
	if db != "" && h.DB != db {
		return nil, fmt.Errorf("engine on %s owns %s, not %s", path, probe.Line(h.DB, 200), db)
	}
	h.Version = probe.Line(h.Version, 40)
	h.DB = probe.Line(h.DB, 0)
	known := h.Targets[:0]
	for _, t := range h.Targets {
		if pt, err := probe.ParseTarget(string(t)); err == nil {
			known = append(known, pt)
		}
	}
	h.Targets = known
	c.hello = h
	return c, nil
}

// Hello is what the engine said about itself.
func (c *Client) Hello() Hello { return c.hello }

// Targets are the targets the engine probes (probe.EngineTargets): a
// check or report beside it judges its rounds of them too, a key set in
// the engine's environment and not in theirs among them.
func (c *Client) Targets() []probe.Target { return slices.Clone(c.hello.Targets) }

func (c *Client) dial(ctx context.Context) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "unix", c.path)
}

// call sends one request and decodes the one-line answer into out.
func (c *Client) call(ctx context.Context, req request, out any) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	conn, err := c.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return err
	}
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 0, 64<<10), maxResponse)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return err
		}
		return errors.New("engine closed the connection")
	}
	return json.Unmarshal(sc.Bytes(), out)
}

// ask sends one request and turns an error answer into an error.
func (c *Client) ask(req request) (response, error) {
	var r response
	if err := c.call(context.Background(), req, &r); err != nil {
		return response{}, err
	}
	switch {
	case r.Unsupported || r.Error == unknownOp:
		return response{}, fmt.Errorf("%s: %w", req.Op, ErrUnsupported)
	case r.Error != "":
		return response{}, errors.New(probe.Line(r.Error, 200))
	}
	return r, nil
}

func (c *Client) results(req request) ([]probe.Result, error) {
	r, err := c.ask(req)
	if err != nil {
		return nil, err
	}
	for i := range r.Results {
		sanitizeResult(&r.Results[i])
	}
	return r.Results, nil
}

// Recent implements probe.History.
func (c *Client) Recent(t probe.Target, n int) ([]probe.Result, error) {
	return c.results(request{Op: "recent", Target: t, N: n})
}

// Range implements probe.History.
func (c *Client) Range(t probe.Target, from, to time.Time) ([]probe.Result, error) {
	return c.results(request{Op: "range", Target: t, From: from, To: to})
}

// LatestStatus implements probe.History.
func (c *Client) LatestStatus() (probe.Status, bool, error) {
	r, err := c.ask(request{Op: "status"})
	if err != nil {
		return probe.Status{}, false, err
	}
	if !r.OK || r.Status == nil {
		return probe.Status{}, false, nil
	}
	sanitizeStatus(r.Status)
	return *r.Status, true, nil
}

// Summary implements probe.HistoryStats from the engine's rollups. An
// engine without them (ErrUnsupported) is answered from raw results, as
// the dashboard would for any History without rollups: slow for long
// windows, but right.
func (c *Client) Summary(t probe.Target, from, to time.Time) (probe.Summary, error) {
	r, err := c.ask(request{Op: "summary", Target: t, From: from, To: to})
	if errors.Is(err, ErrUnsupported) {
		return c.rawSummary(t, from, to)
	}
	if err != nil {
		return probe.Summary{}, err
	}
	if r.Summary == nil {
		return probe.Summary{}, errors.New("summary: the engine sent none")
	}
	sanitizeSummary(r.Summary)
	return *r.Summary, nil
}

// Series implements probe.HistoryStats from the engine's rollups, or from
// raw results when the engine has none (see Summary).
func (c *Client) Series(t probe.Target, from, to time.Time, step time.Duration) ([]probe.Summary, error) {
	r, err := c.ask(request{Op: "series", Target: t, From: from, To: to, Step: step})
	if errors.Is(err, ErrUnsupported) {
		return c.rawSeries(t, from, to, step)
	}
	if err != nil {
		return nil, err
	}
	for i := range r.Series {
		sanitizeSummary(&r.Series[i])
	}
	return r.Series, nil
}

func (c *Client) rawSummary(t probe.Target, from, to time.Time) (probe.Summary, error) {
	s := probe.Summary{Target: t, From: from, To: to}
	// From MaxCover earlier, so uptime weighs by time as the rollups do.
	rs, err := c.Range(t, from.Add(-probe.MaxCover), to)
	if err != nil {
		return probe.Summary{}, err
	}
	s.AddCovered(rs, from, to)
	return s, nil
}

// rawSeries lays steps out as the store does: aligned to UTC, from the one
// containing from to the one containing to-1ns, empty ones included.
func (c *Client) rawSeries(t probe.Target, from, to time.Time, step time.Duration) ([]probe.Summary, error) {
	if err := checkSeries(from, to, step); err != nil {
		return nil, err
	}
	if !from.Before(to) {
		return nil, nil
	}
	first := from.UTC().Truncate(step)
	n := int(to.Add(-1).UTC().Truncate(step).Sub(first)/step) + 1
	out := make([]probe.Summary, n)
	for i := range out {
		out[i] = probe.Summary{Target: t, From: first.Add(time.Duration(i) * step), To: first.Add(time.Duration(i+1) * step)}
	}
	rs, err := c.Range(t, first.Add(-probe.MaxCover), first.Add(time.Duration(n)*step))
	if err != nil {
		return nil, err
	}
	// Each result covers the time since the one before it (see Summary).
	var prev time.Time
	for _, res := range rs {
		if i := int(res.Time.Sub(first) / step); !res.Time.Before(first) && i < n {
			out[i].AddFor(res, probe.Cover(prev, res.Time))
		}
		prev = res.Time
	}
	return out, nil
}

// LocalIncidents implements probe.IncidentHistory. The engine answers at
// most maxIncidents, whatever n.
func (c *Client) LocalIncidents(n int) ([]probe.LocalIncident, error) {
	return c.local(request{Op: "local_incidents", N: n})
}

// OpenLocalIncidents implements probe.IncidentHistory.
func (c *Client) OpenLocalIncidents() ([]probe.LocalIncident, error) {
	return c.local(request{Op: "open_local_incidents"})
}

func (c *Client) local(req request) ([]probe.LocalIncident, error) {
	r, err := c.ask(req)
	if err != nil {
		return nil, err
	}
	sanitizeLocalIncidents(r.Local)
	return r.Local, nil
}

// OfficialIncidents implements probe.IncidentHistory. The engine answers
// at most maxIncidents, whatever n.
func (c *Client) OfficialIncidents(n int) ([]probe.Incident, error) {
	r, err := c.ask(request{Op: "official_incidents", N: n})
	if err != nil {
		return nil, err
	}
	sanitizeIncidents(r.Incidents)
	return r.Incidents, nil
}

// Events streams the engine's events until ctx ends or the engine goes
// away; the channel is then closed. Like an engine subscription, it never
// holds the reader up: when the reader is behind, the oldest event is
// dropped.
func (c *Client) Events(ctx context.Context, buf int) (<-chan probe.Event, error) {
	if buf < 1 {
		buf = 1
	}
	conn, err := c.dial(ctx)
	if err != nil {
		return nil, err
	}
	if err := json.NewEncoder(conn).Encode(request{Op: "subscribe", Viewer: os.Getpid()}); err != nil {
		conn.Close()
		return nil, err
	}
	ch := make(chan probe.Event, buf)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	go func() {
		defer close(ch)
		defer stop()
		defer conn.Close()
		sc := bufio.NewScanner(conn)
		sc.Buffer(make([]byte, 0, 64<<10), maxResponse)
		for sc.Scan() {
			var r response
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.Event == nil {
				continue
			}
			ev := *r.Event
			sanitizeEvent(&ev)
			select {
			case ch <- ev:
				continue
			default:
			}
			select {
			case <-ch:
			default:
			}
			select {
			case ch <- ev:
			default:
			}
		}
	}()
	return ch, nil
}

// The engine sanitised everything before it was stored or published; the
// socket is still a boundary, so every string is filtered again.
func sanitizeResult(r *probe.Result) {
	r.ErrorType = probe.Line(r.ErrorType, 0)
	r.Message = probe.Line(r.Message, 0)
	r.RequestID = probe.Line(r.RequestID, 0)
	r.Detail = probe.Line(r.Detail, 0)
	r.Target = sanitizeTarget(r.Target)
}

func sanitizeEvent(ev *probe.Event) {
	sanitizeResult(&ev.Result)
	ev.StoreErr = probe.Line(ev.StoreErr, 0)
	if ev.Status != nil {
		sanitizeStatus(ev.Status)
	}
	if ev.Local != nil {
		sanitizeLocalReport(ev.Local)
	}
	if ev.Sessions != nil {
		sanitizeSessions(ev.Sessions)
	}
	sanitizeIncidents(ev.Official)
	sanitizeLocalIncidents(ev.LocalIncidents)
}

func sanitizeTarget(t probe.Target) probe.Target { return probe.Target(probe.Line(string(t), 40)) }

func sanitizeSummary(s *probe.Summary) { s.Target = sanitizeTarget(s.Target) }

func sanitizeSessions(r *probe.SessionsReport) {
	r.Dir, r.Err = probe.Line(r.Dir, 0), probe.Line(r.Err, 0)
	for i := range r.Recent {
		sanitizeResult(&r.Recent[i])
	}
	for _, bs := range [][]probe.UsageBlock{r.Window.Blocks} {
		for i := range bs {
			for j, m := range bs[i].Models {
				bs[i].Models[j] = probe.Line(m, 60)
			}
		}
	}
	if c := r.Window.Current; c != nil {
		for j, m := range c.Models {
			c.Models[j] = probe.Line(m, 60)
		}
	}
}

func sanitizeLocalReport(r *probe.LocalReport) {
	if u := r.CodeUsage; u != nil {
		u.Unavailable, u.Message, u.RequestID = probe.Line(u.Unavailable, 0), probe.Line(u.Message, 0), probe.Line(u.RequestID, 0)
		for i := range u.Limits {
			u.Limits[i].Name = probe.Line(u.Limits[i].Name, 40)
		}
	}
	r.APIURL, r.StatusURL, r.ClaudeURL = probe.Line(r.APIURL, 0), probe.Line(r.StatusURL, 0), probe.Line(r.ClaudeURL, 0)
	r.APIURLFrom, r.CodeURL, r.ClaudeURLFrom = probe.Line(r.APIURLFrom, 100), probe.Line(r.CodeURL, 0), probe.Line(r.ClaudeURLFrom, 100)
	for i := range r.Credentials {
		cr := &r.Credentials[i]
		cr.Source, cr.Kind, cr.Masked, cr.Header = probe.Line(cr.Source, 0), probe.Line(cr.Kind, 0), probe.Line(cr.Masked, 0), probe.Line(cr.Header, 0)
		cr.Where = probe.Line(cr.Where, 120)
	}
	for i := range r.Checks {
		ch := &r.Checks[i]
		ch.ID, ch.Name, ch.Text = probe.Line(ch.ID, 0), probe.Line(ch.Name, 0), probe.Line(ch.Text, 0)
		ch.Cause = probe.Line(ch.Cause, 0)
	}
}

func sanitizeLocalIncidents(list []probe.LocalIncident) {
	for i := range list {
		l := &list[i]
		l.ID, l.Subject, l.Service = probe.Line(l.ID, 0), probe.Line(l.Subject, 0), probe.Line(l.Service, 0)
		l.ErrorType, l.Message = probe.Line(l.ErrorType, 0), probe.Line(l.Message, 0)
		l.OfficialID, l.MergedInto = probe.Line(l.OfficialID, 0), probe.Line(l.MergedInto, 0)
		for j := range l.Targets {
			l.Targets[j] = sanitizeTarget(l.Targets[j])
		}
		for j := range l.RequestIDs {
			l.RequestIDs[j] = probe.Line(l.RequestIDs[j], 0)
		}
	}
}

func sanitizeStatus(st *probe.Status) {
	st.Indicator = probe.Line(st.Indicator, 0)
	st.Description = probe.Line(st.Description, 0)
	for i := range st.Components {
		c := &st.Components[i]
		c.ID, c.Name, c.Status, c.GroupID = probe.Line(c.ID, 0), probe.Line(c.Name, 0), probe.ComponentStatus(probe.Line(string(c.Status), 0)), probe.Line(c.GroupID, 0)
	}
	sanitizeIncidents(st.Incidents)
	sanitizeIncidents(st.Maintenances)
}

func sanitizeIncidents(list []probe.Incident) {
	for i := range list {
		in := &list[i]
		in.ID, in.Name, in.Status, in.Impact, in.Shortlink = probe.Line(in.ID, 0), probe.Line(in.Name, 0),
			probe.Line(in.Status, 0), probe.Line(in.Impact, 0), probe.Line(in.Shortlink, 0)
		for j := range in.Components {
			in.Components[j] = probe.Line(in.Components[j], 0)
		}
		for j := range in.Updates {
			u := &in.Updates[j]
			u.ID, u.Status, u.Body = probe.Line(u.ID, 0), probe.Line(u.Status, 0), probe.Sanitize(u.Body, true)
			for k := range u.Components {
				u.Components[k] = probe.Line(u.Components[k], 0)
			}
		}
	}
}
