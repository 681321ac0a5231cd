package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestAnsweringAgainIsNotFailingFromHere (cold5 D24): a target held in a
// failure until --recover-threshold successes in a row answers now — the
// first round after a restart, beside rows that read ✔ 200. The verdict
// keeps the failure (hysteresis), but the sentence says what the newest
// probes say: answering again, recovering — never "failing from here".
func TestAnsweringAgainIsNotFailingFromHere(t *testing.T) {
	seq := func(tg probe.Target, fail probe.Result, states string) []probe.Result {
		var rs []probe.Result
		for i, c := range states {
			r := res(tg, probe.ClassOK, 200, "", "ok")
			if tg == probe.TargetAPI {
				r = res(tg, probe.ClassOK, 401, "", "API answers (401 without key, as expected)")
			}
			if c == 'F' {
				r = fail
				r.Target = tg
			}
			r.Time = now.Add(-time.Duration(len(states)-i) * 5 * time.Second)
			rs = append(rs, r)
		}
		return rs
	}
	f529 := res("", probe.ClassOverloaded, 529, "overloaded_error", "529 overloaded_error: Overloaded")
	f503 := res("", probe.ClassServer, 503, "http_503", "claude.ai answered 503 Service Unavailable, an HTTP page")
	for _, c := range []struct {
		name, api, claude string
		kind              probe.VerdictKind
		says              []string
		never             []string
	}{
		{"both answer again", "FFFU", "FFFU", probe.VerdictUnacknowledged,
			[]string{"not yet acknowledged: Claude API answering again after 529 overloaded (recovering: the newest probe succeeded; all clear after 2 in a row) while the status page shows it operational.",
				"Recovering: Claude (claude.ai) (answering again after 503 server error)."},
			[]string{"failing from here"}},
		{"the API still fails, claude.ai answers again", "FFFF", "FFFU", probe.VerdictUnacknowledged,
			[]string{"Claude API failing from here (529 overloaded)", "Recovering: Claude (claude.ai) (answering again after 503 server error)"},
			[]string{"Also failing from here"}},
		{"the API answers again, claude.ai still fails", "FFFU", "FFFF", probe.VerdictUnacknowledged,
			[]string{"Claude (claude.ai) failing from here (503 server error)", "Recovering: Claude API (answering again after 529 overloaded)"},
			nil},
		{"two successes are all clear", "FFUU", "FFUU", probe.VerdictOperational, []string{"All clear"}, []string{"recovering"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := input(row{page: "operational", api: "ok", claude: "ok", cred: "none", net: "ok"})
			in.Recent[probe.TargetAPI] = seq(probe.TargetAPI, f529, c.api)
			in.Recent[probe.TargetClaudeAI] = seq(probe.TargetClaudeAI, f503, c.claude)
			v := Judge(in)
			if v.Kind != c.kind {
				t.Errorf("verdict %s, want %s: %s", v.Kind.Key(), c.kind.Key(), v.Headline)
			}
			for _, s := range c.says {
				if !strings.Contains(v.Headline, s) {
					t.Errorf("headline %q\nwant it to say %q", v.Headline, s)
				}
			}
			for _, s := range c.never {
				if strings.Contains(v.Headline, s) {
					t.Errorf("headline says %q: %s", s, v.Headline)
				}
			}
		})
	}
}
