package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// svc is the verdict's service of that key.
func svc(t *testing.T, v probe.Verdict, key string) probe.ServiceVerdict {
	t.Helper()
	for _, s := range v.Services {
		if s.Service.Key == key {
			return s
		}
	}
	t.Fatalf("no service %s in %+v", key, v.Services)
	return probe.ServiceVerdict{}
}

// TestJudgePageAloneIsNotAllClear: the status page read as operational
// before any probe of ours answered is "Checking…", never "All clear"; the
// page naming an outage is said as Anthropic's report.
func TestJudgePageAloneIsNotAllClear(t *testing.T) {
	in := input(row{page: "operational", api: "none", cred: "none", net: "ok"})
	v := Judge(in)
	if v.Kind != probe.VerdictUnknown || strings.Contains(v.Headline, "All clear") {
		t.Errorf("page operational, no probe yet: %v %q", v.Kind, v.Headline)
	}
}

// TestJudgeAnOutageOnlyThePageSpeaksFor: our probes pass, Claude Code has
// no CLI here, and the page says Claude Code is in a major outage: that
// leads — silence is not "all clear".
func TestJudgeAnOutageOnlyThePageSpeaksFor(t *testing.T) {
	in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
	for i := range in.Status.Components {
		if in.Status.Components[i].ID == compCode {
			in.Status.Components[i].Status = probe.ComponentMajorOutage
		}
	}
	in.Status.Indicator = "major"
	v := Judge(in)
	if v.Kind != probe.VerdictOutage || !strings.Contains(v.Headline, "Claude Code") || strings.Contains(v.Headline, "All clear") {
		t.Errorf("Claude Code in major outage by the page: %v %q", v.Kind, v.Headline)
	}
}

// TestJudgeMaintenanceInProgressOnly: a maintenance being verified is
// under way; one only scheduled is not, so a failing API during it is not
// "errors expected".
func TestJudgeMaintenanceInProgressOnly(t *testing.T) {
	for _, tt := range []struct {
		status string
		want   probe.VerdictKind
	}{
		{"in_progress", probe.VerdictMaintenance},
		{"verifying", probe.VerdictMaintenance},
		{"scheduled", probe.VerdictUnacknowledged},
		{"completed", probe.VerdictUnacknowledged},
	} {
		t.Run(tt.status, func(t *testing.T) {
			in := input(row{page: "maintenance", api: "529", claude: "ok", cred: "good", net: "ok"})
			for i := range in.Status.Components {
				in.Status.Components[i].Status = probe.ComponentOperational
			}
			in.Status.Indicator = "none"
			in.Status.Maintenances[0].Status = tt.status
			if got := svc(t, Judge(in), "api").Kind; got != tt.want {
				t.Errorf("API failing during a %s maintenance: %v, want %v", tt.status, got, tt.want)
			}
		})
	}
}

// TestJudgeLastKnownAtTheStaleLimit: our probes exactly StaleAfter old are
// still current (the limit is "older than"); past it the headline says
// "Last known"; with no limit (0) never.
func TestJudgeLastKnownAtTheStaleLimit(t *testing.T) {
	for _, tt := range []struct {
		name       string
		age, limit time.Duration
		last       bool
	}{
		{"at the limit", staleAfter, staleAfter, false},
		{"past it", staleAfter + time.Second, staleAfter, true},
		{"no limit", time.Hour, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := input(row{page: "operational", api: "529", claude: "ok", cred: "good", net: "ok"})
			in.StaleAfter = tt.limit
			// Move the clock so the newest probe is tt.age old; the page was
			// read with it.
			var newest time.Time
			for tg, rs := range in.Recent {
				if tg != probe.TargetStatus && len(rs) > 0 && rs[len(rs)-1].Time.After(newest) {
					newest = rs[len(rs)-1].Time
				}
			}
			in.Now = newest.Add(tt.age)
			v := Judge(in)
			if got := strings.HasPrefix(v.Headline, "Last known"); got != tt.last {
				t.Errorf("probes %v old, limit %v: %q", tt.age, tt.limit, v.Headline)
			}
		})
	}
}

// TestJudgeServiceFacts: what "Why we say so" lists for a service.
func TestJudgeServiceFacts(t *testing.T) {
	t.Run("recovering is said only after a success", func(t *testing.T) {
		in := input(row{page: "operational", api: "529", claude: "ok", cred: "good", net: "ok"})
		for _, f := range svc(t, Judge(in), "api").Facts {
			if strings.Contains(f, "recovering") {
				t.Errorf("two 529s and no success: %q", f)
			}
		}
		ok, key := apiResults("ok", true)
		ok.Time, key.Time = now.Add(-5*time.Second), now.Add(-5*time.Second)
		in.Recent[probe.TargetAPI] = append(in.Recent[probe.TargetAPI], ok)
		in.Recent[probe.TargetAPIKey] = append(in.Recent[probe.TargetAPIKey], key)
		facts := strings.Join(svc(t, Judge(in), "api").Facts, "\n")
		if !strings.Contains(facts, "the last 1 probe succeeded: recovering") {
			t.Errorf("two 529s, then a success: %q", facts)
		}
	})
	t.Run("unstable is said with its count", func(t *testing.T) {
		in := input(row{page: "flap", api: "flap", claude: "ok", cred: "good", net: "ok"})
		facts := strings.Join(svc(t, Judge(in), "api").Facts, "\n")
		if !strings.Contains(facts, "12 of 24 Claude API probes with and without your key in the last minute failed (529 overloaded)") {
			t.Errorf("flapping API: %q", facts)
		}
	})
	t.Run("the page, fresh and stale", func(t *testing.T) {
		in := input(row{page: "degraded", api: "ok", claude: "ok", cred: "good", net: "ok"})
		facts := strings.Join(svc(t, Judge(in), "api").Facts, "\n")
		if !strings.Contains(facts, "Anthropic reports Claude API as degraded performance") || strings.Contains(facts, "last read") {
			t.Errorf("fresh page: %q", facts)
		}
		in = input(row{page: "unreadable_once", api: "ok", claude: "ok", cred: "good", net: "ok"})
		facts = strings.Join(svc(t, Judge(in), "api").Facts, "\n")
		if !strings.Contains(facts, "Anthropic reported Claude API as operational (last read ") {
			t.Errorf("stale page: %q", facts)
		}
	})
	t.Run("another credential set beside the one Claude Code sends", func(t *testing.T) {
		in := input(row{page: "operational", api: "ok", claude: "ok", cred: "token_ne_key", net: "ok"})
		facts := strings.Join(svc(t, Judge(in), "api").Facts, "\n")
		if !strings.Contains(facts, "the credential Claude Code sends works; also set, not sent by it: ANTHROPIC_API_KEY: 401") {
			t.Errorf("the other credential is not said: %q", facts)
		}
	})
}

// TestAgoAtTheMinute: 59 s is said in seconds, a minute as "1 min".
func TestAgoAtTheMinute(t *testing.T) {
	for d, want := range map[time.Duration]string{59 * time.Second: "59 s ago", time.Minute: "1 min ago", -time.Second: "just now"} {
		if got := ago(d); got != want {
			t.Errorf("ago(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestEvidenceLineWithoutAMessage: a refusal whose only words are the
// prober's note of Retry-After quotes nothing: the header is said as such.
func TestEvidenceLineWithoutAMessage(t *testing.T) {
	r := probe.Result{Target: probe.TargetAPIKey, Time: now, Class: probe.ClassRateLimited, HTTPStatus: 429, ErrorType: "rate_limit_error",
		Message: " (retry after 30s)", RateLimit: probe.RateLimit{RetryAfter: 30 * time.Second}}
	got := EvidenceLine(r, nil, nil)
	if strings.Contains(got, `"`) || !strings.Contains(got, "429 rate_limit_error · retry-after 30s") {
		t.Errorf("%q", got)
	}
}

// TestJudgeAllClearLeadsWithWhatWeProbed: all clear, and Claude Code has
// no CLI here: the verdict's facts (three at most) start with a service our
// probes answered for, not with the one only the page speaks for.
func TestJudgeAllClearLeadsWithWhatWeProbed(t *testing.T) {
	v := Judge(input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"}))
	if v.Kind != probe.VerdictOperational || len(v.Facts) == 0 || strings.Contains(v.Facts[0], "Claude Code") {
		t.Errorf("%v %q %q", v.Kind, v.Headline, v.Facts)
	}
}

// TestJudgeStaleAtTheLimit: the verdict is stale when everything it knows
// (our probes, the page's reads) is older than the limit — exactly at the
// limit it is still current, as "Last known" is.
func TestJudgeStaleAtTheLimit(t *testing.T) {
	in := input(row{page: "operational", api: "ok", claude: "ok", cred: "good", net: "ok"})
	var last time.Time
	for _, rs := range in.Recent {
		for _, r := range rs {
			if r.Time.After(last) {
				last = r.Time
			}
		}
	}
	if in.Status.Fetched.After(last) {
		last = in.Status.Fetched
	}
	for age, want := range map[time.Duration]bool{staleAfter: false, staleAfter + time.Second: true} {
		in.Now = last.Add(age)
		if v := Judge(in); v.Stale != want {
			t.Errorf("everything %v old, limit %v: stale %v", age, staleAfter, v.Stale)
		}
	}
}
