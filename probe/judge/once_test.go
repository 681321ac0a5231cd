package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestOneRoundIsHedged: the first result counts at once (a fault shows on
// the first screen), but one round is no persistence — a malformed answer
// from claude.ai in the first round read "Anthropic problem, not yet
// acknowledged: …" as a fact. It is "Likely an Anthropic problem …", one
// probe so far; two in a row are the fact.
func TestOneRoundIsHedged(t *testing.T) {
	bad := func(at time.Time) probe.Result {
		r := res(probe.TargetClaudeAI, probe.ClassUnexpected, 0, "malformed", "127.0.0.1:19301 answered with a malformed HTTP response")
		r.Time = at
		return r
	}
	in := input(row{"operational", "ok", "ok", "good", "ok", probe.VerdictOperational, "", nil})
	in.Recent[probe.TargetClaudeAI] = []probe.Result{bad(now.Add(-5 * time.Second))}
	v := Judge(in)
	if v.Kind != probe.VerdictUnacknowledged || !strings.HasPrefix(v.Headline, "Likely an Anthropic problem, not yet acknowledged: Claude (claude.ai) failing from here") ||
		!strings.Contains(v.Headline, "operational — one probe so far; a second failure in a row confirms it.") {
		t.Errorf("one round: %s %q", v.Kind.Key(), v.Headline)
	}
	in.Recent[probe.TargetClaudeAI] = []probe.Result{bad(now.Add(-35 * time.Second)), bad(now.Add(-5 * time.Second))}
	if v := Judge(in); !strings.HasPrefix(v.Headline, "Anthropic problem, not yet acknowledged: ") || strings.Contains(v.Headline, "one probe so far") {
		t.Errorf("two rounds in a row: %q, want the fact", v.Headline)
	}
}
