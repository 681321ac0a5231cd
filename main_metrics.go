package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"downforai/probe"
	"downforai/probe/config"
	"downforai/probe/remote"
)

// The metrics listener belongs to the engine: serve and a dashboard that
// runs its own engine bind --metrics-addr; a viewer of another process's
// engine never does (that engine serves /metrics, or none is served).

// errMetricsBusy is an address another program (or another downforai)
// already listens on.
var errMetricsBusy = errors.New("address in use")

// bindMetrics listens on c.MetricsAddr (nil, nil when it is unset). A
// refusal is said in words: which setting asked for the address (the flag,
// or the key of the config file), what holds it and what to do.
func bindMetrics(c config.Config) (net.Listener, error) {
	if c.MetricsAddr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", c.MetricsAddr)
	if err == nil {
		return ln, nil
	}
	return nil, metricsRefusal(c, err)
}

// metricsSetting names where the metrics address was asked for: the flag
// on the command line, else the config file's key and line.
func metricsSetting(c config.Config) string { return c.Named("metrics_addr") }

// metricsRefusal is why c.MetricsAddr could not be bound, in words.
func metricsRefusal(c config.Config, err error) error {
	addr := probe.Sanitize(c.MetricsAddr, false)
	var why, fix string
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		why = "the address is in use by another program"
		if servesOurMetrics(c.MetricsAddr) {
			why = "another downforai already serves /metrics there (one that owns another database)"
		}
		fix = "choose a free address, or stop what listens there"
		if _, port, perr := net.SplitHostPort(c.MetricsAddr); perr == nil && port != "" {
			fix += fmt.Sprintf(" (ss -ltnp 'sport = :%s' names it)", probe.Sanitize(port, false))
		}
		err = errMetricsBusy
	case errors.Is(err, syscall.EACCES):
		why = "the system does not let this user listen on that port (ports below 1024 need privileges)"
		fix = "choose a port above 1024, e.g. 127.0.0.1:9464"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		why = "no network interface of this machine has that address"
		fix = "use one of its addresses, e.g. 127.0.0.1:9464"
	default:
		why = probe.Line(err.Error(), 200)
		fix = "write it as host:port, e.g. 127.0.0.1:9464"
	}
	return &metricsError{msg: fmt.Sprintf("%s: cannot serve /metrics on %s: %s; %s", metricsSetting(c), addr, why, fix), err: err}
}

// metricsError is a refused metrics address; Unwrap is errMetricsBusy
// when another program holds it.
type metricsError struct {
	msg string
	err error
}

func (e *metricsError) Error() string { return e.msg }
func (e *metricsError) Unwrap() error { return e.err }

// servesOurMetrics reports whether what listens on addr answers /metrics
// as downforai does (another downforai, on another database).
func servesOurMetrics(addr string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode == http.StatusOK && strings.Contains(string(b), "downforai_build_info")
}

// ownMetrics binds the metrics address of a dashboard that runs its own
// engine. The address asked for on the command line must be served: a
// refusal ends the dashboard before it takes the screen. One from the
// config file is not worth the dashboard: it runs without /metrics, and
// says so (the line stays on the terminal above the dashboard's screen).
func ownMetrics(c config.Config, stderr io.Writer) (net.Listener, error) {
	ln, err := bindMetrics(c)
	if err == nil || c.Given("metrics-addr") || c.Path == "" {
		return ln, err
	}
	fmt.Fprintf(stderr, "downforai: %v; the dashboard runs without /metrics\n", err)
	return nil, nil
}

// viewerMetrics is the one line a viewer says when its settings ask for
// /metrics: the engine it watches serves it (or none), never the viewer;
// "" when the settings ask for none.
func viewerMetrics(c config.Config, h remote.Hello) string {
	if c.MetricsAddr == "" {
		return ""
	}
	engine := fmt.Sprintf("the running engine (pid %d)", h.PID)
	asked := probe.Sanitize(c.MetricsAddr, false)
	switch {
	case h.MetricsAddr == nil:
		return fmt.Sprintf("/metrics belongs to %s, which this viewer watches: it serves it if it was started with metrics_addr; this viewer does not bind %s", engine, asked)
	case *h.MetricsAddr == "":
		return fmt.Sprintf("/metrics is not served: %s, which this viewer watches, serves none, and a viewer does not bind %s; start the engine with metrics_addr set", engine, asked)
	}
	at := probe.Sanitize(*h.MetricsAddr, false)
	if sameAddr(at, c.MetricsAddr) {
		return fmt.Sprintf("/metrics is served by %s on %s; this viewer does not bind it", engine, at)
	}
	return fmt.Sprintf("/metrics is served by %s on %s, not on %s; this viewer binds neither", engine, at, asked)
}

// sameAddr reports whether the engine's bound address at serves what
// asked names: the same text, or the same port when asked leaves the host
// open (":9464", "0.0.0.0:9464").
func sameAddr(at, asked string) bool {
	if at == asked {
		return true
	}
	ah, ap, err1 := net.SplitHostPort(asked)
	_, bp, err2 := net.SplitHostPort(at)
	if err1 != nil || err2 != nil || ap != bp {
		return false
	}
	return ah == "" || ah == "0.0.0.0" || ah == "::" || ah == "localhost"
}

// listenAddr is where ln listens, "" for no listener.
func listenAddr(ln net.Listener) string {
	if ln == nil {
		return ""
	}
	return ln.Addr().String()
}
