package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestGapStartsAfresh: results further apart than the stale limit (a
// restart) split a target's window: what came before the gap neither makes
// the target "Unstable" nor holds its failure over the results after it
// (cold4 C6: "Unstable: 6 of the last 12 Claude API probes failed" for a
// minute after a restart, every row ok). Without a gap the rule is the same
// as ever.
func TestGapStartsAfresh(t *testing.T) {
	const stale = 15 * time.Second
	at := func(s int) time.Time { return now.Add(time.Duration(s) * time.Second) }
	run := func(pattern string, from, step int) []probe.Result {
		var rs []probe.Result
		for i, c := range pattern {
			r := res(probe.TargetAPI, probe.ClassOK, 401, "", "API answers (401 without key, as expected)")
			if c == 'x' {
				r = res(probe.TargetAPI, probe.ClassOverloaded, 529, "overloaded_error", "529 overloaded_error: Overloaded")
			}
			r.Time = at(from + i*step)
			rs = append(rs, r)
		}
		return rs
	}
	for _, tc := range []struct {
		name string
		api  []probe.Result
		kind probe.VerdictKind
		says string
	}{
		{"flapping before a restart, ok after", append(run("oxxoxoxoxxox", -100, 5), run("o", -2, 5)...), probe.VerdictOperational, "All clear"},
		{"flapping before a restart, ok twice after", append(run("oxxoxoxoxxox", -100, 5), run("oo", -7, 5)...), probe.VerdictOperational, "All clear"},
		{"failing before a restart, ok after: no recovering", append(run("oooxxxx", -100, 5), run("o", -2, 5)...), probe.VerdictOperational, "All clear"},
		{"ok before a restart, 529 after: counts at once", append(run("oooooo", -100, 5), run("x", -2, 5)...), probe.VerdictUnacknowledged, "529 overloaded"},
		{"no gap: flapping stays unstable", run("oxxoxoxoxxoxo", -62, 5), probe.VerdictDegraded, "Unstable: 7 of 12 Claude API probes in the last minute failed"},
		{"a gap within the stale limit is no gap", append(run("oxxoxoxoxxox", -70, 5), run("o", -2, 5)...), probe.VerdictDegraded, "Unstable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := input(row{page: "operational", api: "ok", claude: "ok", cred: "none", net: "ok"})
			in.StaleAfter = stale
			in.Recent[probe.TargetAPI] = tc.api
			for _, tg := range []probe.Target{probe.TargetClaudeAI, probe.TargetCode} {
				for i := range in.Recent[tg] {
					in.Recent[tg][i].Time = at(-12 + 10*i)
				}
			}
			st, reads := page("operational")
			st.Fetched = at(-3)
			in.Status = st
			for i := range reads {
				reads[i].Time = at(-13 + 10*i)
			}
			in.Recent[probe.TargetStatus] = reads
			v := Judge(in)
			if v.Kind != tc.kind || !strings.Contains(v.Headline, tc.says) {
				t.Fatalf("%s: %q\nwant %s saying %q", v.Kind.Key(), v.Headline, tc.kind.Key(), tc.says)
			}
		})
	}
}
