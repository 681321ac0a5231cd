package catalogue

import (
	"slices"
	"strconv"
	"strings"

	"downforai/probe"
)

// Scores of one match; a signature beats a fragment, longer beats shorter,
// then the error type and the status break ties.
const (
	scoreSignature = 1000
	scorePattern   = 500
	scoreType      = 300
	scoreStatus    = 100
)

// Match finds the catalogue entry lower-case error text stands for, with
// what decided it: the signature or fragment found, or "error type …" /
// "HTTP …" when only Anthropic's error type or the status (as read from
// the text, 0 and "" when absent) names one entry. Exact signatures weigh
// most, then fragments, longer beating shorter, with the error type and
// the status as tie-breakers; nil when nothing matches.
func Match(lower string, status int, errType string) (*Entry, string) {
	best, bestScore, why := -1, 0, ""
	for i := range entries {
		e := &entries[i]
		score, what := 0, ""
		for _, s := range e.Signatures {
			if l := strings.ToLower(s); strings.Contains(lower, l) && scoreSignature+len(l) > score {
				score, what = scoreSignature+len(l), s
			}
		}
		for _, p := range e.Patterns {
			if strings.Contains(lower, p) && scorePattern+len(p) > score {
				score, what = scorePattern+len(p), p
			}
		}
		if score == 0 {
			continue
		}
		if errType != "" && slices.Contains(e.Types, errType) {
			score += scoreType
		}
		if status != 0 && slices.Contains(e.Statuses, status) {
			score += scoreStatus
		}
		if score > bestScore {
			best, bestScore, why = i, score, what
		}
	}
	if best >= 0 {
		e := entries[best] // a copy: the catalogue stays as it is
		return &e, why
	}
	// No phrase: the error type, else the status, where either means one
	// thing. invalid_request_error and 400 mean too many things to guess.
	if id, ok := entryOfType[errType]; ok {
		e, _ := entryPtr(id)
		return e, "error type " + errType
	}
	if id, ok := entryOfStatus[status]; ok {
		e, _ := entryPtr(id)
		return e, "HTTP " + strconv.Itoa(status)
	}
	return nil, ""
}

var entryOfType = map[string]EntryID{
	"authentication_error": EntryInvalidKey,
	"permission_error":     EntryPermission,
	"billing_error":        EntryCredit,
	"rate_limit_error":     EntryRateLimited,
	"overloaded_error":     EntryOverloaded,
	"api_error":            EntryServerError,
	"timeout_error":        EntryTimeout,
}

var entryOfStatus = map[int]EntryID{
	401: EntryInvalidKey,
	402: EntryCredit,
	403: EntryPermission,
	407: EntryProxy,
	408: EntryTimeout,
	429: EntryRateLimited,
	500: EntryServerError,
	502: EntryServerError,
	503: EntryServerError,
	504: EntryTimeout,
	529: EntryOverloaded,
}

func entryPtr(id EntryID) (*Entry, bool) {
	for _, e := range entries {
		if e.ID == id {
			return &e, true
		}
	}
	return nil, false
}

// MatchResult finds the catalogue entry a failing probe result stands for;
// false for healthy or unjudged results it has nothing to say about.
func MatchResult(r probe.Result) (Entry, bool) {
	var id EntryID
	switch {
	case r.Target == probe.TargetCode && r.Detail == "not installed":
		id = EntryCodeNotInstalled
	case !r.Class.Failing():
		return Entry{}, false
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
		case probe.NetTimeout:
			id = EntryTimeout
		default:
			id = EntryConnection
		}
	case r.Class == probe.ClassUnexpected && (r.Detail == "challenge" || r.ErrorType == "html"):
		id = EntryChallenge
	case r.Class == probe.ClassUnexpected && r.Target == probe.TargetCode:
		return Entry{}, false
	default:
		text := r.Message
		if r.ErrorType != "" {
			text = r.ErrorType + ": " + text
		}
		e, _ := Match(strings.ToLower(text), r.HTTPStatus, r.ErrorType)
		if e == nil {
			return Entry{}, false
		}
		return *e, true
	}
	return ByID(id)
}
