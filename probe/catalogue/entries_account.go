package catalogue

import "downforai/probe"

// accountEntries are the problems of your credential and your quota.
var accountEntries = []Entry{
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
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckCredential, probe.CheckKeyFormat},
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
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckCredential},
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
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckCodeAuth, probe.CheckCredential, probe.CheckOverride},
	},
	{
		ID: EntryOAuthExpired, Title: "Claude login expired", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth,
		What:     "The Claude subscription login's access token is past its expiry and was not refreshed.",
		Statuses: []int{401}, Types: []string{"authentication_error"},
		Signatures: []string{
			"OAuth token has expired. Please obtain a new token or refresh your existing token.",
			"OAuth token has expired",
		},
		Patterns: []string{"token is expired and has no refresh token", "OAuth token expired"},
		Causes: []string{
			"Claude Code could not refresh the token (offline at the time, or the refresh token is gone)",
			"a CLAUDE_CODE_OAUTH_TOKEN from `claude setup-token` past its life",
			"the system clock is far off, so a valid token looks expired",
			"an incident of Anthropic's login service: many users get it at once (the status page and the Incidents tab tell)",
		},
		Fix: []string{
			"Run `claude`, then /login, and sign in again; /status shows the new login.",
			"If /login itself fails with the same 401, run `claude auth logout` (or delete ~/.claude/.credentials.json) and log in afresh.",
			"If you use CLAUDE_CODE_OAUTH_TOKEN, create a new one with `claude setup-token`.",
			"Check the clock skew in Local checks: fix the clock if it is minutes off.",
		},
		Confirm: "Local checks: Claude Code login expiry (~/.claude/.credentials.json), the clock",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckCodeLogin, probe.CheckCodeAuth, probe.CheckClock},
	},
	{
		ID: EntryOAuthRevoked, Title: "Claude login rejected", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth,
		What:     "Anthropic rejected the subscription login (likely revoked: signed out elsewhere, password changed, or access removed).",
		Statuses: []int{403, 401}, Types: []string{"permission_error", "authentication_error"},
		Signatures: []string{
			"OAuth token has been revoked. Please obtain a new token.",
			"OAuth token revoked · Please run /login",
			"OAuth token revoked",
			"OAuth access token has been revoked",
			// A login token the API does not know (another account's, cut
			// short, or from a relay).
			"Invalid OAuth token. The provided token was not found or is malformed.",
			"Invalid OAuth token",
			"login was rejected",
		},
		Patterns: []string{"OAuth token has been revoked"},
		Causes: []string{
			"you logged out of Claude on all devices, changed your password, or revoked Claude Code in claude.ai's settings",
			"an admin removed your seat or Claude Code access",
			"a newer /login on another machine sharing the same config replaced the token",
			"an incident of Anthropic's login service: many users get it at once (the status page and the Incidents tab tell)",
		},
		Fix: []string{
			"Run `claude`, then /login.",
			"If it is revoked again right after logging in, ask your organisation's admin whether your seat has Claude Code, or contact Anthropic support.",
		},
		Confirm: "Local checks: claude auth status; Claude Code login (live, with --code-usage)",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckCodeAuth, probe.CheckCodeLogin},
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
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckKeyFormat},
	},
	{
		ID: EntryOAuthOrgNotAllowed, Title: "Subscription access not allowed for this organisation", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth,
		What:     "The login works, but the organisation it belongs to may not use Claude Code with a subscription right now.",
		Statuses: []int{401, 403}, Types: []string{"authentication_error", "permission_error"},
		Signatures: []string{
			"OAuth authentication is currently not allowed for this organization",
			"Your organization has disabled Claude subscription access",
			"Disabled by org admin",
			"oauth_org_not_allowed",
			"Your organization does not have access to Claude",
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
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckCodeAuth},
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
			// Claude Code's for a login whose account has no Claude access.
			"Your account does not have access to Claude",
			"Your organization has disabled API key authentication for Claude Code",
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
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckProxy, probe.CheckCodeAuth},
	},

	{
		ID: EntryRegion, Title: "Not available where you connect from", Side: SideYours, Group: GroupCredential, Class: probe.ClassAuth, App: true,
		What: "claude.ai said Claude is not offered where this connection comes from: a rule about the country your traffic exits in, not an outage and not your network failing.",
		// claude.ai's page for a place Anthropic does not serve.
		Signatures: []string{
			"Claude is only available in certain regions",
			"App unavailable in region",
			"only available in certain regions",
			"Claude isn't available in your country",
			"not available in your region",
			// The API's and Bedrock's, for a request from a country Anthropic does not serve.
			"is not allowed from unsupported countries, regions, or territories",
		},
		Causes: []string{
			"a VPN, proxy or cloud server exiting in a country Anthropic does not serve",
			"travelling in, or living in, a country Anthropic does not serve",
		},
		Fix: []string{
			"Check where your traffic exits: the supported countries are at anthropic.com/supported-countries.",
			"Turn the VPN off, or pick an exit in a supported country, and reload.",
			"If you are in a supported country with no VPN, contact Anthropic support from the page.",
		},
		Confirm: "claude.ai probe from this machine: 403 or the unavailable page; Local checks: proxy",
		Targets: []probe.Target{probe.TargetClaudeAI}, Locals: []string{probe.CheckProxy},
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
			"exceeded your per-minute rate limit", // the older "Number of tokens has …"
			"Request rejected (429)",
		},
		// Loose words that name a limit without whose ("Rate limit
		// reached", "Too Many Requests") are EntryRateLimitUnsaid's: these
		// name the organisation's or the key's.
		Patterns: []string{"your rate limit", "rate limit for your", "your per-minute rate limit", "rate limit of your"},
		// Claude Code's "Request rejected (429) · <message>" says a 429
		// came back, whoever's: the message after it tells whose.
		Wrappers: []string{"Request rejected"},
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
		Targets: []probe.Target{probe.TargetAPIKey},
	},
	{
		ID: EntryRateLimitUnsaid, Title: "Rate limit, not saying whose", Side: SideEitherSide, Group: GroupQuota, Class: probe.ClassRateLimited,
		What:     "A rate limit was hit, but these words do not say whose: your Claude plan's usage window, your API key's per-minute limit, a gateway's own limit, or Anthropic limiting requests for reasons of its own — the words alone tell none of them apart. " + WhoseLimitTells,
		Statuses: []int{429}, Types: []string{"rate_limit_error"},
		// Words that name a limit and not whose: Claude Code's "API Error:
		// Rate limit reached", an HTTP client's "429 Too Many Requests".
		Signatures: []string{"API Error: Rate limit reached", "429 Too Many Requests"},
		Patterns:   []string{"rate limit", "too many requests"},
		Causes: []string{
			"your Claude subscription's 5-hour session or weekly window used up (Claude Code shows it in /usage)",
			"your API key's or organisation's requests- or tokens-per-minute limit",
			"a gateway or relay at ANTHROPIC_BASE_URL limiting requests by its own rules",
			"Anthropic limiting requests while your usage is well within its limits (real threads: a Max plan at 30% of its session got it on every message)",
		},
		Fix: []string{
			"In Claude Code, run /usage: a session or week at 100% is your plan's limit, and it says when it resets; /status shows whether a login or an API key is in use.",
			"With an API key: the 429's anthropic-ratelimit-*-remaining headers (0 is your key's limit) and retry-after say which limit and when; the Claude Console's Limits and Usage pages show the organisation's.",
			"If ANTHROPIC_BASE_URL points at a gateway, its own dashboard or logs say whether the limit is its own.",
			"If none of those is used up, wait and retry with backoff; if it persists while the status page is green, report it with a request-id (/bug in Claude Code).",
		},
		Confirm: "API probe with your key: a 429 and whether its anthropic-ratelimit-*-remaining headers are 0; Local checks: base URL",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckBaseURL},
	},
	{
		ID: EntryUsageLimit, Title: "Usage or session limit (Claude subscription)", Side: SideYours, Group: GroupQuota, Class: probe.ClassRateLimited,
		What:     "Your Claude subscription's 5-hour session, weekly (all models or one model) or monthly allowance, or the extra usage bought on top, is used up: a limit of your plan, not an outage.",
		Statuses: []int{429}, Types: []string{"rate_limit_error"},
		// Claude Code's own words, as users paste them (anthropics/claude-code
		// issues): the 5-hour window is "session" or "5-hour", the week may
		// be one model's ("Opus weekly limit"), the older form ends in the
		// reset as Unix seconds ("…reached|1760000400").
		Signatures: []string{
			"You've hit your session limit",
			"You've hit your weekly limit",
			"You've hit your 5-hour limit",
			"You've hit your limit · resets",
			"Claude usage limit reached. Your limit will reset at",
			"Claude AI usage limit reached",
			"5-hour limit reached",
			"Session limit reached",
			"Weekly limit reached",
			"You've hit your org's monthly usage limit",
			"You're out of extra usage",
			"You've hit your limit for Claude messages",
			"/upgrade to increase your usage limit",
			"/login to switch to an API usage-billed account",
			// claude.ai's, and Claude Code's fallback to another model.
			"You are out of free messages until",
			"out of free messages",
			"messages remaining until",
			"Message limit reached for",
			"limit reached, now using",
		},
		Patterns: []string{"usage limit reached", "hit your limit", "hit your usage limit", "reached your message limit", "hit your monthly spend limit", "Limits will reset at", "limit reached ∙ resets", "limit reached · resets", "limit · resets", "limit ∙ resets"},
		Causes: []string{
			"heavy use within the 5-hour window, or over the week",
			"several Claude Code sessions or agents sharing one subscription",
			"API credits bought in the Console do not lift a subscription's limit",
		},
		Fix: []string{
			"Wait until the reset time the message names (downforai says it in your time zone); /usage in Claude Code shows each window.",
			"A weekly limit of one model (\"Opus weekly limit\") leaves the others: /model to another goes on now.",
			"To go on before the reset: turn on extra usage for your plan, /upgrade it, or /login with an API account billed per token.",
			"An organisation's monthly limit, or extra usage spent, is raised by whoever manages the plan's billing.",
		},
		Confirm: "Claude Code's own calls (its transcripts: 429s while our API probes pass) and, with --code-usage, Anthropic's usage answer for your plan",
		Locals:  []string{probe.CheckCodeAuth},
	},
	{
		ID: EntryLongContext, Title: "1M context needs extra usage (Claude plan)", Side: SideYours, Group: GroupQuota, Class: probe.ClassBilling,
		What: "The request asked for the 1M-token context window (a [1m] model), which a Claude plan bills as extra usage: none is turned on, or it is spent — a limit of your plan, not an outage.",
		// The API's "long context beta is not yet available for this
		// subscription" is the request's (a beta header the account lacks:
		// invalid_request); these are a Claude plan's words for it.
		Signatures: []string{
			"Extra usage is required for 1M context",
			"Extra usage is required for long context",
		},
		Patterns: []string{"extra usage is required for"},
		Causes: []string{
			"a [1m] model picked (/model, ANTHROPIC_MODEL) on a subscription without extra usage turned on, or with it spent",
			"a conversation grown past the standard window while the 1M variant was chosen for it",
			"a client or plugin asking for long context by default on a subscription",
		},
		Fix: []string{
			"/model to the model without [1m] (or /compact the conversation) to go on now in the standard context window.",
			"To keep 1M context on a Claude plan: turn on extra usage (/extra-usage in Claude Code) or raise what is left of it.",
		},
		Confirm: "nothing to confirm live: downforai's probes ask for no long-context request",
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
			// A balance said in words, whatever the status it came with (a
			// gateway's 429 or 500 saying so is its balance, not Anthropic
			// failing nor a rate limit).
			"insufficient balance",
			"Insufficient credits",
			"You are out of credits",
			"no resource package",
		},
		Patterns: []string{"credit balance"},
		Causes: []string{
			"prepaid credits used up, or auto-reload off or failing",
			"the key belongs to another organisation than the one you topped up",
			"an ANTHROPIC_API_KEY of an empty organisation overriding a Claude subscription login",
			"a gateway or another provider behind ANTHROPIC_BASE_URL (MiniMax, GLM, Kimi, a relay) out of balance: its account, not Anthropic's — its error codes (1008, 1113) and request ids are not Anthropic's req_…",
		},
		Fix: []string{
			"Add credits at platform.claude.com → Plans & Billing, or turn auto-reload on.",
			"If requests go to another service (ANTHROPIC_BASE_URL in Local checks), top up there: the balance is that service's.",
			"Check the key in effect belongs to the organisation with the credit (Local checks shows it masked).",
			"In Claude Code with a Pro/Max plan, unset ANTHROPIC_API_KEY and /login to use the subscription.",
		},
		Confirm: "API probe with your key (billing shows mostly on /v1/messages; /v1/models may still answer 200)",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckCredential},
	},
	{
		ID: EntrySpendLimit, Title: "API spend limit reached (Console)", Side: SideYours, Group: GroupQuota, Class: probe.ClassBilling,
		What:     "The API organisation's or workspace's monthly spend limit, set in the Claude Console, is reached: the API refuses until the date it names, or until the limit is raised. A setting of yours, not an outage (a 400, not a 429).",
		Statuses: []int{400}, Types: []string{"invalid_request_error"},
		Signatures: []string{
			"You have reached your specified API usage limits",
			"You have reached your specified workspace API usage limits",
		},
		Patterns: []string{"specified API usage limits", "specified workspace API usage limits", "You will regain access on"},
		Causes: []string{
			"the organisation's monthly spend limit reached",
			"a workspace's own spend limit (Claude Code's workspace has one of its own), lower than the organisation's",
		},
		Fix: []string{
			"Wait until the date the message names (access comes back then), or raise the limit: platform.claude.com → Settings → Limits, for the organisation or the workspace.",
			"A workspace's limit is raised by an admin of the organisation; a key of another workspace is not held by it.",
			"Credits do not lift a spend limit: it is a cap you (or an admin) set.",
		},
		Confirm: "API probe with your key (the limit shows on /v1/messages)",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckCredential},
	},
	{
		ID: EntryOrgDisabled, Title: "Organisation or account disabled", Side: SideYours, Group: GroupQuota, Class: probe.ClassBilling,
		What:     "The organisation that owns the key or login is disabled.",
		Statuses: []int{400, 403}, Types: []string{"invalid_request_error"},
		Signatures: []string{
			"This organization has been disabled.",
			"Your account has been disabled",
			// Anthropic Safeguards' email.
			"An internal investigation of suspicious signals associated with your account",
			"we have revoked your access to Claude",
		},
		Patterns: []string{"account has been disable", "organization has been disabled", "organisation has been disabled"},
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
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckCredential, probe.CheckOverride},
	},
}
