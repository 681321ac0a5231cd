package diagnose

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/probetest"
)

// TestReportIsInOneZone (cold4 C10): under TZ=Asia/Kolkata the report gave
// one probe's failure as 12:17:22 IST in the verdict's evidence and
// 06:47:22 UTC in its tables. A report is pasted into tickets: one zone,
// UTC, named on every time.
func TestReportIsInOneZone(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	recent := probetest.Healthy()
	recent[probe.TargetAPI] = probetest.Series(probe.TargetAPI, probetest.Repeat(probe.ClassOverloaded, 6)...)
	recent[probe.TargetAPIKey] = probetest.Series(probe.TargetAPIKey, probetest.Repeat(probe.ClassOverloaded, 6)...)
	for _, rs := range [][]probe.Result{recent[probe.TargetAPI], recent[probe.TargetAPIKey]} {
		for i := range rs {
			rs[i].HTTPStatus, rs[i].ErrorType, rs[i].Message = 529, "overloaded_error", "529 overloaded_error: Overloaded"
		}
	}
	st := probetest.Official(nil)
	st.Fetched = probetest.Now.Add(-10 * time.Second)
	out := Report(Evidence{Now: probetest.Now.In(kolkata), Status: st, Recent: recent, StaleAfter: 5 * time.Minute})
	if strings.Contains(out, "IST") {
		t.Errorf("the report mixes zones (IST beside UTC):\n%s", out)
	}
	// A clock of ours in a sentence names its zone.
	for _, m := range regexp.MustCompile(`\b\d\d:\d\d:\d\d\b( [A-Z]{2,5})?`).FindAllStringSubmatch(out, -1) {
		if m[1] != "" && m[1] != " UTC" {
			t.Errorf("%q names %s", m[0], m[1])
		}
	}
}
