package fakeupstream

import "time"

// Other companies' Statuspage pages, shaped like the real ones (page and
// component ids as they serve them), for a downforai pointed at the wrong
// --status-url: nothing on them is about Claude.
const (
	// GitHubPageID is githubstatus.com's Statuspage page id.
	GitHubPageID = "kctbh9vrtdwd"
	// HashiCorpPageID is status.hashicorp.com's Statuspage page id.
	HashiCorpPageID = "pdrzb3d64wsj"
)

// foreignComponent is one row of a foreign page.
type foreignComponent struct {
	id, name, status, group string
	isGroup                 bool
}

func foreignPage(pageID, name, url string, epoch time.Time, status spStatus, rows []foreignComponent, open []spIncident) pageState {
	ps := pageState{
		page:   spPage{ID: pageID, Name: name, URL: url, TimeZone: "Etc/UTC", UpdatedAt: ts(epoch)},
		status: status, unresolved: open,
	}
	for i, r := range rows {
		c := spComponent{ID: r.id, Name: r.name, Status: r.status, CreatedAt: ts(epoch.Add(-3 * 365 * 24 * time.Hour)),
			UpdatedAt: ts(epoch), Position: i + 1, PageID: pageID, Group: r.isGroup}
		if r.group != "" {
			c.GroupID = strp(r.group)
		}
		ps.components = append(ps.components, c)
	}
	ps.history = append(ps.history, open...)
	return ps
}

// githubPage is GitHub's status page: all operational, one incident open on
// Codespaces (the kind a reader must not take for Claude's).
func githubPage(epoch time.Time) pageState {
	start := epoch.Add(-20 * time.Minute)
	inc := spIncident{
		ID: "y4xv0bqzrd1m", Name: "Disruption with some GitHub services", Status: "investigating", Impact: "minor",
		CreatedAt: ts(start), UpdatedAt: ts(start), StartedAt: ts(start), Shortlink: "https://stspg.io/y4xv0bqzrd1m",
		PageID: GitHubPageID,
		IncidentUpdates: []spUpdate{{ID: "g1thub0upd01", Status: "investigating", IncidentID: "y4xv0bqzrd1m",
			Body:      "We are investigating reports of degraded performance for Codespaces.",
			CreatedAt: ts(start), UpdatedAt: ts(start), DisplayAt: ts(start),
			AffectedComponents: &[]spAffected{{Code: "h2ftsgbw7kmk", Name: "Codespaces", OldStatus: "operational", NewStatus: "operational"}}}},
	}
	return foreignPage(GitHubPageID, "GitHub", "https://www.githubstatus.com", epoch,
		spStatus{Indicator: "minor", Description: "All Systems Operational"},
		[]foreignComponent{
			{id: "8l4ygp009s5s", name: "Git Operations", status: "operational"},
			{id: "brv1bkgrwx7q", name: "API Requests", status: "operational"},
			{id: "4230lsnqdsld", name: "Webhooks", status: "operational"},
			{id: "0l2p9nhqnxpd", name: "Visit www.githubstatus.com for more information", status: "operational"},
			{id: "kr09ddfgbfsf", name: "Issues", status: "operational"},
			{id: "hhtssxt0f5v2", name: "Pull Requests", status: "operational"},
			{id: "br0l2tvcx85d", name: "Actions", status: "operational"},
			{id: "st3j38cctv9l", name: "Packages", status: "operational"},
			{id: "vg70hn9s2tyj", name: "Pages", status: "operational"},
			{id: "h2ftsgbw7kmk", name: "Codespaces", status: "operational"},
		}, []spIncident{inc})
}

// hashicorpPage is HashiCorp's status page, with groups and a degraded
// Terraform Cloud, no open incident.
func hashicorpPage(epoch time.Time) pageState {
	return foreignPage(HashiCorpPageID, "HashiCorp Services", "https://status.hashicorp.com", epoch,
		spStatus{Indicator: "minor", Description: "Partially Degraded Service"},
		[]foreignComponent{
			{id: "cnzk9zc90jqy", name: "Terraform Cloud", status: "degraded_performance", isGroup: true},
			{id: "7cgbxrw10wgr", name: "Terraform Cloud UI and API", status: "degraded_performance", group: "cnzk9zc90jqy"},
			{id: "c5017zlm6qhz", name: "Terraform Runs", status: "operational", group: "cnzk9zc90jqy"},
			{id: "ym75hzpmfq4q", name: "HashiCorp Cloud Platform (HCP)", status: "operational", isGroup: true},
			{id: "mgv1p2j9x444", name: "HCP Portal", status: "operational", group: "ym75hzpmfq4q"},
			{id: "c32yfw32879v", name: "Vault", status: "operational", group: "ym75hzpmfq4q"},
			{id: "1mdm36t0fkx1", name: "Vagrant Cloud", status: "operational"},
		}, nil)
}
