package check

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/fakeupstream"
)

// TestFirstCheckConfirmsAFailure: with nothing recorded, a check's one
// failed probe was all it judged on, and one probe is no persistence (the
// judge says it as "Likely …, one probe so far" while the dashboard's
// rounds of the same state say it as a fact: the end-to-end test's banner
// and check disagreed). A failure with nothing before it is asked again at
// once, as a change is; an answer with nothing before it is not.
func TestFirstCheckConfirmsAFailure(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeUnacknowledged) // the API at 529, the page operational
	defer fake.Close()
	cfg := probe.Config{
		StatusURL: fake.URL, APIURL: fake.URL, ClaudeURL: fake.URL,
		Interval: time.Minute, StatusInterval: time.Minute, Timeout: 2 * time.Second,
		ClaudeBin: filepath.Join(t.TempDir(), "no-such-claude"), SlowAfter: -1,
	}
	checks := probe.NewChecks(cfg)
	rep := Run(context.Background(), probe.NewEngine(checks, nil), len(checks), time.Now, Past{})
	n := map[probe.Target]int{}
	for _, r := range rep.Results {
		n[r.Target]++
	}
	if n[probe.TargetAPI] != 2 || n[probe.TargetClaudeAI] != 1 {
		t.Errorf("probes per target %v: want the failing API asked twice, claude.ai (answering) once", n)
	}
	if rep.Verdict.Kind != probe.VerdictUnacknowledged || strings.HasPrefix(rep.Verdict.Headline, "Likely") {
		t.Errorf("%s %q: want the failure confirmed, said as a fact", rep.Verdict.Kind.Key(), rep.Verdict.Headline)
	}
}
