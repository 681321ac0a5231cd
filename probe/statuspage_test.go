package probe

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestParseSummaryOperational(t *testing.T) {
	st, err := ParseSummary(fixture(t, "summary_operational.json"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Indicator != "none" || st.Description != "All Systems Operational" {
		t.Errorf("status %q %q", st.Indicator, st.Description)
	}
	if !st.UpdatedAt.Equal(mustTime(t, "2026-09-04T12:03:36.857Z")) {
		t.Errorf("UpdatedAt %v", st.UpdatedAt)
	}
	if len(st.Components) != 6 || len(st.Incidents) != 0 || len(st.Maintenances) != 0 {
		t.Fatalf("%d components %d incidents %d maintenances", len(st.Components), len(st.Incidents), len(st.Maintenances))
	}
	want := Component{ID: "k8w3r06qmzrp", Name: "Claude API (api.anthropic.com)", Status: "operational", Position: 3}
	if got := st.Components[2]; got != want {
		t.Errorf("component %+v, want %+v", got, want)
	}
	for _, s := range Services() {
		if _, ok := st.Component(s.ComponentID, ""); !ok {
			t.Errorf("service %s: component %s missing", s.Key, s.ComponentID)
		}
	}
	if _, err := ParseSummary(fixture(t, "summary_full_fields.json")); err != nil {
		t.Errorf("full-field fixture: %v", err)
	}
}

func TestParseSummaryOutage(t *testing.T) {
	st, err := ParseSummary(fixture(t, "summary_outage.json"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Indicator != "major" || !st.UpdatedAt.IsZero() {
		t.Errorf("indicator %q, updated %v (page had none)", st.Indicator, st.UpdatedAt)
	}
	if len(st.Incidents) != 2 {
		t.Fatalf("%d incidents", len(st.Incidents))
	}
	in := st.Incidents[1]
	if in.ID != "461yvfrzpwtt" || in.Status != "identified" || in.Impact != "major" || in.Shortlink != "https://stspg.io/9xz4hhmd1jzn" {
		t.Errorf("incident %+v", in)
	}
	if !in.StartedAt.Equal(mustTime(t, "2026-09-03T13:26:04.191Z")) || !in.CreatedAt.Equal(mustTime(t, "2026-09-03T13:26:04.2Z")) {
		t.Errorf("started %v created %v", in.StartedAt, in.CreatedAt)
	}
	if !in.UpdatedAt.Equal(mustTime(t, "2026-09-03T20:49:48Z")) {
		t.Errorf("offset timestamp: UpdatedAt %v", in.UpdatedAt)
	}
	if !in.ResolvedAt.IsZero() {
		t.Errorf("null resolved_at parsed as %v", in.ResolvedAt)
	}
	if len(in.Updates) != 2 || in.Updates[0].ID != "u2" || in.Updates[1].ID != "u1" {
		t.Fatalf("updates not newest first: %+v", in.Updates)
	}
	if !in.Updates[0].At.Equal(mustTime(t, "2026-09-03T14:50:00Z")) {
		t.Errorf("display_at not preferred: %v", in.Updates[0].At)
	}
	if !in.Updates[1].At.Equal(mustTime(t, "2026-09-03T13:26:04.3Z")) {
		t.Errorf("null display_at must fall back to created_at: %v", in.Updates[1].At)
	}
	if got := strings.Join(in.Components, ","); got != "rwppv331jlwc,k8w3r06qmzrp,yyzkbfz2thpt" {
		t.Errorf("affected components %q", got)
	}
	if got := strings.Join(in.Updates[1].Components, ","); got != "rwppv331jlwc,yyzkbfz2thpt" {
		t.Errorf("update components %q", got)
	}

	if len(st.Maintenances) != 1 {
		t.Fatalf("%d maintenances", len(st.Maintenances))
	}
	m := st.Maintenances[0]
	if m.Impact != "maintenance" || m.Status != "scheduled" ||
		!m.ScheduledFor.Equal(mustTime(t, "2026-09-10T00:00:00Z")) || !m.ScheduledUntil.Equal(mustTime(t, "2026-09-10T01:00:00Z")) {
		t.Errorf("maintenance %+v", m)
	}
	if len(m.Components) != 1 || m.Components[0] != "k8w3r06qmzrp" {
		t.Errorf("maintenance components %v (union of updates and components, deduplicated)", m.Components)
	}
	if m.Updates[0].Body != "We will be\nperforming maintenance." {
		t.Errorf("body lost its line break: %q", m.Updates[0].Body)
	}
}

func TestParseSummaryLenientAndSanitised(t *testing.T) {
	st, err := ParseSummary(fixture(t, "summary_hostile.json"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Description != "Degraded Service" {
		t.Errorf("description %q", st.Description)
	}
	if len(st.Components) != 2 {
		t.Fatalf("components %+v: the odd element 42 is dropped, the others kept", st.Components)
	}
	c := st.Components[0]
	if c.Name != "claude.ai" || c.Position != 1 || c.Group || c.GroupID != "7" || c.Status != "degraded_performance" {
		t.Errorf("component %+v", c)
	}
	if st.Components[1].Name != "" || st.Components[1].Status != "" {
		t.Errorf("nulls must stay empty: %+v", st.Components[1])
	}
	// An 8-bit CSI sequence goes whole, parameters included.
	if st.Incidents[0].Name != "Degraded performance" {
		t.Errorf("C1 CSI kept: %q", st.Incidents[0].Name)
	}
	if b := st.Incidents[0].Updates[0].Body; b != "line one\nline two" {
		t.Errorf("body %q", b)
	}
	if st.Maintenances != nil {
		t.Errorf("null maintenances: %v", st.Maintenances)
	}
}

// TestParseSummaryReadsWhatThePageServes: a page without its overall
// status object still serves its components, incidents and page id.
func TestParseSummaryReadsWhatThePageServes(t *testing.T) {
	for _, body := range []string{
		`{"page":{"id":"tymt9n04zgry","name":"Claude"},"components":[{"id":"k8w3r06qmzrp","status":"operational"}],"incidents":[{"id":"x1","name":"Errors"}]}`,
		`{"page":{"id":"tymt9n04zgry","name":"Claude"},"status":"ok","components":[{"id":"k8w3r06qmzrp","status":"operational"}],"incidents":[{"id":"x1","name":"Errors"}]}`,
	} {
		st, err := ParseSummary([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if st.Indicator != "" || len(st.Components) != 1 || len(st.Incidents) != 1 || st.PageID != "tymt9n04zgry" || st.PageName != "Claude" {
			t.Errorf("%+v", st)
		}
	}
}

// TestStatusProberKnowsWhosePageItIs: another company's page is not read
// as Claude's; a mirror's id can be named.
func TestStatusProberKnowsWhosePageItIs(t *testing.T) {
	gh := []byte(`{"page":{"id":"kctbh9vrtdwd","name":"GitHub"},"status":{"indicator":"none","description":"All Systems Operational"},"components":[{"id":"8l4ygp009s5s","name":"Git Operations","status":"operational"}],"incidents":[]}`)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write(gh) })
	p := NewStatusProber(srv.URL, testProber())
	res, st := p.Probe(context.Background())
	if st != nil || res.Class != ClassUnexpected || res.ErrorType != ErrForeignPage || res.Detail != "GitHub" ||
		!strings.Contains(res.Message, "not Claude's status page: GitHub") {
		t.Errorf("foreign page: %+v %v", res, st)
	}
	p = NewStatusProber(srv.URL, testProber())
	p.PageID = "kctbh9vrtdwd"
	if res, st := p.Probe(context.Background()); st == nil || res.Class != ClassOK {
		t.Errorf("with its id named: %+v", res)
	}
}

func TestParseSummaryRejects(t *testing.T) {
	tests := []struct {
		name string
		body string
		want error
		msg  string
	}{
		{"html challenge", string(fixture(t, "challenge.html")), ErrHTML, "an HTML page, not status JSON (a browser challenge)"},
		{"not json", "hello", ErrNotJSON, "not JSON"},
		{"empty", "", ErrNotJSON, "not JSON"},
		{"array", `[1,2]`, ErrWrongShape, "not an object"},
		{"no components", string(fixture(t, "summary_wrong_shape.json")), ErrWrongShape, "no components array"},
		{"null components", `{"status":{"indicator":"none"},"components":null}`, ErrWrongShape, "no components array"},
		{"components not array", `{"status":{"indicator":"none"},"components":{"a":1}}`, ErrWrongShape, "no components array"},
		{"status json only", `{"page":{},"status":{"indicator":"none"}}`, ErrWrongShape, "no components array"},
		{"other API", `{"data":[],"has_more":false}`, ErrWrongShape, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSummary([]byte(tt.body))
			if !errors.Is(err, tt.want) || !strings.Contains(fmtErr(err), tt.msg) {
				t.Errorf("err %v, want %v containing %q", err, tt.want, tt.msg)
			}
		})
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestStatusProber(t *testing.T) {
	op := fixture(t, "summary_operational.json")
	outage := fixture(t, "summary_outage.json")
	html := fixture(t, "challenge.html")
	with := func(code int, body []byte, hdr ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/api/v2/summary.json" {
				http.NotFound(w, r)
				return
			}
			for i := 0; i+1 < len(hdr); i += 2 {
				w.Header().Set(hdr[i], hdr[i+1])
			}
			w.WriteHeader(code)
			w.Write(body)
		}
	}
	tests := []struct {
		name      string
		h         http.HandlerFunc
		class     Class
		errType   string
		detail    string
		msg       string
		hasStatus bool
	}{
		{"operational", with(200, op), ClassOK, "", "none", "All Systems Operational", true},
		{"outage is a good fetch", with(200, outage), ClassOK, "", "major", "Partial System Outage (2 open incidents)", true},
		{"html 200", with(200, html, "Content-Type", "text/html"), ClassUnexpected, "html", "", "status page answered 200 with an HTML page, not status JSON (a browser challenge)", false},
		{"wrong shape", with(200, fixture(t, "summary_wrong_shape.json")), ClassUnexpected, "wrong_shape", "", "JSON of the wrong shape (no components array)", false},
		{"not json", with(200, []byte("OK")), ClassUnexpected, "not_json", "", "a body that is not JSON", false},
		{"huge", huge, ClassUnexpected, "too_large", "", "more than 1048576 bytes", false},
		{"429", with(429, []byte("slow down"), "Retry-After", "60"), ClassRateLimited, "rate_limited", "", "429 Too Many Requests", false},
		{"500", with(500, nil), ClassServer, "http_500", "", "500 Internal Server Error", false},
		{"502", with(502, nil), ClassServer, "http_502", "", "502 Bad Gateway", false},
		{"503 plain error page", with(503, []byte("<html><body><h1>503 Service Temporarily Unavailable</h1><hr>nginx</body></html>")), ClassServer, "http_503", "", "503 Service Unavailable, an HTML page", false},
		{"503 html", with(503, html), ClassServer, "http_503", "", "503 Service Unavailable, a browser challenge page", false},
		{"504", with(504, nil), ClassServer, "http_504", "", "504 Gateway Timeout", false},
		{"405 challenge", with(405, html), ClassUnexpected, "http_405", "", "405 Method Not Allowed, a browser challenge page", false},
		{"404", with(404, nil), ClassUnexpected, "http_404", "", "404 Not Found", false},
		{"redirect loop", redirectLoop, ClassUnexpected, "redirect", "", "stopped after 5 redirects", false},
		{"reset", resetMidBody, ClassNetwork, NetReset, "", "", false},
		{"timeout", hang, ClassNetwork, NetTimeout, "", "timed out after 50ms", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.h)
			p := NewStatusProber(srv.URL+"/", testProber())
			p.Timeout = 50 * time.Millisecond
			if tt.name != "timeout" {
				p.Timeout = 5 * time.Second
			}
			p.SlowAfter = -1
			res, st := p.Probe(context.Background())
			if res.Target != TargetStatus || res.Time.IsZero() {
				t.Errorf("target %q time %v", res.Target, res.Time)
			}
			if res.Class != tt.class || res.ErrorType != tt.errType || res.Detail != tt.detail || !strings.Contains(res.Message, tt.msg) {
				t.Errorf("got %v %q %q %q, want %v %q %q containing %q", res.Class, res.ErrorType, res.Detail, res.Message, tt.class, tt.errType, tt.detail, tt.msg)
			}
			if (st != nil) != tt.hasStatus {
				t.Errorf("status returned: %v, want %v", st != nil, tt.hasStatus)
			}
			if st != nil && !st.Fetched.Equal(res.Time) {
				t.Errorf("Fetched %v, result time %v", st.Fetched, res.Time)
			}
			if tt.class == ClassOK && (res.HTTPStatus != 200 || res.Phases.Total <= 0 || res.Phases.Connect <= 0) {
				t.Errorf("status %d phases %+v", res.HTTPStatus, res.Phases)
			}
		})
	}
}

func TestStatusProberNetwork(t *testing.T) {
	p := NewStatusProber(refusedURL(t), testProber())
	res, st := p.Probe(context.Background())
	if res.Class != ClassNetwork || res.ErrorType != NetRefused || st != nil || res.HTTPStatus != 0 {
		t.Errorf("refused: %+v %v", res, st)
	}
	p = NewStatusProber("http://nonexistent.invalid", testProber())
	res, _ = p.Probe(context.Background())
	if res.Class != ClassNetwork || res.ErrorType != NetDNS {
		t.Errorf("dns: %+v", res)
	}
}

func TestStatusProberSlow(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write(fixture(t, "summary_operational.json")) })
	p := NewStatusProber(srv.URL, testProber())
	p.SlowAfter = time.Nanosecond // every real answer is over this budget
	res, st := p.Probe(context.Background())
	if res.Class != ClassSlow || st == nil || !strings.Contains(res.Message, "slow") {
		t.Errorf("got %v %q, status %v", res.Class, res.Message, st != nil)
	}
}

func TestStatusProberETag(t *testing.T) {
	var calls, conditional atomic.Int32
	body := fixture(t, "summary_outage.json")
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("If-None-Match") == `W/"v1"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `W/"v1"`)
		w.Write(body)
	})
	p := NewStatusProber(srv.URL, testProber())
	p.SlowAfter = -1
	first, st1 := p.Probe(context.Background())
	if first.Class != ClassOK || st1 == nil {
		t.Fatalf("first: %+v", first)
	}
	second, st2 := p.Probe(context.Background())
	if conditional.Load() != 1 || calls.Load() != 2 {
		t.Fatalf("calls %d, conditional %d", calls.Load(), conditional.Load())
	}
	if second.Class != ClassOK || second.HTTPStatus != http.StatusNotModified || second.Detail != "major" || !strings.Contains(second.Message, "unchanged") {
		t.Errorf("304: %+v", second)
	}
	if st2 == nil || len(st2.Incidents) != 2 || !st2.Fetched.Equal(second.Time) {
		t.Fatalf("304 must return the cached status with a fresh Fetched: %+v", st2)
	}
	if st1.Fetched.Equal(st2.Fetched) && !first.Time.Equal(second.Time) {
		t.Errorf("the first snapshot was mutated")
	}
}

func TestStatusProber304WithoutCache(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotModified) })
	res, st := NewStatusProber(srv.URL, testProber()).Probe(context.Background())
	if res.Class != ClassUnexpected || st != nil {
		t.Errorf("a 304 we did not ask for: %+v", res)
	}
}

func FuzzParseSummary(f *testing.F) {
	for _, name := range []string{"summary_operational.json", "summary_full_fields.json", "summary_outage.json",
		"summary_hostile.json", "summary_wrong_shape.json", "challenge.html", "models_list.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"status":{"indicator":"none"},"components":[{"id":"\u001b[31m"}],"incidents":[{"incident_updates":[{"body":"\u009b\r\n"}]}]}`))
	f.Add([]byte(`{"status":{"indicator":1e400},"components":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := ParseSummary(b)
		if err != nil {
			if !errors.Is(err, ErrHTML) && !errors.Is(err, ErrNotJSON) && !errors.Is(err, ErrWrongShape) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if st.Components == nil {
			t.Fatalf("accepted without components: %+v", st)
		}
		check := func(s string, multiline bool) {
			if r, bad := firstUnsafe(s, multiline); bad {
				t.Fatalf("control %U survived in %q", r, s)
			}
		}
		check(st.Indicator, false)
		check(st.Description, false)
		for _, c := range st.Components {
			check(c.ID, false)
			check(c.Name, false)
			check(string(c.Status), false)
			check(c.GroupID, false)
		}
		for _, in := range append(st.Incidents, st.Maintenances...) {
			for _, s := range append([]string{in.ID, in.Name, in.Status, in.Impact, in.Shortlink}, in.Components...) {
				check(s, false)
			}
			for _, u := range in.Updates {
				check(u.ID, false)
				check(u.Status, false)
				check(u.Body, true)
			}
		}
	})
}
