package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// TestObservationNamesTheGateway (inc3 I3): the gateway at the API URL the
// user set answering 500 for itself (Envoy's "upstream connect error")
// was, under "What we're seeing right now", "the last 7 API probes got 500
// from a filter, proxy or portal on the way, not from Anthropic", beside
// a banner saying "Claude API unreachable through the gateway at
// --api-url (http://127.0.0.1:19300): it answered 500 …": the line names
// the gateway as the banner does, with its own words; a page from
// someone else keeps its words.
func TestObservationNamesTheGateway(t *testing.T) {
	envoy := probe.Result{Class: probe.ClassServer, HTTPStatus: 500, ErrorType: probe.ErrNotAnthropic,
		Message: `500 Internal Server Error (envoy): the gateway's own answer, not Anthropic's: "upstream connect error or disconnect/reset before headers"`}
	litellm := probe.Result{Class: probe.ClassAuth, HTTPStatus: 401, ErrorType: probe.ErrNotAnthropic,
		Message: `401 Unauthorized (uvicorn): the gateway's own answer, not Anthropic's: "Authentication Error, Invalid proxy server token passed."`}
	nginx := probe.Result{Class: probe.ClassServer, HTTPStatus: 502, ErrorType: probe.ErrNotAnthropic,
		Message: `502 Bad Gateway (nginx): the gateway's own answer, not Anthropic's, a page titled "502 Bad Gateway"`}
	block := probe.Result{Class: probe.ClassUnexpected, HTTPStatus: 403, ErrorType: probe.ErrNotAnthropic,
		Message: `403 Forbidden (Zscaler/6.2): an HTML page from a gateway, proxy or captive portal, not Anthropic`}
	env := &probe.LocalReport{APIURL: "http://127.0.0.1:4000/", APIURLFrom: "ANTHROPIC_BASE_URL"}
	flag := &probe.LocalReport{APIURL: "http://127.0.0.1:19300", APIURLFrom: "--api-url"}
	for _, tc := range []struct {
		name  string
		r     probe.Result
		local *probe.LocalReport
		want  string
	}{
		{"envoy, ANTHROPIC_BASE_URL", envoy, env, `the last 4 API probes got 500 (envoy) from the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000) itself, not from Anthropic: "upstream connect error or disconnect/reset before headers"`},
		{"envoy, --api-url", envoy, flag, `the last 4 API probes got 500 (envoy) from the gateway at --api-url (http://127.0.0.1:19300) itself, not from Anthropic: "upstream connect error or disconnect/reset before headers"`},
		{"envoy, setting not known", envoy, &probe.LocalReport{APIURL: "http://127.0.0.1:4000"}, `the last 4 API probes got 500 (envoy) from the gateway at --api-url / ANTHROPIC_BASE_URL (http://127.0.0.1:4000) itself, not from Anthropic: "upstream connect error or disconnect/reset before headers"`},
		{"envoy, no local checks yet", envoy, nil, `the last 4 API probes got 500 (envoy) from the gateway at the API URL set itself, not from Anthropic: "upstream connect error or disconnect/reset before headers"`},
		{"nginx's page", nginx, flag, `the last 4 API probes got 502 (nginx) from the gateway at --api-url (http://127.0.0.1:19300) itself, not from Anthropic, a page titled "502 Bad Gateway"`},
		{"the gateway refuses the key", litellm, env, `the last 4 API probes got 401 (uvicorn) from the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000) itself, refusing the credential sent, not from Anthropic: "Authentication Error, Invalid proxy server token passed."`},
		{"a filter's page is not the gateway's", block, env, "the last 4 API probes got 403 from a filter, proxy or portal on the way, not from Anthropic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rs []probe.Result
			for i := range 4 {
				r := tc.r
				r.Target, r.Time = probe.TargetAPI, testNow.Add(time.Duration(i)*time.Second)
				rs = append(rs, r)
			}
			if o, _ := observeFailures(probe.TargetAPI, rs, tc.local, false); o.text != tc.want {
				t.Errorf("\n got %q\nwant %q", o.text, tc.want)
			}
		})
	}

	// On the Live tab, once the local checks have said where the URL
	// came from.
	snap := healthySnapshot(testNow, 20)
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 6, testNow, 10*time.Second, 0, func(int) (probe.Result, bool) { return envoy, true })
	m := send(New(testOptions()), tea.WindowSizeMsg{Width: 200, Height: 60}, snap)
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetLocal, Time: testNow}, Local: flag})
	v := strings.Join(strings.Fields(m.View()), " ")
	if !strings.Contains(v, "API probes got 500 (envoy) from the gateway at --api-url (http://127.0.0.1:19300) itself, not from Anthropic") ||
		strings.Contains(v, "filter, proxy or portal") {
		t.Errorf("Live does not name the gateway:\n%s", m.View())
	}
}
