package diagnose

import (
	"regexp"
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// TestInferencesSayLikely: with every probe answering, what Right now
// says of the failing program, the credential the paste came with, or
// whose problem it is, is an inference from our probes, never something
// we saw: every such clause says "likely" (issue 19), for every entry of
// the catalogue, under Anthropic's URL and under a gateway.
func TestInferencesSayLikely(t *testing.T) {
	inference := regexp.MustCompile(`(the failing program|came from another credential|came with another credential|the problem is)[^.:;]*`)
	for _, local := range []*probe.LocalReport{nil, {APIURL: "http://127.0.0.1:4000", APIURLFrom: "ANTHROPIC_BASE_URL"}} {
		for _, e := range catalogue.Entries() {
			for _, keyless := range []bool{false, true} {
				recent := probetest.Healthy()
				if keyless {
					delete(recent, probe.TargetAPIKey) // no key to probe with
				}
				ev := Evidence{Now: probetest.Now, Recent: recent, Status: probetest.Official(nil), Local: local}
				l := LiveFor(&e, ev.Input())
				says := append([]string{Disagreement(Diagnosis{Entry: &e, Status: 401}, l)}, l.Lines...)
				for _, s := range says {
					for _, loc := range inference.FindAllStringIndex(s, -1) {
						// "likely" in the clause before it (since the last
						// sentence or clause break), or right after the subject.
						start := strings.LastIndexAny(s[:loc[0]], ".:;") + 1
						if !strings.Contains(s[start:loc[1]], "likely") {
							t.Errorf("%s (gateway %v): unhedged %q in %q", e.ID, local != nil, s[loc[0]:loc[1]], s)
						}
					}
				}
			}
		}
	}
}
