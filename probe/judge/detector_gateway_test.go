package judge

import (
	"testing"
	"time"

	"downforai/probe"
)

// TestDetectorGatewayIncidentNamesTheSetting (inc3 I2): the gateway at the
// API URL the user set answering 500 for itself opened an incident titled
// "Claude API: unreachable through the gateway at the API URL set: …"
// beside the banner's "… through the gateway at ANTHROPIC_BASE_URL
// (http://127.0.0.1:4000) …": the incident names the setting too, as the
// local checks report it, and keeps the old words while they have not.
func TestDetectorGatewayIncidentNamesTheSetting(t *testing.T) {
	envoy := func(i int) probe.Result {
		return probe.Result{Target: probe.TargetAPI, Time: t0.Add(time.Duration(i) * 30 * time.Second), Class: probe.ClassServer, HTTPStatus: 500,
			ErrorType: ErrNotAnthropic, Message: `500 Internal Server Error (envoy): the gateway's own answer, not Anthropic's: "upstream connect error"`}
	}
	for _, tc := range []struct {
		name  string
		local *probe.LocalReport
		want  string
	}{
		{"ANTHROPIC_BASE_URL", &probe.LocalReport{APIURL: "http://127.0.0.1:4000", APIURLFrom: "ANTHROPIC_BASE_URL"},
			"Claude API: unreachable through the gateway at ANTHROPIC_BASE_URL: it answered 500 Internal Server Error (envoy)"},
		{"--api-url", &probe.LocalReport{APIURL: "http://127.0.0.1:4000", APIURLFrom: "--api-url"},
			"Claude API: unreachable through the gateway at --api-url: it answered 500 Internal Server Error (envoy)"},
		// The report does not say where the URL came from: the banner's
		// words for that, both places.
		{"setting not known", &probe.LocalReport{APIURL: "http://127.0.0.1:4000"},
			"Claude API: unreachable through the gateway at --api-url / ANTHROPIC_BASE_URL: it answered 500 Internal Server Error (envoy)"},
		{"no local checks yet", nil,
			"Claude API: unreachable through the gateway at the API URL set: it answered 500 Internal Server Error (envoy)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
			if tc.local != nil {
				d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetLocal, Time: t0}, Local: tc.local})
			}
			var last probe.LocalIncident
			for i := range 4 {
				for _, l := range d.Observe(probe.Event{Result: envoy(i)}) {
					last = l
				}
			}
			if got := last.Title(); got != tc.want {
				t.Errorf("title %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDetectorRefusedGatewayIsTheGateways (cold walk): nothing listening
// at the gateway set in Claude Code's settings.json opened "API
// reachability: unreachable (refused) from here — Anthropic or a firewall
// between you" under a banner that said "nothing listens at
// ANTHROPIC_BASE_URL …": Anthropic's host was not asked. Under
// Anthropic's own URL the old words stay.
func TestDetectorRefusedGatewayIsTheGateways(t *testing.T) {
	refused := func(i int) probe.Result {
		return probe.Result{Target: probe.TargetAPI, Time: t0.Add(time.Duration(i) * 30 * time.Second), Class: probe.ClassNetwork,
			ErrorType: probe.NetRefused, Message: "connection to 127.0.0.1:4000 refused"}
	}
	for _, tc := range []struct {
		name  string
		local *probe.LocalReport
		want  string
	}{
		{"settings.json", &probe.LocalReport{APIURL: "http://127.0.0.1:4000", APIURLFrom: "ANTHROPIC_BASE_URL in ~/.claude/settings.json"},
			"API reachability: unreachable (refused) through the gateway at ANTHROPIC_BASE_URL in ~/.claude/settings.json"},
		{"Anthropic's URL", &probe.LocalReport{APIURL: probe.DefaultAPIURL},
			"API reachability: unreachable (refused) from here — Anthropic or a firewall between you"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
			d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetLocal, Time: t0}, Local: tc.local})
			for _, tg := range []probe.Target{probe.TargetClaudeAI, probe.TargetStatus} {
				d.Observe(probe.Event{Result: probe.Result{Target: tg, Time: t0, Class: probe.ClassOK, HTTPStatus: 200}})
			}
			var last probe.LocalIncident
			for i := range 4 {
				for _, l := range d.Observe(probe.Event{Result: refused(i)}) {
					last = l
				}
			}
			if got := last.Title(); got != tc.want {
				t.Errorf("title %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDetectorGatewayCutNamesTheGateway (second cold walk of Dec 7): the
// gateway at the API URL the user set taking our connection and resetting
// it read "provider side" in the incident while the banner said "likely the
// gateway or its upstream (…) failed": the incident names the gateway too.
// Under Anthropic's own URL it stays Anthropic's.
func TestDetectorGatewayCutNamesTheGateway(t *testing.T) {
	cut := func(i int) probe.Result {
		return probe.Result{Target: probe.TargetAPI, Time: t0.Add(time.Duration(i) * 30 * time.Second), Class: probe.ClassNetwork,
			ErrorType: probe.NetReset, Message: "connection reset by peer", Phases: probe.Phases{Connect: time.Millisecond, TLS: time.Millisecond}}
	}
	for _, tc := range []struct {
		name  string
		local *probe.LocalReport
		want  string
		cut   bool
	}{
		{"--api-url", &probe.LocalReport{APIURL: "http://127.0.0.1:4000", APIURLFrom: "--api-url"},
			"Claude API: no answer after connecting (reset) through the gateway at --api-url", true},
		{"Anthropic's URL", &probe.LocalReport{APIURL: probe.DefaultAPIURL},
			"Claude API: no answer after connecting (reset)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
			d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetLocal, Time: t0}, Local: tc.local})
			var last probe.LocalIncident
			for i := range 4 {
				for _, l := range d.Observe(probe.Event{Result: cut(i)}) {
					last = l
				}
			}
			if got := last.Title(); got != tc.want || last.GatewayCut() != tc.cut {
				t.Errorf("title %q (gateway cut %v), want %q (%v)", got, last.GatewayCut(), tc.want, tc.cut)
			}
		})
	}
}
