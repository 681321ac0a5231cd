package diagnose

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// TestAGatewayAnswersNotAnthropic: with the API URL set to a gateway
// (ANTHROPIC_BASE_URL, --api-url), the API probes ask the gateway, and
// Anthropic's own API is never asked. Every live line and disagreement of
// a pasted error names the gateway as what answered, never "Anthropic
// answers from here", and the inference about the failing program's path
// says "likely" (issue 19). Under Anthropic's own URL the sentences still
// say Anthropic answered, hedged the same way.
func TestAGatewayAnswersNotAnthropic(t *testing.T) {
	const gwName = "the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000)"
	gateway := &probe.LocalReport{APIURL: "http://127.0.0.1:4000/", APIURLFrom: "ANTHROPIC_BASE_URL"}
	own := &probe.LocalReport{APIURL: probe.DefaultAPIURL}
	for _, tc := range []struct {
		paste string
		local *probe.LocalReport
		want  []string
		not   []string
	}{
		{"Unable to connect to API (ECONNREFUSED)", gateway,
			[]string{"The gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000) answers from here (each of the last 5 API probes; Anthropic's own API is not probed directly), and so do claude.ai and the status page (each of the last 10 probes): the failing program likely takes another path",
				"Your pasted error is not what this machine gets now: " + gwName + " answers from here (Anthropic's own API is not probed directly), and so do claude.ai and the status page, so the failing program likely takes another path"},
			[]string{"Anthropic answers from here"}},
		{"Unable to connect to API (ECONNREFUSED)", own,
			[]string{"Anthropic answers from here (each of the last 15 probes): the failing program likely takes another path"},
			[]string{"gateway at", "program takes another path"}},
		{"Unable to connect to API (ECONNREFUSED)", nil,
			[]string{"Anthropic answers from here (each of the last 15 probes): the failing program likely takes another path"},
			[]string{"gateway at"}},
		{"403 Forbidden", gateway,
			[]string{"The key downforai probes with is let in (each of the last 5 probes, through " + gwName + ")",
				"the key downforai probes with is let in through " + gwName},
			[]string{"let in from here"}},
		{"API Error: 529 Overloaded. This is a server-side issue, usually temporary", gateway,
			[]string{"Our API probes go to " + gwName + ", and it answers normally (each of the last 10 probes), but they list models and ask none, and Anthropic's own API is not probed directly",
				"our API probes, to " + gwName + ", answer normally now"},
			[]string{"answer normally from here"}},
		{`API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`, gateway,
			[]string{"The key downforai probes with works (each of the last 5 probes, through " + gwName + "): the failing program likely uses another credential",
				"Your pasted 401 likely came from another credential: the one downforai probes with works through " + gwName + "."},
			nil},
	} {
		recent := probetest.Healthy()
		ev := Evidence{Now: probetest.Now, Recent: recent, Status: probetest.Official(nil), Local: tc.local}
		out := Format(Diagnose(tc.paste), ev)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%q, gateway %v: missing %q:\n%s", tc.paste, tc.local == gateway, w, out)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("%q, gateway %v: says %q:\n%s", tc.paste, tc.local == gateway, n, out)
			}
		}
	}
}

// TestAGatewayFailingIsNamed: the gateway relaying a 529 is the gateway's
// answer, said as its, not "Anthropic is overloaded" as if we had seen it.
func TestAGatewayFailingIsNamed(t *testing.T) {
	over, _ := catalogue.ByID(catalogue.EntryOverloaded)
	recent := probetest.Healthy()
	recent[probe.TargetAPI] = series(probe.TargetAPI, "ooxxx")
	recent[probe.TargetAPIKey] = series(probe.TargetAPIKey, "ooxxx")
	ev := Evidence{Now: probetest.Now, Recent: recent, Status: probetest.Official(nil),
		Local: &probe.LocalReport{APIURL: "https://llm.corp.example/anthropic", APIURLFrom: "--api-url"}}
	got := strings.Join(LiveFor(&over, ev.Input()).Lines, "\n")
	if !strings.Contains(got, "The gateway at --api-url (https://llm.corp.example/anthropic) answers the same: 6 of the last 10 probes got 529 overloaded_error.") ||
		strings.Contains(got, "Anthropic is overloaded") {
		t.Errorf("gateway relaying 529:\n%s", got)
	}
	// Anthropic's own answer, its request-id, passed on by the gateway:
	// Anthropic's, as the judge weighs it.
	for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey} {
		for i := range recent[tg] {
			if recent[tg][i].HTTPStatus == 529 {
				recent[tg][i].RequestID = "req_011CZTEFvft13DajMTp9pp64"
			}
		}
	}
	got = strings.Join(LiveFor(&over, ev.Input()).Lines, "\n")
	if !strings.Contains(got, "Anthropic is overloaded: 6 of the last 10 probes got 529 overloaded_error.") {
		t.Errorf("gateway passing on Anthropic's 529:\n%s", got)
	}
}

// TestFAQNetworkNamesTheGateway: the FAQ's network answer counts the
// gateway as the gateway, not as one of Anthropic's hosts.
func TestFAQNetworkNamesTheGateway(t *testing.T) {
	var q catalogue.Question
	for _, x := range catalogue.FAQ() {
		if x.Live == "network" {
			q = x
		}
	}
	if q.Live == "" {
		t.Fatal("no network question")
	}
	ev := Evidence{Now: probetest.Now, Recent: probetest.Healthy(), Status: probetest.Official(nil),
		Local: &probe.LocalReport{APIURL: "http://127.0.0.1:4000", APIURLFrom: "ANTHROPIC_BASE_URL"}}
	got := strings.Join(FAQLive(q, ev), "\n")
	if !strings.Contains(got, "The gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000) answers this machine (Anthropic's own API is not probed directly), and so do claude.ai and the status page: a program that cannot connect likely takes another path") ||
		strings.Contains(got, "Anthropic's hosts answer") {
		t.Errorf("FAQ network under a gateway:\n%s", got)
	}
	ev.Recent[probe.TargetAPI] = probetest.Series(probe.TargetAPI, probe.ClassNetwork)
	got = strings.Join(FAQLive(q, ev), "\n")
	if !strings.Contains(got, "The gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000) fails from this machine at the network level (Anthropic's own API is not probed directly); claude.ai and the status page answer.") ||
		strings.Contains(got, "of Anthropic's hosts fail") {
		t.Errorf("FAQ network, gateway failing:\n%s", got)
	}
}
