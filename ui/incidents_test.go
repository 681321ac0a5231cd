package ui

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"downforai/probe"
)

// The incident fixtures: times relative to testNow (14:00 UTC).
func resolvedIncidents() []probe.Incident {
	a := testNow.Add(-26 * time.Hour)
	b := testNow.Add(-74 * time.Hour)
	return []probe.Incident{
		{ID: "q7txxvbsftgq", Name: "Degraded performance for multiple models", Status: "resolved", Impact: "minor",
			CreatedAt: a, StartedAt: a, UpdatedAt: a.Add(95 * time.Minute), ResolvedAt: a.Add(95 * time.Minute),
			Shortlink: "https://stspg.io/tcsfmtc03xgm", Components: []string{"k8w3r06qmzrp", "rwppv331jlwc"},
			Updates: []probe.IncidentUpdate{
				{ID: "k2", Status: "resolved", Body: "This incident has been resolved.", At: a.Add(95 * time.Minute)},
				{ID: "h8", Status: "monitoring", Body: "A fix has been implemented and we are monitoring the results.", At: a.Add(50 * time.Minute)},
				{ID: "2s", Status: "investigating", Body: "We are investigating elevated errors on requests.", At: a},
			}},
		{ID: "vmys9qn874h4", Name: "Issue with spend limits", Status: "resolved", Impact: "minor",
			CreatedAt: b, StartedAt: b, UpdatedAt: b.Add(40 * time.Minute), ResolvedAt: b.Add(40 * time.Minute),
			Shortlink: "https://stspg.io/vmys9qn874h4", Components: []string{"0qbwn08sd68x"},
			Updates: []probe.IncidentUpdate{
				{ID: "p0", Status: "resolved", Body: "We have identified an issue with spend limits in the Console. This is now resolved.", At: b.Add(40 * time.Minute)},
				{ID: "d3", Status: "investigating", Body: "We are investigating an issue with spend limits.", At: b},
			}},
		{ID: "upc0m1ngm41n", Name: "Scheduled maintenance of claude.ai", Status: "scheduled", Impact: "maintenance",
			CreatedAt: testNow.Add(-48 * time.Hour), StartedAt: testNow.Add(24 * time.Hour),
			ScheduledFor: testNow.Add(24 * time.Hour), ScheduledUntil: testNow.Add(25 * time.Hour),
			Shortlink: "https://stspg.io/upc0m1ngm41n", Components: []string{"rwppv331jlwc"},
			Updates: []probe.IncidentUpdate{{ID: "m1", Status: "scheduled", Body: "We will be performing scheduled maintenance.", At: testNow.Add(-48 * time.Hour)}}},
	}
}

// ourAPIIncident failed first at 13:19:04, seven minutes before Anthropic
// posted 461yvfrzpwtt at 13:26:04.
func ourAPIIncident(official string) probe.LocalIncident {
	first := time.Date(2026, 9, 3, 13, 19, 4, 0, time.UTC)
	return probe.LocalIncident{
		ID: "18e1/provider:api", Subject: "provider:api", Kind: probe.KindProvider, Service: "api",
		Targets:      []probe.Target{probe.TargetAPI, probe.TargetAPIKey},
		FirstFailure: first, LastFailure: testNow.Add(-40 * time.Second), Opened: first.Add(time.Minute),
		Failures: 76, Probes: 80, Classes: map[probe.Class]int{probe.ClassOverloaded: 74, probe.ClassServer: 2},
		HTTPStatus: 529, ErrorType: "overloaded_error", Message: "529 overloaded_error: Overloaded",
		RequestIDs: []string{"req_011CSHoEeqs5C35K2UUqR7F1", "req_011CSHoEeqs5C35K2UUqR7F2", "req_011CSHoEeqs5C35K2UUqR7F3"},
		OfficialID: official, Version: 40,
	}
}

func ourKeyIncident() probe.LocalIncident {
	first := testNow.Add(-3 * time.Hour)
	return probe.LocalIncident{
		ID: "18d0/yours:api_key", Subject: "yours:api_key", Kind: probe.KindYourSide,
		Targets:      []probe.Target{probe.TargetAPIKey},
		FirstFailure: first, LastFailure: first.Add(20 * time.Minute), Opened: first.Add(2 * time.Minute),
		Recovered: first.Add(21 * time.Minute), Closed: first.Add(22 * time.Minute),
		Failures: 21, Probes: 23, Classes: map[probe.Class]int{probe.ClassAuth: 21},
		HTTPStatus: 401, ErrorType: "authentication_error", Message: "401 authentication_error: invalid x-api-key",
		RequestIDs: []string{"req_011CSSdA5fqJCVm1m4XMjNks"}, Version: 9,
	}
}

// incidentModel is an outage in progress that our probes saw first, with
// history, an upcoming maintenance, and a closed incident of your key.
func incidentModel(w, h int) Model {
	m := New(testOptions())
	snap := outageSnapshot(testNow.Add(-40*time.Second), ringSize)
	snap.official = resolvedIncidents()
	snap.local = []probe.LocalIncident{ourAPIIncident("461yvfrzpwtt"), ourKeyIncident()}
	st := outageStatus(testNow.Add(-12 * time.Second))
	ev := eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow.Add(-12 * time.Second), Class: probe.ClassOK, HTTPStatus: 200},
		Status: &st, Official: st.Incidents}
	m = thisRun(send(m, snap, ev, tea.WindowSizeMsg{Width: w, Height: h}))
	m.active = tabIncidents
	return m
}

func TestIncidentsGolden(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		m := incidentModel(sz.w, sz.h)
		name := fmt.Sprintf("incidents_list_%dx%d", sz.w, sz.h)
		requireGolden(t, name, m.View())
		checkBox(t, name, m.View(), sz.w, sz.h)

		// The first entry is the upcoming maintenance; the outage is next.
		m = send(m, keyRunes("j"), tea.KeyMsg{Type: tea.KeyEnter})
		name = fmt.Sprintf("incidents_detail_%dx%d", sz.w, sz.h)
		requireGolden(t, name, m.View())
		checkBox(t, name, m.View(), sz.w, sz.h)

		m = send(m, tea.KeyMsg{Type: tea.KeyEsc}, keyRunes("j"), tea.KeyMsg{Type: tea.KeyEnter})
		name = fmt.Sprintf("incidents_detail_ours_%dx%d", sz.w, sz.h)
		requireGolden(t, name, m.View())
		checkBox(t, name, m.View(), sz.w, sz.h)
	}
}

func TestIncidentListShowsTheTimeline(t *testing.T) {
	v := incidentModel(160, 48).View()
	for _, want := range []string{
		"MAINTENANCE", "Scheduled maintenance of claude.ai", "in 24h, for 1h",
		"MAJOR", "Elevated errors for multiple models", "ongoing 40m", "both",
		"OUR PROBES", "Your side, API with your key: credential rejected (401)", "2h ago, lasted 21m", "our probes",
		"MINOR", "Degraded performance for multiple models", "24h ago, lasted 1h 35m",
		"Issue with spend limits", "3d ago, lasted 40m", "Anthropic",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	// Newest first: maintenance (tomorrow), outage, your key, then history.
	// Read the tab's own body: the banner above may quote an incident too.
	v = incidentModel(160, 48).incidents.view()
	order := []string{"Scheduled maintenance", "Elevated errors", "Your side", "Degraded performance", "spend limits"}
	last := -1
	for _, s := range order {
		i := strings.Index(v, s)
		if i < last {
			t.Errorf("%q out of order", s)
		}
		last = i
	}
}

func TestIncidentDetailShowsEverything(t *testing.T) {
	m := send(incidentModel(120, 80), keyRunes("j"), tea.KeyMsg{Type: tea.KeyEnter})
	v := m.View()
	for _, want := range []string{
		"MAJOR  Elevated errors for multiple models",
		"Anthropic and our probes",
		"Claude (claude.ai), Claude API, Claude Code",
		"https://stspg.io/9xz4hhmd1jzn",
		"our probes saw this 7 min before Anthropic posted it",
		"Updates from Anthropic (2, newest first)",
		"13:51:00  identified", "We are continuing to work on a fix for this issue.",
		"13:26:04  investigating", "We are investigating elevated errors.",
		"Claude API: overloaded (529)", "provider side · still failing",
		"76 failed of 80 probes with and without your key · overloaded 74, server 2",
		"req_011CSHoEeqs5C35K2UUqR7F1", "targets: API reachability, API with your key",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q\n%s", want, v)
		}
	}
	if strings.Index(v, "13:51:00") > strings.Index(v, "13:26:04  investigating") {
		t.Error("updates not newest first")
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyEsc})
	if m.incidents.detail || !strings.Contains(m.View(), "[all]") {
		t.Error("esc did not go back to the list")
	}
}

func TestIncidentDetailScrolls(t *testing.T) {
	m := send(incidentModel(80, 24), keyRunes("j"), tea.KeyMsg{Type: tea.KeyEnter})
	top := m.View()
	if !strings.Contains(top, "MAJOR  Elevated") {
		t.Fatal("detail does not start at the top")
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyPgDown})
	if v := m.View(); v == top || strings.Contains(v, "MAJOR  Elevated") {
		t.Error("pgdown did not scroll the detail")
	}
	// A new event keeps the scroll position.
	y := m.incidents.vp.YOffset
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow, Class: probe.ClassOverloaded, HTTPStatus: 529}})
	if m.incidents.vp.YOffset != y {
		t.Errorf("scroll %d after an event, want %d", m.incidents.vp.YOffset, y)
	}
}

func TestIncidentFilters(t *testing.T) {
	m := incidentModel(160, 48)
	want := map[string][]string{
		"active":   {"Elevated errors"},
		"official": {"Scheduled maintenance", "Elevated errors", "Degraded performance", "spend limits"},
		"ours":     {"Elevated errors", "Your side"},
		"all":      {"Scheduled maintenance", "Elevated errors", "Your side", "Degraded performance", "spend limits"},
	}
	all := want["all"]
	for _, f := range []string{"active", "official", "ours", "all"} {
		m = send(m, keyRunes("f"))
		v := m.View()
		if !strings.Contains(v, "["+f+"]") {
			t.Fatalf("filter %s not shown as current", f)
		}
		for _, s := range all {
			has := strings.Contains(v, s)
			if wantHas := contains(want[f], s); has != wantHas {
				t.Errorf("filter %s: %q shown %v, want %v", f, s, has, wantHas)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestIncidentSearchCapturesKeys(t *testing.T) {
	m := send(incidentModel(160, 48), keyRunes("/"))
	if !m.capturing() {
		t.Fatal("search input not capturing")
	}
	// "q" and "2" are typed, not quit or tab switches.
	next, cmd := m.Update(keyRunes("q"))
	m = next.(Model)
	if cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Fatal("q quit while searching")
		}
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyBackspace}, keyRunes("SPEND"))
	if m.active != tabIncidents {
		t.Fatal("switched tab while searching")
	}
	v := m.incidents.view() // the banner above may quote an incident too
	if !strings.Contains(v, "Issue with spend limits") || strings.Contains(v, "Elevated errors") {
		t.Errorf("search did not filter:\n%s", v)
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
	if m.capturing() || !strings.Contains(m.incidents.view(), "/SPEND") || strings.Contains(m.incidents.view(), "Elevated errors") {
		t.Error("enter should keep the search and release the keys")
	}
	m = send(m, keyRunes("2")) // now a tab key again: stays on Incidents (tab 2)
	m = send(m, tea.KeyMsg{Type: tea.KeyEsc})
	if !strings.Contains(m.View(), "Elevated errors") {
		t.Error("esc did not clear the search")
	}
	m = send(m, keyRunes("/"), keyRunes("zzz"), tea.KeyMsg{Type: tea.KeyEsc})
	if m.capturing() || !strings.Contains(m.View(), "Elevated errors") {
		t.Error("esc in the input should clear and close it")
	}
}

func TestIncidentCursorStaysOnTopUntilMoved(t *testing.T) {
	m := incidentModel(160, 48)
	newer := probe.Incident{ID: "n3w", Name: "Newer", Status: "investigating", Impact: "minor", StartedAt: testNow.Add(48 * time.Hour), CreatedAt: testNow}
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK}, Official: []probe.Incident{newer}})
	if m.incidents.cursor != 0 || !strings.Contains(m.View(), "› MINOR       Newer") {
		t.Errorf("cursor %d: the newest entry should be selected", m.incidents.cursor)
	}
}

func TestIncidentSelectionFollowsTheEntry(t *testing.T) {
	m := send(incidentModel(160, 48), keyRunes("j"), keyRunes("j"), keyRunes("j"))
	sel := m.incidents.selKey
	// A new official incident at the top must not move the selection.
	newer := probe.Incident{ID: "n3w", Name: "Newer", Status: "investigating", Impact: "minor", StartedAt: testNow, CreatedAt: testNow}
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK}, Official: []probe.Incident{newer}})
	if m.incidents.selKey != sel || entryKey(m.incidents.shown[m.incidents.cursor]) != sel {
		t.Errorf("selection moved from %s to %s", sel, entryKey(m.incidents.shown[m.incidents.cursor]))
	}
}

func TestLocalIncidentVersionsNeverGoBack(t *testing.T) {
	m := incidentModel(160, 48)
	old := ourAPIIncident("461yvfrzpwtt")
	old.Version, old.Failures = 3, 3
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow, Class: probe.ClassOverloaded}, LocalIncidents: []probe.LocalIncident{old}})
	if got := m.board.book.local[old.ID].Failures; got != 76 {
		t.Errorf("an older version replaced the newer: failures %d", got)
	}
	newer := ourAPIIncident("461yvfrzpwtt")
	newer.Version, newer.Recovered, newer.Closed = 41, testNow, testNow
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow, Class: probe.ClassOK}, LocalIncidents: []probe.LocalIncident{newer}})
	if m.board.book.local[old.ID].Active() {
		t.Error("the closing version was not taken")
	}
}

// unacknowledgedSnapshot is the API failing with 529s since 13:19 on both
// of its probes, one now and then getting through, and the incident of
// ours the detector made of exactly those results: what the banner counts
// is what the sparklines show.
func unacknowledgedSnapshot() snapshotMsg {
	snap := healthySnapshot(testNow.Add(-40*time.Second), ringSize)
	l := ourAPIIncident("")
	since := l.FirstFailure
	l.FirstFailure, l.LastFailure, l.Failures, l.Probes = time.Time{}, time.Time{}, 0, 0
	l.Classes = map[probe.Class]int{}
	for _, tg := range l.Targets {
		rs := snap.recent[tg]
		for i := range rs {
			if rs[i].Time.Before(since) {
				continue
			}
			l.Probes++
			if i%20 == 7 {
				continue // one gets through: not two in a row, so it stays open
			}
			f := overloaded(i)
			f.Target, f.Time = tg, rs[i].Time
			rs[i] = f
			l.Failures++
			l.Classes[probe.ClassOverloaded]++
			if l.FirstFailure.IsZero() || f.Time.Before(l.FirstFailure) {
				l.FirstFailure = f.Time
			}
			if f.Time.After(l.LastFailure) {
				l.LastFailure = f.Time
			}
		}
	}
	l.Opened = l.FirstFailure.Add(time.Minute)
	snap.local = []probe.LocalIncident{l}
	return snap
}

func TestUnacknowledgedInTheBanner(t *testing.T) {
	m := New(testOptions())
	snap := unacknowledgedSnapshot()
	// Two rounds in a row of 529: the verdict moves (one would not).
	m = ranThisRun(send(m, snap)) // the history is this run's
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow.Add(-15 * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529}},
		eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow.Add(-5 * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529}},
		tea.WindowSizeMsg{Width: 80, Height: 24})
	v := m.View()
	if !strings.Contains(v, "acknowledged by Anthropic") || !strings.Contains(strings.Join(strings.Fields(v), " "), "Claude API failing since 13:19:20 UTC, 40m ago (") {
		t.Errorf("banner:\n%s", v)
	}
	requireGolden(t, "live_unacknowledged_80x24", v)
	checkBox(t, "live_unacknowledged_80x24", v, 80, 24)
	m.active = tabIncidents
	m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
	if v := m.View(); !strings.Contains(v, "Not yet acknowledged by Anthropic") {
		t.Errorf("detail of an unacknowledged incident:\n%s", v)
	}

	// Once Anthropic posts it, the banner line goes.
	st := outageStatus(testNow)
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK}, Status: &st})
	// (The banner marks the change for a minute: "changed 14:00 from Not
	// yet acknowledged by Anthropic" is news, not the claim.)
	if v := m.View(); strings.Contains(v, "— not yet acknowledged by Anthropic") || !strings.Contains(v, "changed 14:00 from Not yet acknowledged by Anthropic") {
		t.Errorf("still unacknowledged after the official incident, or the change is not marked:\n%s", v)
	}
}

func TestIncidentLinkIsAnOSC8HyperlinkWithColour(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	opts := testOptions()
	opts.Renderer = r
	m := New(opts)
	st := outageStatus(testNow)
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK}, Status: &st},
		tea.WindowSizeMsg{Width: 120, Height: 40})
	m.active = tabIncidents
	m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
	v := m.View()
	if !strings.Contains(v, ansi.SetHyperlink("https://stspg.io/9xz4hhmd1jzn")+"https://stspg.io/9xz4hhmd1jzn"+ansi.ResetHyperlink()) {
		t.Errorf("no OSC 8 link in\n%q", v)
	}
	checkBox(t, "osc8", v, 120, 40)

	// Without colour (NO_COLOR, the goldens) the link is printed only.
	plain := send(incidentModel(120, 40), keyRunes("j"), tea.KeyMsg{Type: tea.KeyEnter}).View()
	if strings.Contains(plain, "\x1b]8;") || !strings.Contains(plain, "https://stspg.io/9xz4hhmd1jzn") {
		t.Error("plain terminal: want the link printed without OSC 8")
	}
}

func TestPublicLinkRefusesHostileURLs(t *testing.T) {
	for _, tt := range []struct {
		in   probe.Incident
		want string
	}{
		{probe.Incident{ID: "abc", Shortlink: "https://stspg.io/x"}, "https://stspg.io/x"},
		{probe.Incident{ID: "abc"}, "https://status.claude.com/incidents/abc"},
		{probe.Incident{ID: "abc", Shortlink: "javascript:alert(1)"}, ""},
		{probe.Incident{ID: "abc", Shortlink: "https://evil\x1b]8;;x\x07/"}, "https://evil/"},
		{probe.Incident{ID: "abc", Shortlink: "https://a b/"}, ""},
	} {
		if got := publicLink(tt.in, probe.DefaultStatusURL); got != tt.want {
			t.Errorf("publicLink(%q) = %q, want %q", tt.in.Shortlink, got, tt.want)
		}
	}
}

// An incident without a shortlink links to the status page being read
// (--status-url), not to status.claude.com.
func TestIncidentLinkFollowsStatusURL(t *testing.T) {
	for _, tt := range []struct {
		statusURL, want string
	}{
		{"", "https://status.claude.com/incidents/"},
		{"http://127.0.0.1:19141/", "http://127.0.0.1:19141/incidents/"},
		{"https://status.example.test/sub", "https://status.example.test/sub/incidents/"},
	} {
		o := testOptions()
		o.StatusURL = tt.statusURL
		st := outageStatus(testNow)
		st.Incidents[0].Shortlink = ""
		id := st.Incidents[0].ID
		tt.want += id
		m := send(New(o), eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK}, Status: &st},
			tea.WindowSizeMsg{Width: 160, Height: 48})
		m.active = tabIncidents
		m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
		view := ansi.Strip(m.View())
		if !strings.Contains(view, "Link") || !strings.Contains(view, tt.want) {
			t.Errorf("--status-url %q: want the link %s in the detail, got\n%s", tt.statusURL, tt.want, view)
		}
	}
}

func TestHostileIncidentTextIsDrawnClean(t *testing.T) {
	m := New(testOptions())
	evil := probe.Incident{ID: "e", Name: "Evil \x1b[2J\x1b]0;pwned\x07name", Status: "investigating\x1b[31m", Impact: "major",
		StartedAt: testNow, CreatedAt: testNow, Updates: []probe.IncidentUpdate{{Status: "x", Body: "body \x1b[1;1H\x1b[2Jmore", At: testNow}}}
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK}, Official: []probe.Incident{evil}},
		tea.WindowSizeMsg{Width: 100, Height: 30})
	m.active = tabIncidents
	for _, v := range []string{m.View(), send(m, tea.KeyMsg{Type: tea.KeyEnter}).View()} {
		if strings.ContainsAny(v, "\x1b\x07") {
			t.Errorf("escape sequences reached the screen: %q", v)
		}
	}
}

func TestIncidentsLoadFromHistory(t *testing.T) {
	h := &incidentHistory{official: resolvedIncidents(), local: []probe.LocalIncident{ourKeyIncident()}}
	msg := loadSnapshot(h, probe.Targets())().(snapshotMsg)
	if len(msg.official) != 3 || len(msg.local) != 1 || msg.err != nil {
		t.Fatalf("snapshot: %d official, %d local, err %v", len(msg.official), len(msg.local), msg.err)
	}
	m := send(New(testOptions()), msg, tea.WindowSizeMsg{Width: 160, Height: 48})
	m.active = tabIncidents
	if v := m.View(); !strings.Contains(v, "Issue with spend limits") || !strings.Contains(v, "credential rejected") {
		t.Errorf("stored incidents not shown:\n%s", v)
	}
}

// incidentHistory is a probe.History that also keeps incidents.
type incidentHistory struct {
	official []probe.Incident
	local    []probe.LocalIncident
}

func (h *incidentHistory) Recent(probe.Target, int) ([]probe.Result, error) { return nil, nil }
func (h *incidentHistory) Range(probe.Target, time.Time, time.Time) ([]probe.Result, error) {
	return nil, nil
}
func (h *incidentHistory) LatestStatus() (probe.Status, bool, error) {
	return probe.Status{}, false, nil
}
func (h *incidentHistory) LocalIncidents(int) ([]probe.LocalIncident, error) {
	return h.local, nil
}
func (h *incidentHistory) OpenLocalIncidents() ([]probe.LocalIncident, error) { return nil, nil }
func (h *incidentHistory) OfficialIncidents(int) ([]probe.Incident, error) {
	return h.official, nil
}

// BenchmarkIncidentsEvent is the cost every event pays on the Incidents
// tab with a long history: 50 official incidents and 500 of ours.
func BenchmarkIncidentsEvent(b *testing.B) {
	m := New(testOptions())
	snap := healthySnapshot(testNow.Add(-40*time.Second), ringSize)
	for i := range 50 {
		in := resolvedIncidents()[i%2]
		in.ID = fmt.Sprintf("off%03d", i)
		in.StartedAt = in.StartedAt.Add(-time.Duration(i) * time.Hour)
		snap.official = append(snap.official, in)
	}
	for i := range 500 {
		l := ourKeyIncident()
		l.ID = fmt.Sprintf("loc%03d", i)
		l.FirstFailure = l.FirstFailure.Add(-time.Duration(i) * time.Hour)
		snap.local = append(snap.local, l)
	}
	m = send(m, snap, tea.WindowSizeMsg{Width: 160, Height: 48})
	m.active = tabIncidents
	// An event that carries an incident of ours: the timeline is rebuilt.
	l := ourAPIIncident("")
	ev := eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow, Class: probe.ClassOverloaded}, LocalIncidents: []probe.LocalIncident{l}}
	b.ReportAllocs()
	for b.Loop() {
		l.Version++
		ev.LocalIncidents[0] = l
		next, _ := m.Update(ev)
		_ = next.(Model).View()
	}
}

func TestOpenIncidentThePageDroppedIsShownOver(t *testing.T) {
	m := New(testOptions())
	mt := probe.Incident{ID: "m4nt", Name: "Scheduled maintenance of the Claude API", Status: "in_progress", Impact: "maintenance",
		StartedAt: testNow.Add(-time.Hour), ScheduledFor: testNow.Add(-time.Hour), ScheduledUntil: testNow.Add(time.Hour),
		UpdatedAt: testNow.Add(-time.Hour), Components: []string{"k8w3r06qmzrp"},
		Updates: []probe.IncidentUpdate{{Status: "in_progress", Body: "In progress.", At: testNow.Add(-time.Hour)}}}
	st := operationalStatus(testNow.Add(-time.Minute))
	st.Maintenances = []probe.Incident{mt}
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: st.Fetched, Class: probe.ClassOK}, Status: &st},
		tea.WindowSizeMsg{Width: 160, Height: 48})
	m.active = tabIncidents
	if v := m.View(); !strings.Contains(v, "in progress") || !strings.Contains(v, "ongoing 1h") {
		t.Fatalf("listed maintenance not in progress:\n%s", v)
	}
	// The page drops it without a completion: it must not stay "in progress".
	st2 := operationalStatus(testNow)
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK}, Status: &st2})
	v := m.View()
	// Over, but when is a range: after the last read that listed it
	// (13:59), by the first that did not (14:00) — not "lasted 1h" from
	// its last update, and not "completed", which the page never said.
	if strings.Contains(v, "in progress") || strings.Contains(v, "completed") || strings.Contains(v, "lasted") ||
		!strings.Contains(v, "no longer listed by Anthropic") || !strings.Contains(v, "ended 13:59:00–14:00:00") {
		t.Errorf("dropped maintenance:\n%s", v)
	}
	if v := send(m, tea.KeyMsg{Type: tea.KeyEnter}).View(); !strings.Contains(v, "stopped listing it without a resolution time: it ended between 13:59") {
		t.Errorf("detail lacks the range:\n%s", v)
	}
}

// TestDroppedIncidentLeadLagFromKnownTimes: an official incident the page
// dropped without resolved_at, linked to one of ours that recovered. Its
// end is not the last update: the detail says the range and no lead or
// lag of the end ("resolved it 24 min before our probes recovered" was a
// guess from a last update 25 min before the page dropped it).
func TestDroppedIncidentLeadLagFromKnownTimes(t *testing.T) {
	m := New(testOptions())
	started := testNow.Add(-30 * time.Minute)
	in := probe.Incident{ID: "inc1", Name: "Elevated errors on the Claude API", Status: "investigating", Impact: "major",
		CreatedAt: started, StartedAt: started, UpdatedAt: started.Add(2 * time.Minute), Components: []string{"k8w3r06qmzrp"},
		Updates: []probe.IncidentUpdate{{Status: "investigating", Body: "We are investigating.", At: started.Add(2 * time.Minute)}}}
	st := operationalStatus(testNow.Add(-6 * time.Minute))
	st.Incidents = []probe.Incident{in}
	ours := ourAPIIncident("")
	ours.FirstFailure, ours.LastFailure, ours.Opened = started.Add(-3*time.Minute), testNow.Add(-5*time.Minute), started.Add(-2*time.Minute)
	ours.Recovered, ours.Closed = testNow.Add(-4*time.Minute), testNow.Add(-3*time.Minute)
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: st.Fetched, Class: probe.ClassOK}, Status: &st, LocalIncidents: []probe.LocalIncident{ours}},
		tea.WindowSizeMsg{Width: 160, Height: 48})
	st2 := operationalStatus(testNow.Add(-time.Minute))
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: st2.Fetched, Class: probe.ClassOK}, Status: &st2})
	m.active = tabIncidents
	v := send(m, tea.KeyMsg{Type: tea.KeyEnter}).View()
	for _, want := range []string{"ended between 13:54", "stopped listing it between 13:54 and 13:59 UTC", "before Anthropic posted it"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	for _, never := range []string{"lasted 2m", "before our probes recovered", "after our probes recovered"} {
		if strings.Contains(v, never) {
			t.Errorf("detail says %q:\n%s", never, v)
		}
	}
}

func TestComponentShort(t *testing.T) {
	st := operationalStatus(testNow)
	for id, want := range map[string]string{
		"rwppv331jlwc": "claude.ai", "k8w3r06qmzrp": "API", "yyzkbfz2thpt": "Code", "0qbwn08sd68x": "Console",
		"bpp5gb3hpjcl": "Claude Cowork", "n0tac0mp0nent": "n0tac0mp0nent",
	} {
		if got := componentShort(&st, id); got != want {
			t.Errorf("componentShort(%s) = %q, want %q", id, got, want)
		}
	}
}

// TestIncidentOursOutlastsOfficial: Anthropic resolved the incident at
// 13:50 while our probes still fail; the list says both, and the time it
// gives is the official part's, not "ongoing" beside "resolved".
func TestIncidentOursOutlastsOfficial(t *testing.T) {
	official := outageStatus(testNow).Incidents[0]
	official.Status, official.ResolvedAt = "resolved", testNow.Add(-10*time.Minute)
	for _, w := range []int{80, 160} {
		m := New(testOptions())
		snap := outageSnapshot(testNow.Add(-40*time.Second), ringSize)
		snap.official = []probe.Incident{official}
		snap.local = []probe.LocalIncident{ourAPIIncident(official.ID)}
		m = send(m, snap, tea.WindowSizeMsg{Width: w, Height: 24})
		m.active = tabIncidents
		v := m.incidents.view()
		for _, want := range []string{"resolved · ours still failing", "10m ago, lasted 23m", "both"} {
			if w == 80 && want != "resolved · ours still failing" {
				continue // the facts line is cut at 80 columns
			}
			if !strings.Contains(v, want) {
				t.Errorf("%d columns: list lacks %q:\n%s", w, want, v)
			}
		}
		if strings.Contains(v, "ongoing") {
			t.Errorf("%d columns: resolved and ongoing side by side:\n%s", w, v)
		}
		checkBox(t, "outlasts", m.View(), w, 24)
	}
}

// TestNoProbesBeforeTheFirstObservation (cold4 C14): an official incident
// that ended before the database's first observation is not one "our
// probes saw no incident" of: we had no probes then, and the detail says
// so with the first observation's time; a later one keeps the old words.
func TestNoProbesBeforeTheFirstObservation(t *testing.T) {
	m := incidentModel(160, 48)
	// As a store's snapshot says it (TestSnapshotKnowsTheFirstObservation).
	first := testNow.Add(-2 * time.Hour)
	m = send(m, snapshotMsg{first: first, knows: true})
	if m.board.first.After(first) || !m.board.firstKnown {
		t.Fatalf("board's first observation %v", m.board.first)
	}
	first = m.board.first
	m = send(m, keyRunes("G"), tea.KeyMsg{Type: tea.KeyEnter})
	v := strings.Join(strings.Fields(m.View()), " ")
	if !strings.Contains(v, "Issue with spend limits") {
		t.Fatalf("not the spend-limits detail:\n%s", m.View())
	}
	want := "we had no probes then: our first observation is " + clock(m.board.now, first) + " UTC, after it ended"
	if !strings.Contains(v, want) || strings.Contains(v, "saw no incident") {
		t.Errorf("detail lacks %q:\n%s", want, m.View())
	}
	// With probes from before it, the words stand.
	m.board.first = testNow.Add(-4 * 24 * time.Hour)
	m = send(m, tea.KeyMsg{Type: tea.KeyEsc}, tea.KeyMsg{Type: tea.KeyEnter})
	if v := strings.Join(strings.Fields(m.View()), " "); !strings.Contains(v, "our probes saw no incident at that time") {
		t.Errorf("with probes then:\n%s", m.View())
	}
}

type firstHistory struct {
	fakeHistory
	first time.Time
}

func (h *firstHistory) FirstObserved() (time.Time, error) { return h.first, nil }

// TestSnapshotKnowsTheFirstObservation: a history that knows its first
// observation hands it to the board; one that does not (a remote engine)
// leaves the board not knowing, so nothing says "we had no probes then".
func TestSnapshotKnowsTheFirstObservation(t *testing.T) {
	at := testNow.Add(-3 * time.Hour)
	msg := loadSnapshot(&firstHistory{first: at}, probe.Targets())().(snapshotMsg)
	if !msg.knows || !msg.first.Equal(at) {
		t.Errorf("snapshot first %v knows %v", msg.first, msg.knows)
	}
	if msg := loadSnapshot(&fakeHistory{}, probe.Targets())().(snapshotMsg); msg.knows {
		t.Errorf("a history without FirstObserved cannot know")
	}
}

// TestUnprobedGapIsSaid: an incident restored across a restart says how
// much of it went unprobed — in the banner, Open incidents and its detail
// — beside "since 13:19 (40m)", which alone read as forty minutes
// observed failing.
func TestUnprobedGapIsSaid(t *testing.T) {
	m := New(testOptions())
	snap := unacknowledgedSnapshot()
	l := &snap.local[0]
	l.Unprobed = 150 * time.Second
	l.UnprobedFrom, l.UnprobedTo = testNow.Add(-20*time.Minute), testNow.Add(-20*time.Minute+150*time.Second)
	m = ranThisRun(send(m, snap))
	m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow.Add(-15 * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529}},
		eventMsg{Result: probe.Result{Target: probe.TargetAPI, Time: testNow.Add(-5 * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529}},
		tea.WindowSizeMsg{Width: 160, Height: 48})
	v := strings.Join(strings.Fields(m.View()), " ")
	for _, want := range []string{"the last <1m ago; 2m 30s of it not probed)", "(40m, 2m 30s not probed) · our probes"} {
		if !strings.Contains(v, want) {
			t.Errorf("live lacks %q:\n%s", want, m.View())
		}
	}
	m.active = tabIncidents
	m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
	v = strings.Join(strings.Fields(m.View()), " ")
	for _, want := range []string{"ongoing 40m (2m 30s not probed)", "not probed 13:40:00–13:42:30 (2m 30s in all while open): downforai was likely not running"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, m.View())
		}
	}
}

// TestUnobservedEndIsARange: an incident of ours ended unobserved (a
// restart after a gap longer than results count) says the range its end
// lies in, in the list and the detail, never a length or a recovery.
func TestUnobservedEndIsARange(t *testing.T) {
	m := New(testOptions())
	snap := outageSnapshot(testNow.Add(-40*time.Second), ringSize)
	l := ourKeyIncident()
	l.Kind, l.Subject, l.ID = probe.KindProvider, "provider:api", "18d0/provider:api"
	l.Classes = map[probe.Class]int{probe.ClassOverloaded: 21}
	l.HTTPStatus, l.ErrorType = 529, "overloaded_error"
	l.Recovered = time.Time{}
	l.Unobserved = true
	l.UnprobedFrom, l.UnprobedTo = l.LastFailure, l.LastFailure.Add(2*time.Hour)
	l.Unprobed, l.Closed = 2*time.Hour, l.UnprobedTo
	snap.local = []probe.LocalIncident{l}
	m = thisRun(send(m, snap, tea.WindowSizeMsg{Width: 160, Height: 48}))
	m.active = tabIncidents
	v := strings.Join(strings.Fields(m.View()), " ")
	want := "ended " + clock(testNow, l.UnprobedFrom) + "–" + clock(testNow, l.UnprobedTo)
	if !strings.Contains(v, want) || strings.Contains(v, "lasted") {
		t.Errorf("list lacks %q (or says lasted):\n%s", want, m.View())
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
	v = strings.Join(strings.Fields(m.View()), " ")
	for _, w := range []string{want, "ended unobserved, between " + clock(testNow, l.UnprobedFrom) + " and " + clock(testNow, l.UnprobedTo) + ": not probed then"} {
		if !strings.Contains(v, w) {
			t.Errorf("detail lacks %q:\n%s", w, m.View())
		}
	}
	if strings.Contains(v, "recovered") {
		t.Errorf("detail says recovered:\n%s", m.View())
	}
}

// TestUpcomingMaintenanceIsNotSaidUnseen (cold walk): a maintenance still
// to come has no time our probes could have seen: never "our probes saw
// no incident at that time" of tomorrow.
func TestUpcomingMaintenanceIsNotSaidUnseen(t *testing.T) {
	m := send(incidentModel(160, 48), tea.KeyMsg{Type: tea.KeyEnter})
	v := strings.Join(strings.Fields(m.View()), " ")
	if !strings.Contains(v, "Starts") {
		t.Fatalf("not an upcoming maintenance's detail:\n%s", m.View())
	}
	if strings.Contains(v, "saw no incident") || !strings.Contains(v, "it has not begun: our probes will say what they see during it") {
		t.Errorf("upcoming maintenance:\n%s", m.View())
	}
}
