package catalogue

import "downforai/probe"

// requestAndCodeEntries are the problems of the request itself, then
// Claude Code's own.
var requestAndCodeEntries = []Entry{
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
			// Anthropic's when input plus max_tokens is over the window.
			"input length and max_tokens exceed context limit",
			// claude.ai's for a chat that is full; Claude Code's warning
			// before it is.
			"Your message will exceed the length limit for this chat",
			"This conversation is too long to continue",
			"Claude hit the maximum length for this conversation",
			"reached its maximum length",
			"Context low",
			// claude.ai's German for the same.
			"überschreitet das Längenlimit für diesen Chat",
		},
		Patterns: []string{"maximum context length", "context window", "length limit for this chat", "maximum length for this conversation", "to compact & continue"},
		Causes: []string{
			"a long conversation, large files or tool output accumulating over turns",
			"a large max_tokens that leaves no room for the prompt",
		},
		Fix: []string{
			requestFix,
			"In Claude Code run /compact (or /clear), or start a new session and refer back to the old one.",
			"In claude.ai, start a new chat (a project's knowledge carries over) and paste a summary of the old one.",
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
			// Claude Code's own check before sending.
			"Image base64 size",
			"exceeds the dimension limit for many-image requests",
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
			// Anthropic's 400 for a model the login or key may not use.
			"Invalid model name",
			// Claude Code's own words for a model the API did not serve.
			"There's an issue with the selected model",
			"It may not exist or you may not have access to it",
		},
		Patterns: []string{"was not found. Did you mean", "is not available. Please use",
			// OpenRouter's for a name it does not list (its ids differ from
			// Anthropic's: anthropic/claude-opus-4.5).
			"is not a valid model ID"},
		Causes: []string{
			"a typo or an invented name (claude-3-5-sonnet-2024-10-22, sonnet4)",
			"a provider prefix sent as part of the name (anthropic:claude-…)",
			"a retired model, or one your organisation or plan has no access to (a login that has not picked up a plan change says \"Invalid model name\" until /logout and /login)",
			"a base URL (Ollama, a gateway) that does not serve the model Claude Code asks for",
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
		// The same mismatch of a server tool's blocks ("unexpected
		// `tool_use_id` found in `advisor_tool_result` blocks … must have a
		// corresponding `server_tool_use` block").
		Patterns: []string{"Each `tool_use` block must have a corresponding `tool_result` block", "unexpected `tool_use_id` found in",
			"`tool_use` ids were found without"},
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
			// Not requestFix: the filter is not deterministic, so the same
			// request may pass when retried.
			"This is about the request, not an outage and not your key: the filter's judgement, which the same request may or may not pass again.",
			"Retry once (it is not deterministic); rephrase or split the task so the answer differs.",
			"If it blocks ordinary work repeatedly, report it with the request-id (/bug in Claude Code).",
		},
		Confirm: "nothing to confirm live: it is a judgement on this output",
	},
	{
		ID: EntryPDF, Title: "PDF not accepted", Side: SideRequest, Group: GroupRequest, Class: probe.ClassUnknown,
		What:     "A PDF in the request could not be read: over 100 pages or 32 MB, password protected, or damaged. It stays in the conversation, so every later message fails the same way until it is removed.",
		Statuses: []int{400, 413}, Types: []string{"invalid_request_error"},
		Signatures: []string{
			"Could not process PDF",
			"The PDF specified is password protected",
			"A maximum of 100 PDF pages may be provided",
			"PDF too large",
			"The PDF specified was not valid",
		},
		Patterns: []string{"pdf.source.base64", "PDF pages may be provided", "password protected"},
		Causes: []string{
			"a PDF over 100 pages or 32 MB, or with a password",
			"a scanned or damaged PDF the API cannot parse, sometimes one within the documented limits",
			"the PDF read earlier in the session, sent again with every message",
		},
		Fix: []string{
			requestFix,
			"Split the PDF (100 pages or fewer), remove its password, or convert it to text or images first.",
			"In Claude Code, double press Esc to edit the message that added it, or /clear (a new session): the PDF stays in the conversation otherwise.",
		},
		Confirm: "nothing to confirm live: the API answers; the PDF is what it refused",
	},
	{
		ID: EntryOutputTooLong, Title: "Response over the output token limit", Side: SideRequest, Group: GroupRequest, Class: probe.ClassUnknown,
		What: "The model's answer reached the most output tokens the request allowed, so it was cut off: a long single answer (a whole file at once), not an outage.",
		Signatures: []string{
			"response exceeded the 32000 output token maximum",
			"output token maximum",
			"CLAUDE_CODE_MAX_OUTPUT_TOKENS",
		},
		Patterns: []string{"exceeded the output token", "output token limit", "stop_reason: max_tokens", `"stop_reason":"max_tokens"`},
		Causes: []string{
			"one answer asked to hold too much: a large file written in one go, a long report",
			"a max_tokens (CLAUDE_CODE_MAX_OUTPUT_TOKENS in Claude Code) lower than the task needs",
		},
		Fix: []string{
			requestFix,
			"Ask for the work in smaller pieces (one file or section per turn).",
			"In Claude Code, set CLAUDE_CODE_MAX_OUTPUT_TOKENS higher, up to the model's output maximum; in your own code, raise max_tokens (with streaming).",
		},
		Confirm: "nothing to confirm live: the API answered; the answer was longer than allowed",
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
			// The body the client sent is not JSON (a lone surrogate in
			// a huge conversation): its bug, not a challenge page.
			"The request body is not valid JSON",
			// The SDKs' own refusal before sending a non-streaming request
			// with a large max_tokens: nothing reached the API (Claude Code
			// has shown it as "API Error: 500 …").
			"Streaming is required for operations that may take longer than 10 minutes",
			"Streaming is strongly recommended for operations that may take longer than 10 minutes",
			"cannot both be specified for this model",
		},
		Patterns: []string{"The parameter max_tokens", "Field required", "Extra inputs are not permitted",
			"text content blocks must", "cache_control cannot be set", "Input should be greater than or equal to",
			"Input should be less than or equal to", "budget_tokens:",
			// Bedrock's and Anthropic's own words for a history the client
			// built wrong or altered.
			"must alternate between user and assistant", "blocks in the latest assistant message cannot be modified",
			"The maximum tokens you requested exceed",
			// A beta header the account or model does not have.
			"beta is not yet available for this",
			"for the `anthropic-beta` header", "for the anthropic-beta header",
			// Bedrock's for a body without the Messages API's fields.
			"Malformed input request",
			// A tool's schema (an MCP server's) in a dialect the API does
			// not take: it validates JSON Schema 2020-12 only.
			"supports JSON Schema 2020-12 only", "JSON Schema draft 2020-12"},
		Causes: []string{
			"max_tokens above the model's output limit, or not above the thinking budget",
			"a large max_tokens without streaming: the SDK refuses it itself, before sending anything",
			"a client, plugin or gateway sending a field the API does not take, or leaving out a required one",
			"a model routed by a gateway to another model with other limits",
			"a tool's schema (often an MCP server's) in a JSON Schema dialect other than 2020-12, or with keywords the API does not take",
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
		Targets: []probe.Target{probe.TargetCode}, Locals: []string{probe.CheckCodeAuth},
	},
	{
		ID: EntryCodeNotLoggedIn, Title: "Claude Code not logged in", Side: SideYours, Group: GroupCode, Class: probe.ClassAuth,
		What: "Claude Code has no login and no key to use.",
		Signatures: []string{
			"Not logged in · Please run /login",
			"require authentication with a Claude.ai account",
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
		Targets: []probe.Target{probe.TargetCode}, Locals: []string{probe.CheckCodeAuth, probe.CheckCodeLogin},
	},
	{
		ID: EntryKeychain, Title: "Claude Code could not use the macOS Keychain", Side: SideYours, Group: GroupCode, Class: probe.ClassUnknown,
		What: "Claude Code keeps its login in the macOS Keychain, and the security command it runs to read or write it failed: a local store on this Mac, not Claude's service.",
		Signatures: []string{
			"macOS Keychain is not writable",
			"security find-generic-password",
			"security add-generic-password",
			"The specified item could not be found in the keychain",
			"The specified item already exists in the keychain",
			"User interaction is not allowed",
		},
		Patterns: []string{"SecKeychain", "-generic-password", "Claude Code-credentials"},
		Causes: []string{
			"the keychain is locked: over SSH, in tmux started before login, in a launchd or cron job",
			"an old \"Claude Code-credentials\" entry that the new login collides with, or one another user or install wrote",
			"a keychain that is damaged or not the default one",
		},
		Fix: []string{
			"Over SSH or in a job, unlock it first: security unlock-keychain ~/Library/Keychains/login.keychain-db",
			"Remove the stale entry in Keychain Access (search \"Claude Code\") or with security delete-generic-password -s \"Claude Code-credentials\", then /login again.",
			"Where no keychain can be unlocked, use a long-lived token instead: claude setup-token, then CLAUDE_CODE_OAUTH_TOKEN.",
		},
		Confirm: "Local checks: claude auth status; nothing outside this Mac sees the keychain",
		Targets: []probe.Target{probe.TargetCode}, Locals: []string{probe.CheckCodeAuth, probe.CheckCodeLogin},
	},
	{
		ID: EntryLoginCode, Title: "Login code not accepted", Side: SideYours, Group: GroupCode, Class: probe.ClassAuth,
		What: "Claude Code's /login did not accept the code pasted back from the browser: the code was cut, mistyped, already used or expired — the login, not Claude's service.",
		Signatures: []string{
			"Invalid code. Please make sure the full code was copied",
			"OAuth error: Invalid code",
			"Auth error: Invalid code",
		},
		Patterns: []string{"full code was copied"},
		Causes: []string{
			"only part of the code pasted (a terminal that wraps or cuts long pastes), or the email's short code instead of the page's long one",
			"the code used once already, or pasted after it expired",
			"the browser and the terminal on different machines or accounts (ssh, a remote host)",
		},
		Fix: []string{
			"Run /login again and paste the whole code from the browser page at once (no line breaks); in tmux or over ssh, paste with the terminal's own paste.",
			"Use the new code promptly: each is good once and for minutes.",
			"On a remote host where pasting fails, use `claude setup-token` on your own machine and set CLAUDE_CODE_OAUTH_TOKEN there.",
		},
		Confirm: "Local checks: claude auth status --json",
		Targets: []probe.Target{probe.TargetCode}, Locals: []string{probe.CheckCodeAuth, probe.CheckCodeLogin},
	},
	{
		ID: EntryMCP, Title: "An MCP server or extension failed", Side: SideYours, Group: GroupCode, Class: probe.ClassUnknown,
		What: "A local MCP server (or a Claude Desktop extension) stopped, would not start, or could not be reached: a program on your machine, not Claude's service — the chat works without it.",
		Signatures: []string{
			"Could not attach to MCP server",
			"Server disconnected. For troubleshooting guidance",
			"Unable to connect to extension server",
			"Server transport closed unexpectedly",
			"MCP server failed to start",
			"Server disconnected. Transport closed unexpectedly",
		},
		Patterns: []string{"MCP server", "modelcontextprotocol.io/docs/tools/debugging", "MCP error -32000", "Connection closed"},
		Wrappers: []string{"Connection closed"},
		Causes: []string{
			"the server's command is not found (node, npx, uvx or python not on the PATH the app starts it with)",
			"the server crashed at start: a missing dependency, a wrong argument or path in its config",
			"an extension that needs reinstalling after an update",
		},
		Fix: []string{
			"Run the server's command from its config by hand in a terminal: its own error says what is missing.",
			"Use full paths in the config (`which node`, `which npx`); GUI apps do not see your shell's PATH.",
			"Read its log (Claude Desktop: ~/Library/Logs/Claude/mcp*.log on macOS, %APPDATA%\\Claude\\logs on Windows; Claude Code: claude --debug, /mcp).",
			"Disable and re-enable the extension, or reinstall it.",
		},
		Confirm: "nothing to confirm live: our probes do not start MCP servers; Claude answers without them",
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
		Locals:  []string{probe.CheckCredential, probe.CheckOverride},
	},
}
