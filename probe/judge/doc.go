// Package judge decides the verdict — is Claude down, or is it me? — from
// what downforai observed: the status page, our probes, the local checks.
// Every sentence it returns is a fact we observed, with its age and
// source, or an inference that says so.
//
// # The evidence
//
// The status page is a fact only while its last read is fresher than the
// stale limit and the page is Claude's (page id tymt9n04zgry): fresh.
// Otherwise it is unreadable since the first failed read ("HTML
// challenge", "timed out"), stale ("last read 14:02 UTC (6 min ago)"),
// foreign ("not Claude's status page (GitHub)") or none, and what it said
// no longer drives the verdict. A component a counting page does not list
// is "not on the status page", never operational.
//
// Each probe's result is sorted by who it points at: up (ok or slow);
// Anthropic's side (529, a 5xx or 504 from Anthropic, a timeout or reset
// after the connection and TLS were made, an unexpected answer from
// Anthropic); unreachable (refused, or reset or timed out before
// connecting: Anthropic or a firewall); someone else answered (a proxy's
// 407, a gateway's, a captive portal's or a filter's page — the path, not
// Anthropic); a local fault (DNS, TLS interception, the proxy, no route);
// your account (401, 403, 429, credit, disabled on the key probe); the host
// rate-limiting this address (a 429 without a credential), or likely
// Anthropic limiting requests (a bare 429 "Rate limited" on the key while
// its anthropic-ratelimit headers show room: a 429 is the key's own limit
// when those headers show it used up, or the API's words name it).
//
// Stable, not sluggish: a target's state moves to a new failure when two
// probes in a row show it, and back to up after --recover-threshold
// successes in a row; the first result counts at once. A recovery holds
// once the target has answered twice --recover-threshold times in a row: a
// failure of the kind it recovered from before that is that failure
// again, at once — "Claude API failing again from here (529 overloaded; 2
// answers in a row from 14:01:05 UTC did not hold)" — and the detector
// takes its incident back (relapse_test.go). While a failure
// is held so and the newest probes already succeed, the sentence says so
// — "Claude API answering again after 529 overloaded (recovering: the
// newest probe succeeded; all clear after 2 in a row)", others "Recovering:
// …" — never "failing from here" beside a fresh 200; of two equally bad,
// the one failing now leads (recovering_test.go). A target whose
// last 12 probes took turns failing and succeeding (three flips or more,
// still mixed in the newest half) is unstable: one verdict, not a flicker.
// A gap longer than the stale limit between two results of a target (a
// restart, a machine asleep) starts its judgement afresh: the results
// before it neither hold a failure nor make it unstable (afterGap; not the
// canaries, asked minutes apart).
// A target refused the credential or quota in its newest results (as many
// as end a failure) is not unstable but refused: the refusal is what every
// request meets now. An unstable target that answers now ranks below a
// refusal of another (a 429 on the key after a blip is the user's quota).
//
// # The decision (first row that matches; services are judged one by one,
// the worst leads)
//
// Of two equally bad, the one the page says worse of leads, then the more
// severe failure (529 before 503); the headline then names what else fails
// from here, each with its own evidence ("Also failing from here: Claude
// (claude.ai) (503 server error; partial outage on the status page)").
//
//	every HTTP probe fails at the network level        → Your network (local_network)
//	  (every one a timeout or reset after connect and TLS: "Likely your network or a proxy on the path", with why)
//	that, then some hosts answer again and the others    → Your network (local_network), "…, recovering: hosts answer again since …;
//	  were not probed since, or answered fewer than        the Claude API not probed again yet" or "; all clear after 2 answers
//	  --recover-threshold times (their last failure is     in a row from claude.ai" — never Not yet acknowledged on the path's
//	  the path's, from before it came back)                old timeouts (path_test.go)
//	every host answers, the status page too, all slow   → Your network (local_network): "Likely your network or a proxy on the path:
//	  (over the latency budget, 3 s; nothing worse)        every Anthropic host and the status page answer, but slowly (claude.ai 5 s, …)"
//	a URL set by the user that is not the API's         → Your configuration (local_config): a 404 at /v1/models or /v1/messages
//	  under a base URL other than https://api.anthropic.com ("the API URL ends in /v1, so we asked /v1/v1/models … — drop
//	  the /v1"; any other 404 there "Likely your configuration" only when a canary's /v1/messages got 404 there too),
//	  or a configured host that is not Anthropic's not resolving while other hosts answer ("Likely your
//	  configuration: … does not resolve (no such host) …"); not while a canary's /v1/messages answers under the same
//	  URL (a gateway that lists no models: said as a fact); or the connection to the API URL the user set refused:
//	  "nothing listens at ANTHROPIC_BASE_URL (127.0.0.1:4000): connection refused … — is your gateway running?"
//	  ("Likely …, a firewall" too when the host is another machine's); or the connection to a --claude-url the user
//	  set on this machine or its network refused: "nothing listens at --claude-url (127.0.0.1:4001) … — claude.ai
//	  itself was not asked"
//	a gateway's URL 404s at /v1/models, /v1/messages     → Unknown (unknown, exit 3): "Not known whether the Claude API answers through the
//	  not asked there (no canary)                         API URL …: it answers 404 Not Found at /v1/models while … answer — a gateway
//	                                                      that does not list models, or a wrong URL; we did not see the API fail …" —
//	                                                      neither blame nor all clear; a canary's own failure there (529) leads instead
//	a gateway you set asks for its own key, relays      → the probe with the key decides: Operational on its 200; on its 529 Not yet acknowledged / Anthropic outage
//	  (a keyless 401 not in Anthropic's words under         as for Anthropic's side: "… (529 overloaded, as the gateway at ANTHROPIC_BASE_URL,
//	  an API URL the user set: the gateway answers)         http://…, reports)", "Likely" when in the gateway's words (no request-id)
//	that gateway's keyless 401, and no key set          → Unknown (unknown, exit 3): "Not known whether the Claude API answers through the
//	  (nothing asked the API through it)                  gateway at ANTHROPIC_BASE_URL (…): it asks for a key of its own (401 …) and no
//	                                                      ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN is set …" — never All clear; what the
//	                                                      page reports of the API (a major outage) still leads
//	someone else answered, or DNS/TLS/proxy/no route    → Your network or proxy (local_network), saying who answered
//	  (also while the page reports an outage of that service: a block page is the path, never Anthropic's incident nor linked to it;
//	  one name not resolving while the others answer is the resolver's fact: "Your DNS resolver cannot resolve api.anthropic.com
//	  (no such host) while … answer — likely your resolver or a DNS filter"; every host's name failing: "Your network's DNS: no
//	  Anthropic name resolves here, nor the status page's (…)")
//	unstable, answering now, another target refused now → Your credential / Your quota or billing (the refusal, not the blip)
//	unstable, two failures in three or more (window and → Not yet acknowledged (unacknowledged) / Failing from here (failing) / Anthropic
//	  its newest half), Anthropic's side                   outage, as Anthropic's side failing: "… failing from here most of the time
//	                                                      (9 of 12 probes in the last minute failed: 529 overloaded)" (view.mostly)
//	unstable                                            → Degraded: "Unstable: N of M … probes in the last 6 min failed (529 …)"
//	Anthropic's side, page fresh, component in maintenance → Maintenance: "errors expected on … until 16:00 UTC"
//	Anthropic's side, page fresh and acknowledges it    → Anthropic outage (outage)
//	  (component degraded, partial or major, an open incident naming it, or the page showed a problem during this failure and shows none now)
//	Anthropic's side, page fresh, component operational → Not yet acknowledged (unacknowledged)
//	Anthropic's side, page unreadable, stale, foreign, or component not on it → Failing from here (failing)
//	unreachable while other hosts answer                → Unreachable from here (unreachable): Anthropic or a firewall
//	  (the gateway at the API URL the user set answering a 5xx of its own: "… unreachable through the gateway at
//	  ANTHROPIC_BASE_URL (http://…): it answered 500 … (envoy): "upstream connect error …" … — likely its upstream failed")
//	  (that gateway taking the connection, then resetting it or not answering: "… unreachable through the gateway at
//	  ANTHROPIC_BASE_URL (http://…): connection reset by peer, after connecting, … — likely the gateway or its upstream …")
//	  (the proxy's 5xx to CONNECT for that host: "… through your proxy (the proxy could not reach it: 502 …): Anthropic's host or the
//	  proxy's route to it"; its 5xx or 407 to every host is the proxy's, said with its answer and the fix: "Your proxy at …")
//	your account: 401/403 on the credential probed      → Your credential (local_credential)
//	  (the gateway at the API URL the user set refusing it in its own words: "the gateway at ANTHROPIC_BASE_URL (http://…) rejects …")
//	your account: 429 (its limit used up), credit, disabled → Your quota or billing (local_quota)
//	  (a 429 or refusal with Retry-After counts at once, the first of its kind: no second probe can come sooner)
//	  (either, with the page fresh and an outage or open incident on it: "Also, Anthropic reports Claude API as major outage (incident: …)")
//	host rate-limits this address; a bare 429 on the key with room; the local CLI fails → Degraded ("likely Anthropic limiting requests"; "Your Claude Code install: `claude --version` failed (…)")
//	probes up, page fresh, component partial or major   → Conflicting; the newest probe failed once → Anthropic outage: it agrees
//	                                                      with the page ("… failing from here (529 overloaded; the newest probe, after
//	                                                      successes) — acknowledged …"), never "but our probes succeed" (cold6 E1)
//	probes up, page fresh, component in maintenance     → Maintenance
//	probes slow, or page fresh and component degraded   → Degraded
//	probes up, Claude Code's own login missing/expired  → Your credential
//	probes up, the newest one failed once               → Operational: "One failure, not yet a verdict: the newest Claude API probe failed (529 overloaded) after successes — a second failure in a row changes the verdict; …"
//	probes up, page fresh and operational               → Operational: "All clear: our probes succeed and Anthropic reports no problem."
//	  … the page reporting a problem only elsewhere      → Operational: "… no problem with what we probe; elsewhere it reports <what>."
//	probes up, page not fresh                           → Operational: "Claude answers from here; the status page could not be read since …"
//	                                                      (its last good read's problem with its age: "; when last read, 13:56 UTC (6 min ago), it reported Claude API as major outage")
//	probes up, the newest read failed, the last good one still counts → Operational: "Claude answers from here; the status page could not be read (not status JSON)", what it said given as that read's ("last read 14:00 UTC, 1 min ago"; check: "operational (read 14:00:40)")
//	nothing of ours answered yet                        → Unknown: "Checking…"
//
// Claude Code's every call goes to the Claude API: while our probes see the
// API failing from here, Claude Code takes the API's verdict when it is
// worse than its own (or as bad as what only the page said of it), never
// "Operational" because `claude --version` works: "Claude Code: CLI
// installed 2.0.50; the Claude API it calls is failing from here (529
// overloaded)", said "(via the Claude API)" beside its verdict.
//
// Claude Code's own sessions (their calls, read from its transcripts) are
// one more input for Claude Code, judged against the Claude Code and
// Claude API components together: a call is a current fact for
// SessionsFresh; the newest failed call counts at once until
// --recover-threshold calls succeed after it; a network failure or a
// refused request is said beside the verdict, never in it; a session that
// worked never contradicts the page.
//
//	one call (its retries folded in) failed so, our probes pass      → Degraded: "Likely brief: one Claude Code call failed (529 overloaded) at 14:01:50 UTC (10 s ago) while our probes succeed; …" — an observation, not an outage
//	  (or our API probe failing on this machine's side: it cannot compare, and the live local failure leads)
//	sessions get 529/5xx only before our API probe's live local failure began → that failure leads (Your network): live beats older;
//	  "Earlier, your Claude Code sessions got 529 overloaded (…), before our API probe's failure here began at 14:01:20 UTC."
//	  — a session call answered since: "Claude Code's own calls reach it: … — likely it resolves the name another way …"
//	  (two failed calls since it began: Claude Code reached the API, they lead: "…; our API probe cannot reach the API from here to compare (…)")
//	sessions get 529/5xx, page fresh, neither component acknowledges → Not yet acknowledged: "your Claude Code sessions get 529 overloaded (3 in the last 15 min, the last …) while our API probe answers"
//	sessions get 529/5xx, the page acknowledges, or maintenance, or unreadable → Anthropic outage / Maintenance / Failing from here, as for a probe
//	sessions hit the usage limit (or a 429, said "likely")            → Your quota: "Your plan's limit: … while the API answers, not an outage"
//	sessions get 401                                                   → Your credential: "Claude Code's login is refused … — run /login"
//	  … with a key in effect here (Local checks)                      → an OAuth refusal: "those sessions ran on your Claude login, not on the KEY …"; "invalid x-api-key": "your sessions' key is refused"; else "Likely … that key"
//	sessions hit the usage limit, credit or 401 while our API probe fails → Your quota / Your credential: the refusal's own words name the account, so it leads: "… while our API probe fails too. Also failing from here: Claude API (529 overloaded; not yet acknowledged)."
//	sessions get 529/5xx, our key probe refused now (401, 403, 429, billing) → Your credential / Your quota: the live refusal leads, the sessions' failure said beside it
//	the sessions' calls read back from the database                    → the same: every call of SessionsFresh counts, whatever the probe intervals' horizon
//	  (either, and Claude Code's own login missing or expired, with the page fresh and an outage or open incident on it: "Also, Anthropic reports …")
//
// Live results beat heuristics: a credential that just got 200 is never
// "invalid"; the key format check is a note under Local checks and a fact
// beside a rejection, never its cause.
//
// # Our own incidents
//
// The Detector counts, per target, consecutive failures of one side —
// Anthropic's (provider), yours (credential, quota, the local CLI) or the
// network — and opens an incident after FailThreshold of them (3), one per
// subject ("provider:api" for the API's two targets together,
// "yours:api_key" for a refused credential, "yours:api_key:quota" for its
// quota or billing, "yours:api_key:path" for a proxy, a block page or a
// URL answering in Anthropic's place — three troubles, three incidents —
// "network" when every HTTP target fails at the network
// level at once, which also absorbs open network incidents). A network
// failure of one host while others answer is Anthropic's when it is a
// timeout or reset, yours otherwise. A target unstable by the verdict's
// rule (watch over the same Window) opens one too, though it never failed
// three times in a row ("Claude API: unstable, overloaded (529)"); its
// title follows the banner's view of its targets (followNow): "was
// unstable, now overloaded (529)" once they fail one way, again and again
// (the banner's "failing from here"), "unstable, then …" once closed. An
// incident closes when every target that failed in it has had
// RecoverThreshold (2) results in a row that are not failures of its
// subject and none is unstable: recovered when those answered, superseded
// (Became: "Claude API: unreachable (refused)") when some failed another
// way. The network-wide one whose every failure came after connect and
// TLS is titled as the verdict says it: "Likely your network or a proxy
// on the path".
//
// Correlate links one of ours to the official incident or maintenance
// that names one of its components and overlaps it in time, widened by 30
// minutes; a real overlap beats one within the grace, then the one posted
// closest to our first failure; while ours goes on, one still open beats
// one that has ended. A network-wide incident is never linked.
package judge
