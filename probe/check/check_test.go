package check

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"downforai/probe"
	"downforai/probe/fakeupstream"
	"downforai/probe/judge"
)

// TestMain checks for leaked goroutines, and keeps Confirm's pause short:
// the tests' recorded rounds are seconds apart; the pacing is tested on
// its own (TestConfirmIsPacedLikeTheDashboard).
func TestMain(m *testing.M) {
	MaxConfirmPause = 50 * time.Millisecond
	goleak.VerifyTestMain(m)
}

// round runs one check round against a fake upstream playing mode.
func round(t *testing.T, mode fakeupstream.Mode, key string) Report {
	t.Helper()
	fake := fakeupstream.New(mode)
	defer fake.Close()
	cfg := probe.Config{
		StatusURL: fake.URL, APIURL: fake.URL, ClaudeURL: fake.URL,
		Interval: time.Minute, StatusInterval: time.Minute, Timeout: 2 * time.Second,
		APIKey:    key,
		ClaudeBin: filepath.Join(t.TempDir(), "no-such-claude"),
		SlowAfter: -1,
	}
	checks := probe.NewChecks(cfg)
	eng := probe.NewEngine(checks, nil)
	return Run(context.Background(), eng, len(checks), time.Now, Past{})
}

func TestExitCodeAgainstTheFake(t *testing.T) {
	const key = "sk-ant-api03-CHECKCANARYxxxxXy7A"
	for _, tc := range []struct {
		mode    fakeupstream.Mode
		key     string
		verdict probe.VerdictKind
		exit    int
	}{
		{fakeupstream.ModeOperational, "", probe.VerdictOperational, ExitOperational},
		{fakeupstream.ModeOperational, key, probe.VerdictOperational, ExitOperational},
		{fakeupstream.ModeMaintenance, "", probe.VerdictMaintenance, ExitDegraded},
		{fakeupstream.ModeInvalidKey, key, probe.VerdictLocalCredential, ExitDegraded},
		{fakeupstream.ModeCredit, key, probe.VerdictLocalQuota, ExitDegraded},
		{fakeupstream.ModeRateLimited, key, probe.VerdictLocalQuota, ExitDegraded},
		{fakeupstream.ModeMajorOutage, key, probe.VerdictOutage, ExitOutage},
		{fakeupstream.ModeUnacknowledged, "", probe.VerdictUnacknowledged, ExitOutage},
		{fakeupstream.ModeServerError, "", probe.VerdictUnacknowledged, ExitOutage},
	} {
		name := string(tc.mode)
		if tc.key != "" {
			name += "/key"
		}
		t.Run(name, func(t *testing.T) {
			r := round(t, tc.mode, tc.key)
			if r.Verdict.Kind != tc.verdict {
				t.Errorf("verdict = %v (%s), want %v", r.Verdict.Kind, r.Verdict.Headline, tc.verdict)
			}
			if got := r.ExitCode(); got != tc.exit {
				t.Errorf("exit = %d, want %d", got, tc.exit)
			}
			var table, js bytes.Buffer
			if err := r.WriteTable(&table); err != nil {
				t.Fatal(err)
			}
			if err := r.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			for _, out := range []string{table.String(), js.String()} {
				if tc.key != "" && strings.Contains(out, "CHECKCANARY") {
					t.Errorf("the key leaked into the output:\n%s", out)
				}
			}
			var got struct {
				Verdict  string `json:"verdict"`
				ExitCode int    `json:"exit_code"`
				Services []struct {
					Service string `json:"service"`
					Probes  []struct{ Target, Class string }
				} `json:"services"`
			}
			if err := json.Unmarshal(js.Bytes(), &got); err != nil {
				t.Fatalf("json: %v\n%s", err, js.String())
			}
			if got.Verdict != tc.verdict.Key() || got.ExitCode != tc.exit || len(got.Services) != len(probe.Services()) {
				t.Errorf("json verdict %q exit %d services %d\n%s", got.Verdict, got.ExitCode, len(got.Services), js.String())
			}
			if !strings.Contains(table.String(), "Verdict ("+tc.verdict.Key()+"): ") {
				t.Errorf("table lacks the verdict:\n%s", table.String())
			}
		})
	}
}

// A network that reaches nothing is the user's problem, not "could not
// check": the answer to "is it me?" is yes.
func TestNothingAnswersIsYourNetwork(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.ModeOperational)
	url := fake.URL
	fake.Close() // the port now refuses connections
	cfg := probe.Config{StatusURL: url, APIURL: url, ClaudeURL: url, Interval: time.Minute,
		StatusInterval: time.Minute, Timeout: 2 * time.Second, ClaudeBin: filepath.Join(t.TempDir(), "none")}
	checks := probe.NewChecks(cfg)
	r := Run(context.Background(), probe.NewEngine(checks, nil), len(checks), time.Now, Past{})
	if r.Verdict.Kind != probe.VerdictLocalNetwork || r.ExitCode() != ExitDegraded {
		t.Errorf("verdict %v exit %d, want local network and 1", r.Verdict.Kind, r.ExitCode())
	}
}

func TestCouldNotCheck(t *testing.T) {
	unknown := func(ctx context.Context) probe.Event {
		return probe.Event{Result: probe.Result{Class: probe.ClassUnknown, Message: "no probe"}}
	}
	for _, tc := range []struct {
		name   string
		checks []probe.Check
		cancel bool
	}{
		{"interrupted", []probe.Check{{Target: probe.TargetAPI, Run: unknown}}, true},
		{"nothing judgeable", []probe.Check{{Target: probe.TargetAPI, Run: unknown}, {Target: probe.TargetClaudeAI, Run: unknown}}, false},
		{"no checks", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancel {
				cancel()
			}
			r := Run(ctx, probe.NewEngine(tc.checks, nil), len(tc.checks), time.Now, Past{})
			if got := r.ExitCode(); got != ExitUnknown {
				t.Errorf("exit = %d (verdict %v), want %d", got, r.Verdict.Kind, ExitUnknown)
			}
			var b bytes.Buffer
			if err := r.WriteTable(&b); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), "exit 3") {
				t.Errorf("table:\n%s", b.String())
			}
		})
	}
}

// Text from the network is drawn without its escape sequences.
func TestHostileTextIsSanitised(t *testing.T) {
	r := Report{
		CheckedAt: time.Unix(0, 0),
		Results: []probe.Result{{Target: probe.TargetAPI, Class: probe.ClassServer,
			ErrorType: "api_error\x1b]0;pwned\x07", Message: "bad\x1b[2Jthing", RequestID: "req\r\n1"}},
	}
	r.Verdict = judge.Judge(judge.Input{Recent: map[probe.Target][]probe.Result{probe.TargetAPI: r.Results}, Now: time.Unix(1, 0)})
	var table, js bytes.Buffer
	r.WriteTable(&table)
	r.WriteJSON(&js)
	for _, out := range []string{table.String(), js.String()} {
		if strings.ContainsAny(out, "\x1b\x07\r") || strings.Contains(out, `\u001b`) {
			t.Errorf("control characters survived:\n%q", out)
		}
	}
}

// A round that includes the local checks is judged with them, as the
// dashboard is: green upstreams and an expired Claude Code login exit 1.
func TestLocalChecksTakePartInTheVerdict(t *testing.T) {
	ok := func(tg probe.Target) probe.Check {
		return probe.Check{Target: tg, Run: func(context.Context) probe.Event {
			return probe.Event{Result: probe.Result{Target: tg, Time: time.Now(), Class: probe.ClassOK, HTTPStatus: 200}}
		}}
	}
	local := probe.Check{Target: probe.TargetLocal, Run: func(context.Context) probe.Event {
		return probe.Event{Result: probe.Result{Target: probe.TargetLocal, Time: time.Now(), Class: probe.ClassOK},
			Local: &probe.LocalReport{
				Credentials: []probe.CredentialInfo{{Source: "Claude Code login"}},
				Checks:      []probe.LocalCheck{{ID: "code_login", Level: probe.LocalFail, Text: "Claude Code's login expired 3 h ago"}},
			}}
	}}
	checks := []probe.Check{ok(probe.TargetAPI), ok(probe.TargetClaudeAI), local}
	r := Run(context.Background(), probe.NewEngine(checks, nil), len(checks), time.Now, Past{})
	if r.Verdict.Kind != probe.VerdictLocalCredential || r.ExitCode() != ExitDegraded {
		t.Errorf("verdict %v exit %d, want %v and %d", r.Verdict.Kind, r.ExitCode(), probe.VerdictLocalCredential, ExitDegraded)
	}
}

var update = flag.Bool("update", false, "rewrite the golden files")

// TestJSONGolden pins check --json's shape, a contract with scripts: every
// field, its name and its form. A change here is a change for every
// script; README documents each field and JSONSchema says which version
// they read. Regenerate with -update, and read the diff as a script would.
func TestJSONGolden(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	api := probe.Result{Target: probe.TargetAPI, Time: at, Class: probe.ClassOverloaded, HTTPStatus: 529,
		Phases: probe.Phases{Total: 1234567 * time.Microsecond}, ErrorType: "overloaded_error", Message: "Overloaded",
		RequestID: "req_011CXYZ"}
	key := probe.Result{Target: probe.TargetAPIKey, Time: at, Class: probe.ClassUnknown, Detail: "no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN set"}
	web := probe.Result{Target: probe.TargetClaudeAI, Time: at, Class: probe.ClassOK, HTTPStatus: 403, Phases: probe.Phases{Total: 87 * time.Millisecond}}
	code := probe.Result{Target: probe.TargetCode, Time: at, Class: probe.ClassUnknown, Detail: "claude not installed"}
	page := probe.Result{Target: probe.TargetStatus, Time: at, Class: probe.ClassOK, HTTPStatus: 200, Phases: probe.Phases{Total: 45 * time.Millisecond}}
	svc := func(key string) probe.Service {
		for _, s := range probe.Services() {
			if s.Key == key {
				return s
			}
		}
		t.Fatalf("no service %s", key)
		return probe.Service{}
	}
	r := Report{
		CheckedAt: at,
		Verdict: probe.Verdict{
			Kind:     probe.VerdictOutage,
			Headline: "Anthropic outage — acknowledged on the status page",
			Facts:    []string{"the last 3 API probes got 529 overloaded_error", "status page: Elevated errors on Claude API"},
			Services: []probe.ServiceVerdict{
				{Service: svc("claude_ai"), Kind: probe.VerdictOperational, Official: "operational"},
				{Service: svc("api"), Kind: probe.VerdictOutage, Official: "major_outage"},
				{Service: svc("claude_code"), Kind: probe.VerdictUnknown},
			},
			Official: probe.Official{State: probe.OfficialFresh, Read: at.Add(-20 * time.Second), Drives: true},
		},
		Status:  &probe.Status{Fetched: at, Indicator: "major", Description: "Partial System Outage"},
		Results: []probe.Result{page, api, key, web, code},
	}
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "check.json.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("check --json changed; if intended, bump JSONSchema when a field is renamed or removed, update README, and run -update.\ngot:\n%s\nwant:\n%s", b.Bytes(), want)
	}
	var v map[string]any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil || v["schema"] != float64(JSONSchema) {
		t.Errorf("schema = %v (%v)", v["schema"], err)
	}
}

// TestNoSinceCheckDidNotSee: check reads the status page once and keeps no
// history, so an unreadable page has no "since" of its own: not in the
// headline ("could not be read since" the moment of the run) and not in
// --json's official.since, which moved on every run.
func TestNoSinceCheckDidNotSee(t *testing.T) {
	r := round(t, fakeupstream.ModeChallenge, "")
	if r.Verdict.Official.State != probe.OfficialUnreadable {
		t.Fatalf("official %q, want unreadable (%s)", r.Verdict.Official.State, r.Verdict.Headline)
	}
	if strings.Contains(r.Verdict.Headline, "since") || !strings.Contains(r.Verdict.Headline, "could not be read (HTML challenge)") {
		t.Errorf("headline %q", r.Verdict.Headline)
	}
	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Official map[string]any `json:"official"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if _, ok := got.Official["since"]; ok || got.Official["state"] != "unreadable" {
		t.Errorf("official %v: want state unreadable and no since", got.Official)
	}
}

// TestPageOnlyVerdictIsAnthropicsReport: without the claude CLI no probe
// of ours judges Claude Code; its "Operational" is the status page's, and
// check says so beside the local "not installed" instead of presenting it
// as our finding.
func TestPageOnlyVerdictIsAnthropicsReport(t *testing.T) {
	r := round(t, fakeupstream.ModeOperational, "")
	var table, js bytes.Buffer
	if err := r.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var code string
	for _, line := range strings.Split(table.String(), "\n") {
		if strings.HasPrefix(line, "Claude Code") {
			code = line
		}
	}
	if !strings.Contains(code, "not installed") || !strings.Contains(code, "Operational (Anthropic's report)") {
		t.Errorf("Claude Code row %q, want the local \"not installed\" and the verdict as Anthropic's report\n%s", code, table.String())
	}
	var got struct {
		Services []struct {
			Service  string `json:"service"`
			PageOnly bool   `json:"page_only"`
		} `json:"services"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, s := range got.Services {
		if s.PageOnly != (s.Service == "claude_code") {
			t.Errorf("%s page_only %v", s.Service, s.PageOnly)
		}
	}
}

// A service's official cell with the newest read failed names the read it
// comes from, not passed off as this round's (cold3 C2: "operational"
// beside "page unreadable (not status JSON)").
func TestOfficialCellNamesTheLastGoodRead(t *testing.T) {
	read := time.Date(2026, 12, 2, 8, 48, 3, 0, time.Local)
	sv := probe.ServiceVerdict{Official: probe.ComponentOperational}
	for _, tt := range []struct {
		name string
		off  probe.Official
		want string
	}{
		{"fresh", probe.Official{State: probe.OfficialFresh, Drives: true, Read: read}, "operational"},
		{"newest read failed", probe.Official{State: probe.OfficialUnreadable, Drives: true, Read: read}, "operational (read 08:48:03)"},
		{"too old to count", probe.Official{State: probe.OfficialUnreadable, Read: read}, "page unreadable"},
	} {
		if got := officialCell(probe.Verdict{Official: tt.off}, sv); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// The probe cell says whose status it is: a proxy's 407 to CONNECT is the
// proxy's, not the host's HTTP answer (cold8 E1).
func TestProbeTextSaysAProxyAnswered(t *testing.T) {
	for _, tc := range []struct {
		r    probe.Result
		want string
	}{
		{probe.Result{Class: probe.ClassNetwork, HTTPStatus: 407, ErrorType: probe.NetProxy}, "network: proxy 407"},
		{probe.Result{Class: probe.ClassNetwork, ErrorType: probe.NetProxy}, "network: proxy"},
		{probe.Result{Class: probe.ClassOK, HTTPStatus: 200}, "ok (HTTP 200)"},
		{probe.Result{Class: probe.ClassUnexpected, HTTPStatus: 401, ErrorType: probe.ErrNotAnthropic}, "unexpected (HTTP 401)"},
	} {
		if got := probeText(tc.r); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.r, got, tc.want)
		}
	}
}
