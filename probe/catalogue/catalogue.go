package catalogue

import (
	"slices"

	"downforai/probe"
)

// EntryID names one known problem. IDs appear in reports and in
// `downforai diagnose` output: never rename one.
type EntryID string

// Side says whose problem an entry usually is.
type Side string

// The sides, as `diagnose --json` prints them.
const (
	SideAnthropic  Side = "anthropic" // overload, server errors
	SideYours      Side = "yours"     // credential, quota, billing, local setup
	SideNetwork    Side = "network"   // between you and Anthropic
	SideRequest    Side = "request"   // the request itself: not an outage, not the key
	SideEitherSide Side = "either"    // depends on the live probes
)

// Phrase says the side in words: "usually on your side".
func (s Side) Phrase() string {
	switch s {
	case SideYours:
		return "usually on your side"
	case SideNetwork:
		return "usually the network between you and Anthropic"
	case SideAnthropic:
		return "usually on Anthropic's side"
	case SideRequest:
		return "about your request: not an outage and not your key"
	}
	return "either side: the live probes tell which"
}

// Group is where an entry sits in the browsable catalogue.
type Group string

// The groups, in the order the catalogue is browsed.
const (
	GroupAnthropic  Group = "Anthropic's side"
	GroupCredential Group = "Your credential"
	GroupQuota      Group = "Your quota"
	GroupNetwork    Group = "Your network"
	GroupRequest    Group = "Your request"
	GroupCode       Group = "Claude Code"
)

// Groups lists the groups in browsing order.
var Groups = []Group{GroupAnthropic, GroupCredential, GroupQuota, GroupNetwork, GroupRequest, GroupCode}

// Entry is one known problem: what it is, how it shows itself, why it
// happens, how to fix it, and which live check confirms it.
type Entry struct {
	ID    EntryID
	Title string
	What  string
	Side  Side
	Group Group
	Class probe.Class // the probe class this problem produces

	// Statuses and Types are the HTTP statuses and Anthropic error.type
	// values the problem comes with: they strengthen a phrase that matched
	// and, where they mean one thing, decide alone.
	Statuses []int
	Types    []string
	// Signatures are the exact strings that identify the problem, as
	// people meet them (shown in the catalogue, matched in pastes).
	Signatures []string
	// Patterns are further fragments matched with less weight, not shown.
	Patterns []string
	// Codes are error codes (ECONNRESET, EAI_AGAIN) matched as whole words.
	Codes []string

	Causes  []string
	Fix     []string // ordered steps
	Confirm string   // how downforai confirms it live, for people
	Targets []probe.Target
	Locals  []string
}

// The catalogue's entries.
const (
	EntryInvalidKey         EntryID = "invalid_api_key"
	EntryMissingKey         EntryID = "missing_api_key"
	EntryBearer             EntryID = "invalid_bearer_token"
	EntryOAuthExpired       EntryID = "oauth_expired"
	EntryOAuthRevoked       EntryID = "oauth_revoked"
	EntryOAuthNotSupported  EntryID = "oauth_not_supported"
	EntryOAuthOrgNotAllowed EntryID = "oauth_org_not_allowed"
	EntryPermission         EntryID = "permission_denied"
	EntryNotAllowed         EntryID = "request_not_allowed"
	EntryCredit             EntryID = "credit_balance_low"
	EntryOrgDisabled        EntryID = "organization_disabled"
	EntryRateLimited        EntryID = "rate_limited"
	EntryUsageLimit         EntryID = "usage_limit"
	EntryOverloaded         EntryID = "overloaded"
	EntryServerError        EntryID = "server_error"
	EntryThrottled          EntryID = "server_throttled"
	EntryTimeout            EntryID = "request_timeout"
	EntryDNS                EntryID = "dns_failure"
	EntryTLS                EntryID = "tls_failure"
	EntryConnection         EntryID = "connection_refused_reset"
	EntryDropped            EntryID = "connection_dropped"
	EntryProxy              EntryID = "proxy_misconfigured"
	EntryProxyAuth          EntryID = "proxy_auth_required"
	EntryProxyScheme        EntryID = "proxy_https_scheme"
	EntrySOCKS              EntryID = "socks_proxy"
	EntryIntermediary       EntryID = "intermediary_error"
	EntryChallenge          EntryID = "challenge_page"
	EntryGateway            EntryID = "base_url_gateway"
	EntryClockSkew          EntryID = "clock_skew"
	EntryPromptTooLong      EntryID = "prompt_too_long"
	EntryRequestTooLarge    EntryID = "request_too_large"
	EntryImageTooLarge      EntryID = "image_too_large"
	EntryModelNotFound      EntryID = "model_not_found"
	EntryEndpointNotFound   EntryID = "endpoint_not_found"
	EntryInvalidRequest     EntryID = "invalid_request"
	EntryToolUse            EntryID = "tool_use_mismatch"
	EntryContentFiltered    EntryID = "content_filtered"
	EntryCodeNotInstalled   EntryID = "claude_code_not_installed"
	EntryCodeNotLoggedIn    EntryID = "claude_code_not_logged_in"
	EntryKeyOverridesLogin  EntryID = "api_key_overrides_login"
)

// requestFix is the first step of every request entry: the point the
// user most needs to hear.
const requestFix = "This is about the request, not an outage and not your key: retrying the same request gives the same answer."

// Entries lists every known problem, by group: the one source for the
// Troubleshooting tab, `downforai diagnose`, `downforai faq` and the
// report. The slice is the caller's own.
func Entries() []Entry { return slices.Clone(entries) }

// entries is the catalogue, by group.
var entries = []Entry{
	// Anthropic's side
	{
		ID: EntryOverloaded, Title: "Overloaded (529)", Side: SideAnthropic, Group: GroupAnthropic, Class: probe.ClassOverloaded,
		What:     "Anthropic is shedding load: the API is temporarily overloaded for everyone, not just you.",
		Statuses: []int{529}, Types: []string{"overloaded_error"},
		Signatures: []string{
			"API Error: Repeated 529 Overloaded errors",
			"API Error: 529 Overloaded. This is a server-side issue, usually temporary",
			`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`,
			"529 Overloaded",
		},
		Patterns: []string{"Overloaded"},
		Causes: []string{
			"high traffic across all users, often around model launches or at the same hours every day",
			"an incident on Anthropic's side (see the Incidents tab), sometimes before the status page says so",
			"in a stream, an overloaded_error event can arrive after a 200: the request started, then was shed",
		},
		Fix: []string{
			"Nothing to fix on your side: retry with backoff (Claude Code retries up to 10 times by itself).",
			"Switch to another model meanwhile (/model in Claude Code) if your work allows: load differs per model.",
			"Watch the Incidents tab; downforai shows when Anthropic acknowledges it.",
		},
		Confirm: "API probes get 529 overloaded_error; the status page and Anthropic's incidents",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey},
	},
	{
		ID: EntryThrottled, Title: "Anthropic is limiting requests (429, not your limit)", Side: SideAnthropic, Group: GroupAnthropic, Class: probe.ClassRateLimited,
		What:     "Anthropic's servers turn requests away with a bare 429 \"Rate limited\" for reasons of their own: not your organisation's rate limit, not your subscription's usage limit.",
		Statuses: []int{429}, Types: []string{"rate_limit_error"},
		Signatures: []string{
			"Server is temporarily limiting requests (not your usage limit)",
			"Server is temporarily limiting requests",
		},
		Causes: []string{
			"load on Anthropic's side, shed with 429 instead of 529",
			"a model or region under pressure while the rest of the API answers",
		},
		Fix: []string{
			"Nothing to fix on your side: wait and retry with backoff (Claude Code retries by itself).",
			"Switch to another model for a while (/model in Claude Code) if your work allows.",
			"If every request fails this way for a long time while the status page is green, report it with a request-id (/bug in Claude Code).",
		},
		Confirm: "API probe with your key: 429 rate_limit_error \"Rate limited\" while the rate-limit headers show room",
		Targets: []probe.Target{probe.TargetAPIKey},
	},
	{
		ID: EntryServerError, Title: "Server error from Anthropic (5xx)", Side: SideAnthropic, Group: GroupAnthropic, Class: probe.ClassServer,
		What:     "Anthropic's servers, or Cloudflare in front of api.anthropic.com, failed to answer the request.",
		Statuses: []int{500, 502, 503, 504, 520, 522, 524}, Types: []string{"api_error"},
		Signatures: []string{
			"API Error: 500 Internal server error",
			`{"type":"error","error":{"type":"api_error","message":"Internal server error"}}`,
			"api.anthropic.com | 504: Gateway time-out",
			"api.anthropic.com | 520: Web server is returning an unknown error",
			"is temporarily unavailable, so auto mode cannot determine the safety of",
		},
		Causes: []string{
			"an incident or a deploy on Anthropic's side",
			"Cloudflare cutting a long non-streaming request at its limit (504 page titled api.anthropic.com)",
			"rarely, a request that triggers a bug: retry it once",
		},
		Fix: []string{
			"Retry with backoff; nothing to fix on your side.",
			"For long requests, use streaming so no single response waits minutes for its first byte.",
			"If it keeps failing while downforai's probes are healthy, send the request-id to Anthropic support.",
		},
		Confirm: "API probes get 5xx api_error or Cloudflare's error page for api.anthropic.com; the status page",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI},
	},

	// Your credential
	{
		ID: EntryInvalidKey, Title: "Invalid API key", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth,
		What:     "The API does not accept the credential it was sent: wrong, deleted, from another organisation, or meant for another service.",
		Statuses: []int{401}, Types: []string{"authentication_error"},
		Signatures: []string{
			"Invalid API key · Please run /login",
			"invalid x-api-key",
			"Invalid API key",
			"Invalid authentication credentials",
			"Invalid authentication",
			"Authentication failed",
			"Incorrect API key provided",
			"invalid_api_key",
			"API key not found",
			"401 Unauthorized",
		},
		Patterns: []string{"The security token included in the request is invalid"},
		Causes: []string{
			"the key was deleted or rotated in the Claude Console",
			"a typo, a truncated paste, or quotes or a newline pasted into the variable",
			"a key of another organisation or workspace, or an old key left in a shell profile or .env file",
			"an Anthropic key sent to another provider (or the other way round), or expired AWS or Google credentials for Bedrock or Vertex",
		},
		Fix: []string{
			"Check which credential is in effect: Local checks shows it masked, with where it came from.",
			"Compare its last four characters with the keys listed at platform.claude.com → API keys.",
			"Create a new key if it is gone, and set it without quotes or spaces: export ANTHROPIC_API_KEY=sk-ant-api03-…",
			"In Claude Code, if you meant to use your subscription: unset ANTHROPIC_API_KEY and run /login.",
			"If ANTHROPIC_BASE_URL points at a gateway, the key is the gateway's: ask whoever runs it.",
		},
		Confirm: "API probe with your key: GET /v1/models answers 401 authentication_error",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"credential", "key_format"},
	},
	{
		ID: EntryMissingKey, Title: "No credential sent", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth,
		What:     "No key or login reached the API: the variable is unset, empty or not passed on, or Claude Code could not read its login.",
		Statuses: []int{401}, Types: []string{"authentication_error"},
		Signatures: []string{
			"x-api-key header is required",
			"Missing API key · Run /login",
			"Could not resolve authentication method. Expected either apiKey or authToken to be set.",
			"Failed to get auth headers: No API key available",
			"The ANTHROPIC_API_KEY environment variable is missing or empty",
			"The api_key client option must be set",
		},
		Patterns: []string{"Could not resolve authentication method", "No API key available", "Invalid or missing API key"},
		Causes: []string{
			"ANTHROPIC_API_KEY set in one shell but not exported, or missing from a service's or container's environment",
			"an empty value (ANTHROPIC_API_KEY= in a .env file)",
			"over SSH on a Mac the login keychain is locked, so Claude Code cannot read its stored login",
			"Claude Code logged out and no key in the environment",
		},
		Fix: []string{
			"Set and export the key (export ANTHROPIC_API_KEY=sk-ant-api03-…), or run /login in Claude Code.",
			"Over SSH on macOS, unlock the keychain first: security unlock-keychain ~/Library/Keychains/login.keychain-db",
			"For services, cron and containers, put the key in that program's own environment, not your shell profile.",
			"Run `downforai report` in the same environment to see which credential it finds.",
		},
		Confirm: "Local checks: credential in effect; API probe with your key",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"credential"},
	},
	{
		ID: EntryBearer, Title: "Login token rejected (Invalid bearer token)", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth,
		What:     "A bearer token — a Claude subscription login, CLAUDE_CODE_OAUTH_TOKEN or ANTHROPIC_AUTH_TOKEN — was refused. It is a login, not an API key.",
		Statuses: []int{401}, Types: []string{"authentication_error"},
		Signatures: []string{"Invalid bearer token"},
		Causes: []string{
			"the stored Claude login is stale or was issued for another account",
			"a CLAUDE_CODE_OAUTH_TOKEN or ANTHROPIC_AUTH_TOKEN left over in the environment or settings.json",
			"a subscription token (sk-ant-oat01-…) used by a tool other than Claude Code",
		},
		Fix: []string{
			"In Claude Code run /logout, then /login, and check /status shows the account and plan you expect.",
			"Unset ANTHROPIC_AUTH_TOKEN and CLAUDE_CODE_OAUTH_TOKEN unless you set them on purpose; check ~/.claude/settings.json's env block.",
			"For a long-lived token, create a new one with `claude setup-token` while logged in to the right account.",
			"Tools other than Claude Code need an API key (sk-ant-api03-…), not a subscription token.",
		},
		Confirm: "Local checks: claude auth status and the credential in effect",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"code_auth", "credential", "override"},
	},
	{
		ID: EntryOAuthExpired, Title: "Claude login expired", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth,
		What:     "The Claude subscription login's access token is past its expiry and was not refreshed.",
		Statuses: []int{401}, Types: []string{"authentication_error"},
		Signatures: []string{
			"OAuth token has expired. Please obtain a new token or refresh your existing token.",
			"OAuth token has expired",
		},
		Patterns: []string{"token is expired and has no refresh token"},
		Causes: []string{
			"Claude Code could not refresh the token (offline at the time, or the refresh token is gone)",
			"a CLAUDE_CODE_OAUTH_TOKEN from `claude setup-token` past its life",
			"the system clock is far off, so a valid token looks expired",
		},
		Fix: []string{
			"Run `claude`, then /login, and sign in again; /status shows the new login.",
			"If /login itself fails with the same 401, run `claude auth logout` (or delete ~/.claude/.credentials.json) and log in afresh.",
			"If you use CLAUDE_CODE_OAUTH_TOKEN, create a new one with `claude setup-token`.",
			"Check the clock skew in Local checks: fix the clock if it is minutes off.",
		},
		Confirm: "Local checks: Claude Code login expiry (~/.claude/.credentials.json), the clock",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"code_login", "code_auth", "clock"},
	},
	{
		ID: EntryOAuthRevoked, Title: "Claude login revoked", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth,
		What:     "The subscription login was revoked: signed out elsewhere, password changed, or access removed.",
		Statuses: []int{403, 401}, Types: []string{"permission_error", "authentication_error"},
		Signatures: []string{
			"OAuth token has been revoked. Please obtain a new token.",
			"OAuth token revoked · Please run /login",
			"OAuth token revoked",
			"OAuth access token has been revoked",
		},
		Patterns: []string{"OAuth token has been revoked"},
		Causes: []string{
			"you logged out of Claude on all devices, changed your password, or revoked Claude Code in claude.ai's settings",
			"an admin removed your seat or Claude Code access",
			"a newer /login on another machine sharing the same config replaced the token",
		},
		Fix: []string{
			"Run `claude`, then /login.",
			"If it is revoked again right after logging in, ask your organisation's admin whether your seat has Claude Code, or contact Anthropic support.",
		},
		Confirm: "Local checks: claude auth status; Claude Code login (live, with --code-usage)",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"code_auth", "code_login"},
	},
	{
		ID: EntryOAuthNotSupported, Title: "Subscription token sent to the public API", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth,
		What:     "A Claude subscription token (sk-ant-oat01-…) was used where the API expects an API key.",
		Statuses: []int{401, 400}, Types: []string{"authentication_error", "invalid_request_error"},
		Signatures: []string{
			"OAuth authentication is currently not supported.",
			"This credential is only authorized for use with Claude Code",
		},
		Causes: []string{
			"an sk-ant-oat01- token put in ANTHROPIC_API_KEY (it is not an API key)",
			"a tool or SDK sending the subscription token as a Bearer token",
			"using a subscription login outside Claude Code, which it is not licensed for",
		},
		Fix: []string{
			"Put the sk-ant-oat01- token in CLAUDE_CODE_OAUTH_TOKEN (Claude Code only), not ANTHROPIC_API_KEY.",
			"For SDKs and your own scripts, create a real API key (sk-ant-api03-…) in the Claude Console.",
		},
		Confirm: "Local checks: key format",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"key_format"},
	},
	{
		ID: EntryOAuthOrgNotAllowed, Title: "Subscription access not allowed for this organisation", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth,
		What:     "The login works, but the organisation it belongs to may not use Claude Code with a subscription right now.",
		Statuses: []int{401, 403}, Types: []string{"authentication_error", "permission_error"},
		Signatures: []string{
			"OAuth authentication is currently not allowed for this organization",
			"Your organization has disabled Claude subscription access",
			"oauth_org_not_allowed",
		},
		Causes: []string{
			"the subscription lapsed or a payment failed",
			"a Team or Enterprise admin turned off Claude Code for subscription seats",
			"on a personal plan with nobody else in the organisation, likely an entitlement problem only Anthropic support can clear",
		},
		Fix: []string{
			"Check the plan is active at claude.ai/settings → Billing; renew it if it lapsed, then /login again.",
			"On a Team or Enterprise plan, ask your admin to allow Claude Code for your seat.",
			"On a personal plan, contact Anthropic support with the request-id; meanwhile an API key (ANTHROPIC_API_KEY) works, billed per token.",
		},
		Confirm: "Local checks: claude auth status (plan and organisation); nothing outside Claude Code sees the entitlement",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"code_auth"},
	},
	{
		ID: EntryPermission, Title: "Permission denied", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth,
		What:     "The credential is valid but may not use this resource, model or scope.",
		Statuses: []int{403}, Types: []string{"permission_error"},
		Signatures: []string{
			"Your API key does not have permission to use the specified resource.",
			"does not meet scope requirement user:profile",
			"Permission denied",
			"permission_denied",
			"403 Forbidden",
		},
		Patterns: []string{"does not have permission", "scope requirement", "Missing permissions"},
		Causes: []string{
			"a workspace key restricted to other models or endpoints",
			"an OAuth login without the needed scope (user:inference, user:profile)",
			"an organisation role without Claude Code or API access",
		},
		Fix: []string{
			"Check the key's workspace and limits in the Claude Console.",
			"For scope errors, run /login again so Claude Code asks for the current scopes.",
			"Ask your organisation's admin to give your role Claude Code or Developer access.",
		},
		Confirm: "API probe with your key: 403 permission_error",
		Targets: []probe.Target{probe.TargetAPIKey},
	},
	{
		ID: EntryNotAllowed, Title: "Request not allowed (403 forbidden)", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth,
		What:     "Anthropic's front door refused the request before looking at it: usually where it came from or whose login it carried.",
		Statuses: []int{403},
		Signatures: []string{
			`{"error":{"type":"forbidden","message":"Request not allowed"}}`,
			"Request not allowed",
		},
		Causes: []string{
			"the request left from a country or region Anthropic does not serve (a VPN or proxy exit, a cloud server abroad)",
			"a Claude subscription that is not active, or a Console role without Claude Code",
			"a proxy or relay that alters the request on its way",
		},
		Fix: []string{
			"Check where your traffic exits: the supported countries are at anthropic.com/supported-countries.",
			"In Claude Code run /status, then `claude logout` and `claude login`; check the plan at claude.ai/settings.",
			"Console users: ask an admin for the Claude Code or Developer role.",
			"Try once without VPN or proxy to see which it is.",
		},
		Confirm: "API probe with your key from this machine: 403 forbidden; Local checks: proxy",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"proxy", "code_auth"},
	},

	// Your quota
	{
		ID: EntryRateLimited, Title: "Rate limited", Side: SideYours, Group: GroupQuota, Class: probe.ClassRateLimited,
		What:     "Your organisation is over a requests- or tokens-per-minute limit; the answer says when to retry.",
		Statuses: []int{429}, Types: []string{"rate_limit_error"},
		Signatures: []string{
			"This request would exceed the rate limit for your organization",
			"This request would exceed your organization's rate limit",
			"This request would exceed your account's rate limit. Please try again later.",
			"Number of request tokens has exceeded your per-minute rate limit",
			"Request rejected (429)",
		},
		Patterns: []string{"rate limit", "too many requests"},
		Causes: []string{
			"many parallel requests or agents on one key",
			"a sharp ramp-up (acceleration limits), even under the stated limit",
			"a low usage tier: new organisations start at tens of thousands of input tokens per minute",
		},
		Fix: []string{
			"Wait for the retry-after time, then retry with exponential backoff.",
			"Spread requests or lower concurrency; send shorter prompts or a lower max_tokens.",
			"Raise the tier in the Claude Console (it follows spending), or ask sales for more.",
		},
		Confirm: "API probe with your key: 429 with retry-after and anthropic-ratelimit-* headers",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"ratelimit"},
	},
	{
		ID: EntryUsageLimit, Title: "Usage or session limit (Claude subscription)", Side: SideYours, Group: GroupQuota, Class: probe.ClassRateLimited,
		What:     "Your Claude subscription's 5-hour session or weekly allowance is used up.",
		Statuses: []int{429}, Types: []string{"rate_limit_error"},
		Signatures: []string{
			"You've hit your session limit",
			"You've hit your weekly limit",
			"You've hit your limit · resets",
			"Claude usage limit reached. Your limit will reset at",
			"You've hit your limit for Claude messages",
		},
		Patterns: []string{"usage limit reached", "hit your limit", "Limits will reset at"},
		Causes: []string{
			"heavy use within the 5-hour window, or over the week",
			"several Claude Code sessions or agents sharing one subscription",
			"API credits bought in the Console do not lift a subscription's limit",
		},
		Fix: []string{
			"Wait until the reset time the message names; /usage in Claude Code shows both windows.",
			"Use /model to pick a lighter model for the rest of the window.",
			"Turn on usage credits for your plan, upgrade it, or switch to an API key (billed per token) for the overflow.",
		},
		Confirm: "Claude Code's own calls (its transcripts: 429s while our API probes pass) and, with --code-usage, Anthropic's usage answer for your plan",
		Locals:  []string{"code_auth"},
	},
	{
		ID: EntryCredit, Title: "Credit balance too low", Side: SideYours, Group: GroupQuota, Class: probe.ClassBilling,
		What:     "The API organisation of the key in use has no prepaid credit left (a 400, not a 402: only the message tells).",
		Statuses: []int{400, 402}, Types: []string{"invalid_request_error", "billing_error"},
		Signatures: []string{
			"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
			"Credit balance is too low",
			"Credit balance too low · Add funds",
			"There's an issue with your billing or payment information.",
		},
		Patterns: []string{"credit balance"},
		Causes: []string{
			"prepaid credits used up, or auto-reload off or failing",
			"the key belongs to another organisation than the one you topped up",
			"an ANTHROPIC_API_KEY of an empty organisation overriding a Claude subscription login",
		},
		Fix: []string{
			"Add credits at platform.claude.com → Plans & Billing, or turn auto-reload on.",
			"Check the key in effect belongs to the organisation with the credit (Local checks shows it masked).",
			"In Claude Code with a Pro/Max plan, unset ANTHROPIC_API_KEY and /login to use the subscription.",
		},
		Confirm: "API probe with your key (billing shows mostly on /v1/messages; /v1/models may still answer 200)",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"credential"},
	},
	{
		ID: EntryOrgDisabled, Title: "Organisation or account disabled", Side: SideYours, Group: GroupQuota, Class: probe.ClassBilling,
		What:     "The organisation that owns the key or login is disabled.",
		Statuses: []int{400, 403}, Types: []string{"invalid_request_error"},
		Signatures: []string{
			"This organization has been disabled.",
			"Your account has been disabled",
		},
		Patterns: []string{"account has been disable"},
		Causes: []string{
			"unpaid invoices, or an automatic review of the account's activity",
			"a key from an old organisation left in the environment (ANTHROPIC_API_KEY overriding the login)",
			"use through third-party relays or clients against the terms",
		},
		Fix: []string{
			"Check the key in effect is from the organisation you mean: unset ANTHROPIC_API_KEY to use your login.",
			"Check the organisation's status and billing in the Claude Console.",
			"Appeal through Anthropic support if it is unexpected; nothing on your machine changes it.",
		},
		Confirm: "API probe with your key; Local checks: credential in effect",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"credential", "override"},
	},

	// Your network
	{
		ID: EntryDNS, Title: "DNS failure", Side: SideNetwork, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "This machine cannot look up the API's host name.",
		Signatures: []string{
			"getaddrinfo ENOTFOUND api.anthropic.com",
			"curl: (6) Could not resolve host: api.anthropic.com",
			"dial tcp: lookup api.anthropic.com: no such host",
			"Temporary failure in name resolution",
		},
		Patterns: []string{"could not resolve host", "no such host", "name or service not known", "nodename nor servname", "name resolution"},
		Codes:    []string{"ENOTFOUND", "EAI_AGAIN", "NXDOMAIN", "getaddrinfo"},
		Causes: []string{
			"offline, or a captive portal on public Wi-Fi",
			"a VPN or corporate DNS that does not resolve public names; Docker's DNS inside a container",
			"a local DNS filter (Pi-hole, corporate filter) blocking anthropic.com",
		},
		Fix: []string{
			"Check that other sites load; try `nslookup api.anthropic.com`.",
			"Turn the VPN off and on, or set a public resolver (1.1.1.1, 8.8.8.8); in a container, check its DNS settings.",
			"Look for anthropic.com in DNS block lists.",
		},
		Confirm: "Local checks: DNS resolution of the API host; every probe failing with dns",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{"dns"},
	},
	{
		ID: EntryTLS, Title: "TLS interception or certificate problem", Side: SideNetwork, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "The certificate presented for the API was not trusted: usually a corporate proxy or security software re-signing HTTPS with its own authority.",
		Signatures: []string{
			"self-signed certificate in certificate chain",
			"Self-signed certificate detected",
			"unable to get local issuer certificate",
			"unable to get issuer certificate",
			"x509: certificate signed by unknown authority",
			"SSL certificate verification failed",
			"certificate has expired",
			"curl: (60) SSL certificate problem",
		},
		Patterns: []string{"certificate verify failed", "SSL certificate problem", "SSL certificate error", "unknown certificate verification error", "certificate signed by unknown authority"},
		Codes: []string{"SELF_SIGNED_CERT_IN_CHAIN", "DEPTH_ZERO_SELF_SIGNED_CERT", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
			"UNABLE_TO_GET_ISSUER_CERT", "CERT_HAS_EXPIRED", "CERTIFICATE_VERIFY_FAILED", "ERR_TLS_CERT_ALTNAME_INVALID"},
		Causes: []string{
			"a TLS-inspecting proxy, VPN or antivirus (Zscaler, Netskope, Palo Alto, corporate firewall)",
			"its CA is in the system store but not in the runtime's: Node and Claude Code's native build ignore the system store by default",
			"a wrong system clock, so certificates look expired",
		},
		Fix: []string{
			"Export the proxy's root CA as PEM (ask IT, or Keychain Access / certmgr) and set NODE_EXTRA_CA_CERTS=/path/ca.pem for Claude Code.",
			"For Python set SSL_CERT_FILE or REQUESTS_CA_BUNDLE; for curl, --cacert.",
			"Check the clock skew in Local checks.",
			"Never turn verification off (NODE_TLS_REJECT_UNAUTHORIZED=0): it exposes your key.",
		},
		Confirm: "every HTTPS probe failing with tls; Local checks: proxy and clock",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{"proxy", "clock"},
	},
	{
		ID: EntryConnection, Title: "Connection refused or reset", Side: SideEitherSide, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "No connection to the API could be made, or it was reset before an answer: the live probes tell whether it is this machine's path or Anthropic.",
		Signatures: []string{
			"Unable to connect to API (ECONNREFUSED)",
			"API Error: Unable to connect to API (ECONNRESET)",
			"Unable to connect to API (ConnectionRefused)",
			"API Error (Connection error.)",
			"TypeError (fetch failed)",
			"Connection refused — a firewall or proxy may be blocking it",
		},
		Patterns: []string{"unable to connect to api", "connection refused", "connection error", "fetch failed", "connection was reset",
			"network is unreachable", "curl: (7)", "Couldn't connect to server"},
		Codes: []string{"ECONNREFUSED", "ECONNRESET", "ConnectionRefused", "FailedToOpenSocket", "EHOSTUNREACH", "ENETUNREACH",
			"EBADF", "SSL_ERROR_SYSCALL", "APIConnectionError", "ConnectError"},
		Causes: []string{
			"a firewall, VPN or security software blocking or resetting connections to api.anthropic.com",
			"a region or network where api.anthropic.com is not reachable without a proxy",
			"ANTHROPIC_BASE_URL or a proxy pointing at a host and port where nothing listens (localhost inside a container)",
			"Anthropic's edge failing during an incident",
		},
		Fix: []string{
			"Look at Live signals: if downforai reaches Anthropic from here, the failing program takes another path.",
			"Allow api.anthropic.com (160.79.104.0/23) in the firewall; retry without VPN, or with the VPN in TUN mode if you need it.",
			"Check ANTHROPIC_BASE_URL and the proxy settings in Local checks.",
		},
		Confirm: "every probe: refused, reset or connect failures; the status page",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{"proxy", "base_url"},
	},
	{
		ID: EntryDropped, Title: "Connection closed mid-answer", Side: SideEitherSide, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "The connection was closed while the request or its streamed answer was under way.",
		Signatures: []string{
			"The socket connection was closed unexpectedly",
			"socket hang up",
			"ERR_SOCKET_CLOSED",
			"SocketError: other side closed",
			"TypeError: terminated",
			"Connection closed mid-response",
		},
		Patterns: []string{"read: connection reset by peer", "bad record MAC", "premature close", "Premature close", "stream was not closed cleanly"},
		Codes:    []string{"UND_ERR_SOCKET", "EPIPE"},
		Causes: []string{
			"a proxy, VPN or NAT dropping long-lived connections (idle timeouts on streams)",
			"an HTTPS_PROXY given as https://, which Claude Code 2.x cannot use",
			"a relay or gateway closing its side; rarely Anthropic's edge closing a stream",
		},
		Fix: []string{
			"Retry: a new connection usually works at once.",
			"If it repeats, try without VPN or proxy; behind a proxy, raise its idle timeout for api.anthropic.com.",
			"Check HTTPS_PROXY in Local checks: it must start with http://.",
		},
		Confirm: "probes: reset or closed connections; Local checks: proxy",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey}, Locals: []string{"proxy"},
	},
	{
		ID: EntryTimeout, Title: "Request timed out", Side: SideEitherSide, Group: GroupNetwork, Class: probe.ClassNetwork,
		What:     "No complete answer arrived in time: a slow network or proxy, a long request, or a slow API.",
		Statuses: []int{504, 408}, Types: []string{"timeout_error"},
		Signatures: []string{
			"API Error: Request timed out.",
			"Request timed out",
			"The request timed out while processing. Consider using streaming for long-running requests.",
			"curl: (28) Operation timed out",
			"504 Gateway Time-out",
		},
		Patterns: []string{"timed out", "deadline exceeded", "Gateway Timeout"},
		Codes:    []string{"ETIMEDOUT", "APITimeoutError", "ESOCKETTIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "ConnectTimeoutError", "timeout"},
		Causes: []string{
			"a flaky or slow connection, VPN or proxy",
			"a long non-streaming request over the client's limit (API_TIMEOUT_MS, default 600000)",
			"Anthropic being slow during an incident",
		},
		Fix: []string{
			"Compare with the live probes: if they are healthy, the delay is on your path or in the request itself.",
			"Use streaming for long requests, or raise API_TIMEOUT_MS.",
			"Try without VPN or proxy, or from another network.",
		},
		Confirm: "every probe: timeout failures and the slow phase (DNS, connect, TLS, first byte)",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetStatus, probe.TargetClaudeAI},
	},
	{
		ID: EntryProxyAuth, Title: "Proxy wants credentials (407)", Side: SideNetwork, Group: GroupNetwork, Class: probe.ClassNetwork,
		What:     "The HTTP proxy in the way answered 407: it needs a user name and password the program did not send.",
		Statuses: []int{407},
		Signatures: []string{
			"407 Proxy Authentication Required",
			"Received HTTP code 407 from proxy after CONNECT",
			"statusCode=407",
		},
		Codes: []string{"E407"},
		Causes: []string{
			"HTTPS_PROXY without user:password for a proxy that requires them",
			"a proxy that only speaks NTLM or Kerberos, which Node and Claude Code cannot do",
		},
		Fix: []string{
			"Put the credentials in the proxy URL: HTTPS_PROXY=http://user:password@proxy:8080 (URL-encode special characters).",
			"For NTLM-only proxies, run a local bridge (cntlm, px) and point HTTPS_PROXY at it.",
		},
		Confirm: "Local checks: proxy settings; probes failing with proxy",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{"proxy"},
	},
	{
		ID: EntryProxyScheme, Title: "HTTPS_PROXY set to an https:// URL", Side: SideNetwork, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "The proxy URL starts with https://, so the program speaks TLS to a proxy that speaks plain HTTP, or uses a TLS proxy it does not support.",
		Signatures: []string{
			"wrong version number",
			"WRONG_VERSION_NUMBER",
			"first record does not look like a TLS handshake",
			"server gave HTTP response to HTTPS client",
		},
		Causes: []string{
			"HTTPS_PROXY=https://proxy:8080 copied from a browser or documentation: the scheme names the proxy's protocol, not the target's",
			"ANTHROPIC_BASE_URL=https:// for a local server that serves plain HTTP",
		},
		Fix: []string{
			"Write the proxy as http://: HTTPS_PROXY=http://proxy:8080 (the tunnel to Anthropic is still encrypted end to end).",
			"For a local gateway without TLS, use ANTHROPIC_BASE_URL=http://127.0.0.1:PORT.",
		},
		Confirm: "Probes through the proxy fail with TLS spoken to plain HTTP (\"first record does not look like a TLS handshake\"); Local checks: the scheme of HTTPS_PROXY",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{"proxy"},
	},
	{
		ID: EntrySOCKS, Title: "SOCKS proxy in the environment", Side: SideNetwork, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "HTTP_PROXY, HTTPS_PROXY or ALL_PROXY names a SOCKS proxy, which Claude Code and many clients do not support.",
		Signatures: []string{
			"Claude Code does not support SOCKS proxies",
			"UnsupportedProxyProtocol",
			"Using SOCKS proxy, but the 'socksio' package is not installed",
			"Unknown scheme for proxy URL",
		},
		Codes: []string{"socks5", "socks5h", "socks4"},
		Causes: []string{
			"a VPN or proxy client (Clash, V2Ray, Shadowsocks) exporting ALL_PROXY=socks5://…",
			"a SOCKS URL put in HTTPS_PROXY by hand",
		},
		Fix: []string{
			"Use the same client's HTTP proxy port instead: HTTPS_PROXY=http://127.0.0.1:7890 (most of them offer both).",
			"Or run a local HTTP-to-SOCKS bridge and point HTTPS_PROXY at it; unset ALL_PROXY for Claude Code.",
		},
		Confirm: "Local checks: proxy settings",
		Locals:  []string{"proxy"},
	},
	{
		ID: EntryProxy, Title: "Proxy misconfigured or refusing", Side: SideNetwork, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "The HTTP(S) proxy in the environment is unreachable, cannot be parsed, or refuses the tunnel to the API.",
		Signatures: []string{
			"proxyconnect tcp",
			"tunneling socket could not be established",
			"Tunnel connection failed",
			"CONNECT tunnel failed",
			"Cannot connect to proxy",
			"Unable to connect to proxy",
		},
		Patterns: []string{"ProxyError", "proxy refused"},
		Causes: []string{
			"HTTPS_PROXY left over from another network, or a typo in it (a missing http://)",
			"a proxy that blocks api.anthropic.com or CONNECT to port 443",
			"NO_PROXY missing an internal gateway, or including api.anthropic.com by mistake",
		},
		Fix: []string{
			"Check HTTPS_PROXY, HTTP_PROXY and NO_PROXY in Local checks; unset them if you are not behind a proxy.",
			"Write the proxy as a full URL: http://proxy:8080.",
			"Ask whoever runs the proxy to allow CONNECT to api.anthropic.com:443.",
		},
		Confirm: "Local checks: proxy settings and reachability; probes failing with proxy",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{"proxy"},
	},
	{
		ID: EntryIntermediary, Title: "An error from something in between", Side: SideEitherSide, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "An HTTP error without Anthropic's error body: Anthropic's API always answers errors with JSON naming a type, so this one likely came from a proxy, firewall or gateway on the way.",
		Signatures: []string{
			"upstream unreachable",
			"upstream connect error",
			"no healthy upstream",
		},
		Causes: []string{
			"a corporate proxy or firewall answering 5xx for a host it cannot or may not reach",
			"a local relay or gateway whose upstream failed",
			"rarely, Anthropic's edge failing before its servers answer",
		},
		Fix: []string{
			"Look at Live signals: if downforai gets normal answers from Anthropic, the error comes from your path.",
			"Check HTTPS_PROXY and ANTHROPIC_BASE_URL in Local checks; try once without them.",
			"Ask whoever runs the proxy or gateway for its logs; send Anthropic a request-id only if the error has one.",
		},
		Confirm: "API probes answer normally while the failing program's path does not; Local checks: proxy, base URL",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey}, Locals: []string{"proxy", "base_url"},
	},
	{
		ID: EntryGateway, Title: "ANTHROPIC_BASE_URL points somewhere else", Side: SideYours, Group: GroupNetwork, Class: probe.ClassUnexpected,
		What: "Requests go to a gateway, relay or wrong address instead of api.anthropic.com: the error is that gateway's, about its own keys, models or routes.",
		Signatures: []string{
			"API Error: Invalid URL",
			"Invalid URL (POST",
			"Upstream provider",
			"gateway token",
			"Your client is not authorized to use this API key",
			"This endpoint only accepts requests from Claude Code CLI",
			"unknown provider for model",
			"The bearer token included in the request is invalid",
		},
		Causes: []string{
			"a gateway (LiteLLM, a relay, a corporate gateway) with its own keys, model names and limits",
			"a gateway set up for work still exported at home, or a local proxy that is not running",
			"a base URL that is a web site (https://www.anthropic.com) or lacks the https:// scheme",
		},
		Fix: []string{
			"Check ANTHROPIC_BASE_URL in Local checks; unset it to talk to Anthropic directly.",
			"If the gateway is intended, its operator, not Anthropic, has the answer: the key, model name and limits are the gateway's.",
			"For a local gateway use http://127.0.0.1:PORT (not 0.0.0.0, not localhost inside a container).",
		},
		Confirm: "Local checks: ANTHROPIC_BASE_URL; downforai probes api.anthropic.com itself",
		Locals:  []string{"base_url"},
	},
	{
		ID: EntryChallenge, Title: "Challenge page instead of an answer", Side: SideEitherSide, Group: GroupNetwork, Class: probe.ClassUnexpected,
		What: "A site answered with a bot check (Cloudflare \"Just a moment...\") instead of the page or JSON.",
		Signatures: []string{
			"Just a moment...",
			"Enable JavaScript and cookies to continue",
			"cf-mitigated: challenge",
		},
		Patterns: []string{"_cf_chl_opt", "Attention Required! | Cloudflare", "Unexpected token '<'", "is not valid JSON"},
		Causes: []string{
			"polling too often from one address (the status page's WAF)",
			"a VPN or datacenter IP that Cloudflare distrusts",
			"a captive portal or proxy answering instead of the real site",
		},
		Fix: []string{
			"It proves the site answers: it is not an outage. Open it in a browser to pass the check.",
			"Poll less often (--status-interval 5m) or from another network.",
			"If the API itself answers HTML, a proxy or captive portal is in the way: see the proxy entries.",
		},
		Confirm: "Status page and claude.ai probes: unexpected (challenge)",
		Targets: []probe.Target{probe.TargetStatus, probe.TargetClaudeAI},
	},
	{
		ID: EntryClockSkew, Title: "System clock off", Side: SideYours, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "This machine's clock disagrees with Anthropic's servers by minutes: certificates and tokens look expired or not yet valid.",
		Signatures: []string{
			"certificate is not yet valid",
		},
		Causes: []string{
			"no NTP, a VM resumed from suspend, a dead CMOS battery",
		},
		Fix: []string{
			"Turn on automatic time (timedatectl set-ntp true; on macOS, Date & Time settings).",
		},
		Confirm: "Local checks: server Date header against the local clock",
		Locals:  []string{"clock"},
	},

	// Your request
	{
		ID: EntryPromptTooLong, Title: "Prompt too long", Side: SideRequest, Group: GroupRequest, Class: probe.ClassUnknown,
		What:     "The conversation plus the requested output is over the model's context window.",
		Statuses: []int{400, 413}, Types: []string{"invalid_request_error"},
		Signatures: []string{
			"prompt is too long",
			"Request size exceeds model context window",
			"Prompt is too long",
			"Conversation too long",
		},
		Patterns: []string{"maximum context length", "context window"},
		Causes: []string{
			"a long conversation, large files or tool output accumulating over turns",
			"a large max_tokens that leaves no room for the prompt",
		},
		Fix: []string{
			requestFix,
			"In Claude Code run /compact (or /clear), or start a new session and refer back to the old one.",
			"In your own code, trim history or documents, or pick a model with a longer context.",
		},
		Confirm: "nothing to confirm live: the API is fine; the request is too big for the model",
	},
	{
		ID: EntryRequestTooLarge, Title: "Request too large (413)", Side: SideRequest, Group: GroupRequest, Class: probe.ClassUnknown,
		What:     "The request body is over the API's byte limit (32 MB for Messages), however few tokens it holds.",
		Statuses: []int{413}, Types: []string{"request_too_large"},
		Signatures: []string{
			"Request exceeds the maximum size",
			"Request too large",
			`{"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}`,
		},
		Patterns: []string{"Request Entity Too Large", "Payload Too Large"},
		Causes: []string{
			"many or large images and PDFs in one conversation",
			"a big file pasted or read into the context",
		},
		Fix: []string{
			requestFix,
			"In Claude Code press Esc twice to go back before the large file, or /compact; send fewer or smaller images.",
			"In your own code, upload large files with the Files API and refer to them, or split the request.",
		},
		Confirm: "nothing to confirm live: the limit is per request",
	},
	{
		ID: EntryImageTooLarge, Title: "Image too large", Side: SideRequest, Group: GroupRequest, Class: probe.ClassUnknown,
		What:     "An image in the request is over 5 MB, over 8000 px a side (2000 px with many images), or could not be decoded.",
		Statuses: []int{400}, Types: []string{"invalid_request_error"},
		Signatures: []string{
			"image exceeds 5 MB maximum",
			"At least one of the image dimensions exceed max allowed size",
			"Image was too large",
			"Could not process image",
		},
		Causes: []string{
			"a screenshot from a large or high-DPI screen, which grows past 5 MB once base64-encoded",
			"a long page captured whole by a browser tool",
			"the oversized image stays in the conversation, so every later message fails the same way",
		},
		Fix: []string{
			requestFix,
			"Resize or compress the image (under 5 MB, at most 2000 px a side when sending several) and send it again.",
			"In Claude Code press Esc twice to rewind to before the image; /compact or a new session if it is stuck.",
		},
		Confirm: "nothing to confirm live: the limit is per image",
	},
	{
		ID: EntryModelNotFound, Title: "Model not found", Side: SideRequest, Group: GroupRequest, Class: probe.ClassUnknown,
		What:     "The model named in the request does not exist, is misspelt, or is not available to this key.",
		Statuses: []int{404}, Types: []string{"not_found_error"},
		Signatures: []string{
			`{"type":"not_found_error","message":"model: …"}`,
		},
		Patterns: []string{"was not found. Did you mean", "is not available. Please use"},
		Causes: []string{
			"a typo or an invented name (claude-3-5-sonnet-2024-10-22, sonnet4)",
			"a provider prefix sent as part of the name (anthropic:claude-…)",
			"a retired model, or one your organisation has no access to",
		},
		Fix: []string{
			requestFix,
			"Use a name from GET /v1/models (or /model in Claude Code); aliases like claude-sonnet-4-5 also work.",
			"Check ANTHROPIC_MODEL and ANTHROPIC_DEFAULT_*_MODEL for stale names.",
		},
		Confirm: "API probe with your key lists the models it may use (GET /v1/models)",
		Targets: []probe.Target{probe.TargetAPIKey},
	},
	{
		ID: EntryEndpointNotFound, Title: "No such API endpoint (404)", Side: SideRequest, Group: GroupRequest, Class: probe.ClassUnknown,
		What:     "The request went to a path the Anthropic API does not have, such as OpenAI's /v1/chat/completions.",
		Statuses: []int{404}, Types: []string{"not_found_error"},
		Signatures: []string{
			`{"type":"error","error":{"type":"not_found_error","message":"Not Found"}}`,
		},
		Patterns: []string{"/v1/chat/completions"},
		Causes: []string{
			"an OpenAI-style client or path pointed at api.anthropic.com",
			"a base URL with a doubled or missing /v1",
			"an outdated client calling a retired endpoint",
		},
		Fix: []string{
			requestFix,
			"Use the Messages API path: POST https://api.anthropic.com/v1/messages, or Anthropic's SDK.",
			"Set the base URL to https://api.anthropic.com (the SDKs add /v1 themselves); update the client.",
		},
		Confirm: "nothing to confirm live: the path is wrong",
	},
	{
		ID: EntryToolUse, Title: "tool_use without a matching tool_result", Side: SideRequest, Group: GroupRequest, Class: probe.ClassUnknown,
		What:     "The conversation sent has a tool call whose result is missing or out of place, so the API rejects the whole history.",
		Statuses: []int{400}, Types: []string{"invalid_request_error"},
		Signatures: []string{
			"`tool_use` ids were found without `tool_result` blocks immediately after",
			"unexpected `tool_use_id` found in `tool_result` blocks",
		},
		Patterns: []string{"Each `tool_use` block must have a corresponding `tool_result` block"},
		Causes: []string{
			"a tool call interrupted (Esc, a crash, a failed shell command) before its result was recorded",
			"a client, relay or gateway that drops or reorders tool results",
		},
		Fix: []string{
			requestFix,
			"In Claude Code press Esc twice and rewind to before the failed tool call, or start a new session (/clear).",
			"In your own code, send every tool_result in the user message right after its tool_use, with the same id.",
		},
		Confirm: "nothing to confirm live: the conversation history is malformed",
	},
	{
		ID: EntryContentFiltered, Title: "Blocked by content filtering or the usage policy", Side: SideRequest, Group: GroupRequest, Class: probe.ClassUnknown,
		What:     "Anthropic's safety systems refused the request or stopped its answer. It happens with ordinary work too (false positives).",
		Statuses: []int{400}, Types: []string{"invalid_request_error"},
		Signatures: []string{
			"Output blocked by content filtering policy",
			"appears to violate our Usage Policy",
			"Claude Code is unable to respond to this request",
		},
		Causes: []string{
			"the output resembled material the filter blocks (licence texts, long verbatim quotes, security topics)",
			"the conversation tripped the usage-policy classifier, often on benign engineering or security work",
			"a false positive on benign code",
		},
		Fix: []string{
			requestFix,
			"Retry once (it is not deterministic); rephrase or split the task so the answer differs.",
			"If it blocks ordinary work repeatedly, report it with the request-id (/bug in Claude Code).",
		},
		Confirm: "nothing to confirm live: it is a judgement on this output",
	},
	{
		ID: EntryInvalidRequest, Title: "Invalid request parameters", Side: SideRequest, Group: GroupRequest, Class: probe.ClassUnknown,
		What:     "The API rejected the request's shape or values: a missing header, a parameter out of range, a malformed message.",
		Statuses: []int{400}, Types: []string{"invalid_request_error"},
		Signatures: []string{
			"which is the maximum allowed number of output tokens",
			"max_tokens must be greater than thinking.budget_tokens",
			"roles must alternate",
			"anthropic-version: header is required",
			"anthropic-workspace-id is required",
		},
		Patterns: []string{"The parameter max_tokens", "Field required", "Extra inputs are not permitted",
			"text content blocks must", "cache_control cannot be set"},
		Causes: []string{
			"max_tokens above the model's output limit, or not above the thinking budget",
			"a client, plugin or gateway sending a field the API does not take, or leaving out a required one",
			"a model routed by a gateway to another model with other limits",
		},
		Fix: []string{
			requestFix,
			"Read the message: it names the field (max_tokens, messages.N.content, a header). Fix that value.",
			"In Claude Code, check CLAUDE_CODE_MAX_OUTPUT_TOKENS and model settings; update the client or plugin.",
		},
		Confirm: "nothing to confirm live: the request itself is rejected",
	},

	// Claude Code
	{
		ID: EntryCodeNotInstalled, Title: "Claude Code not installed", Side: SideYours, Group: GroupCode, Class: probe.ClassUnknown,
		What: "The claude command is not on this machine's PATH.",
		Signatures: []string{
			"claude: command not found",
			"zsh: command not found: claude",
			"'claude' is not recognized as an internal or external command",
			`exec: "claude": executable file not found in $PATH`,
		},
		Patterns: []string{"command not found", "not recognized as an internal or external command", "executable file not found"},
		Causes: []string{
			"never installed, or installed for another user or shell",
			"the install directory (~/.local/bin, npm's global bin) missing from PATH",
		},
		Fix: []string{
			"Install it: curl -fsSL https://claude.ai/install.sh | bash (or npm install -g @anthropic-ai/claude-code).",
			"Add ~/.local/bin to PATH and open a new shell; `claude --version` should print a version.",
			"Point downforai at it with --claude-bin if it lives elsewhere.",
		},
		Confirm: "Claude Code CLI probe: claude --version",
		Targets: []probe.Target{probe.TargetCode}, Locals: []string{"code_auth"},
	},
	{
		ID: EntryCodeNotLoggedIn, Title: "Claude Code not logged in", Side: SideYours, Group: GroupCode, Class: probe.ClassAuth,
		What: "Claude Code has no login and no key to use.",
		Signatures: []string{
			"Not logged in · Please run /login",
			`"loggedIn": false`,
			"Not logged in",
		},
		Causes: []string{
			"a fresh install, or /logout",
			"CLAUDE_CONFIG_DIR pointing at another directory than the one you logged in with",
			"on Linux, ~/.claude/.credentials.json deleted or unreadable",
		},
		Fix: []string{
			"Run `claude`, then /login.",
			"Check CLAUDE_CONFIG_DIR: the login lives in that directory's .credentials.json.",
		},
		Confirm: "Local checks: claude auth status --json and the credentials file",
		Targets: []probe.Target{probe.TargetCode}, Locals: []string{"code_auth", "code_login"},
	},
	{
		ID: EntryKeyOverridesLogin, Title: "ANTHROPIC_API_KEY overrides Claude Code's login", Side: SideYours, Group: GroupCode, Class: probe.ClassAuth,
		What: "An API key in the environment silently takes precedence over your Claude subscription login.",
		Signatures: []string{
			"Invalid API key · Fix external API key",
			"Detected a custom API key in your environment",
			"Auth conflict: Using ANTHROPIC_API_KEY instead of Anthropic Console key",
			"Auth conflict: Both a token",
		},
		Patterns: []string{"Fix external API key", "Auth conflict"},
		Causes: []string{
			"ANTHROPIC_API_KEY exported in a shell profile or .env file for another tool",
			"in non-interactive mode (claude -p) the key is always used when present",
		},
		Fix: []string{
			"Unset it for Claude Code: unset ANTHROPIC_API_KEY (and remove it from ~/.bashrc, ~/.zshrc, .env).",
			"Or keep it on purpose and fix the key: usage is then billed to the API organisation.",
			"Check ~/.claude/settings.json's env block too.",
		},
		Confirm: "Local checks: credential in effect and its source",
		Locals:  []string{"credential", "override"},
	},
}

// ByID returns the entry with the id.
func ByID(id EntryID) (Entry, bool) {
	for _, e := range entries {
		if e.ID == id {
			return e, true
		}
	}
	return Entry{}, false
}

// checkFinding is what a local check says it found: its id, the class of
// the problem and, where one check finds problems of one class that need
// different fixes, the cause.
type checkFinding struct {
	id    string
	class probe.Class
	cause string
}

// checkEntries maps what a local check found to the entry that explains
// it. A check that found nothing it can name (ClassUnknown, no cause) is
// in no row.
var checkEntries = map[checkFinding]EntryID{
	{"key_format", probe.ClassAuth, ""}:                        EntryInvalidKey,
	{"key_format", probe.ClassAuth, probe.CauseOAuthToken}:     EntryOAuthNotSupported,
	{"credential", probe.ClassAuth, ""}:                        EntryMissingKey,
	{"override", probe.ClassAuth, ""}:                          EntryKeyOverridesLogin,
	{"base_url", probe.ClassUnexpected, ""}:                    EntryGateway,
	{"code_auth", probe.ClassUnknown, probe.CauseNotInstalled}: EntryCodeNotInstalled,
	{"code_auth", probe.ClassAuth, ""}:                         EntryCodeNotLoggedIn,
	{"code_login", probe.ClassAuth, ""}:                        EntryCodeNotLoggedIn,
	{"code_login", probe.ClassAuth, probe.CauseExpired}:        EntryOAuthExpired,
	{"code_login", probe.ClassAuth, probe.CauseRejected}:       EntryOAuthRevoked,
	{"proxy", probe.ClassNetwork, ""}:                          EntryProxy,
	{"proxy", probe.ClassNetwork, probe.CauseSOCKS}:            EntrySOCKS,
	{"proxy", probe.ClassNetwork, probe.CauseHTTPSProxy}:       EntryProxyScheme,
	{"dns", probe.ClassNetwork, ""}:                            EntryDNS,
	{"clock", probe.ClassNetwork, ""}:                          EntryClockSkew,
}

// ForCheck returns the entry a local check's finding points at;
// false when the check found nothing the catalogue knows.
func ForCheck(c probe.LocalCheck) (Entry, bool) {
	id, ok := checkEntries[checkFinding{c.ID, c.Class, c.Cause}]
	if !ok {
		return Entry{}, false
	}
	return ByID(id)
}
