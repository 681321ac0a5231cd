package probe

import (
	"fmt"
	"strings"
	"time"
)

// The credential checks: which key or token is in effect and where from,
// its format, a key overriding the login, and ANTHROPIC_BASE_URL.

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

// KeyLength is the probed credential's length when it is unlike an API
// key's (apiKeyLen): the format check's one heuristic that the key probe's
// answer settles. Var names the variable; zero when the length is usual.
type KeyLength struct {
	Var string
	Len int
}

// oddity is the format check's words for it before the API has answered.
func (k KeyLength) oddity() string {
	if k.Len > apiKeyLen {
		return fmt.Sprintf("%s is %d characters long, an API key has %d: something was pasted after it?", k.Var, k.Len, apiKeyLen)
	}
	return fmt.Sprintf("%s is %d characters, API keys have %d: truncated? (only the API's answer can tell; see the key probe)", k.Var, k.Len, apiKeyLen)
}

func (c *LocalChecker) credentials() ([]CredentialInfo, LocalCheck, KeyLength) {
	var creds []CredentialInfo
	var odd KeyLength
	var problems, warnings []string
	// The first problem found names the cause: the catalogue points an
	// OAuth token in ANTHROPIC_API_KEY at another fix than a mangled key.
	cause, found := "", false
	lookup := c.credentialLookup()
	authToken, _ := lookup("ANTHROPIC_AUTH_TOKEN")
	for _, v := range credentialVars {
		raw, where := lookup(v.name)
		if raw == "" {
			continue
		}
		clean := strings.Trim(raw, " \t\r\n\"'")
		ci := CredentialInfo{Source: v.name, Kind: keyKind(clean), Masked: Mask(raw), Header: v.header, Where: where}
		// The key probe sends ANTHROPIC_API_KEY, else ANTHROPIC_AUTH_TOKEN.
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
		case kind == "API key" && len(clean) != apiKeyLen:
			k := KeyLength{Var: v.name, Len: len(clean)}
			if ci.Probed {
				odd = k
			}
			if k.Len < apiKeyLen {
				fail(strings.TrimPrefix(k.oddity(), v.name+" "), "")
			} else {
				warnings = append(warnings, k.oddity())
			}
		case v.name == "CLAUDE_CODE_OAUTH_TOKEN" && kind != "OAuth token":
			warnings = append(warnings, "CLAUDE_CODE_OAUTH_TOKEN holds a "+kind+", not an OAuth token from `claude setup-token`")
		case kind == "not an Anthropic key" && !c.baseURLSet():
			warnings = append(warnings, v.name+" does not start with sk-ant-: a key for another service or a gateway?")
		}
	}
	chk := LocalCheck{ID: CheckKeyFormat, Name: "Key format", Level: LocalOK}
	if found {
		chk.Class, chk.Cause = ClassAuth, cause
	}
	switch {
	case len(creds) == 0:
		chk.Level, chk.Text = LocalSkip, "no key or token in the environment or Claude Code's settings.json"
	case len(problems) > 0:
		// A warning, not a failure: only the key probe's live answer can
		// say the API rejects the key (issue 19: live results beat
		// heuristics).
		chk.Level, chk.Text = LocalWarn, strings.Join(append(problems, warnings...), "; ")
	case len(warnings) > 0:
		chk.Level, chk.Text = LocalWarn, strings.Join(warnings, "; ")
	case !anyAnthropic(creds):
		// A gateway's token, or another service's: its format is its
		// issuer's, not known here — never "well-formed".
		chk.Level, chk.Text = LocalInfo, describeCreds(creds)+": not an Anthropic key, so its format is not checked here (a gateway's or another service's token: only its answer can tell)"
	default:
		chk.Text = "well-formed: " + describeCreds(creds)
	}
	chk.Text = Redact(chk.Text)
	return creds, chk, odd
}

// KeyFormatLive folds the key probe's newest answer (key: its results,
// oldest first) into the format check among checks: live results beat
// heuristics (issue 19). Once the API has judged a request with the key
// and not rejected it (a 200, a 429, a 529, a credit error), the key's
// unusual length is a note, not a warning, until a rejection; a failure
// to reach the API since changes nothing. Before any answer, or after a
// rejection, the warning stands with its "only the API's answer can
// tell". Other problems of the check stay as
// they are.
func KeyFormatLive(checks []LocalCheck, l *LocalReport, key []Result) {
	if l == nil || l.KeyLength.Len == 0 || !knownCredentialVar(l.KeyLength.Var) {
		return
	}
	var last Result
	for i := len(key) - 1; i >= 0; i-- {
		// A probe that got no judgement of the key (no answer, a
		// gateway's or proxy's page, a 5xx) says nothing of it: the
		// answer before it still does (cold walk: the warning came back
		// on a reset one probe after the key got 200).
		switch key[i].Class {
		case ClassUnknown, ClassNetwork, ClassServer, ClassUnexpected:
			continue
		}
		last = key[i]
		break
	}
	at := last.Time.UTC().Format("15:04:05 UTC")
	var answered string
	switch last.Class {
	case ClassOK, ClassSlow:
		answered = "the API accepted it at " + at
	case ClassRateLimited, ClassOverloaded, ClassBilling:
		answered = fmt.Sprintf("the API answered it %d at %s, not an auth rejection", last.HTTPStatus, at)
	default:
		return
	}
	if last.Time.Before(l.Time.Add(-time.Hour)) {
		return // an answer from before this key was read says nothing of it
	}
	k := l.KeyLength
	odd := k.oddity()
	note := fmt.Sprintf("%s is %d characters, unlike the usual %d; %s", k.Var, k.Len, apiKeyLen, answered)
	for i := range checks {
		c := &checks[i]
		if c.ID != CheckKeyFormat || !strings.Contains(c.Text, odd) {
			continue
		}
		rest := c.Text
		for _, s := range []string{odd + "; ", "; " + odd, odd} {
			if strings.Contains(rest, s) {
				rest = strings.Replace(rest, s, "", 1)
				break
			}
		}
		if rest == "" {
			c.Level, c.Class, c.Cause, c.Text = LocalInfo, ClassUnknown, "", note
			continue
		}
		c.Text = rest + "; " + note
	}
}

func knownCredentialVar(name string) bool {
	for _, v := range credentialVars {
		if v.name == name {
			return true
		}
	}
	return false
}

// credentialLookup looks up the credential variables as Claude Code gets
// them (the environment, else its settings.json's env block, read once),
// each with the file it was set in ("" the environment).
func (c *LocalChecker) credentialLookup() func(name string) (raw, where string) {
	var names []string
	for _, v := range credentialVars {
		names = append(names, v.name)
	}
	return CodeCredentials(c.o.Getenv, c.configDir(), names...)
}

// baseURLSet reports whether ANTHROPIC_BASE_URL is set for Claude Code,
// in the environment or its settings.json.
func (c *LocalChecker) baseURLSet() bool {
	if c.o.Getenv("ANTHROPIC_BASE_URL") != "" {
		return true
	}
	file, _ := c.settingsEnv("ANTHROPIC_BASE_URL")
	return file["ANTHROPIC_BASE_URL"] != ""
}

// source is the credential's variable, and the file it is set in when not
// the environment: "ANTHROPIC_AUTH_TOKEN in ~/.claude/settings.json's env".
func (ci CredentialInfo) source() string {
	if ci.Where != "" {
		return ci.Source + " in " + ci.Where + "'s env"
	}
	return ci.Source
}

// anyAnthropic reports whether one of cs is an Anthropic key or token.
func anyAnthropic(cs []CredentialInfo) bool {
	for _, c := range cs {
		if c.Kind != "not an Anthropic key" {
			return true
		}
	}
	return false
}

func describeCreds(cs []CredentialInfo) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.source()+" ("+c.Kind+")")
	}
	return strings.Join(s, ", ")
}

func credentialCheck(creds []CredentialInfo) LocalCheck {
	chk := LocalCheck{ID: CheckCredential, Name: "Credential in effect", Level: LocalOK}
	if len(creds) == 0 {
		chk.Level, chk.Class = LocalInfo, ClassAuth
		chk.Text = "none: no ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN in the environment or Claude Code's settings.json, and no Claude Code login found; only public reachability is probed"
		return chk
	}
	in := creds[0]
	chk.Text = fmt.Sprintf("Claude Code uses %s: %s (%s)", in.source(), strings.TrimSpace(in.Kind+" "+in.Masked), in.Header)
	for _, c := range creds {
		if c.Probed {
			if c.Source == in.Source {
				chk.Text += "; downforai probes the API with it"
			} else {
				chk.Text += fmt.Sprintf("; downforai probes the API with %s %s", c.source(), c.Masked)
			}
		}
	}
	if len(creds) > 1 {
		var rest []string
		for _, c := range creds[1:] {
			rest = append(rest, c.source())
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
	return LocalCheck{ID: CheckOverride, Name: "Login override", Level: LocalWarn, Class: ClassAuth,
		Text: first.source() + " overrides your Claude Code login: Claude Code sends " + first.Masked +
			" instead of your subscription (unset it to use the login)"}, true
}

// cloudProviders are the settings that send Claude Code to a cloud
// provider instead of the Claude API.
var cloudProviders = []string{"CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY"}

// baseURL is the API endpoint check, and the base URL Claude Code calls
// (LocalReport.CodeURL, masked): "" when it is not known. Claude Code reads
// ANTHROPIC_BASE_URL from its environment or its settings.json's env
// block; when our API probes go elsewhere the check says so.
func (c *LocalChecker) baseURL() (LocalCheck, string) {
	chk, code := c.codeEndpoint()
	probed := c.o.APIURL
	if probed == "" {
		probed = DefaultAPIURL
	}
	if code != "" && !SameBaseURL(code, probed) {
		from := ""
		if c.o.APIURLFrom != "" {
			from = Line(c.o.APIURLFrom, 100) + " "
		}
		chk.Text += "; downforai's API probes go to " + from + Line(MaskURL(strings.TrimRight(probed, "/")), 100) +
			" instead: they do not speak for Claude Code's calls"
	}
	return chk, code
}

// codeEndpoint is the API endpoint check's verdict on where Claude Code
// calls, and that URL, masked ("" when not known).
func (c *LocalChecker) codeEndpoint() (LocalCheck, string) {
	chk := LocalCheck{ID: CheckBaseURL, Name: "API endpoint", Level: LocalOK}
	file, shown := c.settingsEnv(append([]string{"ANTHROPIC_BASE_URL"}, cloudProviders...)...)
	if p, inFile := cloudProvider(c.o.Getenv, file); p != "" {
		where := ""
		if inFile {
			where = " in " + shown + "'s env"
		}
		chk.Level = LocalInfo
		chk.Text = p + " is set" + where + ": Claude Code talks to a cloud provider, so api.anthropic.com's health says little about it"
		return chk, ""
	}
	raw, where := strings.TrimSpace(c.o.Getenv("ANTHROPIC_BASE_URL")), ""
	other := file["ANTHROPIC_BASE_URL"]
	if raw == "" && other != "" {
		raw, where, other = other, " (set in "+shown+"'s env)", ""
	}
	if raw == "" {
		chk.Text = "ANTHROPIC_BASE_URL unset: Claude Code talks to api.anthropic.com"
		return chk, DefaultAPIURL
	}
	u, ok := httpURL(raw)
	if !ok {
		chk.Level, chk.Class = LocalFail, ClassUnexpected
		chk.Text = "ANTHROPIC_BASE_URL " + Line(MaskURL(raw), 100) + where + " is not an http(s) URL"
		return chk, ""
	}
	code := MaskURL(raw)
	if strings.EqualFold(u.Hostname(), "api.anthropic.com") {
		chk.Text = "ANTHROPIC_BASE_URL points at api.anthropic.com" + where
	} else {
		chk.Level, chk.Class = LocalWarn, ClassUnexpected
		chk.Text = "ANTHROPIC_BASE_URL sends Claude Code to " + Line(u.Host, 100) + ", not api.anthropic.com: errors there are the gateway's" + where
	}
	if other != "" && !SameBaseURL(raw, other) {
		// Set both ways, to different URLs: which one wins is not read
		// here, so where Claude Code calls is not known.
		chk.Text += "; " + shown + "'s env sets it to " + Line(MaskURL(other), 100) + ": Claude Code uses one of the two"
		return chk, ""
	}
	return chk, code
}
