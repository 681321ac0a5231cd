package metrics

// The reference: probe/metrics as it was on client_golang (before issue
// 11), kept in the tests so that TestSameExpositionAsClientGolang can hold
// the exposition written by expo.go to the client's, byte for byte.

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"downforai/probe"
)

// refComponentStatuses are the Statuspage component statuses, plus "unknown"
// for anything else or nothing.
var refComponentStatuses = []string{"operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance", "unknown"}

// refMetrics holds the collectors on a registry of its own (plus the Go and
// process collectors). Observe is safe for concurrent use.
type refMetrics struct {
	reg *prometheus.Registry

	success      *prometheus.GaugeVec
	duration     *prometheus.GaugeVec
	httpDuration *prometheus.GaugeVec
	httpStatus   *prometheus.GaugeVec
	probes       *prometheus.CounterVec
	last         *prometheus.GaugeVec
	component    *prometheus.GaugeVec
	verdict      *prometheus.GaugeVec
	svcVerdict   *prometheus.GaugeVec
	stale        prometheus.Gauge
	incidents    *prometheus.GaugeVec
	maint        *prometheus.GaugeVec
	pageRead     *prometheus.GaugeVec
	requests     refLimitGauges
	tokens       refLimitGauges
	rlRetry      *prometheus.GaugeVec

	mu   sync.Mutex
	open map[string]bool // ids of our incidents still open
}

// refLimitGauges are the four series of one rate limit (requests or tokens):
// one metric per quantity, so an alert on requests cannot match tokens.
type refLimitGauges struct {
	limit, remaining, headroom, reset *prometheus.GaugeVec
}

// New builds the metrics; version goes into downforai_build_info.
func newRef(version string) *refMetrics {
	reg := prometheus.NewRegistry()
	f := func(c prometheus.Collector) { reg.MustRegister(c) }
	g := func(name, help string, labels ...string) *prometheus.GaugeVec {
		v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
		f(v)
		return v
	}
	m := &refMetrics{reg: reg}
	m.success = g("probe_success", "Whether the last probe of the target succeeded (ok or slow).", "target")
	m.duration = g("probe_duration_seconds", "How long the last probe of the target took, start to end.", "target")
	m.httpDuration = g("probe_http_duration_seconds", "Phases of the last HTTP probe of the target: resolve, connect, tls, processing (request written to first byte), transfer (the rest); 0 for a phase that did not happen.", "target", "phase")
	m.httpStatus = g("probe_http_status_code", "HTTP status of the last probe of an HTTP target; 0 when no HTTP answer arrived.", "target")
	m.probes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "downforai_probes_total", Help: "Probe results by target and class; for code_sessions, Claude Code's calls, counted as each ends (its retries and the record that ends them are one call)."}, []string{"target", "class"})
	f(m.probes)
	m.last = g("downforai_last_probe_timestamp_seconds", "Unix time of the last probe of the target.", "target")
	m.component = g("downforai_component_status", "Official status page component status: 1 for the current status.", "service", "component_id", "status")
	m.verdict = g("downforai_verdict", "Overall verdict: 1 for the current one.", "verdict")
	m.svcVerdict = g("downforai_service_verdict", "Verdict per service: 1 for the current one.", "service", "verdict")
	m.stale = prometheus.NewGauge(prometheus.GaugeOpts{Name: "downforai_verdict_stale", Help: "1 when the newest data is older than the stale limit."})
	f(m.stale)
	m.incidents = g("downforai_open_incidents", "Open incidents: official (unresolved on the status page) and local (detected by our probes).", "source")
	m.maint = g("downforai_maintenances_active", "Official scheduled maintenances in progress.")
	m.pageRead = g("downforai_status_page_read_timestamp_seconds", "Unix time of the last good read of Claude's status page; the official series are as of then.")
	for _, k := range []struct {
		gs   *refLimitGauges
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
	info.WithLabelValues(probe.Line(version, 40)).Set(1)
	f(collectors.NewGoCollector())
	f(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is where the collectors live, for tests and extra collectors.
func (m *refMetrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the exposition format.
func (m *refMetrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// setLocalIncidents sets downforai_open_incidents{source="local"}; until
// it is first called the series is absent.
func (m *refMetrics) setLocalIncidents(n int) {
	m.incidents.WithLabelValues("local").Set(float64(n))
}

// TrackLocalIncidents starts the count of our open incidents from those a
// previous run left open; Observe then follows the detector's changes on
// each event.
func (m *refMetrics) TrackLocalIncidents(open []probe.LocalIncident) {
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
func (m *refMetrics) localIncidents(ls []probe.LocalIncident) {
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
func (m *refMetrics) Observe(_ time.Time, ev *probe.Event, v probe.Verdict, st *probe.Status) {
	if ev != nil {
		if ev.Result.Target != "" { // announcements carry no result
			m.result(ev.Result)
		}
		m.localIncidents(ev.LocalIncidents)
	}
	for _, k := range probe.VerdictKinds() {
		m.verdict.WithLabelValues(k.Key()).Set(refB2f(k == v.Kind))
	}
	for _, sv := range v.Services {
		for _, k := range probe.VerdictKinds() {
			m.svcVerdict.WithLabelValues(sv.Service.Key, k.Key()).Set(refB2f(k == sv.Kind))
		}
	}
	m.stale.Set(refB2f(v.Stale))
	if !v.Official.Read.IsZero() {
		m.pageRead.WithLabelValues().Set(float64(v.Official.Read.UnixNano()) / 1e9)
	}
	switch {
	case st != nil && v.Official.Drives:
		m.status(*st)
	case st != nil || v.Official.State != "":
		m.status(probe.Status{})
		m.incidents.DeleteLabelValues("official")
		m.maint.DeleteLabelValues()
	}
}

func (m *refMetrics) result(r probe.Result) {
	t := string(r.Target)
	m.probes.WithLabelValues(t, r.Class.String()).Inc()
	if !r.Time.IsZero() {
		m.last.WithLabelValues(t).Set(float64(r.Time.UnixNano()) / 1e9)
	}
	if r.Class == probe.ClassUnknown {
		// Not installed, no key, no data: neither up nor down, and nothing
		// was measured.
		m.success.DeleteLabelValues(t)
		m.duration.DeleteLabelValues(t)
		m.httpStatus.DeleteLabelValues(t)
		m.httpDuration.DeletePartialMatch(prometheus.Labels{"target": t})
	} else {
		m.success.WithLabelValues(t).Set(refB2f(r.Class.Up()))
		m.duration.WithLabelValues(t).Set(r.Phases.Total.Seconds())
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
		m.rlRetry.WithLabelValues(t).Set(rl.RetryAfter.Seconds())
	}
}

// http sets the HTTP series of one result: its status and blackbox's
// phases. Transfer is what remains of the total after the other four
// (writing the request, reading the body).
func (m *refMetrics) http(t string, r probe.Result) {
	m.httpStatus.WithLabelValues(t).Set(float64(r.HTTPStatus))
	ph := r.Phases
	transfer := max(0, ph.Total-ph.DNS-ph.Connect-ph.TLS-ph.FirstByte)
	for _, p := range []struct {
		phase string
		d     time.Duration
	}{
		{"resolve", ph.DNS}, {"connect", ph.Connect}, {"tls", ph.TLS}, {"processing", ph.FirstByte}, {"transfer", transfer},
	} {
		m.httpDuration.WithLabelValues(t, p.phase).Set(p.d.Seconds())
	}
}

func (l refLimitGauges) set(target string, limit, remaining int64, reset time.Time) {
	l.limit.WithLabelValues(target).Set(float64(limit))
	l.remaining.WithLabelValues(target).Set(float64(remaining))
	if limit > 0 {
		l.headroom.WithLabelValues(target).Set(min(1, max(0, float64(remaining)/float64(limit))))
	}
	if !reset.IsZero() {
		l.reset.WithLabelValues(target).Set(float64(reset.UnixNano()) / 1e9)
	}
}

func (m *refMetrics) status(st probe.Status) {
	for _, s := range probe.Services() {
		cur := "unknown"
		if c, ok := st.Component(s.ComponentID, s.ComponentName); ok {
			cur = string(c.Status)
		}
		known := false
		for _, cs := range refComponentStatuses {
			known = known || cs == cur
		}
		if !known {
			cur = "unknown"
		}
		for _, cs := range refComponentStatuses {
			m.component.WithLabelValues(s.Key, s.ComponentID, cs).Set(refB2f(cs == cur))
		}
	}
	m.incidents.WithLabelValues("official").Set(float64(len(st.Incidents)))
	active := 0
	for _, mt := range st.Maintenances {
		if mt.Status == "in_progress" || mt.Status == "verifying" {
			active++
		}
	}
	m.maint.WithLabelValues().Set(float64(active))
}

func refB2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
