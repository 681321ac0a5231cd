package judge

import (
	"strings"
	"testing"

	"downforai/probe"
)

// TestHungPathSaysTLSOnlyWhenItHappened: "finished TLS" is a fact only
// when every hung probe made a handshake; over plain http (a local mirror,
// --api-url http://…) the facts say "connected" (cold5 D4).
func TestHungPathSaysTLSOnlyWhenItHappened(t *testing.T) {
	r := row{"operational", "ok", "ok", "good", "hang", probe.VerdictLocalNetwork, "", nil}
	in := input(r)
	if v := Judge(in); !strings.Contains(strings.Join(v.Facts, "\n"), "every host connected and finished TLS, then did not answer") {
		t.Fatalf("with handshakes: facts %q", v.Facts)
	}
	local := probe.LocalReport{}
	if in.Local != nil {
		local = *in.Local
	}
	local.APIURL, local.ClaudeURL, local.StatusURL = "http://127.0.0.1:8787", "http://127.0.0.1:8788", "http://127.0.0.1:8789"
	in.Local = &local
	for tg, rs := range in.Recent {
		for i := range rs {
			rs[i].Phases.TLS = 0
		}
		in.Recent[tg] = rs
	}
	v := Judge(in)
	facts := strings.Join(v.Facts, "\n")
	if v.Kind != probe.VerdictLocalNetwork || !strings.Contains(facts, "every host connected, then did not answer") || strings.Contains(facts, "TLS") {
		t.Errorf("without handshakes: %s, facts %q", v.Kind.Key(), v.Facts)
	}
}
