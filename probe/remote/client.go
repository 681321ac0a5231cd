package remote

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"time"

	"downforai/probe"
)

// callTimeout bounds one history request.
const callTimeout = 10 * time.Second

// maxResponse bounds one line read from the server (a long Range answer).
const maxResponse = 256 << 20

// Client is a viewer's end of the socket. It implements probe.History.
type Client struct {
	path  string
	hello Hello
}

var _ probe.History = (*Client)(nil)

// Dial connects to the engine behind the socket at path and checks that it
// speaks this protocol and owns the database db (when db is not "").
func Dial(ctx context.Context, path, db string) (*Client, error) {
	c := &Client{path: path}
	var h Hello
	if err := c.call(ctx, request{Op: "hello"}, &h); err != nil {
		return nil, err
	}
	if h.Protocol != ProtocolVersion {
		return nil, fmt.Errorf("engine on %s speaks protocol %d, this downforai %d", path, h.Protocol, ProtocolVersion)
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

func (c *Client) results(req request) ([]probe.Result, error) {
	var r response
	if err := c.call(context.Background(), req, &r); err != nil {
		return nil, err
	}
	if r.Error != "" {
		return nil, errors.New(probe.Line(r.Error, 200))
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
	var r response
	if err := c.call(context.Background(), request{Op: "status"}, &r); err != nil {
		return probe.Status{}, false, err
	}
	if r.Error != "" {
		return probe.Status{}, false, errors.New(probe.Line(r.Error, 200))
	}
	if !r.OK || r.Status == nil {
		return probe.Status{}, false, nil
	}
	sanitizeStatus(r.Status)
	return *r.Status, true, nil
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
	if err := json.NewEncoder(conn).Encode(request{Op: "subscribe"}); err != nil {
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
	r.Target = probe.Target(probe.Line(string(r.Target), 40))
}

func sanitizeEvent(ev *probe.Event) {
	sanitizeResult(&ev.Result)
	ev.StoreErr = probe.Line(ev.StoreErr, 0)
	if ev.Status != nil {
		sanitizeStatus(ev.Status)
	}
}

func sanitizeStatus(st *probe.Status) {
	st.Indicator = probe.Line(st.Indicator, 0)
	st.Description = probe.Line(st.Description, 0)
	for i := range st.Components {
		c := &st.Components[i]
		c.ID, c.Name, c.Status, c.GroupID = probe.Line(c.ID, 0), probe.Line(c.Name, 0), probe.Line(c.Status, 0), probe.Line(c.GroupID, 0)
	}
	for _, list := range [][]probe.Incident{st.Incidents, st.Maintenances} {
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
}
