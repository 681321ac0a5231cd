// Package metrics exposes what the engine sees as Prometheus metrics (the
// text format, written by expo.go), so many ops boxes can feed one
// Prometheus.
// Names are blackbox_exporter's where they overlap, so its dashboards and
// alerts work; the rest are downforai_*, in base units, counters ending in
// _total. Label values are probe's stable names: targets, service keys,
// verdict keys, Statuspage component statuses.
//
//	probe_success{target}                        1 ok or slow, 0 failing; absent while unknown
//	probe_duration_seconds{target}               how long the last probe took, start to end; none for code_sessions
//	probe_http_duration_seconds{target,phase}    HTTP targets: resolve, connect, tls, processing, transfer
//	probe_http_status_code{target}               HTTP targets: the status; 0 when no HTTP answer
//	downforai_probes_total{target,class}         counter of results by class; code_sessions: of Claude Code's calls as they end (probe.SessionCallFold)
//	downforai_last_probe_timestamp_seconds{target}
//	downforai_component_status{service,component_id,status}  1 for the current status (a state set)
//	downforai_verdict{verdict}                   1 for the current overall verdict (a state set)
//	downforai_service_verdict{service,verdict}   1 for each service's current verdict
//	downforai_verdict_stale                      1 when the newest data is older than the stale limit
//	downforai_open_incidents{source}             official: unresolved on the status page (absent unless its read is current); local: our open incidents (TrackLocalIncidents, then each event)
//	downforai_maintenances_active                official maintenances in progress; absent unless the page's read is current
//	downforai_status_page_read_timestamp_seconds Unix time of the last good read of Claude's status page: the age of the official series
//	downforai_ratelimit_requests_limit{target}   anthropic-ratelimit-requests-limit of your key
//	downforai_ratelimit_requests_remaining{target}
//	downforai_ratelimit_requests_headroom_ratio{target}   remaining / limit, 0 to 1
//	downforai_ratelimit_requests_reset_timestamp_seconds{target}
//	downforai_ratelimit_tokens_limit{target}     the same for tokens
//	downforai_ratelimit_tokens_remaining{target}
//	downforai_ratelimit_tokens_headroom_ratio{target}
//	downforai_ratelimit_tokens_reset_timestamp_seconds{target}
//	downforai_ratelimit_retry_after_seconds{target}
//	downforai_build_info{version}                1
package metrics

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"downforai/probe"
)

// componentStatuses are the Statuspage component statuses, plus "unknown"
// for anything else or nothing.
var componentStatuses = []string{"operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance", "unknown"}

// Metrics holds the series on a registry of its own; the Go runtime's and
// the process's are read at each scrape. Observe is safe for concurrent
// use.
type Metrics struct {
	reg registry

	success      vec
	duration     vec
	httpDuration vec
	httpStatus   vec
	probes       vec
	last         vec
	component    vec
	verdict      vec
	svcVerdict   vec
	stale        vec
	incidents    vec
	maint        vec
	pageRead     vec
	requests     limitGauges
	tokens       limitGauges
	rlRetry      vec

	// gatherErrors counts scrapes' series that could not be read (a /proc
	// file), promhttp_metric_handler_errors_total{cause="gathering"}.
	gatherErrors atomic.Int64

	mu   sync.Mutex
	open map[string]bool // ids of our incidents still open
	// calls folds Claude Code's transcript records into its calls: a
	// call retried three times and then answered is four records and
	// one call, counted once, by its outcome, when it ends.
	calls probe.SessionCallFold
}

// limitGauges are the four series of one rate limit (requests or tokens):
// one metric per quantity, so an alert on requests cannot match tokens.
type limitGauges struct {
	limit, remaining, headroom, reset vec
}

// New builds the metrics; version goes into downforai_build_info.
func New(version string) *Metrics {
	m := &Metrics{}
	g := m.reg.gauge
	m.success = g("probe_success", "Whether the last probe of the target succeeded (ok or slow).", "target")
	m.duration = g("probe_duration_seconds", "How long the last probe of the target took, start to end.", "target")
	m.httpDuration = g("probe_http_duration_seconds", "Phases of the last HTTP probe of the target: resolve, connect, tls, processing (request written to first byte), transfer (the rest); 0 for a phase that did not happen.", "target", "phase")
	m.httpStatus = g("probe_http_status_code", "HTTP status of the last probe of an HTTP target; 0 when no HTTP answer arrived.", "target")
	m.probes = m.reg.counter("downforai_probes_total", "Probe results by target and class; for code_sessions, Claude Code's calls, counted as each ends (its retries and the record that ends them are one call).", "target", "class")
	m.last = g("downforai_last_probe_timestamp_seconds", "Unix time of the last probe of the target.", "target")
	m.component = g("downforai_component_status", "Official status page component status: 1 for the current status.", "service", "component_id", "status")
	m.verdict = g("downforai_verdict", "Overall verdict: 1 for the current one.", "verdict")
	m.svcVerdict = g("downforai_service_verdict", "Verdict per service: 1 for the current one.", "service", "verdict")
	m.stale = g("downforai_verdict_stale", "1 when the newest data is older than the stale limit.")
	m.incidents = g("downforai_open_incidents", "Open incidents: official (unresolved on the status page) and local (detected by our probes).", "source")
	m.maint = g("downforai_maintenances_active", "Official scheduled maintenances in progress.")
	m.pageRead = g("downforai_status_page_read_timestamp_seconds", "Unix time of the last good read of Claude's status page; the official series are as of then.")
	for _, k := range []struct {
		gs   *limitGauges
		kind string
	}{{&m.requests, "requests"}, {&m.tokens, "tokens"}} {
		n := "downforai_ratelimit_" + k.kind
		k.gs.limit = g(n+"_limit", "Your key's "+k.kind+" limit, from anthropic-ratelimit-"+k.kind+"-limit.", "target")
		k.gs.remaining = g(n+"_remaining", "Your key's "+k.kind+" left before the limit, from anthropic-ratelimit-"+k.kind+"-remaining.", "target")
		k.gs.headroom = g(n+"_headroom_ratio", "Your key's "+k.kind+" left over its limit, 0 to 1.", "target")
		k.gs.reset = g(n+"_reset_timestamp_seconds", "Unix time the "+k.kind+" limit is fully replenished, from anthropic-ratelimit-"+k.kind+"-reset.", "target")
	}
	m.rlRetry = g("downforai_ratelimit_retry_after_seconds", "The retry-after of the last rate-limited answer; 0 when none.", "target")
	info := g("downforai_build_info", "downforai build; always 1.", "version")
	info.Set(1, probe.Line(version, 40))
	// Stale is known from the start; the page's counts only once it is read.
	m.stale.Set(0)
	return m
}

// Handler serves the exposition format.
func (m *Metrics) Handler() http.Handler { return handler{m} }

// WriteText writes every series in the text format, as /metrics serves it:
// ours, the Go runtime's, the process's and the handler's error counts,
// families sorted by name.
func (m *Metrics) WriteText(w io.Writer) error {
	fams := m.reg.snapshot()
	fams = append(fams, goFamilies()...)
	proc, errs := processFamilies()
	fams = append(fams, proc...)
	gathering := m.gatherErrors.Add(int64(errs))
	fams = append(fams, out{name: "promhttp_metric_handler_errors_total", typ: "counter",
		help: "Total number of internal errors encountered by the promhttp metric handler.",
		samples: []sample{
			{labels: [][2]string{{"cause", "encoding"}}},
			{labels: [][2]string{{"cause", "gathering"}}, v: float64(gathering)},
		}})
	return writeText(w, fams)
}

// setLocalIncidents sets downforai_open_incidents{source="local"}; until
// it is first called the series is absent.
func (m *Metrics) setLocalIncidents(n int) {
	m.incidents.Set(float64(n), "local")
}

// TrackLocalIncidents starts the count of our open incidents from those a
// previous run left open; Observe then follows the detector's changes on
// each event.
func (m *Metrics) TrackLocalIncidents(open []probe.LocalIncident) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.open = map[string]bool{}
	for _, l := range open {
		if l.Active() {
			m.open[l.ID] = true
		}
	}
	m.setLocalIncidents(len(m.open))
}

// localIncidents applies the incidents an event opened, changed or closed.
func (m *Metrics) localIncidents(ls []probe.LocalIncident) {
	if len(ls) == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.open == nil {
		m.open = map[string]bool{}
	}
	for _, l := range ls {
		if l.Active() {
			m.open[l.ID] = true
		} else {
			delete(m.open, l.ID)
		}
	}
	m.setLocalIncidents(len(m.open))
}

// Observe implements watch.Observer.
func (m *Metrics) Observe(now time.Time, ev *probe.Event, v probe.Verdict, st *probe.Status) {
	if ev != nil {
		if ev.Result.Target != "" { // announcements carry no result
			m.result(ev.Result)
		}
		m.localIncidents(ev.LocalIncidents)
	}
	m.mu.Lock()
	abandoned := m.calls.Expire(now)
	m.mu.Unlock()
	m.countCalls(abandoned)
	for _, k := range probe.VerdictKinds() {
		m.verdict.Set(b2f(k == v.Kind), k.Key())
	}
	for _, sv := range v.Services {
		for _, k := range probe.VerdictKinds() {
			m.svcVerdict.Set(b2f(k == sv.Kind), sv.Service.Key, k.Key())
		}
	}
	m.stale.Set(b2f(v.Stale))
	if !v.Official.Read.IsZero() {
		m.pageRead.Set(float64(v.Official.Read.UnixNano()) / 1e9)
	}
	switch {
	case st != nil && v.Official.Drives:
		m.status(*st)
	case st != nil || v.Official.State != "":
		// The page's last state is no current fact (unreadable, stale,
		// not Claude's): nothing is known, not what it said — its
		// components unknown, its counts absent rather than 0.
		m.status(probe.Status{})
		m.incidents.Delete("official")
		m.maint.Delete()
	}
}

func (m *Metrics) result(r probe.Result) {
	t := string(r.Target)
	if r.Target == probe.TargetSessions {
		m.mu.Lock()
		ended := m.calls.Add(r)
		m.mu.Unlock()
		m.countCalls(ended)
	} else {
		m.probes.Inc(t, r.Class.String())
	}
	if !r.Time.IsZero() {
		m.last.Set(float64(r.Time.UnixNano())/1e9, t)
	}
	if r.Class == probe.ClassUnknown {
		// Not installed, no key, no data: neither up nor down, and nothing
		// was measured.
		m.success.Delete(t)
		m.duration.Delete(t)
		m.httpStatus.Delete(t)
		m.httpDuration.DeleteMatch("target", t)
	} else {
		m.success.Set(b2f(r.Class.Up()), t)
		if r.Target == probe.TargetSessions {
			// A transcript says no call's duration: not "took 0 s".
			m.duration.Delete(t)
		} else {
			m.duration.Set(r.Phases.Total.Seconds(), t)
		}
		if r.Target.HTTP() {
			m.http(t, r)
		}
	}
	rl := r.RateLimit
	if rl.RequestsLimit > 0 || rl.RequestsRemaining > 0 {
		m.requests.set(t, rl.RequestsLimit, rl.RequestsRemaining, rl.RequestsReset)
	}
	if rl.TokensLimit > 0 || rl.TokensRemaining > 0 {
		m.tokens.set(t, rl.TokensLimit, rl.TokensRemaining, rl.TokensReset)
	}
	if !rl.IsZero() || r.Class == probe.ClassRateLimited {
		m.rlRetry.Set(rl.RetryAfter.Seconds(), t)
	}
}

// countCalls counts Claude Code's calls that ended, each by its outcome's
// class: the answer, the error shown, or the newest attempt of one
// abandoned (probe.SessionCallFold).
func (m *Metrics) countCalls(calls []probe.Result) {
	for _, c := range calls {
		m.probes.Inc(string(c.Target), c.Class.String())
	}
}

// http sets the HTTP series of one result: its status and blackbox's
// phases. Transfer is what remains of the total after the other four
// (writing the request, reading the body).
func (m *Metrics) http(t string, r probe.Result) {
	m.httpStatus.Set(float64(r.HTTPStatus), t)
	ph := r.Phases
	transfer := max(0, ph.Total-ph.DNS-ph.Connect-ph.TLS-ph.FirstByte)
	for _, p := range []struct {
		phase string
		d     time.Duration
	}{
		{"resolve", ph.DNS}, {"connect", ph.Connect}, {"tls", ph.TLS}, {"processing", ph.FirstByte}, {"transfer", transfer},
	} {
		m.httpDuration.Set(p.d.Seconds(), t, p.phase)
	}
}

func (l limitGauges) set(target string, limit, remaining int64, reset time.Time) {
	l.limit.Set(float64(limit), target)
	l.remaining.Set(float64(remaining), target)
	if limit > 0 {
		l.headroom.Set(min(1, max(0, float64(remaining)/float64(limit))), target)
	}
	if !reset.IsZero() {
		l.reset.Set(float64(reset.UnixNano())/1e9, target)
	}
}

func (m *Metrics) status(st probe.Status) {
	for _, s := range probe.Services() {
		cur := "unknown"
		if c, ok := st.Component(s.ComponentID, s.ComponentName); ok {
			cur = string(c.Status)
		}
		known := false
		for _, cs := range componentStatuses {
			known = known || cs == cur
		}
		if !known {
			cur = "unknown"
		}
		for _, cs := range componentStatuses {
			m.component.Set(b2f(cs == cur), s.Key, s.ComponentID, cs)
		}
	}
	m.incidents.Set(float64(len(st.Incidents)), "official")
	active := 0
	for _, mt := range st.Maintenances {
		if mt.Status == "in_progress" || mt.Status == "verifying" {
			active++
		}
	}
	m.maint.Set(float64(active))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Serve serves h on ln under /metrics until ctx ends. It returns once
// listening fails or the server has shut down.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("downforai: metrics at /metrics\n"))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	stop := context.AfterFunc(ctx, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	})
	defer stop()
	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
