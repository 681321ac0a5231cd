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
