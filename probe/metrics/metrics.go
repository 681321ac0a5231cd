// Package metrics exposes what the engine sees as Prometheus metrics
// (prometheus/client_golang), so many ops boxes can feed one Prometheus.
// Names follow blackbox_exporter where they overlap (probe_success,
// probe_duration_seconds, probe_http_status_code); the rest are
// downforai_*. Label values are probe's stable names: targets, service
// keys, verdict keys, Statuspage component statuses.
//
//	probe_success{target}                        1 ok or slow, 0 failing; absent while unknown
//	probe_duration_seconds{target,phase}         phase: resolve, connect, tls, processing, total
//	probe_http_status_code{target}               0 when no HTTP answer
//	downforai_probes_total{target,class}         counter of results by class
//	downforai_last_probe_timestamp_seconds{target}
//	downforai_component_status{service,component_id,status}  1 for the current status (a state set)
//	downforai_verdict{verdict}                   1 for the current overall verdict (a state set)
//	downforai_service_verdict{service,verdict}   1 for each service's current verdict
//	downforai_verdict_stale                      1 when the newest data is older than the stale limit
//	downforai_open_incidents{source}             official: unresolved on the status page; local: our open incidents (TrackLocalIncidents, then each event)
//	downforai_maintenances_active                official maintenances in progress
//	downforai_ratelimit_limit{target,kind}       kind: requests, tokens (anthropic-ratelimit-* headers)
//	downforai_ratelimit_remaining{target,kind}
//	downforai_ratelimit_headroom_ratio{target,kind}  remaining / limit
//	downforai_ratelimit_retry_after_seconds{target}
//	downforai_build_info{version}                1
package metrics

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"downforai/probe"
)

// componentStatuses are the Statuspage component statuses, plus "unknown"
// for anything else or nothing.
var componentStatuses = []string{"operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance", "unknown"}

// Metrics holds the collectors on a registry of its own (plus the Go and
// process collectors). Observe is safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	success    *prometheus.GaugeVec
	duration   *prometheus.GaugeVec
	httpStatus *prometheus.GaugeVec
	probes     *prometheus.CounterVec
	last       *prometheus.GaugeVec
	component  *prometheus.GaugeVec
	verdict    *prometheus.GaugeVec
	svcVerdict *prometheus.GaugeVec
	stale      prometheus.Gauge
	incidents  *prometheus.GaugeVec
	maint      prometheus.Gauge
	rlLimit    *prometheus.GaugeVec
	rlRemain   *prometheus.GaugeVec
	rlHeadroom *prometheus.GaugeVec
	rlRetry    *prometheus.GaugeVec

	mu   sync.Mutex
	open map[string]bool // ids of our incidents still open
}

// New builds the metrics; version goes into downforai_build_info.
func New(version string) *Metrics {
	reg := prometheus.NewRegistry()
	f := func(c prometheus.Collector) { reg.MustRegister(c) }
	g := func(name, help string, labels ...string) *prometheus.GaugeVec {
		v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
		f(v)
		return v
	}
	m := &Metrics{reg: reg}
	m.success = g("probe_success", "Whether the last probe of the target succeeded (ok or slow).", "target")
	m.duration = g("probe_duration_seconds", "Duration of the last probe of the target by phase (resolve, connect, tls, processing, total).", "target", "phase")
	m.httpStatus = g("probe_http_status_code", "HTTP status of the last probe of the target; 0 when no HTTP answer arrived.", "target")
	m.probes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "downforai_probes_total", Help: "Probe results by target and class."}, []string{"target", "class"})
	f(m.probes)
	m.last = g("downforai_last_probe_timestamp_seconds", "Unix time of the last probe of the target.", "target")
	m.component = g("downforai_component_status", "Official status page component status: 1 for the current status.", "service", "component_id", "status")
	m.verdict = g("downforai_verdict", "Overall verdict: 1 for the current one.", "verdict")
	m.svcVerdict = g("downforai_service_verdict", "Verdict per service: 1 for the current one.", "service", "verdict")
	m.stale = prometheus.NewGauge(prometheus.GaugeOpts{Name: "downforai_verdict_stale", Help: "1 when the newest data is older than the stale limit."})
	f(m.stale)
	m.incidents = g("downforai_open_incidents", "Open incidents: official (unresolved on the status page) and local (detected by our probes).", "source")
	m.maint = prometheus.NewGauge(prometheus.GaugeOpts{Name: "downforai_maintenances_active", Help: "Official scheduled maintenances in progress."})
	f(m.maint)
	m.rlLimit = g("downforai_ratelimit_limit", "Rate limit of your key from the anthropic-ratelimit-*-limit headers.", "target", "kind")
	m.rlRemain = g("downforai_ratelimit_remaining", "Remaining rate limit of your key from the anthropic-ratelimit-*-remaining headers.", "target", "kind")
	m.rlHeadroom = g("downforai_ratelimit_headroom_ratio", "Remaining over limit of your key's rate limit, 0 to 1.", "target", "kind")
	m.rlRetry = g("downforai_ratelimit_retry_after_seconds", "The retry-after of the last rate-limited answer; 0 when none.", "target")
	info := g("downforai_build_info", "downforai build; always 1.", "version")
	info.WithLabelValues(probe.Line(version, 40)).Set(1)
	f(collectors.NewGoCollector())
	f(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is where the collectors live, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// setLocalIncidents sets downforai_open_incidents{source="local"}; until
// it is first called the series is absent.
func (m *Metrics) setLocalIncidents(n int) {
	m.incidents.WithLabelValues("local").Set(float64(n))
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
func (m *Metrics) Observe(_ time.Time, ev *probe.Event, v probe.Verdict, st *probe.Status) {
	if ev != nil {
		if ev.Result.Target != "" { // announcements carry no result
			m.result(ev.Result)
		}
		m.localIncidents(ev.LocalIncidents)
	}
	for _, k := range probe.VerdictKinds() {
		m.verdict.WithLabelValues(k.Key()).Set(b2f(k == v.Kind))
	}
	for _, sv := range v.Services {
		for _, k := range probe.VerdictKinds() {
			m.svcVerdict.WithLabelValues(sv.Service.Key, k.Key()).Set(b2f(k == sv.Kind))
		}
	}
	m.stale.Set(b2f(v.Stale))
	if st != nil {
		m.status(*st)
	}
}

func (m *Metrics) result(r probe.Result) {
	t := string(r.Target)
	m.probes.WithLabelValues(t, r.Class.String()).Inc()
	if !r.Time.IsZero() {
		m.last.WithLabelValues(t).Set(float64(r.Time.UnixNano()) / 1e9)
	}
	if r.Class == probe.ClassUnknown {
		// Not installed, no key, no data: neither up nor down.
		m.success.DeleteLabelValues(t)
	} else {
		m.success.WithLabelValues(t).Set(b2f(r.Class.Up()))
	}
	m.httpStatus.WithLabelValues(t).Set(float64(r.HTTPStatus))
	for _, p := range []struct {
		phase string
		d     time.Duration
	}{
		{"resolve", r.Phases.DNS}, {"connect", r.Phases.Connect}, {"tls", r.Phases.TLS},
		{"processing", r.Phases.FirstByte}, {"total", r.Phases.Total},
	} {
		m.duration.WithLabelValues(t, p.phase).Set(p.d.Seconds())
	}
	rl := r.RateLimit
	if rl.RequestsLimit > 0 || rl.RequestsRemaining > 0 {
		m.ratelimit(t, "requests", rl.RequestsLimit, rl.RequestsRemaining)
	}
	if rl.TokensLimit > 0 || rl.TokensRemaining > 0 {
		m.ratelimit(t, "tokens", rl.TokensLimit, rl.TokensRemaining)
	}
	if !rl.IsZero() || r.Class == probe.ClassRateLimited {
		m.rlRetry.WithLabelValues(t).Set(rl.RetryAfter.Seconds())
	}
}

func (m *Metrics) ratelimit(target, kind string, limit, remaining int64) {
	m.rlLimit.WithLabelValues(target, kind).Set(float64(limit))
	m.rlRemain.WithLabelValues(target, kind).Set(float64(remaining))
	if limit > 0 {
		m.rlHeadroom.WithLabelValues(target, kind).Set(min(1, max(0, float64(remaining)/float64(limit))))
	}
}

func (m *Metrics) status(st probe.Status) {
	for _, s := range probe.Services {
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
			m.component.WithLabelValues(s.Key, s.ComponentID, cs).Set(b2f(cs == cur))
		}
	}
	m.incidents.WithLabelValues("official").Set(float64(len(st.Incidents)))
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
