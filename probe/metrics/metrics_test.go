package metrics

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.uber.org/goleak"

	"downforai/probe"
	"downforai/probe/watch"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// observer is what the tests feed: the metrics, or the reference.
type observer interface {
	Observe(time.Time, *probe.Event, probe.Verdict, *probe.Status)
}

// outage feeds the metrics an Anthropic outage through a watch.Tracker,
// as serve does.
func outage(m observer) {
	tr := watch.NewTracker(0)
	st := &probe.Status{Fetched: t0, Indicator: "major",
		Components: []probe.Component{
			{ID: "k8w3r06qmzrp", Name: "Claude API (api.anthropic.com)", Status: "major_outage"},
			{ID: "rwppv331jlwc", Name: "claude.ai", Status: "operational"},
			{ID: "yyzkbfz2thpt", Name: "Claude Code", Status: "something_new"},
		},
		Incidents:    []probe.Incident{{ID: "a", Status: "investigating"}, {ID: "b", Status: "identified"}},
		Maintenances: []probe.Incident{{ID: "m", Status: "in_progress"}, {ID: "n", Status: "scheduled"}},
	}
	evs := []probe.Event{
		{Result: probe.Result{Target: probe.TargetStatus, Time: t0, Class: probe.ClassOK, HTTPStatus: 200}, Status: st},
		{Result: probe.Result{Target: probe.TargetCode, Time: t0, Class: probe.ClassUnknown, Detail: "not installed"}},
		{Result: probe.Result{Target: probe.TargetClaudeAI, Time: t0, Class: probe.ClassOK, HTTPStatus: 200,
			Phases: probe.Phases{DNS: 2 * time.Millisecond, Connect: 3 * time.Millisecond, TLS: 5 * time.Millisecond, FirstByte: 40 * time.Millisecond, Total: 50 * time.Millisecond}}},
		{Result: probe.Result{Target: probe.TargetAPIKey, Time: t0, Class: probe.ClassOK, HTTPStatus: 200,
			RateLimit: probe.RateLimit{RequestsLimit: 50, RequestsRemaining: 10, RequestsReset: t0.Add(40 * time.Second),
				TokensLimit: 1000, TokensRemaining: 1000}}},
		{Result: probe.Result{Target: probe.TargetLocal, Time: t0, Class: probe.ClassOK, Phases: probe.Phases{Total: 30 * time.Millisecond}}},
	}
	for i := 0; i < 3; i++ {
		evs = append(evs, probe.Event{Result: probe.Result{Target: probe.TargetAPI, Time: t0.Add(time.Duration(i) * time.Second),
			Class: probe.ClassOverloaded, HTTPStatus: 529, Phases: probe.Phases{Total: 1500 * time.Millisecond}}})
	}
	for _, ev := range evs {
		tr.Apply(ev)
		m.Observe(t0, &ev, tr.Verdict(t0.Add(time.Minute)), tr.Status())
	}
}

// scrape serves the handler over HTTP and parses the exposition format.
func scrape(t *testing.T, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("content type %q", ct)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("exposition does not parse: %v", err)
	}
	return fams
}

// families parses what WriteText writes, as a list.
func families(t *testing.T, m *Metrics) []*dto.MetricFamily {
	t.Helper()
	var b strings.Builder
	if err := m.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("exposition does not parse: %v", err)
	}
	var out []*dto.MetricFamily
	for _, f := range fams {
		out = append(out, f)
	}
	return out
}

// value finds the sample of family name whose labels include want.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if got[k] != v {
				continue next
			}
		}
		switch {
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		}
	}
	return 0, false
}

func TestExposition(t *testing.T) {
	m := New("1.2.3")
	outage(m)
	fams := scrape(t, m)
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"probe_success", map[string]string{"target": "api"}, 0},
		{"probe_success", map[string]string{"target": "claude_ai"}, 1},
		{"probe_http_status_code", map[string]string{"target": "api"}, 529},
		{"probe_duration_seconds", map[string]string{"target": "api"}, 1.5},
		{"probe_duration_seconds", map[string]string{"target": "claude_ai"}, 0.05},
		{"probe_duration_seconds", map[string]string{"target": "local"}, 0.03},
		{"probe_http_duration_seconds", map[string]string{"target": "claude_ai", "phase": "resolve"}, 0.002},
		{"probe_http_duration_seconds", map[string]string{"target": "claude_ai", "phase": "connect"}, 0.003},
		{"probe_http_duration_seconds", map[string]string{"target": "claude_ai", "phase": "tls"}, 0.005},
		{"probe_http_duration_seconds", map[string]string{"target": "claude_ai", "phase": "processing"}, 0.04},
		{"probe_http_duration_seconds", map[string]string{"target": "api", "phase": "transfer"}, 1.5},
		{"probe_http_duration_seconds", map[string]string{"target": "api", "phase": "tls"}, 0},
		{"downforai_probes_total", map[string]string{"target": "api", "class": "overloaded"}, 3},
		{"downforai_last_probe_timestamp_seconds", map[string]string{"target": "claude_ai"}, float64(t0.Unix())},
		{"downforai_verdict", map[string]string{"verdict": "outage"}, 1},
		{"downforai_verdict", map[string]string{"verdict": "operational"}, 0},
		{"downforai_service_verdict", map[string]string{"service": "api", "verdict": "outage"}, 1},
		{"downforai_service_verdict", map[string]string{"service": "claude_ai", "verdict": "operational"}, 1},
		{"downforai_component_status", map[string]string{"service": "api", "status": "major_outage"}, 1},
		{"downforai_component_status", map[string]string{"service": "api", "status": "operational"}, 0},
		{"downforai_component_status", map[string]string{"service": "claude_code", "status": "unknown"}, 1},
		{"downforai_open_incidents", map[string]string{"source": "official"}, 2},
		{"downforai_maintenances_active", nil, 1},
		{"downforai_verdict_stale", nil, 0},
		{"downforai_ratelimit_requests_limit", map[string]string{"target": "api_key"}, 50},
		{"downforai_ratelimit_requests_remaining", map[string]string{"target": "api_key"}, 10},
		{"downforai_ratelimit_requests_headroom_ratio", map[string]string{"target": "api_key"}, 0.2},
		{"downforai_ratelimit_requests_reset_timestamp_seconds", map[string]string{"target": "api_key"}, float64(t0.Unix() + 40)},
		{"downforai_ratelimit_tokens_remaining", map[string]string{"target": "api_key"}, 1000},
		{"downforai_ratelimit_tokens_headroom_ratio", map[string]string{"target": "api_key"}, 1},
		{"downforai_build_info", map[string]string{"version": "1.2.3"}, 1},
	} {
		got, ok := value(t, fams, tc.name, tc.labels)
		if !ok {
			t.Errorf("%s%v missing", tc.name, tc.labels)
			continue
		}
		if got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.name, tc.labels, got, tc.want)
		}
	}
	// Unknown is neither up nor down, and measured nothing: no series for
	// the missing CLI.
	for _, name := range []string{"probe_success", "probe_duration_seconds", "probe_http_status_code", "probe_http_duration_seconds"} {
		if _, ok := value(t, fams, name, map[string]string{"target": "claude_code"}); ok {
			t.Errorf("%s for an unknown result", name)
		}
	}
	// HTTP series are for HTTP targets only: the local checks have none.
	for _, name := range []string{"probe_http_status_code", "probe_http_duration_seconds"} {
		if _, ok := value(t, fams, name, map[string]string{"target": "local"}); ok {
			t.Errorf("%s for the local checks", name)
		}
	}
	// Without a reset header there is no reset series; a gauge per
	// quantity, never a kind label to confuse requests with tokens.
	if _, ok := value(t, fams, "downforai_ratelimit_tokens_reset_timestamp_seconds", nil); ok {
		t.Error("a tokens reset time that no header gave")
	}
	for name, f := range fams {
		for _, mt := range f.GetMetric() {
			for _, l := range mt.GetLabel() {
				if l.GetName() == "kind" || name == "probe_duration_seconds" && l.GetName() == "phase" {
					t.Errorf("%s has a %s label", name, l.GetName())
				}
			}
		}
	}
	// No local incidents until the hook is called.
	if _, ok := value(t, fams, "downforai_open_incidents", map[string]string{"source": "local"}); ok {
		t.Error("local incidents before they are tracked")
	}
	m.setLocalIncidents(3)
	if got, _ := value(t, scrape(t, m), "downforai_open_incidents", map[string]string{"source": "local"}); got != 3 {
		t.Errorf("local incidents = %v", got)
	}
}

func TestOpenLocalIncidentsFollowTheDetector(t *testing.T) {
	m := New("dev")
	local := func() float64 {
		got, ok := value(t, scrape(t, m), "downforai_open_incidents", map[string]string{"source": "local"})
		if !ok {
			t.Fatal("no local incidents series")
		}
		return got
	}
	now := time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)
	m.TrackLocalIncidents([]probe.LocalIncident{{ID: "a"}, {ID: "old", Closed: now}})
	if got := local(); got != 1 {
		t.Fatalf("restored open incidents = %v, want 1", got)
	}
	m.Observe(now, &probe.Event{LocalIncidents: []probe.LocalIncident{{ID: "b"}}}, probe.Verdict{}, nil)
	if got := local(); got != 2 {
		t.Fatalf("after an opening = %v, want 2", got)
	}
	m.Observe(now, &probe.Event{LocalIncidents: []probe.LocalIncident{{ID: "a", Recovered: now, Closed: now}}}, probe.Verdict{}, nil)
	if got := local(); got != 1 {
		t.Fatalf("after a closing = %v, want 1", got)
	}
}

func TestLint(t *testing.T) {
	m := New("dev")
	outage(m)
	problems, err := promlint.NewWithMetricFamilies(families(t, m)).Lint()
	if err != nil {
		t.Fatal(err)
	}

	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}

func TestServe(t *testing.T) {
	m := New("dev")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, m.Handler()) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "downforai_build_info") {
		t.Errorf("body: %.200s", body)
	}
	http.DefaultClient.CloseIdleConnections()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func BenchmarkObserve(b *testing.B) {
	m := New("dev")
	v := probe.Verdict{Kind: probe.VerdictOperational}
	for _, s := range probe.Services() {
		v.Services = append(v.Services, probe.ServiceVerdict{Service: s, Kind: probe.VerdictOperational})
	}
	ev := &probe.Event{Result: probe.Result{Target: probe.TargetAPI, Time: t0, Class: probe.ClassOK, HTTPStatus: 401}}
	b.ReportAllocs()
	for b.Loop() {
		m.Observe(t0, ev, v, nil)
	}
}

// TestREADMEListsEveryMetric: the README's metric table names every family
// /metrics exports, and nothing else, so the table users write alerts from
// stays true.
func TestREADMEListsEveryMetric(t *testing.T) {
	m := New("dev")
	outage(m)
	m.Observe(t0, &probe.Event{Result: probe.Result{Target: probe.TargetAPIKey, Time: t0, Class: probe.ClassRateLimited, HTTPStatus: 429,
		RateLimit: probe.RateLimit{TokensLimit: 10, TokensRemaining: 0, TokensReset: t0.Add(time.Minute), RetryAfter: 30 * time.Second}}}, probe.Verdict{}, nil)
	m.setLocalIncidents(0)
	exported := map[string]bool{}
	for _, f := range families(t, m) {
		if n := f.GetName(); !strings.HasPrefix(n, "go_") && !strings.HasPrefix(n, "process_") && !strings.HasPrefix(n, "promhttp_") {
			exported[n] = true
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	section = section[strings.Index(section, "### Metrics"):]
	section = section[:strings.Index(section, "Renamed")]
	documented := map[string]bool{}
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cell := strings.Split(line, "|")[1]
		for _, name := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(cell, -1) {
			documented[name[1]] = true
		}
	}
	for n := range exported {
		if !documented[n] {
			t.Errorf("%s is exported but not in README's metric table", n)
		}
	}
	for n := range documented {
		if !exported[n] {
			t.Errorf("README lists %s, which /metrics does not export", n)
		}
	}
}

// TestComponentStatusNeedsAFreshRead: a major outage read once, then a
// status page that stopped answering past the stale limit, is no longer
// exported as major_outage (issue 19, defect 2): the component is unknown.
func TestComponentStatusNeedsAFreshRead(t *testing.T) {
	m := New("1.2.3")
	tr := watch.NewTracker(time.Minute)
	st := &probe.Status{Fetched: t0, Indicator: "major",
		Components: []probe.Component{{ID: "k8w3r06qmzrp", Name: "Claude API (api.anthropic.com)", Status: "major_outage"}},
		Incidents:  []probe.Incident{{ID: "x", Name: "Elevated errors", Status: "investigating", Impact: "major"}}}
	if _, ok := value(t, scrape(t, m), "downforai_maintenances_active", nil); ok {
		t.Error("maintenances in progress said before the page was read")
	}
	obs := func(now time.Time, ev probe.Event) {
		tr.Apply(ev)
		m.Observe(now, &ev, tr.Verdict(now), tr.Status())
	}
	obs(t0, probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: t0, Class: probe.ClassOK}, Status: st})
	if v, _ := value(t, scrape(t, m), "downforai_component_status", map[string]string{"service": "api", "status": "major_outage"}); v != 1 {
		t.Fatalf("fresh major outage: %v", v)
	}
	later := t0.Add(2 * time.Minute)
	obs(later, probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: later, Class: probe.ClassNetwork, ErrorType: probe.NetTimeout}})
	fams := scrape(t, m)
	if v, _ := value(t, fams, "downforai_component_status", map[string]string{"service": "api", "status": "major_outage"}); v != 0 {
		t.Errorf("major_outage still 1 two minutes after the page stopped answering")
	}
	if v, _ := value(t, fams, "downforai_component_status", map[string]string{"service": "api", "status": "unknown"}); v != 1 {
		t.Errorf("the component should be unknown")
	}
	// Its counts are not known either: absent, not "0 open incidents".
	if v, ok := value(t, fams, "downforai_open_incidents", map[string]string{"source": "official"}); ok {
		t.Errorf("%v official open incidents while the page cannot be read", v)
	}
	if v, ok := value(t, fams, "downforai_maintenances_active", nil); ok {
		t.Errorf("%v maintenances in progress while the page cannot be read", v)
	}
	// What the series were as of: the last good read.
	if v, ok := value(t, fams, "downforai_status_page_read_timestamp_seconds", nil); !ok || v != float64(t0.UnixNano())/1e9 {
		t.Errorf("last read at %v (%v), want %v", v, ok, float64(t0.UnixNano())/1e9)
	}
}
