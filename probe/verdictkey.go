package probe

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
