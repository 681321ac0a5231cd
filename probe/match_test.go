package probe

import (
	"strings"
	"testing"
)

func TestCatalogueComplete(t *testing.T) {
	seen := map[EntryID]bool{}
	for _, e := range Entries() {
		if seen[e.ID] {
			t.Errorf("duplicate %s", e.ID)
		}
		seen[e.ID] = true
		if e.Title == "" || e.What == "" || len(e.Signatures) == 0 || len(e.Causes) == 0 || len(e.Fix) == 0 || e.Confirm == "" {
			t.Errorf("%s is missing a part: %+v", e.ID, e)
		}
		for _, p := range e.Patterns {
			if p != strings.ToLower(p) {
				t.Errorf("%s: pattern %q must be lower case", e.ID, p)
			}
		}
		// Every signature must lead back to its own entry.
		for _, s := range e.Signatures {
			if d := Diagnose(s); !d.Known() || d.Entry.ID != e.ID {
				got := EntryID("none")
				if d.Known() {
					got = d.Entry.ID
				}
				t.Errorf("signature %q of %s diagnoses as %s", s, e.ID, got)
			}
		}
	}
	for _, id := range []EntryID{EntryInvalidKey, EntryMissingKey, EntryOAuthExpired, EntryOAuthRevoked, EntryOAuthNotSupported,
		EntryPermission, EntryCredit, EntryOrgDisabled, EntryRateLimited, EntryUsageLimit, EntryOverloaded, EntryServerError,
		EntryTimeout, EntryDNS, EntryTLS, EntryConnection, EntryProxy, EntryChallenge, EntryCodeNotInstalled,
		EntryCodeNotLoggedIn, EntryKeyOverridesLogin, EntryGateway} {
		if !seen[id] {
			t.Errorf("catalogue lacks %s", id)
		}
	}
}

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
