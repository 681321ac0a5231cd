package check

import (
	"slices"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/judge"
)

// TestEarlierSaysARecoveredFailure (issue 19): a check just after the API
// recovered from 529s said "All clear" and nothing of them; the verdict
// stays the judge's, and the failure is said as a fact with its times. A
// failure still held, or none, says nothing.
func TestEarlierSaysARecoveredFailure(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 14, 2, 0, 0, time.UTC)
	res := func(i int, c probe.Class) probe.Result {
		r := probe.Result{Target: probe.TargetAPI, Time: t0.Add(time.Duration(i) * 30 * time.Second), Class: c, HTTPStatus: 401}
		if c == probe.ClassOverloaded {
			r.HTTPStatus, r.ErrorType = 529, "overloaded_error"
		}
		return r
	}
	ok, o := probe.ClassOK, probe.ClassOverloaded
	for _, tc := range []struct {
		name    string
		classes []probe.Class
		want    []string
	}{
		{"recovered", []probe.Class{ok, o, o, o, ok, ok, ok}, []string{"Earlier: Claude API failed 3 of 3 probes from 14:02:30 to 14:03:30 UTC (529 overloaded_error); answering again since 14:04:00 UTC"}},
		{"once", []probe.Class{ok, o, ok, ok, ok}, []string{"Earlier: Claude API failed once at 14:02:30 UTC (529 overloaded_error); answering again since 14:03:00 UTC"}},
		{"from the oldest weighed", []probe.Class{o, o, ok, ok}, []string{"Earlier: Claude API failed 2 of 2 probes from 14:02:00 (the oldest round weighed) to 14:02:30 UTC (529 overloaded_error); answering again since 14:03:00 UTC"}},
		{"healthy", []probe.Class{ok, ok, ok}, nil},
		{"failing", []probe.Class{ok, o, o, o}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rs []probe.Result
			for i, c := range tc.classes {
				rs = append(rs, res(i, c))
			}
			recent := map[probe.Target][]probe.Result{probe.TargetAPI: rs}
			now := rs[len(rs)-1].Time.Add(time.Second)
			v := judge.Judge(judge.Input{Recent: recent, Now: now})
			if got := Earlier(v, recent, time.UTC); !slices.Equal(got, tc.want) {
				t.Errorf("Earlier = %q, want %q (verdict %s: %s)", got, tc.want, v.Kind.Key(), v.Headline)
			}
		})
	}
}

// TestEarlierSaysAnUnreadablePageThatEnded: the status page read again
// after failed reads: the stretch is said with its times, as a probe's
// recovered failure is — the verdict meanwhile rested on no fresh read.
// A page still unreadable, or never, says nothing here (the verdict says
// it).
func TestEarlierSaysAnUnreadablePageThatEnded(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 14, 2, 0, 0, time.UTC)
	read := func(i int, ok bool) probe.Result {
		r := probe.Result{Target: probe.TargetStatus, Time: t0.Add(time.Duration(i) * time.Minute), Class: probe.ClassOK, HTTPStatus: 200, Detail: "none"}
		if !ok {
			r.Class, r.HTTPStatus, r.Message = probe.ClassServer, 503, "status page answered 503 Service Unavailable"
		}
		return r
	}
	for _, tc := range []struct {
		name  string
		reads []bool
		want  []string
	}{
		{"ended", []bool{true, false, false, true, true}, []string{"Earlier: the status page could not be read 2 of 2 reads from 14:03:00 to 14:04:00 UTC (503 Service Unavailable); read again since 14:05:00 UTC"}},
		{"from the oldest read", []bool{false, true}, []string{"Earlier: the status page could not be read at 14:02:00 UTC, the oldest read weighed (503 Service Unavailable); read again since 14:03:00 UTC"}},
		{"still unreadable", []bool{true, false, false}, nil},
		{"never failed", []bool{true, true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rs []probe.Result
			for i, ok := range tc.reads {
				rs = append(rs, read(i, ok))
			}
			recent := map[probe.Target][]probe.Result{probe.TargetStatus: rs}
			v := judge.Judge(judge.Input{Recent: recent, Now: rs[len(rs)-1].Time.Add(time.Second)})
			if got := Earlier(v, recent, time.UTC); !slices.Equal(got, tc.want) {
				t.Errorf("Earlier = %q, want %q", got, tc.want)
			}
		})
	}
}
