package probe

// ComponentStatus is an official status-page component's status as served:
// one of the five Statuspage values below, or anything else Anthropic
// might send (kept as is, shown as unknown). It is the one place that
// turns those values into words; the dashboard, `check`, the report and
// the verdict's facts all say them through it.
type ComponentStatus string

// The Statuspage component statuses (reference/anthropic-formats.md §1.2).
const (
	ComponentOperational   ComponentStatus = "operational"
	ComponentDegraded      ComponentStatus = "degraded_performance"
	ComponentPartialOutage ComponentStatus = "partial_outage"
	ComponentMajorOutage   ComponentStatus = "major_outage"
	ComponentMaintenance   ComponentStatus = "under_maintenance"
)

// String is the status in words: "degraded performance", "unknown" when
// unread, "unknown (x)" for a value Statuspage does not document.
func (s ComponentStatus) String() string {
	switch s {
	case ComponentOperational:
		return "operational"
	case ComponentDegraded:
		return "degraded performance"
	case ComponentPartialOutage:
		return "partial outage"
	case ComponentMajorOutage:
		return "major outage"
	case ComponentMaintenance:
		return "under maintenance"
	case "":
		return "unknown"
	}
	return "unknown (" + string(s) + ")"
}

// Short is the status in at most two short words, for a table cell:
// "degraded", "maintenance"; "unknown" for anything undocumented.
func (s ComponentStatus) Short() string {
	switch s {
	case ComponentDegraded:
		return "degraded"
	case ComponentMaintenance:
		return "maintenance"
	case ComponentOperational, ComponentPartialOutage, ComponentMajorOutage:
		return s.String()
	}
	return "unknown"
}

// Outage reports a partial or major outage.
func (s ComponentStatus) Outage() bool {
	return s == ComponentPartialOutage || s == ComponentMajorOutage
}
