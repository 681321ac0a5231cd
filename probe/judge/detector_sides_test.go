package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestDetectorWhoAnsweredDecidesTheSide: an HTML page or a body that is
// not JSON where the API's JSON belongs is someone else answering (a
// proxy's, a filter's page): the path from here, your side, never
// Anthropic's incident (cold2 C12). The same page on the status page, an
// answer of the wrong shape, or an API error are the provider's.
func TestDetectorWhoAnsweredDecidesTheSide(t *testing.T) {
	unexpected := func(tg probe.Target, errType string) probe.Result {
		return probe.Result{Target: tg, Class: probe.ClassUnexpected, HTTPStatus: 200, ErrorType: errType, Message: "200 OK with " + errType}
	}
	tests := []struct {
		name string
		r    probe.Result
		want string
	}{
		{"the API answered with an HTML page", unexpected(probe.TargetAPI, "html"), "yours:api:path"},
		{"the API answered with a body that is not JSON", unexpected(probe.TargetAPI, "not_json"), "yours:api:path"},
		{"the key's probe got an HTML page", unexpected(probe.TargetAPIKey, "html"), "yours:api_key:path"},
		{"the key's probe got a body that is not JSON", unexpected(probe.TargetAPIKey, "not_json"), "yours:api_key:path"},
		{"the API's JSON of the wrong shape is the API's", unexpected(probe.TargetAPI, "wrong_shape"), "provider:api"},
		{"the API's 529 is the API's", stepResult("api:529", 0), "provider:api"},
		{"the status page's challenge is the status page's", unexpected(probe.TargetStatus, "html"), "provider:status"},
		{"the status page's garbage is the status page's", unexpected(probe.TargetStatus, "not_json"), "provider:status"},
		{"something else answering is your side anywhere", probe.Result{Target: probe.TargetClaudeAI, Class: probe.ClassUnexpected, HTTPStatus: 403, ErrorType: probe.ErrNotAnthropic}, "yours:claude_ai:path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
			for i := range DefaultFailThreshold {
				r := tt.r
				r.Time = t0.Add(time.Duration(i) * 30 * time.Second)
				d.Observe(probe.Event{Result: r})
			}
			open := d.Open()
			if len(open) != 1 || open[0].Subject != tt.want {
				var got []string
				for _, l := range open {
					got = append(got, l.Subject+" "+l.Title())
				}
				t.Errorf("open incidents %q, want one of %s", got, tt.want)
			}
		})
	}
}

// TestDetectorSaysUnstableWhenItIs: a target taking turns failing and
// succeeding is said as "unstable" in the incident's title and detail from
// the result that makes it so — whether that opened the incident or came
// while it was open — and its counts are the window's: every probe once.
// An outage of your network is never "unstable": every host failed at once.
func TestDetectorSaysUnstableWhenItIs(t *testing.T) {
	t.Run("opened by flapping at a failure", func(t *testing.T) {
		d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
		var got []probe.LocalIncident
		for i, s := range []string{"api:ok", "api:529", "api:ok", "api:529"} {
			got = d.Observe(probe.Event{Result: stepResult(s, i)})
		}
		if len(got) != 1 {
			t.Fatalf("the fourth result changed %d incidents, want the one it opened", len(got))
		}
		l := got[0]
		if !l.Active() || !l.Unstable || !strings.Contains(l.Title(), "unstable") {
			t.Errorf("opened: active %v unstable %v, title %q", l.Active(), l.Unstable, l.Title())
		}
		if l.Failures != 2 || l.Probes != 4 || l.Classes[probe.ClassOverloaded] != 2 {
			t.Errorf("counts %d failed of %d probed (classes %v), want 2 of 4: each result once", l.Failures, l.Probes, l.Classes)
		}
		if !l.FirstFailure.Equal(stepResult("api:529", 1).Time) || !l.LastFailure.Equal(stepResult("api:529", 3).Time) {
			t.Errorf("failures from %v to %v, want the second and fourth results", l.FirstFailure, l.LastFailure)
		}
	})
	t.Run("open, then flapping, said at the success that makes it unstable", func(t *testing.T) {
		d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
		steps := []string{"api:529", "api:529", "api:529", "api:ok", "api:529", "api:ok"}
		var got []probe.LocalIncident
		for i, s := range steps {
			got = d.Observe(probe.Event{Result: stepResult(s, i)})
			if i == 4 && len(got) == 1 && got[0].Unstable {
				t.Fatalf("unstable after F F F U F: the rule needs three turns and two successes")
			}
		}
		if len(got) != 1 || !got[0].Unstable || !strings.Contains(got[0].Title(), "unstable") {
			t.Fatalf("the sixth result's version: %+v", got)
		}
	})
	t.Run("your network is never unstable", func(t *testing.T) {
		d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
		var steps []string
		for range 3 {
			steps = append(steps, "api:dns", "claude_ai:dns")
		}
		steps = append(steps, "claude_ai:ok", "api:dns", "claude_ai:dns", "api:dns", "claude_ai:ok", "api:dns", "claude_ai:dns", "api:dns")
		open, _ := feed(d, steps)
		n, ok := open["network"]
		if !ok || len(open) != 1 {
			t.Fatalf("open %v, want the network incident alone", open)
		}
		if n.Unstable {
			t.Errorf("your network's incident says unstable (the detail would say its probes took turns): %q", n.Title())
		}
	})
}
