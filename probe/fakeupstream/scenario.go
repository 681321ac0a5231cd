package fakeupstream

import (
	"fmt"
	"slices"
	"strings"
)

// A Scenario says what each of the three upstreams does, independently of
// the others, so every row of the verdict's decision table can be played:
// the status page unreadable while the API answers, the API resetting while
// claude.ai and the page answer, and so on. A Mode is a named Scenario; the
// per-upstream states override it.
type Scenario struct {
	Status StatusState
	API    APIState
	Claude ClaudeState
}

// StatusState is what the status page serves.
type StatusState string

// The status page's states. The first group serves Claude's page with that
// content; the second fails to serve it; the third serves a page that is
// not quite what a reader expects.
const (
	StatusOperational StatusState = "operational" // every component operational
	StatusDegraded    StatusState = "degraded"    // Claude API degraded_performance, a minor incident
	StatusPartial     StatusState = "partial"     // Claude API partial_outage, a minor incident
	StatusMajor       StatusState = "major"       // the 2026-09-03 outage: API major, claude.ai and Code partial
	StatusMaintenance StatusState = "maintenance" // Claude API under_maintenance, maintenance in progress

	StatusHang      StatusState = "hang"      // every status request blocks until its context ends
	StatusReset     StatusState = "reset"     // the connection is reset before any answer
	Status503       StatusState = "503"       // CloudFront's 503 error page (HTML)
	StatusChallenge StatusState = "challenge" // 200 with an HTML challenge page
	StatusGarbage   StatusState = "garbage"   // 200 application/json that is not JSON
	StatusHuge      StatusState = "huge"      // 200 with a 64 MiB body

	StatusForeignGitHub    StatusState = "foreign_github"    // GitHub's Statuspage (page kctbh9vrtdwd)
	StatusForeignHashiCorp StatusState = "foreign_hashicorp" // HashiCorp's Statuspage (page pdrzb3d64wsj)
	StatusNoIndicator      StatusState = "no_indicator"      // Claude's summary.json without its "status" object
	StatusNoIncidentsFeed  StatusState = "no_incidents_feed" // operational, but incidents.json answers 404
	StatusOldMaintenance   StatusState = "old_maintenance"   // a maintenance scheduled for 2015 still listed as scheduled
)

// StatusStates lists every status page state.
func StatusStates() []StatusState {
	return []StatusState{StatusOperational, StatusDegraded, StatusPartial, StatusMajor, StatusMaintenance,
		StatusHang, StatusReset, Status503, StatusChallenge, StatusGarbage, StatusHuge,
		StatusForeignGitHub, StatusForeignHashiCorp, StatusNoIndicator, StatusNoIncidentsFeed, StatusOldMaintenance}
}

// readable reports whether the state serves a status page at all.
func (s StatusState) readable() bool {
	switch s {
	case StatusHang, StatusReset, Status503, StatusChallenge, StatusGarbage, StatusHuge:
		return false
	}
	return true
}

// outage reports whether Claude's page shows an open incident of the
// outage kind: leaving such a state resolves it.
func (s StatusState) outage() bool {
	return s == StatusMajor || s == StatusPartial || s == StatusDegraded
}

// APIState is what GET /v1/models answers.
type APIState string

// The API's states. "Keyed" states answer so only requests that carry a
// credential; the keyless reachability probe still gets Anthropic's 401.
const (
	APIOK          APIState = "ok"           // 200 models with a credential, 401 without
	API529         APIState = "529"          // 529 overloaded_error, with or without a credential
	API500         APIState = "500"          // 500 api_error
	API502         APIState = "502"          // Cloudflare's 502 HTML page from Anthropic's edge (cf-ray)
	API503         APIState = "503"          // 503 from the edge: Envoy's "upstream connect error" text
	API504         APIState = "504"          // 504 timeout_error
	APITimeout     APIState = "timeout"      // every request blocks until its context ends
	APIReset       APIState = "reset"        // the connection is reset before any answer
	APIRefused     APIState = "refused"      // nothing listens (split listeners; reset on a shared one)
	API401         APIState = "401"          // keyed: 401 authentication_error invalid x-api-key
	API403         APIState = "403"          // keyed: 403 permission_error
	API429         APIState = "429"          // keyed: 429 rate_limit_error with retry-after
	APICredit      APIState = "credit"       // keyed: 400 credit balance too low
	APIDisabled    APIState = "disabled"     // keyed: 400 this organization has been disabled
	APIProxy407    APIState = "proxy_407"    // a proxy answers instead: 407 with squid's HTML page
	APIGatewayHTML APIState = "gateway_html" // a gateway answers instead: nginx's 502 HTML page, no request-id
	APIFlap        APIState = "flap"         // ok and 529 in turn, each for the flap period (SetFlap)
	APIModels404   APIState = "models_404"   // a gateway that lists no models: GET /v1/models 404 (its own body), the rest as ok
	// A gateway the user set (ANTHROPIC_BASE_URL) in front of the API:
	// LiteLLM-like, asking a request without a key for its own (401
	// auth_error "No api key passed in."), then passing the keyed one on.
	APIGatewayOK    APIState = "gateway_ok"    // the keyed request: 200 models, relayed
	APIGateway529   APIState = "gateway_529"   // the keyed request: Anthropic's 529, relayed in LiteLLM's words (no request-id)
	APIGatewayEnvoy APIState = "gateway_envoy" // Envoy's own 500, text/plain "upstream connect error … connection failure", with or without a key
	APIGatewayKey   APIState = "gateway_key"   // the keyed request: LiteLLM's own 401 "Invalid proxy server token passed." (a key it does not know)
)

// APIStates lists every API state.
func APIStates() []APIState {
	return []APIState{APIOK, API529, API500, API502, API503, API504, APITimeout, APIReset, APIRefused,
		API401, API403, API429, APICredit, APIDisabled, APIProxy407, APIGatewayHTML, APIFlap, APIModels404,
		APIGatewayOK, APIGateway529, APIGatewayEnvoy, APIGatewayKey}
}

// ClaudeState is what claude.ai's front page answers.
type ClaudeState string

// The claude.ai states.
const (
	ClaudeOK        ClaudeState = "ok"        // 200, the app's HTML
	Claude500       ClaudeState = "500"       // 500 from the app
	Claude503       ClaudeState = "503"       // 503 "Claude is temporarily unavailable"
	ClaudeChallenge ClaudeState = "challenge" // 403 Cloudflare challenge: the edge answers a non-browser
	ClaudeBlock     ClaudeState = "block"     // 403 from a corporate filter (Zscaler's block page), not claude.ai
	Claude429       ClaudeState = "429"       // 429 from claude.ai
	ClaudeTimeout   ClaudeState = "timeout"   // every request blocks until its context ends
	ClaudeReset     ClaudeState = "reset"     // the connection is reset before any answer
	ClaudeRefused   ClaudeState = "refused"   // nothing listens (split listeners; reset on a shared one)
)

// ClaudeStates lists every claude.ai state.
func ClaudeStates() []ClaudeState {
	return []ClaudeState{ClaudeOK, Claude500, Claude503, ClaudeChallenge, ClaudeBlock, Claude429,
		ClaudeTimeout, ClaudeReset, ClaudeRefused}
}

// scenarioOf is the Scenario a Mode plays.
func scenarioOf(m Mode) Scenario {
	s := Scenario{Status: StatusOperational, API: APIOK, Claude: ClaudeOK}
	switch m {
	case ModeMajorOutage:
		s = Scenario{StatusMajor, API529, Claude503}
	case ModeUnacknowledged:
		s.API = API529
	case ModeInvalidKey:
		s.API = API401
	case ModeCredit:
		s.API = APICredit
	case ModeRateLimited:
		s.API = API429
	case ModeChallenge:
		s = Scenario{StatusChallenge, APIOK, ClaudeChallenge}
	case ModeServerError:
		s.API = API500
	case ModeHang:
		s = Scenario{StatusHang, APITimeout, ClaudeTimeout}
	case ModeMaintenance:
		s.Status = StatusMaintenance
	}
	return s
}

// ParseStatusState accepts a status page state's name.
func ParseStatusState(s string) (StatusState, error) {
	return parseState(s, StatusStates(), "status page")
}

// ParseAPIState accepts an API state's name.
func ParseAPIState(s string) (APIState, error) { return parseState(s, APIStates(), "API") }

// ParseClaudeState accepts a claude.ai state's name.
func ParseClaudeState(s string) (ClaudeState, error) {
	return parseState(s, ClaudeStates(), "claude.ai")
}

func parseState[T ~string](s string, all []T, what string) (T, error) {
	if slices.Contains(all, T(s)) {
		return T(s), nil
	}
	return "", fmt.Errorf("unknown %s state %q (want one of %s)", what, s, joinStates(all))
}

func joinStates[T ~string](all []T) string {
	names := make([]string, len(all))
	for i, s := range all {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// StateList names every state of each upstream, for help texts.
func StateList() string {
	return "status: " + joinStates(StatusStates()) + "\napi:    " + joinStates(APIStates()) +
		"\nclaude: " + joinStates(ClaudeStates()) + "\nusage:  " + joinStates(UsageStates()) +
		"\nmodel:  MODEL:" + joinStates(ModelStates())
}
