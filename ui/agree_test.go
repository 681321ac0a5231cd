package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"downforai/probe"
	"downforai/probe/metrics"
	"downforai/probe/notify"
	"downforai/probe/watch"
)

// sinkRec keeps what a Notifier sent.
type sinkRec struct {
	mu   sync.Mutex
	sent []notify.Notification
}

func (s *sinkRec) Send(_ context.Context, n notify.Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, n)
	return nil
}

func (s *sinkRec) last() (notify.Notification, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sent) == 0 {
		return notify.Notification{}, false
	}
	return s.sent[len(s.sent)-1], true
}

// TestBannerMetricsNotificationsAgree: one verdict per moment. The same
// evidence, fed to the dashboard, to the tracker /metrics and the
// notifications read (as serve wires them), gives one answer: the banner's
// kind and headline, downforai_verdict and downforai_service_verdict, and
// the last notification say the same. --recover-threshold reaches all of
// them: with 3, two successes after an outage are still "recovering"
// everywhere.
func TestBannerMetricsNotificationsAgree(t *testing.T) {
	ok := func(tg probe.Target, at time.Time) probe.Result {
		return probe.Result{Target: tg, Time: at, Class: probe.ClassOK, HTTPStatus: okCode(tg),
			Phases: probe.Phases{DNS: time.Millisecond, Connect: 2 * time.Millisecond, TLS: 3 * time.Millisecond, Total: 90 * time.Millisecond}}
	}
	o529 := func(tg probe.Target, at time.Time) probe.Result {
		r := overloaded(1)
		r.Target, r.Time = tg, at
		r.Phases.Connect, r.Phases.TLS = 2*time.Millisecond, 3*time.Millisecond
		return r
	}
	r401 := func(tg probe.Target, at time.Time) probe.Result {
		return probe.Result{Target: tg, Time: at, Class: probe.ClassAuth, HTTPStatus: 401, ErrorType: "authentication_error",
			Message: "401 authentication_error: invalid x-api-key", RequestID: "req_011CAgree",
			Phases: probe.Phases{Connect: 2 * time.Millisecond, TLS: 3 * time.Millisecond, Total: 80 * time.Millisecond}}
	}
	page503 := func(at time.Time) probe.Result {
		return probe.Result{Target: probe.TargetStatus, Time: at, Class: probe.ClassServer, HTTPStatus: 503,
			Message: "503 Service Unavailable", Phases: probe.Phases{Connect: 2 * time.Millisecond, TLS: 3 * time.Millisecond, Total: 40 * time.Millisecond}}
	}
	type round struct {
		api, key, web func(probe.Target, time.Time) probe.Result
		page          func(time.Time) probe.Result // nil: read fine, with status
		status        func(time.Time) probe.Status
	}
	cases := []struct {
		name    string
		recover int
		rounds  []round
		want    probe.VerdictKind
		words   string // in the headline
	}{
		{"acknowledged outage", 0, []round{
			{api: o529, key: o529, web: ok, status: outageStatus},
			{api: o529, key: o529, web: ok, status: outageStatus},
			{api: o529, key: o529, web: ok, status: outageStatus},
		}, probe.VerdictOutage, "acknowledged"},
		{"not yet acknowledged", 0, []round{
			{api: o529, key: ok, web: ok, status: operationalStatus},
			{api: o529, key: ok, web: ok, status: operationalStatus},
			{api: o529, key: ok, web: ok, status: operationalStatus},
		}, probe.VerdictUnacknowledged, "not yet acknowledged"},
		{"credential rejected", 0, []round{
			{api: ok, key: r401, web: ok, status: operationalStatus},
			{api: ok, key: r401, web: ok, status: operationalStatus},
		}, probe.VerdictLocalCredential, "rejects"},
		{"status page unreadable", 0, []round{
			{api: ok, key: ok, web: ok, page: page503},
			{api: ok, key: ok, web: ok, page: page503},
		}, probe.VerdictOperational, "could not be read"},
		{"recovering with --recover-threshold 3", 3, []round{
			{api: o529, key: o529, web: ok, status: operationalStatus},
			{api: o529, key: o529, web: ok, status: operationalStatus},
			{api: o529, key: o529, web: ok, status: operationalStatus},
			{api: ok, key: ok, web: ok, status: operationalStatus},
			{api: ok, key: ok, web: ok, status: operationalStatus},
		}, probe.VerdictUnacknowledged, "not yet acknowledged"},
		{"recovered after --recover-threshold 3", 3, []round{
			{api: o529, key: o529, web: ok, status: operationalStatus},
			{api: o529, key: o529, web: ok, status: operationalStatus},
			{api: ok, key: ok, web: ok, status: operationalStatus},
			{api: ok, key: ok, web: ok, status: operationalStatus},
			{api: ok, key: ok, web: ok, status: operationalStatus},
		}, probe.VerdictOperational, "All clear"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := testOptions()
			opts.RecoverThreshold = c.recover
			m := send(New(opts), tea.WindowSizeMsg{Width: 160, Height: 48})
			tr := watch.NewTracker(opts.StaleAfter)
			tr.Recover = c.recover
			met := metrics.New("test")
			sink := &sinkRec{}
			nt := notify.New(notify.Options{})
			nt.Add(sink)
			feed := func(ev probe.Event) {
				m = send(m, eventMsg(ev))
				tr.Apply(ev)
				v := tr.Verdict(testNow)
				met.Observe(testNow, &ev, v, tr.Status())
				nt.Observe(testNow, &ev, v, tr.Status())
			}
			// A healthy round first, so the notifier knows where it started.
			rounds := append([]round{{api: ok, key: ok, web: ok, status: operationalStatus}}, c.rounds...)
			for i, rd := range rounds {
				at := testNow.Add(-time.Duration(len(rounds)-i) * 30 * time.Second)
				if rd.page != nil {
					feed(probe.Event{Result: rd.page(at)})
				} else {
					st := rd.status(at)
					feed(probe.Event{Result: ok(probe.TargetStatus, at), Status: &st})
				}
				feed(probe.Event{Result: rd.api(probe.TargetAPI, at.Add(time.Second))})
				feed(probe.Event{Result: rd.key(probe.TargetAPIKey, at.Add(2*time.Second))})
				feed(probe.Event{Result: rd.web(probe.TargetClaudeAI, at.Add(3*time.Second))})
			}
			// Close abandons what is queued: under load the last verdict's
			// notification was still in the queue, and the test read an
			// older one ("no notification of Your credential").
			nt.Flush(context.Background())
			nt.Close()

			banner := m.board.verdict
			if banner.Kind != c.want || !strings.Contains(banner.Headline, c.words) {
				t.Fatalf("banner: %s %q; want %s with %q", banner.Kind, banner.Headline, c.want, c.words)
			}
			if view := m.View(); !strings.Contains(view, banner.Kind.String()) {
				t.Errorf("the screen does not show %s:\n%s", banner.Kind, view)
			}
			tv := tr.Verdict(testNow)
			if tv.Kind != banner.Kind || tv.Headline != banner.Headline {
				t.Errorf("metrics and notifications judge %s %q; the banner %s %q", tv.Kind, tv.Headline, banner.Kind, banner.Headline)
			}
			gauges := scrape(t, met)
			if got := gauges["downforai_verdict"]; got != banner.Kind.Key() {
				t.Errorf("downforai_verdict is %q, the banner %q", got, banner.Kind.Key())
			}
			for _, sv := range banner.Services {
				if got := gauges["downforai_service_verdict/"+sv.Service.Key]; got != sv.Kind.Key() {
					t.Errorf("downforai_service_verdict{service=%q} is %q, the banner's %q", sv.Service.Key, got, sv.Kind.Key())
				}
			}
			n, sent := sink.last()
			switch {
			case banner.Kind == probe.VerdictOperational && sent && n.Kind != banner.Kind:
				t.Errorf("last notification says %s, the banner %s", n.Kind, banner.Kind)
			case banner.Kind != probe.VerdictOperational && !sent:
				t.Errorf("no notification of %s", banner.Kind)
			case sent && (n.Kind != banner.Kind || !strings.Contains(n.Body, c.words)):
				t.Errorf("last notification: %s %q; the banner %s %q", n.Kind, n.Body, banner.Kind, banner.Headline)
			}
		})
	}
}

// scrape reads the verdict gauges that are 1: "downforai_verdict" → kind,
// "downforai_service_verdict/api" → kind.
func scrape(t *testing.T, m *metrics.Metrics) map[string]string {
	t.Helper()
	var text strings.Builder
	if err := m.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text.String()))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range fams {
		for _, mt := range f.GetMetric() {
			if mt.GetGauge().GetValue() != 1 {
				continue
			}
			labels := map[string]string{}
			for _, l := range mt.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			switch f.GetName() {
			case "downforai_verdict":
				out[f.GetName()] = labels["verdict"]
			case "downforai_service_verdict":
				out[f.GetName()+"/"+labels["service"]] = labels["verdict"]
			}
		}
	}
	return out
}
