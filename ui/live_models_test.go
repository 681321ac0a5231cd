package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// TestLiveModelRows: each canary model has its row under Claude API, at
// 80×24 and 160×48; the failing one says so, the headline names it, and
// the Canaries section shows the day's tokens with a cost.
func TestLiveModelRows(t *testing.T) {
	opus, haiku := probe.ModelTarget("claude-opus-4-5"), probe.ModelTarget("claude-haiku-4-5")
	snap := healthySnapshot(testNow, 20)
	ok := func(i int) (probe.Result, bool) {
		return probe.Result{Class: probe.ClassOK, HTTPStatus: 200, Detail: "ttft 412ms · tokens today 1300 of 20000",
			Phases: probe.Phases{FirstToken: 412 * time.Millisecond, Total: 430 * time.Millisecond}}, true
	}
	snap.recent[haiku] = series(haiku, 6, testNow, 5*time.Minute, 0, ok)
	snap.recent[opus] = series(opus, 6, testNow, 10*time.Second, 0, func(i int) (probe.Result, bool) {
		if i >= 2 {
			r := overloaded(i)
			r.Detail = "tokens today 1300 of 20000"
			return r, true
		}
		return ok(i)
	})
	// The detector's incident for the model, open and not acknowledged:
	// the banner's "failing since" line names the model, not the API
	// (cold4 C10).
	snap.local = []probe.LocalIncident{{ID: "x/provider:claude-opus-4-5", Subject: "provider:claude-opus-4-5", Kind: probe.KindProvider, Service: "api",
		Targets: []probe.Target{opus}, FirstFailure: snap.recent[opus][2].Time, LastFailure: snap.recent[opus][5].Time, Opened: snap.recent[opus][4].Time,
		Failures: 4, Probes: 4, Classes: map[probe.Class]int{probe.ClassOverloaded: 4}, HTTPStatus: 529, LastClass: probe.ClassOverloaded}}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		o := testOptions()
		o.Targets = append(o.Targets, opus, haiku)
		m := thisRun(send(New(o), tea.WindowSizeMsg{Width: size[0], Height: size[1]}, snap))
		v := m.View()
		if b := strings.Join(strings.Fields(ansi.Strip(m.banner())), " "); !strings.Contains(b, "Our probes: Claude Opus 4.5 failing since") || strings.Contains(b, "Claude API failing since") {
			t.Errorf("%dx%d: the banner does not name the failing model: %q", size[0], size[1], b)
		}
		for _, want := range []string{"└ Opus 4.5", "overloaded 529", "└ Haiku 4.5", "ok 200 412ms", "Claude Opus 4.5 failing (529 overloaded; 4 of the last 5 probes failed)"} {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: no %q in\n%s", size[0], size[1], want, v)
			}
		}
		if size[0] == 160 && !strings.Contains(v, "tokens today 1300 of 20000") {
			t.Errorf("160x48: no token use in\n%s", v)
		}
	}
}

// TestCanaryTokensLineNeverGuessesAPrice: Live prices the day's canary
// tokens only at a list price it knows; a model the price table does not
// know makes the cost unknown, named — as Troubleshooting and check say —
// never the dearest price in the table passed off as an estimate.
func TestCanaryTokensLineNeverGuessesAPrice(t *testing.T) {
	for _, tc := range []struct {
		models    []string
		want, not string
	}{
		{[]string{"claude-haiku-4-5"}, "an estimate at list price", "unknown"},
		{[]string{"claude-opus-4-5", "claude-haiku-4-5"}, "≈ $", "unknown"},
		{[]string{"claude-haiku-4-5", "claude-nonesuch-9"}, "cost unknown: no list price for claude-nonesuch-9", "$"},
	} {
		got := canaryTokensLine(1300, 20000, tc.models)
		if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
			t.Errorf("%v: %q, want %q and no %q", tc.models, got, tc.want, tc.not)
		}
		if !strings.HasPrefix(got, "tokens today 1300 of 20000") {
			t.Errorf("%v: %q does not lead with the day's tokens", tc.models, got)
		}
	}
}
