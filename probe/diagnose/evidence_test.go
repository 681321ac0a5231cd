package diagnose

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/fakeupstream"
	"downforai/probe/judge"
	"downforai/probe/probetest"
)

// scenarioChecks are the real checks, local check included, against the
// fake upstream, with the environment env.
func scenarioChecks(t *testing.T, url string, env map[string]string) []probe.Check {
	t.Helper()
	if env["HOME"] == "" {
		env["HOME"] = t.TempDir()
	}
	cfg := probe.Config{
		StatusURL: url, APIURL: url, ClaudeURL: url,
		APIKey:    env["ANTHROPIC_API_KEY"],
		ClaudeBin: filepath.Join(t.TempDir(), "no-such-claude"),
		Timeout:   5 * time.Second,
		Env:       probetest.Env(env),
	}
	return append(probe.NewChecks(cfg), probe.NewLocalCheck(cfg))
}

func gatherRounds(t *testing.T, checks []probe.Check, n int) Evidence {
	t.Helper()
	e := probe.NewEngine(checks, nil)
	ev := Evidence{Version: "test"}
	for range n {
		for _, x := range e.RunOnce(t.Context()) {
			ev.Add(x)
		}
	}
	ev.Now = time.Now()
	return ev
}

// TestVerdictScenarios plays the "done when" cases against the
// fake: 529 with an official incident, 529 with a green page, 401 with a
// green page; and DNS failing on every target.
func TestVerdictScenarios(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	defer fake.Close()
	key := probetest.Key("s")
	tests := []struct {
		mode     fakeupstream.Mode
		kind     probe.VerdictKind
		headline []string
		facts    []string
		finding  catalogue.EntryID
	}{
		{fakeupstream.ModeMajorOutage, probe.VerdictOutage,
			[]string{"Anthropic outage: ", "acknowledged on the status page (Elevated errors for multiple models)"},
			[]string{"status page incident: Elevated errors for multiple models (identified)"}, catalogue.EntryOverloaded},
		{fakeupstream.ModeUnacknowledged, probe.VerdictUnacknowledged,
			[]string{"Anthropic problem, not yet acknowledged: Claude API", "status page shows it operational"},
			[]string{"/v1/models → 529 overloaded_error \"Overloaded\" · request-id req_011CFake", "Anthropic reports Claude API as operational"}, catalogue.EntryOverloaded},
		{fakeupstream.ModeInvalidKey, probe.VerdictLocalCredential,
			[]string{"Your credential: the API rejects ANTHROPIC_API_KEY (Invalid API key): it answered 401 \"invalid x-api-key\"."},
			[]string{"GET " + fake.URL + "/v1/models → 401 authentication_error \"invalid x-api-key\" · request-id req_011CFake",
				"credential: ANTHROPIC_API_KEY, API key sk-ant-api03-…7AAA"}, catalogue.EntryInvalidKey},
		{fakeupstream.ModeCredit, probe.VerdictLocalQuota,
			[]string{"Your quota or billing: Credit balance too low on ANTHROPIC_API_KEY."},
			[]string{"400 invalid_request_error \"Your credit balance is too low"}, catalogue.EntryCredit},
		{fakeupstream.ModeOperational, probe.VerdictOperational, []string{"All clear"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			fake.SetMode(tt.mode)
			ev := gatherRounds(t, scenarioChecks(t, fake.URL, map[string]string{"ANTHROPIC_API_KEY": key}), 3)
			v := ev.Verdict()
			if v.Kind != tt.kind {
				t.Fatalf("verdict %v, want %v: %q %q", v.Kind, tt.kind, v.Headline, v.Facts)
			}
			for _, h := range tt.headline {
				if !strings.Contains(v.Headline, h) {
					t.Errorf("headline %q lacks %q", v.Headline, h)
				}
			}
			facts := strings.Join(v.Facts, "\n")
			for _, f := range tt.facts {
				if !strings.Contains(facts, f) {
					t.Errorf("facts lack %q:\n%s", f, facts)
				}
			}
			if n := len(v.Facts); tt.kind != probe.VerdictOperational && (n < 2 || n > 3) {
				t.Errorf("%d facts, want 2 or 3: %q", n, v.Facts)
			}
			fs := Findings(ev)
			switch {
			case tt.finding == "" && len(fs) > 0:
				t.Errorf("findings on a healthy fake: %+v", fs[0].Entry.ID)
			case tt.finding != "" && (len(fs) == 0 || fs[0].Entry.ID != tt.finding):
				t.Errorf("findings %v, want %s first", findingIDs(fs), tt.finding)
			}
			assertNoKey(t, key, v.Headline, facts, Report(ev), Format(Diagnose("Invalid API key"), ev))
		})
	}
}

func findingIDs(fs []Finding) []catalogue.EntryID {
	var ids []catalogue.EntryID
	for _, f := range fs {
		ids = append(ids, f.Entry.ID)
	}
	return ids
}

// assertNoKey fails when any stretch of the key longer than its public
// prefix and masked tail appears in the texts.
func assertNoKey(t *testing.T, key string, texts ...string) {
	t.Helper()
	inner := key[len("sk-ant-api03-") : len(key)-6]
	for _, s := range texts {
		if strings.Contains(s, key) || strings.Contains(s, inner[:12]) || strings.Contains(s, inner[len(inner)-12:]) {
			t.Errorf("secret found in:\n%s", s)
		}
	}
}

func TestVerdictDNSFailureEverywhere(t *testing.T) {
	recent := map[probe.Target][]probe.Result{}
	for _, tg := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI} {
		for i := range 3 {
			recent[tg] = append(recent[tg], probe.Result{Target: tg, Time: probetest.Now.Add(time.Duration(i) * time.Second), Class: probe.ClassNetwork,
				ErrorType: probe.NetDNS, Message: "DNS lookup of api.anthropic.com failed: no such host"})
		}
	}
	local := probetest.QuietChecker(t, nil, func(o *probe.LocalOptions) {
		o.APIURL = "https://api.anthropic.com"
		o.HTTP = probe.NewHTTPProber(probe.HTTPOptions{Proxy: probetest.NoProxy})
		o.LookupHost = func(_ context.Context, h string) ([]string, error) {
			return nil, &net.DNSError{Err: "no such host", Name: h, IsNotFound: true}
		}
		o.Timeout = 200 * time.Millisecond
	})
	rep := local.Run(t.Context())
	v := judge.Judge(judge.Input{Status: nil, Recent: recent, Now: probetest.Now, Local: rep})
	if v.Kind != probe.VerdictLocalNetwork {
		t.Fatalf("verdict %v %q", v.Kind, v.Headline)
	}
	if !strings.Contains(v.Headline, "Your network or proxy: no Anthropic host answers from here (DNS lookup of api.anthropic.com failed: no such host).") {
		t.Errorf("headline %q", v.Headline)
	}
	if len(v.Facts) < 2 || !strings.HasPrefix(v.Facts[0], "DNS: ") {
		t.Errorf("facts %q", v.Facts)
	}
	fs := Findings(Evidence{Recent: recent, Local: rep, Now: probetest.Now})
	if len(fs) == 0 || fs[0].Entry.ID != catalogue.EntryDNS {
		t.Errorf("findings %v", findingIDs(fs))
	}
}

// TestEvidenceJudgesTheSessions: diagnose and report judge Claude Code's
// own calls with our probes: a usage limit while the API answers is the
// plan's limit.
func TestEvidenceJudgesTheSessions(t *testing.T) {
	now := time.Date(2026, 9, 3, 14, 2, 0, 0, time.UTC)
	ok := probe.Result{Target: probe.TargetAPI, Time: now.Add(-10 * time.Second), Class: probe.ClassOK, HTTPStatus: 401,
		Phases: probe.Phases{Connect: time.Millisecond, TLS: time.Millisecond}}
	e := Evidence{Now: now, Recent: map[probe.Target][]probe.Result{probe.TargetAPI: {ok}},
		Sessions: &probe.SessionsReport{Time: now, Found: true, Recent: []probe.Result{{Target: probe.TargetSessions, Time: now.Add(-20 * time.Second),
			Class: probe.ClassRateLimited, HTTPStatus: 429, ErrorType: "rate_limit", Message: "You've hit your session limit · resets 12:50am (America/Los_Angeles)"}}}}
	v := e.Verdict()
	if v.Kind != probe.VerdictLocalQuota || !strings.Contains(v.Headline, "Your plan's limit") {
		t.Fatalf("%s %q", v.Kind.Key(), v.Headline)
	}
	if len(e.Recent) != 1 {
		t.Fatal("Input changed the evidence's own map")
	}
}
