package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/probetest"
)

// The shared fixtures, under the short names these tests read with.
var (
	judgeNow     = probetest.Now
	series       = probetest.Series
	repeat       = probetest.Repeat
	officialSnap = probetest.Official
)

const (
	compClaudeAI = "rwppv331jlwc"
	compAPI      = "k8w3r06qmzrp"
	compCode     = "yyzkbfz2thpt"
)

// healthy is five good rounds of every target.
func healthy() map[probe.Target][]probe.Result {
	return map[probe.Target][]probe.Result{
		probe.TargetStatus:   series(probe.TargetStatus, repeat(probe.ClassOK, 5)...),
		probe.TargetAPI:      series(probe.TargetAPI, repeat(probe.ClassOK, 5)...),
		probe.TargetAPIKey:   series(probe.TargetAPIKey, repeat(probe.ClassOK, 5)...),
		probe.TargetClaudeAI: series(probe.TargetClaudeAI, repeat(probe.ClassOK, 5)...),
		probe.TargetCode:     series(probe.TargetCode, repeat(probe.ClassOK, 5)...),
	}
}

// with returns healthy() with some targets replaced.
func with(repl map[probe.Target][]probe.Class) map[probe.Target][]probe.Result {
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
		status   *probe.Status
		recent   map[probe.Target][]probe.Result
		want     probe.VerdictKind
		services map[string]probe.VerdictKind // by Service.Key; unlisted are not checked
		headline string                       // substring
	}{
		{
			name:     "no data at all",
			want:     probe.VerdictUnknown,
			services: map[string]probe.VerdictKind{"claude_ai": probe.VerdictUnknown, "api": probe.VerdictUnknown, "claude_code": probe.VerdictUnknown},
			headline: "Checking… no probe of ours has answered yet.",
		},
		{
			name:     "official operational and every probe ok",
			status:   officialSnap(nil),
			recent:   healthy(),
			want:     probe.VerdictOperational,
			services: map[string]probe.VerdictKind{"claude_ai": probe.VerdictOperational, "api": probe.VerdictOperational, "claude_code": probe.VerdictOperational},
			headline: "All clear",
		},
		{
			name:   "official major outage and 529s",
			status: officialSnap(map[string]string{compAPI: "major_outage"}),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetAPI:    repeat(probe.ClassOverloaded, 5),
				probe.TargetAPIKey: repeat(probe.ClassOverloaded, 5),
			}),
			want:     probe.VerdictOutage,
			services: map[string]probe.VerdictKind{"api": probe.VerdictOutage, "claude_ai": probe.VerdictOperational},
			headline: "Anthropic outage: Claude API",
		},
		{
			name:   "official partial outage everywhere, probes fail on the API only",
			status: officialSnap(map[string]string{compClaudeAI: "partial_outage", compAPI: "partial_outage", compCode: "partial_outage"}),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetAPI:    repeat(probe.ClassOverloaded, 5),
				probe.TargetAPIKey: repeat(probe.ClassOverloaded, 5),
			}),
			want: probe.VerdictOutage,
			// claude.ai answers from here although Anthropic says it is
			// impaired: that disagreement is worth showing. Claude Code's
			// local checks say nothing about Anthropic's side, so the
			// official word stands.
			services: map[string]probe.VerdictKind{"api": probe.VerdictOutage, "claude_ai": probe.VerdictConflicting, "claude_code": probe.VerdictOutage},
		},
		{
			name:   "status page green but most API probes get 529",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetAPI:    {probe.ClassOK, probe.ClassOK, probe.ClassOverloaded, probe.ClassOverloaded, probe.ClassOverloaded},
				probe.TargetAPIKey: {probe.ClassOK, probe.ClassOK, probe.ClassOverloaded, probe.ClassOverloaded, probe.ClassOverloaded},
			}),
			want:     probe.VerdictUnacknowledged,
			services: map[string]probe.VerdictKind{"api": probe.VerdictUnacknowledged, "claude_ai": probe.VerdictOperational},
			headline: "not yet acknowledged: Claude API",
		},
		{
			name:   "unacknowledged with no key configured (api_key unknown)",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetAPI:    repeat(probe.ClassOverloaded, 5),
				probe.TargetAPIKey: repeat(probe.ClassUnknown, 5),
			}),
			want:     probe.VerdictUnacknowledged,
			services: map[string]probe.VerdictKind{"api": probe.VerdictUnacknowledged},
		},
		{
			name:   "server errors and HTML challenges count as Anthropic's side",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetAPI:    {probe.ClassServer, probe.ClassServer, probe.ClassServer, probe.ClassUnexpected, probe.ClassServer},
				probe.TargetAPIKey: {probe.ClassServer, probe.ClassOK, probe.ClassServer, probe.ClassServer, probe.ClassServer},
			}),
			want: probe.VerdictUnacknowledged,
		},
		{
			name:   "401 on the key while everything is green",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetAPIKey: repeat(probe.ClassAuth, 5),
			}),
			want:     probe.VerdictLocalCredential,
			services: map[string]probe.VerdictKind{"api": probe.VerdictLocalCredential, "claude_ai": probe.VerdictOperational},
			headline: "API key or login",
		},
		{
			name:   "401 on the key, fewer key results than reachability results",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetAPIKey: repeat(probe.ClassAuth, 3),
			}),
			want: probe.VerdictLocalCredential,
		},
		{
			name:   "429 on the key",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetAPIKey: repeat(probe.ClassRateLimited, 5),
			}),
			want:     probe.VerdictLocalQuota,
			services: map[string]probe.VerdictKind{"api": probe.VerdictLocalQuota},
			headline: "quota",
		},
		{
			name:   "credit balance too low",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetAPIKey: repeat(probe.ClassBilling, 5),
			}),
			want: probe.VerdictLocalQuota,
		},
		{
			name:   "Claude Code logged out",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetCode: repeat(probe.ClassAuth, 5),
			}),
			want:     probe.VerdictLocalCredential,
			services: map[string]probe.VerdictKind{"claude_code": probe.VerdictLocalCredential, "api": probe.VerdictOperational},
		},
		{
			name:   "network failure on every HTTP target",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetStatus:   {probe.ClassOK, probe.ClassNetwork},
				probe.TargetAPI:      {probe.ClassOK, probe.ClassNetwork},
				probe.TargetAPIKey:   {probe.ClassOK, probe.ClassNetwork},
				probe.TargetClaudeAI: {probe.ClassOK, probe.ClassNetwork},
			}),
			want:     probe.VerdictLocalNetwork,
			services: map[string]probe.VerdictKind{"claude_ai": probe.VerdictLocalNetwork, "api": probe.VerdictLocalNetwork},
			headline: "Your network",
		},
		{
			name:   "network failure everywhere, no key configured",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetStatus:   {probe.ClassNetwork},
				probe.TargetAPI:      {probe.ClassNetwork},
				probe.TargetAPIKey:   {probe.ClassUnknown},
				probe.TargetClaudeAI: {probe.ClassNetwork},
			}),
			want:     probe.VerdictLocalNetwork,
			headline: "no Anthropic host answers",
		},
		{
			name:   "network failure on claude.ai only",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetClaudeAI: repeat(probe.ClassNetwork, 5),
			}),
			// One host failing while the others answer is not "your network"
			// (issue 19): unreachable from here, Anthropic or a firewall.
			want:     probe.VerdictUnreachable,
			services: map[string]probe.VerdictKind{"claude_ai": probe.VerdictUnreachable, "api": probe.VerdictOperational},
			headline: "claude.ai",
		},
		{
			name:     "official partial outage but our probes all fine",
			status:   officialSnap(map[string]string{compClaudeAI: "partial_outage"}),
			recent:   healthy(),
			want:     probe.VerdictConflicting,
			services: map[string]probe.VerdictKind{"claude_ai": probe.VerdictConflicting, "api": probe.VerdictOperational},
			headline: "Conflicting",
		},
		{
			name:     "official outage of Claude Code alone is not contradicted by local CLI checks",
			status:   officialSnap(map[string]string{compCode: "major_outage"}),
			recent:   healthy(),
			want:     probe.VerdictOutage,
			services: map[string]probe.VerdictKind{"claude_code": probe.VerdictOutage},
			headline: "Claude Code",
		},
		{
			name:     "official outage without own probes of that service",
			status:   officialSnap(map[string]string{compClaudeAI: "major_outage"}),
			recent:   with(map[probe.Target][]probe.Class{probe.TargetClaudeAI: nil}),
			want:     probe.VerdictOutage,
			services: map[string]probe.VerdictKind{"claude_ai": probe.VerdictOutage},
		},
		{
			name:     "degraded performance",
			status:   officialSnap(map[string]string{compAPI: "degraded_performance"}),
			recent:   healthy(),
			want:     probe.VerdictDegraded,
			services: map[string]probe.VerdictKind{"api": probe.VerdictDegraded},
			headline: "Degraded: Anthropic reports Claude API as degraded performance",
		},
		{
			name:   "slow probes, official green",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetClaudeAI: {probe.ClassOK, probe.ClassSlow, probe.ClassSlow, probe.ClassSlow, probe.ClassOK},
			}),
			want:     probe.VerdictDegraded,
			services: map[string]probe.VerdictKind{"claude_ai": probe.VerdictDegraded},
		},
		{
			name:     "under maintenance",
			status:   officialSnap(map[string]string{compAPI: "under_maintenance"}),
			recent:   healthy(),
			want:     probe.VerdictMaintenance,
			services: map[string]probe.VerdictKind{"api": probe.VerdictMaintenance},
			headline: "Maintenance: Claude API",
		},
		{
			name:   "Claude Code not installed does not make anything fail",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetCode: repeat(probe.ClassUnknown, 5),
			}),
			want:     probe.VerdictOperational,
			services: map[string]probe.VerdictKind{"claude_code": probe.VerdictOperational, "api": probe.VerdictOperational},
		},
		{
			name: "Claude Code not installed and no status page",
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetStatus: repeat(probe.ClassNetwork, 1),
				probe.TargetCode:   repeat(probe.ClassUnknown, 5),
			}),
			want:     probe.VerdictOperational,
			services: map[string]probe.VerdictKind{"claude_code": probe.VerdictUnknown, "api": probe.VerdictOperational},
		},
		{
			name:   "only the oldest results are bad: the window forgets them",
			status: officialSnap(nil),
			recent: with(map[probe.Target][]probe.Class{
				probe.TargetAPI: append(repeat(probe.ClassOverloaded, 10), repeat(probe.ClassOK, 5)...),
			}),
			want: probe.VerdictOperational,
		},
		{
			name: "component renamed: found by id",
			status: &probe.Status{Fetched: judgeNow, Components: []probe.Component{
				{ID: compAPI, Name: "Claude API (new name)", Status: "major_outage"},
			}},
			recent:   with(map[probe.Target][]probe.Class{probe.TargetAPI: repeat(probe.ClassOverloaded, 5)}),
			want:     probe.VerdictOutage,
			services: map[string]probe.VerdictKind{"api": probe.VerdictOutage},
		},
		{
			name: "component id changed: found by name",
			status: &probe.Status{Fetched: judgeNow, Components: []probe.Component{
				{ID: "newid", Name: "Claude API (api.anthropic.com)", Status: "major_outage"},
			}},
			recent:   with(map[probe.Target][]probe.Class{probe.TargetAPI: repeat(probe.ClassOverloaded, 5)}),
			want:     probe.VerdictOutage,
			services: map[string]probe.VerdictKind{"api": probe.VerdictOutage},
		},
		{
			name:     "unknown component status is not an outage",
			status:   officialSnap(map[string]string{compAPI: "full_outage"}),
			recent:   healthy(),
			want:     probe.VerdictOperational,
			services: map[string]probe.VerdictKind{"api": probe.VerdictOperational},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge(Input{Status: tt.status, Recent: tt.recent, Now: judgeNow, StaleAfter: 10 * time.Minute})
			if v.Kind != tt.want {
				t.Errorf("Kind = %v, want %v (headline %q, facts %q)", v.Kind, tt.want, v.Headline, v.Facts)
			}
			if len(v.Services) != len(probe.Services()) {
				t.Fatalf("%d service verdicts, want %d", len(v.Services), len(probe.Services()))
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

func TestJudgeStale(t *testing.T) {
	old := healthy()
	for tg, rs := range old {
		for i := range rs {
			rs[i].Time = rs[i].Time.Add(-time.Hour)
		}
		old[tg] = rs
	}
	st := officialSnap(nil)
	st.Fetched = judgeNow.Add(-time.Hour)

	v := Judge(Input{Status: st, Recent: old, Now: judgeNow, StaleAfter: 10 * time.Minute})
	if !v.Stale {
		t.Error("hour-old data not marked stale")
	}
	if v.Kind != probe.VerdictOperational {
		t.Errorf("Kind = %v: a stale verdict keeps the last known answer", v.Kind)
	}

	if v := Judge(Input{Status: st, Recent: old, Now: judgeNow}); v.Stale {
		t.Error("StaleAfter 0 must mean never stale")
	}

	// One fresh result makes the whole picture fresh.
	old[probe.TargetAPI] = append(old[probe.TargetAPI], probe.Result{Target: probe.TargetAPI, Time: judgeNow, Class: probe.ClassOK})
	if v := Judge(Input{Status: st, Recent: old, Now: judgeNow, StaleAfter: 10 * time.Minute}); v.Stale {
		t.Error("fresh result still stale")
	}

	// A fresh status page alone is fresh too, but it is no "all clear":
	// our probes have not answered yet.
	st2 := officialSnap(nil)
	if v := Judge(Input{Status: st2, Now: judgeNow, StaleAfter: 10 * time.Minute}); v.Stale || v.Kind != probe.VerdictUnknown ||
		v.Headline != "Checking… no probe of ours has answered yet; Anthropic reports no problem." {
		t.Errorf("status only: Stale=%v Kind=%v %q, want fresh, checking", v.Stale, v.Kind, v.Headline)
	}
}

func TestJudgeLatestIsTheNewestResultOfTheService(t *testing.T) {
	recent := healthy()
	recent[probe.TargetAPIKey] = append(recent[probe.TargetAPIKey], probe.Result{Target: probe.TargetAPIKey, Time: judgeNow.Add(time.Second), Class: probe.ClassAuth})
	v := Judge(Input{Status: officialSnap(nil), Recent: recent, Now: judgeNow})
	for _, sv := range v.Services {
		if sv.Service.Key != "api" {
			continue
		}
		if sv.Latest == nil || sv.Latest.Target != probe.TargetAPIKey || sv.Latest.Class != probe.ClassAuth {
			t.Errorf("Latest = %+v, want the api_key auth result", sv.Latest)
		}
		if sv.Official != "operational" {
			t.Errorf("Official = %q", sv.Official)
		}
	}
}
