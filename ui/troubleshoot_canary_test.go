package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// canaryModel is the dashboard with canaries of models that answered
// today, reporting 1300 tokens of a 20000 budget.
func canaryModel(models ...string) Model {
	snap := healthySnapshot(testNow, 20)
	o := testOptions()
	for _, id := range models {
		tg := probe.ModelTarget(id)
		o.Targets = append(o.Targets, tg)
		snap.recent[tg] = series(tg, 6, testNow, 5*time.Minute, 0, func(int) (probe.Result, bool) {
			return probe.Result{Class: probe.ClassOK, HTTPStatus: 200, Detail: "ttft 412ms · tokens today 1300 of 20000",
				Phases: probe.Phases{FirstToken: 412 * time.Millisecond, Total: 430 * time.Millisecond}}, true
		})
	}
	return send(New(o), tea.WindowSizeMsg{Width: 100, Height: 40}, snap, keyRunes("3"))
}

func troubleshootText(m Model) string {
	return strings.Join(strings.Fields(ansi.Strip(strings.Join(m.troubleshoot.content(), "\n"))), " ")
}

// TestTroubleshootCanaryCost: Troubleshooting shows the canaries' daily
// token use and an estimate of its cost that says it is an estimate and
// from which list price (issue 15); a model without a known price makes
// the cost unknown, and without canaries there is no such section.
func TestTroubleshootCanaryCost(t *testing.T) {
	text := troubleshootText(canaryModel("claude-haiku-4-5", "claude-opus-4-5"))
	for _, want := range []string{
		"Canaries: tokens and cost",
		"tokens today: 1,300 of 20,000",
		"≈ $0.0091 today (an estimate)",
		"at most ≈ $0.14 a day for the whole budget",
		"Claude Opus 4.5's list price, $5 input / $25 output per million tokens",
		probe.PriceSource,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Troubleshooting lacks %q:\n%s", want, text)
		}
	}
	text = troubleshootText(canaryModel("claude-haiku-4-5", "claude-nova-1"))
	if !strings.Contains(text, "cost: unknown — no list price known for claude-nova-1") || strings.Contains(text, "≈ $") {
		t.Errorf("an unknown model's cost is not said unknown:\n%s", text)
	}
	if text := troubleshootText(canaryModel()); strings.Contains(text, "Canaries") {
		t.Errorf("a section on canaries without any:\n%s", text)
	}
}

func TestGroupDigits(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 20000: "20,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}
