package diagnose

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// TestAnAnswerFromElsewhereIsNotAnthropics: "Anthropic's API said it is
// overloaded" is whose words the 529 was only when Claude Code's requests
// go to Anthropic. With its ANTHROPIC_BASE_URL another provider or a
// gateway (MiniMax's own 529s reached Claude Code so,
// xvirobotics/metabot#192), every Anthropic-side paste says the service
// at that URL said it, likely relaying its upstream — never that
// Anthropic did; with Anthropic's request id in the paste (its answer
// passed on), or under Anthropic's URL, or no URL known, the entry's own
// words stand.
func TestAnAnswerFromElsewhereIsNotAnthropics(t *testing.T) {
	const gw = "https://api.minimax.io/anthropic"
	for _, tc := range []struct {
		paste, code string
		want        catalogue.EntryID
		elsewhere   bool
	}{
		{"API Error: Repeated 529 Overloaded errors", gw + "/", catalogue.EntryOverloaded, true},
		{`API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":null}`, gw, catalogue.EntryOverloaded, true},
		{"API Error: Request rejected (429) · Rate limited", gw, catalogue.EntryThrottled, true},
		{"API Error: 500 Internal server error", gw, catalogue.EntryServerError, true},
		{`API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`, gw, catalogue.EntryOverloaded, false},
		{"API Error: Repeated 529 Overloaded errors", probe.DefaultAPIURL + "/", catalogue.EntryOverloaded, false},
		{"API Error: Repeated 529 Overloaded errors", "", catalogue.EntryOverloaded, false},
		// claude.ai's page is claude.ai's, wherever Claude Code calls.
		{"Claude will return soon\nClaude.ai is currently experiencing a temporary service disruption.", gw, catalogue.EntryAppOutage, false},
		{"Due to unexpected capacity constraints, Claude is unable to respond to this message. Please try again soon.", gw, catalogue.EntryCapacity, false},
	} {
		d := Diagnose(tc.paste)
		if d.Entry == nil || d.Entry.ID != tc.want {
			t.Fatalf("%q matched %v, want %s", tc.paste, d.Entry, tc.want)
		}
		ev := Evidence{Now: probetest.Now, Recent: probetest.Healthy(), Status: probetest.Official(nil),
			Local: &probe.LocalReport{APIURL: probe.DefaultAPIURL, CodeURL: tc.code}}
		out := Format(d, ev)
		head, _, _ := strings.Cut(out, "\nError signatures:")
		said := "The service at " + gw + " (where Claude Code's requests go, ANTHROPIC_BASE_URL)"
		if strings.Contains(head, said) != tc.elsewhere {
			t.Errorf("%q, CodeURL %q: says %q %v, want %v:\n%s", tc.paste, tc.code, said, !tc.elsewhere, tc.elsewhere, head)
		}
		if tc.elsewhere {
			for _, claim := range []string{"Anthropic's API said", "Anthropic's servers", "on Anthropic's side", "from Anthropic", "Anthropic turning"} {
				if strings.Contains(head, claim) {
					t.Errorf("%q through %s claims %q:\n%s", tc.paste, tc.code, claim, head)
				}
			}
			if !strings.Contains(head, "likely") {
				t.Errorf("%q through %s: no inference said as likely:\n%s", tc.paste, tc.code, head)
			}
		}
	}
	// Every entry that says Anthropic answered has its words for an
	// answer from elsewhere: the rule is the side's, not one entry's —
	// but claude.ai's own words, which no gateway relays (App).
	for _, e := range catalogue.Entries() {
		if e.Side == catalogue.SideAnthropic && e.Elsewhere.What == "" && !e.App {
			t.Errorf("%s: on Anthropic's side without words for an answer from elsewhere", e.ID)
		}
	}
}
