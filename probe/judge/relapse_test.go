package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestARecoveryThatDoesNotHold (second cold walk of Dec 7): a minute of
// 529s, two answers, then a 529 again on both API probes read "✔
// Operational … One failure, not yet a verdict" beside two ✖ 529 rows.
// A failure soon after recovering from the same failure is that failure
// again, at once; long after the recovery, one failure is a blip again.
func TestARecoveryThatDoesNotHold(t *testing.T) {
	ok, o := probe.ClassOK, probe.ClassOverloaded
	for _, tc := range []struct {
		name string
		api  []probe.Class
		want probe.VerdictKind
		says string
	}{
		{"two answers, then 529 again", []probe.Class{o, o, o, o, o, o, o, o, o, ok, ok, o}, probe.VerdictUnacknowledged, "failing again"},
		{"three answers, then 529 again", []probe.Class{o, o, o, o, o, o, o, o, ok, ok, ok, o}, probe.VerdictUnacknowledged, "failing again"},
		{"four answers, then one 529: a blip", []probe.Class{o, o, o, o, o, o, o, ok, ok, ok, ok, o}, probe.VerdictOperational, "One failure, not yet a verdict"},
		{"recovering, not yet recovered", []probe.Class{o, o, o, o, o, o, o, o, o, o, o, ok}, probe.VerdictUnacknowledged, "recovering"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Judge(Input{Status: officialSnap(nil), Now: judgeNow, Recent: overloaded(with(map[probe.Target][]probe.Class{
				probe.TargetAPI: tc.api, probe.TargetAPIKey: tc.api,
			}))})
			t.Log(v.Headline)
			if v.Kind != tc.want || !strings.Contains(v.Headline, tc.says) {
				t.Errorf("verdict %s %q\nwant %s saying %q", v.Kind.Key(), v.Headline, tc.want.Key(), tc.says)
			}
		})
	}
}

// TestOneFailureOnBothProbesNamesBoth: the newest probe without a key and
// the one with it both failing once after successes are two failures, and
// the sentence says so.
func TestOneFailureOnBothProbesNamesBoth(t *testing.T) {
	ok, o := probe.ClassOK, probe.ClassOverloaded
	api := []probe.Class{ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, o}
	v := Judge(Input{Status: officialSnap(nil), Now: judgeNow, Recent: overloaded(with(map[probe.Target][]probe.Class{
		probe.TargetAPI: api, probe.TargetAPIKey: api,
	}))})
	if want := "the newest Claude API probes, without a key and with your key, failed (529 overloaded) after successes"; !strings.Contains(v.Headline, want) {
		t.Errorf("headline %q\nwant %q", v.Headline, want)
	}
}

// overloaded gives every 529 of m its status.
func overloaded(m map[probe.Target][]probe.Result) map[probe.Target][]probe.Result {
	for _, rs := range m {
		for i := range rs {
			if rs[i].Class == probe.ClassOverloaded {
				rs[i].HTTPStatus = 529
			}
		}
	}
	return m
}

// TestDetectorTakesBackARecoveryThatDidNotHold: the incident a failure
// ends soon after it closed is the same incident going on (Relapses 1),
// not a second one; long after the recovery, a new failure run is a new
// incident.
func TestDetectorTakesBackARecoveryThatDidNotHold(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps []string
		ids   int // incidents seen
		open  bool
	}{
		{"two answers, then 529", seq(times("api:529", 6), times("api:ok", 2), times("api:529", 1)), 1, true},
		{"two answers, then 529s", seq(times("api:529", 6), times("api:ok", 2), times("api:529", 4)), 1, true},
		{"then it holds", seq(times("api:529", 6), times("api:ok", 2), times("api:529", 1), times("api:ok", 6)), 1, false},
		{"four answers, then 529s", seq(times("api:529", 6), times("api:ok", 4), times("api:529", 3)), 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
			open, seen := feed(d, tc.steps)
			if len(seen) != tc.ids {
				t.Errorf("%d incidents, want %d: %v", len(seen), tc.ids, seen)
			}
			l, ok := open["provider:api"]
			if ok != tc.open {
				t.Fatalf("open %v, want %v", ok, tc.open)
			}
			if tc.ids == 1 && ok && (l.Relapses != 1 || !l.Recovered.IsZero() || l.Failures != len(tc.steps)-2) {
				t.Errorf("taken back: relapses %d, recovered %v, %d failures", l.Relapses, l.Recovered, l.Failures)
			}
		})
	}
}

// TestDetectorTellsYourTroublesApart (cold walk of Dec 7): a proxy's 407
// after 401s on the key was counted into "credential rejected · all 12
// probes failed". The credential, the quota and the path are incidents of
// their own: the 407s end the 401s' incident and open theirs; a 429 after
// them, the quota's.
func TestDetectorTellsYourTroublesApart(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
	proxy := func(i int) probe.Result {
		return probe.Result{Target: probe.TargetAPIKey, Time: t0.Add(time.Duration(i) * 30 * time.Second), Class: probe.ClassNetwork,
			HTTPStatus: 407, ErrorType: probe.NetProxy, Message: "a proxy answered instead of the API: 407 Proxy Authentication Required"}
	}
	seen := map[string]probe.LocalIncident{}
	i := 0
	add := func(r probe.Result) {
		for _, l := range d.Observe(probe.Event{Result: r}) {
			seen[l.Subject] = l
		}
		i++
	}
	for range 4 {
		add(stepResult("api_key:401", i))
	}
	for range 4 {
		add(proxy(i))
	}
	for range 4 {
		add(stepResult("api_key:429", i))
	}
	cred, path, quota := seen["yours:api_key"], seen["yours:api_key:path"], seen["yours:api_key:quota"]
	if cred.Failures != 4 || cred.Classes[probe.ClassNetwork] != 0 || cred.Active() {
		t.Errorf("the credential's: %d failures %v, open %v", cred.Failures, cred.Classes, cred.Active())
	}
	if path.Failures != 4 || path.Classes[probe.ClassNetwork] != 4 || path.Active() {
		t.Errorf("the path's: %d failures %v, open %v", path.Failures, path.Classes, path.Active())
	}
	if quota.Failures != 4 || !quota.Active() {
		t.Errorf("the quota's: %d failures, open %v", quota.Failures, quota.Active())
	}
}

// TestDetectorARetryAfterEndsWhatItFollows (cold walk of Dec 7): the API
// timing out on both probes, then the keyless one answering while the key
// got a 429 with a Retry-After: the provider incident stayed open, titled
// "now no answer after connecting (timeout)", as the key waited out its
// Retry-After. The refusal ends it at once, as the banner counts it.
func TestDetectorARetryAfterEndsWhatItFollows(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0 }})
	i := 0
	var last probe.LocalIncident
	add := func(r probe.Result) {
		r.Time = t0.Add(time.Duration(i) * 30 * time.Second)
		for _, l := range d.Observe(probe.Event{Result: r}) {
			if l.Subject == "provider:api" {
				last = l
			}
		}
		i++
	}
	for range 4 {
		add(stepResult("api:hung", 0))
		add(stepResult("api_key:hung", 0))
	}
	add(stepResult("api:ok", 0))
	r := stepResult("api_key:429", 0)
	r.RateLimit.RetryAfter = 5 * time.Minute
	add(r)
	add(stepResult("api:ok", 0))
	if last.Active() || last.Recovered.IsZero() || last.Became != "" {
		t.Errorf("open %v, superseded %v, became %v: %q", last.Active(), last.Superseded, last.BecameClass, last.Title())
	}
}
