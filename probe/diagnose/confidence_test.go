package diagnose

import (
	"testing"

	"downforai/probe/catalogue"
)

// TestAnErrorBodyIsNoLowGuess: Anthropic's error body whose status and
// type are both the entry's says as much as an error code — medium, not
// "low confidence" as a status or a type alone (real pastes: #48630's 500
// api_error with its request-id was "low"); a type alone stays low. With
// its envelope and its req_ request id it carries the whole of
// Anthropic's format, and is high (diag5); without the id (#8104's
// "request_id":null) medium.
func TestAnErrorBodyIsNoLowGuess(t *testing.T) {
	for _, tc := range []struct {
		source, text string
		want         catalogue.EntryID
		conf         catalogue.Confidence
	}{
		{"anthropics/claude-code#48630", `Getting consistent API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_011Ca5kSpev1VU8FFDsSJbWo"} · check status.claude.com`,
			catalogue.EntryServerError, catalogue.ConfidenceHigh},
		{"anthropics/claude-code#35462", "API Error: 500 {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server \n     error\"},\"request_id\":\"req_011CZ9DiuUGNky5FgPnYSUKN\"}",
			catalogue.EntryServerError, catalogue.ConfidenceHigh},
		{"anthropics/claude-code#8123", `API Error: 500 {"type":"error","error":{"type":"api_error","message":"Overloaded"},"request_id":null}`,
			catalogue.EntryServerError, catalogue.ConfidenceMedium},
		{"the envelope without its status", `{"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_011Ca5kSpev1VU8FFDsSJbWo"}`,
			catalogue.EntryServerError, catalogue.ConfidenceLow},
		{"a type alone", `{"type":"error","error":{"type":"api_error","message":"something"}}`, catalogue.EntryServerError, catalogue.ConfidenceLow},
	} {
		d := Diagnose(tc.text)
		if !d.Known() || d.Entry.ID != tc.want || d.Confidence != tc.conf {
			id := catalogue.EntryID("")
			if d.Known() {
				id = d.Entry.ID
			}
			t.Errorf("%s: %s (%s, on %q), want %s (%s)", tc.source, id, d.Confidence, d.Matched, tc.want, tc.conf)
		}
	}
}
