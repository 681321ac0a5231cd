package catalogue

import "downforai/probe"

// FixAwaitAck is the fix of a failure on Anthropic's side that its status
// page may not have acknowledged yet; diagnose says, in its place, what the
// page says now (an incident acknowledging it, or that the page is not
// read), so the fix never asks to wait for what has happened.
const FixAwaitAck = "Watch the Incidents tab; downforai shows when Anthropic acknowledges it."

// anthropicEntries are the problems on Anthropic's side (and auto mode's
// check, which either side may fail).
var anthropicEntries = []Entry{
	// Anthropic's side
	{
		ID: EntryOverloaded, Title: "Overloaded (529)", Side: SideAnthropic, Group: GroupAnthropic, Class: probe.ClassOverloaded,
		What:      "Anthropic's API said it is overloaded: usually brief and on its side, not your key, quota or network.",
		Elsewhere: Elsewhere{What: "said it is overloaded: likely relaying its upstream's overload (the provider behind it, or Anthropic's if it passed Anthropic's answer on); usually brief, and not your key, quota or network."},
		Statuses:  []int{529}, Types: []string{"overloaded_error"},
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
			"Likely nothing to fix on your side: retry with backoff (Claude Code retries up to 10 times by itself).",
			"Switch to another model meanwhile (/model in Claude Code) if your work allows: load differs per model.",
			FixAwaitAck,
		},
		Confirm: "API probes get 529 overloaded_error; the status page and Anthropic's incidents",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey},
	},
	{
		ID: EntryThrottled, Title: "Server limiting requests (not your limit)", Side: SideAnthropic, Group: GroupAnthropic, Class: probe.ClassRateLimited,
		What:      "A 429 that is no limit of your key's. One to a request that carried no credential (claude.ai, the API without a key, the status page) is the host limiting requests from this address: no key's or plan's limit was counted. A bare 429 \"Rate limited\", with no word of whose limit, is what Claude Code calls the server limiting requests, \"not your usage limit\": likely Anthropic turning requests away for reasons of its own. " + WhoseLimitTells,
		Elsewhere: Elsewhere{What: "answered a bare 429 \"Rate limited\", with no word of whose limit: likely that service, or its upstream behind it, limiting requests — no limit the words name as yours. " + WhoseLimitTells},
		Statuses:  []int{429}, Types: []string{"rate_limit_error"},
		Signatures: []string{
			"Server is temporarily limiting requests (not your usage limit)",
			"Server is temporarily limiting requests",
		},
		Causes: []string{
			"load on Anthropic's side, shed with 429 instead of 529",
			"a model or region under pressure while the rest of the API answers",
			"many requests from this address: frequent polling, or an address many share (VPN, office NAT, datacenter)",
		},
		Fix: []string{
			"Likely nothing to fix on your side: wait and retry with backoff (Claude Code retries by itself).",
			"Switch to another model for a while (/model in Claude Code) if your work allows.",
			"If it is claude.ai or the API without a key that gets the 429: poll less often (--interval) or try from another network (off the VPN).",
			"If every request fails this way for a long time while the status page is green, report it with a request-id (/bug in Claude Code).",
		},
		Confirm: "claude.ai or the API probe without a key: 429; the API probe with your key: 429 rate_limit_error \"Rate limited\" while the rate-limit headers show room",
		Targets: []probe.Target{probe.TargetAPIKey, probe.TargetAPI, probe.TargetClaudeAI},
	},
	{
		ID: EntryServerError, Title: "Server error from Anthropic (5xx)", Side: SideAnthropic, Group: GroupAnthropic, Class: probe.ClassServer,
		What:      "Anthropic's servers, or Cloudflare in front of api.anthropic.com, failed to answer the request.",
		Elsewhere: Elsewhere{Title: "Server error (5xx) at the base URL", What: "failed to answer the request: likely that service failing, or relaying its upstream's failure (the provider behind it, or Anthropic's if it passed Anthropic's answer on)."},
		Statuses:  []int{500, 502, 503, 504, 520, 522, 524}, Types: []string{"api_error"},
		Signatures: []string{
			"API Error: 500 Internal server error",
			`{"type":"error","error":{"type":"api_error","message":"Internal server error"}}`,
			"api.anthropic.com | 504: Gateway time-out",
			"api.anthropic.com | 520: Web server is returning an unknown error",
		},
		Causes: []string{
			"an incident or a deploy on Anthropic's side",
			"Cloudflare cutting a long non-streaming request at its limit (504 page titled api.anthropic.com)",
			"rarely, a request that triggers a bug: retry it once",
		},
		Fix: []string{
			"Retry with backoff; likely nothing to fix on your side.",
			"For long requests, use streaming so no single response waits minutes for its first byte.",
			"If it keeps failing while downforai's probes are healthy, send the request-id to Anthropic support.",
		},
		Confirm: "API probes get 5xx api_error or Cloudflare's error page for api.anthropic.com; the status page",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI},
	},
	{
		ID: EntryAutoMode, Title: "Auto mode could not check an action", Side: SideEitherSide, Group: GroupAnthropic, Class: probe.ClassServer,
		What: "Claude Code's auto mode asks a model to judge an action before it runs; that model did not answer, so the action was held. Anthropic's API failing for the model, or a gateway or other provider behind ANTHROPIC_BASE_URL not serving that request: the message does not say which — the live probes and Local checks do.",
		Signatures: []string{
			"is temporarily unavailable, so auto mode cannot determine the safety of",
			"so auto mode cannot determine the safety of",
		},
		Causes: []string{
			"an incident or overload on Anthropic's side for the session's model (the status page and the live probes show it)",
			"ANTHROPIC_BASE_URL pointing at a proxy or another provider's models (DeepSeek, OpenRouter, a local model) that cannot serve the check's request",
			"a model variant the account may not use (a [1m] model without extra usage)",
		},
		Fix: []string{
			"Wait briefly and try the action again, as the message says; meanwhile approve actions yourself (leave auto mode: shift+tab).",
			"If Claude Code goes through a gateway or another provider (Local checks: base URL), auto mode needs a Claude model there that answers: set one, or unset ANTHROPIC_BASE_URL.",
			"If the live probes show the Claude API failing from here, it is Anthropic's: the Incidents tab shows when it is acknowledged.",
		},
		Confirm: "API probes: whether Anthropic's API answers from here; Local checks: base URL",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey}, Locals: []string{probe.CheckBaseURL},
	},
	{
		ID: EntryAppOutage, Title: "claude.ai's error page (Claude will return soon)", Side: SideEitherSide, Group: GroupAnthropic, Class: probe.ClassServer, App: true,
		What: "claude.ai (or Claude Desktop) showed its page for a request it could not serve. It comes up during Anthropic's outages, and also for one account, one install or one conversation alone while Claude works for everyone else: the page does not say which — the status page and the live probes do.",
		// claude.ai's own words, as users screenshot and paste them.
		Signatures: []string{
			"Claude will return soon",
			"Claude.ai is currently experiencing a temporary service disruption",
			"is currently experiencing a temporary service disruption",
			// Its generic error, in outages as for one chat (May 13, 2026).
			"This isn't working right now. You can try again later",
		},
		Patterns: []string{"temporary service disruption"},
		Causes: []string{
			"an incident on Anthropic's side, often of claude.ai alone while the API and Claude Code still answer",
			"planned maintenance of claude.ai",
			"your account or session alone (a login that went wrong, an account under review), while others are served",
			"one conversation or tool call the app fails on (a Desktop MCP tool's output), again each time it is repeated",
		},
		Fix: []string{
			"If the status page or the live probes show claude.ai failing, likely nothing to fix on your side: wait and reload; the Incidents tab shows when Anthropic acknowledges it.",
			"If everything else answers, it is yours alone: log out and in, try a private window or another browser, restart Claude Desktop, and start a new chat instead of repeating the one that fails.",
			"Still there? Send the error code on the page to Anthropic support.",
		},
		Confirm: "claude.ai probe: 5xx or Anthropic's outage page; the status page's claude.ai component",
		Targets: []probe.Target{probe.TargetClaudeAI},
	},
	{
		ID: EntryCapacity, Title: "Claude at capacity (claude.ai)", Side: SideAnthropic, Group: GroupAnthropic, Class: probe.ClassOverloaded, App: true,
		What: "claude.ai said Claude could not answer for lack of capacity: Anthropic shedding load, claude.ai's way of saying overloaded (529) — not your plan's limit, key or network.",
		Signatures: []string{
			"Due to unexpected capacity constraints, Claude is unable to respond to this message",
			"unexpected capacity constraints",
		},
		Patterns: []string{"capacity constraints"},
		Causes: []string{
			"high traffic across all users, often around model launches or at the same hours every day",
			"an incident on Anthropic's side (see the Incidents tab), sometimes before the status page says so",
		},
		Fix: []string{
			"Likely nothing to fix on your side: wait a minute and send the message again.",
			"Another model may have room meanwhile (the model picker in claude.ai, /model in Claude Code).",
			FixAwaitAck,
		},
		Confirm: "API probes get 529 overloaded_error, or claude.ai answers slowly or with 5xx; the status page",
		Targets: []probe.Target{probe.TargetClaudeAI, probe.TargetAPI, probe.TargetAPIKey},
	},
}
