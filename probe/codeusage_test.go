package probe_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/fakeupstream"
)

const testOAuth = "sk-ant-oat01-SECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRET-AAAAAAAAAAAAAAAAAAAAAAAAAAAAXy7AAA"

// writeCreds writes Claude Code's .credentials.json into a fresh config dir.
func writeCreds(t *testing.T, token string, expires time.Time) string {
	t.Helper()
	dir := t.TempDir()
	body := fmt.Sprintf(`{"claudeAiOauth":{"accessToken":%q,"refreshToken":"sk-ant-ort01-REFRESHREFRESH","expiresAt":%d,"scopes":["user:inference","user:profile"],"subscriptionType":"max"}}`,
		token, expires.UnixMilli())
	if err := os.WriteFile(filepath.Join(dir, ".credentials.json"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCodeUsageProber(t *testing.T) {
	now := time.Now()
	future := now.Add(5 * time.Hour)
	tests := []struct {
		name        string
		usage       fakeupstream.UsageState
		api         fakeupstream.APIState
		noLogin     bool
		expired     bool
		wantLimits  int
		wantReject  bool
		unavailable string // substring; "" means none
	}{
		{name: "ok", usage: fakeupstream.UsageOK, wantLimits: 2},
		{name: "401", usage: fakeupstream.Usage401, wantReject: true},
		{name: "429", usage: fakeupstream.Usage429, unavailable: "rate limited (429)"},
		{name: "another shape", usage: fakeupstream.UsageShape, unavailable: "another shape"},
		{name: "not JSON", usage: fakeupstream.UsageNotJSON, unavailable: "another shape"},
		{name: "only five_hour, no reset time", usage: fakeupstream.UsagePartial, wantLimits: 1},
		{name: "huge", usage: fakeupstream.UsageHuge, unavailable: "over 64 KiB"},
		{name: "no profile scope", usage: fakeupstream.UsageScope, unavailable: "user:profile"},
		{name: "API overloaded", usage: fakeupstream.UsageOK, api: fakeupstream.API529, unavailable: "529"},
		{name: "API reset", usage: fakeupstream.UsageOK, api: fakeupstream.APIReset, unavailable: "reset"},
		{name: "no login", noLogin: true, unavailable: "no Claude Code login"},
		{name: "expired token is not sent", expired: true, unavailable: "renews it when it next runs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := fakeupstream.NewHandler(fakeupstream.ModeOperational)
			defer h.Close()
			if tt.usage != "" {
				h.SetUsage(tt.usage)
			}
			if tt.api != "" {
				h.SetScenario(fakeupstream.Scenario{API: tt.api})
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			exp := future
			if tt.expired {
				exp = now.Add(-time.Hour)
			}
			dir := writeCreds(t, testOAuth, exp)
			if tt.noLogin {
				dir = t.TempDir()
			}
			p := &probe.CodeUsageProber{APIURL: srv.URL, ConfigDir: dir, GOOS: "linux", Timeout: 2 * time.Second}
			u := p.Probe(context.Background())
			if len(u.Limits) != tt.wantLimits || u.Rejected != tt.wantReject {
				t.Fatalf("got %+v", u)
			}
			if tt.unavailable == "" && u.Unavailable != "" || !strings.Contains(u.Unavailable, tt.unavailable) {
				t.Errorf("unavailable = %q, want %q", u.Unavailable, tt.unavailable)
			}
			if tt.expired || tt.noLogin {
				if n := h.Requests(probe.CodeUsagePath); n != 0 {
					t.Errorf("%d calls made without a usable login", n)
				}
			}
			assertNoToken(t, fmt.Sprintf("%+v %#v %s", u, u, u.Summary(now, time.UTC)))
		})
	}
}

func TestCodeUsageSummary(t *testing.T) {
	h := fakeupstream.NewHandler(fakeupstream.ModeOperational)
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()
	p := &probe.CodeUsageProber{APIURL: srv.URL, ConfigDir: writeCreds(t, testOAuth, time.Now().Add(time.Hour)), Timeout: 2 * time.Second}
	u := p.Probe(context.Background())
	got := u.Summary(u.Time, time.UTC)
	want := fmt.Sprintf("5-hour: 61%%, resets %s; week: 22%%, resets %s",
		u.Time.UTC().Add(fakeupstream.UsageResetsIn).Format("15:04"), u.Time.UTC().Add(4*24*time.Hour+3*time.Hour).Format("Mon 15:04"))
	if got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if l, ok := u.Limit("five_hour"); !ok || l.Utilization != 61 || l.ResetsAt.IsZero() {
		t.Errorf("five_hour = %+v", l)
	}
}

// TestCodeUsageTokenGoesOnlyToTheAPIHost: the token is sent in the
// Authorization header of the one call, never across a redirect, and never
// over plain http to another machine.
func TestCodeUsageTokenGoesOnlyToTheAPIHost(t *testing.T) {
	var elsewhere []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere = append(elsewhere, r.Header.Get("Authorization"))
	}))
	defer other.Close()
	var got []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Authorization")+" "+r.Header.Get("anthropic-beta")+" "+r.URL.Path)
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	}))
	defer api.Close()
	p := &probe.CodeUsageProber{APIURL: api.URL, ConfigDir: writeCreds(t, testOAuth, time.Now().Add(time.Hour)), Timeout: 2 * time.Second}
	u := p.Probe(context.Background())
	if len(got) != 1 || got[0] != "Bearer "+testOAuth+" oauth-2025-04-20 /api/oauth/usage" {
		t.Errorf("API host got %q", got)
	}
	if len(elsewhere) != 0 {
		t.Errorf("the redirect target got %q", elsewhere)
	}
	if u.Unavailable == "" {
		t.Errorf("a redirect gave %+v", u)
	}
	assertNoToken(t, fmt.Sprintf("%+v", u))

	// Plain http to a host that is not this machine: nothing is sent.
	p.APIURL = "http://api.example.invalid"
	u = p.Probe(context.Background())
	if !strings.Contains(u.Unavailable, "not https") {
		t.Errorf("plain http: %+v", u)
	}
}

func TestCodeUsageKeychain(t *testing.T) {
	h := fakeupstream.NewHandler(fakeupstream.ModeOperational)
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()
	var asked []string
	p := &probe.CodeUsageProber{APIURL: srv.URL, ConfigDir: t.TempDir(), GOOS: "darwin", Timeout: 2 * time.Second,
		Keychain: func(_ context.Context, service string) ([]byte, error) {
			asked = append(asked, service)
			return []byte(fmt.Sprintf(`{"claudeAiOauth":{"accessToken":%q,"expiresAt":%d}}`+"\n", testOAuth, time.Now().Add(time.Hour).UnixMilli())), nil
		}}
	if u := p.Probe(context.Background()); len(u.Limits) != 2 {
		t.Fatalf("keychain login: %+v", u)
	}
	if len(asked) != 1 || asked[0] != "Claude Code-credentials" {
		t.Errorf("keychain service = %q", asked)
	}
	p.ConfigDirSet = true
	p.Keychain = func(_ context.Context, service string) ([]byte, error) {
		asked = append(asked, service)
		return nil, errors.New("exit status 44")
	}
	u := p.Probe(context.Background())
	if !strings.HasPrefix(asked[1], "Claude Code-credentials-") || len(asked[1]) != len("Claude Code-credentials-")+8 {
		t.Errorf("keychain service with CLAUDE_CONFIG_DIR = %q", asked[1])
	}
	if u.Unavailable == "" {
		t.Errorf("keychain failure: %+v", u)
	}
}

// TestLocalChecksUseTheLiveLogin: with --code-usage the API's 401 marks
// Claude Code's login rejected in the local checks; a 200 confirms it.
func TestLocalChecksUseTheLiveLogin(t *testing.T) {
	h := fakeupstream.NewHandler(fakeupstream.ModeOperational)
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()
	dir := writeCreds(t, testOAuth, time.Now().Add(5*time.Hour))
	env := map[string]string{"CLAUDE_CONFIG_DIR": dir, "HOME": t.TempDir()}
	lc := probe.NewLocalChecker(probe.LocalOptions{
		Getenv: func(k string) string { return env[k] }, APIURL: srv.URL, StatusURL: srv.URL, ClaudeURL: srv.URL,
		ClaudeBin: "downforai-no-such-claude", Timeout: 2 * time.Second,
		CodeUsage: &probe.CodeUsageProber{},
	})
	rep := lc.Run(context.Background())
	c, _ := rep.Check("code_login")
	if rep.CodeUsage == nil || len(rep.CodeUsage.Limits) != 2 || c.Level != probe.LocalOK || !strings.Contains(c.Text, "the API accepts it") {
		t.Fatalf("ok: usage %+v, check %+v", rep.CodeUsage, c)
	}

	h.SetUsage(fakeupstream.Usage401)
	rep = lc.Run(context.Background())
	c, _ = rep.Check("code_login")
	if c.Level != probe.LocalFail || c.Class != probe.ClassAuth || !strings.Contains(c.Text, "rejected by Anthropic (401): run /login") {
		t.Fatalf("401: check %+v", c)
	}
	// The fake's 401 says "OAuth token has expired", but the file holds the
	// token valid for 5 h: a rejection, never "past its expiry".
	if strings.Contains(c.Text, "expired") {
		t.Errorf("401 on a token the file holds valid says %q", c.Text)
	}
	if e, ok := catalogue.ForCheck(c); !ok || e.ID == catalogue.EntryOAuthExpired || strings.Contains(e.What, "expir") {
		t.Errorf("401 on an unexpired token points at %v (%q)", e.ID, e.What)
	}
	// The credential in effect is the login just refused: never a green
	// row under the refusal (cold2 C20).
	cred, _ := rep.Check(probe.CheckCredential)
	if cred.Level != probe.LocalFail || cred.Class != probe.ClassAuth || !strings.Contains(cred.Text, "Claude Code login") ||
		!strings.Contains(cred.Text, "rejected by Anthropic (401)") || !strings.Contains(cred.Text, "run /login") {
		t.Errorf("401: credential in effect %+v", cred)
	}
	if e, ok := catalogue.ForCheck(cred); ok {
		t.Errorf("401: the credential row points at %v too (the login check's entry speaks for it)", e.ID)
	}
	if got := rep.CodeUsage.Summary(time.Now(), time.UTC); got != "Claude Code's login is rejected by Anthropic (401): run /login" {
		t.Errorf("summary = %q", got)
	}
	assertNoToken(t, fmt.Sprintf("%+v %#v", rep, rep))

	// With a key in the environment Claude Code sends the key, not the
	// refused login: that row stays as it is.
	env["ANTHROPIC_API_KEY"] = "sk-ant-api03-" + strings.Repeat("k", 93) + "AA"
	rep = lc.Run(context.Background())
	if cred, _ := rep.Check(probe.CheckCredential); cred.Level != probe.LocalOK || strings.Contains(cred.Text, "rejected") {
		t.Errorf("401 with ANTHROPIC_API_KEY in effect: credential row %+v", cred)
	}
	// Nor is the refusal of a login not in use a failure: the login
	// check and the usage summary say the key is what Claude Code sends.
	const unused = "Claude Code uses ANTHROPIC_API_KEY here; its /login is not in use (the usage call with the login got 401"
	if c, _ := rep.Check("code_login"); !strings.Contains(c.Text, "got 401 at ") {
		t.Errorf("login check %q: want \"got 401 at …\"", c.Text)
	}
	if c, _ := rep.Check("code_login"); c.Level >= probe.LocalWarn || c.Class != probe.ClassUnknown || !strings.HasPrefix(c.Text, unused) || strings.Contains(c.Text, "run /login") {
		t.Errorf("401 with ANTHROPIC_API_KEY in effect: login check %+v", c)
	}
	if got := rep.CodeUsage.Summary(time.Now(), time.UTC); !strings.HasPrefix(got, unused) || !rep.CodeUsage.LoginUnused() {
		t.Errorf("401 with ANTHROPIC_API_KEY in effect: summary = %q", got)
	}
	delete(env, "ANTHROPIC_API_KEY")

	// Off: no call, nothing to show.
	lc = probe.NewLocalChecker(probe.LocalOptions{
		Getenv: func(k string) string { return env[k] }, APIURL: srv.URL, StatusURL: srv.URL, ClaudeURL: srv.URL,
		ClaudeBin: "downforai-no-such-claude", Timeout: 2 * time.Second,
	})
	before := h.Requests(probe.CodeUsagePath)
	if rep = lc.Run(context.Background()); rep.CodeUsage != nil || h.Requests(probe.CodeUsagePath) != before {
		t.Errorf("off: usage %+v, %d calls", rep.CodeUsage, h.Requests(probe.CodeUsagePath)-before)
	}
}

func assertNoToken(t *testing.T, s string) {
	t.Helper()
	for _, bad := range []string{"SECRETSECRET", "REFRESHREFRESH", testOAuth[len(testOAuth)-12:]} {
		if strings.Contains(s, bad) {
			t.Errorf("token leaked: %q holds %q", s, bad)
		}
	}
}

// TestSessionErrorKindInWords: a call refused without an HTTP status is
// named in words beside "529 overloaded", never by its class code.
func TestSessionErrorKindInWords(t *testing.T) {
	for _, tt := range []struct {
		r    probe.Result
		want string
	}{
		{probe.Result{Class: probe.ClassOverloaded, HTTPStatus: 529}, "529 overloaded"},
		{probe.Result{Class: probe.ClassRateLimited, HTTPStatus: 429}, "429"},
		{probe.Result{Class: probe.ClassRateLimited}, "rate limited"},
		{probe.Result{Class: probe.ClassNetwork, ErrorType: "reset"}, "network reset"},
	} {
		if got := probe.SessionErrorKind(tt.r); got != tt.want {
			t.Errorf("SessionErrorKind(%v) = %q, want %q", tt.r.Class, got, tt.want)
		}
	}
}
