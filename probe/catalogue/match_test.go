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
