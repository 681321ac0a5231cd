package judge

import (
	"strings"
	"testing"

	"downforai/probe"
)

// A key refused now (429, no credit) after a blip of the API is the
// user's quota: the blip, answering again, is said beside it, never the
// verdict that hides the refusal (cold3 C1: "Unstable: 5 of the last 12
// Claude API probes failed (network)" over a key every request was
// refused with).
func TestLiveRefusalOutranksAnEarlierBlip(t *testing.T) {
	ok, o, n := probe.ClassOK, probe.ClassOverloaded, probe.ClassNetwork
	blip := []probe.Class{ok, o, ok, o, ok, n, ok, o, ok, n, ok, ok}
	for _, refused := range []probe.Class{probe.ClassRateLimited, probe.ClassBilling} {
		t.Run(refused.String(), func(t *testing.T) {
			key := append(append([]probe.Class{}, blip[:len(blip)-2]...), refused, refused)
			v := Judge(Input{Status: officialSnap(nil), Now: judgeNow, Recent: with(map[probe.Target][]probe.Class{
				probe.TargetAPI: blip, probe.TargetAPIKey: key,
			})})
			if v.Kind != probe.VerdictLocalQuota {
				t.Errorf("verdict %s %q, want %s: the key is refused now", v.Kind, v.Headline, probe.VerdictLocalQuota)
			}
			if strings.HasPrefix(v.Headline, "Unstable") {
				t.Errorf("the earlier blip leads: %q", v.Headline)
			}
		})
	}
	// Without a refusal the blip is still said: unstable, not all clear.
	v := Judge(Input{Status: officialSnap(nil), Now: judgeNow, Recent: with(map[probe.Target][]probe.Class{
		probe.TargetAPI: blip, probe.TargetAPIKey: blip,
	})})
	if v.Kind == probe.VerdictOperational {
		t.Errorf("an on-and-off API reads %s %q", v.Kind, v.Headline)
	}
}

// TestOneRefusalWithRetryAfterOutranksAnEarlierBlip: one 429 with a
// Retry-After after the blip is the state at once (cold C7), so it ends the
// instability as two refusals do (cold3 C1) — check, which no longer asks
// again within a Retry-After, read "Unstable" over a key refused now.
func TestOneRefusalWithRetryAfterOutranksAnEarlierBlip(t *testing.T) {
	in := input(row{"operational", "blip_then_429", "ok", "good", "ok", 0, "", nil})
	// The blip's last success in the place of the first of the two 429s.
	key, n := in.Recent[probe.TargetAPIKey], len(in.Recent[probe.TargetAPIKey])
	key[n-2] = probe.Result{Target: probe.TargetAPIKey, Time: key[n-2].Time, Class: probe.ClassOK, HTTPStatus: 200}
	if r := key[len(key)-1]; r.Class != probe.ClassRateLimited || r.RateLimit.RetryAfter <= 0 {
		t.Fatalf("the newest key result is not a 429 with Retry-After: %+v", r)
	}
	if v := Judge(in); v.Kind != probe.VerdictLocalQuota || strings.HasPrefix(v.Headline, "Unstable") {
		t.Errorf("verdict %s %q, want local_quota", v.Kind.Key(), v.Headline)
	}
}
