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
	// BecameError is that failure's error type: a proxy's answer
	// (NetProxy) is no "unreachable".
	BecameError string `json:",omitempty"`
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
	// Relapses is how many times it closed, its targets answering again,
	// and was taken back by a failure of the same kind before that
	// recovery held (judge's relapse rule).
	Relapses   int    `json:",omitempty"`
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
	if l.BecameClass == ClassNetwork && l.BecameError == NetProxy {
		return "a proxy answering instead"
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

// GatewayWords names the gateway an incident's failures came from: "the
// gateway at ANTHROPIC_BASE_URL", "the gateway at the API URL set" when
// the setting is not known.
func (l LocalIncident) GatewayWords() string {
	if l.GatewaySetting != "" {
		return "the gateway at " + Line(l.GatewaySetting, 100)
	}
	return "the gateway at the API URL set"
}

// GatewayCut reports whether it is the gateway at the API URL the user set
// taking the API probes' connections and then resetting them or sending
// nothing back: Anthropic's side by the class of failure, but what failed
// is the gateway or its upstream — the banner's "likely the gateway or its
// upstream (…) failed", never "provider side" alone.
func (l LocalIncident) GatewayCut() bool {
	return l.Kind == KindProvider && l.GatewaySetting != "" && l.LastClass == ClassNetwork && len(l.Targets) > 0 &&
		(l.Targets[0] == TargetAPI || l.Targets[0] == TargetAPIKey)
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
