package judge

import (
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// The decision table, one row per situation: the status page, the API,
// claude.ai, the credential and the network, and what the verdict must be.
// README's "How the verdict is decided" lists the same rows
// (TestREADMEListsTheTable holds them together).
type row struct {
	page, api, claude, cred, net string
	kind                         probe.VerdictKind
	says                         string   // the headline contains this
	never                        []string // and none of these
}

var table = []row{
	// Status page fresh, probes healthy.
	{"operational", "ok", "ok", "none", "ok", probe.VerdictOperational, "All clear: our probes succeed and Anthropic reports no problem", nil},
	{"operational", "ok", "ok", "good", "ok", probe.VerdictOperational, "All clear", nil},
	{"degraded", "ok", "ok", "good", "ok", probe.VerdictDegraded, "Anthropic reports Claude API as degraded performance; our probes succeed", nil},
	{"partial", "ok", "ok", "good", "ok", probe.VerdictConflicting, "Conflicting: Anthropic reports Claude API as partial outage, but our probes succeed", nil},
	{"major", "ok", "ok", "none", "ok", probe.VerdictConflicting, "Conflicting: Anthropic reports Claude API as major outage, Claude (claude.ai) as partial outage, but our probes succeed", []string{"Claude API as partial outage"}},
	{"maintenance", "ok", "ok", "good", "ok", probe.VerdictMaintenance, "under scheduled maintenance until", nil},

	// Status page not a current fact, probes healthy: never "Anthropic reports".
	{"unreadable_html", "ok", "ok", "good", "ok", probe.VerdictOperational, "Claude answers from here; the status page could not be read since 13:58 UTC (HTML challenge)", []string{"Anthropic reports", "All clear"}},
	{"unreadable_timeout", "ok", "ok", "none", "ok", probe.VerdictOperational, "could not be read since 13:58 UTC (timed out)", []string{"Anthropic reports"}},
	{"unreadable_503", "ok", "ok", "none", "ok", probe.VerdictOperational, "(503 Service Unavailable)", []string{"Anthropic reports"}},
	{"unreadable_garbage", "ok", "ok", "none", "ok", probe.VerdictOperational, "(not status JSON)", []string{"Anthropic reports"}},
	{"unreadable_huge", "ok", "ok", "none", "ok", probe.VerdictOperational, "(a body over 1 MiB)", []string{"Anthropic reports"}},
	{"unreadable_reset", "ok", "ok", "none", "ok", probe.VerdictOperational, "(connection reset)", []string{"Anthropic reports"}},
	{"stale_major", "ok", "ok", "none", "ok", probe.VerdictOperational, "the status page could not be read since 13:57 UTC (timed out); when last read, 13:56 UTC (6 min ago), it reported Claude (claude.ai) as partial outage, Claude API as major outage", []string{"Conflicting", "acknowledged"}},
	{"foreign", "ok", "ok", "none", "ok", probe.VerdictOperational, "not Claude's status page (GitHub)", []string{"Anthropic reports", "All clear"}},
	// The newest read failed while the last good one, 80 s ago, still counts
	// (cold3 C2): what it said is said as that read's, never as this round's.
	{"unreadable_once", "ok", "ok", "good", "ok", probe.VerdictOperational, "Claude answers from here; the status page could not be read (not status JSON)", []string{"Anthropic reports", "All clear"}},
	{"none", "ok", "ok", "none", "ok", probe.VerdictOperational, "the status page has not been read yet", []string{"Anthropic reports"}},

	// The API failing on Anthropic's side.
	{"operational", "529", "ok", "good", "ok", probe.VerdictUnacknowledged, "not yet acknowledged: Claude API failing from here (529 overloaded)", nil},
	{"operational", "500", "ok", "none", "ok", probe.VerdictUnacknowledged, "(500 server error)", nil},
	{"operational", "504", "ok", "good", "ok", probe.VerdictUnacknowledged, "(504 server error)", nil},
	{"operational", "timeout", "ok", "good", "ok", probe.VerdictUnacknowledged, "timed out after 2s, after connecting", []string{"Your network"}},
	{"operational", "reset", "ok", "good", "ok", probe.VerdictUnacknowledged, "connection reset by peer, after connecting", []string{"Your network"}},
	{"operational", "key_timeout", "ok", "good", "ok", probe.VerdictUnacknowledged, "Claude API failing from here", []string{"All clear", "partly"}},
	// The headline speaks for every service: the API at 529 and in major
	// outage leads, claude.ai's 503 is said as its own, not as the API's.
	{"major", "529", "503", "good", "ok", probe.VerdictOutage, "Claude API failing from here (529 overloaded) — acknowledged on the status page (Elevated errors for multiple models). Also failing from here: Claude (claude.ai) (503 server error; partial outage on the status page).", []string{"Claude API failing from here (503"}},
	{"partial", "500", "ok", "none", "ok", probe.VerdictOutage, "acknowledged on the status page", nil},
	{"degraded", "529", "ok", "good", "ok", probe.VerdictOutage, "acknowledged", nil},
	{"maintenance", "529", "ok", "good", "ok", probe.VerdictMaintenance, "Maintenance: errors expected on Claude API until", []string{"outage"}},
	{"unreadable_html", "529", "ok", "good", "ok", probe.VerdictFailing, "Claude API failing from here (529 overloaded); the status page could not be read since 13:58 UTC (HTML challenge), so we cannot say whether Anthropic has acknowledged it", []string{"not yet acknowledged"}},
	// What its last good read reported is said with its age, never as now.
	{"stale_major", "529", "ok", "good", "ok", probe.VerdictFailing, "so we cannot say whether Anthropic has acknowledged it; when last read, 13:56 UTC (6 min ago), it reported Claude (claude.ai) as partial outage, Claude API as major outage and Claude Code as partial outage.", []string{"acknowledged on"}},
	// The newest read failed, the last good one (80 s ago, under the stale
	// limit) still counts: said with its age (cold6 E5), never as current.
	{"major_unreadable_once", "529", "ok", "good", "ok", probe.VerdictOutage, "acknowledged on the status page (Elevated errors for multiple models). The status page as read 14:00:40 UTC (1 min ago); the newest read failed (timed out).", []string{"cannot say"}},
	{"unreadable_once", "529", "ok", "good", "ok", probe.VerdictUnacknowledged, "while the status page shows it operational. The status page as read 14:00:40 UTC (1 min ago); the newest read failed (not status JSON).", nil},
	{"foreign", "529", "ok", "none", "ok", probe.VerdictFailing, "not Claude's status page (GitHub)", nil},
	// A page of Claude's that does not list the component: failing, saying so ("; , so" stood there).
	{"not_listed", "529", "ok", "good", "ok", probe.VerdictFailing, "Claude API failing from here (529 overloaded); the status page does not list Claude API, so we cannot say whether Anthropic has acknowledged it.", []string{"not yet acknowledged", "Claude API as operational", "; ,"}},
	{"flap", "flap", "ok", "good", "ok", probe.VerdictDegraded, "Unstable: 12 of 24 Claude API probes with and without your key in the last minute failed (529 overloaded)", nil},
	// Failing three times in four, answering now and then: failing, not
	// Degraded (cold walk of Dec 7: "Unstable: 19 of 24 … failed", exit 1).
	{"operational", "flap_mostly", "ok", "good", "ok", probe.VerdictUnacknowledged, "Anthropic problem, not yet acknowledged: Claude API failing from here most of the time (9 of 12 probes in the last minute failed: 529 overloaded) while the status page shows it operational", []string{"Unstable", "Degraded"}},
	{"unreadable_html", "flap_mostly", "ok", "good", "ok", probe.VerdictFailing, "Claude API failing from here most of the time (9 of 12 probes in the last minute failed: 529 overloaded); the status page could not be read", []string{"Unstable"}},
	// A key refused now after a blip of the API is the user's quota, not
	// "Unstable" (cold3 C1): the refusal is what every request meets now.
	{"operational", "blip_then_429", "ok", "good", "ok", probe.VerdictLocalQuota, "Your quota or billing", []string{"Unstable"}},

	// One host failing while the others answer: not "your network".
	{"operational", "refused", "ok", "good", "ok", probe.VerdictUnreachable, "Claude API unreachable from here (connection to api.anthropic.com refused) while Claude (claude.ai) and the status page answer: Anthropic or a firewall between you", []string{"Your network"}},
	{"major", "refused", "ok", "good", "ok", probe.VerdictUnreachable, "Claude API unreachable from here (connection to api.anthropic.com refused) while Claude (claude.ai) and the status page answer: Anthropic or a firewall between you. Also, Anthropic reports Claude API as major outage", []string{"Your network"}},
	{"operational", "ok", "503", "good", "ok", probe.VerdictUnacknowledged, "Claude (claude.ai) failing from here (503 server error)", nil},
	// The page's problem is the API's: no acknowledgment of claude.ai's 503.
	{"partial", "ok", "503", "good", "ok", probe.VerdictUnacknowledged, "Claude (claude.ai) failing from here (503 server error) while the status page shows it operational", []string{"reported a problem during it and now shows none"}},
	// claude.ai limiting this address: that host's, not the user's account.
	{"operational", "ok", "429", "none", "ok", probe.VerdictDegraded, "claude.ai", []string{"Your quota", "Your network"}},
	{"operational", "ok", "unreachable", "none", "ok", probe.VerdictUnreachable, "Claude (claude.ai) unreachable from here", []string{"Your network"}},
	// Nothing listens at the loopback --claude-url the user set (issue
	// 19): claude.ai was not asked, no firewall sits on loopback.
	{"operational", "ok", "local_refused", "none", "claude_local", probe.VerdictLocalConfig, "Your configuration: nothing listens at --claude-url (127.0.0.1:4001): connection refused while Claude API and the status page answer — claude.ai itself was not asked; start what should answer there, or point --claude-url at it (https://claude.ai when unset).", []string{"Anthropic or a firewall", "Your network", "unreachable from here"}},
	{"major", "ok", "local_refused", "none", "claude_local", probe.VerdictLocalConfig, "nothing listens at --claude-url (127.0.0.1:4001): connection refused", []string{"Anthropic or a firewall", "Your network"}},
	// The proxy could not reach the API host while it tunnels claude.ai and
	// the status page: the host or the proxy's route to it, never "your
	// network" (it carries the others) nor an Anthropic problem (the proxy
	// answered, Anthropic was not asked).
	{"operational", "proxy_502", "ok", "good", "proxy_api_502", probe.VerdictUnreachable, "Claude API unreachable from here through your proxy (the proxy could not reach it: 502 Bad Gateway to CONNECT api.anthropic.com:443; squid/5.7) while Claude (claude.ai) and the status page answer: Anthropic's host or the proxy's route to it.", []string{"Your network", "Your proxy", "Anthropic problem", "firewall"}},
	{"major", "proxy_502", "ok", "good", "proxy_api_502", probe.VerdictUnreachable, "Anthropic's host or the proxy's route to it. Also, Anthropic reports Claude API as major outage", []string{"Your network", "Your proxy"}},
	{"operational", "ok", "reset", "none", "ok", probe.VerdictUnacknowledged, "Claude (claude.ai) failing from here (connection reset by peer, after connecting)", []string{"Your network"}},

	// Someone else answered: the path, never Anthropic.
	{"operational", "proxy407", "ok", "good", "ok", probe.VerdictLocalNetwork, "Your proxy: a proxy answered instead of Claude API: 407 Proxy Authentication Required", []string{"Anthropic outage", "not yet acknowledged", "(for Claude API)"}},
	{"operational", "proxy407", "ok", "good", "direct", probe.VerdictLocalNetwork, "Your network: a proxy our requests were not sent to answered instead of Claude API (407 Proxy Authentication Required) — a transparent or corporate proxy on the path; no HTTPS_PROXY is set.", []string{"Your proxy:", "ANTHROPIC_BASE_URL"}},
	{"operational", "gateway", "ok", "good", "ok", probe.VerdictLocalNetwork, "not Anthropic", []string{"Anthropic outage", "not yet acknowledged"}},
	{"major", "gateway", "ok", "good", "ok", probe.VerdictLocalNetwork, "nginx", []string{"acknowledged"}},
	{"operational", "portal", "ok", "good", "ok", probe.VerdictLocalNetwork, "not Anthropic", []string{"Anthropic outage"}},
	// Who answered, said once (cold F10: "claude.ai answered 403 …, not claude.ai" and doubled parentheses).
	{"operational", "ok", "block", "none", "ok", probe.VerdictLocalNetwork, `Your network or proxy: a filter, proxy or portal on the way (Zscaler/6.2) answered 403 Forbidden instead of claude.ai, with a page titled "Website blocked" — not Anthropic.`, []string{"Anthropic outage", "All clear", "in its place", ") ("}},
	// The same block page during an official outage naming claude.ai is
	// still the path, never Anthropic's: no outage verdict, and our incident
	// is not linked to Anthropic's (cold2 C12; TestDecisionTable runs the
	// detector over every row).
	{"major", "ok", "block", "none", "ok", probe.VerdictLocalNetwork, "answered 403 Forbidden instead of claude.ai", []string{"Anthropic outage", "acknowledged on the status page"}},

	// Your account: the live answer decides.
	{"operational", "401", "ok", "bad", "ok", probe.VerdictLocalCredential, "Your credential: the API rejects ANTHROPIC_API_KEY (Invalid API key): it answered 401 \"invalid x-api-key\"", nil},
	{"operational", "403", "ok", "good", "ok", probe.VerdictLocalCredential, "Your credential: the API rejects ANTHROPIC_API_KEY", nil},
	{"operational", "429", "ok", "good", "ok", probe.VerdictLocalQuota, "Your quota or billing", nil},
	// One 429 with a Retry-After after successes counts at once (cold C7):
	// the next probe waits it out, so none can confirm it sooner.
	{"operational", "ok_then_429", "ok", "good", "ok", probe.VerdictLocalQuota, "Your quota or billing: Rate limited on ANTHROPIC_API_KEY; the API says retry after 30 s (14:02:20 UTC).", []string{"All clear"}},
	// Your account during an acknowledged outage: the refusal leads, the
	// outage is said beside it.
	{"operational", "unsendable", "ok", "bad", "ok", probe.VerdictLocalCredential, "Your credential: ANTHROPIC_API_KEY ends with a newline, so it cannot be sent (no request was made) — remove it.", []string{"unreachable", "firewall", "net/http"}},
	{"major", "401", "ok", "bad", "ok", probe.VerdictLocalCredential, "Your credential: the API rejects ANTHROPIC_API_KEY (Invalid API key): it answered 401 \"invalid x-api-key\". Also, Anthropic reports Claude API as major outage, Claude (claude.ai) as partial outage, Claude Code as partial outage (incident: Elevated errors for multiple models, identified).", nil},
	{"major", "429", "ok", "good", "ok", probe.VerdictLocalQuota, "Also, Anthropic reports Claude API as major outage", nil},
	{"operational", "429_bare", "ok", "good", "ok", probe.VerdictDegraded, "Rate limited\" while your key's limits show room (requests 49 of 50 left) — likely Anthropic limiting requests, not your quota", []string{"Your quota"}},
	{"operational", "429_used", "ok", "good", "ok", probe.VerdictLocalQuota, "Your quota or billing", []string{"not your limit", "likely Anthropic"}},
	{"operational", "credit", "ok", "good", "ok", probe.VerdictLocalQuota, "Credit balance too low on ANTHROPIC_API_KEY", nil},
	{"operational", "disabled", "ok", "good", "ok", probe.VerdictLocalQuota, "Your quota or billing", nil},
	{"operational", "401", "ok", "oauth_in_key", "ok", probe.VerdictLocalCredential, "Your credential: ANTHROPIC_API_KEY holds a Claude subscription token (sk-ant-oat01-…), not an API key: the API rejects it (401) — move it to CLAUDE_CODE_OAUTH_TOKEN", []string{"OAuth authentication is currently not supported", "Invalid API key"}},
	{"operational", "ok", "ok", "good_odd_length", "ok", probe.VerdictOperational, "All clear", []string{"Invalid", "credential"}},
	{"operational", "token_401", "ok", "key_ne_token", "ok", probe.VerdictLocalCredential, "Your credential: the API rejects ANTHROPIC_AUTH_TOKEN", []string{"All clear"}},
	{"operational", "ok", "ok", "token_ne_key", "ok", probe.VerdictOperational, "All clear", []string{"rejects"}},

	// Your network: evidence about the network.
	{"operational", "ok", "ok", "none", "dns", probe.VerdictLocalNetwork, "Your network's DNS: no Anthropic name resolves here, nor the status page's (DNS lookup of status.claude.com failed: no such host) — likely your resolver, or no connection to it.", []string{"or proxy"}},
	{"operational", "ok", "ok", "good", "dead_proxy", probe.VerdictLocalNetwork, "Your network or proxy: no Anthropic host answers from here (proxy connection failed", nil},
	// The proxy answered every CONNECT with its 407 (cold8 E1): the proxy's
	// answer in its words, never a network that failed to connect.
	// The fix said with it: the proxy's login, in HTTPS_PROXY or from IT.
	{"operational", "ok", "ok", "good", "proxy_refuses", probe.VerdictLocalNetwork, `Your proxy at 127.0.0.1:3128 answered 407 Proxy Authentication Required to CONNECT for every Anthropic host and the status page, not Anthropic: it wants credentials of its own (Basic realm "Corp Proxy") — set the proxy's credentials in HTTPS_PROXY (HTTPS_PROXY=http://user:password@127.0.0.1:3128), or ask your IT for the proxy's login.`, []string{"failed at the network level", "no Anthropic host answers", "(DNS, connect, TLS or timeout)"}},
	// HTTPS_PROXY carries a user and password and the proxy still says
	// 407: it rejects them (never "wants credentials", never the password).
	{"operational", "ok", "ok", "good", "proxy_creds", probe.VerdictLocalNetwork, `Your proxy at 127.0.0.1:3128 answered 407 Proxy Authentication Required to CONNECT for every Anthropic host and the status page, not Anthropic: the proxy rejects the credentials in HTTPS_PROXY (Basic realm "Corp Proxy") — check the user and password in HTTPS_PROXY`, []string{"wants credentials", "set the proxy's credentials", "password@"}},
	// The proxy reached none of them (squid's ERR_CONNECT_FAIL to every
	// CONNECT): the proxy is the component at fault, not Anthropic.
	{"operational", "ok", "ok", "good", "proxy_down", probe.VerdictLocalNetwork, `Your proxy at 127.0.0.1:3128 answered 503 Service Unavailable (squid/5.7, ERR_CONNECT_FAIL 111) to CONNECT for every Anthropic host and the status page, not Anthropic: it reached none of them, so none was asked`, []string{"failed at the network level", "unreachable from here", "Anthropic problem"}},
	// Every host, the status page too, took the connection and TLS, then
	// hung: no evidence about the network, so "likely", with the reason.
	{"operational", "ok", "ok", "good", "hang", probe.VerdictLocalNetwork, "Likely your network or a proxy on the path: every Anthropic host and the status page accepted the connection, then did not answer (timed out after 3s)", []string{"Your network or proxy: no Anthropic host", "failed at the network level"}},
	{"operational", "dns_one", "ok", "good", "ok", probe.VerdictLocalNetwork, "Your DNS resolver cannot resolve api.anthropic.com (no such host) while Claude (claude.ai) and the status page answer — likely your resolver or a DNS filter.", []string{"Your network"}},
	// That hang ends: the status page answers again first, and the hosts
	// not probed since keep the path's timeouts — still the path,
	// recovering, never "Not yet acknowledged by Anthropic" (cold4 C11).
	{"operational", "ok", "ok", "good", "hang_ending", probe.VerdictLocalNetwork, "Likely your network or a proxy on the path, recovering: hosts answer again since 14:01 UTC, 2 s ago; the Claude API and claude.ai not probed again yet", []string{"not yet acknowledged", "Anthropic problem"}},

	// A URL the user set that is not the API's: their configuration, never
	// Anthropic's outage (cold5 D34), never "your resolver" (cold5 D31).
	{"operational", "v1", "ok", "good", "base_v1", probe.VerdictLocalConfig, "Your configuration: the API URL ends in /v1, so we asked /v1/v1/models and got 404 Not Found — drop the /v1 from --api-url / ANTHROPIC_BASE_URL (Claude Code adds /v1 itself).", []string{"Anthropic problem", "acknowledged", "Your network", "Likely"}},
	{"major", "v1", "ok", "good", "base_v1", probe.VerdictLocalConfig, "drop the /v1 from --api-url / ANTHROPIC_BASE_URL (Claude Code adds /v1 itself). Also, Anthropic reports Claude API as major outage", []string{"Anthropic outage:"}},
	{"operational", "gw_404", "ok", "good", "base_gw", probe.VerdictUnknown, "Not known whether the Claude API answers through the API URL https://llm.gateway.example: it answers 404 Not Found at /v1/models while Claude (claude.ai) and the status page answer — a gateway that does not list models, or a wrong URL; we did not see the API fail, and no canary asked /v1/messages there (--canary asks it and tells them apart).", []string{"Anthropic problem", "Your network", "Your configuration", "All clear"}},
	{"operational", "dns_gw", "ok", "good", "base_gw", probe.VerdictLocalConfig, "Likely your configuration: the API URL's host llm.gateway.example does not resolve (no such host) while Claude (claude.ai) and the status page answer — check --api-url / ANTHROPIC_BASE_URL; if the name is right, your resolver, VPN or a DNS filter.", []string{"Your network:"}},

	// A gateway the user set (ANTHROPIC_BASE_URL, LiteLLM-like) asks a
	// request without a key for its own: it answers, and the probe with the
	// key decides (issue 19 E1) — never "answered in its place".
	{"operational", "gw_ok", "ok", "good", "base_litellm", probe.VerdictOperational, "All clear: our probes succeed, those of the Claude API through the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000), and Anthropic reports no problem.", []string{"Your network", "in its place"}},
	// With no key set, that 401 is all we know: the gateway answers, the
	// API was never asked through it — not known, never "All clear"; what
	// the page reports of the API still leads (issue 19).
	{"operational", "gw_ok", "ok", "none", "base_litellm", probe.VerdictUnknown, `Not known whether the Claude API answers through the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000): it asks for a key of its own (401 to our request without one: "Authentication Error, No api key passed in.") and no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN is set while Claude (claude.ai) and the status page answer — we did not see the API fail; set the key the gateway expects and check again.`, []string{"All clear", "our probes succeed", "Your network", "in its place"}},
	{"major", "gw_ok", "ok", "none", "base_litellm", probe.VerdictOutage, "Anthropic outage: Anthropic reports Claude API as major outage", []string{"our probes succeed", "Conflicting"}},
	// Its 529 in its own JSON (no request-id) is its report of its
	// upstream: likely Anthropic, said as the gateway's.
	{"operational", "gw_529", "ok", "good", "base_litellm", probe.VerdictUnacknowledged, "Likely an Anthropic problem, not yet acknowledged: Claude API failing from here (529 overloaded, as the gateway at ANTHROPIC_BASE_URL, http://127.0.0.1:4000, reports) while the status page shows it operational.", []string{"Your network", "in its place"}},
	{"major", "gw_529", "ok", "good", "base_litellm", probe.VerdictOutage, "Anthropic outage: Claude API failing from here (529 overloaded, as the gateway at ANTHROPIC_BASE_URL, http://127.0.0.1:4000, reports) — acknowledged on the status page", []string{"Your network"}},
	// Anthropic's own 529 passed on as it came (its request-id): Anthropic's words.
	{"operational", "gw_529_id", "ok", "good", "base_litellm", probe.VerdictUnacknowledged, "Anthropic problem, not yet acknowledged: Claude API failing from here (529 overloaded) while", []string{"as the gateway", "Likely"}},
	// Nothing listens at the gateway's URL the user set (issue 19 E2): the
	// gateway is not running, named by its setting — not Anthropic, not a
	// firewall between you and Anthropic, whose host was not asked.
	{"operational", "gw_refused", "ok", "good", "base_litellm", probe.VerdictLocalConfig, "Your configuration: nothing listens at ANTHROPIC_BASE_URL (127.0.0.1:4000): connection refused while Claude (claude.ai) and the status page answer — is your gateway running? Start it, or point ANTHROPIC_BASE_URL at one that is.", []string{"Anthropic or a firewall", "Your network", "Anthropic problem"}},
	{"major", "gw_refused", "ok", "good", "base_litellm", probe.VerdictLocalConfig, "is your gateway running? Start it, or point ANTHROPIC_BASE_URL at one that is. Also, Anthropic reports Claude API as major outage", []string{"Anthropic outage:"}},
	// On another machine's host a firewall could refuse it too: likely.
	{"operational", "gw_refused", "ok", "good", "base_gw", probe.VerdictLocalConfig, "Likely your configuration: nothing listens at --api-url / ANTHROPIC_BASE_URL (llm.gateway.example:443): connection refused while Claude (claude.ai) and the status page answer — is your gateway running? If it is, a firewall between you and it refuses the connection.", []string{"Anthropic or a firewall"}},
	// The gateway answers a 5xx for itself (Envoy's "upstream connect
	// error", issue 19 E3): named, quoted, its upstream likely failed —
	// neither an Anthropic outage we saw nor your network.
	{"operational", "gw_envoy", "ok", "good", "base_litellm", probe.VerdictUnreachable, `Claude API unreachable through the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000): it answered 500 Internal Server Error (envoy): "upstream connect error or disconnect/reset before headers. reset reason: connection failure" while Claude (claude.ai) and the status page answer — likely its upstream (Anthropic, or the gateway's route to it) failed.`, []string{"Your network", "Anthropic problem", "Anthropic outage", "in its place"}},
	{"major", "gw_envoy", "ok", "good", "base_litellm", probe.VerdictUnreachable, "likely its upstream (Anthropic, or the gateway's route to it) failed. Also, Anthropic reports Claude API as major outage", []string{"Your network"}},
	// The gateway took the connection, then reset it or hung (issue 19):
	// the gateway or its upstream, named by its setting — not Anthropic
	// seen failing, whose host we did not ask. Under Anthropic's own URL
	// the same reset stays Anthropic's side (the rows above).
	{"operational", "reset", "ok", "good", "base_litellm", probe.VerdictUnreachable, "Claude API unreachable through the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000): connection reset by peer, after connecting, while Claude (claude.ai) and the status page answer — likely the gateway or its upstream (Anthropic, or the gateway's route to it) failed.", []string{"Anthropic problem", "not yet acknowledged", "Your network", "firewall"}},
	// No connection to the gateway was made: neither Anthropic's host,
	// which was not asked, nor a firewall before it is named.
	{"operational", "timeout_connect", "ok", "good", "base_litellm", probe.VerdictUnreachable, "Claude API unreachable through the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000): timed out after 2s, before connecting, while Claude (claude.ai) and the status page answer — the gateway did not take the connection: likely it is down or overloaded, or a firewall between you and it drops it.", []string{"Anthropic or a firewall", "Anthropic problem", "Your network", "after connecting"}},
	{"operational", "timeout_connect", "ok", "good", "ok", probe.VerdictUnreachable, "Claude API unreachable from here (timed out after 2s) while Claude (claude.ai) and the status page answer: Anthropic or a firewall between you.", []string{"after connecting", "Your network", "gateway"}},
	{"operational", "timeout", "ok", "good", "base_litellm", probe.VerdictUnreachable, "Claude API unreachable through the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000): timed out after 2s, after connecting, while", []string{"Anthropic problem", "not yet acknowledged", "Your network"}},
	{"major", "reset", "ok", "good", "base_litellm", probe.VerdictUnreachable, "likely the gateway or its upstream (Anthropic, or the gateway's route to it) failed. Also, Anthropic reports Claude API as major outage", []string{"Your network", "Anthropic outage:"}},
	// The gateway refuses the key sent, in its words (LiteLLM's "Invalid
	// proxy server token passed."): your credential, at the gateway — not
	// someone answering in its place, not "the API rejects".
	{"operational", "gw_key_401", "ok", "good", "base_litellm", probe.VerdictLocalCredential, `Your credential: the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000) rejects ANTHROPIC_API_KEY: it answered 401 Unauthorized (uvicorn): "Authentication Error, Invalid proxy server token passed." — check the key it expects`, []string{"Your network", "in its place", "the API rejects"}},
	// Anthropic's shape from the gateway, but no Anthropic request-id:
	// the gateway's report of a refusal, whose key or limit not known.
	{"operational", "401", "ok", "bad", "base_litellm", probe.VerdictLocalCredential, `Your credential: the API rejects ANTHROPIC_API_KEY (Invalid API key): it answered 401 "invalid x-api-key" — as the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000) reports it, with no Anthropic request-id: the key or limit may be the gateway's own, or the one it sends upstream.`, nil},
	{"operational", "429", "ok", "good", "base_litellm", probe.VerdictLocalQuota, `— as the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000) reports it, with no Anthropic request-id: the key or limit may be the gateway's own, or the one it sends upstream.`, nil},
	// Anthropic's own 401, passed on as it came: Anthropic's.
	{"operational", "401_id", "ok", "bad", "base_litellm", probe.VerdictLocalCredential, `Your credential: the API rejects ANTHROPIC_API_KEY (Invalid API key): it answered 401 "invalid x-api-key".`, []string{"as the gateway"}},
	// The same keyless 401 under Anthropic's own URL: nobody asked for it,
	// someone else answered.
	{"operational", "litellm_401", "ok", "good", "ok", probe.VerdictLocalNetwork, "Your network or proxy: something between you and Claude API answered in its place", []string{"All clear"}},

	// Slow: one host is that host's; every host and the status page alike
	// is the path's, likely (cold5 D36), with the budget, no parenthesis
	// in another.
	{"operational", "slow", "ok", "good", "ok", probe.VerdictDegraded, "Degraded: Claude API slow from here (5 s, over the 3 s latency budget).", []string{"Your network"}},
	{"operational", "ok", "ok", "good", "slow", probe.VerdictLocalNetwork, "Likely your network or a proxy on the path: every Anthropic host and the status page answer, but slowly (claude.ai 5 s, the Claude API 5 s, the status page 5 s; over the 3 s latency budget).", []string{"Degraded", "Anthropic reports"}},

	// Nothing yet.
	{"none", "none", "none", "none", "ok", probe.VerdictUnknown, "Checking…", []string{"Not enough data"}},
}

// now is the table's moment; the stale limit is 3 minutes.
var now = time.Date(2026, 9, 3, 14, 2, 0, 0, time.UTC)

const staleAfter = 3 * time.Minute

func res(t probe.Target, c probe.Class, code int, typ, msg string) probe.Result {
	return probe.Result{Target: t, Class: c, HTTPStatus: code, ErrorType: typ, Message: msg,
		Phases: probe.Phases{DNS: time.Millisecond, Connect: time.Millisecond, TLS: 3 * time.Millisecond, Total: 80 * time.Millisecond}}
}

// apiResults are the reachability and key probes' result for one API state.
func apiResults(state string, keyed bool) (reach, key probe.Result) {
	ok := res(probe.TargetAPI, probe.ClassOK, 401, "", "API answers (401 without key, as expected)")
	good := res(probe.TargetAPIKey, probe.ClassOK, 200, "", "API key accepted (3 models listed)")
	both := func(r probe.Result) (probe.Result, probe.Result) {
		k := r
		k.Target = probe.TargetAPIKey
		r.Target = probe.TargetAPI
		return r, k
	}
	switch state {
	case "ok":
		return ok, good
	case "529":
		return both(res("", probe.ClassOverloaded, 529, "overloaded_error", "529 overloaded_error: Overloaded"))
	case "500":
		return both(res("", probe.ClassServer, 500, "api_error", "500 api_error: Internal server error"))
	case "504":
		return both(res("", probe.ClassServer, 504, "timeout_error", "504 timeout_error: Request timed out"))
	case "timeout":
		return both(res("", probe.ClassNetwork, 0, probe.NetTimeout, "timed out after 2s"))
	case "timeout_connect":
		// No connection was made in time: the host, or a firewall that
		// drops the packets, never answered.
		r := res("", probe.ClassNetwork, 0, probe.NetTimeout, "timed out after 2s")
		r.Phases = probe.Phases{DNS: time.Millisecond, Total: 2 * time.Second}
		return both(r)
	case "key_timeout":
		return ok, res(probe.TargetAPIKey, probe.ClassNetwork, 0, probe.NetTimeout, "timed out after 2s")
	case "reset":
		return both(res("", probe.ClassNetwork, 0, probe.NetReset, "connection reset by peer"))
	case "refused":
		r := res("", probe.ClassNetwork, 0, probe.NetRefused, "connection to api.anthropic.com refused")
		r.Phases = probe.Phases{DNS: time.Millisecond, Total: 2 * time.Millisecond}
		return both(r)
	case "dns_one":
		r := res("", probe.ClassNetwork, 0, probe.NetDNS, "DNS lookup of api.anthropic.com failed: no such host")
		r.Phases = probe.Phases{DNS: time.Millisecond, Total: 2 * time.Millisecond}
		return both(r)
	case "slow":
		return slowed(ok), slowed(good)
	case "v1":
		// The base URL ends in /v1: /v1/v1/models (cold5 D34).
		return both(res("", probe.ClassUnexpected, 404, probe.ErrBaseURLV1, "the API URL ends in /v1, so we asked /v1/v1/models and got 404 Not Found — drop the /v1 from --api-url / ANTHROPIC_BASE_URL (Claude Code adds /v1 itself)"))
	case "gw_404":
		return both(res("", probe.ClassUnexpected, 404, probe.ErrBaseURL404, "the API URL https://llm.gateway.example answers 404 Not Found at /v1/models, a path every Anthropic API serves: check --api-url / ANTHROPIC_BASE_URL"))
	case "dns_gw":
		r := res("", probe.ClassNetwork, 0, probe.NetDNS, "DNS lookup of llm.gateway.example failed: no such host")
		r.Phases = probe.Phases{DNS: time.Millisecond, Total: 2 * time.Millisecond}
		return both(r)
	case "401":
		return ok, res(probe.TargetAPIKey, probe.ClassAuth, 401, "authentication_error", "401 authentication_error: invalid x-api-key")
	case "401_id":
		// Anthropic's own 401, with its request-id (as the API sends it).
		k := res(probe.TargetAPIKey, probe.ClassAuth, 401, "authentication_error", "401 authentication_error: invalid x-api-key")
		k.RequestID = "req_011CSHoEeqs5C35K2UUqR7Fz"
		return ok, k
	case "unsendable":
		// A newline at the key's end: Go refused to build the request
		// (cold5 D33); nothing was sent, so nothing answered.
		return ok, res(probe.TargetAPIKey, probe.ClassAuth, 0, probe.ErrUnsendable, "ANTHROPIC_API_KEY ends with a newline, so it cannot be sent (no request was made) — remove it")
	case "token_401":
		k := res(probe.TargetAPIKey, probe.ClassAuth, 401, "authentication_error", "401 authentication_error: Invalid authentication credentials")
		k.Detail = "also ANTHROPIC_API_KEY: accepted (200)"
		return ok, k
	case "403":
		return ok, res(probe.TargetAPIKey, probe.ClassAuth, 403, "permission_error", "403 permission_error: Your API key does not have permission to use the specified resource.")
	case "429":
		k := res(probe.TargetAPIKey, probe.ClassRateLimited, 429, "rate_limit_error", "429 rate_limit_error: This request would exceed your account's rate limit. Please try again later. (retry after 30s)")
		k.RateLimit.RetryAfter = 30 * time.Second
		return ok, k
	case "429_bare":
		// Claude Code calls this the server limiting requests, "not your
		// usage limit"; the key's headers show room.
		k := res(probe.TargetAPIKey, probe.ClassRateLimited, 429, "rate_limit_error", "429 rate_limit_error: Rate limited (retry after 5s)")
		k.RateLimit = probe.RateLimit{RequestsLimit: 50, RequestsRemaining: 49, TokensLimit: 40000, TokensRemaining: 40000}
		return ok, k
	case "429_used":
		// The same words, with the key's requests used up: your limit.
		k := res(probe.TargetAPIKey, probe.ClassRateLimited, 429, "rate_limit_error", "429 rate_limit_error: Rate limited (retry after 5s)")
		k.RateLimit = probe.RateLimit{RequestsLimit: 50, RequestsRemaining: 0, TokensLimit: 40000, TokensRemaining: 40000}
		return ok, k
	case "credit":
		return ok, res(probe.TargetAPIKey, probe.ClassBilling, 400, "invalid_request_error", "400 invalid_request_error: Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.")
	case "disabled":
		return ok, res(probe.TargetAPIKey, probe.ClassBilling, 400, "invalid_request_error", "400 invalid_request_error: This organization has been disabled.")
	case "proxy407":
		return both(res("", probe.ClassNetwork, 407, probe.NetProxy, "a proxy answered instead of the API: 407 Proxy Authentication Required (squid/5.7)"))
	case "proxy_502":
		pr := &probe.ProxyRefusal{Proxy: "127.0.0.1:3128", Target: "api.anthropic.com:443", Status: 502, Server: "squid/5.7"}
		return both(res("", probe.ClassNetwork, 502, probe.NetProxy, pr.Words()))
	case "gateway":
		return both(res("", probe.ClassServer, 502, ErrNotAnthropic, "502 Bad Gateway from nginx/1.24.0, not Anthropic: a gateway or proxy answered"))
	case "portal":
		return both(res("", probe.ClassUnexpected, 200, "html", "200 OK with a browser challenge page, not API JSON"))
	case "gw_ok", "gw_529", "gw_529_id":
		// The probe's words for a gateway's own 401 to a request without a key.
		gw := res(probe.TargetAPI, probe.ClassOK, 401, probe.ErrGatewayKey, `gateway answers (401 without key: it asks for its own: "Authentication Error, No api key passed in.")`)
		switch state {
		case "gw_529":
			return gw, res(probe.TargetAPIKey, probe.ClassOverloaded, 529, "overloaded_error", "529 Overloaded")
		case "gw_529_id":
			k := res(probe.TargetAPIKey, probe.ClassOverloaded, 529, "overloaded_error", "529 overloaded_error: Overloaded")
			k.RequestID = "req_011CSHoEeqs5C35K2UUqR7Fz"
			return gw, k
		}
		return gw, good
	case "gw_envoy":
		return both(res("", probe.ClassServer, 500, ErrNotAnthropic, `500 Internal Server Error (envoy): the gateway's own answer, not Anthropic's: "upstream connect error or disconnect/reset before headers. reset reason: connection failure"`))
	case "gw_key_401":
		gw := res(probe.TargetAPI, probe.ClassOK, 401, probe.ErrGatewayKey, `gateway answers (401 without key: it asks for its own: "Authentication Error, No api key passed in.")`)
		return gw, res(probe.TargetAPIKey, probe.ClassAuth, 401, ErrNotAnthropic, `401 Unauthorized (uvicorn): the gateway's own answer, not Anthropic's: "Authentication Error, Invalid proxy server token passed."`)
	case "gw_refused":
		r := res("", probe.ClassNetwork, 0, probe.NetRefused, "connection to 127.0.0.1:4000 refused")
		r.Phases = probe.Phases{DNS: time.Millisecond, Total: 2 * time.Millisecond}
		return both(r)
	case "litellm_401":
		return res(probe.TargetAPI, probe.ClassUnexpected, 401, ErrNotAnthropic, `401 without Anthropic's error body (a proxy or gateway answered?): "Authentication Error, No api key passed in."`), good
	}
	panic("api state " + state)
}

func claudeResult(state string) probe.Result {
	switch state {
	case "ok":
		return res(probe.TargetClaudeAI, probe.ClassOK, 200, "", "reachable (200 OK)")
	case "503":
		return res(probe.TargetClaudeAI, probe.ClassServer, 503, "http_503", "claude.ai answered 503 Service Unavailable, an HTML page")
	case "unreachable":
		r := res(probe.TargetClaudeAI, probe.ClassNetwork, 0, probe.NetRefused, "connection to claude.ai refused")
		r.Phases = probe.Phases{DNS: time.Millisecond, Total: 2 * time.Millisecond}
		return r
	case "reset":
		return res(probe.TargetClaudeAI, probe.ClassNetwork, 0, probe.NetReset, "connection reset by peer")
	case "429":
		return res(probe.TargetClaudeAI, probe.ClassRateLimited, 429, "http_429", "claude.ai answered 429 Too Many Requests")
	case "local_refused":
		// Nothing listens at the --claude-url the user set (claude_local).
		r := res(probe.TargetClaudeAI, probe.ClassNetwork, 0, probe.NetRefused, "connection to 127.0.0.1:4001 refused")
		r.Phases = probe.Phases{DNS: time.Millisecond, Total: 2 * time.Millisecond}
		return r
	case "block":
		return res(probe.TargetClaudeAI, probe.ClassUnexpected, 403, ErrNotAnthropic, `a filter, proxy or portal on the way (Zscaler/6.2) answered 403 Forbidden instead of claude.ai, with a page titled "Website blocked"`)
	}
	panic("claude state " + state)
}

// page builds the status snapshot and the page's reads for a page state.
func page(state string) (*probe.Status, []probe.Result) {
	snap := func(content string, at time.Time) *probe.Status {
		st := &probe.Status{Fetched: at, PageID: DefaultPageID, PageName: "Claude", Indicator: "none", Description: "All Systems Operational"}
		statuses := map[string]probe.ComponentStatus{}
		switch content {
		case "degraded":
			statuses["k8w3r06qmzrp"], st.Indicator = probe.ComponentDegraded, "minor"
		case "partial":
			statuses["k8w3r06qmzrp"], st.Indicator = probe.ComponentPartialOutage, "minor"
		case "major":
			statuses["k8w3r06qmzrp"], statuses["rwppv331jlwc"], statuses["yyzkbfz2thpt"] = probe.ComponentMajorOutage, probe.ComponentPartialOutage, probe.ComponentPartialOutage
			st.Indicator = "major"
			st.Incidents = []probe.Incident{{ID: "461yvfrzpwtt", Name: "Elevated errors for multiple models", Status: "identified", Impact: "major",
				StartedAt: now.Add(-40 * time.Minute), Components: []string{"rwppv331jlwc", "k8w3r06qmzrp", "yyzkbfz2thpt"}}}
		case "maintenance":
			statuses["k8w3r06qmzrp"], st.Indicator = probe.ComponentMaintenance, "maintenance"
			st.Maintenances = []probe.Incident{{ID: "m4nt3n4nc3aa", Name: "Scheduled maintenance of the Claude API", Status: "in_progress", Impact: "maintenance",
				ScheduledFor: now.Add(-10 * time.Minute), ScheduledUntil: time.Date(2026, 9, 3, 16, 0, 0, 0, time.UTC), Components: []string{"k8w3r06qmzrp"}}}
		}
		for _, s := range probe.Services() {
			c := statuses[s.ComponentID]
			if c == "" {
				c = probe.ComponentOperational
			}
			st.Components = append(st.Components, probe.Component{ID: s.ComponentID, Name: s.ComponentName, Status: c})
		}
		return st
	}
	read := func(st *probe.Status, at time.Time) probe.Result {
		r := res(probe.TargetStatus, probe.ClassOK, 200, "", st.Description)
		r.Time, r.Detail = at, st.Indicator
		return r
	}
	fail := func(c probe.Class, code int, typ, msg string) (*probe.Status, []probe.Result) {
		st := snap("operational", now.Add(-10*time.Minute))
		rs := []probe.Result{read(st, st.Fetched)}
		for _, at := range []time.Time{now.Add(-4 * time.Minute), now.Add(-2 * time.Minute), now.Add(-time.Minute)} {
			r := res(probe.TargetStatus, c, code, typ, msg)
			r.Time = at
			rs = append(rs, r)
		}
		return st, rs
	}
	switch state {
	case "none":
		return nil, nil
	case "operational", "degraded", "partial", "major", "maintenance", "flap":
		content := state
		if state == "flap" {
			content = "operational"
		}
		st := snap(content, now.Add(-20*time.Second))
		return st, []probe.Result{read(st, now.Add(-80*time.Second)), read(st, now.Add(-20*time.Second))}
	case "unreadable_html":
		return fail(probe.ClassUnexpected, 200, "html", "status page answered 200 with an HTML page, not status JSON (a browser challenge)")
	case "unreadable_timeout":
		return fail(probe.ClassNetwork, 0, probe.NetTimeout, "timed out after 2s")
	case "unreadable_reset":
		return fail(probe.ClassNetwork, 0, probe.NetReset, "connection reset by peer")
	case "unreadable_503":
		return fail(probe.ClassServer, 503, "http_503", "status page answered 503 Service Unavailable, an HTML page")
	case "unreadable_garbage":
		return fail(probe.ClassUnexpected, 200, "not_json", "status page answered 200 with a body that is not JSON")
	case "unreadable_huge":
		return fail(probe.ClassUnexpected, 200, "too_large", "status page answered 200 with more than 1048576 bytes, not status JSON")
	case "stale_major":
		st := snap("major", now.Add(-6*time.Minute))
		rs := []probe.Result{read(st, st.Fetched)}
		for _, at := range []time.Time{now.Add(-5 * time.Minute), now.Add(-3 * time.Minute), now.Add(-time.Minute)} {
			r := res(probe.TargetStatus, probe.ClassNetwork, 0, probe.NetTimeout, "timed out after 2s")
			r.Time = at
			rs = append(rs, r)
		}
		return st, rs
	case "not_listed":
		// A counting page of Claude's that lists no Claude API component.
		st := snap("operational", now.Add(-20*time.Second))
		st.Components = slices.DeleteFunc(st.Components, func(c probe.Component) bool { return c.ID == "k8w3r06qmzrp" })
		return st, []probe.Result{read(st, now.Add(-80*time.Second)), read(st, now.Add(-20*time.Second))}
	case "major_unreadable_once":
		st := snap("major", now.Add(-80*time.Second))
		r := res(probe.TargetStatus, probe.ClassNetwork, 0, probe.NetTimeout, "timed out after 2s")
		r.Time = now.Add(-20 * time.Second)
		return st, []probe.Result{read(st, st.Fetched), r}
	case "unreadable_once":
		st := snap("operational", now.Add(-80*time.Second))
		r := res(probe.TargetStatus, probe.ClassUnexpected, 200, "not_json", "status page answered 200 with a body that is not JSON")
		r.Time = now.Add(-20 * time.Second)
		return st, []probe.Result{read(st, st.Fetched), r}
	case "foreign":
		var rs []probe.Result
		for _, at := range []time.Time{now.Add(-4 * time.Minute), now.Add(-2 * time.Minute), now.Add(-time.Minute)} {
			r := res(probe.TargetStatus, probe.ClassUnexpected, 200, ErrForeignPage, "not Claude's status page: GitHub (page kctbh9vrtdwd)")
			r.Time, r.Detail = at, "GitHub"
			rs = append(rs, r)
		}
		return nil, rs
	}
	panic("page state " + state)
}

// local is the local report for a credential and network state.
func local(cred, network string) *probe.LocalReport {
	l := &probe.LocalReport{Time: now, APIURL: "https://api.anthropic.com", StatusURL: "https://status.claude.com", ClaudeURL: "https://claude.ai"}
	key := probe.CredentialInfo{Source: "ANTHROPIC_API_KEY", Kind: "API key", Masked: "sk-ant-api03-…Xy7A", Header: "x-api-key", Probed: true}
	switch cred {
	case "none":
		l.Checks = append(l.Checks, probe.LocalCheck{ID: "credential", Name: "Credential in effect", Level: probe.LocalInfo, Text: "none"})
	case "good", "bad":
		l.Credentials = []probe.CredentialInfo{key}
		l.Checks = append(l.Checks, probe.LocalCheck{ID: "key_format", Name: "Key format", Level: probe.LocalOK, Text: "well-formed"})
	case "good_odd_length":
		l.Credentials = []probe.CredentialInfo{key}
		l.Checks = append(l.Checks, probe.LocalCheck{ID: "key_format", Name: "Key format", Level: probe.LocalWarn,
			Text: "ANTHROPIC_API_KEY is 106 characters long, an API key has 108: truncated? (the API accepts it)"})
	case "key_ne_token", "token_ne_key":
		tok := probe.CredentialInfo{Source: "ANTHROPIC_AUTH_TOKEN", Kind: "not an Anthropic key", Masked: "…9abc", Header: "Authorization: Bearer", Probed: true}
		key.Probed = false
		l.Credentials = []probe.CredentialInfo{tok, key}
	case "oauth_in_key":
		key.Kind, key.Masked = "OAuth token", "sk-ant-oat01-…AAAA"
		l.Credentials = []probe.CredentialInfo{key}
		l.Checks = append(l.Checks, probe.LocalCheck{ID: "key_format", Name: "Key format", Level: probe.LocalWarn,
			Text: "ANTHROPIC_API_KEY holds an OAuth token (sk-ant-oat01-), not an API key"})
	}
	switch network {
	case "base_v1":
		// ANTHROPIC_BASE_URL=https://api.anthropic.com/v1, as config reads it.
		l.APIURL = "https://api.anthropic.com/v1"
		l.Checks = append(l.Checks, probe.LocalCheck{ID: probe.CheckBaseURL, Name: "API endpoint", Level: probe.LocalOK, Text: "ANTHROPIC_BASE_URL points at api.anthropic.com"})
	case "base_litellm":
		l.APIURL, l.APIURLFrom = "http://127.0.0.1:4000", "ANTHROPIC_BASE_URL"
		l.Checks = append(l.Checks, probe.LocalCheck{ID: probe.CheckBaseURL, Name: "API endpoint", Level: probe.LocalWarn, Text: "ANTHROPIC_BASE_URL sends Claude Code to 127.0.0.1:4000, not api.anthropic.com: errors there are the gateway's"})
	case "base_gw":
		l.APIURL = "https://llm.gateway.example"
		l.Checks = append(l.Checks, probe.LocalCheck{ID: probe.CheckBaseURL, Name: "API endpoint", Level: probe.LocalWarn, Text: "ANTHROPIC_BASE_URL sends Claude Code to llm.gateway.example, not api.anthropic.com: errors there are the gateway's"})
	case "api_url_flag":
		// --api-url http://127.0.0.1:4000 given to downforai alone: Claude
		// Code, with ANTHROPIC_BASE_URL unset, calls api.anthropic.com.
		l.APIURL, l.APIURLFrom, l.CodeURL = "http://127.0.0.1:4000", "--api-url", probe.DefaultAPIURL
	case "claude_local":
		// --claude-url http://127.0.0.1:4001, as config reads it.
		l.ClaudeURL, l.ClaudeURLFrom = "http://127.0.0.1:4001", "--claude-url"
	case "dns":
		l.Checks = append(l.Checks, probe.LocalCheck{ID: "dns", Name: "DNS", Level: probe.LocalFail, Text: "DNS lookup of api.anthropic.com failed: no such host"})
	case "direct":
		l.Checks = append(l.Checks, probe.LocalCheck{ID: "proxy", Name: "Proxy", Level: probe.LocalOK, Text: "no proxy in the environment: direct connection"})
	case "dead_proxy":
		l.Checks = append(l.Checks, probe.LocalCheck{ID: "proxy", Name: "Proxy", Level: probe.LocalFail,
			Text: "HTTPS_PROXY=http://127.0.0.1:3128 does not accept connections (refused: connection to 127.0.0.1:3128 refused)"})
	case "proxy_refuses":
		l.Checks = append(l.Checks, probe.LocalCheck{ID: "proxy", Name: "Proxy", Level: probe.LocalFail, Class: probe.ClassNetwork, Cause: probe.CauseProxyAuth,
			Text: `HTTPS_PROXY=http://127.0.0.1:3128 refuses the tunnel: it answered 407 Proxy Authentication Required to CONNECT api.anthropic.com:443, not Anthropic: it wants credentials of its own (Basic realm "Corp Proxy")`})
	case "proxy_creds":
		l.Checks = append(l.Checks, probe.LocalCheck{ID: "proxy", Name: "Proxy", Level: probe.LocalFail, Class: probe.ClassNetwork, Cause: probe.CauseProxyCreds,
			Text: `HTTPS_PROXY=http://bob:…@127.0.0.1:3128 refuses the tunnel: it answered 407 Proxy Authentication Required to CONNECT api.anthropic.com:443, not Anthropic: it rejects the credentials it was sent (Basic realm "Corp Proxy")`})
	case "proxy_down":
		l.Checks = append(l.Checks, probe.LocalCheck{ID: "proxy", Name: "Proxy", Level: probe.LocalFail, Class: probe.ClassNetwork, Cause: probe.CauseProxyRefused,
			Text: `HTTPS_PROXY=http://127.0.0.1:3128 opens no tunnel to api.anthropic.com:443: it answered 503 Service Unavailable (squid/5.7, ERR_CONNECT_FAIL 111) to CONNECT api.anthropic.com:443, not Anthropic: the proxy could not reach the host`})
	case "proxy_api_502":
		// The proxy tunnels claude.ai and the status page; the Proxy
		// check's CONNECT to the API host met its 502.
		l.Checks = append(l.Checks, probe.LocalCheck{ID: "proxy", Name: "Proxy", Level: probe.LocalFail, Class: probe.ClassNetwork, Cause: probe.CauseProxyRefused,
			Text: `HTTPS_PROXY=http://127.0.0.1:3128 opens no tunnel to api.anthropic.com:443: it answered 502 Bad Gateway (squid/5.7) to CONNECT api.anthropic.com:443, not Anthropic: the proxy could not reach the host`})
	}
	return l
}

// input builds the judge's input for a row: two rounds of every probe, 30 s
// apart, the newest 10 s ago (the flapping API: twelve, turn by turn).
func input(r row) Input {
	in := Input{Now: now, StaleAfter: staleAfter, Recent: map[probe.Target][]probe.Result{}, Local: local(r.cred, r.net)}
	in.Status, in.Recent[probe.TargetStatus] = page(r.page)
	if r.api == "none" {
		return in
	}
	rounds := []time.Time{now.Add(-40 * time.Second), now.Add(-10 * time.Second)}
	add := func(rs ...probe.Result) {
		for _, x := range rs {
			in.Recent[x.Target] = append(in.Recent[x.Target], x)
		}
	}
	keyed := r.cred != "none"
	if r.api == "flap" || r.api == "flap_mostly" || r.api == "blip_then_429" {
		rounds = nil
		for i := 11; i >= 0; i-- {
			rounds = append(rounds, now.Add(-time.Duration(i*5+5)*time.Second))
		}
	}
	for i, at := range rounds {
		reach, key := apiResults(roundState(r.api, i, len(rounds)), keyed)
		if r.api == "blip_then_429" && i >= len(rounds)-2 {
			// The keyless probe answers again; only the key is refused.
			_, key = apiResults("429", keyed)
		}
		if wide(r.net) {
			reach, key = netFail(probe.TargetAPI, r.net), netFail(probe.TargetAPIKey, r.net)
		}
		if r.cred == "token_ne_key" {
			key.Detail = "also ANTHROPIC_API_KEY: 401 authentication_error: invalid x-api-key"
		}
		if r.net == "slow" {
			// Every host, the status page too, answers after 5 s.
			reach, key = slowed(reach), slowed(key)
		}
		reach.Time, key.Time = at, at
		add(reach)
		if keyed {
			add(key)
		}
		c := claudeResult(r.claude)
		if wide(r.net) {
			c = netFail(probe.TargetClaudeAI, r.net)
		}
		if r.net == "slow" {
			c = slowed(c)
		}
		c.Time = at
		add(c)
		code := probe.Result{Target: probe.TargetCode, Time: at, Class: probe.ClassUnknown, Detail: "not installed"}
		add(code)
	}
	if wide(r.net) {
		for _, at := range rounds {
			s := netFail(probe.TargetStatus, r.net)
			s.Time = at
			in.Recent[probe.TargetStatus] = append(in.Recent[probe.TargetStatus], s)
		}
	}
	if r.net == "slow" {
		for i := range in.Recent[probe.TargetStatus] {
			in.Recent[probe.TargetStatus][i] = slowed(in.Recent[probe.TargetStatus][i])
		}
	}
	if r.net == "hang_ending" {
		// The page is read again 2 s ago; the others were last asked in
		// the hang.
		in.Status.Fetched = now.Add(-2 * time.Second)
		back := res(probe.TargetStatus, probe.ClassOK, 200, "", in.Status.Description)
		back.Time, back.Detail = in.Status.Fetched, in.Status.Indicator
		in.Recent[probe.TargetStatus] = append(in.Recent[probe.TargetStatus], back)
	}
	return in
}

// blip is the API's on-and-off run before blip_then_429's refusals: 529s
// and resets between successes, oldest first.
var blip = []string{"ok", "529", "ok", "529", "ok", "reset", "ok", "529", "ok", "reset", "ok", "ok"}

// roundState is the API state of round i of n for a row's API state.
func roundState(api string, i, n int) string {
	switch api {
	case "flap":
		if i%4 >= 2 {
			return "529"
		}
		return "ok"
	case "flap_mostly":
		if i%4 == 1 {
			return "ok" // one answer in four
		}
		return "529"
	case "blip_then_429":
		return blip[i]
	case "ok_then_429":
		if i == n-1 {
			return "429"
		}
		return "ok"
	}
	return api
}

// wide reports the network states that fail every host.
func wide(network string) bool {
	return network == "dns" || network == "dead_proxy" || network == "proxy_refuses" || network == "proxy_creds" || network == "proxy_down" || network == "hang" || network == "hang_ending"
}

func netFail(t probe.Target, network string) probe.Result {
	if network == "hang" || network == "hang_ending" {
		// Connected and TLS done (res's phases), then nothing came.
		return res(t, probe.ClassNetwork, 0, probe.NetTimeout, "timed out after 3s")
	}
	host := map[probe.Target]string{probe.TargetAPI: "api.anthropic.com", probe.TargetAPIKey: "api.anthropic.com",
		probe.TargetClaudeAI: "claude.ai", probe.TargetStatus: "status.claude.com"}[t]
	if network == "dns" {
		r := res(t, probe.ClassNetwork, 0, probe.NetDNS, "DNS lookup of "+host+" failed: no such host")
		r.Phases = probe.Phases{DNS: time.Millisecond, Total: time.Millisecond}
		return r
	}
	if pr, ok := map[string]*probe.ProxyRefusal{
		"proxy_refuses": {Status: 407, Auth: `Basic realm "Corp Proxy"`},
		"proxy_creds":   {Status: 407, Auth: `Basic realm "Corp Proxy"`, Sent: true},
		"proxy_down":    {Status: 503, Server: "squid/5.7", Code: "ERR_CONNECT_FAIL 111"},
	}[network]; ok {
		pr.Proxy, pr.Target = "127.0.0.1:3128", host+":443"
		r := res(t, probe.ClassNetwork, pr.Status, probe.NetProxy, pr.Words())
		r.Phases = probe.Phases{Connect: time.Millisecond, Total: time.Millisecond}
		return r
	}
	r := res(t, probe.ClassNetwork, 0, probe.NetProxy, "proxy connection failed: connection refused")
	r.Phases = probe.Phases{Total: time.Millisecond}
	return r
}

func (r row) String() string {
	return "page=" + r.page + " api=" + r.api + " claude=" + r.claude + " cred=" + r.cred + " net=" + r.net
}

func TestDecisionTable(t *testing.T) {
	for _, r := range table {
		t.Run(r.String(), func(t *testing.T) {
			v := Judge(input(r))
			if v.Kind != r.kind {
				t.Errorf("verdict %s, want %s\nheadline %q\nfacts %q", v.Kind.Key(), r.kind.Key(), v.Headline, v.Facts)
			}
			if !strings.Contains(v.Headline, r.says) {
				t.Errorf("headline %q\nwant it to say %q", v.Headline, r.says)
			}
			all := v.Headline + "\n" + strings.Join(v.Facts, "\n")
			for _, n := range r.never {
				if strings.Contains(all, n) {
					t.Errorf("says %q:\n%s", n, all)
				}
			}
			if r.cred == "token_ne_key" && !strings.Contains(all, "also set, not sent by it: ANTHROPIC_API_KEY: 401") {
				t.Errorf("the key Claude Code does not send, rejected, is not said:\n%s", all)
			}
			if strings.Contains(all, `\u0026`) {
				t.Errorf("escaped &: %s", all)
			}
			if n := nested(all); n != "" {
				t.Errorf("a parenthesis inside another reads badly: %q in\n%s", n, all)
			}
			// One verdict per moment: a service row judged as the
			// verdict says it with the banner's certainty.
			for _, sv := range v.Services {
				if sv.Kind == v.Kind && strings.HasPrefix(sv.Words(), "Likely ") != strings.HasPrefix(v.Title(), "Likely ") {
					t.Errorf("%s says %q beside the verdict %q", sv.Service.Name, sv.Words(), v.Title())
				}
			}
			// Said once: "not Anthropic — not Anthropic" reads as a stutter.
			if strings.Count(v.Headline, "not Anthropic") > 1 {
				t.Errorf("headline says \"not Anthropic\" twice: %q", v.Headline)
			}
			// One verdict per moment: the path from here (someone else
			// answered, DNS, the proxy) is never our incident of Anthropic's,
			// nor linked to Anthropic's (cold2 C12).
			if v.Kind == probe.VerdictLocalNetwork || v.Kind == probe.VerdictLocalConfig {
				for _, l := range detect(input(r)) {
					if l.Kind == probe.KindProvider || l.OfficialID != "" {
						t.Errorf("verdict %s, yet the detector opened %q (kind %v, linked to %q)", v.Kind.Key(), l.Title(), l.Kind, l.OfficialID)
					}
				}
			}
		})
	}
}

// nested is the first parenthesis of ours inside another in s ("(last
// read 14:00 UTC (1 min ago))"), "" when none. What the upstream said,
// in double quotes, is theirs and skipped.
func nested(s string) string {
	depth, start, quoted := 0, 0, false
	for i, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '(':
			if depth == 0 {
				start = i
			}
			if depth++; depth > 1 {
				end := strings.IndexByte(s[i:], ')')
				if end < 0 {
					return s[start:]
				}
				return s[start : i+end+1]
			}
		case r == ')' && depth > 0:
			depth--
		}
	}
	return ""
}

// detect plays a row's results, oldest first, through a detector that
// opens an incident on the row's two rounds, the status page's incidents
// known, and returns the incidents open after them.
func detect(in Input) []probe.LocalIncident {
	d := NewDetector(DetectorConfig{FailThreshold: 2, Now: func() time.Time { return in.Now }})
	if in.Status != nil {
		d.Observe(probe.Event{Status: in.Status, Local: in.Local})
	}
	var all []probe.Result
	for _, rs := range in.Recent {
		all = append(all, rs...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Time.Before(all[j].Time) })
	for _, r := range all {
		d.Observe(probe.Event{Result: r})
	}
	return d.Open()
}

// TestREADMEListsTheTable holds README's table and this one together: the
// same rows, the same verdicts.
func TestREADMEListsTheTable(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "## How the verdict is decided")
	if !ok {
		t.Fatal(`README has no "How the verdict is decided" section`)
	}
	if i := strings.Index(sec, "\n## "); i >= 0 {
		sec = sec[:i]
	}
	readme := map[string]string{}
	for _, line := range strings.Split(sec, "\n") {
		cells := strings.Split(strings.Trim(line, "| "), "|")
		if len(cells) < 6 || !strings.HasPrefix(line, "| `") {
			continue
		}
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`")
		}
		n := 5 // the columns that name a case; the sessions' table has six
		if len(cells) >= 8 {
			n = 6
		}
		readme[strings.Join(cells[:n], " ")] = cells[n]
	}
	seen := map[string]bool{}
	for _, r := range table {
		key := strings.Join([]string{r.page, r.api, r.claude, r.cred, r.net}, " ")
		seen[key] = true
		got, ok := readme[key]
		switch {
		case !ok:
			t.Errorf("README lacks the row %s", key)
		case got != r.kind.Key():
			t.Errorf("README says %s for %s, the table %s", got, key, r.kind.Key())
		}
	}
	for _, r := range sessionsTable {
		key := strings.Join([]string{r.page, r.api, r.claude, r.cred, r.net, r.sessions}, " ")
		seen[key] = true
		got, ok := readme[key]
		switch {
		case !ok:
			t.Errorf("README lacks the sessions row %s", key)
		case got != r.kind.Key():
			t.Errorf("README says %s for %s, the table %s", got, key, r.kind.Key())
		}
	}
	for key := range readme {
		if !seen[key] {
			t.Errorf("README row %s is not in the table", key)
		}
	}
}

// slowed is r answered after 5 s, over the 3 s budget, as the probers say.
func slowed(r probe.Result) probe.Result {
	r.Class, r.Message = probe.ClassSlow, r.Message+"; slow: 5s, budget 3s"
	r.Phases.Total = 5 * time.Second
	return r
}
