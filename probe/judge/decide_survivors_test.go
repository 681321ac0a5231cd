package judge

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestJudgeStaleSessionsAreNone: Claude Code's session calls older than
// SessionsFresh are no fact at all — the verdict is the one without them,
// even where an empty view of the sessions would decide (no CLI view, the
// page naming an outage of Claude Code, its login refused live: a view of
// the sessions would let the refusal lead as if it outranked only them).
func TestJudgeStaleSessionsAreNone(t *testing.T) {
	for _, pg := range []string{"operational", "major"} {
		t.Run(pg, func(t *testing.T) {
			in := input(row{page: pg, api: "ok", claude: "ok", cred: "good", net: "ok"})
			delete(in.Recent, probe.TargetCode)
			in.Local = liveRejectedLogin(now.Add(-12 * time.Second))
			want := Judge(in)
			in.Recent[probe.TargetSessions] = sessionCalls("old_529")
			if got := Judge(in); !reflect.DeepEqual(got, want) {
				t.Errorf("stale session calls changed the verdict:\n got %s %q %+v\nwant %s %q %+v",
					got.Kind.Key(), got.Headline, got.Services, want.Kind.Key(), want.Headline, want.Services)
			}
		})
	}
}

// TestJudgePageAloneSaysEachStatus: before any probe of ours answers, a
// page reporting outages is the verdict, said with each service's own
// status, the worst first, and the worst leads (its facts first); of
// equal status, in the services' order. It said "Claude (claude.ai),
// Claude API, Claude Code as partial outage" of an API in major outage.
func TestJudgePageAloneSaysEachStatus(t *testing.T) {
	major, partial := probe.ComponentMajorOutage, probe.ComponentPartialOutage
	for _, tt := range []struct {
		name              string
		claude, api, code probe.ComponentStatus
		headline, first   string
	}{
		{"the API worst", partial, major, partial,
			"Anthropic outage: Anthropic reports Claude API as major outage, Claude (claude.ai), Claude Code as partial outage.",
			"Anthropic reports Claude API as major outage"},
		{"claude.ai worst", major, partial, partial,
			"Anthropic outage: Anthropic reports Claude (claude.ai) as major outage, Claude API, Claude Code as partial outage.",
			"Anthropic reports Claude (claude.ai) as major outage"},
		{"Claude Code worst", partial, partial, major,
			"Anthropic outage: Anthropic reports Claude Code as major outage, Claude (claude.ai), Claude API as partial outage.",
			"Anthropic reports Claude Code as major outage"},
		{"all the same", partial, partial, partial,
			"Anthropic outage: Anthropic reports Claude (claude.ai), Claude API, Claude Code as partial outage.",
			"Anthropic reports Claude (claude.ai) as partial outage"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := input(row{page: "major", api: "none", cred: "good", net: "ok"})
			for i, c := range in.Status.Components {
				switch c.ID {
				case compCode:
					in.Status.Components[i].Status = tt.code
				case "k8w3r06qmzrp":
					in.Status.Components[i].Status = tt.api
				case "rwppv331jlwc":
					in.Status.Components[i].Status = tt.claude
				}
			}
			v := Judge(in)
			if v.Kind != probe.VerdictOutage || v.Headline != tt.headline {
				t.Errorf("verdict %s %q\nwant outage %q", v.Kind.Key(), v.Headline, tt.headline)
			}
			if len(v.Facts) == 0 || v.Facts[0] != tt.first {
				t.Errorf("facts %q\nwant first %q", v.Facts, tt.first)
			}
		})
	}
}

// flapping is claude.ai answering and failing with 503 in turn over the
// last minute, oldest first: unstable.
func flapping() []probe.Result {
	var rs []probe.Result
	for i := 11; i >= 0; i-- {
		r := claudeResult("ok")
		if i%4 < 2 {
			r = claudeResult("503")
		}
		r.Time = now.Add(-time.Duration(i*5+5) * time.Second)
		rs = append(rs, r)
	}
	return rs
}

// TestJudgeLeadBetweenServices: which service leads when the first one
// (claude.ai) was the lead so far — the tie-breaks must hold there too, and
// only between services of equal rank.
func TestJudgeLeadBetweenServices(t *testing.T) {
	t.Run("a steady failure leads claude.ai's on-and-off one", func(t *testing.T) {
		in := input(row{page: "major", api: "529", claude: "ok", cred: "good", net: "ok"})
		in.Recent[probe.TargetClaudeAI] = flapping()
		v := Judge(in)
		if v.Kind != probe.VerdictOutage || !strings.HasPrefix(v.Headline, "Anthropic outage: Claude API failing from here (529 overloaded)") {
			t.Errorf("%s %q; want the API's steady 529 to lead", v.Kind.Key(), v.Headline)
		}
	})
	t.Run("claude.ai on and off in an outage leads the API that passes", func(t *testing.T) {
		in := input(row{page: "major", api: "ok", claude: "ok", cred: "good", net: "ok"})
		in.Recent[probe.TargetClaudeAI] = flapping()
		v := Judge(in)
		if v.Kind != probe.VerdictOutage || !strings.HasPrefix(v.Headline, "Anthropic outage: Claude (claude.ai) failing on and off from here") {
			t.Errorf("%s %q; want claude.ai's on-and-off failure to lead", v.Kind.Key(), v.Headline)
		}
	})
	t.Run("in one maintenance, the service that fails leads the one that passes", func(t *testing.T) {
		in := input(row{page: "maintenance", api: "529", claude: "ok", cred: "good", net: "ok"})
		for i := range in.Status.Components {
			if in.Status.Components[i].ID == "rwppv331jlwc" {
				in.Status.Components[i].Status = probe.ComponentMaintenance
			}
		}
		in.Status.Maintenances[0].Components = append(in.Status.Maintenances[0].Components, "rwppv331jlwc")
		v := Judge(in)
		if v.Kind != probe.VerdictMaintenance || !strings.HasPrefix(v.Headline, "Maintenance: errors expected on Claude API") {
			t.Errorf("%s %q; want the API failing in the maintenance to lead", v.Kind.Key(), v.Headline)
		}
	})
}

// TestJudgeFirstProbeSpeaksOnATie: of a service's probes failing in the
// same way (both Anthropic's side: the keyless one at 529, the key at
// 500), the first in the service's order (the keyless probe) is what the
// headline quotes, every time — not whichever was looked at last.
func TestJudgeFirstProbeSpeaksOnATie(t *testing.T) {
	in := input(row{page: "operational", api: "529", claude: "ok", cred: "good", net: "ok"})
	for i := range in.Recent[probe.TargetAPIKey] {
		r := res(probe.TargetAPIKey, probe.ClassServer, 500, "api_error", "500 api_error: Internal server error")
		r.Time = in.Recent[probe.TargetAPIKey][i].Time
		in.Recent[probe.TargetAPIKey][i] = r
	}
	v := Judge(in)
	if v.Kind != probe.VerdictUnacknowledged || !strings.Contains(v.Headline, "Claude API failing from here (529 overloaded)") {
		t.Errorf("%s %q; want the keyless probe's 529 quoted", v.Kind.Key(), v.Headline)
	}
}

// TestJudgeLocalBasisOfSessions: with the status page unreadable and no
// CLI answering, Claude Code's verdict rests on its own sessions' calls
// succeeding, and says so (check --json's local_basis).
func TestJudgeLocalBasisOfSessions(t *testing.T) {
	in := input(row{page: "unreadable_html", api: "ok", claude: "ok", cred: "good", net: "ok"})
	in.Recent[probe.TargetSessions] = sessionCalls("ok")
	sv := svc(t, Judge(in), "claude_code")
	if want := "its sessions' calls succeed; the Claude API it calls answers"; sv.Kind != probe.VerdictOperational || sv.Local != want {
		t.Errorf("Claude Code %s, local basis %q; want operational, %q", sv.Kind.Key(), sv.Local, want)
	}
}

// TestClaudeCodeKeepsItsOwnEqualVerdict: Claude Code takes the API's
// verdict only when that is worse than its own. Its sessions failing with
// 529 and the API failing with 529 are the same rank: Claude Code's
// verdict stays its own, on its sessions' evidence, not "through the API".
func TestClaudeCodeKeepsItsOwnEqualVerdict(t *testing.T) {
	in := input(row{page: "operational", api: "529", claude: "ok", cred: "good", net: "ok"})
	in.Recent[probe.TargetSessions] = sessionCalls("529")
	sv := svc(t, Judge(in), "claude_code")
	if sv.Kind != probe.VerdictUnacknowledged || sv.ThroughAPI {
		t.Errorf("Claude Code %s, through the API %v; want its own unacknowledged verdict\nfacts %q", sv.Kind.Key(), sv.ThroughAPI, sv.Facts)
	}
}

// TestJudgeWorseOffLeads: of two services failing on Anthropic's side at
// the same rank, the one the page says worse of leads, whatever their
// errors (the API's 500 in major outage before claude.ai's 503 in partial
// outage); and a steady failure leads an on-and-off one even when the page
// says worse of the on-and-off one.
func TestJudgeWorseOffLeads(t *testing.T) {
	for _, tt := range []struct {
		name, api, lead string
	}{
		{"the page decides", "500", "Anthropic outage: Claude API failing from here (500 server error)"},
		{"steady before on and off", "flap", "Anthropic outage: Claude (claude.ai) failing from here (503 server error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge(input(row{page: "major", api: tt.api, claude: "503", cred: "good", net: "ok"}))
			if v.Kind != probe.VerdictOutage || !strings.HasPrefix(v.Headline, tt.lead) {
				t.Errorf("%s %q\nwant it to begin %q", v.Kind.Key(), v.Headline, tt.lead)
			}
		})
	}
}

// TestJudgeRecoveredSessionsAddNoFact: Claude Code's sessions failed once
// and have succeeded since: Claude Code is operational and its facts are
// the page's, not that earlier failure (the sessions' tally leads Claude
// Code's facts only when it is worse than operational; the Live row of
// the sessions shows their history).
func TestJudgeRecoveredSessionsAddNoFact(t *testing.T) {
	in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
	call := func(ago time.Duration, c probe.Class, status int) probe.Result {
		return probe.Result{Target: probe.TargetSessions, Time: now.Add(-ago), Class: c, HTTPStatus: status,
			Detail: "claude-code 2.1.44 · claude-opus-4-6 · session 1a2b3c4d"}
	}
	in.Recent[probe.TargetSessions] = []probe.Result{call(9*time.Minute, probe.ClassOK, 0), call(5*time.Minute, probe.ClassOverloaded, 529),
		call(3*time.Minute, probe.ClassOK, 0), call(2*time.Minute, probe.ClassOK, 0), call(time.Minute, probe.ClassOK, 0)}
	sv := svc(t, Judge(in), "claude_code")
	if want := []string{"Anthropic reports Claude Code as operational"}; sv.Kind != probe.VerdictOperational || !reflect.DeepEqual(sv.Facts, want) {
		t.Errorf("Claude Code %s, facts %q; want operational, %q", sv.Kind.Key(), sv.Facts, want)
	}
}
