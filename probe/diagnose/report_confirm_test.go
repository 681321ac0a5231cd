package diagnose

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/probetest"
)

// TestReportSaysHowNotThatItConfirmed (cold M2): the entry's Confirm is
// how downforai would confirm the problem, not a claim that it did: with
// the API refusing while the status page answered, the report read
// "Confirmed by: every probe: refused, reset or connect failures; the
// status page".
func TestReportSaysHowNotThatItConfirmed(t *testing.T) {
	recent := probetest.Healthy()
	rs := probetest.Series(probe.TargetAPI, probe.ClassNetwork, probe.ClassNetwork, probe.ClassNetwork)
	for i := range rs {
		rs[i].ErrorType, rs[i].Message = probe.NetRefused, "connection to api.anthropic.com:443 refused"
	}
	recent[probe.TargetAPI] = rs
	rep := Report(Evidence{Now: probetest.Now, Status: probetest.Official(nil), Recent: recent, Local: &probe.LocalReport{}})
	if strings.Contains(rep, "Confirmed by") || strings.Contains(rep, "every probe: refused") {
		t.Errorf("the report says it confirmed what it only says how to confirm:\n%s", rep)
	}
	if !strings.Contains(rep, "How downforai confirms it:") {
		t.Errorf("no 'How downforai confirms it:' line:\n%s", rep)
	}
}
