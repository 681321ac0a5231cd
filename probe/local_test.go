package probe

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

var localNow = time.Date(2026, 9, 3, 14, 0, 0, 0, time.UTC)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// quietChecker is a checker with every slow part stubbed: no claude, DNS
// answering, no proxy, an API server on loopback for the clock.
func quietChecker(t *testing.T, env map[string]string) *LocalChecker {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	if _, ok := env["HOME"]; !ok {
		env["HOME"] = t.TempDir()
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", localNow.Format(http.TimeFormat))
		w.WriteHeader(401)
	})
	return NewLocalChecker(LocalOptions{
		Getenv:     envOf(env),
		GOOS:       "linux",
		APIURL:     srv.URL,
		ClaudeBin:  filepath.Join(t.TempDir(), "no-claude"),
		Timeout:    2 * time.Second,
		HTTP:       NewHTTPProber(HTTPOptions{Proxy: noProxy}),
		LookupHost: func(context.Context, string) ([]string, error) { return []string{"160.79.104.10"}, nil },
		Now:        func() time.Time { return localNow },
	})
}

// TestLocalCredentials: a key's format is at most a warning — a note the
// key probe's live answer confirms or not (issue 19) — with the class and
// cause the catalogue needs when the key is rejected.
func TestLocalCredentials(t *testing.T) {
	good := testKey("g")
	tests := []struct {
		name   string
		env    map[string]string
		level  LocalLevel
		entry  finding
		text   string
		masked string
	}{
		{"none", nil, LocalSkip, noFinding, "no key or token", ""},
		{"good key", map[string]string{"ANTHROPIC_API_KEY": good}, LocalOK, noFinding, "well-formed", "sk-ant-api03-…7AAA"},
		{"oauth token as api key", map[string]string{"ANTHROPIC_API_KEY": "sk-ant-oat01-" + strings.Repeat("o", 95)}, LocalWarn, wantOAuthNotSupported, "holds an OAuth token", "sk-ant-oat01-…oooo"},
		{"admin key", map[string]string{"ANTHROPIC_API_KEY": "sk-ant-admin01-" + strings.Repeat("a", 95)}, LocalWarn, wantInvalidKey, "Admin API key", "sk-ant-admin01-…aaaa"},
		{"newline", map[string]string{"ANTHROPIC_API_KEY": good + "\n"}, LocalWarn, wantInvalidKey, "a newline at the end", "sk-ant-api03-…7AAA"},
		{"leading space", map[string]string{"ANTHROPIC_API_KEY": " " + good}, LocalWarn, wantInvalidKey, "a space at the start", "sk-ant-api03-…7AAA"},
		{"quotes", map[string]string{"ANTHROPIC_API_KEY": `"` + good + `"`}, LocalWarn, wantInvalidKey, "wrapped in quotes", "sk-ant-api03-…7AAA"},
		{"truncated", map[string]string{"ANTHROPIC_API_KEY": good[:60]}, LocalWarn, wantInvalidKey, "is 60 characters, API keys have 108: truncated?", "sk-ant-api03-…gggg"},
		{"too long", map[string]string{"ANTHROPIC_API_KEY": good + "xyz"}, LocalWarn, noFinding, "111 characters long", ""},
		{"not anthropic", map[string]string{"ANTHROPIC_AUTH_TOKEN": "gw-" + strings.Repeat("x", 30)}, LocalWarn, noFinding, "does not start with sk-ant-", "…xxxx"},
		// How keys end is no rule we can cite: a key of the right length
		// that ends otherwise is well-formed; only the key probe can say.
		{"ends otherwise", map[string]string{"ANTHROPIC_API_KEY": good[:len(good)-2] + "xy"}, LocalOK, noFinding, "well-formed", "sk-ant-api03-…7Axy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := quietChecker(t, tt.env).Run(t.Context())
			c, _ := rep.Check("key_format")
			if c.Level != tt.level || findingOf(c) != tt.entry || !strings.Contains(c.Text, tt.text) {
				t.Errorf("key_format = %v %v %q, want %v %v containing %q", c.Level, findingOf(c), c.Text, tt.level, tt.entry, tt.text)
			}
			if tt.masked != "" {
				cc, _ := rep.Check("credential")
				if !strings.Contains(cc.Text, tt.masked) {
					t.Errorf("credential check %q lacks the mask %q", cc.Text, tt.masked)
				}
			}
			// No secret anywhere in the report.
			dump := fmt.Sprintf("%+v", *rep)
			for k, v := range tt.env {
				if !strings.HasPrefix(k, "ANTHROPIC_") {
					continue // HOME and the like: paths, no secrets
				}
				if s := strings.TrimSpace(strings.Trim(v, `"`)); len(s) > 24 && strings.Contains(dump, s[13:len(s)-4]) {
					t.Errorf("secret in report: %s", dump)
				}
			}
		})
	}
}

func TestLocalCredentialPrecedence(t *testing.T) {
	dir := t.TempDir()
	writeCreds(t, dir, `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-SECRETSECRETSECRETSECRET","refreshToken":"r","expiresAt":`+
		fmt.Sprint(localNow.Add(5*time.Hour).UnixMilli())+`,"subscriptionType":"max"}}`)
	rep := quietChecker(t, map[string]string{
		"ANTHROPIC_API_KEY": testKey("p"), "CLAUDE_CONFIG_DIR": dir,
	}).Run(t.Context())
	var sources []string
	for _, c := range rep.Credentials {
		sources = append(sources, c.Source)
	}
	if got := strings.Join(sources, ","); got != "ANTHROPIC_API_KEY,Claude Code login" {
		t.Errorf("credentials %s", got)
	}
	c, _ := rep.Check("credential")
	if !strings.Contains(c.Text, "Claude Code uses ANTHROPIC_API_KEY: API key sk-ant-api03-…7AAA (x-api-key); downforai probes the API with it") {
		t.Errorf("credential: %q", c.Text)
	}
	ov, ok := rep.Check("override")
	if !ok || ov.Level != LocalWarn || findingOf(ov) != wantKeyOverridesLogin {
		t.Errorf("override: %+v", ov)
	}
	if strings.Contains(fmt.Sprintf("%+v", *rep), "SECRETSECRET") {
		t.Error("the login token reached the report")
	}
}

func writeCreds(t *testing.T, dir, body string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".credentials.json"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLocalLoginFile(t *testing.T) {
	ms := func(d time.Duration) string { return fmt.Sprint(localNow.Add(d).UnixMilli()) }
	tests := []struct {
		name   string
		body   string // "" = no file
		goos   string
		level  LocalLevel
		entry  finding
		text   string
		expiry bool
	}{
		{"absent", "", "linux", LocalSkip, noFinding, "no ", false},
		{"absent on macOS", "", "darwin", LocalSkip, noFinding, "keychain", false},
		{"valid", `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-TOKENTOKENTOKEN","refreshToken":"sk-ant-ort01-REFRESHREFRESH","expiresAt":` + ms(5*time.Hour) + `}}`, "linux", LocalOK, noFinding, "valid for 5 h", true},
		{"expiring", `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-TOKENTOKENTOKEN","expiresAt":` + ms(20*time.Minute) + `}}`, "linux", LocalInfo, noFinding, "expires in 20 min", true},
		{"expired, no refresh", `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-TOKENTOKENTOKEN","expiresAt":` + ms(-3*time.Hour) + `}}`, "linux", LocalFail, wantOAuthExpired, "Claude Code's login expired 3 h ago — run `claude` then /login", true},
		{"expired, refreshable", `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-TOKENTOKENTOKEN","refreshToken":"sk-ant-ort01-REFRESHREFRESH","expiresAt":` + ms(-3*time.Hour) + `}}`, "linux", LocalWarn, wantOAuthExpired, "may refresh it by itself", true},
		{"expiry as string", `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-TOKENTOKENTOKEN","expiresAt":"` + ms(-2*time.Hour) + `"}}`, "linux", LocalFail, wantOAuthExpired, "expired 2 h ago", true},
		{"no expiry", `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-TOKENTOKENTOKEN"}}`, "linux", LocalInfo, noFinding, "not recorded", false},
		{"mcp only", `{"mcpOAuth":{}}`, "linux", LocalInfo, wantCodeNotLoggedIn, "no claude.ai login", false},
		{"garbage", `not json sk-ant-oat01-TOKENTOKENTOKEN`, "linux", LocalWarn, noFinding, "not valid JSON", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cfg")
			if tt.body != "" {
				writeCreds(t, dir, tt.body)
			}
			c := quietChecker(t, map[string]string{"CLAUDE_CONFIG_DIR": dir})
			c.o.GOOS = tt.goos
			rep := c.Run(t.Context())
			chk, _ := rep.Check("code_login")
			if chk.Level != tt.level || findingOf(chk) != tt.entry || !strings.Contains(chk.Text, tt.text) {
				t.Errorf("code_login = %v %v %q, want %v %v containing %q", chk.Level, findingOf(chk), chk.Text, tt.level, tt.entry, tt.text)
			}
			if rep.LoginExpires.IsZero() == tt.expiry {
				t.Errorf("LoginExpires = %v", rep.LoginExpires)
			}
			dump := fmt.Sprintf("%+v %+v", *rep, rep.Result())
			if strings.Contains(dump, "TOKENTOKEN") || strings.Contains(dump, "REFRESHREFRESH") {
				t.Errorf("token reached the report: %s", dump)
			}
		})
	}
	// ~/.claude without CLAUDE_CONFIG_DIR.
	home := t.TempDir()
	writeCreds(t, filepath.Join(home, ".claude"), `{"claudeAiOauth":{"accessToken":"x-token-x","expiresAt":`+ms(-time.Hour)+`}}`)
	rep := quietChecker(t, map[string]string{"HOME": home}).Run(t.Context())
	if c, _ := rep.Check("code_login"); c.Level != LocalFail || !strings.Contains(c.Text, "expired 1 h ago") {
		t.Errorf("~/.claude: %+v", c)
	}
}

func TestLocalAuthStatus(t *testing.T) {
	tests := []struct {
		name   string
		script string
		level  LocalLevel
		entry  finding
		text   string
	}{
		{"logged in", `echo '{"loggedIn": true, "authMethod": "claude.ai", "apiProvider": "firstParty", "email": "someone@example.com", "subscriptionType": "max"}'`, LocalOK, noFinding, "logged in to claude.ai (max)"},
		{"api key", `echo '{"loggedIn": true, "authMethod": "apiKey", "apiProvider": "firstParty"}'`, LocalOK, noFinding, "logged in with apiKey"},
		{"logged out", `echo '{"loggedIn": false, "authMethod": "none", "apiProvider": "firstParty"}'; exit 1`, LocalFail, wantCodeNotLoggedIn, "not logged in — run `claude` then /login"},
		{"older cli", `echo "error: unknown command 'auth'" >&2; exit 1`, LocalInfo, noFinding, "older than 2.x"},
		{"older text", `echo "Not logged in"; exit 1`, LocalFail, wantCodeNotLoggedIn, "not logged in"},
		{"crash", `echo "TypeError: boom" >&2; exit 3`, LocalWarn, noFinding, "failed with status 3: TypeError: boom"},
		{"hang", `exec sleep 30`, LocalWarn, noFinding, "did not answer within"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := quietChecker(t, nil)
			c.o.ClaudeBin = fakeClaude(t, `[ "$1 $2 $3" = "auth status --json" ] || exit 9`+"\n"+tt.script)
			c.o.Timeout = 300 * time.Millisecond
			rep := c.Run(t.Context())
			chk, _ := rep.Check("code_auth")
			if chk.Level != tt.level || findingOf(chk) != tt.entry || !strings.Contains(chk.Text, tt.text) {
				t.Errorf("code_auth = %v %v %q, want %v %v containing %q", chk.Level, findingOf(chk), chk.Text, tt.level, tt.entry, tt.text)
			}
			if strings.Contains(chk.Text, "someone@example.com") {
				t.Error("the account e-mail reached the report")
			}
		})
	}
	rep := quietChecker(t, nil).Run(t.Context())
	if c, _ := rep.Check("code_auth"); findingOf(c) != wantCodeNotInstalled || c.Level != LocalInfo {
		t.Errorf("absent CLI: %+v", c)
	}
	// --claude-bin /nonexistent is said as given, not as "nonexistent".
	for bin, want := range map[string]string{
		"/nonexistent":          "(`/nonexistent` not found)",
		"/opt/x/bin/claude":     "(`/opt/x/bin/claude` not found)",
		"claude-downforai-none": "(`claude-downforai-none` not found in PATH)",
	} {
		c := quietChecker(t, nil)
		c.o.ClaudeBin = bin
		chk, _ := c.Run(t.Context()).Check("code_auth")
		if !strings.Contains(chk.Text, want) || findingOf(chk) != wantCodeNotInstalled {
			t.Errorf("--claude-bin %s: %q, want it to contain %q", bin, chk.Text, want)
		}
	}
}

func TestLocalProxy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	refused := func(context.Context, string, string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	tests := []struct {
		name  string
		env   map[string]string
		dial  func(context.Context, string, string) (net.Conn, error)
		level LocalLevel
		text  string
	}{
		{"none", nil, nil, LocalOK, "direct connection"},
		{"reachable", map[string]string{"HTTP_PROXY": "http://bob:pw1234567@" + ln.Addr().String()}, nil, LocalOK, "http://bob:…@127.0.0.1"},
		{"refused", map[string]string{"HTTP_PROXY": "http://127.0.0.1:9"}, refused, LocalFail, "does not accept connections (refused"},
		{"socks", map[string]string{"ALL_PROXY": "socks5://127.0.0.1:1080"}, nil, LocalWarn, "Claude Code does not support SOCKS proxies"},
		{"socks as http proxy", map[string]string{"HTTP_PROXY": "socks5h://127.0.0.1:1080"}, nil, LocalWarn, "does not support SOCKS"},
		{"not a url", map[string]string{"HTTP_PROXY": "http://[::1"}, nil, LocalFail, "is not a URL"},
		{"https scheme", map[string]string{"HTTPS_PROXY": "https://" + ln.Addr().String(), "HTTP_PROXY": "https://" + ln.Addr().String()}, nil, LocalInfo, "as https://: most proxies speak plain HTTP"},
		// NO_PROXY as net/http reads it (httpproxy): the API host is
		// api.example.test on port 80 here.
		{"exempt", map[string]string{"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1,api.example.test"}, nil, LocalInfo, "NO_PROXY exempts"},
		{"exempt by *", map[string]string{"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "*"}, nil, LocalInfo, "NO_PROXY exempts"},
		{"exempt by host:port", map[string]string{"HTTP_PROXY": "http://127.0.0.1:9", "no_proxy": "api.example.test:80"}, nil, LocalInfo, "no_proxy exempts the API host"},
		{"another port is not exempt", map[string]string{"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "api.example.test:443"}, refused, LocalFail, "refused"},
		{"exempt by domain", map[string]string{"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "example.test"}, nil, LocalInfo, "NO_PROXY exempts"},
		{"exempt by .domain", map[string]string{"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": " .example.test "}, nil, LocalInfo, "NO_PROXY exempts"},
		{"a longer name is not a subdomain", map[string]string{"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "ple.test"}, refused, LocalFail, "refused"},
		{"a CIDR does not match a name", map[string]string{"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "10.0.0.0/8"}, refused, LocalFail, "refused"},
		{"loopback", map[string]string{"HTTP_PROXY": "http://127.0.0.1:9"}, nil, LocalInfo, "HTTP_PROXY is set, but the API host is on this machine, which is never proxied"},
		// Set, but not read by the API's requests: named, never "no proxy
		// in the environment" (cold6 D19).
		{"only ALL_PROXY", map[string]string{"ALL_PROXY": "http://bob:pw1234567@127.0.0.1:9"}, nil, LocalInfo,
			"ALL_PROXY=http://bob:…@127.0.0.1:9 set, but requests to the API read only HTTP_PROXY (or http_proxy), the API URL being http:// (downforai does not use ALL_PROXY"},
		{"only all_proxy, https API", map[string]string{"all_proxy": "http://127.0.0.1:9", "api": "https://api.example.test"}, nil, LocalInfo,
			"all_proxy=http://127.0.0.1:9 set, but requests to the API read only HTTPS_PROXY (or https_proxy) (downforai does not use ALL_PROXY"},
		{"https_proxy for an http:// API", map[string]string{"https_proxy": "http://127.0.0.1:9"}, nil, LocalInfo,
			"https_proxy=http://127.0.0.1:9 set, but requests to the API read only HTTP_PROXY (or http_proxy), the API URL being http://: direct connection"},
		{"HTTPS_PROXY for an https:// API", map[string]string{"HTTPS_PROXY": "http://127.0.0.1:9", "api": "https://api.example.test"}, refused, LocalFail, "HTTPS_PROXY=http://127.0.0.1:9 does not accept"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := quietChecker(t, tt.env)
			// A name that is not loopback: net/http never proxies
			// loopback, so neither would the API's requests.
			if tt.name != "loopback" {
				c.o.APIURL = "http://api.example.test"
			}
			if u := tt.env["api"]; u != "" {
				c.o.APIURL = u
			}
			if tt.dial != nil {
				c.o.Dial = tt.dial
			}
			chk, _ := c.Run(t.Context()).Check("proxy")
			if chk.Level != tt.level || !strings.Contains(chk.Text, tt.text) {
				t.Errorf("proxy = %v %q, want %v containing %q", chk.Level, chk.Text, tt.level, tt.text)
			}
			// Direct exactly when the text says the requests go direct.
			if direct := strings.HasSuffix(chk.Text, ": direct connection"); ProxyDirect(chk) != direct {
				t.Errorf("ProxyDirect = %v for %q", ProxyDirect(chk), chk.Text)
			}
			if strings.Contains(chk.Text, "no proxy in the environment") && len(tt.env) > 0 {
				t.Errorf("%v set, yet %q", tt.env, chk.Text)
			}
			if strings.Contains(chk.Text, "pw1234567") {
				t.Error("proxy password shown")
			}
		})
	}
}

func TestLocalDNSAndClock(t *testing.T) {
	c := quietChecker(t, nil)
	c.o.APIURL = strings.Replace(c.o.APIURL, "127.0.0.1", "localhost", 1)
	c.o.LookupHost = func(_ context.Context, host string) ([]string, error) {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	chk, _ := c.Run(t.Context()).Check("dns")
	if chk.Level != LocalFail || findingOf(chk) != wantDNS || !strings.Contains(chk.Text, "DNS lookup of localhost failed: no such host") {
		t.Errorf("dns = %+v", chk)
	}

	for _, tt := range []struct {
		offset time.Duration
		level  LocalLevel
		text   string
	}{
		{0, LocalOK, "agrees"},
		{-10 * time.Minute, LocalFail, "10 min ahead of the API server's"},
		{2 * time.Minute, LocalWarn, "2 min behind"},
	} {
		srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Date", time.Now().Add(tt.offset).UTC().Format(http.TimeFormat))
			w.WriteHeader(401)
		})
		c := quietChecker(t, nil)
		c.o.APIURL, c.o.Now = srv.URL, time.Now
		rep := c.Run(t.Context())
		chk, _ := rep.Check("clock")
		if chk.Level != tt.level || !strings.Contains(chk.Text, tt.text) {
			t.Errorf("offset %v: clock = %v %q, want %v containing %q", tt.offset, chk.Level, chk.Text, tt.level, tt.text)
		}
		if !rep.SkewKnown {
			t.Errorf("offset %v: skew unknown", tt.offset)
		}
	}
}

// TestLocalBaseURL: the API endpoint check, and where Claude Code calls
// (LocalReport.CodeURL, masked), which the judge holds our API probes'
// URL to before it lets them speak for Claude Code.
func TestLocalBaseURL(t *testing.T) {
	for _, tt := range []struct {
		env   map[string]string
		level LocalLevel
		text  string
		code  string // LocalReport.CodeURL
	}{
		{nil, LocalOK, "unset", DefaultAPIURL},
		{map[string]string{"ANTHROPIC_BASE_URL": "https://api.anthropic.com"}, LocalOK, "points at api.anthropic.com", "https://api.anthropic.com"},
		{map[string]string{"ANTHROPIC_BASE_URL": "http://litellm.corp:4000"}, LocalWarn, "sends Claude Code to litellm.corp:4000", "http://litellm.corp:4000"},
		{map[string]string{"ANTHROPIC_BASE_URL": "http://bob:s3cret@litellm.corp:4000"}, LocalWarn, "sends Claude Code to litellm.corp:4000", "http://bob:…@litellm.corp:4000"},
		{map[string]string{"ANTHROPIC_BASE_URL": "litellm"}, LocalFail, "not an http(s) URL", ""},
		{map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1"}, LocalInfo, "cloud provider", ""},
	} {
		rep := quietChecker(t, tt.env).Run(t.Context())
		chk, _ := rep.Check("base_url")
		if chk.Level != tt.level || !strings.Contains(chk.Text, tt.text) {
			t.Errorf("%v: base_url = %v %q", tt.env, chk.Level, chk.Text)
		}
		if rep.CodeURL != tt.code {
			t.Errorf("%v: CodeURL %q, want %q", tt.env, rep.CodeURL, tt.code)
		}
	}
}

func TestLocalReportResult(t *testing.T) {
	rep := quietChecker(t, map[string]string{"ANTHROPIC_API_KEY": "sk-ant-oat01-" + strings.Repeat("o", 95)}).Run(t.Context())
	r := rep.Result()
	// The key probe's live answer says whether the key works; its format
	// is a note (TestKeyFormatIsANoteNotAFailure).
	if r.Target != TargetLocal || r.Class != ClassOK || !strings.Contains(r.Message, "Key format") {
		t.Errorf("result %+v", r)
	}
	ok := quietChecker(t, nil).Run(t.Context()).Result()
	if ok.Class != ClassOK || ok.Message != "local checks pass" {
		t.Errorf("clean result %+v", ok)
	}
}

func TestNewLocalCheckPublishesReport(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) })
	chk := NewLocalCheck(Config{APIURL: srv.URL, Timeout: time.Second, ClaudeBin: filepath.Join(t.TempDir(), "none"),
		Env: envOf(map[string]string{"HOME": t.TempDir()})})
	if chk.Target != TargetLocal || chk.Interval != DefaultLocalInterval {
		t.Errorf("check %s every %v", chk.Target, chk.Interval)
	}
	ev := chk.Run(t.Context())
	if ev.Local == nil || ev.Result.Target != TargetLocal || len(ev.Local.Checks) < 8 {
		t.Fatalf("event %+v", ev)
	}
	// Every check's id is one the catalogue may name (LocalCheckIDs).
	for _, c := range ev.Local.Checks {
		if !slices.Contains(LocalCheckIDs(), c.ID) {
			t.Errorf("check %q (%s) is not in LocalCheckIDs", c.ID, c.Name)
		}
	}
}

// finding is what a check says it found: the class of the problem and,
// where the class alone does not tell, its cause. The catalogue maps it to
// an entry (catalogue.ForCheck); the wants are named after those entries.
type finding struct {
	class Class
	cause string
}

func findingOf(c LocalCheck) finding { return finding{c.Class, c.Cause} }

var (
	noFinding             finding
	wantInvalidKey        = finding{ClassAuth, ""}
	wantOAuthNotSupported = finding{ClassAuth, CauseOAuthToken}
	wantOAuthExpired      = finding{ClassAuth, CauseExpired}
	wantCodeNotLoggedIn   = finding{ClassAuth, ""}
	wantKeyOverridesLogin = finding{ClassAuth, ""}
	wantDNS               = finding{ClassNetwork, ""}
	wantCodeNotInstalled  = finding{ClassUnknown, CauseNotInstalled}
)

// TestKeyFormatIsANoteNotAFailure: a key whose length looks wrong is no
// observation of a rejected key — the local checks' result stays ok, so no
// incident opens and probe_success{target="local"} stays 1.
func TestKeyFormatIsANoteNotAFailure(t *testing.T) {
	rep := &LocalReport{Checks: []LocalCheck{
		{ID: "key_format", Name: "Key format", Level: LocalFail, Class: ClassAuth, Text: "ANTHROPIC_API_KEY looks truncated: 106 characters, an API key has 108"},
		{ID: "dns", Name: "DNS", Level: LocalOK},
	}}
	if r := rep.Result(); r.Class != ClassOK || !strings.Contains(r.Message, "Key format") {
		t.Errorf("result %v %q, want ok naming the note", r.Class, r.Message)
	}
	rep.Checks = append(rep.Checks, LocalCheck{ID: "code_login", Name: "Claude Code login", Level: LocalFail, Class: ClassAuth})
	if r := rep.Result(); r.Class != ClassAuth {
		t.Errorf("an expired login still fails the checks: %v", r.Class)
	}
}

// TestLiveLoginExpiredOnlyWhenPast: the usage call's 401 is an expiry
// only when the credentials file's expiresAt is past at the call; a token
// the file holds valid, or one of unknown expiry, is rejected — whatever
// words Anthropic's message uses.
func TestLiveLoginExpiredOnlyWhenPast(t *testing.T) {
	at := time.Date(2026, 12, 2, 2, 58, 0, 0, time.UTC)
	u := &CodeUsage{Time: at, Rejected: true, HTTPStatus: 401, Message: "OAuth token has expired. Please obtain a new token or refresh your existing token."}
	for _, tt := range []struct {
		name    string
		expires time.Time
		want    finding
		text    string
		notText string
	}{
		{"valid an hour more", at.Add(time.Hour), finding{ClassAuth, CauseRejected}, "rejected by Anthropic (401): run /login", "expired"},
		{"expiry unknown", time.Time{}, finding{ClassAuth, CauseRejected}, "rejected by Anthropic (401): run /login", "expired"},
		{"past", at.Add(-2 * time.Hour), wantOAuthExpired, "expired 2 h ago and Anthropic rejects it (401)", "valid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			chk := liveLogin(LocalCheck{ID: "code_login", Level: LocalOK, Text: "Claude Code's login token is valid for 1 h"}, u, tt.expires)
			if chk.Level != LocalFail || findingOf(chk) != tt.want || !strings.Contains(chk.Text, tt.text) || strings.Contains(chk.Text, tt.notText) {
				t.Errorf("got %v %v %q, want %v containing %q without %q", chk.Level, findingOf(chk), chk.Text, tt.want, tt.text, tt.notText)
			}
		})
	}
}

// TestLocalChecksMaskTheEnvironmentsCredentials: `claude auth status`
// quoted in a check never carries a credential of the configured
// environment, even one of no known shape (cold5 D12).
func TestLocalChecksMaskTheEnvironmentsCredentials(t *testing.T) {
	token := "gw-plain-token-0123456789abcdef"
	c := quietChecker(t, map[string]string{"ANTHROPIC_AUTH_TOKEN": token})
	c.o.ClaudeBin = fakeClaude(t, `echo "claude: bad config, token=`+token+`" >&2; exit 2`)
	rep := c.Run(context.Background())
	seen := false
	for _, chk := range rep.Checks {
		if strings.Contains(chk.Text, token) || strings.Contains(chk.Text, "0123456789abcdef") {
			t.Errorf("%s: %q", chk.Name, chk.Text)
		}
		seen = seen || strings.Contains(chk.Text, "token=…")
	}
	if !seen {
		t.Errorf("no check quoted the CLI's output, masked: %+v", rep.Checks)
	}
}

// TestLoginKeptElsewhere: `claude auth status` reports a claude.ai login
// while no ~/.claude/.credentials.json exists (a keychain, a secret
// store): the login check does not say "not logged in", and the
// credential in effect shows no token prefix that was never read (cold5
// D28).
func TestLoginKeptElsewhere(t *testing.T) {
	c := quietChecker(t, nil)
	c.o.ClaudeBin = fakeClaude(t, `case "$1" in
--version) echo "2.1.44 (Claude Code)";;
auth) echo '{"loggedIn":true,"authMethod":"claude.ai","apiProvider":"firstParty","subscriptionType":"max"}';;
esac`)
	rep := c.Run(context.Background())
	byID := map[string]LocalCheck{}
	for _, chk := range rep.Checks {
		byID[chk.ID] = chk
	}
	if got := byID[CheckCodeLogin].Text; strings.Contains(got, "not logged in") || !strings.Contains(got, "reports a claude.ai login: kept elsewhere") {
		t.Errorf("login check: %q", got)
	}
	if got := byID[CheckCredential].Text; strings.Contains(got, "sk-ant-oat01") || !strings.Contains(got, "Claude Code uses Claude Code login: claude.ai login (max) (Authorization: Bearer)") {
		t.Errorf("credential in effect: %q", got)
	}
}

// TestEnvProxyReadsTheChecksEnvironment (cold6 D19): the probes' proxy is
// read from the environment the Proxy check reads, at every request — not
// net/http's first read of the process's, kept for good — and decides as
// net/http does: HTTPS_PROXY for https://, HTTP_PROXY for http://, never
// ALL_PROXY, NO_PROXY honoured, loopback direct.
func TestEnvProxyReadsTheChecksEnvironment(t *testing.T) {
	env := map[string]string{}
	proxy := EnvProxy(func(k string) string { return env[k] })
	at := func(u string) string {
		r, _ := http.NewRequest("GET", u, nil)
		p, err := proxy(r)
		if err != nil {
			t.Fatal(err)
		}
		if p == nil {
			return ""
		}
		return p.String()
	}
	if got := at("https://api.anthropic.com/v1/models"); got != "" {
		t.Errorf("empty environment: proxy %q", got)
	}
	env["ALL_PROXY"] = "http://all:1"
	if got := at("https://api.anthropic.com/v1/models"); got != "" {
		t.Errorf("ALL_PROXY alone: proxy %q, want none (net/http does not read it)", got)
	}
	env["https_proxy"] = "http://corp:3128"
	if got := at("https://api.anthropic.com/v1/models"); got != "http://corp:3128" {
		t.Errorf("https_proxy set after the first request: proxy %q, want http://corp:3128", got)
	}
	if got := at("http://api.example.test/"); got != "" {
		t.Errorf("http:// with only an HTTPS proxy: %q", got)
	}
	if got := at("https://127.0.0.1:8443/"); got != "" {
		t.Errorf("loopback proxied: %q", got)
	}
	env["NO_PROXY"] = ".anthropic.com"
	if got := at("https://api.anthropic.com/v1/models"); got != "" {
		t.Errorf("NO_PROXY ignored: %q", got)
	}
}
