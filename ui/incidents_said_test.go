package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
)

// saidModel is the Incidents tab's detail of the official incident, as
// stored (in) and as this round's read of the page lists it (listed),
// with one of ours linked to it that recovered at recovered.
func saidModel(t *testing.T, in probe.Incident, listed []probe.Incident, recovered time.Time) string {
	t.Helper()
	st := outageStatus(testNow.Add(-5 * time.Second))
	st.Incidents = listed
	ours := ourAPIIncident(in.ID)
	ours.FirstFailure, ours.Opened = testNow.Add(-30*time.Minute), testNow.Add(-29*time.Minute)
	ours.Failures, ours.Probes = 12, 12
	if !recovered.IsZero() {
		ours.Recovered, ours.Closed = recovered, recovered.Add(time.Minute)
	}
	m := New(testOptions())
	snap := outageSnapshot(st.Fetched.Add(-5*time.Second), ringSize)
	snap.status = nil
	snap.official = []probe.Incident{in}
	snap.local = []probe.LocalIncident{ours}
	m = send(m, snap, eventMsg(probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: st.Fetched, Class: probe.ClassOK, HTTPStatus: 200},
		Status: &st, Official: listed}), tea.WindowSizeMsg{Width: 200, Height: 80})
	m.active = tabIncidents
	v := m.incidents.view()
	for i := 0; i < 6 && !strings.Contains(v, "Lead and lag"); i++ {
		m = send(m, tea.KeyMsg{Type: tea.KeyEsc}, keyRunes("j"), tea.KeyMsg{Type: tea.KeyEnter})
		m = send(m, keyRunes(strings.Repeat("j", i)))
		v = m.incidents.view()
	}
	return strings.Join(strings.Fields(v), " ")
}

// TestIncidentDetailSaysTheNewestUpdate (cold10 E6b): the detail said
// "Anthropic has not resolved it yet" while the incident's newest update
// said resolved: a read of summary.json listed it open after it (a cached
// copy). Both are said, each with its time.
func TestIncidentDetailSaysTheNewestUpdate(t *testing.T) {
	resolvedAt := testNow.Add(-4 * time.Minute)
	st := outageStatus(testNow.Add(-5 * time.Second))
	listed := st.Incidents[0]
	listed.Seen = st.Fetched
	feed := listed
	feed.Seen, feed.Status, feed.UpdatedAt = time.Time{}, "resolved", resolvedAt // resolved_at null
	feed.Updates = append([]probe.IncidentUpdate{{ID: "r", Status: "resolved", Body: "This incident has been resolved.", At: resolvedAt}}, feed.Updates...)
	stored := probe.MergeIncident(feed, listed)
	v := saidModel(t, stored, []probe.Incident{listed}, testNow.Add(-10*time.Minute))
	for _, want := range []string{
		"its newest update, " + clock(testNow, resolvedAt) + ", says resolved, though the page listed it open after that, at " + clock(testNow, listed.Seen),
		"Anthropic's newest update, at " + resolvedAt.In(testNow.Location()).Format("15:04 MST") + ", says resolved (6 min after our probes recovered)",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q\n%s", want, v)
		}
	}
	if strings.Contains(v, "has not resolved") {
		t.Errorf("detail says Anthropic has not resolved it:\n%s", v)
	}
}

// TestIncidentDetailWithoutPostedTime (cold10 E6a): a copy without
// created_at or update times was said "Posted 12:56 by Anthropic" — its
// started_at, dated back — and "Anthropic posted this 28 min before our
// probes saw it". It says when we first read it instead.
func TestIncidentDetailWithoutPostedTime(t *testing.T) {
	st := outageStatus(testNow.Add(-5 * time.Second))
	in := st.Incidents[0]
	in.CreatedAt, in.StartedAt = time.Time{}, testNow.Add(-58*time.Minute)
	for i := range in.Updates {
		in.Updates[i].At = time.Time{}
	}
	in.Seen, in.FirstRead = st.Fetched, testNow.Add(-25*time.Minute)
	v := saidModel(t, in, []probe.Incident{in}, time.Time{})
	for _, want := range []string{
		"Posted no time given by Anthropic; we first read it " + clock(testNow, in.FirstRead),
		"Anthropic's page gives no time it posted this; we first read it at " + in.FirstRead.In(testNow.Location()).Format("15:04 MST") + ", 5 min after our probes saw it",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q\n%s", want, v)
		}
	}
	if strings.Contains(v, "by Anthropic Duration") || strings.Contains(v, "Anthropic posted this") {
		t.Errorf("detail dates its posting:\n%s", v)
	}
}

// TestIncidentDetailPostDatedBack (cold walk of Dec 7): a created_at set
// back before reads of ours that did not list it was said "Anthropic
// posted this 33 min before our probes saw it". The detail bounds the
// listing by our reads instead.
func TestIncidentDetailPostDatedBack(t *testing.T) {
	st := outageStatus(testNow.Add(-5 * time.Second))
	in := st.Incidents[0]
	in.CreatedAt = testNow.Add(-90 * time.Minute)
	in.Seen, in.NotListed, in.FirstRead = st.Fetched, testNow.Add(-19*time.Minute), testNow.Add(-18*time.Minute)
	v := saidModel(t, in, []probe.Incident{in}, time.Time{})
	for _, want := range []string{
		"Posted dated " + clock(testNow, in.CreatedAt) + " by Anthropic; its page listed it between " + clock(testNow, in.NotListed) + " and " + clock(testNow, in.FirstRead) + " (our reads)",
		"our probes saw this at least 11 min before the page listed it",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q\n%s", want, v)
		}
	}
	if strings.Contains(v, "Anthropic posted this") {
		t.Errorf("detail takes the post's date for its posting:\n%s", v)
	}
}
