package catalogue

import (
	"testing"

	"downforai/probe"
)

// TestStatusOutranksOnlyItsWrapper: a client's wrapper words ("Connection
// error.", "Unable to connect to API") say a connection failed, not why;
// a status that means one thing names the cause over them (529 is
// overloaded, 504 a timeout), while a status that means many things
// (502: a gateway, a proxy, Anthropic's edge) does not replace the
// wrapper's own entry with "an intermediary" (match.go pick's fallback:
// fb.e.ID == entryOfStatus[…] negated lived, issue 18).
func TestStatusOutranksOnlyItsWrapper(t *testing.T) {
	for _, tt := range []struct {
		text    string
		want    EntryID
		matched string
	}{
		{"API Error: 529 Connection error.", EntryOverloaded, "HTTP 529"},
		{"fetch failed (HTTP 504)", EntryTimeout, "HTTP 504"},
		{"API Error: 502 Connection error.", EntryConnection, "Connection error"},
		{"Unable to connect to API (502 Bad Gateway)", EntryConnection, "Unable to connect to API"},
	} {
		m, ok := Find(Read(tt.text))
		if !ok || m.Entry.ID != tt.want || m.Matched != tt.matched {
			t.Errorf("%q: %v %s matched %q, want %s matched %q", tt.text, ok, m.Entry.ID, m.Matched, tt.want, tt.matched)
		}
	}
}

// TestMatchResultOfTheCLI: the claude CLI failing to print its version
// is no catalogue entry — its own hang is no request timing out at the
// API, an executable it cannot run is no API key without permission
// (MatchResult's guard for Claude Code's probe: its class condition
// negated lived, issue 18, where an earlier note called it equivalent).
func TestMatchResultOfTheCLI(t *testing.T) {
	for _, r := range []probe.Result{
		{Target: probe.TargetCode, Class: probe.ClassUnexpected, ErrorType: probe.NetTimeout, Message: "claude --version did not answer within 10s"},
		{Target: probe.TargetCode, Class: probe.ClassUnexpected, ErrorType: "exec", Message: "cannot run /usr/local/bin/claude: permission denied"},
		{Target: probe.TargetCode, Class: probe.ClassUnexpected, ErrorType: "exit", Message: "claude --version exited with status 1: Error: read ECONNRESET"},
		{Target: probe.TargetCode, Class: probe.ClassUnexpected, ErrorType: "output", Message: `claude --version printed "Overloaded", not a version`},
	} {
		if e, ok := MatchResult(r); ok {
			t.Errorf("%q: matched %s, want no entry", r.Message, e.ID)
		}
	}
}
