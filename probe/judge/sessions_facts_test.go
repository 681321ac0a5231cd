package judge

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestSessionsFactsSayWhatTheyMet: Claude Code's sessions failing with 529
// while our API probes answer: the tally in full (errors, kinds, calls,
// the last one's time, age and request id) and the inference that says
// "likely" lead Claude Code's facts.
func TestSessionsFactsSayWhatTheyMet(t *testing.T) {
	in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
	in.Recent[probe.TargetSessions] = sessionCalls("529")
	sv := svc(t, Judge(in), "claude_code")
	want := []string{
		"your Claude Code sessions: 3 errors in the last 15 min (529 overloaded ×3) of 4 calls, the last 14:01:50 UTC (10 s ago) · req_011CXPBk57rUbKp5XVtievhP",
		"our API probe lists models without asking one: likely the model or the path Claude Code uses",
	}
	if len(sv.Facts) < 2 || !reflect.DeepEqual(sv.Facts[:2], want) {
		t.Errorf("Claude Code's facts %q\nwant them to begin %q", sv.Facts, want)
	}
}

// TestSessionsTakeTheAPIsComponent: the sessions' calls are API calls, so
// what the page says of the Claude API covers them — its outage, an
// incident or a maintenance naming only the API — when Claude Code's own
// component says nothing.
func TestSessionsTakeTheAPIsComponent(t *testing.T) {
	for _, tt := range []struct {
		name string
		page func(st *probe.Status)
		want probe.VerdictKind
		says string
	}{
		{"the API in major outage", func(st *probe.Status) {
			for i := range st.Components {
				if st.Components[i].ID == "k8w3r06qmzrp" {
					st.Components[i].Status = probe.ComponentMajorOutage
				}
			}
			st.Indicator = "major"
		}, probe.VerdictOutage, "— acknowledged on the status page (major outage)."},
		{"the API degraded", func(st *probe.Status) {
			for i := range st.Components {
				if st.Components[i].ID == "k8w3r06qmzrp" {
					st.Components[i].Status = probe.ComponentDegraded
				}
			}
			st.Indicator = "minor"
		}, probe.VerdictOutage, "— acknowledged on the status page (degraded performance)."},
		{"an incident naming only the API", func(st *probe.Status) {
			st.Indicator = "minor"
			st.Incidents = []probe.Incident{{ID: "inc0api00001", Name: "Elevated errors on the API", Status: "investigating", Impact: "minor",
				StartedAt: now.Add(-20 * time.Minute), Components: []string{"k8w3r06qmzrp"}}}
		}, probe.VerdictOutage, "— acknowledged on the status page (Elevated errors on the API)."},
		{"a maintenance of only the API", func(st *probe.Status) {
			st.Indicator = "maintenance"
			st.Maintenances = []probe.Incident{{ID: "mnt0api00001", Name: "API maintenance", Status: "in_progress", Impact: "maintenance",
				ScheduledFor: now.Add(-10 * time.Minute), ScheduledUntil: now.Add(time.Hour), Components: []string{"k8w3r06qmzrp"}}}
		}, probe.VerdictMaintenance, "during scheduled maintenance"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
			tt.page(in.Status)
			in.Recent[probe.TargetSessions] = sessionCalls("529")
			v := Judge(in)
			if sv := svc(t, v, "claude_code"); sv.Kind != tt.want {
				t.Errorf("Claude Code %s, want %s; facts %q", sv.Kind.Key(), tt.want.Key(), sv.Facts)
			}
			if !strings.Contains(v.Headline, "your Claude Code sessions get 529 overloaded") || !strings.Contains(v.Headline, tt.says) {
				t.Errorf("headline %q\nwant the sessions' failure and %q", v.Headline, tt.says)
			}
		})
	}
}

// TestSessionsHeadlineComparesFreshProbes: beside the sessions' failure
// the headline says our API probe answers only while that answer is
// current — up to StaleAfter old, not past it; with no limit, always.
func TestSessionsHeadlineComparesFreshProbes(t *testing.T) {
	for _, tt := range []struct {
		stale time.Duration
		says  string
	}{
		{0, " while our API probe answers"},
		{10 * time.Second, " while our API probe answers"}, // the newest answer is exactly 10 s old
		{9 * time.Second, "; our API probes have no fresh answer to compare"},
	} {
		in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
		in.StaleAfter = tt.stale
		in.Recent[probe.TargetSessions] = sessionCalls("529")
		if v := Judge(in); !strings.Contains(v.Headline, "your Claude Code sessions get 529 overloaded") || !strings.Contains(v.Headline, tt.says) {
			t.Errorf("stale after %s: %q\nwant %q", tt.stale, v.Headline, tt.says)
		}
	}
}

// TestSessionsLimitNotAnOutageReadsTheirComponents: "not an outage" beside
// the sessions' usage limit needs the page to show neither Claude Code nor
// the Claude API degraded or worse; claude.ai's own status does not count
// (the sessions never call it).
func TestSessionsLimitNotAnOutageReadsTheirComponents(t *testing.T) {
	for _, tt := range []struct {
		component string
		says      bool
	}{
		{"k8w3r06qmzrp", false}, // the Claude API
		{compCode, false},
		{"rwppv331jlwc", true}, // claude.ai
	} {
		in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
		for i := range in.Status.Components {
			if in.Status.Components[i].ID == tt.component {
				in.Status.Components[i].Status = probe.ComponentDegraded
			}
		}
		in.Status.Indicator = "minor"
		in.Recent[probe.TargetSessions] = sessionCalls("429_limit")
		v := Judge(in)
		if !strings.Contains(v.Headline, "your Claude Code sessions hit the usage limit") || strings.Contains(v.Headline, ", not an outage") != tt.says {
			t.Errorf("%s degraded: %q; want \"not an outage\" %v", tt.component, v.Headline, tt.says)
		}
	}
}

// TestSessionsLimitIsNoPathInference: the sessions refused by the plan's
// usage limit while our API probes answer is the account's, not "likely
// the model or the path Claude Code uses" (that inference is for their
// failures on Anthropic's side).
func TestSessionsLimitIsNoPathInference(t *testing.T) {
	in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
	in.Recent[probe.TargetSessions] = sessionCalls("429_limit")
	v := Judge(in)
	for _, f := range append(svc(t, v, "claude_code").Facts, v.Facts...) {
		if strings.Contains(f, "likely the model or the path") {
			t.Errorf("a usage limit inferred as the path: %q", f)
		}
	}
}

// TestSessionsRateLimitNamesTheKeysVariable: an API key in
// ANTHROPIC_AUTH_TOKEN is a key Claude Code sends too: a bare 429 on the
// sessions while the API answers reads as that key's rate limit, as it
// does for ANTHROPIC_API_KEY.
func TestSessionsRateLimitNamesTheKeysVariable(t *testing.T) {
	for _, source := range []string{"ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"} {
		in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
		in.Local.Credentials[0].Source = source
		in.Recent[probe.TargetSessions] = sessionCalls("429")
		if v := Judge(in); !strings.HasPrefix(v.Headline, "Likely your API key's rate limit: your Claude Code sessions are refused") {
			t.Errorf("a key in %s: %q", source, v.Headline)
		}
	}
}

// TestSessionsNotAnOutageAtTheFreshEdge: a 529 of the sessions exactly 15
// min old is still fresh (as the tally counts it), so the usage limit
// beside it is not called "not an outage"; a second older, it is.
func TestSessionsNotAnOutageAtTheFreshEdge(t *testing.T) {
	for _, tt := range []struct {
		age  time.Duration
		says bool
	}{{SessionsFresh, false}, {SessionsFresh + time.Second, true}} {
		in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
		old := probe.Result{Target: probe.TargetSessions, Time: now.Add(-tt.age), Class: probe.ClassOverloaded, HTTPStatus: 529, ErrorType: "overloaded_error", Message: "Overloaded"}
		in.Recent[probe.TargetSessions] = append([]probe.Result{old}, sessionCalls("429_limit")...)
		v := Judge(in)
		if !strings.Contains(v.Headline, "your Claude Code sessions hit the usage limit") || strings.Contains(v.Headline, ", not an outage") != tt.says {
			t.Errorf("a 529 %s old: %q; want \"not an outage\" %v", tt.age, v.Headline, tt.says)
		}
	}
}
