package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestCredentialAcceptedAgainIsNotRejectedNow: after 401s, the newest key
// probe's 200 turns "the API rejects ANTHROPIC_API_KEY" into the past —
// until when it refused, that the newest succeeded — while the hysteresis
// waits for one more success; the next success clears it (cold5 D15).
func TestCredentialAcceptedAgainIsNotRejectedNow(t *testing.T) {
	in := input(row{"operational", "401", "ok", "bad", "ok", probe.VerdictLocalCredential, "", nil})
	if v := Judge(in); v.Kind != probe.VerdictLocalCredential || !strings.Contains(v.Headline, "the API rejects") {
		t.Fatalf("before: %s %q", v.Kind.Key(), v.Headline)
	}
	ok := func(at time.Time) {
		for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey} {
			in.Recent[tg] = append(in.Recent[tg], probe.Result{Target: tg, Time: at, Class: probe.ClassOK, HTTPStatus: map[probe.Target]int{probe.TargetAPI: 401, probe.TargetAPIKey: 200}[tg]})
		}
		in.Now = at.Add(time.Second)
	}
	ok(now.Add(5 * time.Second))
	v := Judge(in)
	for _, want := range []string{"the API refused ANTHROPIC_API_KEY until ", "(401 Invalid API key)", "the newest probe, at ", "succeeded — likely fixed, confirmed after 1 more success in a row."} {
		if !strings.Contains(v.Headline, want) {
			t.Errorf("after one 200: no %q in %q", want, v.Headline)
		}
	}
	if strings.Contains(v.Headline, "rejects") {
		t.Errorf("after one 200 the key is still said to be rejected now: %q", v.Headline)
	}
	if n := nested(v.Headline); n != "" {
		t.Errorf("nested parenthesis %q in %q", n, v.Headline)
	}
	ok(now.Add(10 * time.Second))
	if v := Judge(in); v.Kind.Local() {
		t.Errorf("after two 200s: %s %q", v.Kind.Key(), v.Headline)
	}
}
