package catalogue

import (
	"regexp"
	"strings"
	"testing"
)

// TestEntriesSayLikelyWhenTheyInfer: an entry's text is shown beside any
// error that matches it, whatever the live probes see, so where it tells
// whose problem it is or what a retry does ("nothing to fix on your side",
// "the error comes from your path", "not an outage", "the same answer") it
// infers, and says so — "likely", "usually", "may" in the same clause
// (issue 19). A 529 through a gateway, a 5xx of a proxy, a bot check put up
// by a captive portal, a filter that judges a retried request otherwise:
// the fact-shaped sentence would be false for them.
func TestEntriesSayLikelyWhenTheyInfer(t *testing.T) {
	claim := regexp.MustCompile(`(?i)(nothing to fix|(on|from) your (side|path)|(is|it is|proves[^.:;]*) not an outage|the same answer)[^.:;]*`)
	hedge := regexp.MustCompile(`(?i)\b(likely|usually|may|often)\b`)
	for _, e := range Entries() {
		texts := append([]string{e.What, e.SidePhrase(), e.Confirm}, e.Fix...)
		for _, s := range texts {
			for _, loc := range claim.FindAllStringIndex(s, -1) {
				// The clause it stands in: since the last sentence or
				// clause break.
				start := strings.LastIndexAny(s[:loc[0]], ".:;") + 1
				if !hedge.MatchString(s[start:loc[1]]) {
					t.Errorf("%s: unhedged %q in %q", e.ID, s[start:loc[1]], s)
				}
			}
		}
	}
}
