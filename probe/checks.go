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
	// Fast is the interval while the target fails, until it has answered
	// --recover-threshold times in a row; 0: always Interval.
	Fast time.Duration
	// Alert is the interval while any other probe fails or an official
	// incident is open (the status page); 0: always Interval.
	Alert time.Duration
	Run   func(ctx context.Context) Event // never panics; always returns Event with Result.Target/Time set
}

// Config is everything the probes need.
type Config struct {
	StatusURL, APIURL, ClaudeURL string
	// APIURLFrom names the setting the API URL came from, as the user
	// would look for it: "ANTHROPIC_BASE_URL", "--api-url", "api_url in
	// config PATH"; "" for the default.
	APIURLFrom string
	// ClaudeURLFrom names the setting the claude.ai URL came from:
	// "--claude-url", "claude_url in config PATH"; "" for the default.
	ClaudeURLFrom                     string
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
	// FastInterval is how often a failing target is probed until it has
	// recovered (--fast-interval); never below Timeout; 0 means
	// DefaultFastInterval, < 0 turns fast probing off.
	FastInterval time.Duration
	// CanaryModels are the models a canary asks (--canary); none: no canary.
	CanaryModels []string
	// CanaryInterval is how often each canary asks (--canary-interval);
	// 0 means DefaultCanaryInterval.
	CanaryInterval time.Duration
	// CanaryBudget is the canaries' tokens per UTC day (--canary-budget).
	CanaryBudget int64
	// Ledger keeps the canaries' daily token use across restarts (the
	// store); nil counts in memory only.
	Ledger TokenLedger
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
	if c.FastInterval == 0 {
		c.FastInterval = DefaultFastInterval
	}
	if c.FastInterval > 0 {
		c.FastInterval = max(c.FastInterval, c.Timeout) // a probe never overlaps its next
	}
	if c.CanaryInterval <= 0 {
		c.CanaryInterval = DefaultCanaryInterval
	}
	return c
}

// fast is the fast interval of a check on interval, 0 when it would not
// be faster.
func (c Config) fast(interval time.Duration) time.Duration {
	if c.FastInterval <= 0 || c.FastInterval >= interval {
		return 0
	}
	return c.FastInterval
}

// NewChecks builds the checks the engine schedules, in Targets order: the
// status page on StatusInterval, the others on Interval. TargetAPIKey is
// included only when APIKey or AuthToken is set. Each Run applies
// cfg.Timeout, recovers from a panic into a Result, and stamps Target and
// Time. Every check has its own HTTP client, so one target's slow dial never
// queues behind another's.
func NewChecks(cfg Config) []Check {
	cfg = cfg.withDefaults()
	// The proxy the local checks report is the one the probes use.
	hp := func() *HTTPProber { return NewHTTPProber(HTTPOptions{Version: cfg.Version, Proxy: EnvProxy(cfg.Env)}) }

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
	// The page is read faster while something of ours fails or an
	// incident is open, never faster than the timeout allows.
	if alert := max(AlertStatusInterval, cfg.Timeout); alert < cfg.StatusInterval {
		checks[0].Alert = alert
	}
	checks[1].Fast = cfg.fast(cfg.Interval)
	cred := Credential{APIKey: cfg.APIKey, AuthToken: cfg.AuthToken}
	if !cred.IsZero() {
		key := NewAPIProber(cfg.APIURL, hp())
		key.Credential = cred
		key.SlowAfter, key.Timeout = cfg.SlowAfter, cfg.Timeout
		kc := newCheck(TargetAPIKey, cfg.Interval, cfg.Timeout, func(ctx context.Context) Event {
			return Event{Result: key.ProbeKey(ctx)}
		})
		kc.Fast = cfg.fast(cfg.Interval)
		checks = append(checks, kc)
	}
	wc := newCheck(TargetClaudeAI, cfg.Interval, cfg.Timeout, func(ctx context.Context) Event {
		return Event{Result: web.Probe(ctx)}
	})
	wc.Fast = cfg.fast(cfg.Interval)
	checks = append(checks, wc,
		newCheck(TargetCode, cfg.Interval, cfg.Timeout, func(ctx context.Context) Event {
			return Event{Result: code.Probe(ctx)}
		}),
	)
	return append(checks, canaryChecks(cfg, cred, hp)...)
}

// canaryChecks are the canaries of cfg.CanaryModels, one check per model,
// sharing one budget; fast while failing like the other probes, within
// the budget.
func canaryChecks(cfg Config, cred Credential, hp func() *HTTPProber) []Check {
	if len(cfg.CanaryModels) == 0 {
		return nil
	}
	budget := NewBudget(cfg.CanaryBudget, cfg.Ledger)
	var out []Check
	for _, m := range cfg.CanaryModels {
		p := NewCanaryProber(cfg.APIURL, m, cred, hp())
		p.SlowAfter, p.Timeout, p.Budget = cfg.SlowAfter, cfg.Timeout, budget
		c := newCheck(ModelTarget(m), cfg.CanaryInterval, cfg.Timeout, func(ctx context.Context) Event {
			return Event{Result: p.Probe(ctx)}
		})
		c.Fast = cfg.fast(cfg.CanaryInterval)
		out = append(out, c)
	}
	return out
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
