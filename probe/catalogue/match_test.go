package catalogue

import (
	"testing"

	"downforai/probe"
)

func TestMatchResult(t *testing.T) {
	tests := []struct {
		r    probe.Result
		want EntryID
	}{
		{probe.Result{Target: probe.TargetAPIKey, Class: probe.ClassAuth, HTTPStatus: 401, ErrorType: "authentication_error", Message: "401 authentication_error: invalid x-api-key"}, EntryInvalidKey},
		{probe.Result{Target: probe.TargetAPIKey, Class: probe.ClassBilling, HTTPStatus: 400, ErrorType: "invalid_request_error", Message: "400 invalid_request_error: Your credit balance is too low to access the Anthropic API."}, EntryCredit},
		{probe.Result{Target: probe.TargetAPI, Class: probe.ClassOverloaded, HTTPStatus: 529, ErrorType: "overloaded_error", Message: "529 overloaded_error: Overloaded"}, EntryOverloaded},
		{probe.Result{Target: probe.TargetAPI, Class: probe.ClassNetwork, ErrorType: probe.NetDNS, Message: "DNS lookup of api.anthropic.com failed: no such host"}, EntryDNS},
		{probe.Result{Target: probe.TargetAPI, Class: probe.ClassNetwork, ErrorType: probe.NetRefused}, EntryConnection},
		{probe.Result{Target: probe.TargetAPI, Class: probe.ClassNetwork, ErrorType: probe.NetTLS, Message: "TLS handshake failed: certificate signed by unknown authority"}, EntryTLS},
		{probe.Result{Target: probe.TargetStatus, Class: probe.ClassUnexpected, ErrorType: "html"}, EntryChallenge},
		// claude.ai's 5xx is an HTML page by nature: Anthropic's, not "something in between".
		{probe.Result{Target: probe.TargetClaudeAI, Class: probe.ClassServer, HTTPStatus: 503, ErrorType: "http_503", Message: "claude.ai answered 503 Service Unavailable, an HTML page"}, EntryServerError},
		{probe.Result{Target: probe.TargetAPI, Class: probe.ClassNetwork, ErrorType: probe.NetProxy, Message: "proxyconnect tcp: tls: first record does not look like a TLS handshake"}, EntryProxyScheme},
		{probe.Result{Target: probe.TargetAPI, Class: probe.ClassNetwork, ErrorType: probe.NetTLS, Message: "http: server gave HTTP response to HTTPS client"}, EntryProxyScheme},
		{probe.Result{Target: probe.TargetAPI, Class: probe.ClassNetwork, ErrorType: probe.NetProxy, Message: "proxyconnect tcp: dial tcp 10.0.0.1:3128: connect: connection refused"}, EntryProxy},
		{probe.Result{Target: probe.TargetCode, Class: probe.ClassUnknown, Detail: "not installed"}, EntryCodeNotInstalled},
	}
	for _, tt := range tests {
		e, ok := MatchResult(tt.r)
		if !ok || e.ID != tt.want {
			t.Errorf("%+v → %s %v, want %s", tt.r, e.ID, ok, tt.want)
		}
	}
	if _, ok := MatchResult(probe.Result{Target: probe.TargetAPI, Class: probe.ClassOK}); ok {
		t.Error("a healthy result matched an entry")
	}
}

func TestSearch(t *testing.T) {
	for _, c := range []struct {
		query string
		want  EntryID
		sig   string
	}{
		{"invalid api key", EntryInvalidKey, ""},
		{"invalid x api key", EntryInvalidKey, "invalid x-api-key"},
		{"529", EntryOverloaded, ""},
		{"SELF_SIGNED", EntryTLS, ""},
		{"tool_result", EntryToolUse, ""},
	} {
		e, _ := ByID(c.want)
		sig, ok := e.Search(c.query)
		if !ok {
			t.Errorf("%q does not find %s", c.query, c.want)
			continue
		}
		if c.sig != "" && sig != c.sig {
			t.Errorf("%q found %s by %q, want %q", c.query, c.want, sig, c.sig)
		}
	}
	e, _ := ByID(EntryOverloaded)
	if _, ok := e.Search("invalid api key"); ok {
		t.Error("invalid api key finds overloaded")
	}
}

// TestMatchedQuotesBalanced (cold2 C17): "matched:" quotes the paste as it
// spelled it; the squash skips a quote that opens the phrase, so the span
// began inside it and showed `tool_use` as tool_use`.
func TestMatchedQuotesBalanced(t *testing.T) {
	for text, want := range map[string]string{
		"messages.3: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_01":                                                                                                          "`tool_use` ids were found without `tool_result` blocks immediately after",
		`API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"messages.3: ` + "`tool_use`" + ` ids were found without ` + "`tool_result`" + ` blocks immediately after: toolu_01"}}`: "`tool_use` ids were found without `tool_result` blocks immediately after",
		`he said "Invalid API key" twice`: "Invalid API key",
	} {
		m, ok := Find(Read(text))
		if !ok {
			t.Errorf("%q: no match", text)
			continue
		}
		if m.Matched != want {
			t.Errorf("%q: matched %q, want %q", text, m.Matched, want)
		}
	}
}
