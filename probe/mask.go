package probe

import (
	"net/url"
	"os"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"downforai/probe/lazyre"
)

// Mask shows a credential the way people recognise theirs without giving it
// away: the public prefix and the last four characters,
// "sk-ant-api03-…Xy7A". Blanks and quotes around the value are ignored (they
// are reported as a problem elsewhere). A value too short to hide anything
// behind "…" shows no tail at all.
func Mask(secret string) string {
	s := strings.Trim(secret, " \t\r\n\"'")
	if s == "" {
		return ""
	}
	prefix := ""
	rest := s
	if strings.HasPrefix(s, "sk-ant-") {
		// sk-ant-<kind>-…: the kind (api03, oat01, admin01) is public.
		if i := strings.IndexByte(s[len("sk-ant-"):], '-'); i >= 0 && i <= 10 {
			prefix = s[:len("sk-ant-")+i+1]
		} else {
			prefix = "sk-ant-"
		}
		rest = s[len(prefix):]
	}
	n := utf8.RuneCountInString(rest)
	switch {
	case n >= 16:
		r := []rune(rest)
		return prefix + "…" + string(r[n-4:])
	case prefix != "":
		return prefix + "…"
	}
	return "…"
}

// maskedShape matches what Mask produced, so Redact leaves it alone.
var maskedShape = lazyre.New(`^(sk-ant-[a-z0-9]*-?)?…[A-Za-z0-9_-]{0,4}$`)

// keyPattern is an Anthropic key or token anywhere in text.
var keyPattern = lazyre.New(`sk-ant-[A-Za-z0-9_-]+`)

// redactRule is one pattern of a credential in free text: group 1 is kept,
// group 2 (the value) masked. words are what any match must contain, in
// lower case: a text without one of them skips the expression, which has
// no literal prefix and so costs about a microsecond per byte searched.
type redactRule struct {
	re    *lazyre.Regexp
	words []string
}

// redactRules find the values of the headers and variables that carry
// credentials.
var redactRules = []redactRule{
	// Header values: "x-api-key: …", "Authorization: Bearer …".
	{lazyre.New(`(?i)((?:x-api-key|authorization|proxy-authorization)["']?\s*[:=]\s*["']?(?:bearer\s+|basic\s+)?)([^\s"',;})]{8,})`),
		[]string{"x-api-key", "authorization"}},
	// Shell assignments: ANTHROPIC_API_KEY=….
	{lazyre.New(`((?:ANTHROPIC_API_KEY|ANTHROPIC_AUTH_TOKEN|CLAUDE_CODE_OAUTH_TOKEN)=["']?)([^\s"']{8,})`),
		[]string{"anthropic_api_key=", "anthropic_auth_token=", "claude_code_oauth_token="}},
	// JSON and Python dict fields: "accessToken": "…".
	{lazyre.New(`(?i)((?:api_key|apiKey|accessToken|refreshToken|access_token|refresh_token|auth_token)["']\s*:\s*["'])([^"']{8,})`),
		[]string{"api_key", "apikey", "accesstoken", "refreshtoken", "access_token", "refresh_token", "auth_token"}},
}

// foldForWords lowers s as the (?i) expressions compare it: ToLower, and
// the long s (ſ), which (?i) matches as s but which is lower case already.
func foldForWords(s string) string {
	return strings.Map(func(r rune) rune {
		if r == 'ſ' {
			return 's'
		}
		return unicode.ToLower(r)
	}, s)
}

// Redact masks every credential-shaped string in s: Anthropic keys and OAuth
// tokens (sk-ant-…), and the values after x-api-key, Authorization: Bearer,
// ANTHROPIC_API_KEY= and the like, and a password in a URL's userinfo. It is
// applied to everything a person pastes and to every report, on top of the
// probes never recording a credential in the first place. Its cost grows
// with len(s) times the rules whose words s holds: callers give it bounded
// text (a paste, a report, a Result's fields), never a whole response body.
func Redact(s string) string {
	s = maskKeys(s)
	var folded string
	for _, rule := range redactRules {
		if folded == "" {
			folded = foldForWords(s)
		}
		if !containsAny(folded, rule.words) {
			continue
		}
		re := rule.re
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			sub := re.FindStringSubmatch(m)
			if maskedShape.MatchString(sub[2]) || strings.Contains(sub[2], "…") || sub[2] == "[redacted]" {
				return m
			}
			return sub[1] + Mask(sub[2])
		})
		folded = "" // masking changed s
	}
	if !strings.Contains(s, "://") || !strings.Contains(s, "@") {
		return s
	}
	return userinfoPattern.ReplaceAllString(s, "${1}${2}:…@")
}

// RedactEnv is Redact that first masks, by value, the credentials in this
// process's environment: a child process (`claude --version`, a wrapper
// script) inherits them and may print one, whole or in a shape no pattern
// knows. Every Result passes through it before it is stored or shown.
func RedactEnv(s string) string {
	return Redact(maskEnv(s))
}

// RedactWith is RedactEnv with the credentials of getenv's environment
// (the configuration's, which a test or the local checks pass) as well as
// this process's.
func RedactWith(s string, getenv func(string) string) string {
	return Redact(maskEnvWith(s, getenv))
}

// maskEnv masks, by value, the credentials in this process's environment
// (linear in s: for a child's whole output, before any of it is cut).
func maskEnv(s string) string { return maskEnvWith(s, nil) }

// maskEnvWith is maskEnv with getenv's credentials too (nil: none), and
// those read from Claude Code's settings.json (AddSecret).
func maskEnvWith(s string, getenv func(string) string) string {
	for _, v := range credentialVars {
		s = maskValue(s, os.Getenv(v.name))
		if getenv != nil {
			s = maskValue(s, getenv(v.name))
		}
	}
	fileSecrets.Lock()
	defer fileSecrets.Unlock()
	for _, secret := range fileSecrets.values {
		s = maskValue(s, secret)
	}
	return s
}

// fileSecrets are the credentials read from a file rather than the
// environment (the env block of Claude Code's settings.json): masked by
// value wherever the environment's are.
var fileSecrets struct {
	sync.Mutex
	values []string
}

// AddSecret has every later redaction mask secret by value, as it masks
// the environment's credentials: a gateway's token that no pattern knows,
// read from Claude Code's settings.json, never reaches the screen, the
// database or a log whole.
func AddSecret(secret string) {
	secret = strings.Trim(secret, " \t\r\n\"'")
	if len(secret) < 8 {
		return
	}
	fileSecrets.Lock()
	defer fileSecrets.Unlock()
	for _, v := range fileSecrets.values {
		if v == secret {
			return
		}
	}
	fileSecrets.values = append(fileSecrets.values, secret)
}

func maskValue(s, secret string) string {
	secret = strings.Trim(secret, " \t\r\n\"'")
	if len(secret) >= 8 && strings.Contains(s, secret) {
		return strings.ReplaceAll(s, secret, Mask(secret))
	}
	return s
}

// redactText masks every credential in r's text fields (each bounded by
// MaxTextLen, so this is cheap whatever the probe read).
func (r *Result) redactText() {
	r.Message = RedactEnv(r.Message)
	r.ErrorType = RedactEnv(r.ErrorType)
	r.RequestID = RedactEnv(r.RequestID)
	r.Detail = RedactEnv(r.Detail)
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// maskKeys masks every sk-ant-… in s, leaving alone what Mask already
// produced (the prefix followed by "…").
func maskKeys(s string) string {
	locs := keyPattern.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		b.WriteString(s[last:l[0]])
		if strings.HasPrefix(s[l[1]:], "…") {
			b.WriteString(s[l[0]:l[1]])
		} else {
			b.WriteString(Mask(s[l[0]:l[1]]))
		}
		last = l[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// userinfoPattern is a password in a URL: scheme://user:password@host. The
// password runs to the last '@' before the host, as a URL parser reads it:
// "p@ssw0rd" is one password, not "p" and a host "ssw0rd@…".
var userinfoPattern = lazyre.New(`([a-zA-Z][a-zA-Z0-9+.-]*://)([^\s:/@]+):[^\s/]+@`)

// MaskURL shows a URL without the password in its userinfo (a proxy URL
// often carries one).
func MaskURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.User == nil {
		return Redact(raw)
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "…")
	}
	s := u.String()
	return strings.Replace(s, "%E2%80%A6", "…", 1)
}
