package probe

import "fmt"

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
}

func (k VerdictKind) String() string {
	if int(k) < len(verdictNames) {
		return verdictNames[k]
	}
	return fmt.Sprintf("verdict(%d)", uint8(k))
}

// Local reports whether the verdict puts the problem on the user's side.
func (k VerdictKind) Local() bool {
	return k == VerdictLocalQuota || k == VerdictLocalCredential || k == VerdictLocalNetwork
}

// ServiceVerdict is the verdict for one Service.
type ServiceVerdict struct {
	Service  Service
	Kind     VerdictKind
	Official ComponentStatus // as served, "" when unknown
	Latest   *Result         // newest own result among the service's targets, nil if none
	Facts    []string
}

// Verdict is the overall answer with the facts that led to it.
type Verdict struct {
	Kind     VerdictKind
	Headline string   // one sentence
	Facts    []string // two or three facts
	Services []ServiceVerdict
	Stale    bool // the newest data is older than the stale limit
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
