package ui

import (
	"fmt"
	"io"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"downforai/probe"
)

// testNow is the fixed clock every view test reads.
var testNow = time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// asciiRenderer is what a NO_COLOR terminal gets: no escape sequences.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

func testOptions() Options {
	return Options{
		Renderer:   asciiRenderer(),
		Now:        fixedNow,
		Location:   time.UTC, // goldens print times of day
		StaleAfter: 5 * time.Minute,
		Version:    "v0.1.0",
		Targets:    probe.Targets(),
	}
}

// components are the six components as status.claude.com serves them.
func components(claudeAI, api, code probe.ComponentStatus) []probe.Component {
	return []probe.Component{
		{ID: "rwppv331jlwc", Name: "claude.ai", Status: claudeAI, Position: 1},
		{ID: "0qbwn08sd68x", Name: "Claude Console (platform.claude.com)", Status: "operational", Position: 2},
		{ID: "k8w3r06qmzrp", Name: "Claude API (api.anthropic.com)", Status: api, Position: 3},
		{ID: "yyzkbfz2thpt", Name: "Claude Code", Status: code, Position: 4},
		{ID: "bpp5gb3hpjcl", Name: "Claude Cowork", Status: "operational", Position: 5},
		{ID: "0scnb50nvy53", Name: "Claude for Government", Status: "operational", Position: 6},
	}
}

func operationalStatus(at time.Time) probe.Status {
	return probe.Status{
		Fetched:     at,
		UpdatedAt:   time.Date(2026, 9, 3, 12, 3, 36, 857e6, time.UTC),
		Indicator:   "none",
		Description: "All Systems Operational",
		Components:  components("operational", "operational", "operational"),
	}
}

func outageStatus(at time.Time) probe.Status {
	started := time.Date(2026, 9, 3, 13, 26, 4, 191e6, time.UTC)
	return probe.Status{
		Fetched:     at,
		UpdatedAt:   time.Date(2026, 9, 3, 13, 51, 0, 0, time.UTC),
		Indicator:   "major",
		Description: "Partial System Outage",
		Components:  components("partial_outage", "partial_outage", "partial_outage"),
		Incidents: []probe.Incident{{
			ID:         "461yvfrzpwtt",
			Name:       "Elevated errors for multiple models",
			Status:     "identified",
			Impact:     "major",
			Shortlink:  "https://stspg.io/9xz4hhmd1jzn",
			CreatedAt:  started,
			StartedAt:  started,
			UpdatedAt:  time.Date(2026, 9, 3, 13, 51, 0, 0, time.UTC),
			Components: []string{"rwppv331jlwc", "k8w3r06qmzrp", "yyzkbfz2thpt"},
			Updates: []probe.IncidentUpdate{
				{ID: "u2", Status: "identified", Body: "We are continuing to work on a fix for this issue.",
					At: time.Date(2026, 9, 3, 13, 51, 0, 0, time.UTC), Components: []string{"rwppv331jlwc", "k8w3r06qmzrp", "yyzkbfz2thpt"}},
				{ID: "u1", Status: "investigating", Body: "We are investigating elevated errors.",
					At: started, Components: []string{"rwppv331jlwc", "yyzkbfz2thpt"}},
			},
		}},
	}
}

// series builds n results of one target ending at end, one every step,
// with a latency that wanders so sparklines have shape. fail picks the
// indexes (0 = oldest) that fail with the given result template.
func series(t probe.Target, n int, end time.Time, step time.Duration, base time.Duration, fail func(i int) (probe.Result, bool)) []probe.Result {
	rs := make([]probe.Result, 0, n)
	for i := 0; i < n; i++ {
		at := end.Add(-time.Duration(n-1-i) * step)
		lat := base + time.Duration((i*37)%11)*base/10
		r := probe.Result{Target: t, Time: at, Class: probe.ClassOK, HTTPStatus: okCode(t),
			Phases: probe.Phases{DNS: 4 * time.Millisecond, Connect: 12 * time.Millisecond, TLS: 25 * time.Millisecond, FirstByte: lat - 50*time.Millisecond, Total: lat}}
		if t == probe.TargetCode {
			r.HTTPStatus = 0
			r.Detail = "2.0.14 (Claude Code)"
		}
		if f, ok := fail(i); ok {
			f.Target, f.Time = t, at
			r = f
		}
		rs = append(rs, r)
	}
	return rs
}

func okCode(t probe.Target) int {
	if t == probe.TargetAPI {
		return 401 // the front door answering without a key is healthy
	}
	return 200
}

func never(int) (probe.Result, bool) { return probe.Result{}, false }

func overloaded(id int) probe.Result {
	return probe.Result{Class: probe.ClassOverloaded, HTTPStatus: 529, ErrorType: "overloaded_error", Message: "Overloaded",
		RequestID: fmt.Sprintf("req_011CSHoEeqs5C35K2UUqR7F%d", id), Phases: probe.Phases{Total: 180 * time.Millisecond}}
}

// healthySnapshot is a full ring of healthy results for every target.
func healthySnapshot(end time.Time, n int) snapshotMsg {
	st := operationalStatus(end)
	return snapshotMsg{
		recent: map[probe.Target][]probe.Result{
			probe.TargetStatus:   series(probe.TargetStatus, n, end, 30*time.Second, 120*time.Millisecond, never),
			probe.TargetAPI:      series(probe.TargetAPI, n, end, 30*time.Second, 210*time.Millisecond, never),
			probe.TargetAPIKey:   series(probe.TargetAPIKey, n, end, 60*time.Second, 260*time.Millisecond, never),
			probe.TargetClaudeAI: series(probe.TargetClaudeAI, n, end, 30*time.Second, 140*time.Millisecond, never),
			probe.TargetCode:     series(probe.TargetCode, n, end, 5*time.Minute, 300*time.Millisecond, never),
		},
		status: &st,
	}
}

// outageSnapshot has the API failing with 529s for the last few probes
// and claude.ai answering 500 now and then, during an official incident.
func outageSnapshot(end time.Time, n int) snapshotMsg {
	st := outageStatus(end)
	recent := func(k int) func(i int) (probe.Result, bool) {
		return func(i int) (probe.Result, bool) {
			if i >= n-k {
				return overloaded(i), true
			}
			return probe.Result{}, false
		}
	}
	return snapshotMsg{
		recent: map[probe.Target][]probe.Result{
			probe.TargetStatus: series(probe.TargetStatus, n, end, 30*time.Second, 120*time.Millisecond, never),
			probe.TargetAPI:    series(probe.TargetAPI, n, end, 30*time.Second, 210*time.Millisecond, recent(4)),
			probe.TargetAPIKey: series(probe.TargetAPIKey, n, end, 60*time.Second, 260*time.Millisecond, recent(3)),
			probe.TargetClaudeAI: series(probe.TargetClaudeAI, n, end, 30*time.Second, 140*time.Millisecond, func(i int) (probe.Result, bool) {
				if i%7 == 3 || i >= n-2 {
					return probe.Result{Class: probe.ClassServer, HTTPStatus: 500, ErrorType: "api_error", Message: "Internal server error",
						Phases: probe.Phases{Total: 90 * time.Millisecond}}, true
				}
				return probe.Result{}, false
			}),
			probe.TargetCode: series(probe.TargetCode, n, end, 5*time.Minute, 300*time.Millisecond, never),
		},
		status: &st,
	}
}

// thisRun marks every result on the board as this run's, as a dashboard
// that has been probing for a while shows them: the fixtures load them as
// a snapshot for brevity, which alone is the last run's state (Last known).
func thisRun(m Model) Model {
	b := m.board
	for t, r := range b.rings {
		if rs := r.items(); len(rs) > 0 {
			if _, ok := b.liveFrom[t]; !ok {
				if b.liveFrom == nil {
					b.liveFrom = map[probe.Target]time.Time{}
				}
				b.liveFrom[t] = rs[0].Time
			}
		}
	}
	b.judge()
	b.touch()
	return m
}
