package catalogue

import (
	"strings"
	"testing"

	"downforai/probe"
)

// TestFindWeighsTheEvidence pins what `diagnose` says of a paste — the
// entry, how sure it is, whether words decided, and the words it quotes
// as "matched:" — where the weighing decides it: a structural proof beats
// an exact signature, which beats an error code, which beats a looser
// fragment, and a longer phrase beats a shorter one. Each row was a
// surviving mutant of match.go or clues.go (README "Development"): the
// weighing could change and every other test still passed.
func TestFindWeighsTheEvidence(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		want       EntryID
		conf       Confidence
		decisive   bool
		matched    string // the whole "matched:" quote
	}{
		// Claude Code's own line: a looser fragment, but words decided it
		// (a retry ladder's last line then decides, not an earlier one).
		{"a fragment alone", "  ⎿  Unable to connect to API due to poor internet connection\n     Retrying in 31 seconds… (attempt 7/10)",
			EntryConnection, ConfidenceLow, true, "Unable to connect to API"},
		{"an error code alone", " Unable to connect to Anthropic services\n\n Failed to connect to api.anthropic.com: SELF_SIGNED_CERT_IN_CHAIN",
			EntryTLS, ConfidenceMedium, true, "SELF_SIGNED_CERT_IN_CHAIN"},
		{"a status alone is no words", "HTTP 500", EntryIntermediary, ConfidenceLow, false, "HTTP 500 without Anthropic's error body"},
		{"the error code, not a looser fragment beside it", "TypeError: fetch failed\n  cause: ConnectTimeoutError: Connect Timeout Error\n    code: 'UND_ERR_CONNECT_TIMEOUT'",
			EntryTimeout, ConfidenceMedium, true, "UND_ERR_CONNECT_TIMEOUT"},
		{"the longest signature: the whole error body", "anthropic._exceptions.RequestTooLargeError: Error code: 413 - {'error': {'type': 'request_too_large', 'message': 'Request exceeds the maximum size'}}",
			EntryRequestTooLarge, ConfidenceHigh, true, "{'error': {'type': 'request_too_large', 'message': 'Request exceeds the maximum size'}}"},
		{"the message's words, not the type's", `{"type":"error","error":{"type":"rate_limit_error","message":"too many requests"}}`,
			EntryRateLimitUnsaid, ConfidenceMedium, true, "too many requests"},
		{"a fragment that says more than the type", `{"type":"error","error":{"type":"rate_limit_error","message":"usage limit reached"}}`,
			EntryUsageLimit, ConfidenceMedium, true, "usage limit reached"},
		// Cloudflare's page for api.anthropic.com: its title, or Claude
		// Code's one-line form of it.
		{"Cloudflare's page by its title", "<html><head><title>api.anthropic.com | 504: Gateway time-out</title></head><body>cloudflare</body></html>",
			EntryServerError, ConfidenceHigh, true, `Cloudflare's error page for api.anthropic.com: "api.anthropic.com | 504: Gateway time-out"`},
		{"Cloudflare's page as Claude Code prints it", "  ⎿  API Error (api.anthropic.com | 504: Gateway time-out) · Retrying in 5 seconds… (attempt 4/10)",
			EntryServerError, ConfidenceHigh, true, `Cloudflare's error page for api.anthropic.com: "api.anthropic.com | 504:"`},
		// LiteLLM's gateway answering 500 with no error body of Anthropic's
		// (github.com/BerriAI/litellm/issues/14017): the lowest 5xx is a
		// server error of someone in between too.
		{"a bare 500 from a gateway", "curl https://test.litellm-prod.ai/anthropic/v1/messages \\\n  -H 'x-api-key: sk-xxxx' \\\n  -d '{}' \n--> 500 Internal Server Error",
			EntryGateway, ConfidenceHigh, true, `"HTTP 500 without Anthropic's error body" in a request sent to test.litellm-prod.ai, not api.anthropic.com`},
		// An error code is a whole word, also first in the text.
		{"a code that opens the text", "ENOTFOUND api.anthropic.com", EntryDNS, ConfidenceMedium, true, "ENOTFOUND"},
		// urllib3's ReadTimeoutError holds "timeout" inside a longer name;
		// the word comes later, in "(read timeout=600)".
		{"a code inside a longer name, then alone", "urllib3.exceptions.ReadTimeoutError: HTTPSConnectionPool(host='api.anthropic.com', port=443): Read timed out. (read timeout=600)",
			EntryTimeout, ConfidenceMedium, true, "timeout"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := Find(Read(tt.text))
			if !ok {
				t.Fatalf("no match for %q", tt.text)
			}
			if m.Entry.ID != tt.want || m.Confidence != tt.conf || m.Decisive != tt.decisive || m.Matched != tt.matched {
				t.Errorf("%s, %s, decisive %v, matched %q\nwant %s, %s, decisive %v, matched %q",
					m.Entry.ID, m.Confidence, m.Decisive, m.Matched, tt.want, tt.conf, tt.decisive, tt.matched)
			}
		})
	}
}

// TestCodesAreWholeWords: an error code counts between characters that are
// not letters, digits or underscores — the ASCII neighbours of each of
// those ranges are tried on both sides.
func TestCodesAreWholeWords(t *testing.T) {
	for _, c := range "_azAZ09" {
		for _, text := range []string{string(c) + "ECONNREFUSED", "ECONNREFUSED" + string(c)} {
			if m, ok := Find(Read(text)); ok && m.Matched == "ECONNREFUSED" {
				t.Errorf("%q: ECONNREFUSED read as a word", text)
			}
		}
	}
	for _, c := range "`{@[/: " {
		for _, text := range []string{string(c) + "ECONNREFUSED", "ECONNREFUSED" + string(c)} {
			if m, ok := Find(Read(text)); !ok || m.Entry.ID != EntryConnection || m.Matched != "ECONNREFUSED" {
				t.Errorf("%q: %s matched %q, want %s by ECONNREFUSED", text, m.Entry.ID, m.Matched, EntryConnection)
			}
		}
	}
}

// TestPhraseAcrossDecoration: a terminal box or Claude Code's marks
// between the words of a signature (a wrapped line inside a frame) leave
// the signature whole — at both ends of the box-drawing and block range
// and of the emoji range.
func TestPhraseAcrossDecoration(t *testing.T) {
	for _, r := range []rune{'─', '▟', '│', '🌀', '\U0001FAFF', '⎿'} {
		text := "Credit balance " + string(r) + "\n" + string(r) + " is too low"
		m, ok := Find(Read(text))
		if !ok || m.Entry.ID != EntryCredit || m.Confidence != ConfidenceMedium || !strings.HasSuffix(m.Matched, "is too low") {
			t.Errorf("%U between the words: %s %s matched %q; want the signature of %s", r, m.Entry.ID, m.Confidence, m.Matched, EntryCredit)
		}
	}
}

// TestMatchResultOfRealAnswers: a live probe's answer, classified as the
// API probe classifies it (probe.ClassifyAPIError), names the same entry a
// paste of it would — a 4xx the probe calls "unexpected" included — and a
// result whose only clue is its status (a Claude Code session that
// recorded a 529 and no words) is read by that status.
func TestMatchResultOfRealAnswers(t *testing.T) {
	for _, tt := range []struct {
		status int
		body   string
		want   EntryID
	}{
		{404, `{"type":"error","error":{"type":"not_found_error","message":"model: claude-3-opus-20240229"}}`, EntryModelNotFound},
		{400, `{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 212000 tokens > 200000 maximum"}}`, EntryPromptTooLong},
		{401, `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`, EntryInvalidKey},
		{529, `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`, EntryOverloaded},
	} {
		r := probe.Result{Target: probe.TargetAPIKey, HTTPStatus: tt.status}
		r.Class, r.ErrorType, r.Message, r.RequestID = probe.ClassifyAPIError(tt.status, []byte(tt.body))
		if e, ok := MatchResult(r); !ok || e.ID != tt.want {
			t.Errorf("%d %s (class %s): %s %v, want %s", tt.status, tt.body, r.Class, e.ID, ok, tt.want)
		}
	}
	r := probe.Result{Target: probe.TargetSessions, Class: probe.ClassOverloaded, HTTPStatus: 529}
	if e, ok := MatchResult(r); !ok || e.ID != EntryOverloaded {
		t.Errorf("a session's bare 529: %s %v, want %s", e.ID, ok, EntryOverloaded)
	}
}
