package transcript

import (
	"testing"

	"downforai/probe"
)

// TestRetriedCallIsOneCall (cold6 E6): Claude Code's retry records and the
// record that ends them — in the transcript format of reference §3.6 — are
// one call, decided by its outcome: three retried 529s and the error shown
// are one failed call, not four; three retried 529s and then an answer are
// one call that succeeded; retries with no outcome yet are one call still
// failing; a retry chain of another session is another call.
func TestRetriedCallIsOneCall(t *testing.T) {
	retry := func(session, at string, n int) string {
		return `{"type":"system","subtype":"api_error","level":"error","timestamp":"2026-03-04T11:00:` + at + `Z","sessionId":"` + session + `","version":"2.1.44","retryAttempt":` +
			string(rune('0'+n)) + `,"maxRetries":10,"retryInMs":500,"error":{"status":529,"message":"overloaded","isNetworkDown":false,"error":{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}}}`
	}
	shown := func(session, at string) string {
		return `{"type":"assistant","sessionId":"` + session + `","version":"2.1.44","timestamp":"2026-03-04T11:00:` + at + `Z","message":{"id":"x` + at + `","model":"<synthetic>","content":[{"type":"text","text":"API Error: 529 {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_011CXPBk57rUbKp5XVtievhP\"}"}]},"isApiErrorMessage":true,"apiErrorStatus":529,"error":"overloaded"}`
	}
	answer := func(session, at string) string {
		return `{"type":"assistant","sessionId":"` + session + `","version":"2.1.44","timestamp":"2026-03-04T11:00:` + at + `Z","requestId":"req_011CAnswer` + at + `","message":{"id":"msg_` + at + `","model":"claude-opus-4-6","usage":{"input_tokens":10,"output_tokens":5}}}`
	}
	for _, tc := range []struct {
		name  string
		lines []string
		want  []probe.Class // the calls, oldest first
	}{
		{"three retries and the error shown", []string{retry("s1", "01", 1), retry("s1", "03", 2), retry("s1", "07", 3), shown("s1", "15")},
			[]probe.Class{probe.ClassOverloaded}},
		{"three retries and an answer", []string{retry("s1", "01", 1), retry("s1", "03", 2), retry("s1", "07", 3), answer("s1", "15")},
			[]probe.Class{probe.ClassOK}},
		{"retries under way", []string{answer("s1", "00"), retry("s1", "01", 1), retry("s1", "03", 2)},
			[]probe.Class{probe.ClassOK, probe.ClassOverloaded}},
		{"an error shown without retries is a call", []string{shown("s1", "01"), shown("s1", "20")},
			[]probe.Class{probe.ClassOverloaded, probe.ClassOverloaded}},
		{"a new chain starts at attempt 1", []string{retry("s1", "01", 1), retry("s1", "03", 2), retry("s1", "20", 1), answer("s1", "30")},
			[]probe.Class{probe.ClassOverloaded, probe.ClassOK}},
		{"two sessions' chains are two calls", []string{retry("s1", "01", 1), retry("s2", "02", 1), retry("s1", "03", 2), answer("s2", "04"), shown("s1", "09")},
			[]probe.Class{probe.ClassOK, probe.ClassOverloaded}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rs []probe.Result
			for _, l := range tc.lines {
				rec, ok := Parse([]byte(l))
				if !ok || rec.Kind == KindOther {
					t.Fatalf("line not read: %s", l)
				}
				rs = append(rs, rec.Result)
			}
			calls := probe.SessionCalls(rs)
			var got []probe.Class
			for _, c := range calls {
				got = append(got, c.Class)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("calls %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("calls %v, want %v", got, tc.want)
				}
			}
			st := (&probe.SessionsReport{Recent: rs}).Stats(rs[0].Time)
			fails := 0
			for _, w := range tc.want {
				if w.Failing() {
					fails++
				}
			}
			if st.Requests != len(tc.want) || st.Errors != fails {
				t.Errorf("Stats: %d calls, %d errors; want %d, %d", st.Requests, st.Errors, len(tc.want), fails)
			}
		})
	}
}
