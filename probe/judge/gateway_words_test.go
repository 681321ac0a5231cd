package judge

import (
	"strings"
	"testing"

	"downforai/probe"
)

// TestUnreachableThroughTheGateway: the API unreachable through the
// gateway the user set reads so on its row (check's table, the Live tab),
// never "Unreachable from here", which would point at Anthropic's host or
// this machine's way to it; Claude Code, whose calls go there too, says
// the same through the API. Under Anthropic's own URL the row stays
// "Unreachable from here".
func TestUnreachableThroughTheGateway(t *testing.T) {
	for _, tc := range []struct {
		api, net, want, code string
	}{
		{"gw_envoy", "base_litellm", "Unreachable through your gateway", "Unreachable through your gateway (via the Claude API)"},
		{"reset", "base_litellm", "Unreachable through your gateway", "Unreachable through your gateway (via the Claude API)"},
		{"timeout_connect", "base_litellm", "Unreachable through your gateway", "Unreachable through your gateway (via the Claude API)"},
		{"timeout_connect", "base_gw", "Unreachable through your gateway", "Unreachable through your gateway (via the Claude API)"},
		{"timeout_connect", "ok", "Unreachable from here", "Unreachable from here (via the Claude API)"},
		{"refused", "ok", "Unreachable from here", "Unreachable from here (via the Claude API)"},
	} {
		t.Run(tc.api+" "+tc.net, func(t *testing.T) {
			v := Judge(input(row{page: "operational", api: tc.api, claude: "ok", cred: "good", net: tc.net}))
			got := map[string]string{}
			for _, sv := range v.Services {
				got[sv.Service.Key] = sv.Words()
			}
			if v.Title() != tc.want {
				t.Errorf("titled %q, want %q, as its row", v.Title(), tc.want)
			}
			if got["api"] != tc.want || got["claude_code"] != tc.code {
				t.Errorf("API %q, Claude Code %q; want %q, %q (verdict %s: %s)", got["api"], got["claude_code"], tc.want, tc.code, v.Kind.Key(), v.Headline)
			}
		})
	}
}

// TestGatewayBeforeTheLocalReport: before the first local report, the
// URL probed (Input.URLs) says the API URL is a gateway: a timeout there
// is unreachable through it, never "Anthropic problem, not yet
// acknowledged" for the first rounds.
func TestGatewayBeforeTheLocalReport(t *testing.T) {
	in := input(row{page: "operational", api: "timeout", claude: "ok", cred: "good", net: "base_litellm"})
	in.URLs = URLs{API: in.Local.APIURL, ClaudeAI: in.Local.ClaudeURL, Status: in.Local.StatusURL}
	in.Local = nil
	v := Judge(in)
	if v.Kind != probe.VerdictUnreachable || !strings.Contains(v.Headline, "unreachable through the gateway at --api-url / ANTHROPIC_BASE_URL (http://127.0.0.1:4000)") {
		t.Errorf("%s: %q", v.Kind.Key(), v.Headline)
	}
}
