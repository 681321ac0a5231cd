package probe

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	"slices"
	"strings"
	"sync"
	"time"
)

// CodeUsagePath is the undocumented endpoint Claude Code's own /usage reads
// (reference/anthropic-formats.md §2.8): the plan's 5-hour and weekly
// utilisation for the OAuth login it is called with.
const CodeUsagePath = "/api/oauth/usage"

// errNoLogin means there is no Claude Code login to ask with.
var errNoLogin = errors.New("no Claude Code login on this machine")

// CodeUsageProber asks GET {api}/api/oauth/usage with Claude Code's own
// OAuth access token. It is opt-in (--code-usage): the token is read from
// Claude Code's credentials at call time, sent only to the API host, in
// the Authorization header, never across a redirect, and never kept —
// not in the result, the log, the database or an error.
type CodeUsageProber struct {
	APIURL string
	// ConfigDir is Claude Code's configuration directory
	// ($CLAUDE_CONFIG_DIR, else ~/.claude).
	ConfigDir string
	// ConfigDirSet says ConfigDir came from CLAUDE_CONFIG_DIR (the macOS
	// keychain entry's name depends on it).
	ConfigDirSet bool
	GOOS         string
	Timeout      time.Duration
	Now          func() time.Time
	// Keychain runs `security find-generic-password -s SERVICE -w` on
	// macOS and returns its output; nil runs the real command.
	Keychain func(ctx context.Context, service string) ([]byte, error)
	Client   *http.Client // nil: a client that never follows a redirect
	Version  string

	// memory holds the last rejection between calls (NewLocalChecker sets
	// it; nil remembers nothing).
	memory *loginMemory
}

// loginMemory is the last rejection and the fingerprint of the token it
// refused, in memory only: an answer that says nothing of the login (429,
// 5xx, a failed call) does not make that rejection go away while the same
// token is in use.
type loginMemory struct {
	mu       sync.Mutex
	rejected *CodeUsage
	fp       [8]byte
}

// Probe makes one call. It always returns a CodeUsage: the windows, or
// Rejected, or why there is nothing to show.
func (p *CodeUsageProber) Probe(ctx context.Context) *CodeUsage {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	u := &CodeUsage{Time: now()}
	endpoint, err := p.endpoint()
	if err != nil {
		u.Unavailable = err.Error()
		return u
	}
	if p.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.Timeout)
		defer cancel()
	}
	tok, expires, err := p.token(ctx)
	if err != nil {
		u.Unavailable = err.Error()
		return u
	}
	if !expires.IsZero() && !expires.After(u.Time) {
		// Claude Code renews an expired token itself on its next call;
		// asking with it would only earn a 401 that blames no one.
		clear(tok)
		u.Unavailable = "Claude Code's token expired " + humanDur(u.Time.Sub(expires)) + " ago; Claude Code renews it when it next runs"
		return u
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		clear(tok)
		u.Unavailable = "cannot build the request"
		return u
	}
	req.Header.Set("Authorization", "Bearer "+string(tok))
	fp := fingerprint(tok)
	clear(tok)
	u = p.remember(p.ask(req, u), fp)
	return u
}

// fingerprint tells one token from another without keeping it.
func fingerprint(tok []byte) [8]byte {
	sum := sha256.Sum256(tok)
	return [8]byte(sum[:8])
}

// remember keeps a rejection, forgets it when an answer shows the login
// accepted (2xx; a 403 for a missing scope authenticated it) or the token
// changed (a new /login, a refresh), and carries it over an answer that
// says nothing of the login: "rejected 3 min ago" stays the fact then,
// with its own time, not "valid for 23 h".
func (p *CodeUsageProber) remember(u *CodeUsage, fp [8]byte) *CodeUsage {
	m := p.memory
	if m == nil {
		return u
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case u.Rejected:
		c := *u
		m.rejected, m.fp = &c, fp
	case m.rejected == nil:
	case fp != m.fp, u.HTTPStatus >= 200 && u.HTTPStatus < 300, u.HTTPStatus == http.StatusForbidden:
		m.rejected = nil
	default:
		c := *m.rejected
		return &c
	}
	return u
}

// ask makes the call and reads its answer into u.
func (p *CodeUsageProber) ask(req *http.Request, u *CodeUsage) *CodeUsage {
	req.Header.Set("anthropic-beta", oauthBeta)
	req.Header.Set("Accept", "application/json")
	v := p.Version
	if v == "" {
		v = "dev"
	}
	req.Header.Set("User-Agent", "downforai/"+v)
	client := p.Client
	if client == nil {
		client = noRedirectClient()
	}
	resp, err := client.Do(req)
	req.Header.Del("Authorization")
	if err != nil {
		_, _, msg := classifyTransport(err, req.URL.Hostname(), p.Timeout)
		u.Unavailable = Line(Redact(msg), 120)
		return u
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxCodeUsage+1))
	u.HTTPStatus = resp.StatusCode
	u.RequestID = Line(resp.Header.Get("request-id"), 100)
	switch {
	case resp.StatusCode == http.StatusOK && len(body) > maxCodeUsage:
		u.Unavailable = "the answer is over 64 KiB, not the short answer expected (the endpoint is undocumented and may have changed)"
		return u
	case resp.StatusCode == http.StatusOK:
		limits, ok := parseCodeUsage(body)
		if !ok {
			u.Unavailable = "the answer has another shape than expected (the endpoint is undocumented and may have changed)"
			return u
		}
		u.Limits = limits
	case resp.StatusCode == http.StatusUnauthorized:
		_, _, msg, _ := ClassifyAPIError(resp.StatusCode, body)
		u.Rejected, u.Message = true, Line(Redact(msg), 160)
	case resp.StatusCode == http.StatusForbidden:
		_, typ, msg, _ := ClassifyAPIError(resp.StatusCode, body)
		switch lower := strings.ToLower(msg); {
		case strings.Contains(lower, "revoked"):
			u.Rejected, u.Message = true, Line(Redact(msg), 160)
		case strings.Contains(lower, "scope"):
			u.Unavailable = "the login lacks the user:profile scope (a `claude setup-token` token has none; /login gives it)"
		default:
			if msg == "" {
				msg = typ
			}
			u.Unavailable = Line("refused: "+msg, 120)
		}
	case resp.StatusCode == http.StatusTooManyRequests:
		u.Unavailable = "rate limited (429); asked again at the next local checks"
	default:
		_, _, msg, _ := ClassifyAPIError(resp.StatusCode, body)
		u.Unavailable = Line("the API answered "+msg, 120)
	}
	return u
}

// maxCodeUsage bounds the usage answer read: the real one is under 1 KiB.
const maxCodeUsage = 64 << 10

// noRedirectClient keeps the token on the host it was meant for: a redirect
// is answered as it is, not followed.
func noRedirectClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// endpoint is {api}/api/oauth/usage. The token goes over TLS only, except
// to this machine (tests and local fakes).
func (p *CodeUsageProber) endpoint() (string, error) {
	base := p.APIURL
	if base == "" {
		base = DefaultAPIURL
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("the API URL %s does not parse", Quote(Line(base, 80)))
	}
	if u.Scheme != "https" && !isLoopback(u.Hostname()) {
		return "", errors.New("the API URL is not https: Claude Code's login is not sent over plain http")
	}
	return u.String() + CodeUsagePath, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// maxCredentials bounds the read of Claude Code's credentials.
const maxCredentials = 1 << 20

// token reads claudeAiOauth.accessToken and its expiry: from
// .credentials.json, else (macOS) from the keychain entry Claude Code
// keeps. The caller clears the returned bytes when done.
func (p *CodeUsageProber) token(ctx context.Context) ([]byte, time.Time, error) {
	path := filepath.Join(p.ConfigDir, ".credentials.json")
	buf, err := readLimited(path)
	if errors.Is(err, os.ErrNotExist) && p.GOOS == "darwin" {
		buf, err = p.keychain(ctx)
	}
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, errNoLogin) {
		return nil, time.Time{}, errNoLogin
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("cannot read Claude Code's credentials: %s", Line(innerText(err), 80))
	}
	defer clear(buf)
	var doc struct {
		ClaudeAiOauth *struct {
			AccessToken secretString    `json:"accessToken"`
			ExpiresAt   json.RawMessage `json:"expiresAt"`
		} `json:"claudeAiOauth"`
	}
	if err := json.Unmarshal(buf, &doc); err != nil {
		return nil, time.Time{}, errors.New("Claude Code's credentials are not valid JSON")
	}
	o := doc.ClaudeAiOauth
	if o == nil || len(o.AccessToken) == 0 {
		return nil, time.Time{}, errNoLogin
	}
	var exp time.Time
	if ms, ok := unixMillis(o.ExpiresAt); ok {
		exp = time.UnixMilli(ms)
	}
	return o.AccessToken, exp, nil
}

// secretString decodes a JSON string into bytes the caller can clear, and
// prints as nothing.
type secretString []byte

func (s *secretString) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return nil // another type: no token
	}
	*s = []byte(v)
	return nil
}

func (s secretString) String() string   { return "[redacted]" }
func (s secretString) GoString() string { return "[redacted]" }

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxCredentials))
}

// keychainService is the macOS keychain entry Claude Code keeps its login
// in: "Claude Code-credentials", with a suffix of the config directory's
// hash when CLAUDE_CONFIG_DIR is set (reference §3.3, third-party notes).
func (p *CodeUsageProber) keychainService() string {
	if !p.ConfigDirSet {
		return "Claude Code-credentials"
	}
	abs, err := filepath.Abs(p.ConfigDir)
	if err != nil {
		abs = p.ConfigDir
	}
	sum := sha256.Sum256([]byte(abs))
	return "Claude Code-credentials-" + hex.EncodeToString(sum[:])[:8]
}

func (p *CodeUsageProber) keychain(ctx context.Context) ([]byte, error) {
	run := p.Keychain
	if run == nil {
		run = func(ctx context.Context, service string) ([]byte, error) {
			cmd := exec.CommandContext(ctx, "security", "find-generic-password", "-s", service, "-w")
			var out limitedBuffer
			out.max = maxCredentials
			cmd.Stdout = &out
			cmd.WaitDelay = time.Second
			if err := cmd.Run(); err != nil {
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					return nil, errNoLogin // no such entry (or access refused)
				}
				return nil, err
			}
			return bytes.Clone(out.buf.Bytes()), nil
		}
	}
	b, err := run(ctx, p.keychainService())
	if err != nil {
		return nil, err
	}
	return bytes.TrimSpace(b), nil
}

// parseCodeUsage reads the windows of an /api/oauth/usage answer: every
// top-level object with a numeric utilization (five_hour, seven_day,
// seven_day_opus …), five_hour and seven_day first. false when there is
// none: another shape.
func parseCodeUsage(body []byte) ([]CodeLimit, bool) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, false
	}
	var limits []CodeLimit
	for name, raw := range doc {
		var w struct {
			Utilization *float64 `json:"utilization"`
			ResetsAt    string   `json:"resets_at"`
		}
		if json.Unmarshal(raw, &w) != nil || w.Utilization == nil {
			continue
		}
		// Redact before cutting: a cut token is no longer one Redact knows,
		// and its first half would be drawn.
		l := CodeLimit{Name: Line(Redact(name), 40), Utilization: *w.Utilization}
		if t, err := time.Parse(time.RFC3339Nano, w.ResetsAt); err == nil {
			l.ResetsAt = t
		}
		limits = append(limits, l)
	}
	rank := func(n string) int {
		switch n {
		case "five_hour":
			return 0
		case "seven_day":
			return 1
		}
		return 2
	}
	slices.SortFunc(limits, func(a, b CodeLimit) int {
		if d := rank(a.Name) - rank(b.Name); d != 0 {
			return d
		}
		return strings.Compare(a.Name, b.Name)
	})
	return limits, len(limits) > 0
}
