package fakeupstream

import "time"

// The status page's ids, as served by status.claude.com
// (reference/anthropic-formats.md §1.4).
const (
	PageID = "tymt9n04zgry"

	ComponentClaudeAI   = "rwppv331jlwc"
	ComponentConsole    = "0qbwn08sd68x"
	ComponentAPI        = "k8w3r06qmzrp"
	ComponentClaudeCode = "yyzkbfz2thpt"
	ComponentCowork     = "bpp5gb3hpjcl"
	ComponentGov        = "0scnb50nvy53"

	// OutageIncidentID is the real incident StatusMajor (ModeMajorOutage) serves.
	OutageIncidentID = "461yvfrzpwtt"
	// MaintenanceID is the maintenance in progress in StatusMaintenance.
	MaintenanceID = "m4nt3n4nc3aa"
)

// Statuspage v2 JSON, field for field; nullable fields are pointers.

type spPage struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	TimeZone  string `json:"time_zone"`
	UpdatedAt string `json:"updated_at"`
}

type spStatus struct {
	Indicator   string `json:"indicator"`
	Description string `json:"description"`
}

type spComponent struct {
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	Status             string  `json:"status"`
	CreatedAt          string  `json:"created_at"`
	UpdatedAt          string  `json:"updated_at"`
	Position           int     `json:"position"`
	Description        *string `json:"description"`
	Showcase           bool    `json:"showcase"`
	StartDate          *string `json:"start_date"`
	GroupID            *string `json:"group_id"`
	PageID             string  `json:"page_id"`
	Group              bool    `json:"group"`
	OnlyShowIfDegraded bool    `json:"only_show_if_degraded"`
}

type spAffected struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	OldStatus string `json:"old_status"`
	NewStatus string `json:"new_status"`
}

type spUpdate struct {
	ID                   string        `json:"id"`
	Status               string        `json:"status"`
	Body                 string        `json:"body"`
	IncidentID           string        `json:"incident_id"`
	CreatedAt            string        `json:"created_at"`
	UpdatedAt            string        `json:"updated_at"`
	DisplayAt            string        `json:"display_at"`
	AffectedComponents   *[]spAffected `json:"affected_components"`
	DeliverNotifications bool          `json:"deliver_notifications"`
	CustomTweet          *string       `json:"custom_tweet"`
	TweetID              *string       `json:"tweet_id"`
}

type spIncident struct {
	ID              string        `json:"id"`
	Name            string        `json:"name"`
	Status          string        `json:"status"`
	CreatedAt       string        `json:"created_at"`
	UpdatedAt       string        `json:"updated_at"`
	MonitoringAt    *string       `json:"monitoring_at"`
	ResolvedAt      *string       `json:"resolved_at"`
	Impact          string        `json:"impact"`
	Shortlink       string        `json:"shortlink"`
	StartedAt       string        `json:"started_at"`
	PageID          string        `json:"page_id"`
	IncidentUpdates []spUpdate    `json:"incident_updates"`
	Components      []spComponent `json:"components"`
	// Scheduled maintenances only.
	ScheduledFor   *string `json:"scheduled_for,omitempty"`
	ScheduledUntil *string `json:"scheduled_until,omitempty"`
}

// component rows in page order, with their creation facts from the 2026-03
// full fixture.
var componentRows = []struct {
	id, name, created, start string
}{
	{ComponentClaudeAI, "claude.ai", "2023-07-11T17:52:24.275Z", "2023-07-11"},
	{ComponentConsole, "Claude Console (platform.claude.com)", "2023-07-11T17:52:51.202Z", "2023-07-11"},
	{ComponentAPI, "Claude API (api.anthropic.com)", "2023-07-11T17:53:10.880Z", "2023-07-11"},
	{ComponentClaudeCode, "Claude Code", "2025-05-22T21:35:29.822Z", "2025-02-06"},
	{ComponentCowork, "Claude Cowork", "2026-01-20T18:04:11.410Z", "2026-01-20"},
	{ComponentGov, "Claude for Government", "2026-02-10T16:45:02.118Z", "2026-02-10"},
}

func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func strp(s string) *string { return &s }

// pageState is everything the status page serves at one moment.
type pageState struct {
	page       spPage
	status     spStatus
	noStatus   bool // summary.json and status.json leave the status object out
	components []spComponent
	unresolved []spIncident
	history    []spIncident // incidents.json: unresolved first, then resolved, newest first
	upcoming   []spIncident
	active     []spIncident
}

// The incidents the outage pages open, by state.
const (
	// DegradedIncidentID is the incident StatusDegraded shows.
	DegradedIncidentID = "dg7kq2m4x9zt"
	// PartialIncidentID is the incident StatusPartial shows.
	PartialIncidentID = "pt3nw8r5c1vb"
	// OldMaintenanceID is the 2015 maintenance StatusOldMaintenance lists.
	OldMaintenanceID = "0ldm41nt2015"
)

// buildPage renders Claude's status page in state st. epoch is when the
// state was set: every timestamp is relative to it, so bodies (and their
// ETags) stay the same while the state does. outageEnded is when an outage
// page (outageKind) was last left, zero if never: its incident then shows
// as resolved.
func buildPage(st StatusState, epoch, outageEnded time.Time, outageKind StatusState) pageState {
	statuses := map[string]string{}
	status := spStatus{Indicator: "none", Description: "All Systems Operational"}
	outageStart := epoch.Add(-40 * time.Minute)
	if !outageEnded.IsZero() {
		outageStart = outageEnded.Add(-40 * time.Minute)
	}
	var unresolved, upcoming, active []spIncident
	switch st {
	case StatusMajor:
		statuses[ComponentClaudeAI] = "partial_outage"
		statuses[ComponentAPI] = "major_outage"
		statuses[ComponentClaudeCode] = "partial_outage"
		status = spStatus{Indicator: "major", Description: "Partial System Outage"}
		unresolved = append(unresolved, outageIncident(st, outageStart, time.Time{}))
	case StatusPartial:
		statuses[ComponentAPI] = "partial_outage"
		status = spStatus{Indicator: "minor", Description: "Minor Service Outage"}
		unresolved = append(unresolved, outageIncident(st, outageStart, time.Time{}))
	case StatusDegraded:
		statuses[ComponentAPI] = "degraded_performance"
		status = spStatus{Indicator: "minor", Description: "Partially Degraded Service"}
		unresolved = append(unresolved, outageIncident(st, outageStart, time.Time{}))
	case StatusMaintenance:
		statuses[ComponentAPI] = "under_maintenance"
		status = spStatus{Indicator: "maintenance", Description: "Service Under Maintenance"}
		active = append(active, maintenance(MaintenanceID, "Scheduled maintenance of the Claude API",
			"in_progress", epoch.Add(-10*time.Minute), epoch.Add(50*time.Minute), ComponentAPI, "under_maintenance"))
		upcoming = append(upcoming, maintenance("upc0m1ngm41n", "Scheduled maintenance of claude.ai",
			"scheduled", epoch.Add(24*time.Hour), epoch.Add(25*time.Hour), ComponentClaudeAI, "operational"))
	case StatusOldMaintenance:
		// Left "scheduled" for years: a page can still list it.
		from := time.Date(2015, 6, 1, 2, 0, 0, 0, time.UTC)
		upcoming = append(upcoming, maintenance(OldMaintenanceID, "Database maintenance",
			"scheduled", from, from.Add(2*time.Hour), ComponentAPI, "under_maintenance"))
	}

	ps := pageState{
		page: spPage{ID: PageID, Name: "Claude", URL: "https://status.claude.com",
			TimeZone: "Etc/UTC", UpdatedAt: ts(epoch)},
		status: status, noStatus: st == StatusNoIndicator,
		unresolved: unresolved, upcoming: upcoming, active: active,
	}
	for i, r := range componentRows {
		s := "operational"
		if v, ok := statuses[r.id]; ok {
			s = v
		}
		ps.components = append(ps.components, spComponent{
			ID: r.id, Name: r.name, Status: s, CreatedAt: r.created, UpdatedAt: ts(epoch),
			Position: i + 1, Showcase: true, StartDate: strp(r.start), PageID: PageID,
		})
	}

	ps.history = append(ps.history, unresolved...)
	if !st.outage() && !outageEnded.IsZero() && outageKind.outage() {
		ps.history = append(ps.history, outageIncident(outageKind, outageStart, outageEnded))
	}
	ps.history = append(ps.history, resolvedHistory(epoch)...)
	return ps
}

// componentsByID gives the incident "components" array for some ids.
func componentsByID(status string, at time.Time, ids ...string) []spComponent {
	var cs []spComponent
	for _, id := range ids {
		for i, r := range componentRows {
			if r.id == id {
				cs = append(cs, spComponent{ID: r.id, Name: r.name, Status: status, CreatedAt: r.created,
					UpdatedAt: ts(at), Position: i + 1, Showcase: true, StartDate: strp(r.start), PageID: PageID})
			}
		}
	}
	return cs
}

func affected(newStatus string, ids ...string) *[]spAffected {
	var as []spAffected
	for _, id := range ids {
		for _, r := range componentRows {
			if r.id == id {
				as = append(as, spAffected{Code: id, Name: r.name, OldStatus: "operational", NewStatus: newStatus})
			}
		}
	}
	return &as
}

func update(incident, id, status, body string, at time.Time, aff *[]spAffected) spUpdate {
	return spUpdate{ID: id, Status: status, Body: body, IncidentID: incident,
		CreatedAt: ts(at), UpdatedAt: ts(at), DisplayAt: ts(at), AffectedComponents: aff, DeliverNotifications: true}
}

// outageIncident is the incident an outage page shows: for StatusMajor the
// real 2026-09-03 incident, identified; for StatusPartial and
// StatusDegraded a smaller one on the Claude API. It is resolved at
// resolved when that is not zero. Updates are newest first.
func outageIncident(st StatusState, start, resolved time.Time) spIncident {
	id, name, impact, link := OutageIncidentID, "Elevated errors for multiple models", "major", "https://stspg.io/9xz4hhmd1jzn"
	comps := []string{ComponentClaudeAI, ComponentAPI, ComponentClaudeCode}
	compStatus := "partial_outage"
	ups := []spUpdate{
		update(id, "2y0kd7dq5l3m", "identified", "We are continuing to work on a fix for this issue.", start.Add(25*time.Minute),
			affected("partial_outage", ComponentClaudeAI, ComponentAPI, ComponentClaudeCode)),
		update(id, "9f1bqzv8x0hc", "investigating", "We are investigating elevated errors.", start,
			affected("partial_outage", ComponentClaudeAI, ComponentClaudeCode)),
	}
	status := "identified"
	switch st {
	case StatusPartial:
		id, name, impact, link = PartialIncidentID, "Elevated error rates on the Claude API", "minor", "https://stspg.io/pt3nw8r5c1vb"
		comps, compStatus, status = []string{ComponentAPI}, "partial_outage", "investigating"
		ups = []spUpdate{update(id, "pt3nw8r5u001", "investigating", "We are investigating elevated error rates on the Claude API.", start,
			affected("partial_outage", ComponentAPI))}
	case StatusDegraded:
		id, name, impact, link = DegradedIncidentID, "Degraded performance on the Claude API", "minor", "https://stspg.io/dg7kq2m4x9zt"
		comps, compStatus, status = []string{ComponentAPI}, "degraded_performance", "investigating"
		ups = []spUpdate{update(id, "dg7kq2m4u001", "investigating", "We are investigating slower responses on the Claude API.", start,
			affected("degraded_performance", ComponentAPI))}
	}
	inc := spIncident{
		ID: id, Name: name, Status: status, Impact: impact,
		CreatedAt: ts(start), UpdatedAt: ts(ups[0].displayTime()), StartedAt: ts(start),
		Shortlink: link, PageID: PageID,
		Components: componentsByID(compStatus, start, comps...),
	}
	if !resolved.IsZero() {
		inc.Status = "resolved"
		inc.ResolvedAt = strp(ts(resolved))
		inc.UpdatedAt = ts(resolved)
		ups = append([]spUpdate{update(id, "r3s0lv3d"+id[:4], "resolved", "This incident has been resolved.", resolved,
			affected("operational", comps...))}, ups...)
		inc.Components = componentsByID("operational", resolved, comps...)
	}
	inc.IncidentUpdates = ups
	return inc
}

func (u spUpdate) displayTime() time.Time {
	t, _ := time.Parse("2006-01-02T15:04:05.000Z", u.DisplayAt)
	return t
}

func maintenance(id, name, status string, from, until time.Time, component, newStatus string) spIncident {
	body := "We will be performing scheduled maintenance."
	if status == "in_progress" {
		body = "Scheduled maintenance is currently in progress. We will provide updates as necessary."
	}
	return spIncident{
		ID: id, Name: name, Status: status, Impact: "maintenance",
		CreatedAt: ts(from.Add(-72 * time.Hour)), UpdatedAt: ts(from), StartedAt: ts(from),
		Shortlink: "https://stspg.io/" + id, PageID: PageID,
		ScheduledFor: strp(ts(from)), ScheduledUntil: strp(ts(until)),
		IncidentUpdates: []spUpdate{update(id, id+"u1", status, body, from, affected(newStatus, component))},
		Components:      componentsByID(newStatus, from, component),
	}
}

// resolvedHistory is the closed incidents every mode lists in
// incidents.json, newest first. The ids and texts are real ones
// (reference §1.5, §1.7); one update has affected_components null, as real
// pages sometimes do.
func resolvedHistory(epoch time.Time) []spIncident {
	a := epoch.Add(-26 * time.Hour)
	q := spIncident{
		ID: "q7txxvbsftgq", Name: "Degraded performance for multiple models", Status: "resolved", Impact: "minor",
		CreatedAt: ts(a), UpdatedAt: ts(a.Add(95 * time.Minute)), StartedAt: ts(a),
		MonitoringAt: strp(ts(a.Add(50 * time.Minute))), ResolvedAt: strp(ts(a.Add(95 * time.Minute))),
		Shortlink: "https://stspg.io/tcsfmtc03xgm", PageID: PageID,
		IncidentUpdates: []spUpdate{
			update("q7txxvbsftgq", "k2m4vn8t1qpx", "resolved", "This incident has been resolved.", a.Add(95*time.Minute), nil),
			update("q7txxvbsftgq", "h8c3zt0w5lfe", "monitoring", "A fix has been implemented and we are monitoring the results.", a.Add(50*time.Minute),
				affected("degraded_performance", ComponentAPI, ComponentClaudeAI)),
			update("q7txxvbsftgq", "2svsssz7gf2w", "investigating", "We are investigating elevated errors on requests.", a,
				affected("degraded_performance", ComponentAPI, ComponentClaudeAI)),
		},
		Components: componentsByID("operational", a.Add(95*time.Minute), ComponentClaudeAI, ComponentAPI),
	}
	b := epoch.Add(-74 * time.Hour)
	v := spIncident{
		ID: "vmys9qn874h4", Name: "Issue with spend limits", Status: "resolved", Impact: "minor",
		CreatedAt: ts(b), UpdatedAt: ts(b.Add(40 * time.Minute)), StartedAt: ts(b),
		ResolvedAt: strp(ts(b.Add(40 * time.Minute))),
		Shortlink:  "https://stspg.io/vmys9qn874h4", PageID: PageID,
		IncidentUpdates: []spUpdate{
			update("vmys9qn874h4", "p0w9e2r7t4ya", "resolved", "We have identified an issue with spend limits in the Console. This is now resolved.", b.Add(40*time.Minute),
				affected("operational", ComponentConsole)),
			update("vmys9qn874h4", "d3f6g1h4j7kb", "investigating", "We are investigating an issue with spend limits.", b,
				affected("degraded_performance", ComponentConsole)),
		},
		Components: componentsByID("operational", b.Add(40*time.Minute), ComponentConsole),
	}
	return []spIncident{q, v}
}
