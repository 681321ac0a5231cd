package probe

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe/fakeupstream"
)

// scenarioChecks are the real checks, local check included, against the
// fake upstream, with the environment env.
func scenarioChecks(t *testing.T, url string, env map[string]string) []Check {
	t.Helper()
	if env["HOME"] == "" {
		env["HOME"] = t.TempDir()
	}
	cfg := Config{
		StatusURL: url, APIURL: url, ClaudeURL: url,
		APIKey:    env["ANTHROPIC_API_KEY"],
		ClaudeBin: filepath.Join(t.TempDir(), "no-such-claude"),
		Timeout:   5 * time.Second,
		Env:       envOf(env),
	}
	return append(NewChecks(cfg), NewLocalCheck(cfg))
}

func gatherRounds(t *testing.T, checks []Check, n int) Evidence {
	t.Helper()
	e := NewEngine(checks, nil)
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
	key := testKey("s")
	tests := []struct {
		mode     fakeupstream.Mode
		kind     VerdictKind
		headline []string
		facts    []string
		finding  EntryID
	}{
		{fakeupstream.ModeMajorOutage, VerdictOutage,
			[]string{"Anthropic outage: ", "acknowledged on the status page (Elevated errors for multiple models)"},
			[]string{"status page incident: Elevated errors for multiple models (identified)"}, EntryOverloaded},
		{fakeupstream.ModeUnacknowledged, VerdictUnacknowledged,
			[]string{"Anthropic problem, not yet acknowledged: Claude API", "status page shows no problem"},
			[]string{"/v1/models → 529 overloaded_error \"Overloaded\" · request-id req_011CFake", "Anthropic reports Claude API as operational"}, EntryOverloaded},
		{fakeupstream.ModeInvalidKey, VerdictLocalCredential,
			[]string{"Your credential: the API rejects ANTHROPIC_API_KEY — Invalid API key."},
			[]string{"GET " + fake.URL + "/v1/models → 401 authentication_error \"invalid x-api-key\" · request-id req_011CFake",
				"credential: ANTHROPIC_API_KEY, API key sk-ant-api03-…7AAA"}, EntryInvalidKey},
		{fakeupstream.ModeCredit, VerdictLocalQuota,
			[]string{"Your quota or billing: Credit balance too low on ANTHROPIC_API_KEY."},
			[]string{"400 invalid_request_error \"Your credit balance is too low"}, EntryCredit},
		{fakeupstream.ModeOperational, VerdictOperational, []string{"All clear"}, nil, ""},
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
			if n := len(v.Facts); tt.kind != VerdictOperational && (n < 2 || n > 3) {
				t.Errorf("%d facts, want 2 or 3: %q", n, v.Facts)
			}
			fs := Findings(ev)
			switch {
			case tt.finding == "" && len(fs) > 0:
				t.Errorf("findings on a healthy fake: %+v", fs[0].Entry.ID)
			case tt.finding != "" && (len(fs) == 0 || fs[0].Entry.ID != tt.finding):
				t.Errorf("findings %v, want %s first", findingIDs(fs), tt.finding)
			}
			assertNoKey(t, key, v.Headline, facts, Report(ev), FormatDiagnosis(Diagnose("Invalid API key"), ev))
		})
	}
}

func findingIDs(fs []Finding) []EntryID {
	var ids []EntryID
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
	recent := map[Target][]Result{}
	for _, tg := range []Target{TargetStatus, TargetAPI, TargetAPIKey, TargetClaudeAI} {
		for i := range 3 {
			recent[tg] = append(recent[tg], Result{Target: tg, Time: judgeNow.Add(time.Duration(i) * time.Second), Class: ClassNetwork,
				ErrorType: NetDNS, Message: "DNS lookup of api.anthropic.com failed: no such host"})
		}
	}
	local := quietChecker(t, nil)
	local.o.APIURL = "https://api.anthropic.com"
	local.o.HTTP = NewHTTPProber(HTTPOptions{Proxy: noProxy})
	local.o.LookupHost = func(_ context.Context, h string) ([]string, error) {
		return nil, &net.DNSError{Err: "no such host", Name: h, IsNotFound: true}
	}
	local.o.Timeout = 200 * time.Millisecond
	rep := local.Run(t.Context())
	v := Judge(JudgeInput{Status: nil, Recent: recent, Now: judgeNow, Local: rep})
	if v.Kind != VerdictLocalNetwork {
		t.Fatalf("verdict %v %q", v.Kind, v.Headline)
	}
	if !strings.Contains(v.Headline, "Your network or proxy: no Anthropic host answers from here (DNS lookup of api.anthropic.com failed: no such host).") {
		t.Errorf("headline %q", v.Headline)
	}
	if len(v.Facts) < 2 || !strings.HasPrefix(v.Facts[0], "DNS: ") {
		t.Errorf("facts %q", v.Facts)
	}
	fs := Findings(Evidence{Recent: recent, Local: rep, Now: judgeNow})
	if len(fs) == 0 || fs[0].Entry.ID != EntryDNS {
		t.Errorf("findings %v", findingIDs(fs))
	}
}

func TestVerdictClaudeCodeLoginExpired(t *testing.T) {
	dir := t.TempDir()
	writeCreds(t, dir, `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-xxxxxxxxxxxxxxxx","expiresAt":`+
		fmt.Sprint(localNow.Add(-3*time.Hour).UnixMilli())+`}}`)
	rep := quietChecker(t, map[string]string{"CLAUDE_CONFIG_DIR": dir}).Run(t.Context())
	v := Judge(JudgeInput{Status: official(nil), Recent: healthy(), Now: judgeNow, Local: rep})
	if v.Kind != VerdictLocalCredential || v.Headline != "Your credential: Claude Code's login expired 3 h ago — run `claude` then /login." {
		t.Errorf("verdict %v %q", v.Kind, v.Headline)
	}
	for _, sv := range v.Services {
		if sv.Service.Key == "claude_code" && sv.Kind != VerdictLocalCredential {
			t.Errorf("Claude Code service %v", sv.Kind)
		}
	}
	// With an API key in effect, Claude Code does not use the login.
	rep = quietChecker(t, map[string]string{"CLAUDE_CONFIG_DIR": dir, "ANTHROPIC_API_KEY": testKey("z")}).Run(t.Context())
	if v := Judge(JudgeInput{Status: official(nil), Recent: healthy(), Now: judgeNow, Local: rep}); v.Kind != VerdictOperational {
		t.Errorf("with a key in effect: %v %q", v.Kind, v.Headline)
	}
}

func TestVerdictBadKeyFormatBeforeAnyProbe(t *testing.T) {
	rep := quietChecker(t, map[string]string{"ANTHROPIC_API_KEY": "sk-ant-oat01-" + strings.Repeat("o", 95)}).Run(t.Context())
	v := Judge(JudgeInput{Now: judgeNow, Local: rep})
	if v.Kind != VerdictLocalCredential || !strings.Contains(v.Headline, "holds an OAuth token") {
		t.Errorf("verdict %v %q", v.Kind, v.Headline)
	}
}
