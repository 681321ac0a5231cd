package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/probetest"
)

// TestForeignPageAfterAGoodRead (cold walk): the status page read degraded,
// then the URL answered with GitHub's page; the banner and check went to
// "Claude answers from here" and dropped the degraded read 27 s old, while
// an unreadable page keeps it. A foreign page is no read of Claude's: the
// last good one still drives, with its time, until stale.
func TestForeignPageAfterAGoodRead(t *testing.T) {
	now := probetest.Now
	st := probetest.Official(map[string]string{"k8w3r06qmzrp": "degraded_performance"})
	st.Fetched, st.Indicator = now.Add(-27*time.Second), "minor"
	good := probe.Result{Target: probe.TargetStatus, Time: st.Fetched, Class: probe.ClassOK, HTTPStatus: 200}
	foreign := res(probe.TargetStatus, probe.ClassUnexpected, 200, ErrForeignPage, "not Claude's status page: GitHub (page kctbh9vrtdwd)")
	foreign.Time, foreign.Detail = now.Add(-2*time.Second), "GitHub"
	rec := probetest.Healthy()
	rec[probe.TargetStatus] = []probe.Result{good, foreign}
	v := Judge(Input{Recent: rec, Status: st, Now: now, StaleAfter: 3 * time.Minute})
	if v.Kind != probe.VerdictDegraded || !strings.Contains(v.Headline, "The status page as read ") || !strings.Contains(v.Headline, "is now not Claude's status page") {
		t.Errorf("%s: %q", v.Kind, v.Headline)
	}
	// Past the stale limit the old read is no current fact.
	v = Judge(Input{Recent: rec, Status: st, Now: now.Add(5 * time.Minute), StaleAfter: 3 * time.Minute})
	if v.Kind == probe.VerdictDegraded {
		t.Errorf("a stale read still drives: %q", v.Headline)
	}
}
