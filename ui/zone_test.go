package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// Two viewers of one engine, in different zones, each read every time of
// day in their own zone, and the tab bar names it.
func TestEachViewerSeesTheirOwnZone(t *testing.T) {
	for _, tt := range []struct {
		loc             *time.Location
		zone            string
		started, posted string // the outage incident's start and update, 13:26:04 and 13:51 UTC
	}{
		{time.UTC, "UTC", "13:26:04", "13:51:00"},
		{time.FixedZone("EDT", -4*3600), "EDT", "09:26:04", "09:51:00"},
		{time.FixedZone("JST", 9*3600), "JST", "22:26:04", "22:51:00"},
		{time.FixedZone("IST", 5*3600+1800), "IST", "18:56:04", "19:21:00"},
	} {
		t.Run(tt.zone, func(t *testing.T) {
			o := testOptions()
			o.Location = tt.loc
			st := outageStatus(testNow)
			m := send(New(o), eventMsg{Result: probe.Result{Target: probe.TargetStatus, Time: testNow, Class: probe.ClassOK}, Status: &st},
				tea.WindowSizeMsg{Width: 160, Height: 48})
			m.active = tabIncidents
			m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
			view := ansi.Strip(m.View())
			top, _, _ := strings.Cut(view, "\n")
			if !strings.HasSuffix(strings.TrimRight(top, " "), "downforai v0.1.0 · "+tt.zone) {
				t.Errorf("tab bar does not name the zone %s: %q", tt.zone, top)
			}
			for _, want := range []string{tt.started, tt.posted} {
				if !strings.Contains(view, want) {
					t.Errorf("%s: want %s on the incident's detail, got\n%s", tt.zone, want, view)
				}
			}
		})
	}
}

// The zone is named at every width where the tab bar has room for it,
// the app name going first, then the version.
func TestTabBarKeepsTheZoneLast(t *testing.T) {
	st := newStyles(asciiRenderer())
	for _, tt := range []struct {
		w    int
		want string
	}{
		{120, "downforai v0.1.0 · CEST"},
		{80, "v0.1.0 · CEST"},
		{66, "CEST"},
	} {
		bar := ansi.Strip(tabBar(&st, tabLive, tt.w, "v0.1.0", "CEST"))
		if !strings.HasSuffix(bar, " "+tt.want) || ansi.StringWidth(bar) > tt.w {
			t.Errorf("width %d: tab bar %q, want it to end in %q within the width", tt.w, bar, tt.want)
		}
	}
}
