package probe

import (
	"fmt"
	"strings"
	"time"
)

// VerdictKind answers "is Claude down, or is it me?" in one word.
type VerdictKind uint8

// The verdicts, from DESIGN.md. Stored nowhere; order is the display
// priority when services disagree (later wins, see rank).
const (
	VerdictUnknown         VerdictKind = iota // no data yet, or stale
	VerdictOperational                        // official green and our probes healthy
	VerdictDegraded                           // slow, or officially degraded
	VerdictMaintenance                        // official maintenance in progress
	VerdictConflicting                        // official and own probes disagree
	VerdictLocalQuota                         // your quota, rate limit or billing
	VerdictLocalCredential                    // your key or login
	VerdictLocalNetwork                       // your network or proxy
	VerdictUnacknowledged                     // our probes fail, Anthropic says all green
	VerdictOutage                             // Anthropic outage, acknowledged
	// Appended: the numbers are not stored, but keep the older ones put.
	VerdictFailing     // our probes fail on Anthropic's side; the status page is unread, stale or not Claude's
	VerdictUnreachable // one Anthropic host refuses or drops connections while the others answer
	VerdictLocalConfig // your configuration: a URL set (--api-url, ANTHROPIC_BASE_URL) that is not the API's
)

var verdictNames = [...]string{
	VerdictUnknown:         "Unknown",
	VerdictOperational:     "Operational",
	VerdictDegraded:        "Degraded",
	VerdictMaintenance:     "Maintenance",
	VerdictConflicting:     "Conflicting signals",
	VerdictLocalQuota:      "Your quota or billing",
	VerdictLocalCredential: "Your credential",
	VerdictLocalNetwork:    "Your network",
	VerdictUnacknowledged:  "Not yet acknowledged by Anthropic",
	VerdictOutage:          "Anthropic outage",
	VerdictFailing:         "Failing from here",
	VerdictUnreachable:     "Unreachable from here",
	VerdictLocalConfig:     "Your configuration",
}

func (k VerdictKind) String() string {
	if int(k) < len(verdictNames) {
		return verdictNames[k]
	}
	return fmt.Sprintf("verdict(%d)", uint8(k))
}

// Local reports whether the verdict puts the problem on the user's side.
func (k VerdictKind) Local() bool {
	return k == VerdictLocalQuota || k == VerdictLocalCredential || k == VerdictLocalNetwork || k == VerdictLocalConfig
}

// Rank orders the verdicts for picking the one to lead with when services
// disagree: the worse, and the more certain about Anthropic's side, wins.
func (k VerdictKind) Rank() int {
	switch k {
	case VerdictOperational:
		return 1
	case VerdictDegraded:
		return 2
	case VerdictMaintenance:
		return 3
	case VerdictConflicting:
		return 4
	case VerdictLocalQuota:
		return 5
	case VerdictLocalCredential:
		return 6
	case VerdictLocalConfig:
		return 7
	case VerdictUnreachable:
		return 8
	case VerdictLocalNetwork:
		return 9
	case VerdictFailing:
		return 10
	case VerdictUnacknowledged:
		return 11
	case VerdictOutage:
		return 12
	}
	return 0
}

// OfficialState says how much the verdict knows of the status page.
type OfficialState string

// The states of the status page as a fact.
const (
	OfficialNone       OfficialState = "none"       // never read
	OfficialFresh      OfficialState = "fresh"      // read within the stale limit
	OfficialUnreadable OfficialState = "unreadable" // the newest reads failed
	OfficialStale      OfficialState = "stale"      // the last read is older than the stale limit
	OfficialForeign    OfficialState = "foreign"    // the page is not Claude's
)

// Official is the status page as the verdict knows it: what state it is
// in for us, when it was last read, since when it cannot be read and why.
type Official struct {
	State OfficialState
	Read  time.Time // the last good read; zero if none
	Since time.Time // the first failed read after Read, while unreadable
	Why   string    // why it cannot be read ("HTML challenge", "not Claude's status page (GitHub)")
	// Drives reports whether the page's content counts as a current fact
	// (read within the stale limit and Claude's).
	Drives bool
}

// ServiceVerdict is the verdict for one Service.
type ServiceVerdict struct {
	Service  Service
	Kind     VerdictKind
	Official ComponentStatus // as served, "" when unknown
	// NotOnPage is set when a page that counts was read but lists no such
	// component: its status is unknown, never operational.
	NotOnPage bool
	// PageOnly is set when no probe of ours judged the service (Claude
	// Code without its CLI): its verdict is Anthropic's report, and is
	// shown as such.
	PageOnly bool
	// ThroughAPI is set on Claude Code when its verdict is the Claude
	// API's: every Claude Code call goes to the API, which our probes see
	// failing from here.
	ThroughAPI bool
	// Local is set when neither a probe of ours across the network nor a
	// page that counts judged the service, only a local check did (Claude
	// Code's CLI answering while the status page is unreadable, stale,
	// foreign or not read): what the verdict rests on, "CLI installed
	// 2.0.50; the Claude API it calls answers". Never "Anthropic's
	// report": no report was read.
	Local string
	// Gateway is set when the service is unreachable through the gateway
	// at the API URL the user set (it took no connection, cut it, or
	// answered for itself that its upstream failed): said as "Unreachable
	// through your gateway", not "from here" — Anthropic's host was not
	// asked.
	Gateway bool
	// Likely is set when the service's verdict is the overall one and the
	// judge could only infer it ("Likely your network"): the row carries
	// the banner's certainty, never a bare "Your network" beside it.
	Likely bool
	Latest *Result // newest own result among the service's targets, nil if none
	Facts  []string
}

// Words is the service's verdict for people: its kind, said as Anthropic's
// report when no probe of ours judged it ("Operational (Anthropic's
// report)"), and as the API's when Claude Code's calls fail through it
// ("Not yet acknowledged (via the Claude API)").
func (sv ServiceVerdict) Words() string {
	name := sv.KindName()
	if sv.Likely {
		name = likely(name)
	}
	switch {
	case sv.PageOnly:
		return name + " (Anthropic's report)"
	case sv.ThroughAPI:
		return name + " (via the Claude API)"
	case sv.Local != "":
		return name + " (" + sv.Local + ")"
	}
	return name
}

// KindName is the name of the service's verdict kind, as its row says it:
// "Unreachable through your gateway" where the gateway the user set is
// the way that fails, else the kind's own name.
func (sv ServiceVerdict) KindName() string {
	if sv.Gateway && sv.Kind == VerdictUnreachable {
		return "Unreachable through your gateway"
	}
	return sv.Kind.String()
}

// likely hedges a verdict's name: "Your network" → "Likely your network".
func likely(name string) string { return "Likely " + strings.ToLower(name[:1]) + name[1:] }

// Hedged reports whether the verdict is one on the user's side that the
// judge could only infer: its headline says "Likely".
func (v Verdict) Hedged() bool { return v.Kind.Local() && strings.HasPrefix(v.Headline, "Likely ") }

// Verdict is the overall answer with the facts that led to it.
type Verdict struct {
	Kind     VerdictKind
	Headline string   // one sentence
	Facts    []string // two or three facts
	Services []ServiceVerdict
	Stale    bool // the newest data is older than the stale limit
	// Checked is when our newest probe ran; zero before the first.
	Checked time.Time
	// Official is the status page as a fact, with its age and source.
	Official Official
	// Models are the canaries' verdicts, one per model asked, in target
	// order; nil without canaries.
	Models []ModelVerdict
}

// Title is the verdict's name as the banner, check and report lead with
// it: a verdict on the user's side that the judge could only infer (its
// headline says "Likely") is titled so — "Likely your network", never a
// bare "Your network" above a sentence that hedges.
// Unreachable only through the gateway the user set is titled so, as its
// rows are: "Unreachable from here" would point at Anthropic's host.
func (v Verdict) Title() string {
	if v.Hedged() {
		return likely(v.Kind.String())
	}
	if v.Kind == VerdictUnreachable && v.gatewayOnly() {
		return ServiceVerdict{Kind: v.Kind, Gateway: true}.KindName()
	}
	return v.Kind.String()
}

// gatewayOnly reports whether every service unreachable is so through the
// gateway the user set (ServiceVerdict.Gateway), and one is.
func (v Verdict) gatewayOnly() bool {
	n := 0
	for _, sv := range v.Services {
		if sv.Kind != VerdictUnreachable {
			continue
		}
		if !sv.Gateway {
			return false
		}
		n++
	}
	return n > 0
}

// verdictKeys are the verdicts' stable machine names, for JSON output,
// metrics labels and webhook payloads. Like Target values they are a
// contract with scripts and dashboards: never rename one.
var verdictKeys = [...]string{
	VerdictUnknown:         "unknown",
	VerdictOperational:     "operational",
	VerdictDegraded:        "degraded",
	VerdictMaintenance:     "maintenance",
	VerdictConflicting:     "conflicting",
	VerdictLocalQuota:      "local_quota",
	VerdictLocalCredential: "local_credential",
	VerdictLocalNetwork:    "local_network",
	VerdictUnacknowledged:  "unacknowledged",
	VerdictOutage:          "outage",
	VerdictFailing:         "failing",
	VerdictUnreachable:     "unreachable",
	VerdictLocalConfig:     "local_config",
}

// Key is the verdict's stable snake_case name ("outage", "local_network" …).
func (k VerdictKind) Key() string {
	if int(k) < len(verdictKeys) {
		return verdictKeys[k]
	}
	return "unknown"
}

// VerdictKinds lists every verdict in order.
func VerdictKinds() []VerdictKind {
	ks := make([]VerdictKind, len(verdictKeys))
	for i := range ks {
		ks[i] = VerdictKind(i)
	}
	return ks
}
