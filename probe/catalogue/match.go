package catalogue

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"downforai/probe"
	"downforai/probe/lazyre"
)

// Confidence says how much of the paste backs a diagnosis.
type Confidence string

// The confidences, as `diagnose --json` prints them.
const (
	ConfidenceHigh   Confidence = "high"   // an exact signature with its status or error type, any word of the entry with both, Anthropic's whole error envelope (type, status, request id), or a structural proof
	ConfidenceMedium Confidence = "medium" // an exact signature or error code alone, or an error body's type with its status
	ConfidenceLow    Confidence = "low"    // a looser fragment, or the status or the error type alone
)

// Match is what Find made of some error text: the entry, what decided
// it, and how much of the text backs it.
type Match struct {
	Entry      Entry
	Matched    string
	Confidence Confidence
	// Decisive reports a match on words or structure, not on a status or
	// an error type alone.
	Decisive bool
	// Wrapper reports a match on an entry's wrapper words alone ("API
	// Error (Connection error.)"): the paste says what failed, not why.
	Wrapper bool
}

// Find matches clues against the catalogue: every entry scores on its
// exact signatures, error codes and fragments, strengthened or weakened
// by the HTTP status and Anthropic error type; the structural rules (whose
// page, whose error body, where the request went) weigh most; the most
// specific wins. False when nothing honestly fits.
func Find(p Clues) (Match, bool) {
	best, scored := pick(p)
	best = rules(p, resetLeads(p, best, scored))
	if best == nil {
		return Match{}, false
	}
	m := Match{Entry: *best.e, Matched: best.matched, Decisive: best.via <= viaPattern, Wrapper: best.wrapper}
	switch {
	case best.via == viaStructure, best.via == viaSignature && best.agreed,
		// A word of the entry's with the paste's own HTTP status and
		// error type both the entry's: an API error body in full.
		best.via <= viaPattern && best.both,
		// Anthropic's whole format: its envelope, its request id, and a
		// status and error type both the entry's.
		best.via == viaType && best.both && p.envelope:
		m.Confidence = ConfidenceHigh
	case best.via <= viaCode, best.via == viaPattern && best.agreed,
		// Anthropic's error body with no word of the entry's: its type
		// and its status agreeing say as much as an error code.
		best.via == viaType && best.both:
		m.Confidence = ConfidenceMedium
	default:
		m.Confidence = ConfidenceLow
	}
	// A loose word inside an error type Anthropic never sends, with none
	// of Anthropic's: {"error":{"type":"server_error","message":
	// "Overloaded"}} says overloaded in someone else's format — relayed by
	// a client or gateway, or another service's own. Said so, and low.
	if best.via >= viaPattern && len(p.types) == 0 && len(p.foreign) > 0 {
		m.Confidence = ConfidenceLow
		m.Matched = fmt.Sprintf("%s, in an error type Anthropic does not send (%s): relayed, or another service's", probe.Quote(best.matched), p.foreign[0])
	}
	m.Matched = relayedBy(p, m)
	return m, true
}

// relayedBy is what matched, said as the relay's report when a relay
// known by its own format (OpenRouter, LiteLLM) carries the error: whose
// words they are — Anthropic's where its error types survive, the
// provider the relay names otherwise — is what the relay says, and the
// confidence already follows how much of Anthropic's format survives.
func relayedBy(p Clues, m Match) string {
	if p.relay == "" || m.Entry.Group == GroupProvider {
		return m.Matched
	}
	if m.Entry.ID == EntryGateway {
		if strings.Contains(strings.ToLower(m.Matched), strings.ToLower(p.relay)) {
			return m.Matched
		}
		from := ""
		if p.upstream != "" {
			from = ", for its provider " + p.upstream
		}
		return fmt.Sprintf("%s; %s's own error%s", m.Matched, p.relay, from)
	}
	who := "Anthropic"
	if p.upstream != "" && !strings.EqualFold(p.upstream, "anthropic") {
		who = "its provider " + p.upstream
	}
	if len(p.types) == 0 {
		return fmt.Sprintf("%s, relayed by %s, not in Anthropic's format", probe.Quote(m.Matched), p.relay)
	}
	return fmt.Sprintf("%s reports %s said %s", p.relay, who, probe.Quote(m.Matched))
}

// providerHost reports whether host is another model provider's own
// (OpenAI's, Google's, Amazon's, Microsoft's Azure).
func providerHost(host string) bool {
	return firstParty(host) && !probe.AnthropicHost(host) && !strings.HasSuffix(host, "openrouter.ai")
}

// How a candidate matched, strongest first.
const (
	viaStructure = iota
	viaSignature
	viaCode
	viaPattern
	viaType
	viaStatus
)

// Scores: a structural proof beats an exact signature, which beats an
// error code, which beats a looser fragment; a longer phrase beats a
// shorter one; agreeing error types and statuses add, contradicting ones
// take away.
const (
	scoreStructure = 2500
	scoreSignature = 1000
	scoreCode      = 700
	scorePattern   = 600
	scoreTypeAgree = 300
	scoreTypeClash = -250
	scoreStatAgree = 100
	scoreStatClash = -100
	// scoreWrapper is what a phrase holding an entry's wrapper words
	// weighs instead of its kind's score: below every phrase that names a
	// cause and below an error type alone.
	scoreWrapper = 200
)

type candidate struct {
	e       *Entry
	score   int
	via     int
	matched string
	agreed  bool // the paste's status or error type is the entry's
	both    bool // its status and its error type both are
	wrapper bool // matched on wrapper words alone
}

// pick scores every entry on what the paste says of it: the best
// candidate, and every entry's own by id (those whose words matched).
func pick(p Clues) (*candidate, map[EntryID]*candidate) {
	var best *candidate
	scored := map[EntryID]*candidate{}
	consider := func(c *candidate) {
		if best == nil || c.score > best.score || c.score == best.score && c.via < best.via {
			best = c
		}
	}
	for i, e := range phraseTable() {
		if entries[i].Group == GroupProvider {
			continue // who answered, not what went wrong: providerOf decides
		}
		c := &candidate{e: &entries[i]}
		// try keeps the phrase if it weighs more than what matched so far.
		try := func(score, via int, w bool, n int, found func() (string, bool)) {
			if w {
				score = scoreWrapper
			}
			if score += n; score <= c.score {
				return
			}
			if matched, ok := found(); ok {
				c.score, c.via, c.matched, c.wrapper = score, via, matched, w
			}
		}
		for j, q := range e.signatures {
			if len(q) >= 4 {
				try(scoreSignature, viaSignature, e.signatureWraps[j], len(q), func() (string, bool) {
					k := strings.Index(p.squash, q)
					return cmp.Or(p.spelled(k, len(q)), entries[i].Signatures[j]), k >= 0
				})
			}
		}
		for j, w := range e.codes {
			try(scoreCode, viaCode, e.codeWraps[j], len(w), func() (string, bool) {
				return entries[i].Codes[j], hasWord(p.lower, w)
			})
		}
		for j, q := range e.patterns {
			try(scorePattern, viaPattern, e.patternWraps[j], len(q), func() (string, bool) {
				k := strings.Index(p.squash, q)
				return cmp.Or(p.spelled(k, len(q)), entries[i].Patterns[j]), k >= 0
			})
		}
		e := c.e
		if c.score == 0 {
			continue
		}
		switch {
		case len(e.Types) == 0 || len(p.types) == 0:
		case slices.ContainsFunc(p.types, func(t string) bool { return slices.Contains(e.Types, t) }):
			c.score += scoreTypeAgree
			c.agreed = true
		default:
			c.score += scoreTypeClash
		}
		switch {
		case len(e.Statuses) == 0 || len(p.statuses) == 0:
		case p.hasStatus(e.Statuses):
			c.score += scoreStatAgree
			c.both = c.agreed
			c.agreed = true
		default:
			c.score += scoreStatClash
		}
		scored[e.ID] = c
		consider(c)
	}
	for _, c := range structural(p) {
		consider(c)
	}
	// The error type alone competes too, so a loose word with the wrong
	// type ("Overloaded" in an api_error) does not beat a clear type.
	if c := byType(p); c != nil {
		consider(c)
	}
	if c := byField(p); c != nil {
		consider(c)
	}
	// A status that means one thing names a cause; wrapper words do not.
	// A loose word in an error type Anthropic never sends, with a status
	// not the entry's: {"error":{"type":"new_api_error","message":
	// "rate_limit_check_failed"}} with a 500 is that service failing, not
	// your rate limit: the status says more than the word.
	clash := best != nil && best.via == viaPattern && len(p.types) == 0 && len(p.foreign) > 0 &&
		len(best.e.Statuses) > 0 && len(p.statuses) > 0 && !p.hasStatus(best.e.Statuses)
	if best == nil || best.wrapper || clash {
		if fb := fallback(p); fb != nil && (best == nil || clash || fb.e.ID == entryOfStatus[p.Status()]) {
			if best != nil && best.e == fb.e {
				fb.matched = best.matched // "403 Forbidden" as the paste spells it, still a status's weight
			}
			return fb, scored
		}
	}
	return best, scored
}

// phrases are an entry's signatures and patterns squashed, and its codes
// in lower case, once: the forms the matcher compares; and for each,
// whether it holds one of the entry's wrappers.
type phrases struct {
	signatures, patterns, codes             []string
	signatureWraps, patternWraps, codeWraps []bool
}

var phraseTable = sync.OnceValue(func() []phrases {
	out := make([]phrases, len(entries))
	for i, e := range entries {
		wraps := func(s string) bool {
			return slices.ContainsFunc(e.Wrappers, func(w string) bool { return strings.Contains(squash(s), squash(w)) })
		}
		for _, s := range e.Signatures {
			out[i].signatures = append(out[i].signatures, squash(s))
			out[i].signatureWraps = append(out[i].signatureWraps, wraps(s))
		}
		for _, s := range e.Patterns {
			out[i].patterns = append(out[i].patterns, squash(s))
			out[i].patternWraps = append(out[i].patternWraps, wraps(s))
		}
		for _, s := range e.Codes {
			out[i].codes = append(out[i].codes, strings.ToLower(s))
			out[i].codeWraps = append(out[i].codeWraps, wraps(s))
		}
	}
	return out
})

// structural are the rules that read where an error came from rather
// than its words.
func structural(p Clues) []*candidate {
	var out []*candidate
	add := func(id EntryID, matched string) {
		out = append(out, &candidate{e: entry(id), score: scoreStructure, via: viaStructure, matched: matched})
	}
	if p.anthropicEdge {
		add(EntryServerError, "Cloudflare's error page for api.anthropic.com: "+probe.Quote(edgeTitle(p)))
	}
	if p.httpsProxy {
		add(EntryProxyScheme, "HTTPS_PROXY set to an https:// URL")
	}
	// Anthropic's own client calls a bare 429 "Rate limited" the server
	// limiting requests, "not your usage limit"; the organisation's limits
	// say which limit and how much.
	// Claude Code writes that message after "Request rejected (429) ·",
	// with no type: the same bare words, not a word of whose limit.
	if bareRateLimited(p.message) {
		switch {
		case slices.Contains(p.types, "rate_limit_error"):
			add(EntryThrottled, `rate_limit_error with the bare message "Rate limited"`)
		case slices.Contains(p.statuses, 429) && len(p.types) == 0:
			add(EntryThrottled, `a 429 with the bare message "`+p.message+`"`)
		}
	}
	if slices.Contains(p.types, "not_found_error") && modelMessage(p) {
		add(EntryModelNotFound, "not_found_error about the model: "+probe.Quote(p.message))
	}
	// Claude Code's usage-limit notice names its reset: "5-hour limit
	// reached ∙ resets 3pm", "You've hit your weekly limit · resets Sep 15
	// at 7pm", "Claude AI usage limit reached|1760000400". Only a plan's
	// limit is said that way; a key's rate limit says retry-after.
	if m := reUsageNotice.FindString(p.flat); m != "" {
		add(EntryUsageLimit, strings.TrimSpace(oneSpace(m)))
	}
	if p.html && slices.Contains(p.statuses, 404) && !strings.Contains(p.squash, "justamoment") {
		add(EntryGateway, "an HTML page answering 404: the base URL is a web site, not the API")
	}
	return out
}

// reUsageNotice is a plan limit's notice with the reset that follows it.
var reUsageNotice = lazyre.New(`(?i)(?:\b(?:you've|you have|you're|you are|claude(?: ai)?|opus|sonnet|haiku|fable)\s+)?(?:\b(?:5|five)[- ]hour limit reached|\b(?:session|weekly|monthly|usage) limit reached|\bhit your (?:session |weekly |org's monthly usage |monthly usage )?limit|\bout of extra usage)` +
	`(?:\s*[.·∙•–—-]?\s*(?:your limit will )?resets?(?: at| in)?\s+[0-9A-Za-z][^\n().!/|]{0,30}(?:\([A-Za-z_+\-/0-9]+\))?|\|\d{10}\b)`)

func edgeTitle(p Clues) string {
	if p.title != "" {
		return p.title
	}
	if m := reEdge.FindString(p.flat); m != "" {
		return m
	}
	return "api.anthropic.com"
}

// modelMessage reports whether a not_found_error is about the model.
func modelMessage(p Clues) bool {
	m := strings.ToLower(p.message)
	return strings.HasPrefix(m, "model:") || strings.Contains(m, "model") && !strings.HasPrefix(m, "not found")
}

// scoreTypeOnly is what Anthropic's error type alone weighs: more than a
// loose fragment that contradicts it, less than a phrase that agrees.
const scoreTypeOnly = 500

// byType is the candidate Anthropic's error type names by itself.
func byType(p Clues) *candidate {
	if len(p.types) == 0 {
		return nil
	}
	t := p.types[len(p.types)-1]
	id, ok := entryOfType[t]
	if !ok {
		if t == "invalid_request_error" && p.hasStatus([]int{400}) && len(strings.Fields(p.message)) >= 4 {
			// Anthropic's 400 invalid_request_error says the request is
			// at fault unless a phrase says which other thing it is (a
			// low credit balance, a credential in the wrong header each
			// has its own, and outweighs this): below any phrase, above
			// nothing ("A maximum of 4 blocks with cache_control may be
			// provided" matched no entry). Only when its message says
			// something: a bare "Error" or "Invalid request" may be a
			// credential sent the wrong way, which the text cannot tell.
			c := &candidate{e: entry(EntryInvalidRequest), score: scoreTypeOnly - 200 + scoreStatAgree, via: viaType, matched: "error type " + t + " with HTTP 400"}
			c.agreed, c.both = true, true
			return c
		}
		return nil
	}
	c := &candidate{e: entry(id), score: scoreTypeOnly, via: viaType, matched: "error type " + t}
	if p.hasStatus(c.e.Statuses) {
		c.score += scoreStatAgree
		c.agreed, c.both = true, true // an API error body: its status and its type, both the entry's
	}
	return c
}

// byField is the candidate a validation error's field path names: the
// API refusing one field of the request ("tools.0.custom.name: String
// should match pattern …") says the request is at fault, whichever field,
// with or without its status and type; as much as the error type with
// HTTP 400 weighs, below any phrase.
func byField(p Clues) *candidate {
	if p.field == "" || p.Status() != 0 && p.Status() != 400 {
		return nil
	}
	c := &candidate{e: entry(EntryInvalidRequest), score: scoreTypeOnly - 200 + scoreStatAgree, via: viaType,
		matched: "the API's refusal of the request's field " + p.field}
	c.agreed = true
	return c
}

// fallback decides on the status where it means one thing; a status
// without Anthropic's error body is not Anthropic's.
func fallback(p Clues) *candidate {
	s := p.Status()
	if s == 0 {
		return nil
	}
	how := "HTTP " + strconv.Itoa(s)
	if c := p.SDKClass(); c != "" {
		how = c + " (the SDK's error for HTTP " + strconv.Itoa(s) + ")"
	}
	if id, ok := entryOfStatus[s]; ok {
		return &candidate{e: entry(id), via: viaStatus, matched: how}
	}
	if s >= 500 {
		return &candidate{e: entry(EntryIntermediary), via: viaStatus, matched: how + " without Anthropic's error body"}
	}
	return nil
}

var entryOfType = map[string]EntryID{
	"authentication_error": EntryInvalidKey,
	"permission_error":     EntryPermission,
	"billing_error":        EntryCredit,
	"rate_limit_error":     EntryRateLimited,
	"overloaded_error":     EntryOverloaded,
	"api_error":            EntryServerError,
	"timeout_error":        EntryTimeout,
	"not_found_error":      EntryEndpointNotFound,
	"request_too_large":    EntryRequestTooLarge,
	// invalid_request_error is not here: Anthropic sends it for a low
	// credit balance and for a credential in the wrong header too, so
	// alone it does not say the request is at fault.
}

// entryOfStatus holds the statuses that mean one thing even without a
// body, and 403, which means several, said as such (EntryForbidden: either
// side, low); 400 means too many things to guess.
var entryOfStatus = map[int]EntryID{
	401: EntryInvalidKey,
	403: EntryForbidden,
	407: EntryProxyAuth,
	408: EntryTimeout,
	413: EntryRequestTooLarge,
	429: EntryRateLimited,
	504: EntryTimeout,
	529: EntryOverloaded,
}

// rules turn the best candidate into the right one when the paste shows
// the error is not Anthropic's: relayed inside another service's error,
// logged by a server the user runs, or sent to a host that is not
// Anthropic's. Request errors stay what they are (the request is wrong
// wherever it went); credential, quota and server errors belong to the
// gateway that answered.
func rules(p Clues, best *candidate) *candidate {
	why := ""
	switch {
	case p.relayed:
		why = "an error relayed inside another service's error body"
	case p.accessLog:
		why = "a local server's access log"
	case p.thirdPartyTarget() != "":
		why = "a request sent to " + p.thirdPartyTarget() + ", not api.anthropic.com"
	case gatewayWords(p) != "":
		why = "a gateway's own words (" + probe.Quote(gatewayWords(p)) + ")"
	case p.billing != "" && !providerHost(p.billing):
		// "visit https://openrouter.ai/settings/credits": the credits
		// that ran out are kept by that host, a relay, whatever format
		// its error borrows (OpenAI's insufficient_quota).
		why = "credits kept by " + p.billing + ", not Anthropic"
	case providerOf(p, best) != nil:
		return providerOf(p, best)
	case len(p.foreign) > 0 && (best == nil || best.via >= viaType):
		why = "an error type Anthropic does not send (" + p.foreign[0] + ")"
	case p.foreignBody != "" && len(p.types) == 0:
		why = "an error body Anthropic does not send (" + p.foreignBody + ")"
	}
	if why == "" {
		return best
	}
	if best != nil {
		switch best.e.Group {
		case GroupRequest, GroupNetwork, GroupCode:
			if !saysLittle(best.e.ID) {
				return best
			}
		}
		if best.e.ID == EntryGateway {
			return best
		}
		why = fmt.Sprintf("%s in %s", probe.Quote(best.matched), why)
	}
	return &candidate{e: entry(EntryGateway), via: viaStructure, matched: why}
}

// saysLittle reports whether entry id is a status that does not say who
// answered (a 5xx without Anthropic's body, a bare 403): where the paste
// shows who did — a gateway, another provider — that decides.
func saysLittle(id EntryID) bool { return id == EntryIntermediary || id == EntryForbidden }

// providerOf is the candidate of the other provider whose own words the
// paste holds (Bedrock's, Vertex AI's, OpenAI's), saying what else it
// read in them; nil when it holds none. A network failure stays what it
// is wherever the request went.
func providerOf(p Clues, best *candidate) *candidate {
	id, name, words := p.provider()
	if id == "" {
		return nil
	}
	e := entry(id)
	// A connection error's class name (LiteLLM's "APIConnectionError")
	// around the provider's own sentence ("Model access is denied …") is
	// the relay's label: the provider answered, and its words say why. A
	// host's name alone (api.openai.com) is only where it was sent.
	if best != nil && best.e.Group == GroupNetwork && !saysLittle(best.e.ID) &&
		!(best.via >= viaCode && strings.Contains(words, " ")) {
		return best
	}
	if sig := longestSignature(p, e); sig != "" {
		words = sig
	}
	matched := name + "'s own words: " + probe.Quote(words)
	if best != nil && best.via <= viaCode && best.e.Group != GroupNetwork {
		matched = fmt.Sprintf("%s in %s", probe.Quote(best.matched), matched)
	}
	return &candidate{e: e, via: viaStructure, matched: matched}
}

// longestSignature is e's longest signature in the paste, as the paste
// spells it; "" when it holds none.
func longestSignature(p Clues, e *Entry) string {
	i := slices.IndexFunc(entries, func(x Entry) bool { return x.ID == e.ID })
	best := ""
	for _, q := range phraseTable()[i].signatures {
		if k := strings.Index(p.squash, q); k >= 0 && len(q) > len(squash(best)) {
			best = p.spelled(k, len(q))
		}
	}
	return best
}

// gatewayWords is the gateway signature the paste holds, if any: a relay
// or gateway saying in its own words that it answered.
func gatewayWords(p Clues) string {
	i := slices.IndexFunc(entries, func(e Entry) bool { return e.ID == EntryGateway })
	for j, q := range phraseTable()[i].signatures {
		if k := strings.Index(p.squash, q); k >= 0 {
			return cmp.Or(p.spelled(k, len(q)), entries[i].Signatures[j])
		}
	}
	return ""
}

func entry(id EntryID) *Entry {
	for i := range entries {
		if entries[i].ID == id {
			return &entries[i]
		}
	}
	panic("no catalogue entry " + string(id))
}

// hasWord reports whether w occurs in s between non-word characters.
func hasWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !wordByte(s[j-1])
		after := j+len(w) == len(s) || !wordByte(s[j+len(w)])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func wordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// tlsToPlainHTTP reports whether an error is TLS spoken to a proxy or
// server that speaks plain HTTP (an https:// proxy or base URL), as Go and
// OpenSSL word it.
func tlsToPlainHTTP(msg string) bool {
	for _, s := range []string{"first record does not look like a TLS handshake", "server gave HTTP response to HTTPS client", "wrong version number"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// bareRateLimited reports whether an error message is no more than "Rate
// limited" ("Rate limited.", "Rate limited. Please try again later."):
// it names no limit, so it says nothing of whose.
func bareRateLimited(msg string) bool {
	m := strings.TrimSpace(msg)
	if rest, ok := strings.CutSuffix(strings.ToLower(m), "please try again later."); ok {
		m = strings.TrimSpace(m[:len(rest)])
	}
	return strings.EqualFold(strings.TrimSuffix(m, "."), "rate limited")
}
