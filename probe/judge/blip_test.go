package judge

import (
	"strings"
	"testing"
	"time"

	"downforai/probe"
)

// TestOneFailureIsNotOurProbesSucceed: the newest probe failing once after
// successes does not change the verdict yet (two in a row do), but the
// headline never says "our probes succeed" beside it.
func TestOneFailureIsNotOurProbesSucceed(t *testing.T) {
	for _, tc := range []struct {
		page, api, says string
	}{
		{"operational", "529", "One failure, not yet a verdict: the newest Claude API probe failed (529 overloaded) after successes — a second failure in a row changes the verdict; Anthropic reports no problem."},
		{"operational", "timeout", "the newest Claude API probe failed (timed out after 2s, after connecting)"},
		{"unreadable_html", "500", "One failure, not yet a verdict: the newest Claude API probe failed (500 server error) after successes — a second failure in a row changes the verdict; the status page could not be read since"},
	} {
		t.Run(tc.page+"/"+tc.api, func(t *testing.T) {
			in := input(row{tc.page, "ok", "ok", "none", "ok", 0, "", nil})
			bad, _ := apiResults(tc.api, false)
			bad.Time = now.Add(-time.Second)
			in.Recent[probe.TargetAPI] = append(in.Recent[probe.TargetAPI], bad)
			v := Judge(in)
			if v.Kind != probe.VerdictOperational {
				t.Errorf("verdict %s after one failure, want operational until a second", v.Kind.Key())
			}
			if !strings.Contains(v.Headline, tc.says) || strings.Contains(v.Headline, "our probes succeed") {
				t.Errorf("headline %q\nwant %q", v.Headline, tc.says)
			}
		})
	}
}

// TestOutageOnsetIsNotConflicting (cold6 E1): the page turns to an outage
// and our newest probe fails in the same round, the one before having
// succeeded. The newest probe agrees with the page: never "Conflicting: …
// but our probes succeed" beside rows that read ✖ 529; and where the
// page's word stays the verdict (degraded, maintenance), the sentence
// says what the newest probe got.
func TestOutageOnsetIsNotConflicting(t *testing.T) {
	for _, tc := range []struct {
		page, claude string
		kind         probe.VerdictKind
		says         string
	}{
		{"major", "", probe.VerdictOutage, "Anthropic outage: Claude API failing from here (529 overloaded; the newest probe, after successes) — acknowledged on the status page (Elevated errors for multiple models)."},
		{"partial", "", probe.VerdictOutage, "Anthropic outage: Claude API failing from here (529 overloaded; the newest probe, after successes) — acknowledged on the status page (partial outage)."},
		{"degraded", "", probe.VerdictDegraded, "Degraded: Anthropic reports Claude API as degraded performance; the newest Claude API probe failed (529 overloaded) after successes."},
		{"maintenance", "", probe.VerdictMaintenance, "the newest Claude API probe failed (529 overloaded) after successes."},
		{"major", "503", probe.VerdictOutage, "— acknowledged on the status page (Elevated errors for multiple models). Also failing from here: Claude (claude.ai) (503 server error; partial outage on the status page)."},
	} {
		t.Run(tc.page+tc.claude, func(t *testing.T) {
			in := input(row{tc.page, "ok", "ok", "none", "ok", 0, "", nil})
			bad, _ := apiResults("529", false)
			bad.Time = now.Add(-time.Second)
			in.Recent[probe.TargetAPI] = append(in.Recent[probe.TargetAPI], bad)
			if tc.claude != "" {
				c := claudeResult(tc.claude)
				c.Time = now.Add(-time.Second)
				in.Recent[probe.TargetClaudeAI] = append(in.Recent[probe.TargetClaudeAI], c)
			}
			v := Judge(in)
			if v.Kind != tc.kind || !strings.Contains(v.Headline, tc.says) || strings.Contains(v.Headline, "our probes succeed") {
				t.Errorf("verdict %s %q\nwant %s saying %q", v.Kind.Key(), v.Headline, tc.kind.Key(), tc.says)
			}
		})
	}
	// Cold walk of Dec 7: the key refused (401) as the page turned major
	// is no agreement with the outage: never "Anthropic outage: … failing
	// from here (401 credential rejected …)".
	for _, api := range []string{"401", "credit", "proxy407"} {
		in := input(row{"major", "ok", "ok", "good", "ok", 0, "", nil})
		_, bad := apiResults(api, true)
		bad.Time = now.Add(-time.Second)
		in.Recent[probe.TargetAPIKey] = append(in.Recent[probe.TargetAPIKey], bad)
		v := Judge(in)
		if strings.Contains(v.Headline, "failing from here") || strings.Contains(v.Headline, "our probes succeed") {
			t.Errorf("the key's %s as the page turned major: %s %q", api, v.Kind.Key(), v.Headline)
		}
	}
	// Succeeding still, the page's outage is the conflict it was.
	if v := Judge(input(row{"major", "ok", "ok", "none", "ok", 0, "", nil})); v.Kind != probe.VerdictConflicting || !strings.Contains(v.Headline, "but our probes succeed") {
		t.Errorf("probes up under a major outage: %s %q", v.Kind.Key(), v.Headline)
	}
}

// TestRefusalWithRetryAfterCountsAtOnce (cold C7): a 429 on the key with
// a Retry-After holds the next probe back for that long, so no second one
// can confirm it sooner: the refusal is the verdict at once, never "All
// clear" for the whole Retry-After.
func TestRefusalWithRetryAfterCountsAtOnce(t *testing.T) {
	for _, tc := range []struct {
		api  string
		kind probe.VerdictKind
	}{
		{"429", probe.VerdictLocalQuota},      // "(retry after 30s)", the key's account limit
		{"429_used", probe.VerdictLocalQuota}, // its requests used up
		{"429_bare", probe.VerdictDegraded},   // room left: likely Anthropic's
	} {
		t.Run(tc.api, func(t *testing.T) {
			in := input(row{"operational", "ok", "ok", "good", "ok", 0, "", nil})
			_, bad := apiResults(tc.api, true)
			bad.Time = now.Add(-time.Second)
			bad.RateLimit.RetryAfter = 30 * time.Second
			in.Recent[probe.TargetAPIKey] = append(in.Recent[probe.TargetAPIKey], bad)
			if v := Judge(in); v.Kind != tc.kind {
				t.Errorf("verdict %s %q, want %s", v.Kind.Key(), v.Headline, tc.kind.Key())
			}
		})
	}
	// Without a Retry-After one refusal is a blip until the next probe.
	in := input(row{"operational", "ok", "ok", "good", "ok", 0, "", nil})
	_, bad := apiResults("credit", true)
	bad.Time = now.Add(-time.Second)
	in.Recent[probe.TargetAPIKey] = append(in.Recent[probe.TargetAPIKey], bad)
	if v := Judge(in); v.Kind != probe.VerdictOperational || !strings.Contains(v.Headline, "One failure, not yet a verdict") {
		t.Errorf("one credit refusal: %s %q", v.Kind.Key(), v.Headline)
	}
}

// TestUnreadPageSaysItsReads (cold C4): "Claude answers from here; the
// status page could not be read" carries the observations behind it, each
// with its time: the newest failed read and the last good one.
func TestUnreadPageSaysItsReads(t *testing.T) {
	v := Judge(input(row{"unreadable_html", "ok", "ok", "good", "ok", 0, "", nil}))
	facts := strings.Join(v.Facts, "\n")
	for _, want := range []string{"newest attempt to read the status page, 14:01:00 UTC (1 min ago), failed: status page answered 200 with an HTML page", "last good read of the status page: 13:52 UTC (10 min ago), which said "} {
		if !strings.Contains(facts, want) {
			t.Errorf("facts lack %q:\n%s", want, facts)
		}
	}
}

// TestLastReadSaysWhatItSaid: once the page cannot be read, the headline
// no longer says what Anthropic reports; the facts keep what the last
// good read said, in the page's words, as that read's — a maintenance in
// progress is not lost behind "last good read: 09:44".
func TestLastReadSaysWhatItSaid(t *testing.T) {
	st := &probe.Status{Description: "System under maintenance\x1b[31m",
		Maintenances: []probe.Incident{{Name: "Claude API network maintenance", Status: "in_progress"}, {Name: "Later", Status: "scheduled"}},
		Incidents:    []probe.Incident{{Name: "Elevated errors", Status: "investigating"}}}
	got := lastSaid(st)
	want := `"System under maintenance"; incident "Elevated errors" (investigating); maintenance "Claude API network maintenance" in progress`
	if got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if lastSaid(nil) != "" || lastSaid(&probe.Status{}) != "" {
		t.Error("said something of nothing")
	}
}

// TestHeldVerdictSaysTheNewestDiffers (cold walk of Dec 7): a proxy's 407s,
// then one 529: the verdict holds "Your network: a proxy … (407 …)" until a
// second 529, but its headline says the newest probe got another answer,
// never as though the 407 were of now.
func TestHeldVerdictSaysTheNewestDiffers(t *testing.T) {
	in := input(row{"operational", "proxy407", "ok", "good", "ok", 0, "", nil})
	for _, tg := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey} {
		reach, key := apiResults("529", true)
		r := reach
		if tg == probe.TargetAPIKey {
			r = key
		}
		r.Time = now.Add(time.Second)
		in.Recent[tg] = append(in.Recent[tg], r)
	}
	in.Now = now.Add(2 * time.Second)
	v := Judge(in)
	held := Judge(input(row{"operational", "proxy407", "ok", "good", "ok", 0, "", nil}))
	if v.Kind != held.Kind {
		t.Fatalf("one 529 moved the verdict: %s, held %s", v.Kind.Key(), held.Kind.Key())
	}
	if !strings.Contains(v.Headline, "The newest Claude API probe got 529 overloaded: a second in a row changes the verdict.") {
		t.Errorf("headline %q", v.Headline)
	}
	if strings.Contains(held.Headline, "The newest") {
		t.Errorf("a steady state says the newest differs: %q", held.Headline)
	}
}
