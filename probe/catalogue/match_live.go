package catalogue

import (
	"strconv"
	"strings"

	"downforai/probe"
)

// Matching live results: what a failing probe or local check stands for,
// beside match.go's matching of pasted text.

// MatchResult finds the catalogue entry a failing probe result stands for;
// false for healthy or unjudged results it has nothing to say about.
func MatchResult(r probe.Result) (Entry, bool) {
	var id EntryID
	switch {
	case r.Target == probe.TargetCode && r.Detail == "not installed":
		id = EntryCodeNotInstalled
	case !r.Class.Failing():
		return Entry{}, false
	case r.ErrorType == probe.ErrBaseURLV1, r.ErrorType == probe.ErrBaseURL404:
		// A 404 at a path every Anthropic API serves, under a URL the
		// user set: the URL (cold5 D34).
		id = EntryGateway
	case r.ErrorType == probe.ErrNotAnthropic:
		// Someone on the way answered, not Anthropic.
		id = EntryIntermediary
	case r.Class == probe.ClassNetwork && tlsToPlainHTTP(r.Message):
		id = EntryProxyScheme
	case r.Class == probe.ClassNetwork:
		switch r.ErrorType {
		case probe.NetDNS:
			id = EntryDNS
		case probe.NetTLS:
			id = EntryTLS
			if strings.Contains(r.Message, "not yet valid") {
				id = EntryClockSkew
			}
		case probe.NetProxy:
			id = EntryProxy
			if r.HTTPStatus == 407 {
				id = EntryProxyAuth
			}
		case probe.NetTimeout:
			id = EntryTimeout
		default:
			id = EntryConnection
		}
	case r.Target == probe.TargetClaudeAI && (r.Class == probe.ClassServer || r.Class == probe.ClassOverloaded):
		// claude.ai is a web app: its 5xx is an HTML page by nature, from
		// Anthropic's servers or Cloudflare in front of them (someone else
		// on the way is ErrNotAnthropic, above) — not "something in
		// between" because it is not JSON (cold walk: the Matching problem
		// said a proxy answered under a banner that said Anthropic).
		id = EntryServerError
	case r.Class == probe.ClassUnexpected && (r.Detail == "challenge" || r.ErrorType == "html"):
		id = EntryChallenge
	case r.Class == probe.ClassUnexpected && r.Target == probe.TargetCode:
		return Entry{}, false
	case r.Class == probe.ClassRateLimited && Keyless(r.Target):
		// A 429 to a request that carried no credential counted no key's
		// or plan's limit: the host limits this address (the judge says
		// "rate-limits requests from this address"), never "your rate
		// limit".
		id = EntryThrottled
	case r.Class == probe.ClassRateLimited && r.Target == probe.TargetAPIKey && knownLimit(r.RateLimit):
		// The key's own rate-limit headers say whose limit it is: used
		// up, yours; with room, likely Anthropic's (the judge reads them
		// the same way).
		id = EntryThrottled
		if used, _ := r.RateLimit.UsedUp(); used {
			id = EntryRateLimited
		}
	default:
		text := r.Message
		// " (retry after 30s)" is the prober's note, not the API's words.
		if i := strings.LastIndex(text, " (retry after "); i >= 0 && strings.HasSuffix(text, ")") {
			text = text[:i]
		}
		if r.ErrorType != "" {
			text = r.ErrorType + ": " + text
		}
		c := Read(text)
		if c.message == "" {
			// The probe writes the API's message after its status and
			// type ("404 not_found_error: model: claude-…"): without it a
			// model not found read as an endpoint not found.
			c.message = probeMessage(text, r.HTTPStatus, r.ErrorType)
		}
		if r.HTTPStatus != 0 {
			c.statuses = append(c.statuses, r.HTTPStatus)
		}
		if anthropicTypes[r.ErrorType] {
			c.types = appendNew(c.types, r.ErrorType)
		}
		m, ok := Find(c)
		if !ok {
			return Entry{}, false
		}
		return m.Entry, true
	}
	return ByID(id)
}

// probeMessage is the API's own message in a probe's text: what follows
// "STATUS TYPE: " (probe.ClassifyAPIError's form), "" when it is not there.
func probeMessage(text string, status int, errType string) string {
	if status == 0 || errType == "" {
		return ""
	}
	_, msg, ok := strings.Cut(text, strconv.Itoa(status)+" "+errType+": ")
	if !ok {
		return ""
	}
	return strings.TrimSpace(msg)
}

// Keyless reports whether target's requests carry no credential: claude.ai,
// the API's reachability probe and the status page.
func Keyless(t probe.Target) bool {
	return t == probe.TargetAPI || t == probe.TargetClaudeAI || t == probe.TargetStatus
}

func knownLimit(rl probe.RateLimit) bool {
	_, known := rl.UsedUp()
	return known
}

// MatchLive is MatchResult knowing the local checks. A rejection (401) on
// the key probe while the credential it sent is a Claude subscription
// token (sk-ant-oat01-…) in ANTHROPIC_API_KEY is that token in the wrong
// variable — the API answered "invalid x-api-key", but "Invalid API key"
// and its advice (compare the last four characters, create a new key)
// would send the user the wrong way. The entry's causes and fixes come in
// the order the local checks point at (InContext).
func MatchLive(r probe.Result, l *probe.LocalReport) (Entry, bool) {
	if OAuthInKeyVar(r, l) {
		return ByID(EntryOAuthNotSupported)
	}
	e, ok := MatchResult(r)
	return InContext(e, l), ok
}

// OAuthInKeyVar reports whether r is the key probe's rejection of an OAuth
// token that sits in ANTHROPIC_API_KEY.
func OAuthInKeyVar(r probe.Result, l *probe.LocalReport) bool {
	if r.Target != probe.TargetAPIKey || r.Class != probe.ClassAuth || l == nil {
		return false
	}
	p, ok := l.Probed()
	return ok && p.Source == "ANTHROPIC_API_KEY" && p.Kind == "OAuth token"
}
