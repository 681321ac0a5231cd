package probe

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"downforai/probe/lazyre"
)

// Credential is what the key probe authenticates with: an API key (sent as
// x-api-key) or a bearer token (ANTHROPIC_AUTH_TOKEN). Its String, GoString
// and Format never show the secret, so a stray %v or %+v cannot leak it.
type Credential struct {
	APIKey    string
	AuthToken string
}

// IsZero reports whether there is no credential to probe with.
func (c Credential) IsZero() bool { return c.APIKey == "" && c.AuthToken == "" }

// Kind names the credential for messages: "API key", "auth token", "none".
func (c Credential) Kind() string {
	switch {
	case c.APIKey != "":
		return "API key"
	case c.AuthToken != "":
		return "auth token"
	}
	return "none"
}

func (c Credential) String() string   { return "Credential(" + c.Kind() + ", redacted)" }
func (c Credential) GoString() string { return c.String() }

// Format keeps every verb (%v, %+v, %#v, %s) from printing the fields.
func (c Credential) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// headers sets the authentication headers of the credential Claude Code
// would send: ANTHROPIC_AUTH_TOKEN comes before ANTHROPIC_API_KEY in its
// order of precedence (code.claude.com, authentication), so a token wins.
func (c Credential) headers(h http.Header) {
	switch {
	case c.AuthToken != "":
		h.Set("Authorization", "Bearer "+c.AuthToken)
		if strings.HasPrefix(c.AuthToken, "sk-ant-oat01-") {
			h.Set("anthropic-beta", oauthBeta)
		}
	case c.APIKey != "":
		h.Set("x-api-key", c.APIKey)
	}
}

// split is the credential Claude Code uses and, when both are set, the one
// it does not, each on its own, with the variable each came from.
func (c Credential) split() (used Credential, usedVar string, other Credential, otherVar string) {
	switch {
	case c.AuthToken != "" && c.APIKey != "":
		return Credential{AuthToken: c.AuthToken}, "ANTHROPIC_AUTH_TOKEN", Credential{APIKey: c.APIKey}, "ANTHROPIC_API_KEY"
	case c.AuthToken != "":
		return c, "ANTHROPIC_AUTH_TOKEN", Credential{}, ""
	}
	return c, "ANTHROPIC_API_KEY", Credential{}, ""
}

// secretPattern catches anything shaped like an Anthropic key or token
// (sk-ant-api03-…, sk-ant-oat01-…, sk-ant-admin01-…), whoever echoed it.
var secretPattern = lazyre.New(`sk-ant-[A-Za-z0-9_-]+`)

// redact removes the credential, and anything shaped like one, from s.
func (c Credential) redact(s string) string {
	for _, secret := range []string{c.APIKey, c.AuthToken} {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	// Then everything else credential-shaped (a Bearer value, a key
	// after x-api-key) that an upstream might echo.
	return Redact(secretPattern.ReplaceAllString(s, "[redacted]"))
}

// scrub replaces the credential's own value in body with "[redacted]",
// returning body itself when it holds none.
func (c Credential) scrub(body []byte) []byte {
	for _, secret := range []string{c.APIKey, c.AuthToken} {
		if len(secret) >= 4 && bytes.Contains(body, []byte(secret)) {
			body = bytes.ReplaceAll(body, []byte(secret), []byte("[redacted]"))
		}
	}
	return body
}

// redactResult redacts every text field of a Result (each at most
// MaxTextLen bytes, so this is cheap whatever the body was).
func (c Credential) redactResult(r *Result) {
	r.Message = c.redact(r.Message)
	r.ErrorType = c.redact(r.ErrorType)
	r.RequestID = c.redact(r.RequestID)
	r.Detail = c.redact(r.Detail)
}
