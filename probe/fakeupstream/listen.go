package fakeupstream

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// endpoint is one listener and the upstreams it serves. While every one of
// them refuses, nothing listens on its port: a connect gets ECONNREFUSED.
type endpoint struct {
	upstreams []string // "status", "api", "claude"
	addr      string   // host:port, fixed once bound so a reopen takes the same port
	srv       *http.Server

	mu     sync.Mutex
	ln     net.Listener // nil while refusing or after shutdown
	closed bool
	errc   chan error // Serve's results, for Shutdown
}

func (e *endpoint) serve(ln net.Listener) {
	e.ln = ln
	go func() { e.errc <- e.srv.Serve(ln) }()
}

// refusing reports whether every upstream of the endpoint refuses in sc.
func (e *endpoint) refusing(sc Scenario) bool {
	for _, u := range e.upstreams {
		switch {
		case u == "api" && sc.API == APIRefused:
		case u == "claude" && sc.Claude == ClaudeRefused:
		default:
			return false
		}
	}
	return true
}

// refuse closes the listener (on) or opens it again on the same port.
func (e *endpoint) refuse(on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.closed:
	case on && e.ln != nil:
		e.ln.Close()
		e.ln = nil
	case !on && e.ln == nil:
		ln, err := ListenLoopback(e.addr)
		if err != nil {
			return // the port was taken meanwhile: it stays refused
		}
		e.serve(ln)
	}
}

// Server is a Handler on loopback listeners, for tests and the command.
type Server struct {
	*Handler
	// URL is the status page's base URL (no trailing slash); with one
	// listener, the base URL of all three upstreams.
	URL string
	// StatusURL, APIURL and ClaudeURL are each upstream's base URL; all
	// equal to URL unless the server was split.
	StatusURL, APIURL, ClaudeURL string

	eps    []*endpoint
	client *http.Client
}

// New starts a fake upstream on one loopback port, playing mode.
func New(mode Mode) *Server {
	s, err := Start(NewHandler(mode), "127.0.0.1:0", "", "")
	if err != nil {
		panic(fmt.Sprintf("fakeupstream: %v", err))
	}
	return s
}

// NewSplit starts a fake upstream with the status page, the API and
// claude.ai each on a loopback port of its own, so one can refuse
// connections while the others answer.
func NewSplit(mode Mode) *Server {
	s, err := Start(NewHandler(mode), "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("fakeupstream: %v", err))
	}
	return s
}

// Start serves h on statusAddr, and on apiAddr and claudeAddr when they are
// not empty (an empty one shares the status page's listener). Every address
// must be a loopback one.
func Start(h *Handler, statusAddr, apiAddr, claudeAddr string) (*Server, error) {
	s := &Server{Handler: h, client: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}}
	groups := [][]string{{"status"}}
	addrs := []string{statusAddr}
	for _, a := range []struct{ name, addr string }{{"api", apiAddr}, {"claude", claudeAddr}} {
		if a.addr == "" {
			groups[0] = append(groups[0], a.name)
			continue
		}
		groups = append(groups, []string{a.name})
		addrs = append(addrs, a.addr)
	}
	for i, addr := range addrs {
		ln, err := ListenLoopback(addr)
		if err != nil {
			s.Close()
			return nil, err
		}
		e := &endpoint{upstreams: groups[i], addr: ln.Addr().String(), errc: make(chan error, 8),
			srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
		e.serve(ln)
		s.eps = append(s.eps, e)
		base := "http://" + e.addr
		for _, u := range groups[i] {
			switch u {
			case "status":
				s.URL, s.StatusURL = base, base
			case "api":
				s.APIURL = base
			case "claude":
				s.ClaudeURL = base
			}
		}
	}
	h.mu.Lock()
	h.endpoints = append(h.endpoints, s.eps...)
	sc := h.scenarioLocked()
	h.mu.Unlock()
	for _, e := range s.eps {
		e.refuse(e.refusing(sc))
	}
	return s, nil
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.client }

// Close releases held requests and shuts the server down at once.
func (s *Server) Close() {
	s.Handler.Close()
	for _, e := range s.eps {
		e.mu.Lock()
		e.closed = true
		e.ln = nil
		e.mu.Unlock()
		e.srv.Close()
	}
	s.client.CloseIdleConnections()
}

// Shutdown releases held requests and shuts the server down gracefully.
func (s *Server) Shutdown(ctx context.Context) error {
	s.Handler.Close()
	var errs []error
	for _, e := range s.eps {
		e.mu.Lock()
		e.closed = true
		e.ln = nil
		e.mu.Unlock()
		if err := e.srv.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Err returns the first error a listener failed with other than being
// closed, after Shutdown; nil otherwise.
func (s *Server) Err() error {
	for _, e := range s.eps {
		for drained := false; !drained; {
			select {
			case err := <-e.errc:
				if err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
					return err
				}
			default:
				drained = true
			}
		}
	}
	return nil
}

// ListenLoopback listens on addr, refusing any address that is not a
// loopback one: the fake has no business being reachable from the network.
// An empty host (":8787") is refused too, since it means every interface.
func ListenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("address %q: %w", addr, err)
	}
	if host != "localhost" {
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("address %q is not loopback: use 127.0.0.1, [::1] or localhost", addr)
		}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, err
	}
	// "localhost" may resolve to something else on an odd resolver: check
	// what we actually bound.
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("address %q bound %s, which is not loopback", addr, tcp.IP)
	}
	return ln, nil
}
