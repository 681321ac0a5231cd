package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// The store keeps a snapshot of the page once, stamped with its first
// read; the good reads after it of the same page are when it was last
// read. check on the dashboard's database judged the page older than the
// dashboard did (cold6 E5): past the stale limit from the snapshot's
// stamp, though read since within it.
func TestPageLastReadIsTheNewestGoodRead(t *testing.T) {
	first := now.Add(-4 * time.Minute) // over the stale limit (3 min)
	st := &probe.Status{Fetched: first, Indicator: "major", Description: "Partial System Outage",
		Components: []probe.Component{{ID: "k8w3r06qmzrp", Name: "Claude API", Status: probe.ComponentMajorOutage}}}
	read := func(at time.Time, indicator string) probe.Result {
		r := res(probe.TargetStatus, probe.ClassOK, 200, "", "")
		r.Time, r.Detail = at, indicator
		return r
	}
	failed := res(probe.TargetStatus, probe.ClassNetwork, 0, probe.NetTimeout, "timed out after 2s")
	failed.Time = now.Add(-20 * time.Second)
	reach, key := apiResults("529", true)
	reach.Time, key.Time = now.Add(-5*time.Second), now.Add(-5*time.Second)
	in := Input{Now: now, StaleAfter: staleAfter, Status: st, Recent: map[probe.Target][]probe.Result{
		probe.TargetStatus: {read(first, "major"), read(now.Add(-40*time.Second), "major"), failed},
		probe.TargetAPI:    {reach}, probe.TargetAPIKey: {key},
	}}
	v := Judge(in)
	if v.Official.State != probe.OfficialUnreadable || !v.Official.Drives || !v.Official.Read.Equal(now.Add(-40*time.Second)) {
		t.Fatalf("official %+v: want unreadable, read 40 s ago, still counting", v.Official)
	}
	if v.Kind != probe.VerdictOutage || !strings.Contains(v.Headline, "The status page as read 14:01:20 UTC (40 s ago); the newest read failed (timed out).") {
		t.Errorf("%s: %q", v.Kind, v.Headline)
	}
	// A good read of other content is no read of this snapshot (its own
	// would have been stored): the snapshot's stamp stands.
	in.Recent[probe.TargetStatus] = []probe.Result{read(first, "major"), read(now.Add(-40*time.Second), "none"), failed}
	if v := Judge(in); v.Official.Drives {
		t.Errorf("a read of another page's content made the snapshot current: %+v", v.Official)
	}
}

// Results that are all the last run's (Input.Recorded: a restart, before
// this run's probes answer) are the last known state however young
// (cold6 E7): said so, as past the stale limit.
func TestRecordedIsLastKnown(t *testing.T) {
	in := input(row{page: "major", api: "529", claude: "ok", cred: "good", net: "ok"})
	if v := Judge(in); strings.HasPrefix(v.Headline, "Last known") {
		t.Fatalf("this run's results said as old: %q", v.Headline)
	}
	in.Recorded = true
	if v := Judge(in); !strings.HasPrefix(v.Headline, "Last known, 14:01 UTC (") || v.Kind != probe.VerdictOutage {
		t.Errorf("%s %q: want the last run's outage said as last known", v.Kind, v.Headline)
	}
}
