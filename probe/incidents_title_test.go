package probe

import "testing"

// TestLocalIncidentTitle: a title names the class that happened, with an
// HTTP status only of that class. A run of 429s after a few credit
// refusals was titled "billing or credit refused (429)": a 429 is a rate
// limit, and nothing in it said billing.
func TestLocalIncidentTitle(t *testing.T) {
	key := func(classes map[Class]int, status int, typ string) LocalIncident {
		return LocalIncident{Kind: KindYourSide, Targets: []Target{TargetAPIKey}, Classes: classes, HTTPStatus: status, ErrorType: typ}
	}
	api := func(classes map[Class]int, status int, typ string) LocalIncident {
		return LocalIncident{Kind: KindProvider, Service: "api", Targets: []Target{TargetAPI}, Classes: classes, HTTPStatus: status, ErrorType: typ}
	}
	for _, tc := range []struct {
		l    LocalIncident
		want string
	}{
		{key(map[Class]int{ClassRateLimited: 5}, 429, "rate_limit_error"), "Your side, API with your key: rate limited (429)"},
		{key(map[Class]int{ClassBilling: 5}, 400, "invalid_request_error"), "Your side, API with your key: billing or credit refused (400)"},
		// A 429 whose body says credit is billing, by its body.
		{key(map[Class]int{ClassBilling: 3}, 429, "billing_error"), "Your side, API with your key: billing or credit refused (429)"},
		{key(map[Class]int{ClassBilling: 4, ClassRateLimited: 3}, 429, "rate_limit_error"), "Your side, API with your key: billing or credit refused, then rate limited (429)"},
		{key(map[Class]int{ClassBilling: 3, ClassRateLimited: 3}, 429, "rate_limit_error"), "Your side, API with your key: billing or credit refused, then rate limited (429)"},
		{api(map[Class]int{ClassOverloaded: 8, ClassServer: 1}, 500, "api_error"), "Claude API: overloaded, then server errors (500)"},
		{api(map[Class]int{ClassOverloaded: 8}, 529, "overloaded_error"), "Claude API: overloaded (529)"},
		{api(map[Class]int{ClassNetwork: 3}, 0, NetTimeout), "Claude API: unreachable (timeout)"},
	} {
		if got := tc.l.Title(); got != tc.want {
			t.Errorf("%v %d %s: %q, want %q", tc.l.Classes, tc.l.HTTPStatus, tc.l.ErrorType, got, tc.want)
		}
	}
}
