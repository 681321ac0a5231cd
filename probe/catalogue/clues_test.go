package catalogue

import "testing"

// TestReadRetryLadder holds what Read takes from a paste that holds more
// than one status or type, as a retry ladder does: the outcome is the last
// one in the text, whichever wording each line uses. Mutation testing
// (.ci/mutation catalogue) found these unguarded.
func TestReadRetryLadder(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		status     int
		errType    string
	}{
		{"the same wording twice", "API Error: 529 overloaded, retrying\nAPI Error: 401 invalid x-api-key", 401, ""},
		{"a later line in a wording listed first", "HTTP/1.1 529 Overloaded\nthen API Error: 401 invalid x-api-key", 401, ""},
		{"a later line in a wording listed later", "API Error: 401 invalid x-api-key\nthen HTTP/1.1 529 Overloaded", 529, ""},
		{"the highest status still a status", "API Error: 599 from the gateway", 599, ""},
		{"past it, not a status", "API Error: 600 from the gateway", 0, ""},
		{"the last type", `{"type":"error","error":{"type":"overloaded_error"}} then {"type":"error","error":{"type":"authentication_error"}}`, 0, "authentication_error"},
	} {
		p := Read(tt.text)
		if p.Status() != tt.status || p.ErrorType() != tt.errType {
			t.Errorf("%s: status %d, type %q; want %d, %q", tt.name, p.Status(), p.ErrorType(), tt.status, tt.errType)
		}
	}
	// A type that is not Anthropic's is noted as such; the generic
	// "error" wrapper is not.
	if p := Read(`{"type": "error", "error": {"type": "BadRequestError", "message": "x"}}`); len(p.foreign) != 1 || p.foreign[0] != "BadRequestError" {
		t.Errorf("foreign types %q, want [BadRequestError]", p.foreign)
	}
	if p := Read(`{"type": "error"}`); len(p.foreign) != 0 {
		t.Errorf("foreign types %q, want none", p.foreign)
	}
}
