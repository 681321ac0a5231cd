package catalogue

import "slices"

// Question is one entry of the FAQ: a question people ask with an error
// in hand, the answer, and what the live probes are asked to say about it
// (the answer always ends with what they say now).
type Question struct {
	ID       string // stable, for links and tests
	Question string
	Answer   []string // paragraphs
	Entries  []EntryID
	// Live names what the live part reports: "key", "api", "overload",
	// "usage", "network", "override".
	Live string
}

// FAQ lists the questions, in the order they are shown; the slice (and
// each question's Answer and Entries) is the caller's own.
func FAQ() []Question {
	out := slices.Clone(faq)
	for i := range out {
		out[i].Answer = slices.Clone(out[i].Answer)
		out[i].Entries = slices.Clone(out[i].Entries)
	}
	return out
}

// faq are the questions, in the order they are shown.
var faq = []Question{
	{
		ID: "key-not-working", Question: "Why is my API key not working?", Live: "key",
		Answer: []string{
			"Most often the key in effect is not the one you think: an old ANTHROPIC_API_KEY in a shell profile or .env file, a key of another organisation, or a value with quotes or a newline pasted into it. Local checks shows the key downforai finds, masked (sk-ant-api03-…Xy7A), and where it came from; compare its last four characters with the keys at platform.claude.com → API keys.",
			"A 401 invalid x-api-key means the key is wrong or deleted; a 400 \"credit balance is too low\" means the key is fine but its organisation has no credit; a 403 means the key may not use that model or endpoint. A Claude subscription token (sk-ant-oat01-…) is not an API key at all.",
		},
		Entries: []EntryID{EntryInvalidKey, EntryMissingKey, EntryCredit, EntryOAuthNotSupported, EntryPermission},
	},
	{
		ID: "auth-down", Question: "Is Anthropic authentication down?", Live: "api",
		Answer: []string{
			"Rarely. When authentication itself fails, the API usually still answers (with 5xx or 529), and the status page names the API or claude.ai. downforai checks it without your key: a GET /v1/models without a key must come back 401 with Anthropic's error body — that proves the front door answers and judges credentials.",
			"If that unauthenticated probe gets its 401 while your own key gets 401 too, the problem is your key, not Anthropic. If logins to claude.ai or /login in Claude Code fail for everyone, the status page and the Incidents tab say so.",
		},
		Entries: []EntryID{EntryInvalidKey, EntryServerError, EntryOverloaded},
	},
	{
		ID: "fix-401-403", Question: "How do I fix 401/403 errors?", Live: "key",
		Answer: []string{
			"401 means the credential was not accepted: check which one is in effect (Local checks), replace a deleted or mistyped key, and in Claude Code run /login if you use a subscription. \"OAuth token has expired\" or \"revoked\" means the login, not a key: /login again.",
			"A 403 from Anthropic comes with its error body, and the body says which refusal it is: permission_error is a key or role without access to that model or scope; {\"type\":\"forbidden\",\"message\":\"Request not allowed\"} is usually the request's origin (an unsupported country, a VPN exit) or an inactive subscription; an organisation that has disabled subscription access needs its admin or Anthropic support. A 403 with no such body (a bare \"403 Forbidden\", an HTML page, a proxy's name) may as well be a proxy, firewall or gateway on the way: paste the whole answer to tell.",
			"If ANTHROPIC_BASE_URL points at a gateway, its 401s and 403s are about its keys: ask whoever runs it.",
		},
		Entries: []EntryID{EntryInvalidKey, EntryOAuthExpired, EntryOAuthRevoked, EntryPermission, EntryNotAllowed, EntryForbidden, EntryOAuthOrgNotAllowed, EntryGateway},
	},
	{
		ID: "code-invalid-key-curl-works", Question: "Why does Claude Code say Invalid API key when my key works with curl?", Live: "override",
		Answer: []string{
			"Because Claude Code is not using that key. Either an ANTHROPIC_API_KEY in its environment (a shell profile, ~/.claude/settings.json's env block, a .env file) overrides your subscription login and that key is stale, or Claude Code uses its stored login and that login is the problem, or ANTHROPIC_BASE_URL sends it to a gateway that rejects the key.",
			"Run /status in Claude Code to see the login method and key source; unset ANTHROPIC_API_KEY to use the subscription, or set it to the key that works with curl. \"Invalid API key · Fix external API key\" names exactly this override.",
		},
		Entries: []EntryID{EntryKeyOverridesLogin, EntryInvalidKey, EntryMissingKey, EntryGateway},
	},
	{
		ID: "529-retry", Question: "What does 529 mean and should I retry?", Live: "overload",
		Answer: []string{
			"529 overloaded_error is Anthropic's API saying it is overloaded: usually load on Anthropic's side, and brief — not your key, not your quota, not your network. Whether others get it too is what the status page and downforai's own probes show (below). Yes, retry with exponential backoff (Claude Code does, up to 10 times); switching model for a while often helps, as load differs per model.",
			"It is different from 429 (your own rate limit: wait for retry-after) and from 5xx (a server error). In a stream, the same overload can arrive as an \"event: error\" after a 200.",
		},
		Entries: []EntryID{EntryOverloaded, EntryRateLimited, EntryServerError},
	},
	{
		ID: "usage-reset", Question: "When does my usage limit reset?", Live: "usage",
		Answer: []string{
			"A Claude subscription has a 5-hour session window and a weekly window; the message names the reset time (\"You've hit your session limit · resets 12:50am\"), and /usage in Claude Code shows both windows. The 5-hour window starts with your first message after the previous one ended.",
			"API rate limits are per minute: the 429's retry-after header says how many seconds to wait, and the anthropic-ratelimit-*-reset headers when each limit refills. Credits bought in the Console do not lift a subscription's limits.",
		},
		Entries: []EntryID{EntryUsageLimit, EntryRateLimited},
	},
	{
		ID: "proxy-or-vpn", Question: "Is it my proxy or VPN?", Live: "network",
		Answer: []string{
			"It is if Anthropic answers downforai from this machine while the failing program cannot connect, or if the errors name certificates (self-signed, unable to get local issuer), a proxy (407, tunnel, proxyconnect) or DNS. A TLS-inspecting proxy needs its CA in NODE_EXTRA_CA_CERTS; HTTPS_PROXY must start with http://; Claude Code does not support SOCKS.",
			"It is not if every host fails the same way from here and the status page shows an incident, or if the error is Anthropic's own JSON (529 overloaded_error, 500 api_error).",
		},
		Entries: []EntryID{EntryTLS, EntryProxy, EntryProxyAuth, EntryProxyScheme, EntrySOCKS, EntryDNS, EntryConnection},
	},
}
