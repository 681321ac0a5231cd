package judge

import (
	"testing"

	"downforai/probe"
)

// TestKeylessGatewayVerdictIsTheReport: behind a gateway that asks for a
// key of its own, with none set, no probe of ours asked the API. What the
// API's row says at an outage is then Anthropic's report, said as such,
// never ours ("Anthropic outage" beside "ok (HTTP 401)").
func TestKeylessGatewayVerdictIsTheReport(t *testing.T) {
	for _, tc := range []struct {
		page     string
		kind     probe.VerdictKind
		pageOnly bool
	}{
		{"major", probe.VerdictOutage, true},
		{"partial", probe.VerdictOutage, true},
		{"operational", probe.VerdictUnknown, false},
	} {
		t.Run(tc.page, func(t *testing.T) {
			v := Judge(input(row{page: tc.page, api: "gw_ok", claude: "ok", cred: "none", net: "base_litellm"}))
			for _, sv := range v.Services {
				if sv.Service.Key != "api" {
					continue
				}
				if sv.Kind != tc.kind || sv.PageOnly != tc.pageOnly {
					t.Errorf("API %s (%q), PageOnly %v; want %s, PageOnly %v", sv.Kind.Key(), sv.Words(), sv.PageOnly, tc.kind.Key(), tc.pageOnly)
				}
				return
			}
			t.Fatal("no API row")
		})
	}
}
