package catalogue

import (
	"slices"

	"downforai/probe"
)

// EntryID names one known problem. IDs appear in reports and in
// `downforai diagnose` output: never rename one.
type EntryID string

// The catalogue's entries.
const (
	EntryInvalidKey        EntryID = "invalid_api_key"
	EntryMissingKey        EntryID = "missing_api_key"
	EntryOAuthExpired      EntryID = "oauth_expired"
	EntryOAuthRevoked      EntryID = "oauth_revoked"
	EntryOAuthNotSupported EntryID = "oauth_not_supported"
	EntryPermission        EntryID = "permission_denied"
	EntryCredit            EntryID = "credit_balance_low"
	EntryOrgDisabled       EntryID = "organization_disabled"
	EntryRateLimited       EntryID = "rate_limited"
	EntryUsageLimit        EntryID = "usage_limit"
	EntryOverloaded        EntryID = "overloaded"
	EntryServerError       EntryID = "server_error"
	EntryTimeout           EntryID = "request_timeout"
	EntryDNS               EntryID = "dns_failure"
	EntryTLS               EntryID = "tls_failure"
	EntryConnection        EntryID = "connection_refused_reset"
	EntryProxy             EntryID = "proxy_misconfigured"
	EntryChallenge         EntryID = "challenge_page"
	EntryCodeNotInstalled  EntryID = "claude_code_not_installed"
	EntryCodeNotLoggedIn   EntryID = "claude_code_not_logged_in"
	EntryKeyOverridesLogin EntryID = "api_key_overrides_login"
	EntryGateway           EntryID = "base_url_gateway"
	EntryClockSkew         EntryID = "clock_skew"
)

// Side says whose problem an entry usually is.
type Side string

// The sides.
const (
	SideYours      Side = "yours"       // credential, quota, billing, local setup
	SideNetwork    Side = "network"     // between you and Anthropic
	SideAnthropic  Side = "Anthropic's" // overload, server errors
	SideEitherSide Side = "either"      // timeouts, challenges: depends on the live probes
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
	}
	return "either side: the live probes tell which"
}

// Entry is one known problem: what it is, how it shows itself, why it
// happens, how to fix it, and which live check confirms it.
type Entry struct {
	ID    EntryID
	Title string
	What  string
	Side  Side
	Class probe.Class // the probe class this problem produces

	// Signatures, as people meet them.
	Statuses   []int    // HTTP status codes
	Types      []string // Anthropic error.type values
	Signatures []string // exact strings from the API, the SDKs, Claude Code, curl (reference §2–3)
	// Patterns are further lower-case fragments the matcher looks for
	// (Node and curl error codes and the like), not shown as signatures.
	Patterns []string

	Causes  []string
	Fix     []string // ordered steps
	Confirm string   // which live check confirms it, for people
	// Targets are the probes whose results speak for or against the entry;
	// Locals the local check ids that do.
	Targets []probe.Target
	Locals  []string
}

// Entries lists every known problem, credential problems first: the one
// source for the Troubleshooting tab, `downforai diagnose` and the report.
// The slice is the caller's own.
func Entries() []Entry { return slices.Clone(entries) }

// entries is the catalogue.
var entries = []Entry{
	{
		ID: EntryInvalidKey, Title: "Invalid API key", Side: SideYours, Class: probe.ClassAuth,
		What:     "The API does not accept the key it was sent: it is wrong, deleted, or from another organisation.",
		Statuses: []int{401}, Types: []string{"authentication_error"},
		Signatures: []string{
			"invalid x-api-key",
			"Invalid API key · Please run /login",
			"Invalid authentication credentials",
			"Invalid API key",
		},
		Causes: []string{
			"the key was deleted or rotated in the Claude Console",
			"a typo, a truncated paste, or quotes or a newline pasted into the variable",
			"a key of another organisation or workspace, or an old key left in a shell profile or .env file",
		},
		Fix: []string{
			"Check which key is in effect (Local checks below shows it masked, with its source).",
			"Compare its last four characters with the keys listed at platform.claude.com → API keys.",
			"Create a new key if it is gone, and set it without quotes or spaces: export ANTHROPIC_API_KEY=sk-ant-api03-…",
			"In Claude Code, run /login if you meant to use your subscription instead, and unset ANTHROPIC_API_KEY.",
		},
		Confirm: "API with your key: GET /v1/models answers 401 authentication_error",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"credential", "key_format"},
	},
	{
		ID: EntryMissingKey, Title: "Missing API key", Side: SideYours, Class: probe.ClassAuth,
		What:     "No credential reached the API: the variable is unset, empty, or not exported to the program.",
		Statuses: []int{401}, Types: []string{"authentication_error"},
		Signatures: []string{
			"x-api-key header is required",
			"Missing API key · Run /login",
			"Could not resolve authentication method. Expected either apiKey or authToken to be set.",
			"The ANTHROPIC_API_KEY environment variable is missing or empty",
			"The api_key client option must be set",
		},
		Causes: []string{
			"ANTHROPIC_API_KEY set in one shell but not exported, or not in the service's environment",
			"an empty value (ANTHROPIC_API_KEY= in a .env file)",
			"Claude Code logged out and no key in the environment",
		},
		Fix: []string{
			"Set and export the key: export ANTHROPIC_API_KEY=sk-ant-api03-… (or run /login in Claude Code).",
			"For services and cron, put it in that program's own environment, not your shell profile.",
			"Run `downforai report` in the same environment to see which credential it finds.",
		},
		Confirm: "Local checks: credential in effect; API with your key",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"credential"},
	},
	{
		ID: EntryOAuthExpired, Title: "OAuth token expired", Side: SideYours, Class: probe.ClassAuth,
		What:     "The Claude subscription login's access token is past its expiry and was not refreshed.",
		Statuses: []int{401}, Types: []string{"authentication_error"},
		Signatures: []string{
			"OAuth token has expired. Please obtain a new token or refresh your existing token.",
			"OAuth token has expired",
		},
		Causes: []string{
			"Claude Code could not refresh the token (offline at the time, or the refresh token is gone)",
			"a CLAUDE_CODE_OAUTH_TOKEN from `claude setup-token` past its one-year life",
			"the system clock is far off, so a valid token looks expired",
		},
		Fix: []string{
			"Run `claude`, then /login, and sign in again.",
			"If you use CLAUDE_CODE_OAUTH_TOKEN, create a new one with `claude setup-token`.",
			"Check the clock skew in Local checks: fix the clock if it is minutes off.",
		},
		Confirm: "Local checks: Claude Code login expiry (~/.claude/.credentials.json)",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"code_login", "code_auth", "clock"},
	},
	{
		ID: EntryOAuthRevoked, Title: "OAuth token revoked", Side: SideYours, Class: probe.ClassAuth,
		What:     "The subscription login was revoked: signed out elsewhere, password changed, or access removed.",
		Statuses: []int{403, 401}, Types: []string{"permission_error", "authentication_error"},
		Signatures: []string{
			"OAuth token has been revoked. Please obtain a new token.",
			"OAuth token revoked · Please run /login",
			"OAuth token revoked",
		},
		Causes: []string{
			"you logged out of Claude on all devices, or changed your password",
			"an admin removed your seat or Claude Code access",
			"the token was replaced by a newer /login on another machine sharing the config",
		},
		Fix: []string{
			"Run `claude`, then /login.",
			"If it is revoked again at once, ask your organisation's admin whether your seat has Claude Code.",
		},
		Confirm: "Local checks: claude auth status; Claude Code login (live, with --code-usage)",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"code_auth", "code_login"},
	},
	{
		ID: EntryOAuthNotSupported, Title: "OAuth token sent to the public API", Side: SideYours, Class: probe.ClassAuth,
		What:     "A Claude subscription token (sk-ant-oat01-…) was used where the API expects an API key, or without the OAuth beta header.",
		Statuses: []int{401, 400}, Types: []string{"authentication_error", "invalid_request_error"},
		Signatures: []string{
			"OAuth authentication is currently not supported.",
			"This credential is only authorized for use with Claude Code",
		},
		Causes: []string{
			"an sk-ant-oat01- token put in ANTHROPIC_API_KEY (it is not an API key)",
			"a tool or SDK sending the subscription token as a Bearer token without anthropic-beta: oauth-2025-04-20",
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
		ID: EntryPermission, Title: "Permission denied", Side: SideYours, Class: probe.ClassAuth,
		What:     "The credential is valid but may not use this resource, model or scope.",
		Statuses: []int{403}, Types: []string{"permission_error"},
		Signatures: []string{
			"Your API key does not have permission to use the specified resource.",
			"does not meet scope requirement user:profile",
			"Your organization has disabled Claude subscription access",
		},
		Patterns: []string{"does not have permission", "scope requirement"},
		Causes: []string{
			"a workspace key restricted to other models or endpoints",
			"an OAuth token without the needed scope (user:inference, user:profile)",
			"an organisation policy that turns off subscription or Claude Code access",
		},
		Fix: []string{
			"Check the key's workspace and limits in the Claude Console.",
			"For scope errors, run /login again so Claude Code asks for the current scopes.",
			"Ask your organisation's admin when the policy is theirs.",
		},
		Confirm: "API with your key: 403 permission_error",
		Targets: []probe.Target{probe.TargetAPIKey},
	},
	{
		ID: EntryCredit, Title: "Credit balance too low", Side: SideYours, Class: probe.ClassBilling,
		What:     "The API organisation has no prepaid credit left (a 400, not a 402: only the message tells).",
		Statuses: []int{400, 402}, Types: []string{"invalid_request_error", "billing_error"},
		Signatures: []string{
			"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
			"Credit balance is too low",
			"Credit balance too low · Add funds",
			"There's an issue with your billing or payment information.",
		},
		Patterns: []string{"credit balance", "billing_error"},
		Causes: []string{
			"prepaid credits used up, or auto-reload off or failing",
			"an ANTHROPIC_API_KEY of an empty organisation overriding a Claude subscription login",
		},
		Fix: []string{
			"Add credits at platform.claude.com → Plans & Billing, or turn auto-reload on.",
			"In Claude Code with a Pro/Max plan, unset ANTHROPIC_API_KEY and /login to use the subscription.",
		},
		Confirm: "API with your key (billing shows mostly on /v1/messages; /v1/models may still answer 200)",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"credential"},
	},
	{
		ID: EntryOrgDisabled, Title: "Organisation disabled", Side: SideYours, Class: probe.ClassBilling,
		What:     "The organisation that owns the key or login is disabled.",
		Statuses: []int{400, 403}, Types: []string{"invalid_request_error"},
		Signatures: []string{
			"This organization has been disabled.",
		},
		Causes: []string{
			"unpaid invoices, a policy review, or the organisation was closed",
			"a key from an old organisation left in the environment",
		},
		Fix: []string{
			"Check the organisation's status and billing in the Claude Console.",
			"Make sure the key in effect is from the organisation you mean (Local checks shows it masked).",
			"Contact Anthropic support from the Console if it is unexpected.",
		},
		Confirm: "API with your key",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"credential"},
	},
	{
		ID: EntryRateLimited, Title: "Rate limited", Side: SideYours, Class: probe.ClassRateLimited,
		What:     "Your account is over a requests- or tokens-per-minute limit; the answer says when to retry.",
		Statuses: []int{429}, Types: []string{"rate_limit_error"},
		Signatures: []string{
			"This request would exceed your account's rate limit. Please try again later.",
			"Number of request tokens has exceeded your per-minute rate limit",
			"Request rejected (429)",
			"Server is temporarily limiting requests",
		},
		Patterns: []string{"rate limit", "rate_limit", "too many requests"},
		Causes: []string{
			"many parallel requests or agents on one key",
			"a sharp ramp-up (acceleration limits), even under the stated limit",
			"a low usage tier for new organisations",
		},
		Fix: []string{
			"Wait for the retry-after time (shown with the failure), then retry with exponential backoff.",
			"Watch the rate-limit headroom below; spread requests or lower concurrency.",
			"Ask for a higher tier in the Claude Console if it keeps happening.",
		},
		Confirm: "API with your key: 429 with retry-after and anthropic-ratelimit-* headers",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{"ratelimit"},
	},
	{
		ID: EntryUsageLimit, Title: "Usage or session limit (Claude Code)", Side: SideYours, Class: probe.ClassRateLimited,
		What:     "Your Claude subscription's 5-hour session or weekly allowance is used up.",
		Statuses: []int{429}, Types: []string{"rate_limit_error"},
		Signatures: []string{
			"You've hit your session limit",
			"You've hit your weekly limit",
			"You've hit your limit · resets",
			"Claude usage limit reached. Your limit will reset at",
		},
		Patterns: []string{"usage limit reached", "hit your limit", "hit your session limit", "hit your weekly limit"},
		Causes: []string{
			"heavy use within the 5-hour window, or over the week",
			"several Claude Code sessions or agents sharing one subscription",
		},
		Fix: []string{
			"Wait until the reset time the message names.",
			"Use /model to pick a lighter model, or /usage to see where you stand.",
			"Upgrade the plan, or switch to an API key (ANTHROPIC_API_KEY, billed per token) for the overflow.",
		},
		Confirm: "nothing from outside: only Claude Code knows your subscription usage",
		Locals:  []string{"code_auth"},
	},
	{
		ID: EntryOverloaded, Title: "Overloaded (529)", Side: SideAnthropic, Class: probe.ClassOverloaded,
		What:     "Anthropic is shedding load: the API is temporarily overloaded for everyone, not just you.",
		Statuses: []int{529}, Types: []string{"overloaded_error"},
		Signatures: []string{
			"API Error: Repeated 529 Overloaded errors",
			"API Error: 529 Overloaded. This is a server-side issue, usually temporary",
			`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}`,
			"Overloaded",
		},
		Patterns: []string{"overloaded_error", "529"},
		Causes: []string{
			"high traffic across all users, often around model launches",
			"an incident on Anthropic's side (see the Incidents tab)",
		},
		Fix: []string{
			"Nothing to fix on your side: retry with backoff (Claude Code retries up to 10 times by itself).",
			"Watch the status page; switch to another model meanwhile if your work allows.",
		},
		Confirm: "API reachability and API with your key: 529 overloaded_error",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey},
	},
	{
		ID: EntryServerError, Title: "Internal server error", Side: SideAnthropic, Class: probe.ClassServer,
		What:     "Anthropic's servers failed to answer the request (500, 502, 503).",
		Statuses: []int{500, 502, 503}, Types: []string{"api_error"},
		Signatures: []string{
			"API Error: 500 Internal server error",
			`{"type":"error","error":{"type":"api_error","message":"Internal server error"}`,
			"is temporarily unavailable, so auto mode cannot determine the safety of",
		},
		Patterns: []string{"api_error", "internal server error", "bad gateway", "service unavailable"},
		Causes: []string{
			"an incident or a deploy on Anthropic's side",
			"rarely, a request that triggers a bug: retry it once",
		},
		Fix: []string{
			"Retry with backoff; nothing to fix on your side.",
			"If it keeps failing while our probes are healthy, report the request-id to Anthropic support.",
		},
		Confirm: "API reachability: 5xx api_error; the status page",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI},
	},
	{
		ID: EntryTimeout, Title: "Request timed out", Side: SideEitherSide, Class: probe.ClassNetwork,
		What:     "No complete answer arrived in time: a slow network, a proxy, or a slow or overloaded API.",
		Statuses: []int{504, 408}, Types: []string{"timeout_error"},
		Signatures: []string{
			"Request timed out",
			"API Error: Request timed out.",
			"The request timed out while processing. Consider using streaming for long-running requests.",
			"curl: (28) Operation timed out",
		},
		Patterns: []string{"timed out", "timeout", "etimedout", "deadline exceeded", "apitimeouterror"},
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
		ID: EntryDNS, Title: "DNS failure", Side: SideNetwork, Class: probe.ClassNetwork,
		What: "This machine cannot look up the API's host name.",
		Signatures: []string{
			"getaddrinfo ENOTFOUND api.anthropic.com",
			"curl: (6) Could not resolve host: api.anthropic.com",
			"dial tcp: lookup api.anthropic.com: no such host",
			"Temporary failure in name resolution",
		},
		Patterns: []string{"enotfound", "eai_again", "could not resolve host", "no such host", "name or service not known",
			"nodename nor servname", "name resolution", "dns lookup", "getaddrinfo"},
		Causes: []string{
			"offline, or a captive portal on public Wi-Fi",
			"a VPN or corporate DNS that does not resolve public names",
			"a broken /etc/resolv.conf or a local DNS filter blocking anthropic.com",
		},
		Fix: []string{
			"Check that other sites load; try `nslookup api.anthropic.com`.",
			"Turn the VPN off and on, or set a public resolver (1.1.1.1, 8.8.8.8).",
			"Look for anthropic.com in DNS block lists (Pi-hole, corporate filters).",
		},
		Confirm: "Local checks: DNS resolution of the API host; every probe failing with dns",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{"dns"},
	},
	{
		ID: EntryTLS, Title: "TLS failure (proxy or CA interception)", Side: SideNetwork, Class: probe.ClassNetwork,
		What: "The TLS handshake failed: usually a corporate proxy re-signing HTTPS with its own certificate authority.",
		Signatures: []string{
			"SSL certificate verification failed",
			"self signed certificate in certificate chain",
			"unable to get local issuer certificate",
			"x509: certificate signed by unknown authority",
			"curl: (60) SSL certificate problem",
		},
		Patterns: []string{"self_signed_cert_in_chain", "unable_to_verify_leaf_signature", "certificate_verify_failed",
			"certificate signed by unknown authority", "ssl certificate", "tls handshake", "x509:", "certificate has expired",
			"certificate is not yet valid", "cert_has_expired", "err_tls", "ssl_error", "curl: (35)"},
		Causes: []string{
			"a TLS-inspecting proxy or antivirus (Zscaler, Netskope, corporate firewall)",
			"the proxy's CA is not in the runtime's trust store (Node ignores the system store)",
			"a wrong system clock, so certificates look expired or not yet valid",
		},
		Fix: []string{
			"Ask IT for the proxy's CA certificate and set NODE_EXTRA_CA_CERTS=/path/ca.pem for Claude Code.",
			"For Python, set SSL_CERT_FILE or REQUESTS_CA_BUNDLE; for curl, --cacert.",
			"Check the clock skew in Local checks.",
			"Never turn verification off (NODE_TLS_REJECT_UNAUTHORIZED=0): it exposes your key.",
		},
		Confirm: "every HTTPS probe failing with tls; Local checks: proxy and clock",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{"proxy", "clock"},
	},
	{
		ID: EntryConnection, Title: "Connection refused or reset", Side: SideNetwork, Class: probe.ClassNetwork,
		What: "The connection was refused or cut before an answer: a firewall, a proxy, or the network dropping it.",
		Signatures: []string{
			"Unable to connect to API (ECONNREFUSED)",
			"API Error: Unable to connect to API (ECONNRESET)",
			"Unable to connect to API (ConnectionRefused)",
			"API Error (Connection error.)",
			"TypeError (fetch failed)",
		},
		Patterns: []string{"econnrefused", "econnreset", "connection refused", "connection reset", "connectionrefused",
			"unable to connect to api", "connection error", "fetch failed", "socket hang up", "curl: (7)", "curl: (56)",
			"broken pipe", "epipe", "network is unreachable", "enetunreach", "ehostunreach", "apiconnectionerror"},
		Causes: []string{
			"a firewall or security software blocking api.anthropic.com",
			"a VPN or flaky Wi-Fi dropping connections",
			"ANTHROPIC_BASE_URL or a proxy pointing at a host and port where nothing listens",
		},
		Fix: []string{
			"Check whether the live probes reach Anthropic from this machine (Live signals).",
			"Allow api.anthropic.com (160.79.104.0/23) in the firewall; retry without VPN.",
			"Check ANTHROPIC_BASE_URL and the proxy settings in Local checks.",
		},
		Confirm: "every probe: refused, reset or connect failures",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{"proxy", "base_url"},
	},
	{
		ID: EntryProxy, Title: "Proxy misconfigured", Side: SideNetwork, Class: probe.ClassNetwork,
		What:     "The HTTP(S) proxy in the environment is unreachable, refuses the tunnel, wants credentials, or is SOCKS.",
		Statuses: []int{407},
		Signatures: []string{
			"407 Proxy Authentication Required",
			"Received HTTP code 407 from proxy after CONNECT",
			"proxyconnect tcp",
			"tunneling socket could not be established",
			"Claude Code does not support SOCKS proxies",
		},
		Patterns: []string{"proxy", "socks"},
		Causes: []string{
			"HTTPS_PROXY left over from another network, or a typo in it",
			"a proxy that needs user:password, or NTLM that Node cannot do",
			"a SOCKS proxy (socks5://), which Claude Code does not support",
			"NO_PROXY missing an internal gateway, or including api.anthropic.com by mistake",
		},
		Fix: []string{
			"Check HTTPS_PROXY, HTTP_PROXY and NO_PROXY in Local checks; unset them if you are not behind a proxy.",
			"Use an HTTP(S) proxy URL with credentials if needed: https://user:pass@proxy:8080.",
			"For SOCKS, run a local HTTP-to-SOCKS bridge and point HTTPS_PROXY at it.",
		},
		Confirm: "Local checks: proxy settings and reachability; probes failing with proxy",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{"proxy"},
	},
	{
		ID: EntryChallenge, Title: "Challenge page instead of an answer", Side: SideEitherSide, Class: probe.ClassUnexpected,
		What:     "The status page or claude.ai answered with a bot check (Cloudflare \"Just a moment...\") instead of the page or JSON.",
		Statuses: []int{403, 503, 200},
		Signatures: []string{
			"Just a moment...",
			"Enable JavaScript and cookies to continue",
			"cf-mitigated: challenge",
			"Unexpected token '<'",
		},
		Patterns: []string{"_cf_chl_opt", "attention required! | cloudflare", "cf-mitigated", "unexpected token <",
			"is not valid json", "<!doctype html"},
		Causes: []string{
			"polling too often from one address (the status page's WAF)",
			"a VPN or datacenter IP that Cloudflare distrusts",
			"a captive portal or proxy answering instead of the real site",
		},
		Fix: []string{
			"It proves the site answers: it is not an outage. Open it in a browser to pass the check.",
			"Poll less often (--status-interval 5m) or from another network.",
			"If the API itself answers HTML, a proxy or captive portal is in the way: see Proxy.",
		},
		Confirm: "Status page and claude.ai probes: unexpected (challenge)",
		Targets: []probe.Target{probe.TargetStatus, probe.TargetClaudeAI},
	},
	{
		ID: EntryCodeNotInstalled, Title: "Claude Code not installed", Side: SideYours, Class: probe.ClassUnknown,
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
		ID: EntryCodeNotLoggedIn, Title: "Claude Code not logged in", Side: SideYours, Class: probe.ClassAuth,
		What: "Claude Code has no login and no key to use.",
		Signatures: []string{
			"Not logged in · Please run /login",
			`"loggedIn": false`,
			"Not logged in",
		},
		Patterns: []string{"not logged in", "please run /login", `"loggedin":false`},
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
		ID: EntryKeyOverridesLogin, Title: "ANTHROPIC_API_KEY overrides Claude Code's login", Side: SideYours, Class: probe.ClassAuth,
		What: "An API key in the environment silently takes precedence over your Claude subscription login.",
		Signatures: []string{
			"Invalid API key · Fix external API key",
			"Detected a custom API key in your environment",
			"Auth conflict: Both a token",
		},
		Patterns: []string{"fix external api key", "custom api key", "auth conflict"},
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
	{
		ID: EntryGateway, Title: "ANTHROPIC_BASE_URL points at a gateway", Side: SideYours, Class: probe.ClassUnexpected,
		What:     "Requests go to a proxy or gateway (LiteLLM, a corporate gateway), not to api.anthropic.com: its errors are its own.",
		Statuses: []int{404},
		Signatures: []string{
			"ANTHROPIC_BASE_URL",
			"404 page not found",
		},
		Patterns: []string{"litellm", "gateway"},
		Causes: []string{
			"a gateway set up for work, still exported at home",
			"a gateway that is down, or that lacks /v1/models or the model you ask for",
		},
		Fix: []string{
			"Check ANTHROPIC_BASE_URL in Local checks; unset it to talk to Anthropic directly.",
			"If the gateway is intended, its operator, not Anthropic, has the answer.",
		},
		Confirm: "Local checks: ANTHROPIC_BASE_URL",
		Locals:  []string{"base_url"},
	},
	{
		ID: EntryClockSkew, Title: "System clock off", Side: SideYours, Class: probe.ClassNetwork,
		What: "This machine's clock disagrees with Anthropic's servers by minutes: certificates and tokens look expired or not yet valid.",
		Signatures: []string{
			"certificate is not yet valid",
			"certificate has expired",
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
