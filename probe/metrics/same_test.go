package metrics

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// get serves h and reads /metrics as a scraper asking acceptEncoding.
func get(t *testing.T, h http.Handler, acceptEncoding string) (string, http.Header) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, err := http.NewRequest("GET", srv.URL+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", acceptEncoding) // "" asks for none: the transport adds nothing then
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if body, err = gzip.NewReader(resp.Body); err != nil {
			t.Fatal(err)
		}
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), resp.Header
}

// blocks cuts an exposition into its families, by name.
func blocks(text string) (names []string, byName map[string]string) {
	byName = map[string]string{}
	for _, b := range strings.SplitAfter(text, "\n# HELP ") {
		b = strings.TrimPrefix(b, "# HELP ")
		b = strings.TrimSuffix(b, "# HELP ")
		name, _, _ := strings.Cut(b, " ")
		names = append(names, name)
		byName[name] = b
	}
	return names, byName
}

var sampleValue = regexp.MustCompile(`(?m) [^ ]+$`)

// feed gives both the same life: an outage, a rate limit, a CLI that
// answered and then was no longer found (its series deleted), incidents
// opened and closed, a status page that went stale, label values with
// quotes, backslashes and newlines.
func feed(m observer, track func([]probe.LocalIncident)) {
	outage(m)
	track([]probe.LocalIncident{{ID: "a"}, {ID: "old", Closed: t0}})
	at := t0.Add(time.Minute)
	evs := []probe.Event{
		{Result: probe.Result{Target: probe.TargetCode, Time: at, Class: probe.ClassOK, Phases: probe.Phases{Total: 2 * time.Second}}},
		{Result: probe.Result{Target: probe.TargetClaudeAI, Time: at, Class: probe.ClassNetwork}},
		{Result: probe.Result{Target: probe.TargetAPIKey, Time: at, Class: probe.ClassRateLimited, HTTPStatus: 429,
			RateLimit: probe.RateLimit{TokensLimit: 10, TokensRemaining: 0, TokensReset: at.Add(time.Minute), RetryAfter: 30 * time.Second}}},
		{Result: probe.Result{Target: probe.TargetCode, Time: at.Add(time.Second), Class: probe.ClassUnknown}},
		{Result: probe.Result{Target: probe.TargetClaudeAI, Time: at.Add(time.Second), Class: probe.ClassUnknown},
			LocalIncidents: []probe.LocalIncident{{ID: "b"}, {ID: "a", Recovered: at, Closed: at}}},
		{Result: probe.Result{Target: `we"ird\tar` + "\nget", Time: at, Class: probe.ClassSlow, Phases: probe.Phases{Total: 123456789}}},
	}
	for _, ev := range evs {
		m.Observe(at, &ev, probe.Verdict{Kind: probe.VerdictDegraded, Stale: true,
			Services: []probe.ServiceVerdict{{Service: probe.Services()[0], Kind: probe.VerdictDegraded}}}, nil)
	}
	m.Observe(at, nil, probe.Verdict{Kind: probe.VerdictUnknown, Official: probe.Official{State: probe.OfficialStale}}, &probe.Status{})
}

// TestSameExpositionAsClientGolang: /metrics, written without the
// Prometheus client (issue 11: its package inits and its 4.4 MB were paid
// by every start), says what the client said after the same events: our
// families byte for byte (HELP, TYPE, the order of families, series and
// labels, escaping, number format), the content type, gzip when asked;
// the Go runtime's and the process's families with the same names, help,
// types and series, and the values that do not move between two reads.
func TestSameExpositionAsClientGolang(t *testing.T) {
	m, ref := New("1.2.3 \"quoted\""), newRef("1.2.3 \"quoted\"")
	feed(m, m.TrackLocalIncidents)
	feed(ref, ref.TrackLocalIncidents)
	for _, enc := range []string{"", "gzip", "gzip;q=0.8, deflate"} {
		got, gh := get(t, m.Handler(), enc)
		want, wh := get(t, ref.Handler(), enc)
		for _, k := range []string{"Content-Type", "Content-Encoding"} {
			if gh.Get(k) != wh.Get(k) {
				t.Errorf("Accept-Encoding %q: %s %q, client_golang %q", enc, k, gh.Get(k), wh.Get(k))
			}
		}
		gotNames, gotFams := blocks(got)
		wantNames, wantFams := blocks(want)
		if !slices.Equal(gotNames, wantNames) {
			t.Fatalf("families:\n%q\nclient_golang:\n%q", gotNames, wantNames)
		}
		for _, name := range wantNames {
			g, w := gotFams[name], wantFams[name]
			switch {
			case strings.HasPrefix(name, "go_memstats_"), name == "go_goroutines", name == "go_threads", name == "go_gc_duration_seconds",
				name == "process_cpu_seconds_total", name == "process_resident_memory_bytes", name == "process_virtual_memory_bytes",
				name == "process_open_fds", strings.HasPrefix(name, "process_network_"):
				// Values that move between two reads: the same lines
				// without them.
				g, w = sampleValue.ReplaceAllString(g, " _"), sampleValue.ReplaceAllString(w, " _")
			}
			if g != w {
				t.Errorf("%s:\n%s\nclient_golang:\n%s", name, g, w)
			}
		}
	}
	if !strings.Contains(mustText(t, m), `target="we\"ird\\tar\nget"`) {
		t.Error("an odd label value is not escaped as the text format says")
	}
	// A byte that is no UTF-8 (client_golang panicked on it): U+FFFD.
	m.Observe(t0, &probe.Event{Result: probe.Result{Target: "bad\xff", Time: t0, Class: probe.ClassOK}}, probe.Verdict{}, nil)
	if !strings.Contains(mustText(t, m), `target="bad`+"\uFFFD"+`"`) {
		t.Error("a label value that is no UTF-8 is not written as U+FFFD")
	}
}

func mustText(t *testing.T, m *Metrics) string {
	var b bytes.Buffer
	if err := m.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
