package judge

import (
	"testing"
	"time"

	"downforai/probe"
)

// timeline replays a run: the verdict at each event, from what had been
// observed by then.
type timeline struct {
	recent map[probe.Target][]probe.Result
	status *probe.Status
	kinds  []probe.VerdictKind
}

func (tl *timeline) add(r probe.Result, st *probe.Status) {
	if tl.recent == nil {
		tl.recent = map[probe.Target][]probe.Result{}
	}
	tl.recent[r.Target] = append(tl.recent[r.Target], r)
	if st != nil {
		c := *st
		c.Fetched = r.Time
		tl.status = &c
	}
	v := Judge(Input{Status: tl.status, Recent: tl.recent, Now: r.Time, StaleAfter: 3 * time.Minute})
	tl.kinds = append(tl.kinds, v.Kind)
}

func (tl *timeline) changes() int {
	n := 0
	for i := 1; i < len(tl.kinds); i++ {
		if tl.kinds[i] != tl.kinds[i-1] {
			n++
		}
	}
	return n
}

// TestRecoveryGoesStraightToAllClear: an acknowledged outage that ends
// (the page turns green a round before our probes recover) never passes
// through "not yet acknowledged" (issue 19, defect 8).
func TestRecoveryGoesStraightToAllClear(t *testing.T) {
	major, _ := page("major")
	ok, _ := page("operational")
	var tl timeline
	t0 := now.Add(-10 * time.Minute)
	api := func(at time.Time, c probe.Class) probe.Result {
		r := res(probe.TargetAPI, c, 529, "overloaded_error", "529 overloaded_error: Overloaded")
		if c == probe.ClassOK {
			r = res(probe.TargetAPI, c, 401, "", "API answers (401 without key, as expected)")
		}
		r.Time = at
		return r
	}
	read := func(at time.Time, st *probe.Status) probe.Result {
		r := res(probe.TargetStatus, probe.ClassOK, 200, "", st.Description)
		r.Time, r.Detail = at, st.Indicator
		return r
	}
	web := func(at time.Time) probe.Result {
		r := claudeResult("ok")
		r.Time = at
		return r
	}
	for i := 0; i < 6; i++ { // outage: acknowledged
		at := t0.Add(time.Duration(i) * 10 * time.Second)
		tl.add(read(at, major), major)
		tl.add(api(at.Add(2*time.Second), probe.ClassOverloaded), nil)
		tl.add(web(at.Add(3*time.Second)), nil)
	}
	start := len(tl.kinds)
	for i := 6; i < 12; i++ { // the page turns green first, then our probes recover
		at := t0.Add(time.Duration(i) * 10 * time.Second)
		tl.add(read(at, ok), ok)
		c := probe.ClassOverloaded
		if i >= 7 {
			c = probe.ClassOK
		}
		tl.add(api(at.Add(2*time.Second), c), nil)
		tl.add(web(at.Add(3*time.Second)), nil)
	}
	for i, k := range tl.kinds[start:] {
		if k == probe.VerdictUnacknowledged {
			t.Errorf("moment %d of the recovery: %v; all: %v", i, k, tl.kinds[start:])
		}
	}
	if last := tl.kinds[len(tl.kinds)-1]; last != probe.VerdictOperational {
		t.Errorf("after recovery: %v", last)
	}
}

// TestAlternatingAPIIsOneVerdict: the API answering ok and 529 in turn
// (every 2 s, probed every second) is one "Unstable" verdict once the
// window has seen it, not a flicker between degraded and not yet
// acknowledged (issue 19, defect 8: 16 changes in 35 s before).
func TestAlternatingAPIIsOneVerdict(t *testing.T) {
	st, _ := page("operational")
	var tl timeline
	t0 := now.Add(-time.Minute)
	for i := 0; i < 36; i++ {
		at := t0.Add(time.Duration(i) * time.Second)
		r := res(probe.TargetStatus, probe.ClassOK, 200, "", st.Description)
		r.Time, r.Detail = at, "none"
		tl.add(r, st)
		state := "ok"
		if i/2%2 == 1 {
			state = "529"
		}
		reach, _ := apiResults(state, false)
		reach.Time = at.Add(100 * time.Millisecond)
		tl.add(reach, nil)
		w := claudeResult("ok")
		w.Time = at.Add(200 * time.Millisecond)
		tl.add(w, nil)
	}
	// The first pair of 529s shows (a fault shows within two rounds),
	// the first recovery too; by the third turn it is unstable, and stays.
	if n := tl.changes(); n > 4 {
		t.Errorf("the verdict changed %d times in 36 s: %v", n, tl.kinds)
	}
	for _, k := range tl.kinds[len(tl.kinds)/2:] {
		if k != probe.VerdictDegraded {
			t.Fatalf("the second half flickers: %v", tl.kinds)
		}
	}
	if last := tl.kinds[len(tl.kinds)-1]; last != probe.VerdictDegraded {
		t.Errorf("verdict %v, want degraded (unstable)", last)
	}
}
