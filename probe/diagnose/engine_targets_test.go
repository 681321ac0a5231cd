package diagnose

import (
	"context"
	"testing"
	"time"

	"downforai/probe"
)

// engineHistory is a running engine's history (remote.Client) holding
// rounds of a target the caller does not probe.
type engineHistory struct {
	results map[probe.Target][]probe.Result
	targets []probe.Target
}

func (h engineHistory) Recent(t probe.Target, n int) ([]probe.Result, error) {
	rs := h.results[t]
	return rs[max(len(rs)-n, 0):], nil
}
func (h engineHistory) Range(t probe.Target, from, to time.Time) ([]probe.Result, error) {
	var out []probe.Result
	for _, r := range h.results[t] {
		if !r.Time.Before(from) && (to.IsZero() || r.Time.Before(to)) {
			out = append(out, r)
		}
	}
	return out, nil
}
func (h engineHistory) LatestStatus() (probe.Status, bool, error) { return probe.Status{}, false, nil }
func (h engineHistory) Targets() []probe.Target                   { return h.targets }

// TestGatherReadsTheEnginesTargets: `report` in a shell without the key,
// beside a dashboard that probes with it and says the API rejects it,
// said "## Verdict: Operational" with none of the key's 401s among the
// recent probes: it read the recorded rounds of its own targets only.
func TestGatherReadsTheEnginesTargets(t *testing.T) {
	now := time.Now()
	var rs []probe.Result
	for i := range 4 {
		rs = append(rs, probe.Result{Target: probe.TargetAPIKey, Time: now.Add(-time.Duration(4-i) * 5 * time.Second),
			Class: probe.ClassAuth, HTTPStatus: 401, ErrorType: "authentication_error", Message: "invalid x-api-key"})
	}
	h := engineHistory{results: map[probe.Target][]probe.Result{probe.TargetAPIKey: rs}, targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetLocal}}
	ev := Gather(context.Background(), nil, nil, h, time.Minute, "test")
	if n := len(ev.Recent[probe.TargetAPIKey]); n != 4 {
		t.Fatalf("the engine's 4 key probes not read: %d", n)
	}
	if k := ev.Verdict().Kind; k != probe.VerdictLocalCredential {
		t.Errorf("verdict %v, want %v from the engine's rounds of the key", k, probe.VerdictLocalCredential)
	}
}
