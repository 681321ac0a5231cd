package judge_test

import (
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/judge"
	"downforai/probe/probetest"
)

// TestModelRowWords: a model's row says its time to first token when the
// canary measured one, else the whole answer's time — in ms under a
// second, in seconds from one — and, with no verdict yet, what its last
// probe said.
func TestModelRowWords(t *testing.T) {
	for _, tt := range []struct {
		phases probe.Phases
		want   string
	}{
		{probe.Phases{FirstToken: 412 * time.Millisecond, Total: 430 * time.Millisecond}, "Claude Haiku 4.5 answers (TTFT 412 ms)"},
		{probe.Phases{FirstToken: 1200 * time.Millisecond, Total: 1300 * time.Millisecond}, "Claude Haiku 4.5 answers (TTFT 1.2 s)"},
		{probe.Phases{Total: 999 * time.Millisecond}, "Claude Haiku 4.5 answers (999 ms)"},
		{probe.Phases{Total: time.Second}, "Claude Haiku 4.5 answers (1.0 s)"},
	} {
		rs := probetest.Series(haiku, probe.ClassOK, probe.ClassOK)
		for i := range rs {
			rs[i].HTTPStatus, rs[i].Phases = 200, tt.phases
		}
		v := judge.Judge(judge.Input{Status: probetest.Official(nil), Recent: withModels(map[probe.Target][]probe.Result{haiku: rs}), Now: probetest.Now})
		if len(v.Models) != 1 || v.Models[0].Text != tt.want {
			t.Errorf("%+v: models %+v, want %q", tt.phases, v.Models, tt.want)
		}
	}
	rs := probetest.Series(haiku, probe.ClassUnknown)
	rs[0].ErrorType, rs[0].Message = "canceled", "probe canceled"
	v := judge.Judge(judge.Input{Status: probetest.Official(nil), Recent: withModels(map[probe.Target][]probe.Result{haiku: rs}), Now: probetest.Now})
	if len(v.Models) != 1 || v.Models[0].Text != "Claude Haiku 4.5: probe canceled" {
		t.Errorf("no verdict yet: models %+v, want the last probe's words", v.Models)
	}
}
