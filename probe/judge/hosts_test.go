package judge

import (
	"testing"
	"time"

	"downforai/probe"
)

// TestOneHostIsNotYourNetwork: the API's two probes ask one host; that
// host refusing before any other answered is not "every Anthropic host"
// (the first screen of a refusing API said "Your network" for a moment).
func TestOneHostIsNotYourNetwork(t *testing.T) {
	refused := func(tg probe.Target) probe.Result {
		return probe.Result{Target: tg, Time: now.Add(-time.Second), Class: probe.ClassNetwork, ErrorType: probe.NetRefused,
			Message: "connection to api.anthropic.com refused", Phases: probe.Phases{DNS: time.Millisecond}}
	}
	in := Input{Now: now, StaleAfter: staleAfter, Recent: map[probe.Target][]probe.Result{
		probe.TargetAPI: {refused(probe.TargetAPI)}, probe.TargetAPIKey: {refused(probe.TargetAPIKey)}}}
	if v := Judge(in); v.Kind == probe.VerdictLocalNetwork {
		t.Fatalf("one host refusing is %s: %q", v.Kind.Key(), v.Headline)
	}
	d := NewDetector(DetectorConfig{})
	for i := 0; i < 3; i++ {
		for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey} {
			d.Observe(probe.Event{Result: refused(tg)})
		}
	}
	for _, l := range d.Open() {
		if l.Kind == probe.KindYourNetwork {
			t.Fatalf("one host refusing opened %q", l.Title())
		}
	}
}
