package diagnose

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

var sayNow = time.Date(2026, 3, 4, 14, 10, 0, 0, time.UTC)

func sess(ago time.Duration, class probe.Class, status int, reqID string) probe.Result {
	return probe.Result{Target: probe.TargetSessions, Time: sayNow.Add(-ago), Class: class, HTTPStatus: status, RequestID: reqID}
}

// limitSess is a session call refused with a subscription's own words.
func limitSess(ago time.Duration) probe.Result {
	return limitSessSaid(ago, "resets 9:50am (America/Los_Angeles)") // 17:50 UTC, 3h 40m after sayNow
}

// limitSessSaid is limitSess with the reset it names.
func limitSessSaid(ago time.Duration, reset string) probe.Result {
	r := sess(ago, probe.ClassRateLimited, 429, "")
	r.ErrorType, r.Message = "rate_limit", "You've hit your session limit · "+reset
	return r
}

func TestSessionsLine(t *testing.T) {
	tests := []struct {
		name  string
		rep   *probe.SessionsReport
		want  string
		worst probe.Class
	}{
		{name: "not yet", rep: nil, want: "reading Claude Code's transcripts…", worst: probe.ClassUnknown},
		{name: "no directory", rep: &probe.SessionsReport{Dir: "~/.claude/projects"}, want: "no transcripts in ~/.claude/projects", worst: probe.ClassUnknown},
		{
			name: "errors in the last 15 min",
			rep: &probe.SessionsReport{Found: true, Recent: []probe.Result{
				sess(20*time.Minute, probe.ClassOverloaded, 529, "req_old"),
				sess(9*time.Minute, probe.ClassOverloaded, 529, "req_a"),
				sess(8*time.Minute, probe.ClassOK, 0, ""),
				sess(7*time.Minute, probe.ClassRateLimited, 429, "req_b"),
				sess(7*time.Minute+50*time.Second, probe.ClassOverloaded, 529, "req_011CXPBk57rUbKp5XVtievhP"),
			}},
			want:  "3 API errors in the last 15 min: 529 overloaded ×2, 429 ×1 · last 14:03:00 req_b",
			worst: probe.ClassRateLimited,
		},
		{
			name:  "quiet hour",
			rep:   &probe.SessionsReport{Found: true, Recent: []probe.Result{sess(50*time.Minute, probe.ClassOK, 0, ""), sess(5*time.Minute, probe.ClassOK, 0, "")}},
			want:  "no errors in the last hour, 2 requests",
			worst: probe.ClassOK,
		},
		{
			name:  "errors earlier in the hour",
			rep:   &probe.SessionsReport{Found: true, Recent: []probe.Result{sess(50*time.Minute, probe.ClassNetwork, 0, ""), sess(5*time.Minute, probe.ClassOK, 0, "")}},
			want:  "no errors in the last 15 min; 1 in the last hour, 2 requests",
			worst: probe.ClassOK,
		},
		{
			name: "reading the backlog",
			rep: &probe.SessionsReport{Found: true, Progress: probe.SessionProgress{Files: 3, Done: 1 << 29, Size: 1 << 30, Reading: true},
				Window: probe.CodeWindow{Current: &probe.UsageBlock{Last: sayNow.Add(-2 * time.Hour)}}},
			want:  "reading the history: 50% of 1.0 GB · no calls in the last hour (the last 2h 00m ago)",
			worst: probe.ClassUnknown,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, worst := SessionsLine(tt.rep, sayNow, time.UTC)
			if !strings.HasPrefix(got, tt.want) || worst != tt.worst {
				t.Errorf("got %q (%v), want %q (%v)", got, worst, tt.want, tt.worst)
			}
		})
	}
}

func TestWindowLine(t *testing.T) {
	start := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	w := probe.CodeWindow{Current: &probe.UsageBlock{Start: start, End: start.Add(probe.BlockLength), First: start.Add(22 * time.Minute),
		Last: sayNow, Tokens: probe.Tokens{Input: 1000, Output: 100_000, CacheCreation: 200_000, CacheRead: 1_800_000}}}
	rep := &probe.SessionsReport{Found: true, Window: w}
	u := &probe.CodeUsage{Limits: []probe.CodeLimit{{Name: "five_hour", Utilization: 61}}}
	for _, tt := range []struct {
		name string
		r    *probe.SessionsReport
		u    *probe.CodeUsage
		want string
	}{
		// The block alone: its end is an estimate, and says so.
		{"block only", rep, nil, "50m left (estimated from your sessions) · 2.1 M tokens so far · burn 9 k/min"},
		{"plan known, no reset", rep, u, "50m left (estimated from your sessions) · 2.1 M tokens so far · burn 9 k/min · plan 5-hour 61%"},
		// Anthropic's reset leads; the block's countdown is not said beside it.
		{"plan resets", rep, &probe.CodeUsage{Limits: []probe.CodeLimit{{Name: "five_hour", Utilization: 61, ResetsAt: sayNow.Add(40*time.Minute + 30*time.Second)}}},
			"plan 5-hour 61%, resets 14:50, in 40m · 2.1 M tokens so far · burn 9 k/min"},
		// cold2 C8: the session's limit message names the reset; it leads.
		{"limit message", &probe.SessionsReport{Found: true, Window: w, Recent: []probe.Result{limitSess(3 * time.Minute)}}, nil,
			"limit resets 17:50, in 3h 40m (your session's limit message) · 2.1 M tokens so far · burn 9 k/min"},
		// cold5 D9: a 5-hour window's "resets 12:50am", shown at 06:07 in Los
		// Angeles, meant the 00:50 before it (the next is 18 h on): passed,
		// so the block's estimate is all there is.
		{"limit message, its reset passed", &probe.SessionsReport{Found: true, Window: w, Recent: []probe.Result{limitSessSaid(3*time.Minute, "resets 12:50am (America/Los_Angeles)")}}, nil,
			"50m left (estimated from your sessions) · 2.1 M tokens so far · burn 9 k/min"},
		{"no block", &probe.SessionsReport{Found: true}, &probe.CodeUsage{Unavailable: "x"}, "no answered call in the last 5 h"},
		// Failed calls only, and the plan's own 5-hour usage known: the line
		// must not deny a window the plan reports, nor deny calls the
		// sessions line counts.
		{"no block, plan", &probe.SessionsReport{Found: true}, u, "no answered call in the last 5 h · plan 5-hour 61%"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := WindowLine(tt.r, tt.u, sayNow, time.UTC); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestPlanReset: Anthropic's word on the reset — the usage call's answer,
// else the newest limit message's clock, read from when it was written —
// and nothing once it has passed or for a weekly limit.
func TestPlanReset(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no time zone data")
	}
	msgAt := time.Date(2026, 3, 4, 23, 38, 0, 0, la) // 07:38 UTC; resets 12:50am LA = 08:50 UTC
	limit := func(at time.Time, msg string) probe.Result {
		return probe.Result{Target: probe.TargetSessions, Time: at, Class: probe.ClassRateLimited, HTTPStatus: 429, ErrorType: "rate_limit", Message: msg}
	}
	msg := "You've hit your session limit · resets 12:50am (America/Los_Angeles)"
	rep := &probe.SessionsReport{Found: true, Recent: []probe.Result{limit(msgAt, msg)}}
	want := time.Date(2026, 3, 5, 8, 50, 0, 0, time.UTC)
	// Read an hour later, the clock is still the one after the message.
	if got, ok := PlanReset(nil, rep, msgAt.Add(time.Hour), time.UTC); !ok || !got.At.Equal(want) || got.FromUsage || !got.Asked.Equal(msgAt) {
		t.Errorf("from the message: %+v %v, want %v", got, ok, want)
	}
	if _, ok := PlanReset(nil, rep, want.Add(time.Minute), time.UTC); ok {
		t.Error("a reset that has passed is still said")
	}
	u := &probe.CodeUsage{Time: msgAt, Limits: []probe.CodeLimit{{Name: "five_hour", Utilization: 100, ResetsAt: want.Add(-5 * time.Minute)}}}
	if got, ok := PlanReset(u, rep, msgAt, time.UTC); !ok || !got.FromUsage || !got.At.Equal(want.Add(-5*time.Minute)) {
		t.Errorf("the usage call does not lead: %+v", got)
	}
	if _, ok := PlanReset(&probe.CodeUsage{Rejected: true}, &probe.SessionsReport{Recent: []probe.Result{limit(msgAt, "You've hit your weekly limit · resets Mon 9am (America/Los_Angeles)")}}, msgAt, time.UTC); ok {
		t.Error("a weekly limit's reset taken for the 5-hour window")
	}
}

func TestSessionsSay(t *testing.T) {
	api := func(ago time.Duration, c probe.Class, status int) map[probe.Target][]probe.Result {
		return map[probe.Target][]probe.Result{probe.TargetAPI: {{Target: probe.TargetAPI, Time: sayNow.Add(-ago), Class: c, HTTPStatus: status}}}
	}
	green := &probe.Status{Components: []probe.Component{{ID: "k8w3r06qmzrp", Name: "Claude API", Status: "operational"}}}
	red := &probe.Status{Components: []probe.Component{{ID: "k8w3r06qmzrp", Name: "Claude API", Status: "major_outage"}}}
	rep := func(rs ...probe.Result) *probe.SessionsReport { return &probe.SessionsReport{Found: true, Recent: rs} }
	authSess := func(msg string) probe.Result {
		return probe.Result{Target: probe.TargetSessions, Time: sayNow.Add(-time.Minute), Class: probe.ClassAuth, HTTPStatus: 401, ErrorType: "authentication_error", Message: msg}
	}
	elsewhere := &probe.LocalReport{APIURL: "http://127.0.0.1:4000", APIURLFrom: "--api-url", CodeURL: probe.DefaultAPIURL}
	tests := []struct {
		name   string
		rep    *probe.SessionsReport
		recent map[probe.Target][]probe.Result
		st     *probe.Status
		want   string
		local  *probe.LocalReport
	}{
		{"no errors", rep(sess(time.Minute, probe.ClassOK, 0, "")), api(time.Minute, probe.ClassOK, 401), green, "", nil},
		{"529 on both, page green", rep(sess(8*time.Minute, probe.ClassOverloaded, 529, "")), api(10*time.Second, probe.ClassOverloaded, 529), green,
			"your sessions got 529 overloaded at 14:02:00 — our API probe also sees 529 overloaded (14:09:50): Anthropic overloaded, not yet acknowledged", nil},
		{"529 on both, page red", rep(sess(8*time.Minute, probe.ClassOverloaded, 529, "")), api(10*time.Second, probe.ClassOverloaded, 529), red,
			"acknowledged on the status page", nil},
		{"529 in sessions only", rep(sess(time.Minute, probe.ClassOverloaded, 529, "")), api(10*time.Second, probe.ClassOK, 401), green,
			"while our API probe passes (14:09:50): likely the model or path Claude Code uses", nil},
		{"429 while the API answers", rep(sess(time.Minute, probe.ClassRateLimited, 429, ""), sess(2*time.Minute, probe.ClassRateLimited, 429, "")), api(10*time.Second, probe.ClassOK, 401), green,
			"your sessions got 2 errors in 15 min, the last 429 at 14:09:00 while the API answers (14:09:50): likely a rate limit of your plan or API key, not an outage", nil},
		{"usage limit while the API answers", rep(limitSess(time.Minute)), api(10*time.Second, probe.ClassOK, 401), green,
			"your sessions got 429 at 14:09:00 while the API answers (14:09:50): your plan's limit, not an outage", nil},
		{"401 naming nothing", rep(sess(time.Minute, probe.ClassAuth, 401, "")), api(10*time.Second, probe.ClassOK, 401), green, "the credential Claude Code sent is refused — Local checks show which it sends here: /login for its login, else the key", nil},
		{"401 OAuth expired", rep(authSess("OAuth token has expired.")), api(10*time.Second, probe.ClassOK, 401), green, "Claude Code's login is refused — run /login", nil},
		{"401 invalid key", rep(authSess("invalid x-api-key")), api(10*time.Second, probe.ClassOK, 401), green, "the key Claude Code sent is refused", nil},
		{"network in sessions only", rep(probe.Result{Target: probe.TargetSessions, Time: sayNow.Add(-time.Minute), Class: probe.ClassNetwork, ErrorType: "reset"}), api(10*time.Second, probe.ClassOK, 401), green,
			"your sessions got network reset at 14:09:00 while our probes reach the API from this machine", nil},
		{"stale probes", rep(sess(time.Minute, probe.ClassOverloaded, 529, "")), api(time.Hour, probe.ClassOK, 401), green, "our API probes have no fresh answer to compare", nil},
		// --api-url given to downforai alone: our probe's answer is not
		// what Claude Code's calls meet, so it is never compared.
		{"probe elsewhere, 529 in sessions", rep(sess(time.Minute, probe.ClassOverloaded, 529, "")), api(10*time.Second, probe.ClassOK, 401), green,
			"your sessions got 529 overloaded at 14:09:00 — our API probe goes to --api-url (http://127.0.0.1:4000), not where Claude Code calls (api.anthropic.com), so it does not compare", elsewhere},
		{"probe elsewhere, usage limit", rep(limitSess(time.Minute)), api(10*time.Second, probe.ClassOK, 401), green, "so it does not compare", elsewhere},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(SessionsSay(tt.rep, tt.recent, tt.st, tt.local, sayNow, 3*time.Minute, time.UTC), "\n")
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
