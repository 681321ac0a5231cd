package check

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestPageCellSaysWhyOnce (cold C3): the status page's row names why the
// page does not count once — not "not Claude's page (not Claude's status
// page (GitHub))".
func TestPageCellSaysWhyOnce(t *testing.T) {
	for _, tc := range []struct {
		o    probe.Official
		want string
	}{
		{probe.Official{State: probe.OfficialForeign, Why: "not Claude's status page (GitHub)"}, "not Claude's status page (GitHub)"},
		{probe.Official{State: probe.OfficialForeign}, "not Claude's page"},
		{probe.Official{State: probe.OfficialUnreadable, Why: "HTML challenge", Since: time.Unix(0, 0)}, "page unreadable (HTML challenge)"},
		{probe.Official{State: probe.OfficialStale}, "page stale"},
		{probe.Official{State: probe.OfficialNone}, "page not read"},
	} {
		got := pageCell(tc.o, nil)
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.o.State, got, tc.want)
		}
		if strings.Count(got, "not Claude") > 1 {
			t.Errorf("%s says it twice: %q", tc.o.State, got)
		}
	}
}

// TestVerdictCellNamesItsSource: the table's and the JSON's verdict text
// is the service's own words, so a verdict resting on the CLI never reads
// "Anthropic's report".
func TestVerdictCellNamesItsSource(t *testing.T) {
	for _, tc := range []struct {
		sv   probe.ServiceVerdict
		want string
	}{
		{probe.ServiceVerdict{Kind: probe.VerdictOperational, PageOnly: true}, "Operational (Anthropic's report)"},
		{probe.ServiceVerdict{Kind: probe.VerdictOperational, Local: "CLI installed 2.0.50; the Claude API it calls answers"}, "Operational (CLI installed 2.0.50; the Claude API it calls answers)"},
		{probe.ServiceVerdict{Kind: probe.VerdictUnacknowledged, ThroughAPI: true}, "Not yet acknowledged by Anthropic (via the Claude API)"},
		{probe.ServiceVerdict{Kind: probe.VerdictOperational}, "Operational"},
	} {
		if got := verdictText(tc.sv); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
}
