package diagnose

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/judge"
	"downforai/probe/probetest"
)

// TestDiagnoseRealErrors classifies error text as people meet it: Claude
// Code's messages, API JSON bodies, SDK exceptions and curl output, quoted
// from reference/anthropic-formats.md §2–3 and the tools' own wording.
func TestDiagnoseRealErrors(t *testing.T) {
	tests := []struct {
		text   string
		want   catalogue.EntryID
		status int
		typ    string
	}{
		// claude.ai's own pages and messages, as users paste them.
		{"Claude will return soon\nClaude.ai is currently experiencing a temporary service disruption. We're working on it, please check back soon.", catalogue.EntryAppOutage, 0, ""},
		{"Due to unexpected capacity constraints, Claude is unable to respond to this message. Please try again soon.", catalogue.EntryCapacity, 0, ""},
		{"You are out of free messages until 5 PM", catalogue.EntryUsageLimit, 0, ""},
		{"Claude Opus 4 limit reached, now using Sonnet 4", catalogue.EntryUsageLimit, 0, ""},
		{"Your message will exceed the length limit for this chat. Try shortening your message or starting a new conversation.", catalogue.EntryPromptTooLong, 0, ""},
		{"Claude hit the maximum length for this conversation. Please start a new conversation to continue chatting with Claude.", catalogue.EntryPromptTooLong, 0, ""},
		{"Context low (8% remaining) · Run /compact to compact & continue", catalogue.EntryPromptTooLong, 0, ""},
		{"App unavailable\nUnfortunately, Claude is only available in certain regions right now. Please contact support if you believe you are receiving this message in error.", catalogue.EntryRegion, 0, ""},
		{"Error 1020\nRay ID: 8a1b2c3d4e5f6a7b • 2026-12-01 10:22:31 UTC\nAccess denied\nWhat happened?\nThis website is using a security service to protect itself from online attacks.", catalogue.EntryBlocked, 0, ""},
		{"Sorry, you have been blocked\nYou are unable to access claude.ai\nWhy have I been blocked?\nThis website is using a security service to protect itself from online attacks. The action you just performed triggered the security solution.\nCloudflare Ray ID: 8a1b2c3d4e5f6a7b", catalogue.EntryBlocked, 0, ""},
		{"A network error occurred. Please check your connection and try again. If this issue persists please contact us through our help center at support.anthropic.com.", catalogue.EntryConnection, 0, ""},
		// Claude Code (reference §3.1)
		{"Invalid API key · Please run /login", catalogue.EntryInvalidKey, 0, ""},
		{"Missing API key · Run /login", catalogue.EntryMissingKey, 0, ""},
		{"Invalid API key · Fix external API key", catalogue.EntryKeyOverridesLogin, 0, ""},
		{"OAuth token revoked · Please run /login", catalogue.EntryOAuthRevoked, 0, ""},
		{`API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired. Please obtain a new token or refresh your existing token."},"request_id":"req_011CSSdA5fqJCVm1m4XMjNks"}`, catalogue.EntryOAuthExpired, 401, "authentication_error"},
		{`API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired. Please obtain a new token or refresh your existing token."},"request_id":"req_011CSSdA5fqJCVm1m4XMjNks"} · Please run /login`, catalogue.EntryOAuthExpired, 401, "authentication_error"},
		{"API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment. If it persists, check https://status.claude.com.", catalogue.EntryOverloaded, 529, ""},
		{`API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":null}`, catalogue.EntryOverloaded, 529, "overloaded_error"},
		{`API Error (529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":null}) · Retrying in 4 seconds… (attempt 4/10)`, catalogue.EntryOverloaded, 529, "overloaded_error"},
		{"API Error: Repeated 529 Overloaded errors", catalogue.EntryOverloaded, 529, ""},
		{"API Error: Request rejected (429) · this may be a temporary capacity issue. If it persists, check https://status.claude.com.", catalogue.EntryRateLimited, 429, ""},
		{`API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_011CXPBk57rUbKp5XVtievhP"}`, catalogue.EntryServerError, 500, "api_error"},
		{"API Error: 500 Internal server error", catalogue.EntryServerError, 500, ""},
		{`API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"This organization has been disabled."},"request_id":"req_011CXF1SZ3S3oXChsdxhoUwV"}`, catalogue.EntryOrgDisabled, 400, "invalid_request_error"},
		{"API Error: 400 This organization has been disabled.", catalogue.EntryOrgDisabled, 400, ""},
		{"Credit balance too low · Add funds: https://platform.claude.com/settings/billing", catalogue.EntryCredit, 0, ""},
		{"API Error (Connection error.) · Retrying in 1 seconds… (attempt 1/10)\n  ⎿  TypeError (fetch failed)", catalogue.EntryConnection, 0, ""},
		{"Unable to connect to API (ConnectionRefused) · Retrying in 11s · attempt 8/10", catalogue.EntryConnection, 0, ""},
		{"API Error: Unable to connect to API (ECONNRESET)", catalogue.EntryConnection, 0, ""},
		{"Unable to connect to API (ECONNREFUSED)", catalogue.EntryConnection, 0, ""},
		{"API Error: Request timed out.", catalogue.EntryTimeout, 0, ""},
		{"Claude usage limit reached. Your limit will reset at 1pm (Etc/GMT+5).", catalogue.EntryUsageLimit, 0, ""},
		{"You've hit your session limit · resets 12:50am (America/Los_Angeles)", catalogue.EntryUsageLimit, 0, ""},
		{"You've hit your limit · resets 1:30am (Asia/Dhaka)", catalogue.EntryUsageLimit, 0, ""},
		{`Could not resolve authentication method. Expected either apiKey or authToken to be set. Or for one of the "X-Api-Key" or "Authorization" headers to be explicitly omitted`, catalogue.EntryMissingKey, 0, ""},
		{"Not logged in · Please run /login", catalogue.EntryCodeNotLoggedIn, 0, ""},
		{"SSL certificate verification failed", catalogue.EntryTLS, 0, ""},
		{"does not meet scope requirement user:profile", catalogue.EntryPermission, 0, ""},
		// API bodies (reference §2.3)
		{`{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`, catalogue.EntryInvalidKey, 401, "authentication_error"},
		{`{"type":"error","error":{"type":"authentication_error","message":"x-api-key header is required"}}`, catalogue.EntryMissingKey, 401, "authentication_error"},
		{`{"type":"error","error":{"type":"authentication_error","message":"OAuth authentication is currently not supported."}}`, catalogue.EntryOAuthNotSupported, 401, "authentication_error"},
		{`{"type":"error","error":{"type":"permission_error","message":"OAuth token has been revoked. Please obtain a new token."}}`, catalogue.EntryOAuthRevoked, 403, "permission_error"},
		{`{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}`, catalogue.EntryCredit, 400, "invalid_request_error"},
		{`{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed your account's rate limit. Please try again later."}}`, catalogue.EntryRateLimited, 429, "rate_limit_error"},
		{`{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits)"}}`, catalogue.EntryRateLimited, 429, "rate_limit_error"},
		{`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded.\nhttps://docs.claude.com/en/api/errors"}}`, catalogue.EntryOverloaded, 529, "overloaded_error"},
		{`{"type":"error","error":{"type":"billing_error","message":"There's an issue with your billing or payment information."}}`, catalogue.EntryCredit, 402, "billing_error"},
		{`{"type":"error","error":{"type":"authentication_error","message":"Invalid authentication credentials"}}`, catalogue.EntryInvalidKey, 401, "authentication_error"},
		{`{"type":"error","error":{"type":"timeout_error","message":"The request timed out while processing. Consider using streaming for long-running requests."}}`, catalogue.EntryTimeout, 504, "timeout_error"},
		{`{"type":"error","error":{"type":"invalid_request_error","message":"This credential is only authorized for use with Claude Code and cannot be used for other API requests."}}`, catalogue.EntryOAuthNotSupported, 400, "invalid_request_error"},
		// SDKs
		{`anthropic.AuthenticationError: Error code: 401 - {'type': 'error', 'error': {'type': 'authentication_error', 'message': 'invalid x-api-key'}}`, catalogue.EntryInvalidKey, 401, "authentication_error"},
		{`anthropic.InternalServerError: Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error', 'message': 'Overloaded'}}`, catalogue.EntryOverloaded, 529, "overloaded_error"},
		{`anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error', 'message': 'Number of request tokens has exceeded your per-minute rate limit'}}`, catalogue.EntryRateLimited, 429, "rate_limit_error"},
		{`AuthenticationError: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`, catalogue.EntryInvalidKey, 401, "authentication_error"},
		{"anthropic.APITimeoutError: Request timed out.", catalogue.EntryTimeout, 0, ""},
		{"anthropic.APIConnectionError: Connection error.", catalogue.EntryConnection, 0, ""},
		{"Error: The ANTHROPIC_API_KEY environment variable is missing or empty; either provide it, or instantiate the Anthropic client with an apiKey option, like new Anthropic({ apiKey: 'My API Key' }).", catalogue.EntryMissingKey, 0, ""},
		{`Error: getaddrinfo ENOTFOUND api.anthropic.com`, catalogue.EntryDNS, 0, ""},
		{"Error: self signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN)", catalogue.EntryTLS, 0, ""},
		{"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)", catalogue.EntryTLS, 0, ""},
		{`SyntaxError: Unexpected token '<', "<!DOCTYPE "... is not valid JSON`, catalogue.EntryChallenge, 0, ""},
		// curl and Go
		{"curl: (6) Could not resolve host: api.anthropic.com", catalogue.EntryDNS, 0, ""},
		{"curl: (7) Failed to connect to api.anthropic.com port 443 after 3 ms: Couldn't connect to server", catalogue.EntryConnection, 0, ""},
		{"curl: (28) Operation timed out after 10001 milliseconds with 0 bytes received", catalogue.EntryTimeout, 0, ""},
		{"curl: (60) SSL certificate problem: self-signed certificate in certificate chain", catalogue.EntryTLS, 0, ""},
		{"curl: (56) Received HTTP code 407 from proxy after CONNECT", catalogue.EntryProxyAuth, 407, ""},
		{"HTTP/2 529 \r\ncontent-type: application/json\r\nrequest-id: req_011CSHoEeqs5C35K2UUqR7Fy", catalogue.EntryOverloaded, 529, ""},
		{`Get "https://api.anthropic.com/v1/models": dial tcp: lookup api.anthropic.com: no such host`, catalogue.EntryDNS, 0, ""},
		{`Get "https://api.anthropic.com/v1/models": proxyconnect tcp: dial tcp 10.0.0.1:3128: connect: connection refused`, catalogue.EntryProxy, 0, ""},
		{`Get "https://api.anthropic.com/v1/models": tls: failed to verify certificate: x509: certificate signed by unknown authority`, catalogue.EntryTLS, 0, ""},
		{"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Enable JavaScript and cookies to continue</body></html>", catalogue.EntryChallenge, 0, ""},
		// Shells
		{"bash: claude: command not found", catalogue.EntryCodeNotInstalled, 0, ""},
		{"'claude' is not recognized as an internal or external command, operable program or batch file.", catalogue.EntryCodeNotInstalled, 0, ""},
		{`{"loggedIn": false, "authMethod": "none", "apiProvider": "firstParty"}`, catalogue.EntryCodeNotLoggedIn, 0, ""},
		{"HTTP 503 Service Unavailable", catalogue.EntryIntermediary, 503, ""},
	}
	if len(tests) < 30 {
		t.Fatalf("only %d cases", len(tests))
	}
	for _, tt := range tests {
		name := tt.text
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			d := Diagnose(tt.text)
			if !d.Known() {
				t.Fatalf("no match, want %s", tt.want)
			}
			if d.Entry.ID != tt.want {
				t.Errorf("matched %s (on %q), want %s", d.Entry.ID, d.Matched, tt.want)
			}
			if tt.status != 0 && d.Status != tt.status {
				t.Errorf("status %d, want %d", d.Status, tt.status)
			}
			if tt.typ != "" && d.ErrorType != tt.typ {
				t.Errorf("error type %q, want %q", d.ErrorType, tt.typ)
			}
		})
	}
}

func TestDiagnoseUnknownAndAmbiguous(t *testing.T) {
	for _, text := range []string{
		"",
		"hello world",
		"my cat walked on the keyboard",
		// Node's warning, not the failure, even though it names a proxy.
		"(node:19595) [UNDICI-EHPA] Warning: EnvHttpProxyAgent is experimental, expect them to change at any time.",
	} {
		if d := Diagnose(text); d.Known() {
			t.Errorf("%q matched %s on %q, want no known signature", text, d.Entry.ID, d.Matched)
		}
	}
}

func TestDiagnoseReadsFields(t *testing.T) {
	d := Diagnose(`API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`)
	if d.Status != 401 || d.ErrorType != "authentication_error" || d.Message != "invalid x-api-key" || d.RequestID != "req_011CSHoEeqs5C35K2UUqR7Fy" {
		t.Errorf("read %d %q %q %q", d.Status, d.ErrorType, d.Message, d.RequestID)
	}
}

func TestDiagnoseRedactsPastedSecrets(t *testing.T) {
	key := probetest.Key("Q")
	text := "curl -H 'x-api-key: " + key + "' https://api.anthropic.com/v1/models\n" +
		`{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}` + "\nAuthorization: Bearer sk-ant-oat01-" + strings.Repeat("z", 90)
	d := Diagnose(text)
	if strings.Contains(d.Text, key[20:60]) || strings.Contains(d.Text, strings.Repeat("z", 20)) {
		t.Errorf("secret echoed: %q", d.Text)
	}
	if d.Entry == nil || d.Entry.ID != catalogue.EntryInvalidKey {
		t.Errorf("entry %v", d.Entry)
	}
	out := Format(d, Evidence{Now: time.Now()})
	if strings.Contains(out, key[20:60]) {
		t.Errorf("secret in output:\n%s", out)
	}
}

func TestLiveSays(t *testing.T) {
	over, _ := catalogue.ByID(catalogue.EntryOverloaded)
	bad := map[probe.Target][]probe.Result{probe.TargetAPI: nil}
	for i := range 5 {
		r := probe.Result{Target: probe.TargetAPI, Time: probetest.Now.Add(time.Duration(i) * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529, ErrorType: "overloaded_error", Message: "529 overloaded_error: Overloaded"}
		if i == 0 {
			r = probe.Result{Target: probe.TargetAPI, Time: probetest.Now, Class: probe.ClassOK, HTTPStatus: 401}
		}
		bad[probe.TargetAPI] = append(bad[probe.TargetAPI], r)
	}
	got := strings.Join(LiveSays(&over, judge.Input{Recent: bad, Now: probetest.Now}), "\n")
	if !strings.Contains(got, "Anthropic is overloaded: 4 of the last 5 API probes got 529 overloaded_error") {
		t.Errorf("overloaded:\n%s", got)
	}

	// cold2 C16: the API probes read the model list and ask no model, so
	// their answers make a pasted 529 likely over, not contradicted as fact.
	healthy := LiveFor(&over, judge.Input{Recent: probetest.Healthy(), Status: probetest.Official(nil), Now: probetest.Now})
	got = strings.Join(healthy.Lines, "\n")
	if !strings.Contains(got, "Our API probes answer normally from here") || !strings.Contains(got, "they list models and ask none") ||
		strings.Contains(got, "came from something in between") {
		t.Errorf("overloaded, healthy probes:\n%s", got)
	}
	if say := Disagreement(Diagnosis{Entry: &over, Status: 529}, healthy); !strings.Contains(say, "likely over, or on the model your program uses") ||
		!strings.Contains(say, "they ask no model") || strings.Contains(say, "is not what Anthropic answers") {
		t.Errorf("overloaded, healthy probes: disagreement %q", say)
	}

	key, _ := catalogue.ByID(catalogue.EntryInvalidKey)
	got = strings.Join(LiveSays(&key, judge.Input{Recent: probetest.Healthy(), Status: probetest.Official(nil), Now: probetest.Now}), "\n")
	if !strings.Contains(got, "uses another credential") || !strings.Contains(got, "Live verdict: All clear") {
		t.Errorf("healthy key:\n%s", got)
	}
	// Rejected five times, then accepted five times: the rejections are
	// history, and the live state contradicts the entry.
	var keyRs []probe.Result
	for i := range 10 {
		r := probe.Result{Target: probe.TargetAPIKey, Time: probetest.Now.Add(time.Duration(i-10) * time.Minute), Class: probe.ClassOK, HTTPStatus: 200}
		if i < 5 {
			r.Class, r.HTTPStatus, r.ErrorType, r.Message = probe.ClassAuth, 401, "authentication_error", "401 authentication_error: invalid x-api-key"
		}
		keyRs = append(keyRs, r)
	}
	recent := probetest.Healthy()
	recent[probe.TargetAPIKey] = keyRs
	l := LiveFor(&key, judge.Input{Recent: recent, Status: probetest.Official(nil), Now: probetest.Now})
	if l.Confirmed || !l.Contradicted || !strings.Contains(strings.Join(l.Lines, "\n"), "The key downforai probes with works (each of the last 5 probes)") {
		t.Errorf("rejections overtaken by successes: confirmed %v contradicted %v\n%s", l.Confirmed, l.Contradicted, strings.Join(l.Lines, "\n"))
	}

	got = strings.Join(LiveSays(nil, judge.Input{Now: probetest.Now}), "\n")
	if !strings.Contains(got, "Live verdict:") {
		t.Errorf("unknown:\n%s", got)
	}
}

// BenchmarkDiagnose is one paste: a Claude Code error with a JSON body,
// matched against every signature of the catalogue.
func BenchmarkDiagnose(b *testing.B) {
	text := `API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired. Please obtain a new token or refresh your existing token."},"request_id":"req_011CSSdA5fqJCVm1m4XMjNks"} · Please run /login`
	b.ReportAllocs()
	for b.Loop() {
		_ = Diagnose(text)
	}
}

func TestCatalogueComplete(t *testing.T) {
	seen := map[catalogue.EntryID]bool{}
	for _, e := range catalogue.Entries() {
		if seen[e.ID] {
			t.Errorf("duplicate %s", e.ID)
		}
		seen[e.ID] = true
		if e.Title == "" || e.What == "" || len(e.Signatures) == 0 || len(e.Causes) == 0 || len(e.Fix) == 0 || e.Confirm == "" {
			t.Errorf("%s is missing a part: %+v", e.ID, e)
		}
		if e.Group == "" || !slices.Contains(catalogue.Groups(), e.Group) {
			t.Errorf("%s: group %q is not one of the catalogue's", e.ID, e.Group)
		}
		// Every signature must lead back to its own entry.
		for _, s := range e.Signatures {
			if d := Diagnose(s); !d.Known() || d.Entry.ID != e.ID {
				got := catalogue.EntryID("none")
				if d.Known() {
					got = d.Entry.ID
				}
				t.Errorf("signature %q of %s diagnoses as %s", s, e.ID, got)
			}
		}
	}
	for _, id := range []catalogue.EntryID{catalogue.EntryInvalidKey, catalogue.EntryMissingKey, catalogue.EntryOAuthExpired, catalogue.EntryOAuthRevoked, catalogue.EntryOAuthNotSupported,
		catalogue.EntryPermission, catalogue.EntryCredit, catalogue.EntryOrgDisabled, catalogue.EntryRateLimited, catalogue.EntryUsageLimit, catalogue.EntryOverloaded, catalogue.EntryServerError,
		catalogue.EntryTimeout, catalogue.EntryDNS, catalogue.EntryTLS, catalogue.EntryConnection, catalogue.EntryProxy, catalogue.EntryChallenge, catalogue.EntryCodeNotInstalled,
		catalogue.EntryCodeNotLoggedIn, catalogue.EntryKeyOverridesLogin, catalogue.EntryGateway} {
		if !seen[id] {
			t.Errorf("catalogue lacks %s", id)
		}
	}
}

// TestAngleBracketsShownAsThemselves: a paste with \u003e escapes (JSON
// inside JSON) or a literal > reads, in text and in --json, as ">", never
// as \u003e or &gt;.
func TestAngleBracketsShownAsThemselves(t *testing.T) {
	for _, paste := range []string{
		`API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 215041 tokens \u003e 200000 maximum"}}`,
		`{"error":"Error: 400 {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 215041 tokens > 200000 maximum\"}}"}`,
	} {
		d := Diagnose(paste)
		if !d.Known() || d.Entry.ID != catalogue.EntryPromptTooLong {
			t.Fatalf("%q: %v", paste, d.Entry)
		}
		e := Evidence{Now: probetest.Now}
		// The paste itself is kept as it came ("text"); what was read
		// from it must show > as >.
		raw := regexp.MustCompile(`"text":"(?:[^"\\]|\\.)*",`).ReplaceAllString(string(JSON(d, e)), "")
		for name, out := range map[string]string{"text": Format(d, e), "json": raw} {
			if !strings.Contains(out, "215041 tokens > 200000 maximum") {
				t.Errorf("%s lacks the message with its >:\n%s", name, out)
			}
			for _, bad := range []string{`\u003e`, `\u003c`, `\u0026`, "&gt;", "&lt;", "&amp;"} {
				if strings.Contains(out, bad) {
					t.Errorf("%s shows %s:\n%s", name, bad, out)
				}
			}
		}
	}
	if got := probe.Quote(`a < b & c > d`); got != `"a < b & c > d"` {
		t.Errorf("Quote = %s", got)
	}
}
