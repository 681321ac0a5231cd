package diagnose

import (
	"testing"

	"downforai/probe/catalogue"
)

// TestATimeoutAfterOverloadIsTheOverload: in a retry ladder where
// Anthropic answered 529 (or 5xx) and a later attempt then got no answer
// in time, the path reached Anthropic seconds before: the timeout is the
// overload seen from the client, not "your network" (cold7 E4, the shape
// of anthropics/claude-code#2919 and #3558). A ladder of timeouts alone,
// or one whose last attempt could not connect at all, still reads as what
// it says.
func TestATimeoutAfterOverloadIsTheOverload(t *testing.T) {
	const (
		o529    = `  ⎿  API Error (529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}) · Retrying in 2 seconds… (attempt 3/10)` + "\n"
		o500    = `  ⎿  API Error (500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}) · Retrying in 1 seconds… (attempt 1/10)` + "\n"
		timeout = "  ⎿  API Error (Request timed out.) · Retrying in 8 seconds… (attempt 5/10)\n"
		conn    = "  ⎿  API Error (Connection error.) · Retrying in 4 seconds… (attempt 6/10)\n    ⎿  Error (connect ECONNREFUSED 160.79.104.10:443)\n"
	)
	for _, tc := range []struct {
		name, text string
		want       catalogue.EntryID
	}{
		{"529s, then a timeout", o529 + o529 + timeout, catalogue.EntryOverloaded},
		{"a 529, then two timeouts", o529 + timeout + timeout, catalogue.EntryOverloaded},
		{"timeouts alone", timeout + timeout, catalogue.EntryTimeout},
		{"a 529, then a connection refused", o529 + timeout + conn, catalogue.EntryConnection},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Diagnose(tc.text)
			if !d.Known() || d.Entry.ID != tc.want {
				got := catalogue.EntryID("")
				if d.Known() {
					got = d.Entry.ID
				}
				t.Errorf("%s (matched %q), want %s\n%s", got, d.Matched, tc.want, tc.text)
			}
		})
	}
	// A 500 then a timeout: Anthropic failing, whichever server-side
	// entry the 500 reads as — never the timeout.
	if d := Diagnose(o500 + timeout); !d.Known() || d.Entry.Side != catalogue.SideAnthropic {
		t.Errorf("a 500 then a timeout reads as %+v", d.Entry)
	}
}
