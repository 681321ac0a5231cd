package judge

import (
	"testing"
	"time"

	"downforai/probe"
)

// TestTieGoesToTheLatestFailure: a window with as many credential
// refusals as credit refusals (same count, same severity) named its class
// by Go's map order — "6 of the last 12 … probes failed (401 …)" one run,
// "(credit …)" the next. The latest failure's class wins the tie, every
// time.
func TestTieGoesToTheLatestFailure(t *testing.T) {
	ok, r401 := apiResults("401", true)
	ok.Target = probe.TargetAPIKey
	ok.HTTPStatus = 200
	_, credit := apiResults("credit", true)
	for _, tc := range []struct {
		name  string
		order []probe.Result // oldest first
		want  probe.Class
	}{
		{"credit last", []probe.Result{ok, r401, ok, credit, ok, r401, ok, credit, ok, r401, ok, credit}, probe.ClassBilling},
		{"401 last", []probe.Result{ok, credit, ok, r401, ok, credit, ok, r401, ok, credit, ok, r401}, probe.ClassAuth},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rs []probe.Result
			for i, r := range tc.order {
				r.Time = now.Add(-time.Duration(len(tc.order)-i) * 30 * time.Second)
				rs = append(rs, r)
			}
			for range 50 { // map order differs from run to run
				if v := watch(probe.TargetAPIKey, rs, 2, true); v.class != tc.want || !v.unstable {
					t.Fatalf("class %v (unstable %v), want %v", v.class, v.unstable, tc.want)
				}
			}
		})
	}
}

func TestMostClass(t *testing.T) {
	a, b := probe.ClassAuth, probe.ClassBilling
	for _, tc := range []struct {
		counts map[probe.Class]int
		latest probe.Class
		want   probe.Class
	}{
		{map[probe.Class]int{a: 5, b: 5}, b, b},
		{map[probe.Class]int{a: 5, b: 5}, a, a},
		{map[probe.Class]int{a: 5, b: 5}, probe.ClassOverloaded, min(a, b)}, // latest not among them: the lowest, fixed
		{map[probe.Class]int{a: 6, b: 5}, b, a},                             // the count first
		{map[probe.Class]int{probe.ClassOverloaded: 3, probe.ClassRateLimited: 3}, probe.ClassRateLimited, probe.ClassOverloaded}, // then severity
		{map[probe.Class]int{}, a, 0},
	} {
		for range 20 {
			if got := probe.MostClass(tc.counts, tc.latest); got != tc.want {
				t.Fatalf("MostClass(%v, %v) = %v, want %v", tc.counts, tc.latest, got, tc.want)
			}
		}
	}
}
