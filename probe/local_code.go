package probe

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The Claude Code checks: `claude auth status` and the login file's expiry.

// authStatus runs `claude auth status --json` (Claude Code 2.x). An older
// CLI without the subcommand, or without --json, is reported as such.
func (c *LocalChecker) authStatus(ctx context.Context) LocalCheck {
	chk := LocalCheck{ID: CheckCodeAuth, Name: "Claude Code auth"}
	path, err := exec.LookPath(c.o.ClaudeBin)
	if err != nil {
		chk.Level, chk.Cause = LocalInfo, CauseNotInstalled
		chk.Text = notInstalled(c.o.ClaudeBin)
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
	// `claude` runs with our environment: a wrapper that prints it must
	// not put a credential into the check's text, whole or cut.
	stdout, stderr := maskEnv(out.String()), maskEnv(errOut.String())
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
	all := strings.ToLower(stdout + "\n" + stderr)
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
		chk.Text = "logged in (older Claude Code: " + Redact(firstLine(stdout+"\n"+stderr)) + ")"
	case runErr != nil:
		chk.Level = LocalWarn
		msg := "`claude auth status --json` failed"
		var ee *exec.ExitError
		if errors.As(runErr, &ee) {
			msg += fmt.Sprintf(" with status %d", ee.ExitCode())
		}
		if l := firstLine(stderr + "\n" + stdout); l != "" {
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

// notLoggedInHere ends the login check when no credentials file exists;
// Run replaces it when `claude auth status` reports a login all the same.
const notLoggedInHere = ": Claude Code is not logged in on this account (or uses a key)"

// loginFile reads claudeAiOauth.expiresAt from .credentials.json without
// keeping the token: the tokens decode into booleans and the buffer is
// cleared before returning.
func (c *LocalChecker) loginFile() loginInfo {
	li := loginInfo{check: LocalCheck{ID: CheckCodeLogin, Name: "Claude Code login"}}
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
			li.check.Text = "no " + shown + notLoggedInHere
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
	return Span{Units: 1, Least: time.Second, DaysFrom: 48 * time.Hour}.Format(d)
}

// notInstalled says what was looked for and not found, as the user gave
// it: "/opt/claude/bin/claude not found", not its last element, and for a
// bare name that it is not on PATH.
func notInstalled(bin string) string {
	where := "`" + Line(bin, 120) + "` not found"
	if !strings.ContainsRune(bin, filepath.Separator) {
		where += " in PATH"
	}
	return "Claude Code is not installed here (" + where + "): nothing to check"
}
