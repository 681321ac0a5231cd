package catalogue

import (
	"strings"
	"testing"
)

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

// TestReadEveryTargetAndCode: a paste that retried, or fell back to
// another host, holds more than one request line and more than one error
// body; the host that is not Anthropic's, or the error code Anthropic
// does not send, counts wherever it stands (mutation testing found only
// the first of each read), and the diagnosis names that host, not the
// first one. node-fetch's "request to https://…" (Claude Code's
// FetchError) is a request line too.
func TestReadEveryTargetAndCode(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		want       EntryID
		says       string
	}{
		{"node-fetch's request line to a gateway",
			"FetchError: request to https://llm-gw.corp.example/v1/messages failed, reason: 401 invalid x-api-key",
			EntryGateway, "a request sent to llm-gw.corp.example, not api.anthropic.com"},
		{"Anthropic first, then the fallback gateway",
			"FetchError: request to https://api.anthropic.com/v1/messages failed, reason: socket hang up\n" +
				"retrying with the fallback: request to https://llm-gw.corp.example/v1/messages failed: 401 " +
				`{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`,
			EntryGateway, "a request sent to llm-gw.corp.example, not api.anthropic.com"},
		{"Anthropic's host alone",
			"FetchError: request to https://api.anthropic.com/v1/messages failed, reason: 401 " +
				`{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`,
			EntryInvalidKey, "invalid x-api-key"},
		{"an Anthropic code, then a foreign one",
			`HTTP 502 {"error":{"code":"api_error"}}` + "\nretrying in 2s\n" + `HTTP 502 {"error":{"code":"provider_error","message":"the backend went away"}}`,
			EntryGateway, "an error type Anthropic does not send (provider_error)"},
		{"an Anthropic code alone",
			`HTTP 502 {"error":{"code":"api_error","message":"the backend went away"}}`,
			EntryIntermediary, "HTTP 502 without Anthropic's error body"},
	} {
		m, ok := Find(Read(tt.text))
		if !ok || m.Entry.ID != tt.want || !strings.Contains(m.Matched, tt.says) {
			t.Errorf("%s: %s %v by %q; want %s by %q", tt.name, m.Entry.ID, ok, m.Matched, tt.want, tt.says)
		}
	}
}

// TestReadTextEndingInABackslash: a paste cut after a backslash (a Windows
// path, an escape split by the copy) is read, not a crash: the unescaper
// looks past the last byte only when there is one.
func TestReadTextEndingInABackslash(t *testing.T) {
	for _, text := range []string{`\`, `Error: EACCES: permission denied, mkdir 'C:\Users\me\.claude\`} {
		Read(text) // a panic fails the test
	}
	p := Read(`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}} at C:\tmp\`)
	if p.ErrorType() != "overloaded_error" || p.Message() != "Overloaded" {
		t.Errorf("type %q message %q, want overloaded_error, Overloaded", p.ErrorType(), p.Message())
	}
}

// TestUnescapeEveryEscape: each escape a paste holds reads as its
// character and the reader moves past it (a stack trace inside a JSON
// string holds "\n\tat …"); an unknown one (a Windows path) stays.
func TestUnescapeEveryEscape(t *testing.T) {
	in := `a\"b\'c\/d\` + "`" + `e\\f\ng\th\ri\u00e9j C:\Users`
	if got, want := unescape(in), "a\"b'c/d`e\\f\ng\thi\u00e9j C:\\Users"; got != want {
		t.Errorf("unescape(%q) = %q, want %q", in, got, want)
	}
	// A \u escape the paste cut short stays as it is.
	for _, in := range []string{`x\u00e`, `x\u00`, `x\u`} {
		if got := unescape(in); got != in {
			t.Errorf("unescape(%q) = %q, want it unchanged", in, got)
		}
	}
}
