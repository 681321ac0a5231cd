package judge

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// Boundaries of the incident logic, each pinned by a case on either side:
// mutation testing (.ci/mutation judge) found them unguarded.

func TestEvidenceLine(t *testing.T) {
	l := &probe.LocalReport{APIURL: "https://api.anthropic.com/", StatusURL: "https://status.claude.com", ClaudeURL: "https://claude.ai"}
	at := time.Date(2026, 9, 3, 14, 2, 11, 0, time.UTC)
	for _, tt := range []struct {
		r    probe.Result
		want string
	}{
		{probe.Result{Target: probe.TargetAPIKey, Time: at, HTTPStatus: 401, ErrorType: "authentication_error",
			Message: "401 authentication_error: invalid x-api-key", RequestID: "req_011CSHoEeqs5C35K2UUqR7Fy"},
			`GET https://api.anthropic.com/v1/models → 401 authentication_error "invalid x-api-key" · request-id req_011CSHoEeqs5C35K2UUqR7Fy · 14:02:11 UTC`},
		{probe.Result{Target: probe.TargetStatus, Time: at, Message: "DNS lookup of status.claude.com failed"},
			`GET https://status.claude.com/api/v2/summary.json → "DNS lookup of status.claude.com failed" · 14:02:11 UTC`},
		{probe.Result{Target: probe.TargetClaudeAI, Time: at, HTTPStatus: 403, Message: "403 Forbidden"},
			`GET https://claude.ai/ → 403 "403 Forbidden" · 14:02:11 UTC`},
		{probe.Result{Target: probe.TargetCode, Time: at, ErrorType: "exit", Message: "exit: status 1"},
			`claude --version → exit "status 1" · 14:02:11 UTC`},
	} {
		if got := EvidenceLine(tt.r, l, nil); got != tt.want {
			t.Errorf("EvidenceLine =\n  %s\nwant\n  %s", got, tt.want)
		}
	}
	if got := Endpoint(probe.TargetAPI, nil); got != "GET /v1/models" {
		t.Errorf("Endpoint without a report: %q", got)
	}
}

func TestCorrelateTies(t *testing.T) {
	api := ours(probe.KindProvider, "api", t0, t0.Add(min_(30)))
	near := officialIncident("near", t0.Add(min_(2)), time.Time{}, compAPI)
	far := officialIncident("far", t0.Add(-min_(120)), time.Time{}, compAPI)
	// Both overlap: the one posted closer to our first failure wins, in
	// either order.
	for _, list := range [][]probe.Incident{{near, far}, {far, near}} {
		if in, _ := Correlate(api, list); in.ID != "near" {
			t.Errorf("%s first: linked %q", list[0].ID, in.ID)
		}
	}
	// Equally close: the first listed (the page lists newest first) stays.
	a := officialIncident("a", t0.Add(min_(5)), time.Time{}, compAPI)
	b := officialIncident("b", t0.Add(-min_(5)), time.Time{}, compAPI)
	if in, _ := Correlate(api, []probe.Incident{a, b}); in.ID != "a" {
		t.Errorf("tie: linked %q, want the first", in.ID)
	}
}

func TestLeadLagAtTheMinute(t *testing.T) {
	now := t0.Add(3 * time.Hour)
	maint := func(start, end time.Time) probe.Incident {
		return probe.Incident{ID: "m", Impact: "maintenance", Status: "completed", StartedAt: start, ScheduledFor: start, ResolvedAt: end, Components: []string{compAPI}}
	}
	l := ours(probe.KindProvider, "api", t0, t0.Add(min_(20)))
	for _, tt := range []struct {
		name string
		in   probe.Incident
		want []string
	}{
		{"maintenance began a minute before", maint(t0.Add(-min_(1)), t0.Add(min_(21))),
			[]string{"our probes began failing 1 min into Anthropic's maintenance", "Anthropic completed it 1 min after our probes recovered"}},
		{"maintenance began later", maint(t0.Add(min_(4)), t0.Add(min_(19))),
			[]string{"our probes began failing 4 min before Anthropic's maintenance began", "Anthropic completed it 1 min before our probes recovered"}},
		{"posted a minute after", officialIncident("a", t0.Add(min_(1)), t0.Add(min_(19)), compAPI),
			[]string{"our probes saw this 1 min before Anthropic posted it", "Anthropic resolved it 1 min before our probes recovered"}},
		{"posted a minute before", officialIncident("a", t0.Add(-min_(1)), t0.Add(min_(20)), compAPI),
			[]string{"Anthropic posted this 1 min before our probes saw it", "Anthropic resolved it within a minute of our probes recovering"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := LeadLag(l, tt.in, nil, now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("LeadLag =\n  %q\nwant\n  %q", got, tt.want)
			}
		})
	}
}

func TestTimelineEntryWithoutParts(t *testing.T) {
	var e TimelineEntry
	if e.Title() != "" || e.Active() || !e.Start().IsZero() || !e.End().IsZero() {
		t.Errorf("empty entry: %q %v %v %v", e.Title(), e.Active(), e.Start(), e.End())
	}
	unnamed := probe.Incident{ID: "461yvfrzpwtt", Status: "resolved", StartedAt: t0, ResolvedAt: t0.Add(time.Hour)}
	if got := (TimelineEntry{Official: &unnamed}).Title(); got != "461yvfrzpwtt" {
		t.Errorf("an unnamed official incident is titled %q, want its id", got)
	}
	ourOnly := TimelineEntry{Local: []probe.LocalIncident{ours(probe.KindProvider, "api", t0, time.Time{})}}
	if !ourOnly.Active() {
		t.Error("our open incident alone is not active")
	}
}

// TestTimelineOrder: newest start first; the same start sorts by title;
// ours alone (more of them than official ones) are listed too.
func TestTimelineOrder(t *testing.T) {
	b := officialIncident("b", t0, t0.Add(time.Hour), compClaudeAI)
	b.Name = "Beta"
	a := officialIncident("a", t0, t0.Add(time.Hour), compCode)
	a.Name = "Alpha"
	got := Timeline([]probe.Incident{b, a}, nil)
	if len(got) != 2 || got[0].Title() != "Alpha" || got[1].Title() != "Beta" {
		t.Errorf("same start: %q, %q", got[0].Title(), got[1].Title())
	}
	var local []probe.LocalIncident
	for i := range 3 {
		l := ours(probe.KindYourSide, "api", t0.Add(time.Duration(i)*time.Hour), t0.Add(time.Duration(i)*time.Hour+min_(5)))
		l.ID = fmt.Sprint(i)
		local = append(local, l)
	}
	if got := Timeline(nil, local); len(got) != 3 || got[0].Local[0].ID != "2" {
		t.Errorf("ours alone: %d entries", len(got))
	}
}

// TestDetectorCountsEveryFailureOfALongStreak: with a fail threshold
// above the streak the detector keeps (64), the incident still counts
// every failure before it opened, and starts at the first.
func TestDetectorCountsEveryFailureOfALongStreak(t *testing.T) {
	d := NewDetector(DetectorConfig{FailThreshold: 100})
	open, _ := feed(d, times("api:529", 100))
	l := open["provider:api"]
	if l.Failures != 100 || l.Probes != 100 || l.Classes[probe.ClassOverloaded] != 100 || !l.FirstFailure.Equal(t0) {
		t.Errorf("failures %d probes %d classes %v first %v: want all 100 from %v", l.Failures, l.Probes, l.Classes, l.FirstFailure, t0)
	}
}

// TestDetectorJoinsOnlyItsOwnSubject: when an incident opens, another
// target's pending failures join it only when they are of the same
// subject.
func TestDetectorJoinsOnlyItsOwnSubject(t *testing.T) {
	open, _ := feed(NewDetector(DetectorConfig{}), seq([]string{"claude_ai:529", "api_key:529"}, times("api:529", 3)))
	l := open["provider:api"]
	if slices := fmt.Sprint(l.Targets); strings.Contains(slices, "claude_ai") || !strings.Contains(slices, "api_key") {
		t.Errorf("targets %v: want the API's two, not claude.ai", l.Targets)
	}
	if want := t0.Add(30 * time.Second); !l.FirstFailure.Equal(want) {
		t.Errorf("first failure %v, want the key probe's at %v", l.FirstFailure, want)
	}
}

// TestDetectorLinksAClosedIncidentForSixHours: an official incident
// posted after ours closed, backdated to cover it, is linked to ours for
// linkKeep after the close, and not after.
func TestDetectorLinksAClosedIncidentForSixHours(t *testing.T) {
	for _, tt := range []struct {
		after time.Duration
		link  bool
	}{{linkKeep - time.Second, true}, {linkKeep, false}} {
		now := t0
		d := NewDetector(DetectorConfig{Now: func() time.Time { return now }})
		var closed probe.LocalIncident
		for i, s := range seq(times("api:529", 3), times("api:ok", 2)) {
			for _, l := range d.Observe(probe.Event{Result: stepResult(s, i)}) {
				closed = l
			}
		}
		if closed.Active() {
			t.Fatalf("not closed: %+v", closed)
		}
		now = closed.Closed.Add(tt.after)
		in := officialIncident("late", t0, t0.Add(3*time.Minute), compAPI)
		ch := d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: now, Class: probe.ClassOK}, Official: []probe.Incident{in}})
		linked := len(ch) == 1 && ch[0].OfficialID == "late"
		if linked != tt.link {
			t.Errorf("posted %v after our close: linked %v, want %v (%+v)", tt.after, linked, tt.link, ch)
		}
	}
}

// TestDetectorReportsChangesInOrder: incidents changed by one event come
// oldest first, then by subject.
func TestDetectorReportsChangesInOrder(t *testing.T) {
	d := NewDetector(DetectorConfig{Now: func() time.Time { return t0.Add(10 * time.Minute) }})
	for i := range 3 {
		d.Observe(probe.Event{Result: stepResult("claude_ai:529", i)})
		d.Observe(probe.Event{Result: stepResult("api:529", i)})
	}
	in := officialIncident("both", t0, time.Time{}, compAPI, compClaudeAI)
	ch := d.Observe(probe.Event{Result: probe.Result{Target: probe.TargetStatus, Time: t0, Class: probe.ClassOK}, Official: []probe.Incident{in}})
	var subjects []string
	for _, l := range ch {
		subjects = append(subjects, l.Subject)
	}
	if fmt.Sprint(subjects) != "[provider:api provider:claude_ai]" {
		t.Errorf("changed %v, want [provider:api provider:claude_ai]", subjects)
	}
}

// TestCodeLoginWithoutCredentials: a missing login with no credential at
// all is Claude Code's login problem (nothing stands in for it).
func TestCodeLoginWithoutCredentials(t *testing.T) {
	l := &probe.LocalReport{Checks: []probe.LocalCheck{{ID: "code_login", Level: probe.LocalFail, Text: "Claude Code is not logged in"}}}
	if c, ok := codeLoginProblem(l); !ok || c.ID != "code_login" {
		t.Errorf("codeLoginProblem = %+v, %v", c, ok)
	}
	l.Credentials = []probe.CredentialInfo{{Source: "ANTHROPIC_API_KEY"}}
	if _, ok := codeLoginProblem(l); ok {
		t.Error("a key in effect still made the login a problem")
	}
}
