package config

import (
	"errors"
	"fmt"
	"net"
	"reflect"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"downforai/probe"
	"downforai/probe/notify"
)

// A setting's value comes from the command line, the config file, the
// environment (api_url from $ANTHROPIC_BASE_URL) or the defaults. Every
// message about a value names it the way it was given — "--timeout 0s",
// "config PATH line 3: timeout = "0s"", "--timeout 10s (default)" — so a
// user fixes the place the value is in, not a flag they never typed.

type origin int

const (
	fromDefault origin = iota
	fromEnv
	fromFile
	fromFlag
)

// baseURLEnv is the variable api_url's default is read from.
const baseURLEnv = "ANTHROPIC_BASE_URL"

// fileKeys is what Decode kept of the file: its text, to find a key's line
// when a message needs it (only then: the parser is run once per key
// looked up), and each top-level key's value as written.
type fileKeys struct {
	data []byte
	raw  map[string]any
}

// flagName is the flag of the setting key: its name with - for _, but
// --canary for canary_models.
func flagName(key string) string {
	if key == "canary_models" {
		return "canary"
	}
	return strings.ReplaceAll(key, "_", "-")
}

// source is where key's value came from, and its line in the file (0 when
// not from the file, or when the parser cannot say).
func (c Config) source(key string) (origin, int) {
	if c.Given(flagName(key)) {
		return fromFlag, 0
	}
	if c.file != nil {
		if _, ok := c.file.raw[key]; ok {
			return fromFile, keyLine(c.file.data, toml.Key{key})
		}
	}
	if key == "api_url" && c.apiFromEnv {
		return fromEnv, 0
	}
	return fromDefault, 0
}

// apiURLFrom names the setting the API URL came from, as a user looks for
// it: "ANTHROPIC_BASE_URL", "--api-url", "api_url in config PATH"; "" for
// the default. The verdict names it when what answers there is the
// user's gateway, or nothing (issue 19).
func (c Config) apiURLFrom() string {
	switch src, _ := c.source("api_url"); src {
	case fromFlag:
		return "--api-url"
	case fromFile:
		return "api_url in config " + probe.Line(c.Path, 0)
	case fromEnv:
		return c.envName()
	}
	return ""
}

// envName is where $ANTHROPIC_BASE_URL was read: "ANTHROPIC_BASE_URL",
// or "ANTHROPIC_BASE_URL in ~/.claude/settings.json" when Claude Code's
// settings set it and the environment did not.
func (c Config) envName() string {
	if c.apiEnvFile != "" {
		return baseURLEnv + " in " + c.apiEnvFile
	}
	return baseURLEnv
}

// claudeURLFrom names the setting the claude.ai URL came from:
// "--claude-url", "claude_url in config PATH"; "" for the default. The
// verdict names it when nothing listens there (issue 19).
func (c Config) claudeURLFrom() string {
	switch src, _ := c.source("claude_url"); src {
	case fromFlag:
		return "--claude-url"
	case fromFile:
		return "claude_url in config " + probe.Line(c.Path, 0)
	}
	return ""
}

// Named is the setting key as the subject of a sentence, said where its
// value came from:
//
//	--metrics-addr 127.0.0.1:9464                    (command line)
//	config PATH line 3: metrics_addr = "127.0.0.1"  (the file, as written)
//	$ANTHROPIC_BASE_URL "litellm" (the default of --api-url)
//	--timeout 10s (default)
//
// Values are sanitised, and URLs and webhooks masked.
func (c Config) Named(key string) string {
	src, line := c.source(key)
	switch src {
	case fromFile:
		if line > 0 {
			return fmt.Sprintf("config %s line %d: %s = %s", c.Path, line, key, c.fileValue(key))
		}
		return fmt.Sprintf("config %s: %s = %s", c.Path, key, c.fileValue(key))
	case fromEnv:
		if c.apiEnvFile != "" {
			return fmt.Sprintf("%s %s (the default of --%s)", c.envName(), probe.Quote(maskValue(key, c.APIURL)), flagName(key))
		}
		return fmt.Sprintf("$%s %s (the default of --%s)", baseURLEnv, probe.Quote(maskValue(key, c.APIURL)), flagName(key))
	case fromFlag:
		return "--" + flagName(key) + " " + c.flagValue(key)
	}
	v := c.flagValue(key)
	if v == c.defaultValue(key) {
		return "--" + flagName(key) + " " + v + " (default)"
	}
	// Set by a caller, not by the file or a flag: no source to name.
	return "--" + flagName(key) + " " + v
}

// defaultValue is key's documented default as flagValue writes it (the
// environment's part aside: a value found through $HOME may differ, and is
// then not called the default).
func (c Config) defaultValue(key string) string {
	return Default(func(string) string { return "" }).flagValue(key)
}

// ref is the setting key as the object of a sentence whose subject is the
// setting subject: a value from the file says its line after it
// ("interval = "1ms" (config PATH line 1)", or "(line 1)" when the subject
// is in the same file).
func (c Config) ref(key, subject string) string {
	src, line := c.source(key)
	if src != fromFile {
		return c.Named(key)
	}
	where := fmt.Sprintf("config %s line %d", c.Path, line)
	if line == 0 {
		where = "config " + c.Path
	}
	if s, _ := c.source(subject); s == fromFile {
		where = fmt.Sprintf("line %d", line)
		if line == 0 {
			where = "the same file"
		}
	}
	return fmt.Sprintf("%s = %s (%s)", key, c.fileValue(key), where)
}

// refuse is the error for key's value: its setting named by its source,
// then why it cannot work ("must be positive").
func (c Config) refuse(key, why string) error {
	return errors.New(c.Named(key) + " " + why)
}

// clash is the error for settings that cannot work together: key, then
// rel ("must be shorter than"), then the others, each named by its source.
func (c Config) clash(key, rel string, others ...string) error {
	refs := make([]string, len(others))
	for i, o := range others {
		refs[i] = c.ref(o, key)
	}
	return fmt.Errorf("%s %s %s", c.Named(key), rel, strings.Join(refs, " and "))
}

// fileValue is key's value as the file wrote it, in TOML.
func (c Config) fileValue(key string) string {
	return tomlValue(key, c.file.raw[key])
}

func tomlValue(key string, v any) string {
	switch v := v.(type) {
	case string:
		return probe.Quote(maskValue(key, v))
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = tomlValue(key, e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case int64, float64, bool:
		return fmt.Sprint(v)
	}
	return "…"
}

// flagValue is key's value as a flag would take it: shell-quoted when it
// needs to be.
func (c Config) flagValue(key string) string {
	f, ok := fieldByKey(key)
	if !ok {
		return "…"
	}
	switch v := reflect.ValueOf(c).FieldByIndex(f.Index).Interface().(type) {
	case string:
		return shellWord(maskValue(key, v))
	case Duration:
		return v.String()
	case Models:
		return shellWord(maskValue(key, strings.Join(v, ",")))
	default:
		return fmt.Sprint(v)
	}
}

// fieldByKey is the Config field of TOML key key.
func fieldByKey(key string) (reflect.StructField, bool) {
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		if t.Field(i).Tag.Get("toml") == key {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// maskValue is a value fit to print: sanitised, with a URL's password and
// any API key masked, and a webhook (a credential in itself) shown as its
// scheme and host only.
func maskValue(key, v string) string {
	switch key {
	case "webhook":
		if r := notify.Redact(v); r != "(webhook)" {
			return r
		}
		return "…"
	case "status_url", "api_url", "claude_url":
		return probe.Sanitize(probe.MaskURL(v), false)
	}
	return probe.Sanitize(probe.Redact(v), false)
}

// shellWord is s as one shell word: quoted when empty or when it holds
// anything but letters, digits and . , _ - : / @ + = ~ % [ ].
func shellWord(s string) string {
	if s == "" {
		return `""`
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".,_-:/@+=~%[]…", r)) {
			return strconv.Quote(s)
		}
	}
	return s
}

// checkAddr refuses a listen address that is not host:port with a port
// net.Listen can use (a number up to 65535, or a service name this machine
// knows); "" is none and fine.
func checkAddr(addr string) error {
	if addr == "" {
		return nil
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("is not a host:port address")
	}
	if port == "" {
		return nil // as ":0": any free port
	}
	if n, err := strconv.Atoi(port); err == nil {
		if n < 0 || n > 65535 {
			return errors.New("has no port between 0 and 65535")
		}
		return nil
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("names the port %s, which is neither a number nor a service this machine knows", probe.Quote(port))
	}
	return nil
}
