package judge

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

const compConsole = "0qbwn08sd68x"

func min_(n int) time.Duration { return time.Duration(n) * time.Minute }

func ours(kind probe.IncidentKind, service string, first, recovered time.Time) probe.LocalIncident {
	l := probe.LocalIncident{ID: "x", Subject: "provider:" + service, Kind: kind, Service: service,
		FirstFailure: first, Recovered: recovered, Classes: map[probe.Class]int{probe.ClassOverloaded: 3}}
	if service == "api" {
		l.Targets = []probe.Target{probe.TargetAPI}
	}
	if !recovered.IsZero() {
		l.Closed = recovered.Add(time.Minute)
	}
	return l
}

func officialIncident(id string, posted, resolved time.Time, comps ...string) probe.Incident {
	in := probe.Incident{ID: id, Name: id, Impact: "major", Status: "identified", CreatedAt: posted, StartedAt: posted, Components: comps}
	if !resolved.IsZero() {
		in.Status, in.ResolvedAt = "resolved", resolved
	}
	return in
}

// maintenanceWindow is a maintenance in progress since start.
func maintenanceWindow(id string, start time.Time, comps ...string) probe.Incident {
	return probe.Incident{ID: id, Name: id, Impact: "maintenance", Status: "in_progress", CreatedAt: start.Add(-time.Hour),
		ScheduledFor: start, StartedAt: start, Components: comps}
}

// unobserved is l ended unobserved in a gap from from to to.
func unobserved(l probe.LocalIncident, from, to time.Time) probe.LocalIncident {
	l.Recovered, l.Unobserved, l.UnprobedFrom, l.UnprobedTo, l.Closed = time.Time{}, true, from, to, to
	l.LastFailure = from
	return l
}

// saidResolved is an incident posted at posted whose newest update said
// resolved at resolved, merged with a read of summary.json at seen that
// still listed it investigating (a cached copy): open, by the newer read.
func saidResolved(posted, resolved, seen time.Time) probe.Incident {
	feed := probe.Incident{ID: "a", Name: "a", Impact: "major", Status: "resolved", CreatedAt: posted, StartedAt: posted, UpdatedAt: resolved,
		Components: []string{compAPI}, Updates: []probe.IncidentUpdate{{ID: "r", Status: "resolved", At: resolved}, {ID: "i", Status: "investigating", At: posted}}}
	listed := probe.Incident{ID: "a", Name: "a", Impact: "major", Status: "investigating", CreatedAt: posted, StartedAt: posted, UpdatedAt: posted,
		Components: []string{compAPI}, Seen: seen, Updates: []probe.IncidentUpdate{{ID: "i", Status: "investigating", At: posted}}}
	return probe.MergeIncident(feed, listed)
}

// unlisted is a maintenance of the API in progress from start that the
// page stopped listing at gone, without saying it completed.
func unlisted(start, gone time.Time) probe.Incident {
	return probe.Incident{ID: "m", Name: "m", Impact: "maintenance", Status: "in_progress", StartedAt: start, ScheduledFor: start,
		Components: []string{compAPI}, Seen: gone.Add(-6 * time.Second), Unlisted: gone}
}

func TestCorrelate(t *testing.T) {
	api := ours(probe.KindProvider, "api", t0, t0.Add(min_(30)))
	tests := []struct {
		name     string
		l        probe.LocalIncident
		official []probe.Incident
		want     string
	}{
		{"none", api, nil, ""},
		{"same time, same component", api, []probe.Incident{officialIncident("a", t0.Add(min_(7)), time.Time{}, compAPI)}, "a"},
		{"same time, other component", api, []probe.Incident{officialIncident("a", t0.Add(min_(7)), time.Time{}, compConsole)}, ""},
		{"no components named", api, []probe.Incident{officialIncident("a", t0.Add(min_(7)), time.Time{})}, ""},
		{"posted within the grace after we recovered", api, []probe.Incident{officialIncident("a", t0.Add(min_(50)), time.Time{}, compAPI)}, "a"},
		{"posted long after we recovered", api, []probe.Incident{officialIncident("a", t0.Add(min_(90)), time.Time{}, compAPI)}, ""},
		// A maintenance is its window: a failure over before it began is
		// not its (the grace is for incidents posted late).
		{"a maintenance that began after we recovered", api, []probe.Incident{maintenanceWindow("m", t0.Add(min_(50)), compAPI)}, ""},
		{"a maintenance under way while we failed", api, []probe.Incident{maintenanceWindow("m", t0.Add(min_(20)), compAPI)}, "m"},
		// An incident that ended unobserved is not linked across its gap.
		{"posted during the gap of one that ended unobserved", unobserved(api, t0.Add(min_(10)), t0.Add(min_(120))), []probe.Incident{officialIncident("a", t0.Add(min_(100)), time.Time{}, compAPI)}, ""},
		// Cold C2: a failure that begins after Anthropic resolved theirs
		// (and after our probes recovered) is a new one, never filed
		// under the resolved incident, however close in time.
		{"resolved a minute before we failed", ours(probe.KindProvider, "api", t0, time.Time{}), []probe.Incident{officialIncident("a", t0.Add(-min_(40)), t0.Add(-min_(1)), compAPI)}, ""},
		{"resolved a second before we failed", ours(probe.KindProvider, "api", t0, time.Time{}), []probe.Incident{officialIncident("a", t0.Add(-min_(40)), t0.Add(-time.Second), compAPI)}, ""},
		{"resolved while we still failed", api, []probe.Incident{officialIncident("a", t0.Add(-min_(10)), t0.Add(min_(5)), compAPI)}, "a"},
		{"resolved as we began failing", api, []probe.Incident{officialIncident("a", t0.Add(-min_(10)), t0, compAPI)}, "a"},
		{"a resolved one does not win over an open one after it", ours(probe.KindProvider, "api", t0, time.Time{}), []probe.Incident{
			officialIncident("old", t0.Add(-min_(40)), t0.Add(-min_(1)), compAPI),
			officialIncident("new", t0.Add(min_(3)), time.Time{}, compAPI)}, "new"},
		// Cold5 D6: no longer listed is an end just like resolved.
		{"left the page minutes before we failed", ours(probe.KindProvider, "api", t0, time.Time{}), []probe.Incident{unlisted(t0.Add(-min_(13)), t0.Add(-min_(3)))}, ""},
		{"left the page while we failed", ours(probe.KindProvider, "api", t0, time.Time{}), []probe.Incident{unlisted(t0.Add(-min_(13)), t0.Add(min_(3)))}, "m"},
		{"resolved long before we failed", api, []probe.Incident{officialIncident("a", t0.Add(-min_(300)), t0.Add(-min_(200)), compAPI)}, ""},
		{"a real overlap beats one in the grace", api, []probe.Incident{
			officialIncident("grace", t0.Add(min_(45)), time.Time{}, compAPI),
			officialIncident("real", t0.Add(min_(20)), time.Time{}, compAPI)}, "real"},
		{"the closest start wins among overlaps", api, []probe.Incident{
			officialIncident("far", t0.Add(-min_(120)), time.Time{}, compAPI),
			officialIncident("near", t0.Add(min_(2)), time.Time{}, compAPI, compClaudeAI)}, "near"},
		{"still open on our side", ours(probe.KindProvider, "api", t0, time.Time{}), []probe.Incident{officialIncident("a", t0.Add(min_(400)), time.Time{}, compAPI)}, "a"},
		{"upcoming maintenance is not linked", api, []probe.Incident{{ID: "m", Impact: "maintenance", Status: "scheduled",
			ScheduledFor: t0.Add(min_(10)), ScheduledUntil: t0.Add(min_(70)), Components: []string{compAPI}}}, ""},
		{"maintenance in progress is linked", api, []probe.Incident{{ID: "m", Impact: "maintenance", Status: "in_progress",
			ScheduledFor: t0.Add(-min_(10)), StartedAt: t0.Add(-min_(10)), ScheduledUntil: t0.Add(min_(50)), Components: []string{compAPI}}}, "m"},
		{"a network-wide incident is never linked", probe.LocalIncident{Kind: probe.KindYourNetwork, FirstFailure: t0},
			[]probe.Incident{officialIncident("a", t0, time.Time{}, compAPI, compClaudeAI, compCode)}, ""},
		// Issue 19: a rejected key or a rate limit is never the official
		// incident's, however it overlaps.
		{"a your-side incident is never linked", probe.LocalIncident{Kind: probe.KindYourSide, Targets: []probe.Target{probe.TargetAPIKey}, FirstFailure: t0},
			[]probe.Incident{officialIncident("a", t0.Add(min_(3)), time.Time{}, compAPI)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, ok := Correlate(tt.l, tt.official)
			if got := in.ID; got != tt.want || ok != (tt.want != "") {
				t.Errorf("Correlate = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}

// listedLater is in as reads of ours bound its listing: not by the read at
// notListed, by the one at first.
func listedLater(in probe.Incident, notListed, first time.Time) probe.Incident {
	in.NotListed, in.FirstRead = notListed, first
	return in
}

func TestLeadLag(t *testing.T) {
	now := t0.Add(3 * time.Hour)
	tests := []struct {
		name string
		l    probe.LocalIncident
		in   probe.Incident
		want []string
	}{
		{"we saw it first, both resolved",
			ours(probe.KindProvider, "api", t0, t0.Add(min_(40))), officialIncident("a", t0.Add(min_(7)), t0.Add(min_(44)), compAPI),
			[]string{"our probes saw this 7 min before Anthropic posted it", "Anthropic resolved it 4 min after our probes recovered"}},
		{"Anthropic first, resolved before we recovered",
			ours(probe.KindProvider, "api", t0, t0.Add(min_(40))), officialIncident("a", t0.Add(-min_(65)), t0.Add(min_(35)), compAPI),
			[]string{"Anthropic posted this 1 h 5 min before our probes saw it", "Anthropic resolved it 5 min before our probes recovered"}},
		{"same minute",
			ours(probe.KindProvider, "api", t0, t0.Add(min_(40))), officialIncident("a", t0.Add(20*time.Second), t0.Add(min_(40)+10*time.Second), compAPI),
			[]string{"our probes and Anthropic saw this within a minute of each other", "Anthropic resolved it within a minute of our probes recovering"}},
		{"we recovered, they have not resolved",
			ours(probe.KindProvider, "api", t0, t0.Add(min_(160))), officialIncident("a", t0.Add(min_(2)), time.Time{}, compAPI),
			[]string{"our probes saw this 2 min before Anthropic posted it", "our probes recovered 20 min ago; Anthropic has not resolved it yet"}},
		{"they resolved, we still fail",
			ours(probe.KindProvider, "api", t0, time.Time{}), officialIncident("a", t0.Add(min_(2)), t0.Add(min_(150)), compAPI),
			[]string{"our probes saw this 2 min before Anthropic posted it", "Anthropic resolved it 30 min ago, but our probes still fail"}},
		{"both still open", ours(probe.KindProvider, "api", t0, time.Time{}), officialIncident("a", t0.Add(min_(2)), time.Time{}, compAPI),
			[]string{"our probes saw this 2 min before Anthropic posted it"}},
		// cold10 E6b: the newest update said resolved while a read of the
		// page listed it open after it: both said, never "has not resolved".
		{"newest update resolved, listed open after, we recovered",
			ours(probe.KindProvider, "api", t0, t0.Add(min_(160))), saidResolved(t0.Add(min_(2)), t0.Add(min_(170)), t0.Add(min_(171))),
			[]string{"our probes saw this 2 min before Anthropic posted it",
				"Anthropic's newest update, at 15:50 UTC, says resolved (10 min after our probes recovered), though its page listed it open after that, at 15:51 UTC"}},
		{"newest update resolved, listed open after, we still fail",
			ours(probe.KindProvider, "api", t0, time.Time{}), saidResolved(t0.Add(min_(2)), t0.Add(min_(170)), t0.Add(min_(171))),
			[]string{"our probes saw this 2 min before Anthropic posted it",
				"Anthropic's newest update, at 15:50 UTC, says resolved, though its page listed it open after that, at 15:51 UTC; our probes still fail"}},
		// cold10 E6a: no created_at and no update times: started_at is
		// when Anthropic dates it (set back 30 min), not when it posted.
		{"no posted time, first read by us",
			ours(probe.KindProvider, "api", t0, time.Time{}),
			probe.Incident{ID: "a", Name: "a", Status: "identified", StartedAt: t0.Add(-min_(30)), FirstRead: t0.Add(min_(7)), Components: []string{compAPI}},
			[]string{"Anthropic's page gives no time it posted this; we first read it at 13:07 UTC, 7 min after our probes saw it"}},
		{"no posted time, no read of ours",
			ours(probe.KindProvider, "api", t0, time.Time{}),
			probe.Incident{ID: "a", Name: "a", Status: "identified", StartedAt: t0.Add(-min_(30)), Components: []string{compAPI}},
			[]string{"Anthropic dates its start 30 min before our probes saw it (its page gives no time it posted it)"}},
		// Cold walk of Dec 7: created_at set back 33 min, though our reads
		// of the page until after our probes failed did not list it.
		{"dated back, not listed by a read after our failure",
			ours(probe.KindProvider, "api", t0, time.Time{}),
			listedLater(officialIncident("a", t0.Add(-min_(33)), time.Time{}, compAPI), t0.Add(min_(4)), t0.Add(min_(5))),
			[]string{"Anthropic's page first listed it between 13:04:00 and 13:05:00 UTC (it dates the post 12:27, before a read of ours that did not show it): our probes saw this at least 4 min before the page listed it"}},
		{"dated back, listed before our failure",
			ours(probe.KindProvider, "api", t0, time.Time{}),
			listedLater(officialIncident("a", t0.Add(-min_(33)), time.Time{}, compAPI), t0.Add(-min_(12)), t0.Add(-min_(10))),
			[]string{"Anthropic's page first listed it between 12:48:00 and 12:50:00 UTC (it dates the post 12:27, before a read of ours that did not show it): the page listed it at least 10 min before our probes saw it"}},
		{"dated back, listed as we failed",
			ours(probe.KindProvider, "api", t0, time.Time{}),
			listedLater(officialIncident("a", t0.Add(-min_(33)), time.Time{}, compAPI), t0.Add(-time.Minute), t0.Add(time.Minute)),
			[]string{"Anthropic's page first listed it between 12:59:00 and 13:01:00 UTC (it dates the post 12:27, before a read of ours that did not show it): our probes saw it in that time"}},
		{"posted between our reads: its own time holds",
			ours(probe.KindProvider, "api", t0, time.Time{}),
			listedLater(officialIncident("a", t0.Add(min_(3)), time.Time{}, compAPI), t0.Add(min_(2)), t0.Add(min_(4))),
			[]string{"our probes saw this 3 min before Anthropic posted it"}},
		// Cold walk of Dec 7: ours ended unobserved in a restart's gap;
		// Anthropic resolved it in that gap: no "before our probes recovered".
		{"ours ended unobserved",
			unobserved(ours(probe.KindProvider, "api", t0, time.Time{}), t0.Add(min_(40)), t0.Add(min_(42))),
			officialIncident("a", t0.Add(min_(2)), t0.Add(min_(41)), compAPI),
			[]string{"our probes saw this 2 min before Anthropic posted it", "our probes did not see it end: not probed 13:40:00–13:42:00 UTC; Anthropic resolved it at 13:41:00 UTC"}},
		{"ours ended unobserved after Anthropic resolved it",
			unobserved(ours(probe.KindProvider, "api", t0, time.Time{}), t0.Add(min_(40)), t0.Add(min_(42))),
			officialIncident("a", t0.Add(min_(2)), t0.Add(min_(30)), compAPI),
			[]string{"our probes saw this 2 min before Anthropic posted it", "our probes did not see it end: not probed 13:40:00–13:42:00 UTC; Anthropic resolved it at 13:30:00 UTC, while our probes still failed"}},
		{"maintenance", ours(probe.KindProvider, "api", t0, t0.Add(min_(20))),
			probe.Incident{ID: "m", Impact: "maintenance", Status: "completed", StartedAt: t0.Add(-min_(3)), ScheduledFor: t0.Add(-min_(3)),
				ResolvedAt: t0.Add(min_(25)), Components: []string{compAPI}},
			[]string{"our probes began failing 3 min into Anthropic's maintenance", "Anthropic completed it 5 min after our probes recovered"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LeadLag(tt.l, tt.in, nil, now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("LeadLag =\n  %q\nwant\n  %q", got, tt.want)
			}
		})
	}
}

func TestUnacknowledged(t *testing.T) {
	open := ours(probe.KindProvider, "api", t0, time.Time{})
	green := &probe.Status{Indicator: "none"}
	tests := []struct {
		name string
		l    probe.LocalIncident
		st   *probe.Status
		want bool
	}{
		{"our incident, page green", open, green, true},
		{"page not read", open, nil, false},
		{"closed", ours(probe.KindProvider, "api", t0, t0.Add(time.Minute)), green, false},
		{"your side", probe.LocalIncident{Kind: probe.KindYourSide, Targets: []probe.Target{probe.TargetAPIKey}, FirstFailure: t0}, green, false},
		{"covered by an open incident", open, &probe.Status{Incidents: []probe.Incident{officialIncident("a", t0, time.Time{}, compAPI)}}, false},
		{"an incident on another component", open, &probe.Status{Incidents: []probe.Incident{officialIncident("a", t0, time.Time{}, compConsole)}}, true},
		{"covered by maintenance in progress", open, &probe.Status{Maintenances: []probe.Incident{{ID: "m", Status: "in_progress", Components: []string{compAPI}}}}, false},
		{"maintenance only scheduled", open, &probe.Status{Maintenances: []probe.Incident{{ID: "m", Status: "scheduled", Components: []string{compAPI}}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unacknowledged(tt.l, tt.st); got != tt.want {
				t.Errorf("Unacknowledged = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTimeline(t *testing.T) {
	major := officialIncident("461yvfrzpwtt", t0.Add(min_(7)), time.Time{}, compAPI, compClaudeAI)
	major.Name = "Elevated errors for multiple models"
	old := officialIncident("q7txxvbsftgq", t0.Add(-26*time.Hour), t0.Add(-26*time.Hour+95*time.Minute), compAPI)
	old.Name = "Degraded performance for multiple models"
	upcoming := probe.Incident{ID: "upc", Name: "Scheduled maintenance of claude.ai", Impact: "maintenance", Status: "scheduled",
		ScheduledFor: t0.Add(24 * time.Hour), ScheduledUntil: t0.Add(25 * time.Hour), Components: []string{compClaudeAI}}
	linked := ours(probe.KindProvider, "api", t0, time.Time{})
	linked.ID = "linked"
	lonely := probe.LocalIncident{ID: "lonely", Kind: probe.KindYourSide, Subject: "yours:api_key", Targets: []probe.Target{probe.TargetAPIKey},
		FirstFailure: t0.Add(-3 * time.Hour), Recovered: t0.Add(-2 * time.Hour), Closed: t0.Add(-2 * time.Hour), Classes: map[probe.Class]int{probe.ClassAuth: 4}, HTTPStatus: 401}
	merged := probe.LocalIncident{ID: "merged", MergedInto: "net", FirstFailure: t0.Add(-time.Hour), Closed: t0}

	tl := Timeline([]probe.Incident{major, old, upcoming}, []probe.LocalIncident{linked, lonely, merged})
	var got []string
	for _, e := range tl {
		got = append(got, e.Title()+" ["+e.Source()+"]")
	}
	want := []string{
		"Scheduled maintenance of claude.ai [Anthropic]",
		"Elevated errors for multiple models [both]",
		"Your side, API with your key: credential rejected (401) [our probes]",
		"Degraded performance for multiple models [Anthropic]",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("timeline\n  %q\nwant\n  %q", got, want)
	}
	if e := tl[1]; !e.Start().Equal(t0) || !e.Active() || !e.End().IsZero() {
		t.Errorf("linked entry starts %v (want our first failure %v), active %v", e.Start(), t0, e.Active())
	}
	if tl[0].Active() || !tl[3].End().Equal(old.ResolvedAt) {
		t.Errorf("upcoming active %v; resolved end %v", tl[0].Active(), tl[3].End())
	}
	if !tl[1].Matches("ELEVATED") || !tl[2].Matches("credential") || tl[3].Matches("credential") || !tl[3].Matches(" ") {
		t.Error("Matches")
	}
	if strings.Join(tl[1].Components(), ",") != compAPI+","+compClaudeAI {
		t.Errorf("components %v", tl[1].Components())
	}
}

// TestTimelineDropsOutgrownLinks: links stored before a maintenance
// explained only failures inside its window (a 529 run over at 09:05 filed
// under a maintenance from 09:34, the row drawn from 08:01), or before an
// incident ended unobserved was no longer linked across its gap, stay in
// the database — closed incidents are not restored into the detector. The
// timeline does not draw them; links the rules still make stand.
func TestTimelineDropsOutgrownLinks(t *testing.T) {
	api := ours(probe.KindProvider, "api", t0, t0.Add(min_(40)))
	later := maintenanceWindow("m", t0.Add(min_(50)), compAPI)
	during := maintenanceWindow("d", t0.Add(min_(20)), compAPI)
	posted := officialIncident("a", t0.Add(min_(100)), time.Time{}, compAPI)
	gap := unobserved(api, t0.Add(min_(10)), t0.Add(min_(120)))
	for _, tc := range []struct {
		name   string
		l      probe.LocalIncident
		in     probe.Incident
		linked bool
	}{
		{"a maintenance that began after ours recovered", api, later, false},
		{"a maintenance under way while ours failed", api, during, true},
		{"an incident posted during the gap of one that ended unobserved", gap, posted, false},
		{"an incident posted within the grace after ours recovered", api, officialIncident("g", t0.Add(min_(50)), time.Time{}, compAPI), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.l
			l.OfficialID = tc.in.ID
			tl := Timeline([]probe.Incident{tc.in}, []probe.LocalIncident{l})
			joined := false
			for _, e := range tl {
				joined = joined || e.Official != nil && len(e.Local) > 0
			}
			if joined != tc.linked {
				t.Errorf("stored link drawn = %v, want %v (%d entries)", joined, tc.linked, len(tl))
			}
		})
	}
}

// TestTimelineEndOfAnUnobservedEnd (cold walk of Dec 7): an official
// incident resolved while downforai was off, beside ours that ended
// unobserved in that gap, was "ended <1m ago" — the restart that closed
// ours. The entry ends at the later of Anthropic's end and the last we saw.
func TestTimelineEndOfAnUnobservedEnd(t *testing.T) {
	l := unobserved(ours(probe.KindProvider, "api", t0, time.Time{}), t0.Add(min_(40)), t0.Add(min_(42)))
	l.OfficialID = "a"
	for _, tc := range []struct {
		resolved, want time.Time
	}{
		{t0.Add(min_(41)), t0.Add(min_(41))},
		{t0.Add(min_(30)), t0.Add(min_(40))},
	} {
		tl := Timeline([]probe.Incident{officialIncident("a", t0.Add(min_(2)), tc.resolved, compAPI)}, []probe.LocalIncident{l})
		if len(tl) != 1 || !tl[0].End().Equal(tc.want) {
			t.Errorf("resolved %v: entries %d, end %v, want %v", tc.resolved, len(tl), tl[0].End(), tc.want)
		}
	}
}
