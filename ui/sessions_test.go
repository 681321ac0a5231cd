package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
)

// sessionsOptions are testOptions with the transcript follower running.
func sessionsOptions() Options {
	o := testOptions()
	o.Targets = append(probe.Targets(), probe.TargetSessions)
	return o
}

// sessionsReport is Claude Code's sessions during an overload: three 529
// retries and a gave-up error in the last 15 minutes, answers before.
func sessionsReport(now time.Time) *probe.SessionsReport {
	var recent []probe.Result
	for i := range 40 {
		recent = append(recent, probe.Result{Target: probe.TargetSessions, Time: now.Add(-55*time.Minute + time.Duration(i)*time.Minute),
			Class: probe.ClassOK, Detail: "claude-code 2.1.44 · claude-opus-4-6 · session 1a2b3c4d"})
	}
	for i, at := range []time.Duration{9 * time.Minute, 8 * time.Minute, 7*time.Minute + 30*time.Second} {
		recent = append(recent, probe.Result{Target: probe.TargetSessions, Time: now.Add(-at), Class: probe.ClassOverloaded, HTTPStatus: 529,
			ErrorType: "overloaded_error", Message: "Overloaded", Detail: fmt.Sprintf("claude-code 2.1.44 · session 1a2b3c4d · attempt %d of 10", i+1)})
	}
	recent = append(recent, probe.Result{Target: probe.TargetSessions, Time: now.Add(-7 * time.Minute), Class: probe.ClassOverloaded, HTTPStatus: 529,
		ErrorType: "overloaded_error", Message: "API Error: 529 Overloaded", RequestID: "req_011CXPBk57rUbKp5XVtievhP", Detail: "claude-code 2.1.44 · session 1a2b3c4d · gave up"})
	start := now.Truncate(time.Hour).Add(-3 * time.Hour)
	cur := probe.UsageBlock{Start: start, End: start.Add(probe.BlockLength), First: start.Add(4 * time.Minute), Last: now.Add(-8 * time.Minute),
		Tokens:   probe.Tokens{Input: 12_000, Output: 180_000, CacheCreation: 240_000, CacheRead: 1_700_000},
		Models:   []string{"claude-opus-4-6", "claude-haiku-4-5"},
		Requests: 212}
	old := probe.UsageBlock{Start: start.Add(-26 * time.Hour), End: start.Add(-21 * time.Hour), Tokens: probe.Tokens{Output: 90_000, CacheRead: 800_000}, Requests: 80}
	return &probe.SessionsReport{Time: now, Dir: "~/.claude/projects", Found: true, Recent: recent,
		Progress: probe.SessionProgress{Files: 12, Done: 1 << 20, Size: 1 << 20},
		Window:   probe.CodeWindow{Current: &cur, Blocks: []probe.UsageBlock{old, cur}}}
}

func localWithUsage(at time.Time, u *probe.CodeUsage) *probe.LocalReport {
	return &probe.LocalReport{Time: at,
		Credentials: []probe.CredentialInfo{{Source: "Claude Code login", Kind: "OAuth token (max)", Masked: "sk-ant-oat01-…", Header: "Authorization: Bearer"}},
		Checks:      []probe.LocalCheck{{ID: "code_login", Name: "Claude Code login", Level: probe.LocalOK, Text: "Claude Code's login token is valid for 4 h"}},
		CodeUsage:   u}
}

// overloadedSessionsModel: the API probes get 529 (not yet acknowledged)
// while the transcript shows Claude Code's 529 retries.
func overloadedSessionsModel(u *probe.CodeUsage) Model {
	end := testNow.Add(-20 * time.Second)
	snap := healthySnapshot(end, 30)
	snap.recent[probe.TargetAPI] = series(probe.TargetAPI, 30, end, 30*time.Second, 210*time.Millisecond, func(i int) (probe.Result, bool) {
		if i >= 26 {
			return overloaded(i), true
		}
		return probe.Result{}, false
	})
	m := send(New(sessionsOptions()), snap)
	local := localWithUsage(testNow.Add(-30*time.Second), u)
	return thisRun(send(m, eventMsg{Result: local.Result(), Local: local}, eventMsg{Sessions: sessionsReport(testNow)}))
}

func TestSessionsOnLiveAndTroubleshooting(t *testing.T) {
	resets := testNow.Add(72 * time.Minute)
	for name, u := range map[string]*probe.CodeUsage{
		"usage_off": nil,
		"usage_on": {Time: testNow.Add(-30 * time.Second), Limits: []probe.CodeLimit{
			{Name: "five_hour", Utilization: 61, ResetsAt: resets}, {Name: "seven_day", Utilization: 22, ResetsAt: testNow.Add(4*24*time.Hour + 19*time.Hour)}}},
		"login_rejected": {Time: testNow.Add(-30 * time.Second), Rejected: true, HTTPStatus: 401},
	} {
		for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
			m := send(overloadedSessionsModel(u), tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
			for _, tb := range []tab{tabLive, tabTroubleshoot} {
				m.active = tb
				got := m.View()
				file := fmt.Sprintf("%s_sessions_%s_%dx%d", strings.ToLower(strings.Fields(tb.String())[0]), name, sz.w, sz.h)
				requireGolden(t, file, got)
				checkBox(t, file, got, sz.w, sz.h)
			}
		}
	}
}

// TestSessionsLineSays checks the sentences a user must read, whatever the
// layout: the count by kind with the last request id, the window, the
// comparison with our probe, and how to turn the usage call on.
func TestSessionsLineSays(t *testing.T) {
	m := send(overloadedSessionsModel(nil), tea.WindowSizeMsg{Width: 200, Height: 60})
	m.active = tabLive
	live := m.View()
	for _, want := range []string{
		// Three retried attempts and the error shown: one call (cold6 E6).
		"1 API error in the last 15 min: 529 overloaded ×1 · last 13:53:00 req_011CXPBk57rUbKp5XVtievhP",
		"2h 00m left (estimated from your sessions) · 2.1 M tokens so far · burn 13 k/min",
		"plan usage off (--code-usage)",
		"your sessions got 529 overloaded at 13:53:00 — our API probe also sees 529 overloaded (13:59:40): Anthropic overloaded, not yet acknowledged",
	} {
		if !strings.Contains(live, want) {
			t.Errorf("Live lacks %q:\n%s", want, live)
		}
	}
	m.active = tabTroubleshoot
	tr := m.View()
	for _, want := range []string{
		"evidence: your sessions got 529 overloaded at 13:53:00",
		"plan usage: off — turn on with --code-usage",
		"input 12 k, output 180 k, cache write 240 k, cache read 1.7 M",
		"claude-haiku-4-5",
	} {
		if !strings.Contains(tr, want) {
			t.Errorf("Troubleshooting lacks %q:\n%s", want, tr)
		}
	}
	// Without the follower, no sessions line at all.
	m = send(New(testOptions()), healthySnapshot(testNow.Add(-20*time.Second), 30), tea.WindowSizeMsg{Width: 160, Height: 48})
	if v := m.View(); strings.Contains(v, "your sessions") {
		t.Errorf("sessions line without the follower:\n%s", v)
	}
}

// TestPastedUsageLimitSaysWhenItResets: the pasted-error view reads the
// reset from the usage call, in the viewer's zone named, says the API is
// fine and what to do.
func TestPastedUsageLimitSaysWhenItResets(t *testing.T) {
	u := &probe.CodeUsage{Time: testNow.Add(-30 * time.Second), Limits: []probe.CodeLimit{{Name: "five_hour", Utilization: 100, ResetsAt: testNow.Add(72 * time.Minute)}}}
	end := testNow.Add(-20 * time.Second)
	m := send(New(sessionsOptions()), healthySnapshot(end, 30))
	local := localWithUsage(testNow.Add(-30*time.Second), u)
	m = send(m, eventMsg{Result: local.Result(), Local: local}, tea.WindowSizeMsg{Width: 160, Height: 48})
	m.active = tabTroubleshoot
	m = send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")})
	m = send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("You've hit your session limit · resets 12:50am (America/Los_Angeles)"), Paste: true})
	m = send(m, tea.KeyMsg{Type: tea.KeyEnter})
	v := m.View()
	for _, want := range []string{
		"your plan's 5-hour window is used up: a limit of your Claude subscription, not an outage; the API itself is fine",
		"it resets at 15:12 UTC, in 1h 12m (Anthropic's usage answer: 100% used)",
		"what to do: wait for the reset",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("pasted view lacks %q:\n%s", want, v)
		}
	}
}

// TestUsageWindowLineWithFailedCallsOnly (cold F13, F8): the sessions saw
// only failed calls, so no local 5-hour block. The usage line must not
// deny the calls the sessions line counts, nor a window the plan's own
// percentage shows, and at 80 columns it must not be cut mid-word (the
// flag a user needs, --code-usage, stays whole).
func TestUsageWindowLineWithFailedCallsOnly(t *testing.T) {
	failedOnly := func() *probe.SessionsReport {
		r := sessionsReport(testNow)
		var errs []probe.Result
		for _, c := range r.Recent {
			if c.Class != probe.ClassOK {
				errs = append(errs, c)
			}
		}
		r.Recent, r.Window = errs, probe.CodeWindow{}
		return r
	}
	for name, u := range map[string]*probe.CodeUsage{
		"usage_off": nil,
		"usage_on":  {Time: testNow.Add(-30 * time.Second), Limits: []probe.CodeLimit{{Name: "five_hour", Utilization: 61, ResetsAt: testNow.Add(72 * time.Minute)}}},
		"rejected":  {Time: testNow.Add(-30 * time.Second), Rejected: true, HTTPStatus: 401},
		// An answer of another shape is said, not dropped (cold2 C20).
		"unavailable": {Time: testNow.Add(-30 * time.Second), HTTPStatus: 200, Unavailable: "the answer has another shape than expected"},
	} {
		for _, width := range []int{80, 120} {
			m := send(New(sessionsOptions()), healthySnapshot(testNow.Add(-20*time.Second), 30))
			local := localWithUsage(testNow.Add(-30*time.Second), u)
			m = send(m, eventMsg{Result: local.Result(), Local: local}, eventMsg{Sessions: failedOnly()}, tea.WindowSizeMsg{Width: width, Height: 35})
			m.active = tabLive
			var row string
			for _, l := range strings.Split(m.View(), "\n") {
				if strings.Contains(l, "usage window") {
					row = strings.TrimRight(l, " ")
				}
			}
			for _, bad := range []string{"no calls", "no 5-hour window open", "…"} {
				if strings.Contains(row, bad) {
					t.Errorf("%s at %d: usage line says %q: %q", name, width, bad, row)
				}
			}
			want := map[string]string{"usage_off": "--code-usage", "usage_on": "61%, resets 15:12, in 1h 12m · no answered call in", "rejected": "by Anthropic (401, <1m ago): run /login · no answered call in", "unavailable": "plan usage unavailable"}[name]
			if name == "rejected" && width == 80 {
				want = "login rejected <1m ago: run /login · no answered call in"
			}
			if !strings.Contains(row, want) {
				t.Errorf("%s at %d: usage line lacks %q: %q", name, width, want, row)
			}
		}
	}
}

// TestPercentOneStyle: a percentage reads the same everywhere on screen,
// "61%" as the uptimes' "99.95%" and the headroom's "(40%)", never "61 %"
// beside "100%".
func TestPercentOneStyle(t *testing.T) {
	u := &probe.CodeUsage{Time: testNow.Add(-30 * time.Second), Limits: []probe.CodeLimit{
		{Name: "five_hour", Utilization: 61, ResetsAt: testNow.Add(72 * time.Minute)},
		{Name: "seven_day", Utilization: 22, ResetsAt: testNow.Add(96 * time.Hour)}}}
	r := sessionsReport(testNow)
	r.Progress = probe.SessionProgress{Reading: true, Size: 1 << 30, Done: 1 << 29}
	m := send(New(sessionsOptions()), healthySnapshot(testNow.Add(-20*time.Second), 30))
	local := localWithUsage(testNow.Add(-30*time.Second), u)
	m = send(m, eventMsg{Result: local.Result(), Local: local}, eventMsg{Sessions: r}, tea.WindowSizeMsg{Width: 160, Height: 48})
	m.active = tabLive
	screens := ansi.Strip(m.View()) + "\n" + ansi.Strip(strings.Join(m.troubleshoot.content(), "\n"))
	spaced := regexp.MustCompile(`[0-9] %`)
	if s := spaced.FindAllString(screens, -1); len(s) > 0 {
		t.Errorf("percentages with a space (%q) in:\n%s", s, screens)
	}
	for _, want := range []string{"61%", "22%", "50%"} {
		if !strings.Contains(screens, want) {
			t.Errorf("no %s on screen:\n%s", want, screens)
		}
	}
}

// TestBannerSaysTheLimitsResetInTheViewersZone (verdicts item 3): Claude
// Code's notice names the clock of wherever it ran; the banner quotes it
// and says when that is here, as diagnose reads a pasted one — read at the
// time the notice was shown, the viewer's zone named.
func TestBannerSaysTheLimitsResetInTheViewersZone(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name      string
		shown     time.Time     // when Claude Code showed the notice
		age       time.Duration // how long ago, when the banner is read
		reset     string        // the clock the notice names
		now, want string
	}{
		{"to come", testNow.Add(-10 * time.Second), 10 * time.Second, "9:50am", "14:00", "It resets at 18:50 CEST, in 2h 50m, by Claude Code's notice."},
		// Read at the notice's time, not now: shown at 00:45 in Los
		// Angeles, read at 00:55 it is not tomorrow's 00:50.
		{"passed", time.Date(2026, 9, 4, 7, 45, 0, 0, time.UTC), 10 * time.Minute, "12:50am", "07:55", "It reset at 09:50 CEST, 5m ago, by Claude Code's notice: the limit has likely lifted."},
		// cold5 D9: shown at 07:00 in Los Angeles, a 5-hour window's
		// "12:50am" is not tomorrow's, 17h 50m on, but the one before.
		{"meant the one before", testNow.Add(-10 * time.Second), 10 * time.Second, "12:50am", "14:00", "It reset at 09:50 CEST, 6h 10m ago, by Claude Code's notice: the limit has likely lifted."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			now := tt.shown.Add(tt.age)
			if got := now.UTC().Format("15:04"); got != tt.now {
				t.Fatalf("the viewer's clock is %s, want %s", got, tt.now)
			}
			o := sessionsOptions()
			o.Location = paris
			o.Now = func() time.Time { return now }
			m := send(New(o), healthySnapshot(now.Add(-20*time.Second), 30), tea.WindowSizeMsg{Width: 160, Height: 48})
			m = send(m, eventMsg{Result: probe.Result{Target: probe.TargetSessions, Time: tt.shown, Class: probe.ClassRateLimited,
				HTTPStatus: 429, ErrorType: "rate_limit", Message: "You've hit your session limit · resets " + tt.reset + " (America/Los_Angeles)",
				Detail: "claude-code 2.1.44 · claude-opus-4-6 · session 1a2b3c4d"}})
			if m.board.verdict.Kind != probe.VerdictLocalQuota {
				t.Fatalf("verdict %s %q", m.board.verdict.Kind.Key(), m.board.verdict.Headline)
			}
			if b := strings.Join(strings.Fields(ansi.Strip(m.banner())), " "); !strings.Contains(b, tt.want) {
				t.Errorf("banner %q\nwant %q", b, tt.want)
			}
		})
	}
	// Another verdict: no reset line.
	m := send(New(sessionsOptions()), healthySnapshot(testNow.Add(-20*time.Second), 30), tea.WindowSizeMsg{Width: 160, Height: 48})
	if b := m.banner(); strings.Contains(b, "resets at") {
		t.Errorf("all clear, yet %q", b)
	}
}

// TestSessionsVerdictCountsTheReportsCalls: at start the follower reads
// the backlog and sends the board only the calls made in the last
// minutes; an answer from 12 minutes ago reaches the board only in the
// sessions report. The verdict's count of calls in the last 15 minutes
// includes it ("4 errors … of 5 calls"), and a call in both is counted
// once.
func TestSessionsVerdictCountsTheReportsCalls(t *testing.T) {
	var fails []probe.Result
	for i, at := range []time.Duration{4 * time.Minute, 3 * time.Minute, 150 * time.Second, 2 * time.Minute} {
		fails = append(fails, probe.Result{Target: probe.TargetSessions, Time: testNow.Add(-at), Class: probe.ClassOverloaded, HTTPStatus: 529,
			ErrorType: "overloaded_error", Message: "Overloaded", Detail: fmt.Sprintf("claude-code 2.1.44 · session %d · gave up", i+1)})
	}
	answer := probe.Result{Target: probe.TargetSessions, Time: testNow.Add(-12 * time.Minute), Class: probe.ClassOK, Detail: "claude-code 2.1.44 · claude-opus-4-6 · session 1a2b3c4d"}
	for _, tt := range []struct {
		name     string
		reported []probe.Result
		want     string
	}{
		{"the report holds an answer the board never got", append([]probe.Result{answer}, fails...), "4 errors in the last 15 min (529 overloaded ×4) of 5 calls"},
		{"the report holds only what the board has", fails, "4 errors in the last 15 min (529 overloaded ×4) of 4 calls"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := send(New(sessionsOptions()), healthySnapshot(testNow.Add(-20*time.Second), 30))
			for _, r := range fails {
				m = send(m, eventMsg{Result: r})
			}
			m = send(m, eventMsg{Sessions: &probe.SessionsReport{Time: testNow, Found: true, Recent: tt.reported}})
			facts := strings.Join(m.board.verdict.Facts, "\n")
			for _, s := range m.board.verdict.Services {
				facts += "\n" + strings.Join(s.Facts, "\n")
			}
			if !strings.Contains(facts, tt.want) {
				t.Errorf("verdict lacks %q:\n%s", tt.want, facts)
			}
		})
	}
}

// TestUsageWindowNamesTheResetsSource (cold4 C9): with --code-usage off the
// reset comes from Claude Code's own limit notice in the transcripts; the
// Live line, shortened to fit, still names that source — never
// "(Anthropic)", which reads as Anthropic's usage answer, not asked.
func TestUsageWindowNamesTheResetsSource(t *testing.T) {
	for _, width := range []int{80, 100, 120, 160} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			m := send(New(sessionsOptions()), healthySnapshot(testNow.Add(-20*time.Second), 30), tea.WindowSizeMsg{Width: width, Height: 48})
			local := &probe.LocalReport{Time: testNow.Add(-30 * time.Second)} // no CodeUsage: the call is off
			limit := probe.Result{Target: probe.TargetSessions, Time: testNow.Add(-10 * time.Second), Class: probe.ClassRateLimited,
				HTTPStatus: 429, ErrorType: "rate_limit", Message: "You've hit your session limit · resets 9:50am (America/Los_Angeles)",
				Detail: "claude-code 2.1.44 · claude-opus-4-6 · session 1a2b3c4d"}
			rep := sessionsReport(testNow)
			rep.Recent = append(rep.Recent, limit)
			m = send(m, eventMsg{Result: local.Result(), Local: local}, eventMsg{Sessions: rep})
			var row string
			for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
				if strings.Contains(l, "usage window") {
					row = l
				}
			}
			if !strings.Contains(row, "limit resets") {
				t.Fatalf("no reset on the usage window row: %q", row)
			}
			if strings.Contains(row, "(Anthropic)") || !strings.Contains(row, "notice") && !strings.Contains(row, "limit message") {
				t.Errorf("the reset's source is not Claude Code's notice: %q", row)
			}
		})
	}
}

// TestIncidentCountAddsUp (cold4 C9): an incident whose every call failed,
// one of them another way, says so — not "3 of 4 calls failed".
func TestIncidentCountAddsUp(t *testing.T) {
	sessions := probe.LocalIncident{Subject: "sessions:provider", Kind: probe.KindProvider, Targets: []probe.Target{probe.TargetSessions}}
	for _, tc := range []struct {
		failures, probes, others int
		want                     string
	}{
		{3, 4, 1, "all 4 calls failed, 1 another way"},
		{3, 6, 1, "4 of 6 calls failed, 1 another way"},
		{3, 4, 0, "3 of 4 calls failed"},
		{4, 4, 0, "all 4 calls failed"},
	} {
		l := sessions
		l.Failures, l.Probes, l.Others = tc.failures, tc.probes, tc.others
		if got := incidentCount(l); got != tc.want {
			t.Errorf("%d failed, %d probed, %d others: %q, want %q", tc.failures, tc.probes, tc.others, got, tc.want)
		}
	}
}

// TestOneFailedCallIsAmberOnLive (the lead's policy): one Claude Code call
// that failed after its retries while our probes pass is an observation:
// the banner is amber and hedged, and the sessions' row and observation on
// Live are ▲ like it, never a red ✖ beside it.
func TestOneFailedCallIsAmberOnLive(t *testing.T) {
	end := testNow.Add(-20 * time.Second)
	m := thisRun(send(New(sessionsOptions()), healthySnapshot(end, 30), tea.WindowSizeMsg{Width: 140, Height: 45}))
	m = send(m, eventMsg{Sessions: sessionsReport(testNow)})
	if k := m.board.verdict.Kind; k != probe.VerdictDegraded {
		t.Fatalf("verdict %s %q: want degraded", k, m.board.verdict.Headline)
	}
	view := ansi.Strip(m.View())
	if !strings.Contains(strings.Join(strings.Fields(view), " "), "Likely brief: one Claude Code call failed (529 overloaded)") {
		t.Errorf("the banner does not hedge the one call:\n%s", view)
	}
	for _, line := range strings.Split(view, "\n") {
		if strings.Contains(line, "your sessions") && strings.Contains(line, "✖") || strings.Contains(line, "Not yet acknowledged") {
			t.Errorf("red beside the amber verdict: %q", line)
		}
	}
}

// TestIncidentCountSaysWhoseProbes: an incident of several targets says
// whose probes its count adds up — the banner's "all 15 probes failed"
// beside the latency table's "all 8" and "all 7" read as two counts of
// the same probes.
func TestIncidentCountSaysWhoseProbes(t *testing.T) {
	for _, tc := range []struct {
		targets []probe.Target
		want    string
	}{
		{[]probe.Target{probe.TargetAPI}, "all 8 probes failed"},
		{[]probe.Target{probe.TargetAPI, probe.TargetAPIKey}, "all 8 probes with and without your key failed"},
		{[]probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI}, "all 8 probes of the status page, the Claude API and claude.ai failed"},
	} {
		l := probe.LocalIncident{Subject: "x", Kind: probe.KindProvider, Targets: tc.targets, Failures: 8, Probes: 8}
		if got := incidentCount(l); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.targets, got, tc.want)
		}
	}
}
