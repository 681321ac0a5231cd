package probe

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fakeAnthropic serves all three HTTP surfaces from one server.
func fakeAnthropic(t *testing.T) string {
	t.Helper()
	summary := fixture(t, "summary_operational.json")
	models := fixture(t, "models_list.json")
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/v2/summary.json":
			w.Write(summary)
		case r.URL.Path == "/v1/models" && (r.Header.Get("x-api-key") != "" || r.Header.Get("Authorization") != ""):
			w.Header().Set("request-id", "req_ok")
			w.Write(models)
		case r.URL.Path == "/v1/models":
			w.WriteHeader(401)
			io.WriteString(w, bodyMissingKey)
		case r.URL.Path == "/":
			io.WriteString(w, "<html>claude</html>")
		default:
			http.NotFound(w, r)
		}
	}).URL
}

func TestNewChecks(t *testing.T) {
	base := fakeAnthropic(t)
	bin := fakeClaude(t, `echo "2.1.44 (Claude Code)"`)
	const key = "sk-ant-api03-CHECKSCANARY"
	cfg := Config{
		StatusURL: base, APIURL: base, ClaudeURL: base,
		Interval: 30 * time.Second, StatusInterval: 5 * time.Minute, Timeout: 5 * time.Second,
		ClaudeBin: bin, Version: "1.2.3", SlowAfter: -1,
	}
	targets := func(cs []Check) string {
		var s []string
		for _, c := range cs {
			s = append(s, string(c.Target))
		}
		return strings.Join(s, ",")
	}
	if got := targets(NewChecks(cfg)); got != "status,api,claude_ai,claude_code" {
		t.Errorf("without credential: %s", got)
	}
	cfg.APIKey = key
	checks := NewChecks(cfg)
	if got := targets(checks); got != "status,api,api_key,claude_ai,claude_code" {
		t.Errorf("with credential: %s", got)
	}
	for _, c := range checks {
		want := cfg.Interval
		if c.Target == TargetStatus {
			want = cfg.StatusInterval
		}
		if c.Interval != want {
			t.Errorf("%s interval %v, want %v", c.Target, c.Interval, want)
		}
		ev := c.Run(context.Background())
		r := ev.Result
		if r.Target != c.Target || r.Time.IsZero() {
			t.Errorf("%s: result target %q time %v", c.Target, r.Target, r.Time)
		}
		if r.Class != ClassOK {
			t.Errorf("%s: %v %q", c.Target, r.Class, r.Message)
		}
		if (ev.Status != nil) != (c.Target == TargetStatus) {
			t.Errorf("%s: status %v", c.Target, ev.Status)
		}
		if s := fmt.Sprintf("%+v %#v", ev, ev); strings.Contains(s, "CHECKSCANARY") {
			t.Errorf("%s: credential in the event: %s", c.Target, s)
		}
	}
}

func TestConfigNeverPrintsSecrets(t *testing.T) {
	cfg := Config{APIKey: "sk-ant-api03-CFGCANARY", AuthToken: "tok-CFGCANARY", APIURL: "https://gw.example", Timeout: time.Second}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		s := fmt.Sprintf(verb, cfg)
		if strings.Contains(s, "CFGCANARY") {
			t.Errorf("%s printed a secret: %s", verb, s)
		}
		if !strings.Contains(s, "https://gw.example") || !strings.Contains(s, "APIKey:set") {
			t.Errorf("%s lost the useful fields: %s", verb, s)
		}
	}
}

func TestNewChecksAuthToken(t *testing.T) {
	cs := NewChecks(Config{AuthToken: "tok", StatusURL: "http://127.0.0.1:1", APIURL: "http://127.0.0.1:1", ClaudeURL: "http://127.0.0.1:1"})
	found := false
	for _, c := range cs {
		found = found || c.Target == TargetAPIKey
	}
	if !found {
		t.Error("AuthToken alone must enable the key check")
	}
}

func TestConfigDefaults(t *testing.T) {
	c := Config{}.withDefaults()
	if c.StatusURL != DefaultStatusURL || c.APIURL != DefaultAPIURL || c.ClaudeURL != DefaultClaudeURL ||
		c.Interval != DefaultInterval || c.StatusInterval != DefaultStatusInterval || c.Timeout != DefaultTimeout ||
		c.ClaudeBin != "claude" || c.SlowAfter != 3*time.Second {
		t.Errorf("%+v", c)
	}
}

func TestCheckRunAppliesTimeout(t *testing.T) {
	srv := serve(t, hang)
	cs := NewChecks(Config{StatusURL: srv.URL, APIURL: srv.URL, ClaudeURL: srv.URL, Timeout: 50 * time.Millisecond,
		ClaudeBin: fakeClaude(t, "exec sleep 30")})
	for _, c := range cs {
		start := time.Now()
		r := c.Run(context.Background()).Result
		// Measured, not read from the message: a run that honours a
		// timeout ten times too long, or none, runs well past this.
		if d := time.Since(start); d > 50*time.Millisecond+faultSlack {
			t.Errorf("%s: took %v with a 50ms timeout", c.Target, d.Round(time.Millisecond))
		}
		switch c.Target {
		case TargetCode:
			if r.Class != ClassUnexpected || r.Message != "claude --version did not answer within 50ms" {
				t.Errorf("%s: %+v", c.Target, r)
			}
		default:
			if r.Class != ClassNetwork || r.ErrorType != NetTimeout || r.Message != "timed out after 50ms" {
				t.Errorf("%s: %+v", c.Target, r)
			}
		}
	}
}

func TestCheckRunRecoversPanic(t *testing.T) {
	c := newCheck(TargetAPI, time.Minute, time.Second, func(context.Context) Event {
		panic("boom sk-ant-api03-PANICKEY")
	})
	r := c.Run(context.Background()).Result
	if r.Target != TargetAPI || r.Time.IsZero() || r.ErrorType != "internal" || !strings.Contains(r.Message, "boom") {
		t.Errorf("%+v", r)
	}
	if strings.Contains(r.Message, "PANICKEY") {
		t.Errorf("key-shaped text survived: %q", r.Message)
	}
	// A probe that forgets Target and Time still yields a stamped Result.
	c = newCheck(TargetCode, time.Minute, time.Second, func(context.Context) Event { return Event{} })
	if r := c.Run(context.Background()).Result; r.Target != TargetCode || r.Time.IsZero() {
		t.Errorf("%+v", r)
	}
}
