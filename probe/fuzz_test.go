package probe

import (
	"testing"
	"unicode/utf8"
)

// Fuzz targets for every decoder of remote text in probe. Each has a seed
// corpus in testdata/fuzz/<FuzzName>/ (run `go test -fuzz=FuzzName
// -fuzztime=20s ./probe/` and commit new files it finds interesting):
//
//	FuzzSanitize          sanitize_test.go   the sanitiser
//	FuzzParseSummary      statuspage_test.go status-page decoding
//	FuzzClassifyAPIError  here               API error decoding
//
// The error-text classifier (troubleshooting, issue 4) belongs here too, as
// FuzzClassifyErrorText: arbitrary pasted text must classify without
// panicking, and every string it returns must pass checkClean.

// checkClean fails when s is not what Sanitize or Line could have produced.
func checkClean(t *testing.T, field, s string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(s) || len(s) > MaxTextLen {
		t.Fatalf("%s: invalid or too long (%d bytes): %q", field, len(s), s)
	}
	if r, bad := firstUnsafe(s, multiline); bad {
		t.Fatalf("%s: control %U in %q", field, r, s)
	}
}

// FuzzClassifyAPIError feeds any status and body to the API answer
// classifier: it must not panic, must return a defined class, a sanitised
// message of at most 200 runes, and a type and request id that are clean.
func FuzzClassifyAPIError(f *testing.F) {
	for _, seed := range []struct {
		status int
		body   string
	}{
		{200, `{"data":[]}`}, {200, `<!DOCTYPE html>`}, {200, `OK`},
		{401, bodyInvalidKey}, {403, bodyRevoked}, {400, bodyCredit}, {400, bodyOrgDisabled},
		{402, bodyBilling}, {404, bodyNotFound}, {429, bodyRateLimit}, {500, bodyAPIError},
		{502, bodyCFHTML}, {504, bodyTimeout}, {529, bodyOverloaded}, {529, bodyOverloadedNL},
		{500, `{"type":"error","error":{"type":"api_error","message":"\u001b]52;c;ZXZpbA==\u0007boom"}}`},
		{401, `{"type":"error","error":{"type":"\u202eauthentication_error","message":null},"request_id":7}`},
		{529, `{"type":"error","error":"Overloaded"}`}, {0, ``}, {-1, `{`}, {999, `[]`},
	} {
		f.Add(seed.status, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		c, typ, msg, id := ClassifyAPIError(status, body)
		if !c.Valid() {
			t.Fatalf("class %v", c)
		}
		if c == ClassOK && (status < 200 || status > 299) {
			t.Fatalf("status %d judged ok", status)
		}
		if msg == "" {
			t.Fatalf("no message for %d %q", status, body)
		}
		if n := utf8.RuneCountInString(msg); n > 200 {
			t.Fatalf("message of %d runes", n)
		}
		checkClean(t, "message", msg, false)
		checkClean(t, "type", typ, false)
		checkClean(t, "request id", id, false)
		if utf8.RuneCountInString(typ) > 60 || utf8.RuneCountInString(id) > 100 {
			t.Fatalf("type %q or id %q over its bound", typ, id)
		}
	})
}
