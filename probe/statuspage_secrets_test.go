package probe

import (
	"encoding/json"
	"strings"
	"testing"
)

// A status page's words are somebody else's: a credential in them is
// masked where we keep and show them, as in an API error body (cold6 E2).
func TestStatusPageTextMasksCredentials(t *testing.T) {
	key := "sk-ant-api03-LEAKLEAKLEAKLEAK0123456789abcdefghijklmnopqrstuv-AAAA"
	tok := "sk-ant-oat01-OAUTHLEAK0123456789abcdefghijklmnopqrstuvwxyz-BBBB"
	split := "sk-ant-api03-SPLIT\x1b[0mSPLITSPLIT0123456789abcdefghijklmnop-CCCC" // an escape inside the key
	say := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	body := `{"page":{"id":"tymt9n04zgry","name":` + say("Claude "+key) + `},
	"status":{"indicator":"major","description":` + say("Outage, token "+tok) + `},
	"components":[{"id":"c1","name":` + say("API "+split) + `,"status":"major_outage"}],
	"incidents":[{"id":"i1","name":` + say("Elevated errors key "+key) + `,"status":"identified","impact":"major",
	  "incident_updates":[{"id":"u1","status":"identified","body":` + say("We see\ntoken "+tok+" and "+split) + `}]}]}`
	st, err := ParseSummary([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	all = append(all, st.PageName, st.Description)
	for _, c := range st.Components {
		all = append(all, c.Name)
	}
	for _, in := range st.Incidents {
		all = append(all, in.Name)
		for _, u := range in.Updates {
			all = append(all, u.Body)
		}
	}
	text := strings.Join(all, "\n")
	for _, leak := range []string{"LEAKLEAK", "OAUTHLEAK", "SPLITSPLIT"} {
		if strings.Contains(text, leak) {
			t.Errorf("%q kept in the page's text:\n%s", leak, text)
		}
	}
	for _, want := range []string{"sk-ant-api03-…AAAA", "sk-ant-oat01-…BBBB", "sk-ant-api03-…CCCC", "Elevated errors key", "We see"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing from the page's text:\n%s", want, text)
		}
	}
}
