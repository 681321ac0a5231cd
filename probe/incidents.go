package probe

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// IncidentKind says on whose side one of our own incidents lies.
type IncidentKind uint8

// The kinds of local incident. The numeric values are stored: append only.
const (
	KindUnknown     IncidentKind = iota
	KindProvider                 // overload, server errors, wrong answers, API timeouts: Anthropic's side
	KindYourSide                 // your key, billing, quota, your CLI, one host unreachable from here
	KindYourNetwork              // every Anthropic host fails at the network level at once
)

func (k IncidentKind) String() string {
	switch k {
	case KindProvider:
		return "provider side"
	case KindYourSide:
		return "your side"
	case KindYourNetwork:
		return "your network"
	}
	return "unknown"
}

// LocalIncident is an incident our own probes detected: it opens after
// FailThreshold consecutive failing probes of a target and closes after
// RecoverThreshold consecutive successes of every target that failed in it
// (Gatus-style). It is stored whole and replaced on every change, so an
// open one survives a restart.
type LocalIncident struct {
	ID      string // stable: start time and subject, sorts by start
	Subject string // "provider:api", "yours:api_key", "network" … one open incident per subject
	Kind    IncidentKind
	Service string   // Service.Key for a provider incident; "" otherwise
	Targets []Target // the targets that failed in it, in order of first failure

	FirstFailure time.Time // first failing probe of the streak that opened it
	LastFailure  time.Time
	Opened       time.Time // when the threshold was reached
	Recovered    time.Time // first success of the streak that closed it; zero while open
	Closed       time.Time // when the closing streak reached RecoverThreshold; zero while open

	Failures   int           // failing probes counted in it
	Probes     int           // every judged probe of its targets while it was open, failures included
	Others     int           // of Probes, those that failed another way (a 429 among 529s): not counted in Failures
	Classes    map[Class]int // failures by class
	HTTPStatus int           // newest failing HTTP status, 0 for none
	LastClass  Class         // newest failure's class: breaks a tie in Class
	ErrorType  string        // newest failing error type
	Message    string        // newest failing message, sanitised
	RequestIDs []string      // sample request ids: the first few and the newest

	// Superseded is when its failures gave way to failures of another
	// kind (the API went from 529 to unreachable, or to a 401): it ended
	// then, but nothing recovered. Became says what they became, as the
	// title of the incident that took over ("Your network or proxy: …") or
	// the target's failure ("Claude API: unreachable (refused)");
	// BecameClass is that failure's class. Zero for one that recovered.
	Superseded  time.Time
	Became      string
	BecameClass Class
	// BecameHung: what they became was a timeout or reset after the
	// connection was made — "no answer after connecting", not
	// "unreachable" (cold M6).
	BecameHung bool `json:",omitempty"`
	// Unstable is set when the judge's instability rule (a target taking
	// turns failing and succeeding over its last probes, the banner's
	// "Unstable: 7 of the last 12") held while it was open, or opened it.
	Unstable bool
	// FailingSteadily is set when an unstable one's failures stopped
	// taking turns with successes: the newest half of a target's window
	// failing one way, which the banner says as "failing from here", no
	// longer "Unstable:". It is cleared when one of its targets is
	// unstable again, and kept as it was when it closed. Its title then
	// says "was unstable, now overloaded (529)" while open, "unstable,
	// then overloaded (529)" once closed — never "unstable" beside a
	// banner that says failing.
	FailingSteadily bool
	// SteadyBefore is the class of the steady run of failures an incident
	// held before it became unstable (the API failing with 500 every
	// probe, then taking turns, ok and 529); ClassUnknown when it was
	// unstable from the start, or for one stored before it was kept.
	// SteadyStatus and SteadyError are that run's newest HTTP status and
	// error type, SteadyClasses its failures by class: the title says
	// "failing (500), then unstable, overloaded (529)", naming the
	// unstable part by the failures since.
	SteadyBefore  Class         `json:",omitempty"`
	SteadyStatus  int           `json:",omitempty"`
	SteadyError   string        `json:",omitempty"`
	SteadyClasses map[Class]int `json:",omitempty"`
	// Hung is set when every network failure in it came after the
	// connection and TLS were made: on a network-wide incident likely the
	// path (a proxy, VPN or filter), not a fact about DNS, connect or
	// TLS; on one host's, "no answer after connecting", not unreachable.
	Hung bool

	// GatewaySetting names the setting the API URL came from when the
	// gateway there answered for itself in it ("ANTHROPIC_BASE_URL",
	// "--api-url", "api_url in config PATH"), as the banner names it: its
	// title says "unreachable through the gateway at ANTHROPIC_BASE_URL".
	// "" when not known (stored before it was kept): "the API URL set".
	GatewaySetting string `json:",omitempty"`

	// LastProbe is the newest judged probe of its targets while it was
	// open. Unprobed is how long, in all, none of its targets was probed
	// while it was open (downforai not running, the machine asleep: a
	// restart restores it), and UnprobedFrom–UnprobedTo the newest such
	// gap: its duration is not all observed failing.
	// Unobserved: a gap longer than the judge's horizon came while it
	// was open, so whether and when it ended is not known — it ended
	// between UnprobedFrom and UnprobedTo (Closed), and what failed after
	// is another incident.
	Unobserved   bool          `json:",omitempty"`
	LastProbe    time.Time     `json:",omitzero"`
	Unprobed     time.Duration `json:",omitempty"`
	UnprobedFrom time.Time     `json:",omitzero"`
	UnprobedTo   time.Time     `json:",omitzero"`

	OfficialID string // the official incident it overlaps, "" when none
	MergedInto string // set when a network-wide incident absorbed it; it is then closed
	Version    int    // bumped on every change, so readers keep the newest copy
}

// Active reports whether the incident is still open.
func (l LocalIncident) Active() bool { return l.Closed.IsZero() && l.MergedInto == "" }

// End is when our probes recovered, or when its failures became another
// kind (Superseded); zero while open.
func (l LocalIncident) End() time.Time {
	if !l.Recovered.IsZero() {
		return l.Recovered
	}
	if !l.Superseded.IsZero() {
		return l.Superseded
	}
	return l.Closed
}

// Recovering reports whether it closed because its targets answered again,
// not because their failures became another kind or it was merged.
func (l LocalIncident) Recovering() bool {
	return !l.Active() && l.Superseded.IsZero() && l.MergedInto == ""
}

// BecameWords is what a superseded incident's failures became, briefly:
// "unreachable", "credential rejected"; "" when it was not superseded.
func (l LocalIncident) BecameWords() string {
	if l.Superseded.IsZero() {
		return ""
	}
	if l.BecameClass == ClassUnknown || l.BecameClass == ClassOK {
		return "another failure"
	}
	if l.BecameClass == ClassNetwork && l.BecameHung {
		return "no answer after connecting"
	}
	return incidentWords(l.BecameClass)
}

// Unreached reports whether l is one host refusing the connection (or
// failing to connect, not for want of a route) while others answered:
// the banner's "unreachable from here: Anthropic or a firewall between
// you" — or, at a URL set on this machine, nothing listening there. Its
// side is not known, so its words never say "your side" (cold M1); it
// is stored as KindYourSide, never linked to Anthropic's incidents.
func (l LocalIncident) Unreached() bool {
	if l.Kind != KindYourSide || len(l.Targets) == 0 || l.Targets[0] == TargetSessions || l.Failures == 0 || l.Classes[ClassNetwork] != l.Failures {
		return false
	}
	return l.ErrorType == NetRefused || l.ErrorType == NetConnect && !strings.HasPrefix(l.Message, "cannot reach")
}

// Class is the class seen most often, the worse one on a tie, the newest
// failure's on a tie of both (MostClass).
func (l LocalIncident) Class() Class {
	return MostClass(l.Classes, l.LastClass)
}

// MostClass is the class counts holds most often; on equal counts the
// more severe; on equal severity too (a 401 and a credit refusal, five
// each) the latest failure's class when it is among them, else the lowest
// class — never Go's map order, which made one window's verdict change
// from one run to the next.
func MostClass(counts map[Class]int, latest Class) Class {
	var best Class
	found := false
	for c, n := range counts {
		if n <= 0 {
			continue
		}
		switch {
		case !found, n > counts[best]:
		case n < counts[best]:
			continue
		case c.Severity() != best.Severity():
			if c.Severity() < best.Severity() {
				continue
			}
		case best == latest:
			continue
		case c != latest && c > best:
			continue
		}
		best, found = c, true
	}
	return best
}

// ClassSummary is "overloaded 9, server 2", most frequent first.
func (l LocalIncident) ClassSummary() string {
	cs := make([]Class, 0, len(l.Classes))
	for c := range l.Classes {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool {
		if l.Classes[cs[i]] != l.Classes[cs[j]] {
			return l.Classes[cs[i]] > l.Classes[cs[j]]
		}
		return cs[i] < cs[j]
	})
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s %d", c, l.Classes[c]))
	}
	return strings.Join(parts, ", ")
}

// Components are the official component ids the incident concerns: the
// service's for a provider incident, the targets' services otherwise, every
// watched one for a network-wide incident.
func (l LocalIncident) Components() []string {
	var ids []string
	add := func(s Service) {
		for _, id := range ids {
			if id == s.ComponentID {
				return
			}
		}
		ids = append(ids, s.ComponentID)
	}
	for _, s := range services {
		switch {
		case l.Kind == KindYourNetwork, l.Service == s.Key:
			add(s)
		default:
			for _, t := range l.Targets {
				// Claude Code's sessions' calls are Claude API calls.
				if s.has(t) || (t == TargetSessions && (s.Key == "api" || s.Key == "claude_code")) {
					add(s)
				}
			}
		}
	}
	return ids
}

func (s Service) has(t Target) bool {
	for _, x := range s.Targets {
		if x == t {
			return true
		}
	}
	return false
}

// ServiceOf returns the service a target speaks for.
func ServiceOf(t Target) (Service, bool) {
	for _, s := range services {
		if s.has(t) {
			return s, true
		}
	}
	return Service{}, false
}

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

// GatewayWords names the gateway an incident's failures came from: "the
// gateway at ANTHROPIC_BASE_URL", "the gateway at the API URL set" when
// the setting is not known.
func (l LocalIncident) GatewayWords() string {
	if l.GatewaySetting != "" {
		return "the gateway at " + Line(l.GatewaySetting, 100)
	}
	return "the gateway at the API URL set"
}

// Gateway reports whether its newest failure was the gateway at the API
// URL the user set answering for itself (GatewayAnswer): neither
// Anthropic's incident nor someone else intercepting, whatever its Kind.
func (l LocalIncident) Gateway() bool {
	_, ok := l.gatewayTitle()
	return ok
}

// model is the label of the one model whose canaries failed in it
// ("Claude Opus 4.5"), "" when any of its targets is not a canary or
// they are canaries of more than one model.
func (l LocalIncident) model() string {
	if len(l.Targets) == 0 {
		return ""
	}
	for _, t := range l.Targets {
		if !t.IsModel() || t != l.Targets[0] {
			return ""
		}
	}
	return l.Targets[0].Label()
}

func serviceByKey(key string) (Service, bool) {
	for _, s := range services {
		if s.Key == key && key != "" {
			return s, true
		}
	}
	return Service{}, false
}

// IncidentRecorder is implemented by a Recorder that also keeps incidents;
// the engine writes them through it when its Recorder has it.
type IncidentRecorder interface {
	// PutLocalIncident stores l under l.ID, replacing what was stored.
	PutLocalIncident(l LocalIncident) error
	// PutOfficialIncidents merges the incidents into those stored by id
	// (MergeIncident): nothing the page later drops is ever deleted.
	PutOfficialIncidents(ins []Incident) error
}

// IncidentHistory is implemented by a History that also keeps incidents.
type IncidentHistory interface {
	// LocalIncidents returns up to n of our incidents, newest first.
	LocalIncidents(n int) ([]LocalIncident, error)
	// OpenLocalIncidents returns every incident still open, oldest first.
	OpenLocalIncidents() ([]LocalIncident, error)
	// OfficialIncidents returns up to n stored official incidents and
	// maintenances, newest start first.
	OfficialIncidents(n int) ([]Incident, error)
}
