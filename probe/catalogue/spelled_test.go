package catalogue

import "testing"

// TestMatchedQuotesThePaste: "matched:" shows the words as the user pasted
// them — their case, spaces and hyphens — not the signature's spelling, so
// they can find them in their own text.
func TestMatchedQuotesThePaste(t *testing.T) {
	for _, tc := range []struct{ paste, want string }{
		{"Unable to connect to API: Self signed certificate in certificate chain", "Self signed certificate in certificate chain"},
		{"unable to connect to api: SELF-SIGNED CERTIFICATE IN CERTIFICATE CHAIN", "SELF-SIGNED CERTIFICATE IN CERTIFICATE CHAIN"},
		// A phrase a terminal wrapped is quoted one-spaced.
		{"Error: self-signed\n    certificate in certificate chain (code SELF_SIGNED_CERT_IN_CHAIN)", "self-signed certificate in certificate chain"},
		// Punctuation after the phrase is not part of it.
		{`"Self-signed certificate in certificate chain".`, "Self-signed certificate in certificate chain"},
	} {
		m, ok := Find(Read(tc.paste))
		if !ok {
			t.Errorf("%q: no match", tc.paste)
			continue
		}
		if m.Matched != tc.want {
			t.Errorf("%q: matched %q, want %q", tc.paste, m.Matched, tc.want)
		}
	}
}

func TestSpelledBounds(t *testing.T) {
	p := Read("ab  cd")
	for _, tc := range []struct {
		i, n int
		want string
	}{
		{0, 4, "ab cd"}, {1, 2, "b c"}, {0, 0, ""}, {-1, 2, ""}, {3, 2, ""}, {0, 5, ""},
	} {
		if got := p.spelled(tc.i, tc.n); got != tc.want {
			t.Errorf("spelled(%d, %d) = %q, want %q", tc.i, tc.n, got, tc.want)
		}
	}
}

// TestWholeErrorBodyIsHighConfidence: an API error body in full — its
// status and its error type both the entry's — is as sure as a
// signature, even when the body carries more than the signature (a
// request_id) so only the entry's code matches.
func TestWholeErrorBodyIsHighConfidence(t *testing.T) {
	for _, tc := range []struct {
		paste string
		want  Confidence
	}{
		{`API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CVq8nXyz"}`, ConfidenceHigh},
		{`API Error: 529 Overloaded`, ConfidenceHigh},
		// The type alone, without its status, stays below.
		{`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CVq8nXyz"}`, ConfidenceMedium},
	} {
		m, ok := Find(Read(tc.paste))
		if !ok || m.Entry.ID != EntryOverloaded {
			t.Errorf("%q: matched %v %v", tc.paste, m.Entry.ID, ok)
			continue
		}
		if m.Confidence != tc.want {
			t.Errorf("%q: %s confidence (matched %q), want %s", tc.paste, m.Confidence, m.Matched, tc.want)
		}
	}
}
