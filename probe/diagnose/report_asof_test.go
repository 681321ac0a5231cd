package diagnose

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/probetest"
)

// TestReportOfficialAsOfTheLastRead: with the status page unreadable for
// minutes, the report listed the last-read incident as "Incident: …
// (identified …)" with only the read's clock — a current fact to a reader
// (cold F23). It says the read is old and the page unreadable since.
func TestReportOfficialAsOfTheLastRead(t *testing.T) {
	st := probetest.Official(map[string]string{"k8w3r06qmzrp": "major_outage"})
	st.Fetched = probetest.Now.Add(-7 * time.Minute)
	st.Incidents = []probe.Incident{{ID: "461yvfrzpwtt", Name: "Elevated errors", Status: "identified", Impact: "major",
		StartedAt: st.Fetched.Add(-30 * time.Minute), Components: []string{"k8w3r06qmzrp"}}}
	recent := probetest.Healthy()
	recent[probe.TargetStatus] = probetest.Series(probe.TargetStatus, probetest.Repeat(probe.ClassNetwork, 6)...)
	for i := range recent[probe.TargetStatus] {
		recent[probe.TargetStatus][i].ErrorType = probe.NetTimeout
	}
	out := Report(Evidence{Now: probetest.Now, Status: st, Recent: recent, StaleAfter: 5 * time.Minute})
	for _, want := range []string{
		"**Last read 13:23:00 UTC (7 min ago); the page could not be read since 13:25:00 UTC (timed out), so what follows is as of that read, not now.**",
		"- **Incident open at that read:** Elevated errors (identified, impact major)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// Fresh: no such words.
	st.Fetched = probetest.Now
	out = Report(Evidence{Now: probetest.Now, Status: st, Recent: probetest.Healthy(), StaleAfter: 5 * time.Minute})
	if strings.Contains(out, "as of that read") || !strings.Contains(out, "- **Incident:** Elevated errors") {
		t.Errorf("fresh report:\n%s", out)
	}
}

// TestReportHeadroomAsOfItsProbe (cold walk of Dec 7): a reset time already
// past was reported as "resets 11:23:00", the key probe's time without its
// age. The report says the count is from before that reset, and how old
// the probe is.
func TestReportHeadroomAsOfItsProbe(t *testing.T) {
	recent := probetest.Healthy()
	keys := recent[probe.TargetAPIKey]
	last := &keys[len(keys)-1]
	last.Time = probetest.Now.Add(-6 * time.Minute)
	last.RateLimit = probe.RateLimit{RequestsLimit: 4000, RequestsRemaining: 3990, RequestsReset: probetest.Now.Add(-5 * time.Minute),
		TokensLimit: 400000, TokensRemaining: 398000, TokensReset: probetest.Now.Add(2 * time.Minute)}
	out := Report(Evidence{Now: probetest.Now, Status: probetest.Official(nil), Recent: recent, StaleAfter: 5 * time.Minute})
	at := func(d time.Duration) string { return probetest.Now.Add(d).UTC().Format("15:04:05") }
	for _, want := range []string{
		"- requests: 3990 of 4000 left (100%), counted before its reset at " + at(-5*time.Minute) + " UTC (5 min ago): not what is left now",
		"- tokens: 398000 of 400000 left (100%), resets " + at(2*time.Minute) + " UTC",
		"_from the key probe at " + at(-6*time.Minute) + " UTC (6 min ago)_",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
