package probe

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TargetLocal is the local checks' target: this machine's setup, not an
// Anthropic service. It is deliberately not in Targets (no uptime, no
// service row); its Event carries the LocalReport.
const TargetLocal Target = "local"

// LocalLevel grades one local check.
type LocalLevel uint8

// The levels, from harmless to broken.
const (
	LocalSkip LocalLevel = iota // not applicable or could not run
	LocalOK
	LocalInfo
	LocalWarn
	LocalFail
)

func (l LocalLevel) String() string {
	switch l {
	case LocalOK:
		return "ok"
	case LocalInfo:
		return "info"
	case LocalWarn:
		return "warning"
	case LocalFail:
		return "problem"
	}
	return "skipped"
}

// LocalCheck is the outcome of one local check. Text never holds a
// credential: keys appear only as Mask shows them.
type LocalCheck struct {
	ID    string // one of LocalCheckIDs: CheckCredential, CheckKeyFormat …
	Name  string // for people
	Level LocalLevel
	Text  string
	// Class is the class of the problem the check found, as a probe
	// meeting it would report it (ClassAuth for a mangled key,
	// ClassNetwork for a DNS failure); ClassUnknown when it found none it
	// can name.
	Class Class
	// Cause tells apart problems of one check and one class that need
	// different fixes (CauseOAuthToken, CauseExpired, CauseNotInstalled);
	// "" for the check's usual problem. The catalogue finds the entry a
	// check points at by ID, Class and Cause.
	Cause string
}

// The ids of the local checks (LocalCheck.ID): how the catalogue, the
// judge and diagnose name a check. A new check adds its id here and to
// LocalCheckIDs.
const (
	CheckCredential = "credential" // the credential in effect, and where it comes from
	CheckKeyFormat  = "key_format" // the key's shape: length, prefix, an OAuth token where a key belongs
	CheckOverride   = "override"   // an API key in the environment overriding Claude Code's login
	CheckBaseURL    = "base_url"   // ANTHROPIC_BASE_URL: a gateway or proxy in the API's place
	CheckCodeAuth   = "code_auth"  // claude auth status
	CheckCodeLogin  = "code_login" // Claude Code's login file: expiry, refused by the API
	CheckProxy      = "proxy"      // HTTP(S)_PROXY, NO_PROXY and what Claude Code makes of them
	CheckDNS        = "dns"        // the Anthropic hosts resolve
	CheckClock      = "clock"      // this machine's clock against the servers' Date
)

// LocalCheckIDs returns the id of every local check, in the order the
// report lists them.
func LocalCheckIDs() []string {
	return []string{CheckCredential, CheckKeyFormat, CheckOverride, CheckBaseURL, CheckCodeAuth, CheckCodeLogin, CheckProxy, CheckDNS, CheckClock}
}

// The causes a local check names when its Class alone does not say which
// problem it found (LocalCheck.Cause).
const (
	CauseOAuthToken   = "oauth_token"   // key_format: an OAuth token where an API key belongs
	CauseExpired      = "expired"       // code_login: the login's token has expired
	CauseNotInstalled = "not_installed" // code_auth: no claude on the PATH
	CauseRejected     = "rejected"      // code_login: the API refused the login (the usage call's 401)
	CauseSOCKS        = "socks"         // proxy: a SOCKS proxy, which Claude Code does not support
	CauseHTTPSProxy   = "https_proxy"   // proxy: an https:// proxy URL, where proxies mostly speak plain HTTP
	CauseDirect       = "direct"        // proxy: the API's requests go through no proxy, whatever else is set (ProxyDirect)
	CauseProxyAuth    = "proxy_auth"    // proxy: it answers CONNECT 407, wanting credentials of its own
	CauseProxyCreds   = "proxy_creds"   // proxy: it answers CONNECT 407 to the credentials in the proxy URL
	CauseProxyRefused = "proxy_refused" // proxy: it answers CONNECT with another refusal (403, 502 …)
)

// ProxyDirect reports whether the Proxy check found that the API's
// requests go through no proxy: none in the environment, one the API host
// is exempt from, or only variables its requests do not read (ALL_PROXY,
// HTTPS_PROXY for an http:// URL). A proxy that answers then is one on the
// path, not one the environment names. Checks recorded before Cause was
// set say so by their words.
func ProxyDirect(c LocalCheck) bool {
	return c.ID == CheckProxy && (c.Cause == CauseDirect || strings.HasPrefix(c.Text, "no proxy in the environment"))
}

// CredentialInfo describes one credential found, never the secret itself.
type CredentialInfo struct {
	Source string // ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN, CLAUDE_CODE_OAUTH_TOKEN, Claude Code login
	Kind   string // API key, admin key, OAuth token, compliance key, unknown
	Masked string // sk-ant-api03-…Xy7A
	Header string // how it is sent: x-api-key, Authorization: Bearer
	Probed bool   // downforai's key probe authenticates with this one
	// Where is the file the variable was set in when not the environment:
	// the env block of Claude Code's settings.json ("~/.claude/settings.json").
	Where string `json:",omitempty"`
}

// LocalReport is one run of the local checks: which credential is in
// effect and where from, its format, Claude Code's login, proxy, DNS and
// clock. It holds no secret.
type LocalReport struct {
	Time   time.Time
	APIURL string
	// APIURLFrom names the setting APIURL came from ("ANTHROPIC_BASE_URL",
	// "--api-url", "api_url in config PATH"); "" for the default or when
	// not known (a report recorded before it was kept).
	APIURLFrom string `json:",omitempty"`
	// CodeURL is the API base URL Claude Code calls, masked:
	// ANTHROPIC_BASE_URL as set, DefaultAPIURL while it is unset; "" when
	// not known (a report recorded before it was kept, a cloud provider
	// in the API's place, a base URL that is no http(s) URL). Where it is
	// not APIURL, our API probes say nothing of Claude Code's calls.
	CodeURL   string `json:",omitempty"`
	StatusURL string
	ClaudeURL string
	// ClaudeURLFrom names the setting ClaudeURL came from ("--claude-url",
	// "claude_url in config PATH"); "" for the default or when not known
	// (a report recorded before it was kept).
	ClaudeURLFrom string `json:",omitempty"`
	// Credentials in Claude Code's order of precedence; the first is the
	// one Claude Code uses.
	Credentials []CredentialInfo
	Checks      []LocalCheck
	// Skew is the API server's clock minus ours; valid when SkewKnown.
	Skew      time.Duration
	SkewKnown bool
	// LoginExpires is claudeAiOauth.expiresAt; zero when unknown.
	LoginExpires time.Time
	// CodeUsage is the opt-in usage call's answer (--code-usage); nil
	// when it is off.
	CodeUsage *CodeUsage
	// KeyLength is the probed credential's length when it is unlike an
	// API key's (KeyFormatLive settles it by the key probe's answer).
	KeyLength KeyLength
}

// Check returns the check with the id.
func (r *LocalReport) Check(id string) (LocalCheck, bool) {
	if r == nil {
		return LocalCheck{}, false
	}
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return LocalCheck{}, false
}

// Probed is the credential the key probe uses, if any.
func (r *LocalReport) Probed() (CredentialInfo, bool) {
	if r == nil {
		return CredentialInfo{}, false
	}
	for _, c := range r.Credentials {
		if c.Probed {
			return c, true
		}
	}
	return CredentialInfo{}, false
}

// Worst is the most serious level among the checks.
func (r *LocalReport) Worst() LocalLevel {
	w := LocalSkip
	if r == nil {
		return w
	}
	for _, c := range r.Checks {
		w = max(w, c.Level)
	}
	return w
}

// Result summarises the report as a Result of TargetLocal: ok when no
// check found a problem, else the class of the worst problem.
func (r *LocalReport) Result() Result {
	res := Result{Target: TargetLocal, Time: r.Time, Class: ClassOK}
	var problems []string
	worst := LocalSkip
	for _, c := range r.Checks {
		if c.Level < LocalWarn {
			continue
		}
		problems = append(problems, c.Name)
		// A key's format is a heuristic, not an observation: only a live
		// answer can say the key is bad, so it never makes the local
		// checks fail (no incident, no probe_success 0), and any real
		// problem of the same level speaks first.
		heuristic := c.ID == CheckKeyFormat
		if c.Level > worst || c.Level == worst && res.ErrorType == CheckKeyFormat && !heuristic {
			worst = c.Level
			res.ErrorType = c.ID
			if c.Level == LocalFail && c.Class != ClassUnknown && !heuristic {
				res.Class = c.Class
			}
		}
	}
	switch len(problems) {
	case 0:
		res.Message = "local checks pass"
	default:
		res.Message = Line(fmt.Sprintf("%d local check%s need attention: %s", len(problems), Plural(len(problems)), strings.Join(problems, ", ")), 200)
	}
	return res
}

// anthropicDomains are the domains of Anthropic's hosts: those of the
// default URLs (api.anthropic.com, claude.ai, status.claude.com).
var anthropicDomains = []string{"anthropic.com", "claude.ai", "claude.com"}

// AnthropicHost reports whether host (a name, no port) is one of
// Anthropic's: its API, claude.ai, its status page, its consoles.
func AnthropicHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, d := range anthropicDomains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// OneServer is the host:port every probed URL (the API's, claude.ai's,
// the status page's) points at when it is one and the same and not one
// of Anthropic's hosts (a local fake, a mirror): then no probe asked
// Anthropic, nor crossed the path to it. False otherwise, and for a nil
// report.
func (l *LocalReport) OneServer() (string, bool) {
	if l == nil {
		return "", false
	}
	host := ""
	for _, raw := range []string{l.APIURL, l.ClaudeURL, l.StatusURL} {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || u.Host == "" || AnthropicHost(u.Hostname()) {
			return "", false
		}
		if host != "" && !strings.EqualFold(host, u.Host) {
			return "", false
		}
		host = u.Host
	}
	return host, host != ""
}
