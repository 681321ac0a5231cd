package probe

import (
	"strings"
	"testing"
	"time"
)

var judgeNow = time.Date(2026, 9, 3, 13, 30, 0, 0, time.UTC)

// series returns results of target t, one a minute, the last at judgeNow.
func series(t Target, classes ...Class) []Result {
	rs := make([]Result, len(classes))
	for i, c := range classes {
		rs[i] = Result{Target: t, Time: judgeNow.Add(-time.Duration(len(classes)-1-i) * time.Minute), Class: c}
	}
	return rs
}

func repeat(c Class, n int) []Class {
	cs := make([]Class, n)
	for i := range cs {
		cs[i] = c
	}
	return cs
}

// official returns a status snapshot with all six components operational,
// except those named in overrides (component id → status).
func official(overrides map[string]string) *Status {
	s := &Status{Fetched: judgeNow, Indicator: "none"}
	for i, id := range []string{"rwppv331jlwc", "0qbwn08sd68x", "k8w3r06qmzrp", "yyzkbfz2thpt", "bpp5gb3hpjcl", "0scnb50nvy53"} {
		st := ComponentOperational
		if o, ok := overrides[id]; ok {
			st = ComponentStatus(o)
		}
		s.Components = append(s.Components, Component{ID: id, Status: st, Position: i + 1})
	}
	return s
}

const (
	compClaudeAI = "rwppv331jlwc"
	compAPI      = "k8w3r06qmzrp"
	compCode     = "yyzkbfz2thpt"
)

// healthy is five good rounds of every target.
func healthy() map[Target][]Result {
	return map[Target][]Result{
		TargetStatus:   series(TargetStatus, repeat(ClassOK, 5)...),
		TargetAPI:      series(TargetAPI, repeat(ClassOK, 5)...),
		TargetAPIKey:   series(TargetAPIKey, repeat(ClassOK, 5)...),
		TargetClaudeAI: series(TargetClaudeAI, repeat(ClassOK, 5)...),
		TargetCode:     series(TargetCode, repeat(ClassOK, 5)...),
	}
}

// with returns healthy() with some targets replaced.
func with(repl map[Target][]Class) map[Target][]Result {
	m := healthy()
	for t, cs := range repl {
		if cs == nil {
			delete(m, t)
			continue
		}
		m[t] = series(t, cs...)
	}
	return m
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name     string
		status   *Status
		recent   map[Target][]Result
		want     VerdictKind
		services map[string]VerdictKind // by Service.Key; unlisted are not checked
		headline string                 // substring
	}{
		{
			name:     "no data at all",
			want:     VerdictUnknown,
			services: map[string]VerdictKind{"claude_ai": VerdictUnknown, "api": VerdictUnknown, "claude_code": VerdictUnknown},
			headline: "no data",
		},
		{
			name:     "official operational and every probe ok",
			status:   official(nil),
			recent:   healthy(),
			want:     VerdictOperational,
			services: map[string]VerdictKind{"claude_ai": VerdictOperational, "api": VerdictOperational, "claude_code": VerdictOperational},
			headline: "All clear",
		},
		{
			name:   "official major outage and 529s",
			status: official(map[string]string{compAPI: "major_outage"}),
			recent: with(map[Target][]Class{
				TargetAPI:    repeat(ClassOverloaded, 5),
				TargetAPIKey: repeat(ClassOverloaded, 5),
			}),
			want:     VerdictOutage,
			services: map[string]VerdictKind{"api": VerdictOutage, "claude_ai": VerdictOperational},
			headline: "Anthropic outage: Claude API",
		},
		{
			name:   "official partial outage everywhere, probes fail on the API only",
			status: official(map[string]string{compClaudeAI: "partial_outage", compAPI: "partial_outage", compCode: "partial_outage"}),
			recent: with(map[Target][]Class{
				TargetAPI:    repeat(ClassOverloaded, 5),
				TargetAPIKey: repeat(ClassOverloaded, 5),
			}),
			want: VerdictOutage,
			// claude.ai answers from here although Anthropic says it is
			// impaired: that disagreement is worth showing. Claude Code's
			// local checks say nothing about Anthropic's side, so the
			// official word stands.
			services: map[string]VerdictKind{"api": VerdictOutage, "claude_ai": VerdictConflicting, "claude_code": VerdictOutage},
		},
		{
			name:   "status page green but most API probes get 529",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetAPI:    {ClassOK, ClassOK, ClassOverloaded, ClassOverloaded, ClassOverloaded},
				TargetAPIKey: {ClassOK, ClassOK, ClassOverloaded, ClassOverloaded, ClassOverloaded},
			}),
			want:     VerdictUnacknowledged,
			services: map[string]VerdictKind{"api": VerdictUnacknowledged, "claude_ai": VerdictOperational},
			headline: "not yet acknowledged: Claude API",
		},
		{
			name:   "unacknowledged with no key configured (api_key unknown)",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetAPI:    repeat(ClassOverloaded, 5),
				TargetAPIKey: repeat(ClassUnknown, 5),
			}),
			want:     VerdictUnacknowledged,
			services: map[string]VerdictKind{"api": VerdictUnacknowledged},
		},
		{
			name:   "server errors and HTML challenges count as Anthropic's side",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetAPI:    {ClassServer, ClassServer, ClassServer, ClassUnexpected, ClassServer},
				TargetAPIKey: {ClassServer, ClassOK, ClassServer, ClassServer, ClassServer},
			}),
			want: VerdictUnacknowledged,
		},
		{
			name:   "401 on the key while everything is green",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetAPIKey: repeat(ClassAuth, 5),
			}),
			want:     VerdictLocalCredential,
			services: map[string]VerdictKind{"api": VerdictLocalCredential, "claude_ai": VerdictOperational},
			headline: "API key or login",
		},
		{
			name:   "401 on the key, fewer key results than reachability results",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetAPIKey: repeat(ClassAuth, 3),
			}),
			want: VerdictLocalCredential,
		},
		{
			name:   "429 on the key",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetAPIKey: repeat(ClassRateLimited, 5),
			}),
			want:     VerdictLocalQuota,
			services: map[string]VerdictKind{"api": VerdictLocalQuota},
			headline: "quota",
		},
		{
			name:   "credit balance too low",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetAPIKey: repeat(ClassBilling, 5),
			}),
			want: VerdictLocalQuota,
		},
		{
			name:   "Claude Code logged out",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetCode: repeat(ClassAuth, 5),
			}),
			want:     VerdictLocalCredential,
			services: map[string]VerdictKind{"claude_code": VerdictLocalCredential, "api": VerdictOperational},
		},
		{
			name:   "network failure on every HTTP target",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetStatus:   {ClassOK, ClassNetwork},
				TargetAPI:      {ClassOK, ClassNetwork},
				TargetAPIKey:   {ClassOK, ClassNetwork},
				TargetClaudeAI: {ClassOK, ClassNetwork},
			}),
			want:     VerdictLocalNetwork,
			services: map[string]VerdictKind{"claude_ai": VerdictLocalNetwork, "api": VerdictLocalNetwork},
			headline: "Your network",
		},
		{
			name:   "network failure everywhere, no key configured",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetStatus:   {ClassNetwork},
				TargetAPI:      {ClassNetwork},
				TargetAPIKey:   {ClassUnknown},
				TargetClaudeAI: {ClassNetwork},
			}),
			want:     VerdictLocalNetwork,
			headline: "no Anthropic host answers",
		},
		{
			name:   "network failure on claude.ai only",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetClaudeAI: repeat(ClassNetwork, 5),
			}),
			want:     VerdictLocalNetwork,
			services: map[string]VerdictKind{"claude_ai": VerdictLocalNetwork, "api": VerdictOperational},
			headline: "claude.ai",
		},
		{
			name:     "official partial outage but our probes all fine",
			status:   official(map[string]string{compClaudeAI: "partial_outage"}),
			recent:   healthy(),
			want:     VerdictConflicting,
			services: map[string]VerdictKind{"claude_ai": VerdictConflicting, "api": VerdictOperational},
			headline: "Conflicting",
		},
		{
			name:     "official outage of Claude Code alone is not contradicted by local CLI checks",
			status:   official(map[string]string{compCode: "major_outage"}),
			recent:   healthy(),
			want:     VerdictOutage,
			services: map[string]VerdictKind{"claude_code": VerdictOutage},
			headline: "Claude Code",
		},
		{
			name:     "official outage without own probes of that service",
			status:   official(map[string]string{compClaudeAI: "major_outage"}),
			recent:   with(map[Target][]Class{TargetClaudeAI: nil}),
			want:     VerdictOutage,
			services: map[string]VerdictKind{"claude_ai": VerdictOutage},
		},
		{
			name:     "degraded performance",
			status:   official(map[string]string{compAPI: "degraded_performance"}),
			recent:   healthy(),
			want:     VerdictDegraded,
			services: map[string]VerdictKind{"api": VerdictDegraded},
			headline: "Degraded: Claude API",
		},
		{
			name:   "slow probes, official green",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetClaudeAI: {ClassOK, ClassSlow, ClassSlow, ClassSlow, ClassOK},
			}),
			want:     VerdictDegraded,
			services: map[string]VerdictKind{"claude_ai": VerdictDegraded},
		},
		{
			name:     "under maintenance",
			status:   official(map[string]string{compAPI: "under_maintenance"}),
			recent:   healthy(),
			want:     VerdictMaintenance,
			services: map[string]VerdictKind{"api": VerdictMaintenance},
			headline: "Maintenance: Claude API",
		},
		{
			name:   "Claude Code not installed does not make anything fail",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetCode: repeat(ClassUnknown, 5),
			}),
			want:     VerdictOperational,
			services: map[string]VerdictKind{"claude_code": VerdictOperational, "api": VerdictOperational},
		},
		{
			name: "Claude Code not installed and no status page",
			recent: with(map[Target][]Class{
				TargetStatus: repeat(ClassNetwork, 1),
				TargetCode:   repeat(ClassUnknown, 5),
			}),
			want:     VerdictOperational,
			services: map[string]VerdictKind{"claude_code": VerdictUnknown, "api": VerdictOperational},
		},
		{
			name:   "only the oldest results are bad: the window forgets them",
			status: official(nil),
			recent: with(map[Target][]Class{
				TargetAPI: append(repeat(ClassOverloaded, 10), repeat(ClassOK, 5)...),
			}),
			want: VerdictOperational,
		},
		{
			name: "component renamed: found by id",
			status: &Status{Fetched: judgeNow, Components: []Component{
				{ID: compAPI, Name: "Claude API (new name)", Status: "major_outage"},
			}},
			recent:   with(map[Target][]Class{TargetAPI: repeat(ClassOverloaded, 5)}),
			want:     VerdictOutage,
			services: map[string]VerdictKind{"api": VerdictOutage},
		},
		{
			name: "component id changed: found by name",
			status: &Status{Fetched: judgeNow, Components: []Component{
				{ID: "newid", Name: "Claude API (api.anthropic.com)", Status: "major_outage"},
			}},
			recent:   with(map[Target][]Class{TargetAPI: repeat(ClassOverloaded, 5)}),
			want:     VerdictOutage,
			services: map[string]VerdictKind{"api": VerdictOutage},
		},
		{
			name:     "unknown component status is not an outage",
			status:   official(map[string]string{compAPI: "full_outage"}),
			recent:   healthy(),
			want:     VerdictOperational,
			services: map[string]VerdictKind{"api": VerdictOperational},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge(JudgeInput{Status: tt.status, Recent: tt.recent, Now: judgeNow, StaleAfter: 10 * time.Minute})
			if v.Kind != tt.want {
				t.Errorf("Kind = %v, want %v (headline %q, facts %q)", v.Kind, tt.want, v.Headline, v.Facts)
			}
			if len(v.Services) != len(Services) {
				t.Fatalf("%d service verdicts, want %d", len(v.Services), len(Services))
			}
			for _, sv := range v.Services {
				if want, ok := tt.services[sv.Service.Key]; ok && sv.Kind != want {
					t.Errorf("service %s = %v, want %v (facts %q)", sv.Service.Key, sv.Kind, want, sv.Facts)
				}
			}
			if !strings.Contains(v.Headline, tt.headline) {
				t.Errorf("Headline = %q, want it to contain %q", v.Headline, tt.headline)
			}
			if v.Headline == "" {
				t.Error("empty headline")
			}
			if len(v.Facts) > 3 {
				t.Errorf("%d facts, want at most 3", len(v.Facts))
			}
			if v.Stale {
				t.Error("fresh data marked stale")
			}
		})
	}
}

func TestJudgeHeadlineForEveryKind(t *testing.T) {
	svs := []ServiceVerdict{{Service: Services[0]}}
	for k := VerdictUnknown; k <= VerdictOutage; k++ {
		svs[0].Kind = k
		h := headline(k, svs)
		if k != VerdictUnknown && h == headline(VerdictUnknown, nil) {
			t.Errorf("%v has the no-data headline %q", k, h)
		}
	}
}

func TestJudgeStale(t *testing.T) {
	old := healthy()
	for tg, rs := range old {
		for i := range rs {
			rs[i].Time = rs[i].Time.Add(-time.Hour)
		}
		old[tg] = rs
	}
	st := official(nil)
	st.Fetched = judgeNow.Add(-time.Hour)

	v := Judge(JudgeInput{Status: st, Recent: old, Now: judgeNow, StaleAfter: 10 * time.Minute})
	if !v.Stale {
		t.Error("hour-old data not marked stale")
	}
	if v.Kind != VerdictOperational {
		t.Errorf("Kind = %v: a stale verdict keeps the last known answer", v.Kind)
	}

	if v := Judge(JudgeInput{Status: st, Recent: old, Now: judgeNow}); v.Stale {
		t.Error("StaleAfter 0 must mean never stale")
	}

	// One fresh result makes the whole picture fresh.
	old[TargetAPI] = append(old[TargetAPI], Result{Target: TargetAPI, Time: judgeNow, Class: ClassOK})
	if v := Judge(JudgeInput{Status: st, Recent: old, Now: judgeNow, StaleAfter: 10 * time.Minute}); v.Stale {
		t.Error("fresh result still stale")
	}

	// A fresh status page alone is fresh too.
	st2 := official(nil)
	if v := Judge(JudgeInput{Status: st2, Now: judgeNow, StaleAfter: 10 * time.Minute}); v.Stale || v.Kind != VerdictOperational {
		t.Errorf("status only: Stale=%v Kind=%v, want fresh Operational", v.Stale, v.Kind)
	}
}

func TestJudgeLatestIsTheNewestResultOfTheService(t *testing.T) {
	recent := healthy()
	recent[TargetAPIKey] = append(recent[TargetAPIKey], Result{Target: TargetAPIKey, Time: judgeNow.Add(time.Second), Class: ClassAuth})
	v := Judge(JudgeInput{Status: official(nil), Recent: recent, Now: judgeNow})
	for _, sv := range v.Services {
		if sv.Service.Key != "api" {
			continue
		}
		if sv.Latest == nil || sv.Latest.Target != TargetAPIKey || sv.Latest.Class != ClassAuth {
			t.Errorf("Latest = %+v, want the api_key auth result", sv.Latest)
		}
		if sv.Official != "operational" {
			t.Errorf("Official = %q", sv.Official)
		}
	}
}
