package catalogue

import (
	"strings"
	"testing"
)

// TestAWordInAForeignFormatIsHedged: "Overloaded" inside an error type
// Anthropic never sends, with none of Anthropic's — the shape OpenAI-style
// gateways and clients relay (tests4's note) — is said as overloaded in
// someone else's format, low, not Anthropic's overload as such; the same
// word in Anthropic's own body stays what it was.
func TestAWordInAForeignFormatIsHedged(t *testing.T) {
	m, ok := Find(Read(`{"error":{"type":"server_error","message":"Overloaded"}}`))
	if !ok || m.Entry.ID != EntryOverloaded || m.Confidence != ConfidenceLow ||
		!strings.Contains(m.Matched, "in an error type Anthropic does not send (server_error)") {
		t.Errorf("%v %s %s matched %q, want overloaded, low, saying the format is not Anthropic's", ok, m.Entry.ID, m.Confidence, m.Matched)
	}
	m, ok = Find(Read(`API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CZTEFvft13DajMTp9pp64"}`))
	if !ok || m.Entry.ID != EntryOverloaded || m.Confidence != ConfidenceHigh || strings.Contains(m.Matched, "does not send") {
		t.Errorf("Anthropic's own: %v %s %s matched %q", ok, m.Entry.ID, m.Confidence, m.Matched)
	}
}
