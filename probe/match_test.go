package probe

import (
	"testing"
)

func TestMatchResult(t *testing.T) {
	tests := []struct {
		r    Result
		want EntryID
	}{
		{Result{Target: TargetAPIKey, Class: ClassAuth, HTTPStatus: 401, ErrorType: "authentication_error", Message: "401 authentication_error: invalid x-api-key"}, EntryInvalidKey},
		{Result{Target: TargetAPIKey, Class: ClassBilling, HTTPStatus: 400, ErrorType: "invalid_request_error", Message: "400 invalid_request_error: Your credit balance is too low to access the Anthropic API."}, EntryCredit},
		{Result{Target: TargetAPI, Class: ClassOverloaded, HTTPStatus: 529, ErrorType: "overloaded_error", Message: "529 overloaded_error: Overloaded"}, EntryOverloaded},
		{Result{Target: TargetAPI, Class: ClassNetwork, ErrorType: NetDNS, Message: "DNS lookup of api.anthropic.com failed: no such host"}, EntryDNS},
		{Result{Target: TargetAPI, Class: ClassNetwork, ErrorType: NetRefused}, EntryConnection},
		{Result{Target: TargetAPI, Class: ClassNetwork, ErrorType: NetTLS, Message: "TLS handshake failed: certificate signed by unknown authority"}, EntryTLS},
		{Result{Target: TargetStatus, Class: ClassUnexpected, ErrorType: "html"}, EntryChallenge},
		{Result{Target: TargetCode, Class: ClassUnknown, Detail: "not installed"}, EntryCodeNotInstalled},
	}
	for _, tt := range tests {
		e, ok := MatchResult(tt.r)
		if !ok || e.ID != tt.want {
			t.Errorf("%+v → %s %v, want %s", tt.r, e.ID, ok, tt.want)
		}
	}
	if _, ok := MatchResult(Result{Target: TargetAPI, Class: ClassOK}); ok {
		t.Error("a healthy result matched an entry")
	}
}
