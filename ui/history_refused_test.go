package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// TestHistoryKeyRefusalsAreNotDowntime (cold walk of Dec 7): History's
// uptime counted the account refusing the key (401) as the API's downtime.
// The refusals are left out of the key's uptime and said under the table;
// the API's own failures (529) still count.
func TestHistoryKeyRefusalsAreNotDowntime(t *testing.T) {
	end := testNow.Add(-10 * time.Second)
	start := end.Add(-40 * time.Minute)
	var rs []probe.Result
	for i := range 40 {
		r := probe.Result{Target: probe.TargetAPIKey, Time: start.Add(time.Duration(i) * time.Minute), Class: probe.ClassOK, HTTPStatus: 200,
			Phases: probe.Phases{Total: 200 * time.Millisecond}}
		if i >= 20 {
			r.Class, r.HTTPStatus, r.ErrorType = probe.ClassAuth, 401, "authentication_error"
		}
		rs = append(rs, r)
	}
	var s probe.Summary
	s.Target = probe.TargetAPIKey
	var prev time.Time
	for _, r := range rs {
		s.AddFor(r, probe.Cover(prev, r.Time))
		prev = r.Time
	}
	if u, ok := s.Uptime(); !ok || u != 1 {
		t.Errorf("uptime %v %v with every non-refused probe up, want 100%%", u, ok)
	}
	if d, n := s.Refused(); n != 20 || d != 20*time.Minute {
		t.Errorf("refused %v in %d probes, want 20m in 20", d, n)
	}
	// The API's own failure still counts.
	over := rs[len(rs)-1]
	over.Time, over.Class, over.HTTPStatus, over.ErrorType = over.Time.Add(time.Minute), probe.ClassOverloaded, 529, "overloaded_error"
	s.AddFor(over, time.Minute)
	if u, _ := s.Uptime(); u >= 1 {
		t.Errorf("a 529 left uptime at %v", u)
	}

	opts := testOptions()
	opts.Targets = []probe.Target{probe.TargetAPIKey}
	snap := snapshotMsg{recent: map[probe.Target][]probe.Result{probe.TargetAPIKey: rs}}
	v := send(New(opts), tea.WindowSizeMsg{Width: 160, Height: 48}, snap, keyRunes("4"))
	view := strings.Join(strings.Fields(ansi.Strip(loaded(t, v).View())), " ")
	for _, want := range []string{"100%", "Key refused in 24h: 20× rejected, 20m in all — not counted as API downtime"} {
		if !strings.Contains(view, want) {
			t.Errorf("History lacks %q:\n%s", want, view)
		}
	}
}

// TestHistoryRefusalNoteSaysEachKind (cold walk of Dec 7): "Your key was
// refused 7× in 24h (<1m)" read as the age of the last refusal and hid
// which kind. Each kind is counted; the time in all goes first when the
// width is short, then the kinds.
func TestHistoryRefusalNoteSaysEachKind(t *testing.T) {
	end := testNow.Add(-10 * time.Second)
	var rs []probe.Result
	for i := range 12 {
		r := probe.Result{Target: probe.TargetAPIKey, Time: end.Add(time.Duration(i-12) * 5 * time.Second), Class: probe.ClassOK, HTTPStatus: 200,
			Phases: probe.Phases{Total: 200 * time.Millisecond}}
		switch {
		case i >= 4 && i < 9:
			r.Class, r.HTTPStatus, r.ErrorType = probe.ClassAuth, 401, "authentication_error"
		case i >= 9:
			r.Class, r.HTTPStatus, r.ErrorType = probe.ClassRateLimited, 429, "rate_limit_error"
		}
		rs = append(rs, r)
	}
	opts := testOptions()
	opts.Targets = []probe.Target{probe.TargetAPIKey}
	snap := snapshotMsg{recent: map[probe.Target][]probe.Result{probe.TargetAPIKey: rs}}
	for _, tc := range []struct {
		w    int
		want string
	}{
		{160, "Key refused in 24h: 5× rejected, 3× rate limited, <1m in all — not counted as API downtime"},
		{80, "Key refused in 24h: 5× rejected, 3× rate limited — not counted as API downtime"},
	} {
		v := send(New(opts), tea.WindowSizeMsg{Width: tc.w, Height: 48}, snap, keyRunes("4"))
		view := strings.Join(strings.Fields(ansi.Strip(loaded(t, v).View())), " ")
		if !strings.Contains(view, tc.want) {
			t.Errorf("width %d: History lacks %q:\n%s", tc.w, tc.want, view)
		}
	}
}
