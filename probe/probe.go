// Package probe holds downforai's domain vocabulary — Result, Class, Status,
// Incident, Verdict, Event — together with everything that talks to the
// network or the local machine and judges what it saw.
//
// probe imports neither ui nor store: it declares the small interfaces it
// needs (Recorder for where results go, History for where they are read
// from) and the other packages implement or consume them.
package probe

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Target names one thing the engine probes on its own schedule.
type Target string

// The targets. Their string values are stored in the database and appear in
// exports and metrics labels: never rename one.
const (
	TargetStatus   Target = "status"      // the official status page (summary.json)
	TargetAPI      Target = "api"         // api.anthropic.com reachability, no credential
	TargetAPIKey   Target = "api_key"     // api.anthropic.com with the user's credential
	TargetClaudeAI Target = "claude_ai"   // claude.ai front page
	TargetCode     Target = "claude_code" // the local claude CLI
	// TargetSessions ("code_sessions", sessions.go) is Claude Code's own
	// calls, read from its transcripts; the follower is not a scheduled
	// probe, so it is listed only where it runs.
)

// Targets lists every scheduled target in display order; the slice is the
// caller's own.
func Targets() []Target { return slices.Clone(targets[:]) }

var targets = [...]Target{TargetStatus, TargetAPI, TargetAPIKey, TargetClaudeAI, TargetCode}

// HTTP reports whether the target is probed over HTTP, so that HTTP's
// status and phases mean something for it (Claude Code's CLI and the local
// checks are not).
func (t Target) HTTP() bool {
	switch t {
	case TargetStatus, TargetAPI, TargetAPIKey, TargetClaudeAI:
		return true
	}
	return t.IsModel()
}

// Noun names t's probes in a sentence, one in the singular and many in the
// plural: "API probe with your key", "status page reads", "Claude Code CLI
// checks" (it runs the command; nothing is sent). Live's observations and
// diagnose's live lines both say it, so they name the same probes alike.
func (t Target) Noun() (one, many string) {
	switch t {
	case TargetAPI:
		return "API probe", "API probes"
	case TargetAPIKey:
		return "API probe with your key", "API probes with your key"
	case TargetClaudeAI:
		return "claude.ai probe", "claude.ai probes"
	case TargetStatus:
		return "status page read", "status page reads"
	case TargetCode:
		return "Claude Code CLI check", "Claude Code CLI checks"
	case TargetSessions:
		return "Claude Code call", "Claude Code calls"
	}
	return t.Label() + " probe", t.Label() + " probes"
}

// Label is the target's name for people.
func (t Target) Label() string {
	switch t {
	case TargetStatus:
		return "Status page"
	case TargetAPI:
		return "API reachability"
	case TargetAPIKey:
		return "API with your key"
	case TargetClaudeAI:
		return "claude.ai"
	case TargetCode:
		return "Claude Code CLI"
	case TargetSessions:
		return "Claude Code calls"
	}
	if id, ok := t.Model(); ok {
		return ModelName(id)
	}
	return string(t)
}

// ParseTarget accepts a target's stored name and a few short aliases
// ("app" and "claude.ai" for claude_ai, "key" for api_key, "code" for
// claude_code).
func ParseTarget(s string) (Target, error) {
	switch s {
	case "status", "statuspage":
		return TargetStatus, nil
	case "api":
		return TargetAPI, nil
	case "api_key", "key", "apikey":
		return TargetAPIKey, nil
	case "claude_ai", "claude.ai", "app", "claudeai":
		return TargetClaudeAI, nil
	case "claude_code", "code", "cli":
		return TargetCode, nil
	case "code_sessions", "sessions":
		return TargetSessions, nil
	case "local":
		return TargetLocal, nil // the local checks' results are stored and exported too
	}
	if id, ok := strings.CutPrefix(s, ModelPrefix); ok {
		if err := ValidModel(id); err != nil {
			return "", fmt.Errorf("canary target %s: %w", Quote(s), err)
		}
		return ModelTarget(id), nil
	}
	return "", fmt.Errorf("unknown target %s (want status, api, api_key, claude_ai, claude_code, code_sessions or model:<id>)", Quote(s))
}

// Class is the judged outcome of one probe.
type Class uint8

// The classes of outcome (DESIGN.md). The numeric values are stored in the
// database: append new ones at the end, never reorder.
const (
	ClassUnknown     Class = iota // no data yet, stale, or nothing to judge
	ClassOK                       // healthy
	ClassSlow                     // healthy but over the latency budget
	ClassAuth                     // 401/403: bad, missing, expired or revoked credential
	ClassBilling                  // credit balance, billing_error, organisation disabled
	ClassRateLimited              // 429
	ClassOverloaded               // 529
	ClassServer                   // other 5xx
	ClassNetwork                  // DNS, connect, TLS, timeout, reset, proxy
	ClassUnexpected               // a 200 of the wrong shape, e.g. an HTML challenge
	classCount
)

var classNames = [...]string{
	ClassUnknown:     "unknown",
	ClassOK:          "ok",
	ClassSlow:        "slow",
	ClassAuth:        "auth",
	ClassBilling:     "billing",
	ClassRateLimited: "rate_limited",
	ClassOverloaded:  "overloaded",
	ClassServer:      "server",
	ClassNetwork:     "network",
	ClassUnexpected:  "unexpected",
}

// Classes lists every class in order.
func Classes() []Class {
	cs := make([]Class, 0, classCount)
	for c := Class(0); c < classCount; c++ {
		cs = append(cs, c)
	}
	return cs
}

func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("class(%d)", uint8(c))
}

// ParseClass is the inverse of String.
func ParseClass(s string) (Class, error) {
	for i, n := range classNames {
		if n == s {
			return Class(i), nil
		}
	}
	return ClassUnknown, fmt.Errorf("unknown class %s", Quote(s))
}

// Valid reports whether c is one of the defined classes.
func (c Class) Valid() bool { return c < classCount }

// Up reports whether the probe counts as up for uptime: ok and slow.
func (c Class) Up() bool { return c == ClassOK || c == ClassSlow }

// Failing reports whether the class is a failure (neither up nor unknown).
func (c Class) Failing() bool { return c != ClassUnknown && !c.Up() }

// ProviderSide reports whether a failure of this class points at Anthropic
// rather than at the user (overload, server errors, wrong-shaped answers).
func (c Class) ProviderSide() bool {
	return c == ClassOverloaded || c == ClassServer || c == ClassUnexpected
}

// UserSide reports whether a failure of this class points at the user's
// credential, billing or quota.
func (c Class) UserSide() bool {
	return c == ClassAuth || c == ClassBilling || c == ClassRateLimited
}

// Severity orders classes from harmless to worst, for picking the worst
// class in a bucket of time.
func (c Class) Severity() int {
	switch c {
	case ClassOK:
		return 1
	case ClassUnknown:
		return 0
	case ClassSlow:
		return 2
	case ClassRateLimited:
		return 3
	case ClassUnexpected:
		return 4
	case ClassAuth, ClassBilling:
		return 5
	case ClassNetwork:
		return 6
	case ClassServer:
		return 7
	case ClassOverloaded:
		return 8
	}
	return 0
}

// Phases are the timings of one HTTP probe, measured with net/http/httptrace
// as blackbox_exporter does. A phase that did not happen is zero.
type Phases struct {
	DNS       time.Duration // name resolution
	Connect   time.Duration // TCP connect
	TLS       time.Duration // TLS handshake
	FirstByte time.Duration // request written → first response byte
	Total     time.Duration // start → body read (bounded)
	// FirstToken is a canary's time to first token: start → the first
	// content event of the stream (TTFT). Zero for every other probe.
	FirstToken time.Duration
}

// RateLimit holds the anthropic-ratelimit-* and retry-after headers of one
// response. Zero values mean the header was absent.
type RateLimit struct {
	RequestsLimit     int64
	RequestsRemaining int64
	RequestsReset     time.Time
	TokensLimit       int64
	TokensRemaining   int64
	TokensReset       time.Time
	RetryAfter        time.Duration
}

// IsZero reports whether no rate-limit header was present.
func (r RateLimit) IsZero() bool { return r == RateLimit{} }

// UsedUp reports whether the headers show a limit used up (a remaining of
// 0); known is false when no limit header came, so they cannot tell.
func (r RateLimit) UsedUp() (used, known bool) {
	known = r.RequestsLimit > 0 || r.TokensLimit > 0
	used = r.RequestsLimit > 0 && r.RequestsRemaining == 0 || r.TokensLimit > 0 && r.TokensRemaining == 0
	return used, known
}

// Result is one observation of one target. A probe always returns a Result;
// failure is described in its fields, never by a missing value. Every string
// in it has passed Sanitize and none ever holds a credential.
type Result struct {
	Target     Target
	Time       time.Time // when the probe started
	Class      Class
	HTTPStatus int    // 0 when no HTTP answer arrived
	Phases     Phases //
	// ErrorType is Anthropic's error.type (authentication_error …) for API
	// answers, or the network failure kind (dns, connect, tls, timeout,
	// reset, proxy, refused) for network failures.
	ErrorType string
	Message   string // short sanitised message for people
	RequestID string // request-id header or body field
	RateLimit RateLimit
	// Detail carries target-specific facts, e.g. the claude CLI version or
	// "not installed"; the status page's indicator.
	Detail string
	// Tokens is what a canary's answer used by its usage (input and
	// output), 0 for every other probe.
	Tokens int64
}

// Latency is the figure to chart for the result: the time to first token
// for a canary, total time for every other probe.
func (r Result) Latency() time.Duration {
	if r.Phases.FirstToken > 0 {
		return r.Phases.FirstToken
	}
	return r.Phases.Total
}

// Component is one official status-page component.
type Component struct {
	ID       string
	Name     string
	Status   ComponentStatus
	Position int
	Group    bool
	GroupID  string
}

// IncidentUpdate is one update posted to an official incident.
type IncidentUpdate struct {
	ID         string
	Status     string
	Body       string
	At         time.Time // display_at, else created_at
	Components []string  // affected component ids
}

// Incident is an official incident or scheduled maintenance.
type Incident struct {
	ID             string
	Name           string
	Status         string // investigating, identified, monitoring, resolved, postmortem; scheduled, in_progress, verifying, completed
	Impact         string // none, minor, major, critical, maintenance
	Shortlink      string
	CreatedAt      time.Time
	StartedAt      time.Time
	UpdatedAt      time.Time
	ResolvedAt     time.Time
	ScheduledFor   time.Time        // maintenances only
	ScheduledUntil time.Time        // maintenances only
	Components     []string         // affected component ids (union over updates and the incident's components)
	Updates        []IncidentUpdate // newest first
	// Seen is the newest read of summary.json that listed it open (zero
	// for a copy from incidents.json alone): when two readings disagree
	// on whether it is over, the newer read wins, so an incident the page
	// re-opens is open again even when its timestamps are older.
	Seen time.Time `json:",omitzero"`
	// Unlisted is the first read of summary.json that no longer listed it
	// while it was open (or scheduled), without a resolution: it ended —
	// or was cancelled — between Seen and Unlisted. Zero while listed,
	// and again once a newer read lists it.
	Unlisted time.Time `json:",omitzero"`
	// FirstRead is the first read of ours (summary.json or a list) that
	// had it: when it has no time it was posted (no created_at, no
	// update times), the lead and lag say "we first read it at …" —
	// never started_at, which Anthropic may date back, as its posting.
	FirstRead time.Time `json:",omitzero"`
	// NotListed is the newest good read of ours before FirstRead that
	// did not list it: the page showed it between NotListed and
	// FirstRead, whatever created_at says (Anthropic may date a post
	// back). Zero when no read of this run came before it.
	NotListed time.Time `json:",omitzero"`
}

// Listed is when the page began to list it, as our reads bound it: after
// NotListed, by FirstRead. ok is false unless a read of ours came before
// it and Posted (created_at) is earlier than that read — a post dated
// before a read that did not show it was not on the page at that time.
func (in Incident) Listed() (after, by time.Time, ok bool) {
	if in.NotListed.IsZero() || in.FirstRead.IsZero() || !in.NotListed.Before(in.FirstRead) {
		return time.Time{}, time.Time{}, false
	}
	if p := in.Posted(); !p.IsZero() && !p.Before(in.NotListed) {
		return time.Time{}, time.Time{}, false // its own time is within our bounds: it holds
	}
	return in.NotListed, in.FirstRead, true
}

// Gone reports whether the page stopped listing it while it was open or
// scheduled, without saying it ended: its end is the range Seen..Unlisted.
func (in Incident) Gone() bool { return !in.Unlisted.IsZero() && !in.Final() }

// Status is one snapshot of the official status page.
type Status struct {
	Fetched      time.Time // when we read it
	PageID       string    // page.id: Claude's is tymt9n04zgry
	PageName     string    // page.name, e.g. "Claude"
	UpdatedAt    time.Time // page.updated_at
	Indicator    string    // none, minor, major, critical, maintenance
	Description  string
	Components   []Component
	Incidents    []Incident // unresolved
	Maintenances []Incident // upcoming or in progress
	// FeedErr is why the incidents feed (incidents.json) could not be
	// read, "" when it was: without it, "no incidents" is unknown, not
	// "none".
	FeedErr string `json:",omitempty"`
}

// Component returns the component with the given id, else the first whose
// name matches fallbackName (ids are stable, names have changed).
func (s *Status) Component(id, fallbackName string) (Component, bool) {
	if s == nil {
		return Component{}, false
	}
	for _, c := range s.Components {
		if c.ID == id {
			return c, true
		}
	}
	for _, c := range s.Components {
		if fallbackName != "" && c.Name == fallbackName {
			return c, true
		}
	}
	return Component{}, false
}

// Event is what the engine publishes after every probe: the Result, and for
// the status page the freshly parsed Status (nil when the page could not be
// read or was unchanged and already published).
type Event struct {
	Result Result
	Status *Status
	// StoreErr is why recording this event failed ("" when it was stored or
	// there is no store). The engine keeps running on in-memory data; the
	// UI shows "database write failed: …" until an event arrives with
	// StoreErr empty again.
	StoreErr string
	// Local is the local checks' report, set on TargetLocal events only.
	Local *LocalReport
	// Sessions is the transcript follower's report on Claude Code's
	// sessions, set on announcements (Engine.Announce), whose Result has
	// no Target.
	Sessions *SessionsReport
	// Official is every official incident and maintenance read with the
	// status page this round (summary.json's, and incidents.json's and the
	// maintenance lists' when they were due); nil for other targets.
	Official []Incident
	// LocalIncidents are our own incidents that opened, changed or closed
	// with this event (the engine's IncidentObserver fills it in).
	LocalIncidents []LocalIncident
}

// Recorder is where the engine writes what it observes. The store
// implements it.
type Recorder interface {
	PutResult(Result) error
	// PutStatus stores a status snapshot when it differs from the last one
	// stored, and reports whether it did.
	PutStatus(Status) (changed bool, err error)
}

// FirstObserver is a History that knows when its oldest observation was
// made (the store): before then we had no probes, so "our probes saw
// nothing" would not be true.
type FirstObserver interface {
	FirstObserved() (time.Time, error)
}

// EngineTargets is a History that is a running engine (remote.Client):
// it knows the targets that engine probes.
type EngineTargets interface {
	Targets() []Target
}

// WithEngineTargets is targets and, when h is a running engine, the
// targets it probes that targets lacks: a check or report beside a
// dashboard judges the dashboard's rounds of them too (with a key set in
// the dashboard's environment and not in theirs, they said "All clear"
// while the dashboard said the API rejects the key).
func WithEngineTargets(h History, targets []Target) []Target {
	et, ok := h.(EngineTargets)
	if !ok {
		return targets
	}
	for _, t := range et.Targets() {
		if t != TargetLocal && !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
	}
	return targets
}

// History is how everything outside store reads what was recorded.
type History interface {
	// Recent returns up to n most recent results of the target, oldest first.
	Recent(t Target, n int) ([]Result, error)
	// Range returns the results of the target with from <= Time < to, oldest
	// first. A zero from means the beginning; a zero to means the end.
	Range(t Target, from, to time.Time) ([]Result, error)
	// LatestStatus returns the last stored status snapshot.
	LatestStatus() (Status, bool, error)
}
