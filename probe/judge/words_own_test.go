package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestEvidenceLineQuotesOnlyTheirWords: the evidence line quotes what the
// answer said, never our own words for it — a gateway's 529 whose body
// has no message in Anthropic's form read '"529 Overloaded"', StatusText's
// words, as the gateway's (issue 19).
func TestEvidenceLineQuotesOnlyTheirWords(t *testing.T) {
	gw := &probe.LocalReport{APIURL: "http://127.0.0.1:4000", APIURLFrom: "ANTHROPIC_BASE_URL"}
	for _, tt := range []struct {
		name  string
		r     probe.Result
		want  string
		never []string
	}{
		{"a relayed 529 without a message of its own", res(probe.TargetAPIKey, probe.ClassOverloaded, 529, "overloaded_error", "529 Overloaded"),
			"→ 529 overloaded_error ·", []string{`"529 Overloaded"`}},
		{"the same with its Retry-After", retry(res(probe.TargetAPIKey, probe.ClassOverloaded, 529, "overloaded_error", "529 Overloaded (retry after 5s)")),
			"→ 529 overloaded_error · retry-after", []string{`"529 Overloaded"`}},
		{"a 503 with an HTML page", res(probe.TargetAPI, probe.ClassServer, 503, "http_503", "503 Service Unavailable, an HTML page"),
			"→ 503 http_503 ·", []string{`"503 Service Unavailable`}},
		{"a message in a body not Anthropic's", res(probe.TargetAPIKey, probe.ClassOverloaded, 529, "overloaded_error", "529 Overloaded: litellm.InternalServerError"),
			`→ 529 overloaded_error "litellm.InternalServerError" ·`, []string{`"529 Overloaded`}},
		{"Anthropic's own words", res(probe.TargetAPIKey, probe.ClassOverloaded, 529, "overloaded_error", "529 overloaded_error: Overloaded"),
			`→ 529 overloaded_error "Overloaded" ·`, nil},
		{"the gateway's own 500, its words only", res(probe.TargetAPI, probe.ClassServer, 500, ErrNotAnthropic, `500 Internal Server Error (envoy): the gateway's own answer, not Anthropic's: "upstream connect error or disconnect/reset before headers. reset reason: connection failure"`),
			`→ 500 not_anthropic "upstream connect error or disconnect/reset before headers. reset reason: connection failure" ·`, []string{"the gateway's own answer", `"500 Internal`}},
		{"someone else's page without words", res(probe.TargetAPI, probe.ClassServer, 502, ErrNotAnthropic, "502 Bad Gateway from nginx/1.24.0, not Anthropic: a gateway or proxy answered"),
			"→ 502 not_anthropic ·", []string{`"502`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.Time = now
			got := EvidenceLine(tt.r, gw, nil)
			if !strings.Contains(got, tt.want) {
				t.Errorf("%q\nwant it to contain %q", got, tt.want)
			}
			for _, n := range tt.never {
				if strings.Contains(got, n) {
					t.Errorf("%q says %q", got, n)
				}
			}
		})
	}
}

// retry is r with the 5 s Retry-After its message notes.
func retry(r probe.Result) probe.Result {
	r.RateLimit.RetryAfter = 5 * time.Second
	return r
}
