package diagnose

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// TestAPastedOverloadIsHedged: a pasted 529 is Anthropic's API saying it
// is overloaded, not an observation that it is "for everyone": the
// entry and the FAQ say "usually", and Right now ties it to what we saw —
// our own probes, then the status page's last read with its time and age,
// or that what the page says now is not known (issue 19).
func TestAPastedOverloadIsHedged(t *testing.T) {
	over, _ := catalogue.ByID(catalogue.EntryOverloaded)
	if strings.Contains(over.What, "everyone") || !strings.Contains(over.What, "usually") {
		t.Errorf("overloaded entry: %q", over.What)
	}
	for _, q := range catalogue.FAQ() {
		for _, a := range q.Answer {
			if strings.Contains(a, "shedding load for everyone") {
				t.Errorf("FAQ %s: %q", q.ID, a)
			}
		}
	}
	paste := `API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":null}`
	read := probetest.Now.Add(-90 * time.Second)
	fresh := probetest.Official(nil)
	fresh.Fetched = read
	incident := probetest.Official(map[string]string{"k8w3r06qmzrp": "partial_outage"})
	incident.Fetched = read
	incident.Incidents = []probe.Incident{{ID: "x", Name: "Elevated errors on Claude Opus", Status: "investigating", Impact: "minor"}}
	// The page's reads, the newest 90 s ago: the verdict's Official.Read.
	readAt := func(recent map[probe.Target][]probe.Result) map[probe.Target][]probe.Result {
		for i := range recent[probe.TargetStatus] {
			recent[probe.TargetStatus][i].Time = recent[probe.TargetStatus][i].Time.Add(-90 * time.Second)
		}
		return recent
	}
	failing := readAt(probetest.Healthy())
	failing[probe.TargetAPI] = series(probe.TargetAPI, "ooxxx")
	for _, tc := range []struct {
		name   string
		st     *probe.Status
		recent map[probe.Target][]probe.Result
		stale  time.Duration
		want   []string
	}{
		{"page operational, probes answer", fresh, readAt(probetest.Healthy()), 0,
			[]string{"The status page, read 13:28:30 UTC (1 min ago), says Claude API: operational, no incident open."}},
		{"page with an incident, probes get 529", incident, failing, 0,
			[]string{"Anthropic is overloaded: 3 of the last 5 API probes got 529 overloaded_error.",
				`The status page, read 13:28:30 UTC (1 min ago), says Claude API: partial outage; open incident: "Elevated errors on Claude Opus" (investigating).`}},
		{"page stale", fresh, readAt(probetest.Healthy()), time.Minute,
			[]string{"The status page has not been read lately; its last read, 13:28:30 UTC (1 min ago), is no current fact: whether Anthropic reports a problem now is not known."}},
		{"page never read", nil, probetest.Healthy(), 0,
			[]string{"The status page has not been read: whether Anthropic reports a problem now is not known."}},
	} {
		ev := Evidence{Now: probetest.Now, Recent: tc.recent, Status: tc.st, StaleAfter: tc.stale}
		out := Format(Diagnose(paste), ev)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: missing %q:\n%s", tc.name, w, out[strings.Index(out, "Right now"):])
			}
		}
		if strings.Contains(out, "everyone") {
			t.Errorf("%s: says everyone:\n%s", tc.name, out)
		}
	}
	// The FAQ's 529 answer ends with the same page line.
	ev := Evidence{Now: probetest.Now, Recent: readAt(probetest.Healthy()), Status: fresh}
	got := strings.Join(FAQLive(catalogue.Question{Live: "overload"}, ev), "\n")
	if !strings.Contains(got, "The status page, read 13:28:30 UTC (1 min ago), says Claude API: operational, no incident open.") {
		t.Errorf("FAQ overload:\n%s", got)
	}
}
