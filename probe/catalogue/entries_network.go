package catalogue

import "downforai/probe"

// networkEntries are the problems of the path between you and Anthropic.
var networkEntries = []Entry{
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
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{probe.CheckDNS},
	},
	{
		ID: EntryTLS, Title: "TLS interception or certificate problem", Side: SideNetwork, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "The certificate presented for the API was not trusted: usually a corporate proxy or security software re-signing HTTPS with its own authority.",
		Signatures: []string{
			"self-signed certificate in certificate chain",
			"Self-signed certificate detected",
			"unable to get local issuer certificate",
			"unable to verify the first certificate",
			"does not match certificate's altnames",
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
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{probe.CheckProxy, probe.CheckClock},
	},
	{
		ID: EntryConnection, Title: "Connection refused or reset", Side: SideEitherSide, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "No connection to the API could be made, or it was reset before an answer — a break at the network level between this machine and the host: the text says it broke, not who broke it; the live probes tell whether it is this machine's path or Anthropic.",
		Signatures: []string{
			"Unable to connect to API (ECONNREFUSED)",
			"API Error: Unable to connect to API (ECONNRESET)",
			"Unable to connect to API (ConnectionRefused)",
			"API Error (Connection error.)",
			"TypeError (fetch failed)",
			"Connection refused — a firewall or proxy may be blocking it",
			"Client network socket disconnected before secure TLS connection was established",
			// claude.ai's, when the browser lost its connection to it.
			"A network error occurred. Please check your connection and try again.",
			"Can't reach Claude",
		},
		// "Failed to fetch" is a browser's or Electron app's fetch that got
		// no answer: a loose word, below any code that says why.
		Patterns: []string{"unable to connect to api", "connection refused", "connection error", "fetch failed", "Failed to fetch", "connection was reset",
			"connection reset by peer", "connection reset", "ConnectionResetError", "forcibly closed by the remote host",
			"network is unreachable", "curl: (7)", "Couldn't connect to server"},
		Codes: []string{"ECONNREFUSED", "ECONNRESET", "WSAECONNRESET", "ConnectionRefused", "FailedToOpenSocket", "EHOSTUNREACH", "ENETUNREACH",
			"EBADF", "SSL_ERROR_SYSCALL", "APIConnectionError", "ConnectError",
			// Chrome's and Electron's (Claude Desktop) for a connection a
			// proxy or middlebox broke.
			"ERR_QUIC_PROTOCOL_ERROR", "ERR_HTTP2_PROTOCOL_ERROR", "ERR_CONNECTION_RESET", "ERR_CONNECTION_CLOSED"},
		// Claude Code, the SDKs, undici and httpx write these around the
		// cause (Node's code, a certificate error, a proxy's status).
		Wrappers: []string{"Connection error", "fetch failed", "Unable to connect to API", "ConnectError"},
		Causes: []string{
			"a firewall, VPN or security software blocking or resetting connections to api.anthropic.com",
			"a region or network where api.anthropic.com is not reachable without a proxy",
			"ANTHROPIC_BASE_URL or a proxy pointing at a host and port where nothing listens (localhost inside a container)",
			"Anthropic's edge failing during an incident",
		},
		Fix: []string{
			"Look at Live signals: if downforai reaches Anthropic from here, the failing program likely takes another path; with ANTHROPIC_BASE_URL or --api-url set, the probes reach that gateway, not Anthropic.",
			"Allow api.anthropic.com (160.79.104.0/23) in the firewall; retry without VPN, or with the VPN in TUN mode if you need it.",
			"Check ANTHROPIC_BASE_URL and the proxy settings in Local checks.",
		},
		Confirm: "the probes of each host: refused, reset or connect failures; whether the status page and the other hosts still answer (one host failing is that host, or a firewall before it; all of them, your network)",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{probe.CheckProxy, probe.CheckBaseURL},
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
			"Connection lost mid-response",
			"request ended without sending any chunks",
			// claude.ai's, when the answer stopped arriving.
			"Claude's response was interrupted",
			// node-fetch's, for a body cut short.
			"Invalid response body while trying to fetch",
		},
		Patterns: []string{"read: connection reset by peer", "bad record MAC", "premature close", "Premature close", "stream was not closed cleanly",
			"Response payload is not completed"},
		Codes: []string{"UND_ERR_SOCKET", "EPIPE"},
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
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey}, Locals: []string{probe.CheckProxy},
	},
	{
		ID: EntryStreamUnparsed, Title: "Streamed answer could not be parsed", Side: SideEitherSide, Group: GroupNetwork, Class: probe.ClassUnexpected,
		What: "The client could not read an event of the streamed answer (server-sent events): something between the API and its parser changed or cut the stream, or the parser itself failed — the text does not say which.",
		Signatures: []string{
			"Could not parse message into JSON",
			"Could not parse Anthropic SSE event",
		},
		Patterns: []string{`"[DONE]" is not valid JSON`, "From chunk: [ 'event: "},
		Causes: []string{
			"a proxy or gateway in front of the API altering the stream: adding OpenAI's data: [DONE] line, buffering or re-chunking events",
			"an SDK version whose event parser broke on chunks split across reads (edge runtimes, some proxies): fixed in later releases",
			"rarely, the API sending a malformed event mid-stream",
		},
		Fix: []string{
			"Update the SDK or client: several of these were parser bugs fixed in later versions.",
			"If a gateway or proxy is on the path (ANTHROPIC_BASE_URL, HTTPS_PROXY), try once without it: an added [DONE] line or re-chunked events are its.",
			"If it persists with Anthropic's own URL and a current SDK, report it with the request-id.",
		},
		Confirm: "nothing to confirm live: downforai's probes do not stream; Local checks show the base URL and proxy in effect",
		Locals:  []string{probe.CheckProxy, probe.CheckBaseURL},
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
			"Compare with the live probes: if they are healthy, the delay is likely on your path or in the request itself.",
			"Use streaming for long requests, or raise API_TIMEOUT_MS.",
			"Try without VPN or proxy, or from another network.",
		},
		Confirm: "every probe: timeout failures and the slow phase (DNS, connect, TLS, first byte)",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetStatus, probe.TargetClaudeAI},
	},
	{
		ID: EntryProxyAuth, Title: "Proxy wants credentials (407)", Side: SideNetwork, Group: GroupNetwork, Class: probe.ClassNetwork,
		What:     "The HTTP proxy in the way answered 407: it needs a user name and password the program did not send. It is the proxy's answer: the request never reached Anthropic.",
		Whose:    "the proxy's answer, not Anthropic's: the proxy wants its own login",
		Statuses: []int{407},
		Signatures: []string{
			"407 Proxy Authentication Required",
			"Proxy Authentication Required",
			"CONNECT tunnel failed, response 407",
			"Received HTTP code 407 from proxy after CONNECT",
			"statusCode=407",
			"Proxy response (407)",
		},
		Codes: []string{"E407", "ERR_CACHE_ACCESS_DENIED"},
		Causes: []string{
			"HTTPS_PROXY without user:password for a proxy that requires them",
			"a proxy that only speaks NTLM or Kerberos, which Node and Claude Code cannot do",
			"no HTTPS_PROXY in effect: a transparent or corporate proxy on the path, or ANTHROPIC_BASE_URL pointing at a proxy",
		},
		Fix: []string{
			"Put the credentials in the proxy URL: HTTPS_PROXY=http://user:password@proxy:8080 (URL-encode special characters).",
			"For NTLM-only proxies, run a local bridge (cntlm, px) and point HTTPS_PROXY at it.",
			"If the environment sets no proxy the API's requests use, one on the path answered: ask the network's admin for its address and credentials and set HTTPS_PROXY to it, check ANTHROPIC_BASE_URL, or try another network.",
			"If you do not know the proxy's login, ask your IT for it (and whether it allows api.anthropic.com): it is the proxy's, not an Anthropic key.",
		},
		Confirm: "Local checks: proxy settings; probes failing with proxy",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{probe.CheckProxy},
		// No proxy the API's requests use: one on the path answered, so
		// that cause and fix first.
		Leads: []Lead{{Check: probe.CheckProxy, Finding: probe.CauseDirect, Cause: 2, Fix: 2}},
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
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{probe.CheckProxy},
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
		Locals:  []string{probe.CheckProxy},
	},
	{
		ID: EntryProxy, Title: "Proxy misconfigured or refusing", Side: SideNetwork, Group: GroupNetwork, Class: probe.ClassNetwork,
		What:  "The HTTP(S) proxy in the environment is unreachable, cannot be parsed, or refuses the tunnel to the API. What it answered is the proxy's answer, not Anthropic's: the request stopped at the proxy.",
		Whose: "the proxy's answer, not Anthropic's: the proxy between you and Anthropic refused or failed the request",
		Signatures: []string{
			"proxyconnect tcp",
			"Proxy connection ended before receiving CONNECT response",
			// Claude Code's login through an HTTP proxy it could not use.
			"Invalid IP address: undefined",
			"ERR_INVALID_IP_ADDRESS",
			"The requested URL could not be retrieved",
			"from proxy after CONNECT",
			"tunneling socket could not be established",
			"Tunnel connection failed",
			"CONNECT tunnel failed",
			"Cannot connect to proxy",
			"Unable to connect to proxy",
		},
		// undici: "Proxy response (403) !== 200 when HTTP Tunneling".
		// Squid's error page and headers (X-Squid-Error: ERR_ACCESS_DENIED 0).
		Patterns: []string{"ProxyError", "proxy refused", "when HTTP Tunneling", "X-Squid-Error", "(squid/"},
		Codes:    []string{"ERR_ACCESS_DENIED", "ERR_CONNECT_FAIL", "ERR_DNS_FAIL", "ERR_READ_TIMEOUT"},
		Causes: []string{
			"HTTPS_PROXY left over from another network, or a typo in it (a missing http://)",
			"a proxy that blocks api.anthropic.com or CONNECT to port 443",
			"NO_PROXY missing an internal gateway, or including api.anthropic.com by mistake",
		},
		Fix: []string{
			"Check HTTPS_PROXY, HTTP_PROXY and NO_PROXY in Local checks; unset them if you are not behind a proxy.",
			"Write the proxy as a full URL: http://proxy:8080.",
			"Ask whoever runs the proxy to allow CONNECT to api.anthropic.com:443.",
			"If the proxy needs a login, put it in the URL: HTTPS_PROXY=http://user:password@host:port (URL-encode special characters); ask your IT for the proxy's address and login.",
		},
		Confirm: "Local checks: proxy settings and reachability; probes failing with proxy",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI}, Locals: []string{probe.CheckProxy},
	},
	{
		ID: EntryIntermediary, Title: "An error from something in between", Side: SideEitherSide, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "An HTTP error without Anthropic's error body: Anthropic's API always answers errors with JSON naming a type, so this one likely came from a proxy, firewall or gateway on the way.",
		Signatures: []string{
			"upstream unreachable",
			"upstream connect error",
			"no healthy upstream",
			// Account-pool relays (claude-relay-service, sub2api): the
			// relay has no subscription account left to send with.
			"No available accounts",
		},
		Causes: []string{
			"a corporate proxy or firewall answering 5xx for a host it cannot or may not reach",
			"a local relay or gateway whose upstream failed",
			"rarely, Anthropic's edge failing before its servers answer",
		},
		Fix: []string{
			"Look at Live signals: if downforai gets normal answers from Anthropic, the error likely comes from your path.",
			"Check HTTPS_PROXY and ANTHROPIC_BASE_URL in Local checks; try once without them.",
			"Ask whoever runs the proxy or gateway for its logs; send Anthropic a request-id only if the error has one.",
		},
		Confirm: "API probes answer normally while the failing program's path does not; Local checks: proxy, base URL",
		Targets: []probe.Target{probe.TargetAPI, probe.TargetAPIKey}, Locals: []string{probe.CheckProxy, probe.CheckBaseURL},
	},
	{
		ID: EntryForbidden, Title: "403 Forbidden, not saying whose", Side: SideEitherSide, Group: GroupNetwork, Class: probe.ClassAuth,
		What:     "A 403 that says no more than the status: Anthropic refusing the credential or where the request came from, or a proxy, firewall or gateway on the way refusing it — the status alone does not tell which.",
		Statuses: []int{403},
		Signatures: []string{
			"403 Forbidden",
			"HTTP Error 403: Forbidden",
			"Request failed with status code 403",
		},
		// A 403 says the request was refused, not by whom or why: any
		// words that name it (Anthropic's permission_error, "Request not
		// allowed", a proxy's page) outrank these.
		Wrappers: []string{"403"},
		Causes: []string{
			"Anthropic refusing the credential: a key or login without access to this model, workspace or organisation — its answer is JSON with the type permission_error",
			"Anthropic refusing where the request came from: a country or region it does not serve, a VPN or cloud exit — its answer is JSON with the type forbidden, \"Request not allowed\"",
			"a proxy, firewall, WAF or gateway on the way refusing the request or the host — an HTML page, a proxy's name (squid, Zscaler, nginx), no JSON from Anthropic",
		},
		Fix: []string{
			"Paste the whole answer, not only the status: Anthropic's own 403 is JSON naming its type (permission_error: the key's access; forbidden, \"Request not allowed\": where the request came from); an HTML page or a proxy's name is that proxy's or firewall's.",
			"Compare with Live signals: if the key downforai probes with is answered from this machine, the failing program likely sends another credential or takes another path (its proxy, VPN, ANTHROPIC_BASE_URL).",
			"For the key: check its workspace and model access in the Claude Console. For the place: check where your traffic exits (anthropic.com/supported-countries).",
			"Check HTTPS_PROXY and ANTHROPIC_BASE_URL in Local checks, and try once without VPN or proxy: a 403 that goes away was the path's.",
		},
		Confirm: "API probe with your key from this machine: a 403 and the body it comes with (permission_error, forbidden, or a page that is not Anthropic's); Local checks: proxy, base URL",
		Targets: []probe.Target{probe.TargetAPIKey}, Locals: []string{probe.CheckProxy, probe.CheckBaseURL},
	},
	{
		ID: EntryGateway, Title: "Requests go to a gateway or relay, not Anthropic", Side: SideYours, Group: GroupNetwork, Class: probe.ClassUnexpected,
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
			// OpenRouter's, for a model with no endpoint that takes tools;
			// GitHub Copilot's for the provider behind it.
			"No endpoints found that support",
			"No endpoints found that can handle the requested parameters",
			// Vercel's edge, for a rewrite (a self-hosted relay) to a host
			// that does not resolve: the relay's address, not your DNS.
			"DNS_HOSTNAME_NOT_FOUND",
			"the upstream model provider",
			// A relay group that takes only Claude Code's requests.
			"this group only allows Claude Code clients",
			// A gateway with no route set up for Anthropic (Bifrost's).
			"failed to get config for provider",
			// A relay's own 404 for a path under a base URL that lacks
			// its prefix (/api): the route, not Anthropic's API.
			"Route /v1/messages",
			// A host name built from a setting left unset
			// (bedrock-runtime.undefined.amazonaws.com): the address, not DNS.
			".undefined.amazonaws.com", "://undefined", "://null/",
		},
		Causes: []string{
			"a gateway (LiteLLM, a relay, a corporate gateway) with its own keys, model names and limits",
			"a gateway set up for work still exported at home, or a local proxy that is not running",
			"a base URL that is a web site (https://www.anthropic.com) or lacks the https:// scheme",
			"a base URL ending in /v1 (https://api.anthropic.com/v1): Claude Code and the SDKs add /v1 themselves, so every request goes to /v1/v1/… and gets 404",
		},
		Fix: []string{
			"Check ANTHROPIC_BASE_URL in Local checks; unset it to talk to Anthropic directly.",
			"If the gateway is intended, its operator, not Anthropic, has the answer: the key, model name and limits are the gateway's.",
			"For a local gateway use http://127.0.0.1:PORT (not 0.0.0.0, not localhost inside a container).",
			"Drop a trailing /v1 from the base URL: it names the host (and a gateway's prefix), not the API version.",
		},
		Confirm: "Local checks: ANTHROPIC_BASE_URL; downforai probes the same base URL (--api-url defaults to it): a 404 at /v1/models there is the URL's",
		Locals:  []string{probe.CheckBaseURL},
	},
	{
		ID: EntryChallenge, Title: "Challenge page instead of an answer", Side: SideEitherSide, Group: GroupNetwork, Class: probe.ClassUnexpected,
		What: "A site answered with a bot check (Cloudflare \"Just a moment...\") instead of the page or JSON.",
		Signatures: []string{
			"Just a moment...",
			"Enable JavaScript and cookies to continue",
			"cf-mitigated: challenge",
		},
		// A parser choking on an HTML page ('<'), not on any text: Claude
		// Code failing to parse its own "API Error: …" line (Unexpected
		// token 'A', "API Error:"... is not valid JSON) is no page.
		Patterns: []string{"_cf_chl_opt", "Attention Required! | Cloudflare", "Unexpected token '<'", `"<!DOCTYPE "... is not valid JSON`,
			`"<html>"... is not valid JSON`, `"<!doctype "... is not valid JSON`},
		Causes: []string{
			"polling too often from one address (the status page's WAF)",
			"a VPN or datacenter IP that Cloudflare distrusts",
			"a captive portal or proxy answering instead of the real site",
		},
		Fix: []string{
			"Something in front of the site answered (Cloudflare, or a proxy or captive portal): likely not an outage of the site. Open it in a browser to pass the check.",
			"Poll less often (--status-interval 5m) or from another network.",
			"If the API itself answers HTML, a proxy or captive portal is in the way: see the proxy entries.",
		},
		Confirm: "Status page and claude.ai probes: unexpected (challenge)",
		Targets: []probe.Target{probe.TargetStatus, probe.TargetClaudeAI},
	},
	{
		ID: EntryBlocked, Title: "Blocked by Cloudflare in front of Anthropic", Side: SideNetwork, Group: GroupNetwork, Class: probe.ClassUnexpected,
		What: "Cloudflare, in front of claude.ai or Anthropic's API, refused this connection's address (error 1020, \"you have been blocked\"): not an outage, and not your account — a rule about where the request comes from.",
		Signatures: []string{
			"Sorry, you have been blocked",
			"You are unable to access claude.ai",
			"You are unable to access anthropic.com",
			"used Cloudflare to restrict access",
			"Error 1020",
			"Access denied | claude.ai",
			"Edge IP Restricted",
		},
		Patterns: []string{"error code: 1020", "error code: 1034", "The action you just performed triggered the security solution", "the site owner may have set restrictions"},
		Causes: []string{
			"a VPN, proxy, Tor or datacenter address that Anthropic's Cloudflare rules refuse",
			"a country or region Anthropic does not serve",
			"an address shared with many others (office NAT, mobile carrier) that tripped a rate rule; a browser extension sending odd requests",
		},
		Fix: []string{
			"Try once without VPN or proxy, or from another network (a phone's hotspot): a block that goes away was the address's.",
			"Check where your traffic exits against anthropic.com/supported-countries.",
			"If it persists on a plain home connection, send the Ray ID on the page to Anthropic support.",
		},
		Confirm: "claude.ai probe: 403 with Cloudflare's block page from this machine; Local checks: proxy",
		Targets: []probe.Target{probe.TargetClaudeAI, probe.TargetAPI}, Locals: []string{probe.CheckProxy},
	},
	{
		ID: EntryFetchCheck, Title: "WebFetch's domain check blocked", Side: SideNetwork, Group: GroupNetwork, Class: probe.ClassNetwork,
		What: "Before fetching a page, Claude Code asks claude.ai whether the domain is safe; that check could not reach claude.ai from here. The page itself was never asked, and Claude's API is not the problem.",
		Signatures: []string{
			"Unable to verify if domain",
			"is safe to fetch. This may be due to network restrictions",
			"is not allowed to be fetched",
		},
		Causes: []string{
			"a corporate proxy or filter (Zscaler, Netskope) or a VPN that blocks claude.ai while it lets api.anthropic.com through",
			"a firewall rule (Little Snitch, LuLu) for claude.ai",
		},
		Fix: []string{
			"Allow claude.ai through the proxy or filter (ask IT), or try off the VPN.",
			"Or turn the check off: the skipWebFetchPreflight setting of Claude Code, where your version has it and your policy allows it.",
		},
		Confirm: "claude.ai probe from this machine (it goes where the check goes); Local checks: proxy",
		Targets: []probe.Target{probe.TargetClaudeAI}, Locals: []string{probe.CheckProxy},
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
		Locals:  []string{probe.CheckClock},
	},
}
