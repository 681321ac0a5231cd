package probe

import (
	"context"
	"fmt"
	"net"
	"os"
	"runtime"
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
	Getenv func(string) string // nil: os.Getenv
	Home   string              // "": $HOME, else os.UserHomeDir
	GOOS   string              // "": runtime.GOOS (the macOS keychain note)
	APIURL string              // "": DefaultAPIURL
	// APIURLFrom names the setting APIURL came from (Config.APIURLFrom).
	APIURLFrom string
	StatusURL  string
	ClaudeURL  string
	// ClaudeURLFrom names the setting ClaudeURL came from
	// (Config.ClaudeURLFrom).
	ClaudeURLFrom string
	ClaudeBin     string        // "": DefaultClaudeBin
	Timeout       time.Duration // per check; 0: 5 s
	HTTP          *HTTPProber   // for the clock check; nil: a fresh prober
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
		if c.memory == nil {
			c.memory = new(loginMemory)
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
		Getenv:        cfg.Env,
		APIURL:        cfg.APIURL,
		APIURLFrom:    cfg.APIURLFrom,
		StatusURL:     cfg.StatusURL,
		ClaudeURL:     cfg.ClaudeURL,
		ClaudeURLFrom: cfg.ClaudeURLFrom,
		ClaudeBin:     cfg.ClaudeBin,
		Timeout:       cfg.Timeout,
		HTTP:          NewHTTPProber(HTTPOptions{Version: cfg.Version, Proxy: EnvProxy(cfg.Env)}),
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
	rep := &LocalReport{Time: o.Now(), APIURL: o.APIURL, APIURLFrom: o.APIURLFrom, StatusURL: o.StatusURL, ClaudeURL: o.ClaudeURL, ClaudeURLFrom: o.ClaudeURLFrom}

	creds, format, odd := c.credentials()
	rep.KeyLength = odd
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
	login.check = liveLogin(login.check, rep.CodeUsage, login.expires)

	// A login exists when the file or `claude auth status` says so.
	loggedIn := login.present || strings.Contains(auth.Text, "logged in to claude.ai")
	if loggedIn {
		kind, masked := "OAuth token", "sk-ant-oat01-…"
		if !login.present {
			// Only `claude auth status` speaks of it: its token was never
			// read, so no prefix of one is shown (cold5 D28).
			kind, masked = "claude.ai login", ""
			if _, rest, ok := strings.Cut(auth.Text, "logged in to claude.ai ("); ok {
				sub, _, _ := strings.Cut(rest, ")")
				kind += " (" + sub + ")"
			}
			if strings.HasSuffix(login.check.Text, notLoggedInHere) {
				login.check.Text = strings.TrimSuffix(login.check.Text, notLoggedInHere) +
					", but `claude auth status` reports a claude.ai login: kept elsewhere (a keychain or secret store), its expiry cannot be read"
			}
		}
		if login.subscription != "" {
			kind += " (" + login.subscription + ")"
		}
		creds = append(creds, CredentialInfo{Source: "Claude Code login", Kind: kind, Masked: masked, Header: "Authorization: Bearer"})
	}
	rep.Credentials = creds
	if u := rep.CodeUsage; u != nil && u.Rejected && len(creds) > 0 && creds[0].Source != "Claude Code login" {
		// A key in the environment comes first in Claude Code's order of
		// precedence: the refused login is not what it sends, so the
		// refusal fails nothing.
		u.SentInstead = creds[0].Source
		login.check = unusedLogin(login.check, u)
	}
	rep.Skew, rep.SkewKnown = skew, skewOK

	rep.Checks = append(rep.Checks, liveCredential(credentialCheck(creds), creds, rep.CodeUsage), format)
	if ov, ok := overrideCheck(creds, loggedIn); ok {
		rep.Checks = append(rep.Checks, ov)
	}
	base, codeURL := c.baseURL()
	rep.CodeURL = codeURL
	rep.Checks = append(rep.Checks, base, auth, login.check, proxy, dns, clock)
	// The checks quote programs run with the user's environment (claude
	// auth status): no credential of it leaves here, whatever they print.
	for i := range rep.Checks {
		rep.Checks[i].Text = RedactWith(rep.Checks[i].Text, o.Getenv)
	}
	return rep
}

// liveLogin folds the usage call's answer into the login check: the API's
// word on Claude Code's login beats what its credentials file says. A 401
// is a rejection; it is called an expiry only when the file's expiresAt
// (expires, zero when unknown) is past at the call — Anthropic answers
// "OAuth token has expired" to tokens the file still holds valid for an
// hour, and "past its expiry" would then be false.
func liveLogin(chk LocalCheck, u *CodeUsage, expires time.Time) LocalCheck {
	switch {
	case u == nil:
	case u.Rejected:
		chk.Level, chk.Class, chk.Cause = LocalFail, ClassAuth, CauseRejected
		at := u.Time.UTC().Format("15:04:05 UTC")
		switch {
		case !expires.IsZero() && !expires.After(u.Time):
			chk.Cause = CauseExpired
			chk.Text = fmt.Sprintf("Claude Code's login expired %s ago and Anthropic rejects it (%d): run `claude` then /login (its usage call at %s)",
				humanDur(u.Time.Sub(expires)), u.HTTPStatus, at)
		case !expires.IsZero():
			chk.Text = fmt.Sprintf("Claude Code's login is rejected by Anthropic (%d): run /login (its usage call at %s; the credentials file holds the token valid for %s more)",
				u.HTTPStatus, at, humanDur(expires.Sub(u.Time)))
		default:
			chk.Text = fmt.Sprintf("Claude Code's login is rejected by Anthropic (%d): run /login (its usage call at %s)", u.HTTPStatus, at)
		}
	case len(u.Limits) > 0 && chk.Level <= LocalInfo:
		chk.Level = LocalOK
		chk.Text = strings.TrimSuffix(chk.Text, ".") + "; the API accepts it (usage call at " + u.Time.UTC().Format("15:04:05 UTC") + ")"
	}
	return chk
}

// unusedLogin is the login check when the usage call refused a login
// Claude Code does not send (u.SentInstead stands in for it): said, as
// information, not a failure to fix.
func unusedLogin(chk LocalCheck, u *CodeUsage) LocalCheck {
	chk.Level, chk.Class, chk.Cause = LocalInfo, ClassUnknown, ""
	chk.Text = u.UnusedLine("at " + u.Time.UTC().Format("15:04:05 UTC"))
	return chk
}

// liveCredential fails the credential-in-effect row when that credential
// is Claude Code's login and the usage call just had it refused: a live
// refusal beats the local reading that a login exists (cold2 C20). The
// login check's entry explains it (the cause here points at none, so the
// finding is not listed twice).
func liveCredential(chk LocalCheck, creds []CredentialInfo, u *CodeUsage) LocalCheck {
	if u == nil || !u.Rejected || len(creds) == 0 || creds[0].Source != "Claude Code login" {
		return chk
	}
	chk.Level, chk.Class, chk.Cause = LocalFail, ClassAuth, CauseRejected
	chk.Text += fmt.Sprintf(" — %s (usage call at %s)", u.RejectedLine(""), u.Time.UTC().Format("15:04:05 UTC"))
	return chk
}
