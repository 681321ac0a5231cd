package diagnose

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestFiveHourResetIsNeverFurtherThanFiveHours (cold5 D9): a 5-hour
// window resets within 5 hours of the notice, so a bare clock time whose
// next occurrence is further away meant an earlier one, which has passed:
// the limit has likely lifted, never "resets in 19h". A notice that names
// no window says both; a weekly one, or one with a date, is read as said.
func TestFiveHourResetIsNeverFurtherThanFiveHours(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	at := func(d, h, m int, z string) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, mustZone(t, z)) }
	tests := []struct {
		name, text string
		now        time.Time
		reset      time.Time // what ReadLimit reads
		earlier    bool
		ifSession  time.Time
		want, not  []string
	}{
		{name: "3pm read at 8pm", text: "You've hit your 5-hour limit · resets 3pm", now: at(2, 20, 0, "Europe/Paris"),
			reset: at(2, 15, 0, "Europe/Paris"), earlier: true,
			want: []string{"your plan's 5-hour window was used up",
				`its reset has likely passed: the message says "3pm", and the next 15:00 is 19h 00m away, further than a 5-hour window reaches, so it meant an earlier one — the last was 15:00 CET (Europe/Paris), 5h 00m ago`,
				"the limit has likely lifted — try again"},
			not: []string{"resets at", "in 19h"}},
		{name: "11pm read at 8pm", text: "5-hour limit reached ∙ resets 11pm", now: at(2, 20, 0, "Europe/Paris"),
			reset: at(2, 23, 0, "Europe/Paris"), want: []string{"it resets at 23:00 CET (Europe/Paris), in 3h 00m", "is used up"}, not: []string{"likely passed"}},
		{name: "exactly 5 h ahead is still to come", text: "5-hour limit reached ∙ resets 1am", now: at(2, 20, 0, "Europe/Paris"),
			reset: at(3, 1, 0, "Europe/Paris"), want: []string{"it resets at 01:00 CET (Europe/Paris), in 5h 00m"}},
		{name: "midnight ahead", text: "You've hit your session limit · resets 12am", now: at(2, 20, 0, "Europe/Paris"),
			reset: at(3, 0, 0, "Europe/Paris"), want: []string{"it resets at 00:00 CET (Europe/Paris), in 4h 00m"}},
		{name: "12:30am read at 1am: the one half an hour ago", text: "You've hit your session limit · resets 12:30am", now: at(2, 1, 0, "Europe/Paris"),
			reset: at(2, 0, 30, "Europe/Paris"), earlier: true, want: []string{"the next 00:30 is 23h 30m away", "the last was 00:30 CET (Europe/Paris), 30m ago"}},
		{name: "noon read at 6am: yesterday's", text: "You've hit your session limit · resets 12pm", now: at(2, 6, 0, "Europe/Paris"),
			reset: at(1, 12, 0, "Europe/Paris"), earlier: true, want: []string{"the next 12:00 is 6h 00m away", "the last was 12:00 CET (Europe/Paris), 18h 00m ago"}},
		{name: "the zone the message names, ahead", text: "You've hit your session limit · resets 3pm (America/New_York)", now: at(2, 20, 0, "Europe/Paris"),
			reset: at(2, 15, 0, "America/New_York"), want: []string{"it resets at 21:00 CET (Europe/Paris), in 1h 00m"}},
		{name: "the zone the message names, passed", text: "You've hit your session limit · resets 9am (America/New_York)", now: at(2, 20, 0, "Europe/Paris"),
			reset: at(2, 9, 0, "America/New_York"), earlier: true, want: []string{`the message says "9am (America/New_York)", and the next 15:00 is 19h 00m away`, "the last was 15:00 CET (Europe/Paris), 5h 00m ago"}},
		{name: "no window named: both", text: "You've hit your limit · resets 3pm", now: at(2, 20, 0, "Europe/Paris"),
			reset: at(3, 15, 0, "Europe/Paris"), ifSession: at(2, 15, 0, "Europe/Paris"),
			want: []string{"is used up", "it resets at 15:00 CET (Europe/Paris), in 19h 00m", "if this is the weekly limit; if it is the 5-hour window, that cannot reset 19h 00m ahead, so it meant an earlier 15:00 and has likely lifted already (the last was 5h 00m ago)",
				"what to do: try again first"}},
		{name: "weekly: as said", text: "You've hit your weekly limit · resets 3pm", now: at(2, 20, 0, "Europe/Paris"),
			reset: at(3, 15, 0, "Europe/Paris"), want: []string{"it resets at 15:00 CET (Europe/Paris), in 19h 00m"}, not: []string{"5-hour", "likely"}},
		{name: "a date: as said", text: "5-hour limit reached ∙ resets Dec 3, 3pm", now: at(2, 20, 0, "Europe/Paris"),
			reset: at(3, 15, 0, "Europe/Paris"), want: []string{"in 19h 00m"}, not: []string{"likely passed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diagnose(tt.text)
			lim, ok := ReadLimit(d, nil, nil, tt.now, paris)
			if !ok {
				t.Fatalf("not a limit: %v", d.Entry)
			}
			if !lim.Reset.Equal(tt.reset) || lim.Earlier != tt.earlier || !lim.IfSession.Equal(tt.ifSession) {
				t.Errorf("reset %v earlier %v if-session %v, want %v %v %v", lim.Reset, lim.Earlier, lim.IfSession, tt.reset, tt.earlier, tt.ifSession)
			}
			says := strings.Join(LimitSays(d, nil, nil, nil, tt.now, 0, paris), "\n")
			for _, w := range tt.want {
				if !strings.Contains(says, w) {
					t.Errorf("missing %q:\n%s", w, says)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(says, n) {
					t.Errorf("says %q:\n%s", n, says)
				}
			}
			var j struct {
				Limit struct {
					ResetsAt  time.Time  `json:"resets_at"`
					Earlier   bool       `json:"reset_earlier"`
					IfSession *time.Time `json:"reset_if_five_hour"`
				} `json:"limit"`
			}
			if err := json.Unmarshal(JSON(d, Evidence{Now: tt.now.In(paris)}), &j); err != nil {
				t.Fatal(err)
			}
			if !j.Limit.ResetsAt.Equal(tt.reset) || j.Limit.Earlier != tt.earlier || (j.Limit.IfSession != nil) != !tt.ifSession.IsZero() {
				t.Errorf("json %+v", j.Limit)
			}
		})
	}
}
