package judge

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestDetectorLongStreakKeepsTheFirstRequestIDs: under a fail threshold
// above the streak's bound (64 failures kept before an incident opens),
// the incident still counts every failure, and its sample request ids are
// still the first three and the newest two — the ones a support ticket
// quotes for when it began and how it is now.
func TestDetectorLongStreakKeepsTheFirstRequestIDs(t *testing.T) {
	for _, n := range []int{maxStreak - 1, maxStreak, maxStreak + 1, maxStreak + 2, 3 * maxStreak} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			d := NewDetector(DetectorConfig{FailThreshold: n, Now: func() time.Time { return t0 }})
			steps := times("api:529", n)
			open, _ := feed(d, steps)
			l, ok := open["provider:api"]
			if !ok {
				t.Fatalf("no incident after %d failures at threshold %d", n, n)
			}
			want := []string{"req_000", "req_001", "req_002", fmt.Sprintf("req_%03d", n-2), fmt.Sprintf("req_%03d", n-1)}
			if !slices.Equal(l.RequestIDs, want) {
				t.Errorf("request ids %v, want %v", l.RequestIDs, want)
			}
			if l.Failures != n || l.Probes != n || l.Classes[probe.ClassOverloaded] != n {
				t.Errorf("%d failed of %d probed (%v), want %d of %d", l.Failures, l.Probes, l.Classes, n, n)
			}
			if !l.FirstFailure.Equal(stepResult(steps[0], 0).Time) || !l.LastFailure.Equal(stepResult(steps[n-1], n-1).Time) {
				t.Errorf("failures from %v to %v", l.FirstFailure, l.LastFailure)
			}
		})
	}
}

// TestDetectorLongStreakRemembersARefusal: a connection refused among
// timeouts after connecting is not "no answer after connecting", though
// the streak's bound dropped that failure before the incident opened;
// timeouts after connecting alone are (at -1: none refused).
func TestDetectorLongStreakRemembersARefusal(t *testing.T) {
	const n = maxStreak + 10
	for _, at := range []int{-1, 0, streakHead, streakHead + 1, n / 2, n - 1} {
		t.Run(fmt.Sprint(at), func(t *testing.T) {
			d := NewDetector(DetectorConfig{FailThreshold: n, Now: func() time.Time { return t0 }})
			var got []probe.LocalIncident
			for i := range n {
				r := probe.Result{Target: probe.TargetAPI, Time: t0.Add(time.Duration(i) * 30 * time.Second), Class: probe.ClassNetwork,
					ErrorType: probe.NetTimeout, Phases: probe.Phases{Connect: time.Millisecond, TLS: time.Millisecond}}
				if i == at {
					r.ErrorType, r.Phases = "refused", probe.Phases{}
				}
				got = d.Observe(probe.Event{Result: r})
			}
			if len(got) != 1 || got[0].Failures != n {
				t.Fatalf("after %d network failures: %+v", n, got)
			}
			hung := at < 0
			if got[0].Hung != hung || strings.Contains(got[0].Title(), "no answer after connecting") != hung {
				t.Errorf("refused at %d: hung %v, title %q", at, got[0].Hung, got[0].Title())
			}
		})
	}
}
