package diagnose

import (
	"strings"
	"testing"
	"time"
)

// TestOldLimitNoticeIsNoResetAhead (cold9 E3): a notice's date names no
// year, and a reset is never further ahead than its allowance spans (a
// week's 7 days, a month's 31). "resets May 5 at 9pm" pasted in December
// was read as a reset on 6 May 2027, five months ahead; it is May's, seven
// months past — an old notice, said so, never a wait.
func TestOldLimitNoticeIsNoResetAhead(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	ny := mustZone(t, "America/New_York")
	utc := time.UTC
	// Friday 4 December 2026, 13:35 UTC.
	now := time.Date(2026, 12, 4, 13, 35, 0, 0, time.UTC)
	for _, tt := range []struct {
		text  string
		reset time.Time
		old   bool
		says  string // in its lines
	}{
		// The tester's paste, with and without a window named.
		{"5-hour limit reached ∙ resets May 5 at 9pm (America/New_York)", time.Date(2026, 5, 5, 21, 0, 0, 0, ny), true,
			`this notice names "May 5 at 9pm (America/New_York)", 7 months ago (Wed 6 May 2026 03:00 CEST (Europe/Paris)): an old notice — its limit has likely lifted long since; if you see it now, paste the current one`},
		{"You've hit your limit · resets May 5 at 9pm (America/New_York)", time.Date(2026, 5, 5, 21, 0, 0, 0, ny), true, "7 months ago"},
		// A week resets within 7 days: "Jan 3" read on 4 December is 30
		// days ahead, too far for a week — January's, 11 months past.
		{"You've hit your weekly limit · resets Jan 3, 2am (UTC)", time.Date(2026, 1, 3, 2, 0, 0, 0, utc), true, "11 months ago"},
		// A day without an hour.
		{"Opus weekly limit reached ∙ resets Jun 8", time.Date(2026, 6, 8, 0, 0, 0, 0, paris), true, `this notice names "Jun 8", 6 months ago (Mon 8 Jun 2026)`},
		// Near dates stay what they were: next week's, next month's, last week's.
		{"You've hit your weekly limit · resets Dec 7, 2am (UTC)", time.Date(2026, 12, 7, 2, 0, 0, 0, utc), false, "it resets at Mon 7 Dec 03:00 CET"},
		{"You've hit your limit · resets Jan 3 at 9pm (America/New_York)", time.Date(2027, 1, 3, 21, 0, 0, 0, ny), false, "in 30d"},
		{"You've hit your weekly limit · resets Nov 28, 2am (UTC)", time.Date(2026, 11, 28, 2, 0, 0, 0, utc), false, "its reset was at Sat 28 Nov 03:00 CET (Europe/Paris), 6d 11h ago"},
		// A clock time without a date is the next one in the zone it names.
		{"Claude usage limit reached. Your limit will reset at 9pm (America/New_York).", time.Date(2026, 12, 4, 21, 0, 0, 0, ny), false,
			`it resets at 03:00 CET (Europe/Paris), in 12h 25m (the message says "9pm (America/New_York)")`},
	} {
		d := Diagnose(tt.text)
		lim, ok := ReadLimit(d, nil, nil, now, paris)
		if !ok {
			t.Errorf("%q: not read as a usage limit (%v)", tt.text, d.Entry)
			continue
		}
		if !lim.Reset.Equal(tt.reset) || lim.Old(now) != tt.old {
			t.Errorf("%q: reset %v old %v, want %v old %v", tt.text, lim.Reset.UTC(), lim.Old(now), tt.reset.UTC(), tt.old)
		}
		says := strings.Join(LimitSays(d, nil, nil, nil, now, 0, paris), "\n")
		if !strings.Contains(says, tt.says) {
			t.Errorf("%q says:\n%s\nwant in it: %s", tt.text, says, tt.says)
		}
		if tt.old && (strings.Contains(says, "2027") || strings.Contains(says, "wait for the reset")) {
			t.Errorf("%q: an old notice said as a reset ahead:\n%s", tt.text, says)
		}
	}
}
