package probe

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultLocalInterval is how often the local checks run when the Config
// says nothing: they read files and run a command, so every few minutes.
const DefaultLocalInterval = 3 * time.Minute

// LocalOptions configure a LocalChecker. Zero fields take the defaults
// noted.
type LocalOptions struct {
	Getenv    func(string) string // nil: os.Getenv
	Home      string              // "": $HOME, else os.UserHomeDir
	GOOS      string              // "": runtime.GOOS (the macOS keychain note)
	APIURL    string              // "": DefaultAPIURL
	StatusURL string
	ClaudeURL string
	ClaudeBin string        // "": DefaultClaudeBin
	Timeout   time.Duration // per check; 0: 5 s
	HTTP      *HTTPProber   // for the clock check; nil: a fresh prober
	// LookupHost resolves a name; nil: net.DefaultResolver.LookupHost.
	LookupHost func(ctx context.Context, host string) ([]string, error)
	// Dial opens a TCP connection (the proxy check); nil: net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	Now  func() time.Time // nil: time.Now
	// CodeUsage, when set, makes the opt-in usage call (--code-usage) with
	// every run: the plan's utilisation and a live check of Claude Code's
	// login. nil: off.
	CodeUsage *CodeUsageProber
}

// LocalChecker runs the local checks.
type LocalChecker struct{ o LocalOptions }

// NewLocalChecker fills the defaults of o.
func NewLocalChecker(o LocalOptions) *LocalChecker {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Home == "" {
		if h := o.Getenv("HOME"); h != "" {
			o.Home = h
		} else if h, err := os.UserHomeDir(); err == nil {
			o.Home = h
		}
	}
	if o.GOOS == "" {
		o.GOOS = runtime.GOOS
	}
	if o.APIURL == "" {
		o.APIURL = DefaultAPIURL
	}
	if o.ClaudeBin == "" {
		o.ClaudeBin = DefaultClaudeBin
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	if o.HTTP == nil {
		o.HTTP = NewHTTPProber(HTTPOptions{})
	}
	if o.LookupHost == nil {
		o.LookupHost = net.DefaultResolver.LookupHost
	}
	if o.Dial == nil {
		var d net.Dialer
		o.Dial = d.DialContext
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if u := o.CodeUsage; u != nil {
		c := *u
		lc := &LocalChecker{o: o}
		c.ConfigDir, c.ConfigDirSet = lc.configDir(), o.Getenv("CLAUDE_CONFIG_DIR") != ""
		if c.GOOS == "" {
			c.GOOS = o.GOOS
		}
		if c.Now == nil {
			c.Now = o.Now
		}
		if c.Timeout <= 0 {
			c.Timeout = o.Timeout
		}
		if c.APIURL == "" {
			c.APIURL = o.APIURL
		}
		o.CodeUsage = &c
	}
	return &LocalChecker{o: o}
}

// NewLocalCheck is the engine's Check for the local checks: it runs on
// cfg.LocalInterval (DefaultLocalInterval when zero), every part under
// cfg.Timeout, and publishes the LocalReport on Event.Local with a summary
// Result for TargetLocal.
func NewLocalCheck(cfg Config) Check {
	cfg = cfg.withDefaults()
	interval := cfg.LocalInterval
	if interval <= 0 {
		interval = DefaultLocalInterval
	}
	o := LocalOptions{
		Getenv:    cfg.Env,
		APIURL:    cfg.APIURL,
		StatusURL: cfg.StatusURL,
		ClaudeURL: cfg.ClaudeURL,
		ClaudeBin: cfg.ClaudeBin,
		Timeout:   cfg.Timeout,
		HTTP:      NewHTTPProber(HTTPOptions{Version: cfg.Version}),
	}
	if cfg.CodeUsage {
		o.CodeUsage = &CodeUsageProber{APIURL: cfg.APIURL, Timeout: cfg.Timeout, Version: cfg.Version}
	}
	lc := NewLocalChecker(o)
	return newCheck(TargetLocal, interval, cfg.Timeout, func(ctx context.Context) Event {
		rep := lc.Run(ctx)
		return Event{Result: rep.Result(), Local: rep}
	})
}

// Run performs every check once. The slow ones (Claude Code, DNS, the
// clock, the proxy) run side by side, each under the timeout.
func (c *LocalChecker) Run(ctx context.Context) *LocalReport {
	o := c.o
	rep := &LocalReport{Time: o.Now(), APIURL: o.APIURL, StatusURL: o.StatusURL, ClaudeURL: o.ClaudeURL}

	creds, format := c.credentials()
	login := c.loginFile()
	rep.LoginExpires = login.expires

	var auth, dns, clock, proxy LocalCheck
	var skew time.Duration
	var skewOK bool
	var wg sync.WaitGroup
	wg.Go(func() { auth = c.authStatus(ctx) })
	wg.Go(func() { dns = c.dns(ctx) })
	wg.Go(func() { clock, skew, skewOK = c.clock(ctx) })
	wg.Go(func() { proxy = c.proxy(ctx) })
	if c.o.CodeUsage != nil {
		wg.Go(func() { rep.CodeUsage = c.o.CodeUsage.Probe(ctx) })
	}
	wg.Wait()
	login.check = liveLogin(login.check, rep.CodeUsage)

	// A login exists when the file or `claude auth status` says so.
	loggedIn := login.present || strings.Contains(auth.Text, "logged in to claude.ai")
	if loggedIn {
		kind := "OAuth token"
		if login.subscription != "" {
			kind += " (" + login.subscription + ")"
		}
		creds = append(creds, CredentialInfo{Source: "Claude Code login", Kind: kind, Masked: "sk-ant-oat01-…", Header: "Authorization: Bearer"})
	}
	rep.Credentials = creds
	rep.Skew, rep.SkewKnown = skew, skewOK

	rep.Checks = append(rep.Checks, credentialCheck(creds), format)
	if ov, ok := overrideCheck(creds, loggedIn); ok {
		rep.Checks = append(rep.Checks, ov)
	}
	rep.Checks = append(rep.Checks, c.baseURL(), auth, login.check, proxy, dns, clock)
	return rep
}

// liveLogin folds the usage call's answer into the login check: the API's
// word on Claude Code's login beats what its credentials file says.
func liveLogin(chk LocalCheck, u *CodeUsage) LocalCheck {
	switch {
	case u == nil:
	case u.Rejected:
		chk.Level, chk.Class, chk.Cause = LocalFail, ClassAuth, CauseRejected
		if strings.Contains(strings.ToLower(u.Message), "expired") {
			chk.Cause = CauseExpired
		}
		chk.Text = fmt.Sprintf("Claude Code's login is rejected: run /login (the API answered %d to its usage call at %s)",
			u.HTTPStatus, u.Time.UTC().Format("15:04:05 UTC"))
	case len(u.Limits) > 0 && chk.Level <= LocalInfo:
		chk.Level = LocalOK
		chk.Text = strings.TrimSuffix(chk.Text, ".") + "; the API accepts it (usage call at " + u.Time.UTC().Format("15:04:05 UTC") + ")"
	}
	return chk
}

// --- credentials -----------------------------------------------------------

// credentialVars are the variables that carry a credential, in Claude
// Code's order of precedence (code.claude.com authentication docs).
var credentialVars = []struct{ name, header string }{
	{"ANTHROPIC_AUTH_TOKEN", "Authorization: Bearer"},
	{"ANTHROPIC_API_KEY", "x-api-key"},
	{"CLAUDE_CODE_OAUTH_TOKEN", "Authorization: Bearer"},
}

// keyKind names a credential by its prefix.
func keyKind(s string) string {
	switch {
	case strings.HasPrefix(s, "sk-ant-api03-"):
		return "API key"
	case strings.HasPrefix(s, "sk-ant-admin01-"):
		return "admin key"
	case strings.HasPrefix(s, "sk-ant-oat01-"):
		return "OAuth token"
	case strings.HasPrefix(s, "sk-ant-api01-"):
		return "compliance key"
	case strings.HasPrefix(s, "sk-ant-"):
		return "Anthropic key of an unknown kind"
	}
	return "not an Anthropic key"
}

// apiKeyLen is the length of sk-ant-api03- plus 93 characters plus "AA"
// (gitleaks' rule, reference §2.7).
const apiKeyLen = len("sk-ant-api03-") + 95

func (c *LocalChecker) credentials() ([]CredentialInfo, LocalCheck) {
	var creds []CredentialInfo
	var problems, warnings []string
	// The first problem found names the cause: the catalogue points an
	// OAuth token in ANTHROPIC_API_KEY at another fix than a mangled key.
	cause, found := "", false
	authToken := c.o.Getenv("ANTHROPIC_AUTH_TOKEN")
	for _, v := range credentialVars {
		raw := c.o.Getenv(v.name)
		if raw == "" {
			continue
		}
		clean := strings.Trim(raw, " \t\r\n\"'")
		ci := CredentialInfo{Source: v.name, Kind: keyKind(clean), Masked: Mask(raw), Header: v.header}
		// The key probe's result is the credential Claude Code sends:
		// ANTHROPIC_AUTH_TOKEN, else ANTHROPIC_API_KEY (the other one is
		// asked too, and said in the result's Detail).
		ci.Probed = v.name == "ANTHROPIC_AUTH_TOKEN" || (v.name == "ANTHROPIC_API_KEY" && authToken == "")
		creds = append(creds, ci)

		fail := func(s, why string) {
			problems = append(problems, v.name+" "+s)
			if !found {
				cause, found = why, true
			}
		}
		if strings.TrimSpace(raw) != raw {
			where := "at the end"
			if strings.TrimLeft(raw, " \t\r\n") != raw {
				where = "at the start"
			}
			what := "a space"
			if strings.ContainsAny(raw, "\r\n") {
				what = "a newline"
			}
			fail("has "+what+" "+where+": the API rejects it as sent", "")
		} else if strings.ContainsAny(clean, " \t\r\n") {
			fail("has blanks inside it: a paste went wrong", "")
		}
		if q := strings.TrimSpace(raw); strings.HasPrefix(q, `"`) || strings.HasPrefix(q, "'") || strings.HasSuffix(q, `"`) || strings.HasSuffix(q, "'") {
			fail("is wrapped in quotes: remove them", "")
		}
		switch kind := ci.Kind; {
		case v.name == "ANTHROPIC_API_KEY" && kind == "OAuth token":
			// Our explanation, not the API's words: as x-api-key the API
			// answers whatever it answers (the key probe says it).
			fail("holds an OAuth token (sk-ant-oat01-), not an API key: sent as x-api-key it is not accepted; it belongs in CLAUDE_CODE_OAUTH_TOKEN, or log in with `claude`", CauseOAuthToken)
		case kind == "admin key":
			fail("holds an Admin API key (sk-ant-admin01-): it works only for the usage and cost reports, not for Claude", "")
		case kind == "API key" && len(clean) < apiKeyLen:
			fail(fmt.Sprintf("looks truncated: %d characters, an API key has %d", len(clean), apiKeyLen), "")
		case kind == "API key" && len(clean) > apiKeyLen:
			warnings = append(warnings, fmt.Sprintf("%s is %d characters long, an API key has %d: something was pasted after it?", v.name, len(clean), apiKeyLen))
		case kind == "API key" && !strings.HasSuffix(clean, "AA"):
			warnings = append(warnings, v.name+" does not end in \"AA\" as API keys do: truncated?")
		case v.name == "CLAUDE_CODE_OAUTH_TOKEN" && kind != "OAuth token":
			warnings = append(warnings, "CLAUDE_CODE_OAUTH_TOKEN holds a "+kind+", not an OAuth token from `claude setup-token`")
		case kind == "not an Anthropic key" && c.o.Getenv("ANTHROPIC_BASE_URL") == "":
			warnings = append(warnings, v.name+" does not start with sk-ant-: a key for another service or a gateway?")
		}
	}
	chk := LocalCheck{ID: "key_format", Name: "Key format", Level: LocalOK}
	if found {
		chk.Class, chk.Cause = ClassAuth, cause
	}
	switch {
	case len(creds) == 0:
		chk.Level, chk.Text = LocalSkip, "no key or token in the environment"
	case len(problems) > 0:
		// A warning, not a failure: only the key probe's live answer can
		// say the API rejects the key (issue 19: live results beat
		// heuristics).
		chk.Level, chk.Text = LocalWarn, strings.Join(append(problems, warnings...), "; ")
	case len(warnings) > 0:
		chk.Level, chk.Text = LocalWarn, strings.Join(warnings, "; ")
	default:
		chk.Text = "well-formed: " + describeCreds(creds)
	}
	chk.Text = Redact(chk.Text)
	return creds, chk
}

func describeCreds(cs []CredentialInfo) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Source+" ("+c.Kind+")")
	}
	return strings.Join(s, ", ")
}

func credentialCheck(creds []CredentialInfo) LocalCheck {
	chk := LocalCheck{ID: "credential", Name: "Credential in effect", Level: LocalOK}
	if len(creds) == 0 {
		chk.Level, chk.Class = LocalInfo, ClassAuth
		chk.Text = "none: no ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN, and no Claude Code login found; only public reachability is probed"
		return chk
	}
	in := creds[0]
	chk.Text = fmt.Sprintf("Claude Code uses %s: %s %s (%s)", in.Source, in.Kind, in.Masked, in.Header)
	for _, c := range creds {
		if c.Probed {
			if c.Source == in.Source {
				chk.Text += "; downforai probes the API with it"
			} else {
				chk.Text += fmt.Sprintf("; downforai probes the API with %s %s", c.Source, c.Masked)
			}
		}
	}
	if len(creds) > 1 {
		var rest []string
		for _, c := range creds[1:] {
			rest = append(rest, c.Source)
		}
		chk.Text += "; also set, not used by Claude Code: " + strings.Join(rest, ", ")
	}
	return chk
}

func overrideCheck(creds []CredentialInfo, loggedIn bool) (LocalCheck, bool) {
	if !loggedIn || len(creds) == 0 {
		return LocalCheck{}, false
	}
	first := creds[0]
	if first.Source != "ANTHROPIC_API_KEY" && first.Source != "ANTHROPIC_AUTH_TOKEN" {
		return LocalCheck{}, false
	}
	return LocalCheck{ID: "override", Name: "Login override", Level: LocalWarn, Class: ClassAuth,
		Text: first.Source + " overrides your Claude Code login: Claude Code sends " + first.Masked +
			" instead of your subscription (unset it to use the login)"}, true
}

func (c *LocalChecker) baseURL() LocalCheck {
	chk := LocalCheck{ID: "base_url", Name: "API endpoint", Level: LocalOK}
	for _, p := range []string{"CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY"} {
		if v := c.o.Getenv(p); v != "" && v != "0" && !strings.EqualFold(v, "false") {
			chk.Level = LocalInfo
			chk.Text = p + " is set: Claude Code talks to a cloud provider, so api.anthropic.com's health says little about it"
			return chk
		}
	}
	raw := strings.TrimSpace(c.o.Getenv("ANTHROPIC_BASE_URL"))
	if raw == "" {
		chk.Text = "ANTHROPIC_BASE_URL unset: Claude Code talks to api.anthropic.com"
		return chk
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		chk.Level, chk.Class = LocalFail, ClassUnexpected
		chk.Text = "ANTHROPIC_BASE_URL " + Line(MaskURL(raw), 100) + " is not an http(s) URL"
		return chk
	}
	if strings.EqualFold(u.Hostname(), "api.anthropic.com") {
		chk.Text = "ANTHROPIC_BASE_URL points at api.anthropic.com"
		return chk
	}
	chk.Level, chk.Class = LocalWarn, ClassUnexpected
	chk.Text = "ANTHROPIC_BASE_URL sends Claude Code to " + Line(u.Host, 100) + ", not api.anthropic.com: errors there are the gateway's"
	return chk
}

// --- Claude Code -------------------------------------------------------------

// authStatus runs `claude auth status --json` (Claude Code 2.x). An older
// CLI without the subcommand, or without --json, is reported as such.
func (c *LocalChecker) authStatus(ctx context.Context) LocalCheck {
	chk := LocalCheck{ID: "code_auth", Name: "Claude Code auth"}
	path, err := exec.LookPath(c.o.ClaudeBin)
	if err != nil {
		chk.Level, chk.Cause = LocalInfo, CauseNotInstalled
		chk.Text = "Claude Code is not installed (" + Line(filepath.Base(c.o.ClaudeBin), 40) + " not found): nothing to check"
		return chk
	}
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "auth", "status", "--json")
	var out, errOut limitedBuffer
	out.max, errOut.max = maxOutput, maxOutput
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.WaitDelay = time.Second
	runErr := cmd.Run()
	if ctx.Err() != nil {
		chk.Level = LocalWarn
		chk.Text = "`claude auth status --json` did not answer within " + roundDur(c.o.Timeout).String()
		return chk
	}
	stdout := out.String()
	if i := strings.IndexByte(stdout, '{'); i >= 0 {
		var st struct {
			LoggedIn         *bool   `json:"loggedIn"`
			AuthMethod       jString `json:"authMethod"`
			APIProvider      jString `json:"apiProvider"`
			SubscriptionType jString `json:"subscriptionType"`
		}
		if json.NewDecoder(strings.NewReader(stdout[i:])).Decode(&st) == nil && st.LoggedIn != nil {
			method := Line(string(st.AuthMethod), 30)
			switch {
			case !*st.LoggedIn:
				chk.Level, chk.Class = LocalFail, ClassAuth
				chk.Text = "Claude Code is not logged in — run `claude` then /login"
			case method == "claude.ai":
				chk.Level = LocalOK
				chk.Text = "logged in to claude.ai"
				if s := Line(string(st.SubscriptionType), 20); s != "" {
					chk.Text += " (" + s + ")"
				}
			default:
				chk.Level = LocalOK
				chk.Text = "logged in with " + cmp.Or(method, "an unknown method")
			}
			if p := Line(string(st.APIProvider), 30); p != "" && p != "firstParty" {
				chk.Text += "; provider " + p
			}
			return chk
		}
	}
	all := strings.ToLower(stdout + "\n" + errOut.String())
	switch {
	case strings.Contains(all, "unknown command") || strings.Contains(all, "unknown option") ||
		strings.Contains(all, "unknown argument") || strings.Contains(all, "did you mean") || strings.Contains(all, "usage:"):
		chk.Level = LocalInfo
		chk.Text = "this Claude Code has no `claude auth status --json` (older than 2.x): update it with `claude update`"
	case strings.Contains(all, "not logged in"):
		chk.Level, chk.Class = LocalFail, ClassAuth
		chk.Text = "Claude Code is not logged in — run `claude` then /login"
	case strings.Contains(all, "logged in"):
		chk.Level = LocalOK
		chk.Text = "logged in (older Claude Code: " + Redact(firstLine(stdout+"\n"+errOut.String())) + ")"
	case runErr != nil:
		chk.Level = LocalWarn
		msg := "`claude auth status --json` failed"
		var ee *exec.ExitError
		if errors.As(runErr, &ee) {
			msg += fmt.Sprintf(" with status %d", ee.ExitCode())
		}
		if l := firstLine(errOut.String() + "\n" + stdout); l != "" {
			msg += ": " + Redact(l)
		}
		chk.Text = Line(msg, 200)
	default:
		chk.Level = LocalInfo
		chk.Text = Line("`claude auth status --json` printed no JSON: "+Redact(firstLine(stdout)), 200)
	}
	return chk
}

// present records whether a JSON string was there and non-empty, and
// nothing else: the credentials file's tokens never land in memory we keep.
type present bool

func (p *present) UnmarshalJSON(b []byte) error {
	*p = len(b) > 2 && b[0] == '"'
	return nil
}

type loginInfo struct {
	check        LocalCheck
	present      bool
	expires      time.Time
	subscription string
}

// maxCredentialsFile bounds the read of .credentials.json.
const maxCredentialsFile = 1 << 20

// configDir is $CLAUDE_CONFIG_DIR, else ~/.claude.
func (c *LocalChecker) configDir() string {
	if d := c.o.Getenv("CLAUDE_CONFIG_DIR"); d != "" {
		return d
	}
	return filepath.Join(c.o.Home, ".claude")
}

// loginFile reads claudeAiOauth.expiresAt from .credentials.json without
// keeping the token: the tokens decode into booleans and the buffer is
// cleared before returning.
func (c *LocalChecker) loginFile() loginInfo {
	li := loginInfo{check: LocalCheck{ID: "code_login", Name: "Claude Code login"}}
	dir := c.configDir()
	path := filepath.Join(dir, ".credentials.json")
	shown := "~/.claude/.credentials.json"
	if c.o.Getenv("CLAUDE_CONFIG_DIR") != "" {
		shown = Line(path, 120)
	}
	f, err := os.Open(path)
	if err != nil {
		li.check.Level = LocalSkip
		switch {
		case errors.Is(err, os.ErrNotExist) && c.o.GOOS == "darwin":
			li.check.Text = "on macOS Claude Code keeps its login in the keychain: expiry not read"
		case errors.Is(err, os.ErrNotExist):
			li.check.Text = "no " + shown + ": Claude Code is not logged in on this account (or uses a key)"
		default:
			li.check.Level = LocalWarn
			li.check.Text = "cannot read " + shown + ": " + Line(innerText(err), 80)
		}
		return li
	}
	buf, err := io.ReadAll(io.LimitReader(f, maxCredentialsFile))
	f.Close()
	defer clear(buf)
	if err != nil {
		li.check.Level, li.check.Text = LocalWarn, "cannot read "+shown+": "+Line(innerText(err), 80)
		return li
	}
	var doc struct {
		ClaudeAiOauth *struct {
			AccessToken      present         `json:"accessToken"`
			RefreshToken     present         `json:"refreshToken"`
			ExpiresAt        json.RawMessage `json:"expiresAt"`
			SubscriptionType jString         `json:"subscriptionType"`
		} `json:"claudeAiOauth"`
	}
	if err := json.Unmarshal(buf, &doc); err != nil {
		li.check.Level, li.check.Text = LocalWarn, shown+" is not valid JSON: Claude Code will ask you to /login"
		return li
	}
	o := doc.ClaudeAiOauth
	if o == nil || !bool(o.AccessToken) {
		li.check.Level, li.check.Class = LocalInfo, ClassAuth
		li.check.Text = shown + " holds no claude.ai login"
		return li
	}
	li.present = true
	li.subscription = Line(string(o.SubscriptionType), 20)
	ms, ok := unixMillis(o.ExpiresAt)
	if !ok {
		li.check.Level, li.check.Text = LocalInfo, "logged in; the token's expiry is not recorded"
		return li
	}
	li.expires = time.UnixMilli(ms)
	now := c.o.Now()
	left := li.expires.Sub(now)
	switch {
	case left <= 0:
		li.check.Class, li.check.Cause = ClassAuth, CauseExpired
		li.check.Text = "Claude Code's login expired " + humanDur(-left) + " ago — run `claude` then /login"
		li.check.Level = LocalFail
		if o.RefreshToken {
			// Claude Code refreshes the access token by itself when it
			// next runs; only a failed refresh needs a new /login.
			li.check.Level = LocalWarn
			li.check.Text += " (Claude Code may refresh it by itself on its next start)"
		}
	case left < time.Hour:
		li.check.Level = LocalInfo
		li.check.Text = "Claude Code's login token expires in " + humanDur(left)
	default:
		li.check.Level = LocalOK
		li.check.Text = "Claude Code's login token is valid for " + humanDur(left)
	}
	return li
}

// unixMillis reads a number (or a numeric string) of unix milliseconds.
func unixMillis(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" || s == "null" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || f > 1e15 {
		return 0, false
	}
	return int64(f), true
}

// humanDur is "3 h", "12 min", "2 d", "40 s".
func humanDur(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	}
	return fmt.Sprintf("%d d", int(d/(24*time.Hour)))
}

// --- network -------------------------------------------------------------------

func (c *LocalChecker) apiHost() (string, string) {
	u, err := url.Parse(c.o.APIURL)
	if err != nil || u.Host == "" {
		return "", ""
	}
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	return u.Hostname(), port
}

// proxyFor is the proxy URL the API's requests would use, the variable it
// came from, and whether NO_PROXY exempts the host.
func (c *LocalChecker) proxyFor() (raw, from string, exempt bool) {
	env := func(names ...string) (string, string) {
		for _, n := range names {
			if v := strings.TrimSpace(c.o.Getenv(n)); v != "" {
				return v, n
			}
		}
		return "", ""
	}
	https := strings.HasPrefix(c.o.APIURL, "https:")
	if https {
		raw, from = env("HTTPS_PROXY", "https_proxy")
	} else {
		raw, from = env("HTTP_PROXY", "http_proxy")
	}
	host, _ := c.apiHost()
	noProxy, _ := env("NO_PROXY", "no_proxy")
	for _, p := range strings.Split(noProxy, ",") {
		p = strings.TrimPrefix(strings.TrimSpace(p), "*")
		if p == "" {
			continue
		}
		if p == "*" || strings.EqualFold(host, strings.TrimPrefix(p, ".")) || strings.HasSuffix(strings.ToLower(host), strings.ToLower("."+strings.TrimPrefix(p, "."))) {
			exempt = true
		}
	}
	return raw, from, exempt
}

func (c *LocalChecker) proxy(ctx context.Context) LocalCheck {
	chk := LocalCheck{ID: "proxy", Name: "Proxy", Level: LocalOK}
	var socks []string
	for _, n := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"} {
		if v := strings.ToLower(strings.TrimSpace(c.o.Getenv(n))); strings.HasPrefix(v, "socks") {
			socks = append(socks, n+"="+Line(MaskURL(c.o.Getenv(n)), 80))
		}
	}
	raw, from, exempt := c.proxyFor()
	switch {
	case raw == "" && len(socks) == 0:
		chk.Text = "no proxy in the environment: direct connection"
		return chk
	case raw == "":
		chk.Level, chk.Class = LocalWarn, ClassNetwork
		chk.Text = strings.Join(socks, ", ") + ": Claude Code does not support SOCKS proxies"
		return chk
	case exempt:
		chk.Level = LocalInfo
		chk.Text = from + " is set, but NO_PROXY exempts the API host: direct connection"
		return chk
	}
	shown := from + "=" + Line(MaskURL(raw), 100)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		// Go and Node accept "host:port" without a scheme.
		if u2, err2 := url.Parse("http://" + raw); err2 == nil && u2.Host != "" && !strings.Contains(raw, "://") {
			u, err = u2, nil
		}
	}
	if err != nil || u.Host == "" {
		chk.Level, chk.Class = LocalFail, ClassNetwork
		chk.Text = shown + " is not a URL"
		return chk
	}
	if strings.HasPrefix(strings.ToLower(u.Scheme), "socks") {
		chk.Level, chk.Class = LocalWarn, ClassNetwork
		chk.Text = shown + ": Claude Code does not support SOCKS proxies"
		return chk
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	dctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	conn, err := c.o.Dial(dctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		_, kind, msg := ClassifyTransportError(err, u.Host, c.o.Timeout)
		chk.Level, chk.Class = LocalFail, ClassNetwork
		chk.Text = shown + " does not accept connections (" + kind + ": " + msg + ")"
		return chk
	}
	conn.Close()
	chk.Text = shown + " accepts connections"
	if len(socks) > 0 {
		chk.Level, chk.Class = LocalWarn, ClassNetwork
		chk.Text += "; " + strings.Join(socks, ", ") + ": Claude Code does not support SOCKS proxies"
	}
	return chk
}

func (c *LocalChecker) dns(ctx context.Context) LocalCheck {
	chk := LocalCheck{ID: "dns", Name: "DNS", Level: LocalOK}
	host, _ := c.apiHost()
	if host == "" {
		chk.Level, chk.Text = LocalSkip, "no API host to resolve"
		return chk
	}
	if ip := net.ParseIP(host); ip != nil {
		chk.Text = host + " is an address: nothing to resolve"
		return chk
	}
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	start := time.Now()
	addrs, err := c.o.LookupHost(ctx, host)
	took := time.Since(start)
	if err != nil {
		_, _, msg := ClassifyTransportError(err, host, c.o.Timeout)
		if !strings.Contains(msg, host) {
			msg = "DNS lookup of " + host + " failed: " + msg
		}
		chk.Level, chk.Class = LocalFail, ClassNetwork
		chk.Text = msg
		if raw, from, exempt := c.proxyFor(); raw != "" && !exempt {
			chk.Level = LocalInfo
			chk.Text += " (" + from + " is set: the proxy resolves names, so this may not matter)"
		}
		return chk
	}
	chk.Text = fmt.Sprintf("%s resolves to %s in %s", host, Line(strings.Join(addrs[:min(len(addrs), 2)], ", "), 80), roundDur(took))
	return chk
}

// clockSkewWarn and clockSkewFail grade the difference between the API
// server's Date header and this machine's clock. Date has one-second
// resolution, so anything under two seconds is noise.
const (
	clockSkewNoise = 2 * time.Second
	clockSkewWarn  = 30 * time.Second
	clockSkewFail  = 5 * time.Minute
)

// clock reads the Date header of an unauthenticated GET /v1/models (it
// answers 401 and costs nothing) and compares it with the local clock at
// the middle of the exchange.
func (c *LocalChecker) clock(ctx context.Context) (LocalCheck, time.Duration, bool) {
	chk := LocalCheck{ID: "clock", Name: "Clock", Level: LocalSkip}
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	u := strings.TrimRight(c.o.APIURL, "/") + "/v1/models"
	start := c.o.Now()
	r := c.o.HTTP.Get(ctx, u, http.Header{"Anthropic-Version": {AnthropicVersion}})
	end := c.o.Now()
	if r.Err != nil && r.Status == 0 {
		_, _, msg := ClassifyTransportError(r.Err, hostOf(u), c.o.Timeout)
		chk.Text = "could not read the API server's clock: " + msg
		return chk, 0, false
	}
	date, err := http.ParseTime(r.Header.Get("Date"))
	if err != nil {
		chk.Text = "the API's answer had no Date header to compare with"
		return chk, 0, false
	}
	mid := start.Add(end.Sub(start) / 2)
	skew := date.Sub(mid.Truncate(time.Second))
	abs := skew
	if abs < 0 {
		abs = -abs
	}
	dir := "ahead of"
	if skew > 0 {
		dir = "behind"
	}
	switch {
	case abs < clockSkewNoise:
		chk.Level, chk.Text = LocalOK, "this clock agrees with the API server's (within 2 s)"
		return chk, 0, true
	case abs < clockSkewWarn:
		chk.Level = LocalOK
	case abs < clockSkewFail:
		chk.Level, chk.Class = LocalWarn, ClassNetwork
	default:
		chk.Level, chk.Class = LocalFail, ClassNetwork
	}
	chk.Text = fmt.Sprintf("this clock is %s %s the API server's", humanDur(abs), dir)
	if chk.Level == LocalFail {
		chk.Text += ": certificates and tokens will look expired or not yet valid"
	}
	return chk, skew, true
}
