package catalogue

import (
	"cmp"
	"slices"
	"strings"

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
	SideProvider   Side = "provider"  // another model provider's service or account (Bedrock, Vertex AI, OpenAI)
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
	case SideProvider:
		return "another provider's answer: not Anthropic's API, and not what downforai probes"
	}
	return "either side: the live probes tell which"
}

// SidePhrase says whose problem e is, in words: its Whose, else its
// side's phrase.
func (e Entry) SidePhrase() string {
	if e.Whose != "" {
		return e.Whose
	}
	return e.Side.Phrase()
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
	GroupProvider   Group = "Another provider"
)

// Groups lists the groups in browsing order; the slice is the caller's own.
func Groups() []Group { return slices.Clone(groups) }

// groups are the groups in browsing order.
var groups = []Group{GroupAnthropic, GroupCredential, GroupQuota, GroupNetwork, GroupRequest, GroupCode, GroupProvider}

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
	// Wrappers are the words a client writes around any failure of this
	// kind whatever caused it ("Connection error.", "fetch failed"): they
	// say that it failed, not why. A signature, pattern or code holding one
	// matches the entry only where the paste names no cause: any other
	// entry's phrase, error type or a status that means one thing outranks it.
	Wrappers []string

	// Whose says whose answer the entry is when its side's phrase would
	// say less ("the proxy's answer, not Anthropic's"); "" for the side's.
	Whose string
	// Elsewhere is what an entry on Anthropic's side says when the answer
	// came from a base URL that is not Anthropic's (At): whose words the
	// error was is then that service's, relaying its upstream or not.
	Elsewhere Elsewhere
	// App marks claude.ai's own words (its outage page, its capacity
	// message): shown by the web app, never an answer through
	// ANTHROPIC_BASE_URL, so At leaves them Anthropic's.
	App bool

	Causes  []string
	Fix     []string // ordered steps
	Confirm string   // how downforai confirms it live, for people
	Targets []probe.Target
	Locals  []string // ids of the local checks that bear on it (probe.LocalCheckIDs)
	// Leads put a cause and a fix first when a local check observed what
	// makes them the likely one (InContext): the order follows the evidence.
	Leads []Lead
}

// Lead is a cause and a fix of an entry (indexes into Causes and Fix) that
// go first while the local check Check says something starting with Says,
// or found what Finding names (probe.ProxyDirect for probe.CauseDirect).
type Lead struct {
	Check, Says, Finding string
	Cause, Fix           int
}

// InContext is e with its causes and fixes ordered by what the local
// checks observed: with no proxy the API's requests use, a 407 came from a
// proxy on the path, so that cause and its fix lead, not "put the
// credentials in HTTPS_PROXY".
func InContext(e Entry, l *probe.LocalReport) Entry {
	for _, ld := range e.Leads {
		c, ok := l.Check(ld.Check)
		switch {
		case !ok:
			continue
		case ld.Finding == probe.CauseDirect:
			if !probe.ProxyDirect(c) {
				continue
			}
		case ld.Finding != "":
			if c.Cause != ld.Finding {
				continue
			}
		case !strings.HasPrefix(c.Text, ld.Says):
			continue
		}
		e.Causes, e.Fix = first(e.Causes, ld.Cause), first(e.Fix, ld.Fix)
		break
	}
	return e
}

// first is a copy of list with its i-th item moved to the front.
func first(list []string, i int) []string {
	if i <= 0 || i >= len(list) {
		return list
	}
	out := append([]string{list[i]}, list[:i]...)
	return append(out, list[i+1:]...)
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
	EntrySpendLimit         EntryID = "api_spend_limit"
	EntryOrgDisabled        EntryID = "organization_disabled"
	EntryRateLimited        EntryID = "rate_limited"
	EntryRateLimitUnsaid    EntryID = "rate_limit_unsaid"
	EntryUsageLimit         EntryID = "usage_limit"
	EntryLongContext        EntryID = "long_context_unavailable"
	EntryOverloaded         EntryID = "overloaded"
	EntryServerError        EntryID = "server_error"
	EntryThrottled          EntryID = "server_throttled"
	EntryAppOutage          EntryID = "claude_ai_unavailable"
	EntryAutoMode           EntryID = "auto_mode_unavailable"
	EntryCapacity           EntryID = "capacity_constraints"
	EntryBlocked            EntryID = "access_blocked"
	EntryFetchCheck         EntryID = "webfetch_check_blocked"
	EntryRegion             EntryID = "region_unavailable"
	EntryTimeout            EntryID = "request_timeout"
	EntryDNS                EntryID = "dns_failure"
	EntryTLS                EntryID = "tls_failure"
	EntryConnection         EntryID = "connection_refused_reset"
	EntryDropped            EntryID = "connection_dropped"
	EntryStreamUnparsed     EntryID = "stream_unparsed"
	EntryProxy              EntryID = "proxy_misconfigured"
	EntryProxyAuth          EntryID = "proxy_auth_required"
	EntryProxyScheme        EntryID = "proxy_https_scheme"
	EntrySOCKS              EntryID = "socks_proxy"
	EntryIntermediary       EntryID = "intermediary_error"
	EntryForbidden          EntryID = "forbidden_unsaid"
	EntryChallenge          EntryID = "challenge_page"
	EntryGateway            EntryID = "base_url_gateway"
	EntryClockSkew          EntryID = "clock_skew"
	EntryPromptTooLong      EntryID = "prompt_too_long"
	EntryRequestTooLarge    EntryID = "request_too_large"
	EntryImageTooLarge      EntryID = "image_too_large"
	EntryModelNotFound      EntryID = "model_not_found"
	EntryEndpointNotFound   EntryID = "endpoint_not_found"
	EntryInvalidRequest     EntryID = "invalid_request"
	EntryOutputTooLong      EntryID = "output_too_long"
	EntryPDF                EntryID = "pdf_rejected"
	EntryLoginCode          EntryID = "login_code_invalid"
	EntryKeychain           EntryID = "keychain_error"
	EntryMCP                EntryID = "mcp_server_failed"
	EntryToolUse            EntryID = "tool_use_mismatch"
	EntryContentFiltered    EntryID = "content_filtered"
	EntryCodeNotInstalled   EntryID = "claude_code_not_installed"
	EntryCodeNotLoggedIn    EntryID = "claude_code_not_logged_in"
	EntryKeyOverridesLogin  EntryID = "api_key_overrides_login"
	EntryBedrock            EntryID = "bedrock_error"
	EntryVertex             EntryID = "vertex_error"
	EntryOpenAI             EntryID = "openai_error"
)

// requestFix is the first step of every request entry: the point the
// user most needs to hear.
const requestFix = "This is about the request, not an outage and not your key: retrying the same request likely gives the same answer."

// Entries lists every known problem, by group: the one source for the
// Troubleshooting tab, `downforai diagnose`, `downforai faq` and the
// report. The slice is the caller's own.
func Entries() []Entry { return slices.Clone(entries) }

// entries is the catalogue, by group: the entries stand in files by side
// (entries_*.go), and this order is the order Entries, the tab and the
// FAQ show them in.
var entries = slices.Concat(anthropicEntries, accountEntries, networkEntries, requestAndCodeEntries, providerEntries)

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
	{probe.CheckKeyFormat, probe.ClassAuth, ""}:                        EntryInvalidKey,
	{probe.CheckKeyFormat, probe.ClassAuth, probe.CauseOAuthToken}:     EntryOAuthNotSupported,
	{probe.CheckCredential, probe.ClassAuth, ""}:                       EntryMissingKey,
	{probe.CheckOverride, probe.ClassAuth, ""}:                         EntryKeyOverridesLogin,
	{probe.CheckBaseURL, probe.ClassUnexpected, ""}:                    EntryGateway,
	{probe.CheckCodeAuth, probe.ClassUnknown, probe.CauseNotInstalled}: EntryCodeNotInstalled,
	{probe.CheckCodeAuth, probe.ClassAuth, ""}:                         EntryCodeNotLoggedIn,
	{probe.CheckCodeLogin, probe.ClassAuth, ""}:                        EntryCodeNotLoggedIn,
	{probe.CheckCodeLogin, probe.ClassAuth, probe.CauseExpired}:        EntryOAuthExpired,
	{probe.CheckCodeLogin, probe.ClassAuth, probe.CauseRejected}:       EntryOAuthRevoked,
	{probe.CheckProxy, probe.ClassNetwork, ""}:                         EntryProxy,
	{probe.CheckProxy, probe.ClassNetwork, probe.CauseSOCKS}:           EntrySOCKS,
	{probe.CheckProxy, probe.ClassNetwork, probe.CauseHTTPSProxy}:      EntryProxyScheme,
	{probe.CheckDNS, probe.ClassNetwork, ""}:                           EntryDNS,
	{probe.CheckClock, probe.ClassNetwork, ""}:                         EntryClockSkew,
}

// checkFixes are the fixes (indexes into the entry's Fix) that act on what
// a local check found, where it is not the entry's first: a key of an odd
// format is set again without quotes or spaces, not compared in the
// Console.
var checkFixes = map[checkFinding]int{
	{probe.CheckKeyFormat, probe.ClassAuth, ""}: 2,
}

// FixFor is the one fix of the entry a local check's finding points at
// that acts on what the check found — the entry's other fixes are for
// the same problem seen from elsewhere (a rejection the probes saw);
// false when the check points at no entry. The local checks l order the
// fixes as InContext does.
func FixFor(c probe.LocalCheck, l *probe.LocalReport) (string, bool) {
	e, ok := ForCheck(c)
	if !ok || len(e.Fix) == 0 {
		return "", false
	}
	if i, ok := checkFixes[checkFinding{c.ID, c.Class, c.Cause}]; ok && i < len(e.Fix) {
		return e.Fix[i], true
	}
	return InContext(e, l).Fix[0], true
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

// WhoseLimitTells is how to tell whose limit a 429 is when its words do
// not say: the entries of such 429s (EntryRateLimitUnsaid,
// EntryThrottled) end their What with it, so the two say it alike.
const WhoseLimitTells = "To tell: /usage in Claude Code shows the plan's session and weekly windows (at 100%, it is your plan's limit); with an API key, the 429's anthropic-ratelimit-*-remaining headers (0 is your key's limit) and the Claude Console's Limits page; a gateway at ANTHROPIC_BASE_URL, its own limits."

// Elsewhere is an entry's title and what-it-is when the error came from a
// service at a base URL that is not Anthropic's API (a gateway, a relay,
// another provider behind an Anthropic-style URL): What is said after
// "The service at URL (…)", so it names no speaker of its own.
type Elsewhere struct {
	Title string // "" keeps the entry's
	What  string
}

// At is e as said of an answer from base, the URL the requests went to,
// with how that URL is known (from: "where Claude Code's requests go,
// ANTHROPIC_BASE_URL"): under a base URL that is not Anthropic's API, an
// entry with Elsewhere words says the service there said it, not
// Anthropic; otherwise e unchanged.
func (e Entry) At(base, from string) Entry {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	if e.App || e.Elsewhere.What == "" || base == "" || !probe.UserBaseURL(base) {
		return e
	}
	e.Title = cmp.Or(e.Elsewhere.Title, e.Title)
	e.What = "The service at " + probe.Line(probe.MaskURL(base), 100) + " (" + from + ") " + e.Elsewhere.What
	e.Whose = "the service at that URL, or its upstream: not Anthropic's API directly"
	return e
}
