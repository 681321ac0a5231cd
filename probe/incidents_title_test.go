package probe

import (
	"testing"
	"time"
)

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
		// A proxy answered: something did, so not "unreachable" (cold walk of Dec 7).
		{LocalIncident{Kind: KindYourSide, Targets: []Target{TargetAPI, TargetAPIKey}, Classes: map[Class]int{ClassNetwork: 5}, HTTPStatus: 407, ErrorType: NetProxy}, "Your side, API reachability: a proxy answered instead, wanting credentials (407)"},
		{LocalIncident{Kind: KindYourSide, Targets: []Target{TargetAPI}, Classes: map[Class]int{ClassNetwork: 5}, HTTPStatus: 502, ErrorType: NetProxy}, "Your side, API reachability: the proxy could not reach it (502)"},
		{LocalIncident{Kind: KindYourSide, Targets: []Target{TargetAPI}, Classes: map[Class]int{ClassNetwork: 5}, ErrorType: NetProxy}, "Your side, API reachability: unreachable (proxy)"},
		// cold2 C2: timeouts, then 529s: not "unreachable (overloaded_error)".
		{api(map[Class]int{ClassNetwork: 7, ClassOverloaded: 3}, 529, "overloaded_error"), "Claude API: unreachable, then overloaded (529)"},
		// cold2 C1: every failure a timeout after connecting, as the banner says.
		{func() LocalIncident { l := api(map[Class]int{ClassNetwork: 7}, 0, NetTimeout); l.Hung = true; return l }(), "Claude API: no answer after connecting (timeout)"},
		// cold2 C3: the status page answered HTML or garbage: the banner's words.
		{LocalIncident{Kind: KindProvider, Targets: []Target{TargetStatus}, Classes: map[Class]int{ClassUnexpected: 5}, HTTPStatus: 200, ErrorType: "not_json"}, "Status page: could not be read (not status JSON)"},
		{LocalIncident{Kind: KindProvider, Targets: []Target{TargetStatus}, Classes: map[Class]int{ClassNetwork: 5}, ErrorType: NetTimeout}, "Status page: could not be read (timed out)"},
		// A canary's incident names its model, not the whole API.
		{LocalIncident{Kind: KindProvider, Service: "api", Targets: []Target{ModelTarget("claude-haiku-4-5")}, Classes: map[Class]int{ClassOverloaded: 4}, HTTPStatus: 529, ErrorType: "overloaded_error", Unstable: true}, "Claude Haiku 4.5: unstable, overloaded (529)"},
		{LocalIncident{Kind: KindProvider, Service: "api", Targets: []Target{TargetAPI, ModelTarget("claude-opus-4-5")}, Classes: map[Class]int{ClassOverloaded: 4}, HTTPStatus: 529, ErrorType: "overloaded_error"}, "Claude API: overloaded (529)"},
		// cold10 E5: an unstable one says what goes on now, as the banner does.
		{func() LocalIncident {
			l := api(map[Class]int{ClassOverloaded: 55}, 529, "overloaded_error")
			l.Unstable = true
			return l
		}(), "Claude API: unstable, overloaded (529)"},
		{func() LocalIncident {
			l := api(map[Class]int{ClassOverloaded: 55}, 529, "overloaded_error")
			l.Unstable, l.FailingSteadily = true, true
			return l
		}(), "Claude API: was unstable, now overloaded (529)"},
		{func() LocalIncident {
			l := api(map[Class]int{ClassOverloaded: 55}, 529, "overloaded_error")
			l.Unstable, l.FailingSteadily, l.Closed = true, true, time.Unix(1, 0)
			return l
		}(), "Claude API: unstable, then overloaded (529)"},
		// inc3 I1: a steady run of 500s, then turns with 529s, was
		// titled only "unstable, …": the steady run is said first, and
		// the unstable part is named by the failures since.
		{func() LocalIncident {
			l := api(map[Class]int{ClassServer: 12, ClassOverloaded: 6}, 529, "overloaded_error")
			l.Unstable, l.SteadyBefore, l.SteadyStatus, l.SteadyClasses = true, ClassServer, 500, map[Class]int{ClassServer: 12}
			return l
		}(), "Claude API: failing (500), then unstable, overloaded (529)"},
		{func() LocalIncident {
			l := api(map[Class]int{ClassServer: 12, ClassOverloaded: 30}, 529, "overloaded_error")
			l.Unstable, l.FailingSteadily, l.SteadyBefore, l.SteadyStatus, l.SteadyClasses = true, true, ClassServer, 500, map[Class]int{ClassServer: 12}
			return l
		}(), "Claude API: failing (500), was unstable, now overloaded (529)"},
		// Tmux, Dec 7: 503s, then turns with 529s, then 503s again: what
		// it does now is the 503s, the turns were the 529s (was "was
		// unstable, now overloaded, then server errors (503)").
		{func() LocalIncident {
			l := api(map[Class]int{ClassServer: 385, ClassOverloaded: 53}, 503, "api_error")
			l.Unstable, l.FailingSteadily, l.SteadyBefore, l.SteadyStatus, l.SteadyClasses = true, true, ClassServer, 503, map[Class]int{ClassServer: 373}
			l.LastClass = ClassServer
			return l
		}(), "Claude API: failing (503), was unstable (overloaded), now server errors (503)"},
		{func() LocalIncident {
			l := api(map[Class]int{ClassServer: 12, ClassOverloaded: 30}, 529, "overloaded_error")
			l.Unstable, l.FailingSteadily, l.SteadyBefore, l.SteadyStatus, l.SteadyClasses = true, true, ClassServer, 500, map[Class]int{ClassServer: 12}
			l.Closed = time.Unix(1, 0)
			return l
		}(), "Claude API: failing (500), then unstable, then overloaded (529)"},
		{func() LocalIncident {
			l := api(map[Class]int{ClassNetwork: 4, ClassOverloaded: 6}, 529, "overloaded_error")
			l.Unstable, l.SteadyBefore, l.SteadyError, l.SteadyClasses = true, ClassNetwork, NetTimeout, map[Class]int{ClassNetwork: 4}
			return l
		}(), "Claude API: failing (timeout), then unstable, overloaded (529)"},
		// cold5 D34: a 404 under the API URL set is the URL's.
		{key(map[Class]int{ClassUnexpected: 3}, 404, ErrBaseURLV1), "Your side, API with your key: not found: the API URL ends in /v1 (404)"},
		{key(map[Class]int{ClassUnexpected: 3}, 404, ErrBaseURL404), "Your side, API with your key: not found under the API URL set (404)"},
		// cold5 D18: a canary's 404 has one name, the row's.
		{LocalIncident{Kind: KindYourSide, Targets: []Target{ModelTarget("claude-haiku-4-5")}, Classes: map[Class]int{ClassUnexpected: 4}, HTTPStatus: 404, ErrorType: "not_found_error"}, "Your side, Claude Haiku 4.5: no such model (404)"},
		// cold10 E3: the API's name not resolving here is the resolver's,
		// as the banner says it, not a host that did not answer.
		{LocalIncident{Kind: KindYourSide, Targets: []Target{TargetAPI}, Classes: map[Class]int{ClassNetwork: 3}, ErrorType: NetDNS}, "Your side, API reachability: name does not resolve (dns)"},
		// cold M1: one host refusing while others answer is the banner's
		// "Anthropic or a firewall between you", no side known; a route
		// missing is this machine's.
		{LocalIncident{Kind: KindYourSide, Targets: []Target{TargetAPI}, Failures: 3, Classes: map[Class]int{ClassNetwork: 3}, ErrorType: NetRefused},
			"API reachability: unreachable (refused) from here — Anthropic or a firewall between you"},
		// cold walk: the same at a gateway the user set is the gateway's.
		{LocalIncident{Kind: KindYourSide, Targets: []Target{TargetAPIKey}, Failures: 3, Classes: map[Class]int{ClassNetwork: 3}, ErrorType: NetRefused, GatewaySetting: "ANTHROPIC_BASE_URL in ~/.claude/settings.json"},
			"API with your key: unreachable (refused) through the gateway at ANTHROPIC_BASE_URL in ~/.claude/settings.json"},
		{LocalIncident{Kind: KindYourSide, Targets: []Target{TargetClaudeAI}, Failures: 4, Classes: map[Class]int{ClassNetwork: 4}, ErrorType: NetConnect, Message: "connection to claude.ai:443 failed"},
			"claude.ai: unreachable (connect) from here — Anthropic or a firewall between you"},
		{LocalIncident{Kind: KindYourSide, Targets: []Target{TargetAPI}, Failures: 3, Classes: map[Class]int{ClassNetwork: 3}, ErrorType: NetConnect, Message: "cannot reach api.anthropic.com: no route to host"},
			"Your side, API reachability: unreachable (connect)"},
		// cold2 C12: a filter's block page is not Anthropic's.
		{LocalIncident{Kind: KindYourSide, Targets: []Target{TargetClaudeAI}, Classes: map[Class]int{ClassUnexpected: 5}, HTTPStatus: 403, ErrorType: ErrNotAnthropic}, "Your side, claude.ai: answered by something else, not Anthropic (403)"},
		// A gateway at the API URL the user set answering 500 for itself
		// (Envoy): the banner's "unreachable through the gateway", not
		// "Your side, …: answered by something else, not Anthropic".
		{LocalIncident{Kind: KindYourSide, Targets: []Target{TargetAPI}, Classes: map[Class]int{ClassUnexpected: 3}, HTTPStatus: 500, ErrorType: ErrNotAnthropic,
			Message: "500 Internal Server Error (envoy)" + gatewayOwn + ": \"upstream connect error or disconnect/reset before headers\""},
			"Claude API: unreachable through the gateway at the API URL set: it answered 500 Internal Server Error (envoy)"},
		{LocalIncident{Kind: KindYourSide, Targets: []Target{TargetAPIKey}, Classes: map[Class]int{ClassUnexpected: 3}, HTTPStatus: 500, ErrorType: ErrNotAnthropic,
			Message: "500 Internal Server Error (envoy)" + gatewayOwn + ": \"upstream connect error\""},
			"Claude API with your key: unreachable through the gateway at the API URL set: it answered 500 Internal Server Error (envoy)"},
	} {
		if got := tc.l.Title(); got != tc.want {
			t.Errorf("%v %d %s: %q, want %q", tc.l.Classes, tc.l.HTTPStatus, tc.l.ErrorType, got, tc.want)
		}
	}
}
