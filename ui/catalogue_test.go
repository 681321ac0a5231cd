package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"downforai/probe"
	"downforai/probe/catalogue"
)

var (
	enterKey = tea.KeyMsg{Type: tea.KeyEnter}
	escKey   = tea.KeyMsg{Type: tea.KeyEsc}
)

// flatView is the screen with runs of blanks made one, for phrases that
// wrap.
func flatView(m Model) string { return strings.Join(strings.Fields(m.View()), " ") }

// allContent is every line of the tab's page, before scrolling.
func allContent(m Model) string {
	return strings.Join(strings.Fields(strings.Join(m.troubleshoot.content(), "\n")), " ")
}

// TestTroubleshootBrowseCatalogue: b lists every known problem under its
// group, the live finding marked; enter opens one with its signatures,
// causes, numbered fixes, how it is confirmed and what the probes say
// now; esc goes back to the same place, then to the diagnosis.
func TestTroubleshootBrowseCatalogue(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		name := fmt.Sprintf("%dx%d", sz.w, sz.h)
		m := send(invalidKeyModel(t), tea.WindowSizeMsg{Width: sz.w, Height: sz.h}, keyRunes("3"), keyRunes("b"))
		requireGolden(t, "troubleshooting_catalogue_"+name, m.View())
		checkBox(t, "catalogue", m.View(), sz.w, sz.h)
		all := allContent(m)
		for _, g := range catalogue.Groups() {
			if !strings.Contains(all, string(g)) {
				t.Errorf("%s: catalogue lacks group %q", name, g)
			}
		}
		for _, e := range catalogue.Entries() {
			if !strings.Contains(all, e.Title) {
				t.Errorf("%s: catalogue lacks %q", name, e.Title)
			}
		}
		if !strings.Contains(all, "Invalid API key ← matching problem now") {
			t.Errorf("%s: the live finding is not marked:\n%s", name, all)
		}

		// Down to Invalid API key, the first of Your credential.
		idx := slices.IndexFunc(m.troubleshoot.cat.shown, func(h catalogueHit) bool { return h.entry.ID == catalogue.EntryInvalidKey })
		for range idx {
			m = send(m, keyRunes("j"))
		}
		m = send(m, enterKey)
		if m.troubleshoot.page != pageEntry || m.troubleshoot.open != catalogue.EntryInvalidKey {
			t.Fatalf("%s: enter opened page %v entry %s", name, m.troubleshoot.page, m.troubleshoot.open)
		}
		requireGolden(t, "troubleshooting_entry_"+name, m.View())
		checkBox(t, "entry", m.View(), sz.w, sz.h)
		all = allContent(m)
		for _, want := range []string{"Invalid API key · invalid_api_key", "usually on your side · Your credential",
			"Right now (checked <1m ago)", "The live probes confirm this problem right now:",
			"Confirmed from here: 5 of the last 12 API probes with your key got 401 authentication_error.",
			"Error signatures", "• invalid x-api-key", "Common causes", "How to fix it", "1. Check which credential is in effect",
			"How downforai confirms it live", "GET /v1/models answers 401 authentication_error"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: entry lacks %q:\n%s", name, want, all)
			}
		}
		if sz.w == 80 {
			// The rest of the page: causes, fixes, confirmation.
			end := send(m, keyRunes("G"))
			requireGolden(t, "troubleshooting_entry_end_"+name, end.View())
			checkBox(t, "entry end", end.View(), sz.w, sz.h)
		}
		m = send(m, escKey)
		if m.troubleshoot.page != pageCatalogue || m.troubleshoot.cat.cursor != idx {
			t.Errorf("%s: esc went to page %v cursor %d, want the catalogue at %d", name, m.troubleshoot.page, m.troubleshoot.cat.cursor, idx)
		}
		m = send(m, escKey)
		if m.troubleshoot.page != pageMain || !strings.Contains(flatView(m), "Matching problem: Invalid API key") {
			t.Errorf("%s: second esc did not go back to the diagnosis:\n%s", name, m.View())
		}
	}
}

// TestTroubleshootCatalogueScrolls: the cursor never leaves the screen,
// however far it goes, and G reaches the last entry.
func TestTroubleshootCatalogueScrolls(t *testing.T) {
	m := send(invalidKeyModel(t), tea.WindowSizeMsg{Width: 80, Height: 24}, keyRunes("3"), keyRunes("b"))
	n := len(catalogue.Entries())
	for i := 1; i < n; i++ {
		m = send(m, keyRunes("j"))
		want := m.troubleshoot.cat.shown[i].entry.Title
		if !strings.Contains(m.View(), "› "+want) {
			t.Fatalf("cursor on %q is off screen:\n%s", want, m.View())
		}
	}
	m = send(m, keyRunes("g"), keyRunes("G"))
	if last := catalogue.Entries()[n-1].Title; !strings.Contains(m.View(), "› ") || m.troubleshoot.cat.cursor != n-1 {
		t.Errorf("G: cursor %d, want %d (%s)", m.troubleshoot.cat.cursor, n-1, last)
	}
	m = send(m, keyRunes("g"))
	if !strings.Contains(m.View(), "Anthropic's side") {
		t.Errorf("g: the first group's heading is off screen:\n%s", m.View())
	}
}

// TestTroubleshootSearchCatalogue: / from the diagnosis searches names
// and error signatures as one types; keys are text while it is open; enter
// keeps it, esc clears it.
func TestTroubleshootSearchCatalogue(t *testing.T) {
	m := send(invalidKeyModel(t), tea.WindowSizeMsg{Width: 80, Height: 24}, keyRunes("3"))
	m, _ = update(t, m, keyRunes("/"))
	if !m.capturing() || m.troubleshoot.page != pageCatalogue {
		t.Fatal("/ did not open the catalogue's search")
	}
	m, cmd := update(t, m, keyRunes("q"))
	if cmd != nil && isQuit(cmd) || m.active != tabTroubleshoot {
		t.Fatal("q in the search quit or left the tab")
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyBackspace}, keyRunes("unable to get local"))
	requireGolden(t, "troubleshooting_search_80x24", m.View())
	checkBox(t, "search", m.View(), 80, 24)
	if got := len(m.troubleshoot.cat.shown); got != 1 || m.troubleshoot.cat.shown[0].entry.ID != catalogue.EntryTLS {
		t.Fatalf("search found %d entries, want TLS alone", got)
	}
	if !strings.Contains(flatView(m), "matches “unable to get local issuer certificate”") || !strings.Contains(flatView(m), "1 of") {
		t.Errorf("the search does not say what matched:\n%s", m.View())
	}
	m = send(m, enterKey)
	if m.capturing() {
		t.Fatal("enter left the search open")
	}
	m = send(m, enterKey)
	if m.troubleshoot.page != pageEntry || m.troubleshoot.open != catalogue.EntryTLS {
		t.Fatalf("enter on the hit opened %v %s", m.troubleshoot.page, m.troubleshoot.open)
	}
	m = send(m, escKey, keyRunes("/"), keyRunes("zzzz-no-such-thing"))
	if !strings.Contains(flatView(m), "no known problem has") {
		t.Errorf("an empty search says nothing:\n%s", m.View())
	}
	m = send(m, escKey)
	if m.capturing() || m.troubleshoot.cat.query != "" || len(m.troubleshoot.cat.shown) != len(catalogue.Entries()) {
		t.Errorf("esc kept the search: %q, %d shown", m.troubleshoot.cat.query, len(m.troubleshoot.cat.shown))
	}
}

// TestTroubleshootFAQ: f lists the questions; each answer ends with what
// the live probes say now.
func TestTroubleshootFAQ(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		name := fmt.Sprintf("%dx%d", sz.w, sz.h)
		m := send(invalidKeyModel(t), tea.WindowSizeMsg{Width: sz.w, Height: sz.h}, keyRunes("3"), keyRunes("f"))
		requireGolden(t, "troubleshooting_faq_"+name, m.View())
		for _, q := range catalogue.FAQ() {
			if !strings.Contains(m.View(), q.Question) {
				t.Errorf("%s: FAQ lacks %q", name, q.Question)
			}
		}
		m = send(m, enterKey)
		requireGolden(t, "troubleshooting_faq_answer_"+name, m.View())
		checkBox(t, "answer", m.View(), sz.w, sz.h)
		all := allContent(m)
		for _, want := range []string{"Why is my API key not working?", "Right now (checked <1m ago)",
			"The API probe with that key: 401 authentication_error \"invalid x-api-key\"",
			"Live verdict: Your credential: the API rejects ANTHROPIC_API_KEY (Invalid API key): it answered 401 \"invalid x-api-key\"."} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: answer lacks %q:\n%s", name, want, all)
			}
		}
		for i := range catalogue.FAQ() {
			m = send(m, escKey)
			if i > 0 {
				m = send(m, keyRunes("j"))
			}
			m = send(m, enterKey)
			lines := m.troubleshoot.content()
			if last := lines[len(lines)-1]; !strings.Contains(strings.Join(lines, " "), "Live verdict:") {
				t.Errorf("%s: answer %d does not end with the live verdict: %q", name, i, last)
			}
		}
		m = send(m, escKey, escKey)
		if m.troubleshoot.page != pageMain {
			t.Errorf("%s: esc esc left page %v", name, m.troubleshoot.page)
		}
	}
}

// keyWorksModel is the dashboard with the key probe answering 200 now,
// after five 401s that came before.
func keyWorksModel(t *testing.T) Model {
	t.Helper()
	end := testNow.Add(-20 * time.Second)
	snap := healthySnapshot(end, 30)
	snap.recent[probe.TargetAPIKey] = series(probe.TargetAPIKey, 30, end, time.Minute, 260*time.Millisecond, func(i int) (probe.Result, bool) {
		if i < 20 || i >= 25 {
			return probe.Result{}, false
		}
		return probe.Result{Class: probe.ClassAuth, HTTPStatus: 401, ErrorType: "authentication_error",
			Message: "401 authentication_error: invalid x-api-key", Phases: probe.Phases{Total: 150 * time.Millisecond}}, true
	})
	m := send(New(testOptions()), snap)
	local := invalidKeyLocal(testNow.Add(-10 * time.Second))
	return thisRun(send(m, eventMsg{Result: local.Result(), Local: local}))
}

// TestTroubleshootLiveContradictsPaste: the key downforai probes with
// works now, so "Invalid API key" is never the Matching problem, the
// pasted 401 is said to come from another credential, and the entry's
// page says the live probes contradict it.
func TestTroubleshootLiveContradictsPaste(t *testing.T) {
	m := send(keyWorksModel(t), tea.WindowSizeMsg{Width: 80, Height: 24}, keyRunes("3"))
	if strings.Contains(allContent(m), "Matching problem: Invalid API key") {
		t.Fatalf("a key that works now is the Matching problem:\n%s", allContent(m))
	}
	m = send(m, keyRunes("p"), tea.KeyMsg{Type: tea.KeyRunes, Paste: true,
		Runes: []rune(`  ⎿  API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"} · Please run /login`)},
		enterKey)
	requireGolden(t, "troubleshooting_pasted_contradicted_80x24", m.View())
	checkBox(t, "contradicted", m.View(), 80, 24)
	flat := flatView(m)
	if !strings.Contains(flat, "! live: Your pasted 401 likely came from another credential: the one downforai probes with works.") {
		t.Errorf("the disagreement is not on screen:\n%s", m.View())
	}
	if strings.Contains(allContent(m), "Matching problem: Invalid API key") {
		t.Error("the pasted entry became the Matching problem against the live evidence")
	}
	// The rejections before the key's newest answers are history, with
	// their times (cold5 D8).
	if !strings.Contains(allContent(m), "Earlier, 401 authentication_error from") {
		t.Errorf("the overtaken rejections are not said as history:\n%s", allContent(m))
	}
	m = send(m, enterKey)
	if !strings.Contains(allContent(m), "The live probes contradict this problem right now:") {
		t.Errorf("the entry does not say the live probes contradict it:\n%s", allContent(m))
	}
}

// TestTroubleshootLongPasteKeepsItsEnd (cold5 D30): a paste longer than
// the input takes keeps its end, where a scroll-back's error is, and the
// diagnosis says the start was left out.
func TestTroubleshootLongPasteKeepsItsEnd(t *testing.T) {
	long := strings.Repeat("$ go build ./... && go test ./probe/... # compiling\n", 400) + "API Error: 529 Overloaded. This is a server-side issue, usually temporary"
	m := send(keyWorksModel(t), tea.WindowSizeMsg{Width: 80, Height: 24}, keyRunes("3"), keyRunes("p"),
		tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune(long)}, enterKey)
	got := allContent(m)
	if !strings.Contains(got, "Overloaded (529)") || !strings.Contains(got, "left out: the text is long: its first") {
		t.Errorf("the end of a long paste was not read, or the cut not said:\n%s", got)
	}
}

// TestTroubleshootEitherSideSaysWhatTheProbesSay: a Matching problem that
// either side may cause ("Connection refused or reset") does not leave
// open what the banner above it decided: with the API's connections reset
// while claude.ai and the status page answer, it says the live probes'
// verdict of the API, not "either side: the live probes tell which"; with
// no verdict that names a side, the entry's own words stay.
func TestTroubleshootEitherSideSaysWhatTheProbesSay(t *testing.T) {
	const n = 12
	snap := healthySnapshot(testNow.Add(-5*time.Second), n)
	reset := func(i int) (probe.Result, bool) {
		if i >= n-4 {
			return probe.Result{Class: probe.ClassNetwork, ErrorType: probe.NetReset, Message: "connection reset by peer",
				Phases: probe.Phases{Connect: 12 * time.Millisecond, Total: 30 * time.Millisecond}}, true
		}
		return probe.Result{}, false
	}
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, n, testNow.Add(-5*time.Second), 30*time.Second, 210*time.Millisecond, reset)
	snap.recent[probe.TargetAPIKey] = series(probe.TargetAPIKey, n, testNow.Add(-5*time.Second), 30*time.Second, 260*time.Millisecond, reset)
	m := send(thisRun(send(New(testOptions()), snap)), tea.WindowSizeMsg{Width: 120, Height: 40}, keyRunes("3"))
	all := allContent(m)
	if !strings.Contains(all, "Matching problem: Connection refused or reset") {
		t.Fatalf("not the matching problem wanted:\n%s", all)
	}
	var api probe.ServiceVerdict
	for _, sv := range m.board.verdict.Services {
		if sv.Service.Key == "api" {
			api = sv
		}
	}
	if api.Kind != probe.VerdictUnreachable {
		t.Fatalf("the API is %s, want unreachable", api.Kind)
	}
	if want := "either side; the live probes say: " + api.Words(); !strings.Contains(all, want) {
		t.Errorf("the matching problem does not say %q:\n%s", want, all)
	}
	if strings.Contains(all, "the live probes tell which") {
		t.Errorf("the matching problem leaves open what the probes decided:\n%s", all)
	}
}

// TestTroubleshootEitherSideDuringMaintenance (tmux, Dec 7): bare 503s
// from the API during a maintenance of it, under the banner's "◇
// Maintenance: errors expected on Claude API", were "An error from
// something in between — either side: the live probes tell which". The
// probes decided: the maintenance.
func TestTroubleshootEitherSideDuringMaintenance(t *testing.T) {
	const n = 12
	end := testNow.Add(-5 * time.Second)
	snap := healthySnapshot(end, n)
	bare := func(i int) (probe.Result, bool) {
		if i >= n-4 {
			return probe.Result{Class: probe.ClassServer, HTTPStatus: 503, ErrorType: "http_503", Message: "503 Service Unavailable",
				Phases: probe.Phases{Total: 30 * time.Millisecond}}, true
		}
		return probe.Result{}, false
	}
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, n, end, 30*time.Second, 210*time.Millisecond, bare)
	snap.recent[probe.TargetAPIKey] = series(probe.TargetAPIKey, n, end, 30*time.Second, 260*time.Millisecond, bare)
	st := operationalStatus(end)
	st.Components = components("operational", "under_maintenance", "operational")
	st.Indicator, st.Description = "maintenance", "System under maintenance"
	st.Maintenances = []probe.Incident{{ID: "mnt1", Name: "Scheduled maintenance of the Claude API", Impact: "maintenance", Status: "in_progress",
		ScheduledFor: testNow.Add(-30 * time.Minute), ScheduledUntil: testNow.Add(30 * time.Minute), StartedAt: testNow.Add(-30 * time.Minute),
		Components: []string{"k8w3r06qmzrp"}}}
	snap.status = &st
	m := send(thisRun(send(New(testOptions()), snap)), tea.WindowSizeMsg{Width: 120, Height: 40}, keyRunes("3"))
	if m.board.verdict.Kind != probe.VerdictMaintenance {
		t.Fatalf("verdict %s %q, want maintenance", m.board.verdict.Kind, m.board.verdict.Headline)
	}
	all := allContent(m)
	if strings.Contains(all, "the live probes tell which") || !strings.Contains(all, "either side; the live probes say: Maintenance") {
		t.Errorf("the matching problem does not say the maintenance:\n%s", all)
	}
}
