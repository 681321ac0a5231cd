// How one of our incidents is named: its title, from the classes of its
// failures, the steady run before it turned unstable, or the gateway that
// answered for itself.

package probe

import (
	"fmt"
	"strings"
)

// incidentWords names a class of failure in a title.
func incidentWords(c Class) string {
	switch c {
	case ClassRateLimited:
		return "rate limited"
	case ClassServer:
		return "server errors"
	case ClassAuth:
		return "credential rejected"
	case ClassBilling:
		return "billing or credit refused"
	case ClassUnexpected:
		return "unexpected answers"
	case ClassNetwork:
		return "unreachable"
	}
	return c.String()
}

// pageWhy says in words why the status page could not be read.
func pageWhy(status int, errType string) string {
	switch errType {
	case "html":
		return "an HTML page, not JSON"
	case "not_json", "wrong_shape":
		return "not status JSON"
	case "too_large":
		return "a body over 1 MiB"
	case NetTimeout:
		return "timed out"
	case NetReset:
		return "connection reset"
	case NetRefused:
		return "connection refused"
	case NetDNS:
		return "DNS lookup failed"
	case NetTLS:
		return "TLS handshake failed"
	case "foreign_page":
		return "not Claude's page"
	}
	if status != 0 && status != 200 {
		return fmt.Sprint(status)
	}
	return "unexpected answer"
}

// FailureWords names one failing result as a title does: "unreachable
// (refused)", "overloaded (529)".
func FailureWords(r Result) string {
	what := incidentWords(r.Class)
	switch {
	case r.Class == ClassNetwork && r.ErrorType != "":
		what += " (" + Line(r.ErrorType, 20) + ")"
	case r.HTTPStatus != 0 && statusFits(r.Class, r.HTTPStatus, r.ErrorType):
		what += fmt.Sprintf(" (%d)", r.HTTPStatus)
	}
	return what
}

// statusFits reports whether an HTTP status (with its error type) can be
// a failure of class c: a 429 is a rate limit, never "billing or credit"
// (unless the body said so, which made the class billing).
func statusFits(c Class, status int, errType string) bool {
	switch c {
	case ClassOverloaded:
		return status == 529 || errType == "overloaded_error"
	case ClassServer:
		return status >= 500 && status != 529
	case ClassAuth:
		return status == 401 || status == 403
	case ClassRateLimited:
		return status == 429
	case ClassNetwork:
		return status == 0 // no answer: a 529 is an answer, never "unreachable (529)"
	case ClassBilling:
		return status == 400 || status == 402 || status == 403 || errType == "billing_error"
	}
	return true
}

// Title names the incident for people: "Claude API: overloaded (529)". It
// names the class seen most; the HTTP status (the newest failure's) only
// when it is of that class, and a second class when there was one:
// "billing or credit refused, then rate limited (429)".
func (l LocalIncident) Title() string {
	if t, ok := l.gatewayTitle(); ok {
		return t
	}
	classes := l.titleClasses()
	c := MostClass(classes, l.LastClass)
	what := incidentWords(c)
	if c == ClassNetwork && l.Kind == KindProvider && l.Hung {
		// One host taking the connection, then not answering: the
		// verdict's "after connecting" — not unreachable.
		what = "no answer after connecting"
	}
	switch l.ErrorType {
	case NetDNS:
		if c == ClassNetwork {
			// The verdict's "Your DNS resolver cannot resolve …": a
			// lookup that failed here, not a host that did not answer.
			what = "name does not resolve"
		}
	case NetProxy:
		// A proxy answered with a status: something did answer, so not
		// "unreachable" (cold walk of Dec 7: "API reachability:
		// unreachable · all 5 probes failed" beside a banner that said a
		// proxy answered 407).
		switch {
		case c != ClassNetwork || l.HTTPStatus == 0:
		case l.HTTPStatus == 407:
			what = "a proxy answered instead, wanting credentials"
		case l.HTTPStatus >= 500:
			what = "the proxy could not reach it"
		default:
			what = "a proxy answered instead"
		}
	case ErrNotAnthropic:
		what = "answered by something else, not Anthropic"
	case ErrBaseURLV1:
		what = "not found: the API URL ends in /v1"
	case ErrBaseURL404:
		what = "not found under the API URL set"
	case "not_found_error":
		if len(l.Targets) > 0 && l.Targets[0].IsModel() {
			// A canary of a model that does not exist: the row's words.
			what = "no such model"
		}
	}
	switch {
	case len(l.Targets) > 0 && l.Targets[0] == TargetStatus && l.Kind != KindYourNetwork:
		// The banner's words for the page ("could not be read since
		// 04:29 (not status JSON)"), not raw codes.
		return "Status page: could not be read (" + pageWhy(l.HTTPStatus, l.ErrorType) + ")"
	case c == ClassNetwork && l.HTTPStatus == 0 && l.ErrorType != "":
		what += " (" + Line(l.ErrorType, 20) + ")"
	case c == ClassNetwork && l.ErrorType == NetProxy:
		what += fmt.Sprintf(" (%d)", l.HTTPStatus) // the proxy's own status
	case l.HTTPStatus == 0:
	case statusFits(c, l.HTTPStatus, l.ErrorType):
		what += fmt.Sprintf(" (%d)", l.HTTPStatus)
	default:
		// The newest failure was of another class than the commonest:
		// name both, each with what is known of it.
		for _, o := range Classes() {
			if classes[o] > 0 && o != c && statusFits(o, l.HTTPStatus, l.ErrorType) && o != ClassUnexpected {
				what += fmt.Sprintf(", then %s (%d)", incidentWords(o), l.HTTPStatus)
				break
			}
		}
	}
	if l.Unstable && l.Kind != KindYourNetwork {
		before := ""
		if l.SteadyBefore.Failing() {
			// The steady run it began with, as the banner said it
			// then ("failing from here"), before the turns.
			before = l.steadyWords() + ", "
		}
		switch {
		case !l.FailingSteadily && before != "":
			what = before + "then unstable, " + what
		case !l.FailingSteadily:
			what = "unstable, " + what
		case l.Active() && l.LastClass.Failing() && l.LastClass != c && l.HTTPStatus != 0 && statusFits(l.LastClass, l.HTTPStatus, l.ErrorType):
			// Failing steadily again, another way than in the turns: what
			// it does now, after what the turns were ("was unstable, now
			// overloaded, then server errors (503)" put the 529s of the
			// turns as now and the 503s that followed as after it).
			what = fmt.Sprintf("%swas unstable (%s), now %s (%d)", before, incidentWords(c), incidentWords(l.LastClass), l.HTTPStatus)
		case l.Active():
			what = before + "was unstable, now " + what
		case before != "":
			what = before + "then unstable, then " + what
		default:
			what = "unstable, then " + what
		}
	}
	sessions := len(l.Targets) > 0 && l.Targets[0] == TargetSessions
	switch l.Kind {
	case KindYourNetwork:
		// The verdict's words for the same moment (judge's networkDown).
		if l.Hung {
			return "Likely your network or a proxy on the path: hosts accepted the connection, then did not answer"
		}
		return "Your network or proxy: no Anthropic host answers from here"
	case KindProvider:
		if sessions {
			return "Claude Code, your sessions: " + what
		}
		if model := l.model(); model != "" {
			// A canary's incident is the model's, not the whole API's
			// (the detail's "targets:" used to be the only place it
			// was named, beside a key's incident of the same title).
			return model + ": " + what
		}
		if l.GatewayCut() {
			what += " through " + l.GatewayWords()
		}
		if s, ok := serviceByKey(l.Service); ok {
			return s.Name + ": " + what
		}
		if len(l.Targets) > 0 {
			return l.Targets[0].Label() + ": " + what
		}
	case KindYourSide:
		if sessions {
			return "Your side, your Claude Code sessions: " + what
		}
		if l.Unreached() && l.GatewaySetting != "" && (l.Targets[0] == TargetAPI || l.Targets[0] == TargetAPIKey) {
			// Under a URL the user set, nothing of Anthropic's was asked:
			// the banner's "nothing listens at ANTHROPIC_BASE_URL …"
			// (cold walk: "— Anthropic or a firewall between you").
			return l.Targets[0].Label() + ": " + what + " through " + l.GatewayWords()
		}
		if l.Unreached() {
			return l.Targets[0].Label() + ": " + what + " from here — Anthropic or a firewall between you"
		}
		if len(l.Targets) > 0 {
			return "Your side, " + l.Targets[0].Label() + ": " + what
		}
	}
	return "Our probes: " + what
}

// titleClasses are the failures a title names by class: once an incident
// that failed steadily became unstable, those since (the turns' 529s, not
// the 500s before them, which steadyWords names); all of them otherwise.
func (l LocalIncident) titleClasses() map[Class]int {
	if !l.Unstable || !l.SteadyBefore.Failing() || len(l.SteadyClasses) == 0 {
		return l.Classes
	}
	since := map[Class]int{}
	for c, n := range l.Classes {
		if n -= l.SteadyClasses[c]; n > 0 {
			since[c] = n
		}
	}
	if len(since) == 0 {
		return l.Classes
	}
	return since
}

// steadyWords names the steady run before an incident became unstable:
// "failing (500)", "failing (timeout)", the banner's word for it then.
func (l LocalIncident) steadyWords() string {
	switch {
	case l.SteadyStatus != 0:
		return fmt.Sprintf("failing (%d)", l.SteadyStatus)
	case l.SteadyError != "":
		return "failing (" + Line(l.SteadyError, 20) + ")"
	}
	return "failing"
}

// gatewayTitle is the title of an incident whose newest failure was the
// gateway at the API URL the user set answering a 5xx (or 401/403) of its
// own (GatewayAnswer), in the banner's terms for the same moment: "Claude
// API: unreachable through the gateway at ANTHROPIC_BASE_URL: it answered
// 500 Internal Server Error (envoy)" — not "Your side, …: answered by
// something else, not Anthropic": the user chose that server, and it said
// its upstream failed (issue 19).
func (l LocalIncident) gatewayTitle() (string, bool) {
	if len(l.Targets) == 0 || l.Targets[0] == TargetStatus {
		return "", false
	}
	words, ok := GatewayAnswer(Result{ErrorType: l.ErrorType, HTTPStatus: l.HTTPStatus, Message: l.Message})
	if !ok {
		return "", false
	}
	if w, _, cut := strings.Cut(words, ": "); cut {
		words = w // the status and Server; the gateway's own words are in the detail's message
	}
	what := "unreachable through " + l.GatewayWords()
	if l.HTTPStatus == 401 || l.HTTPStatus == 403 {
		what = "refused by " + l.GatewayWords()
	}
	who := l.Targets[0].Label()
	switch l.Targets[0] {
	case TargetAPI:
		who = "Claude API" // the banner's "Claude API unreachable through …"
	case TargetAPIKey:
		who = "Claude API with your key" // beside the no-key probe's, its own title
	}
	return who + ": " + what + ": it answered " + Line(words, 80), true
}
