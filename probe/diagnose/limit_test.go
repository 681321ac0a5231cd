package diagnose

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no time zone data for %s", name)
	}
	return l
}

// TestClaudeCodeLimitNotices (cold2 C17): Claude Code's own usage-limit
// notices, as users paste them into anthropics/claude-code issues, are
// the plan's usage limit — which allowance, and when it comes back, read
// in the viewer's zone when the notice names none.
func TestClaudeCodeLimitNotices(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	// Wednesday 2 December 2026, 07:50 in Paris.
	now := time.Date(2026, 12, 2, 6, 50, 0, 0, time.UTC)
	at := func(y int, m time.Month, d, h, min int, z string) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, mustZone(t, z))
	}
	tests := []struct {
		text     string // the notice (source: the issue it was pasted in)
		kind     LimitKind
		model    string
		reset    time.Time
		in       time.Duration
		dateOnly bool
	}{
		// #7892, #7641: the 5-hour window, no zone: read in the viewer's.
		// The next 3pm is 7 h away, further than a 5-hour window reaches:
		// the reset meant was an earlier one, yesterday's at the latest (cold5 D9).
		{"5-hour limit reached ∙ resets 3pm", LimitSession, "", at(2026, 12, 1, 15, 0, "Europe/Paris"), 0, false},
		{"5-hour limit reached ∙ resets 5am", LimitSession, "", at(2026, 12, 2, 5, 0, "Europe/Paris"), 0, false},
		{"5-hour limit reached ∙ resets 11am", LimitSession, "", at(2026, 12, 2, 11, 0, "Europe/Paris"), 0, false},
		// #6392's wording without the dot, #7550's bare line.
		{"5 hour limit reached", LimitSession, "", time.Time{}, 0, false},
		// #74079, #76709 (with the /upgrade line under it).
		{"You've hit your session limit · resets 12:50am (America/Los_Angeles)", LimitSession, "", at(2026, 12, 2, 0, 50, "America/Los_Angeles"), 0, false},
		{"You've hit your session limit · resets 11:50pm (Asia/Riyadh)\n/upgrade to increase your usage limit.", LimitSession, "", at(2026, 12, 1, 23, 50, "Asia/Riyadh"), 0, false},
		// #79136: with the /login line.
		{"You've hit your session limit · resets 10:30pm (Europe/Berlin)\n/login to switch to an API usage-billed account.", LimitSession, "", at(2026, 12, 1, 22, 30, "Europe/Berlin"), 0, false},
		// #11577 (and its body's "resets in 2 hours").
		{"Session limit reached ∙ resets 8pm", LimitSession, "", at(2026, 12, 1, 20, 0, "Europe/Paris"), 0, false},
		{"Session limit reached – resets in 2 hours", LimitSession, "", time.Time{}, 2 * time.Hour, false},
		// #2087, #6119, #9236: the older sentence with its zone.
		{"Claude usage limit reached. Your limit will reset at 1pm (Etc/GMT+5).", LimitPlan, "", at(2026, 12, 2, 13, 0, "Etc/GMT+5"), 0, false},
		{"Claude usage limit reached. Your limit will reset \n     at 3pm (America/Santiago).", LimitPlan, "", at(2026, 12, 2, 15, 0, "America/Santiago"), 0, false},
		// #9046, #11429: the stamp form, Unix seconds.
		{"Claude AI usage limit reached|1764730800", LimitPlan, "", time.Unix(1764730800, 0), 0, false},
		// #52575, #55876: "your limit", with a date in the week.
		{"You've hit your limit · resets 4:50am (Europe/Rome)", LimitPlan, "", at(2026, 12, 3, 4, 50, "Europe/Rome"), 0, false},
		{"You've hit your limit · resets Dec 5 at 9pm (America/New_York)", LimitPlan, "", at(2026, 12, 5, 21, 0, "America/New_York"), 0, false},
		// #93340, #92834, #81647, #80903, #78982: the week.
		{"You've hit your weekly limit · resets 4am (Europe/Madrid)", LimitWeekly, "", at(2026, 12, 3, 4, 0, "Europe/Madrid"), 0, false},
		{"You've hit your weekly limit · resets Dec 7, 2am (UTC)", LimitWeekly, "", at(2026, 12, 7, 2, 0, "UTC"), 0, false},
		{"You've hit your weekly limit · resets Dec 4 at 4:30am (Asia/Calcutta)", LimitWeekly, "", at(2026, 12, 4, 4, 30, "Asia/Calcutta"), 0, false},
		// #10333: one model's week, with and without the hour.
		{"Opus weekly limit reached ∙ resets Dec 8, 9am", LimitModelWeekly, "Opus", at(2026, 12, 8, 9, 0, "Europe/Paris"), 0, false},
		{"Opus weekly limit reached ∙ resets Dec 4", LimitModelWeekly, "Opus", at(2026, 12, 4, 0, 0, "Europe/Paris"), 0, true},
		// #22603, #42654: extra usage spent; #52679: an organisation's month.
		{"You're out of extra usage · resets Dec 4, 8pm (Europe/Budapest)", LimitExtra, "", at(2026, 12, 4, 20, 0, "Europe/Budapest"), 0, false},
		{"You've hit your org's monthly usage limit", LimitMonthly, "", time.Time{}, 0, false},
		// #80062: claude.ai's wording.
		{"You’ve hit your limit for Claude messages. Limits will reset at 9:30 AM.  View your usage details.", LimitPlan, "", at(2026, 12, 2, 9, 30, "Europe/Paris"), 0, false},
		// A weekday instead of a date.
		{"You've hit your limit · resets Mon 11:00 PM", LimitPlan, "", at(2026, 12, 7, 23, 0, "Europe/Paris"), 0, false},
		// claude.ai's free plan: the reset after "until" (cold walk: "a
		// time the message does not name").
		{"You are out of free messages until 5 PM", LimitPlan, "", at(2026, 12, 2, 17, 0, "Europe/Paris"), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			d := Diagnose(tt.text)
			if !d.Known() || d.Entry.ID != catalogue.EntryUsageLimit {
				t.Fatalf("diagnosed %v (on %q), want usage_limit", d.Entry, d.Matched)
			}
			if strings.Count(d.Matched, "`")%2 != 0 || strings.Count(d.Matched, `"`)%2 != 0 {
				t.Errorf("matched %q has an unbalanced quote", d.Matched)
			}
			lim, ok := ReadLimit(d, nil, nil, now, paris)
			if !ok {
				t.Fatal("ReadLimit: not a limit")
			}
			if lim.Kind != tt.kind || lim.Model != tt.model {
				t.Errorf("kind %s %q, want %s %q", lim.Kind, lim.Model, tt.kind, tt.model)
			}
			if !lim.Reset.Equal(tt.reset) || lim.In != tt.in || lim.DateOnly != tt.dateOnly {
				t.Errorf("reset %v in %v date-only %v, want %v in %v date-only %v", lim.Reset, lim.In, lim.DateOnly, tt.reset, tt.in, tt.dateOnly)
			}
			says := strings.Join(LimitSays(d, nil, nil, nil, now, 0, paris), "\n")
			for _, want := range []string{"not an outage", "what to do: "} {
				if !strings.Contains(says, want) {
					t.Errorf("says lacks %q:\n%s", want, says)
				}
			}
			if !tt.reset.IsZero() && !tt.dateOnly && !strings.Contains(says, tt.reset.In(paris).Format("15:04")+" "+ZoneName(tt.reset, paris)) {
				t.Errorf("says does not give the reset in the viewer's zone, named (%s %s):\n%s", tt.reset.In(paris).Format("15:04"), ZoneName(tt.reset, paris), says)
			}
		})
	}
}

// TestLimitSays: the three sentences — which allowance and the API, when
// it comes back (in the viewer's zone, named, and from where), what to do.
func TestLimitSays(t *testing.T) {
	la := mustZone(t, "America/Los_Angeles")
	// 23:38 in Los Angeles: the limit resets at 00:50, in 1h 12m.
	now := time.Date(2026, 3, 4, 23, 38, 0, 0, la)
	apiOK := map[probe.Target][]probe.Result{probe.TargetAPI: {{Target: probe.TargetAPI, Time: now.Add(-20 * time.Second), Class: probe.ClassOK, HTTPStatus: 401}}}
	d := Diagnose("You've hit your session limit · resets 12:50am (America/Los_Angeles)")
	got := strings.Join(LimitSays(d, nil, nil, apiOK, now, 3*time.Minute, la), "\n")
	want := "the notice says your plan's 5-hour window is used up: a limit of your Claude subscription, not an outage; the API itself is fine\n" +
		`it resets at 00:50 PST (America/Los_Angeles), in 1h 12m (the message says "12:50am (America/Los_Angeles)")` + "\n" +
		"what to do: wait for the reset; to go on before it, turn on extra usage for your plan, /upgrade it, or /login with an API account billed per token"
	if got != want {
		t.Errorf("from the text:\n got %q\nwant %q", got, want)
	}
	// Read by a viewer in Paris: the same instant, in the viewer's zone.
	paris := mustZone(t, "Europe/Paris")
	got = strings.Join(LimitSays(d, nil, nil, apiOK, now, 3*time.Minute, paris), "\n")
	if !strings.Contains(got, "it resets at 09:50 CET (Europe/Paris), in 1h 12m") {
		t.Errorf("in Paris: %q", got)
	}

	// Anthropic's own answer beats the text.
	l := &probe.LocalReport{CodeUsage: &probe.CodeUsage{Limits: []probe.CodeLimit{{Name: "five_hour", Utilization: 100, ResetsAt: now.Add(30 * time.Minute)}}}}
	got = strings.Join(LimitSays(d, l, nil, apiOK, now, 3*time.Minute, la), "\n")
	if want := "it resets at 00:08 PST (America/Los_Angeles), in 30m (Anthropic's usage answer: 100% used)"; !strings.Contains(got, want) {
		t.Errorf("from the usage call:\n got %q\nwant %q", got, want)
	}

	// No time in the text and no usage call: the transcripts' block, said
	// to be an estimate; the API failing is said too.
	d = Diagnose("You've hit your limit")
	r := &probe.SessionsReport{Window: probe.CodeWindow{Current: &probe.UsageBlock{End: now.Add(2 * time.Hour)}}}
	api529 := map[probe.Target][]probe.Result{probe.TargetAPI: {{Target: probe.TargetAPI, Time: now.Add(-20 * time.Second), Class: probe.ClassOverloaded, HTTPStatus: 529}}}
	got = strings.Join(LimitSays(d, nil, r, api529, now, 3*time.Minute, la), "\n")
	for _, want := range []string{"separately, the API itself from here: overloaded", "it resets at 01:38 PST (America/Los_Angeles), in 2h 00m (estimated from your transcripts' 5-hour block"} {
		if !strings.Contains(got, want) {
			t.Errorf("estimated:\n got %q\nwant %q", got, want)
		}
	}
	// "You've hit your limit" names no window: Anthropic's answer says
	// which one is full.
	lw := &probe.LocalReport{CodeUsage: &probe.CodeUsage{Limits: []probe.CodeLimit{{Name: "five_hour", Utilization: 40, ResetsAt: now.Add(time.Hour)}, {Name: "seven_day", Utilization: 100, ResetsAt: now.Add(50 * time.Hour)}}}}
	got = strings.Join(LimitSays(d, lw, nil, apiOK, now, 3*time.Minute, la), "\n")
	if !strings.Contains(got, "your plan's weekly limit is used up") || !strings.Contains(got, "Sat 7 Mar 01:38 PST") {
		t.Errorf("weekly from the usage answer: %q", got)
	}

	// An old notice: its reset has passed, said so, and "try again"; a
	// year past, it is an old notice (TestOldLimitNoticeIsNoResetAhead).
	d = Diagnose("Claude AI usage limit reached|1764700000")
	got = strings.Join(LimitSays(d, nil, nil, apiOK, time.Unix(1764700000, 0).Add(365*24*time.Hour), 0, time.UTC), "\n")
	for _, want := range []string{"was used up", "a year ago (Tue 2 Dec 2025 18:26 UTC): an old notice", "what to do: try again"} {
		if !strings.Contains(got, want) {
			t.Errorf("old stamp lacks %q: %q", want, got)
		}
	}
	got = strings.Join(LimitSays(d, nil, nil, apiOK, time.Unix(1764700000, 0).Add(3*24*time.Hour), 0, time.UTC), "\n")
	for _, want := range []string{"was used up", "its reset was at Tue 2 Dec 18:26 UTC, 3d ago", "likely lifted — try again"} {
		if !strings.Contains(got, want) {
			t.Errorf("stamp 3 days past lacks %q: %q", want, got)
		}
	}
	// Other errors: nothing.
	if got := LimitSays(Diagnose("API Error: 529 Overloaded"), nil, nil, apiOK, now, 0, la); got != nil {
		t.Errorf("529: %q", got)
	}
}

// TestLimitJSON: diagnose --json carries the limit's reading (kind, reset
// in UTC, where it came from) and its sentences among live.says.
func TestLimitJSON(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	now := time.Date(2026, 12, 2, 6, 50, 0, 0, paris)
	d := Diagnose("5-hour limit reached ∙ resets 11am")
	var j struct {
		Problem string `json:"problem"`
		Limit   struct {
			Kind        string    `json:"kind"`
			ResetsAt    time.Time `json:"resets_at"`
			ResetSource string    `json:"reset_source"`
			ResetSaid   string    `json:"reset_said"`
			Earlier     bool      `json:"reset_earlier"`
			Says        []string  `json:"says"`
		} `json:"limit"`
		Live struct {
			Says []string `json:"says"`
		} `json:"live"`
	}
	if err := json.Unmarshal(JSON(d, Evidence{Now: now}), &j); err != nil {
		t.Fatal(err)
	}
	if j.Problem != "usage_limit" || j.Limit.Kind != "five_hour" || j.Limit.ResetSource != "message" || j.Limit.ResetSaid != "11am" || j.Limit.Earlier {
		t.Errorf("limit %+v", j)
	}
	if want := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC); !j.Limit.ResetsAt.Equal(want) {
		t.Errorf("resets_at %v, want %v", j.Limit.ResetsAt, want)
	}
	if len(j.Limit.Says) != 3 || !strings.Contains(strings.Join(j.Live.Says, "\n"), j.Limit.Says[1]) {
		t.Errorf("says: limit %q, live %q", j.Limit.Says, j.Live.Says)
	}
	// Not a limit: no limit field.
	if b := JSON(Diagnose("API Error: 529 Overloaded"), Evidence{Now: now}); strings.Contains(string(b), `"limit"`) {
		t.Errorf("529 has a limit: %s", b)
	}
}

// TestResetCountdownReadsTheSameEverywhere: one reset from Anthropic's
// usage answer reads one countdown in the pasted-error / diagnose
// sentence and in the Live window line — "1h 12m" in both, never
// "1 h 12 min" beside "1h 12m" — at every length, including under a
// minute and past two days.
func TestResetCountdownReadsTheSameEverywhere(t *testing.T) {
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	apiOK := map[probe.Target][]probe.Result{probe.TargetAPI: {{Target: probe.TargetAPI, Time: now.Add(-20 * time.Second), Class: probe.ClassOK, HTTPStatus: 401}}}
	d := Diagnose("You've hit your session limit")
	for _, tt := range []struct {
		in   time.Duration
		want string
	}{
		{30 * time.Second, "<1m"},
		{12*time.Minute + 59*time.Second, "12m"},
		{72 * time.Minute, "1h 12m"},
		{2*time.Hour + 5*time.Minute, "2h 05m"},
		{3 * time.Hour, "3h 00m"},
		{50 * time.Hour, "2d 2h"},
	} {
		u := &probe.CodeUsage{Time: now.Add(-10 * time.Second), Limits: []probe.CodeLimit{{Name: "five_hour", Utilization: 100, ResetsAt: now.Add(tt.in)}}}
		if got := Countdown(tt.in); got != tt.want {
			t.Errorf("Countdown(%v) = %q, want %q", tt.in, got, tt.want)
		}
		says := strings.Join(LimitSays(d, &probe.LocalReport{CodeUsage: u}, nil, apiOK, now, 0, time.UTC), "\n")
		if !strings.Contains(says, ", in "+tt.want+" (Anthropic's usage answer") {
			t.Errorf("%v: limit sentence lacks %q:\n%s", tt.in, "in "+tt.want, says)
		}
		if line := WindowLine(nil, u, now, time.UTC); !strings.Contains(line, ", in "+tt.want) {
			t.Errorf("%v: window line lacks %q: %s", tt.in, "in "+tt.want, line)
		}
	}
	// Passed: "… ago" in the same form.
	d = Diagnose("Claude AI usage limit reached|1764700000")
	got := strings.Join(LimitSays(d, nil, nil, apiOK, time.Unix(1764700000, 0).Add(72*time.Minute), 0, time.UTC), "\n")
	if !strings.Contains(got, ", 1h 12m ago") {
		t.Errorf("a passed reset: %q", got)
	}
}
