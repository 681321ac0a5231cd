package probe

import (
	"context"
	"fmt"
	"time"
)

// Default endpoints (DESIGN.md); main overrides them from flags, config and
// ANTHROPIC_BASE_URL.
const (
	DefaultStatusURL = "https://status.claude.com"
	DefaultAPIURL    = "https://api.anthropic.com"
	DefaultClaudeURL = "https://claude.ai"
)

// Defaults NewChecks applies to a zero Config field.
const (
	DefaultInterval       = time.Minute
	DefaultStatusInterval = 2 * time.Minute
	DefaultTimeout        = 10 * time.Second
)

// Check is one scheduled probe.
type Check struct {
	Target   Target
	Interval time.Duration
	Run      func(ctx context.Context) Event // never panics; always returns Event with Result.Target/Time set
}

// Config is everything the probes need.
type Config struct {
	StatusURL, APIURL, ClaudeURL      string
	StatusPageID                      string // the page id the status page must carry; "" means DefaultPageID
	Interval, StatusInterval, Timeout time.Duration
	APIKey, AuthToken                 string        // from ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN; never stored
	ClaudeBin                         string        // default "claude"
	Version                           string        // for the User-Agent
	SlowAfter                         time.Duration // latency budget; default 3s if zero
	// Env is the environment the local checks read (credential variables,
	// proxies, CLAUDE_CONFIG_DIR); nil means os.Getenv.
	Env func(string) string
	// LocalInterval is how often the local checks run; 0 means
	// DefaultLocalInterval.
	LocalInterval time.Duration
	// CodeUsage turns on the usage call with Claude Code's own login
	// (--code-usage), made with every run of the local checks.
	CodeUsage bool
}

// String shows the configuration with the credentials as "set" or "unset",
// so logging a Config can never leak them.
func (c Config) String() string {
	set := func(s string) string {
		if s == "" {
			return "unset"
		}
		return "set"
	}
	return fmt.Sprintf("{StatusURL:%s APIURL:%s ClaudeURL:%s Interval:%s StatusInterval:%s Timeout:%s APIKey:%s AuthToken:%s ClaudeBin:%s Version:%s SlowAfter:%s}",
		c.StatusURL, c.APIURL, c.ClaudeURL, c.Interval, c.StatusInterval, c.Timeout,
		set(c.APIKey), set(c.AuthToken), c.ClaudeBin, c.Version, c.SlowAfter)
}

// GoString is String, for %#v.
func (c Config) GoString() string { return "probe.Config" + c.String() }

// Format makes every verb, %+v included, use String.
func (c Config) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}

// withDefaults fills every zero field.
func (c Config) withDefaults() Config {
	if c.StatusURL == "" {
		c.StatusURL = DefaultStatusURL
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if c.ClaudeURL == "" {
		c.ClaudeURL = DefaultClaudeURL
	}
	if c.Interval <= 0 {
		c.Interval = DefaultInterval
	}
	if c.StatusInterval <= 0 {
		c.StatusInterval = DefaultStatusInterval
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.ClaudeBin == "" {
		c.ClaudeBin = DefaultClaudeBin
	}
	if c.SlowAfter == 0 {
		c.SlowAfter = DefaultSlowAfter
	}
	return c
}

// NewChecks builds the checks the engine schedules, in Targets order: the
// status page on StatusInterval, the others on Interval. TargetAPIKey is
// included only when APIKey or AuthToken is set. Each Run applies
// cfg.Timeout, recovers from a panic into a Result, and stamps Target and
// Time. Every check has its own HTTP client, so one target's slow dial never
// queues behind another's.
func NewChecks(cfg Config) []Check {
	cfg = cfg.withDefaults()
	hp := func() *HTTPProber { return NewHTTPProber(HTTPOptions{Version: cfg.Version}) }

	status := NewStatusProber(cfg.StatusURL, hp())
	status.SlowAfter, status.Timeout, status.PageID = cfg.SlowAfter, cfg.Timeout, cfg.StatusPageID
	reach := NewAPIProber(cfg.APIURL, hp())
	reach.SlowAfter, reach.Timeout = cfg.SlowAfter, cfg.Timeout
	web := NewClaudeAIProber(cfg.ClaudeURL, hp())
	web.SlowAfter, web.Timeout = cfg.SlowAfter, cfg.Timeout
	code := NewCodeProber(cfg.ClaudeBin)
	code.Timeout = cfg.Timeout

	checks := []Check{
		newCheck(TargetStatus, cfg.StatusInterval, cfg.Timeout, func(ctx context.Context) Event {
			r, st := status.Probe(ctx)
			return Event{Result: r, Status: st, Official: status.ProbeOfficial(ctx, st)}
		}),
		newCheck(TargetAPI, cfg.Interval, cfg.Timeout, func(ctx context.Context) Event {
			return Event{Result: reach.ProbeReach(ctx)}
		}),
	}
	cred := Credential{APIKey: cfg.APIKey, AuthToken: cfg.AuthToken}
	if !cred.IsZero() {
		key := NewAPIProber(cfg.APIURL, hp())
		key.Credential = cred
		key.SlowAfter, key.Timeout = cfg.SlowAfter, cfg.Timeout
		checks = append(checks, newCheck(TargetAPIKey, cfg.Interval, cfg.Timeout, func(ctx context.Context) Event {
			return Event{Result: key.ProbeKey(ctx)}
		}))
	}
	checks = append(checks,
		newCheck(TargetClaudeAI, cfg.Interval, cfg.Timeout, func(ctx context.Context) Event {
			return Event{Result: web.Probe(ctx)}
		}),
		newCheck(TargetCode, cfg.Interval, cfg.Timeout, func(ctx context.Context) Event {
			return Event{Result: code.Probe(ctx)}
		}),
	)
	return checks
}

// newCheck wraps probe so that its Run keeps the Check contract: the timeout
// applied, Target and Time always set, and a panic turned into a Result
// instead of taking the engine down.
func newCheck(t Target, interval, timeout time.Duration, probe func(context.Context) Event) Check {
	return Check{
		Target:   t,
		Interval: interval,
		Run: func(ctx context.Context) (ev Event) {
			start := time.Now()
			defer func() {
				if p := recover(); p != nil {
					ev = Event{Result: Result{
						Target: t, Time: start, Class: ClassUnknown, ErrorType: "internal",
						Message: Line(Credential{}.redact(fmt.Sprintf("probe failed internally: %v", p)), 200),
					}}
				}
				if ev.Result.Target == "" {
					ev.Result.Target = t
				}
				if ev.Result.Time.IsZero() {
					ev.Result.Time = start
				}
			}()
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			return probe(ctx)
		},
	}
}
