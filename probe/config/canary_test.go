package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCanarySettings(t *testing.T) {
	getenv, dir := testEnv(t, nil)
	path := filepath.Join(dir, "config", "downforai", "config.toml")
	writeFile(t, path, "canary_models = [\"claude-opus-4-5\", \"claude-haiku-4-5\"]\ncanary_budget = 5000\ncanary_interval = \"10m\"\nfast_interval = \"15s\"\n")
	c, err := load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual([]string(c.CanaryModels), []string{"claude-opus-4-5", "claude-haiku-4-5"}) || c.CanaryBudget != 5000 ||
		c.CanaryInterval != Duration(10*time.Minute) || c.FastInterval != Duration(15*time.Second) {
		t.Fatalf("from the file: %+v", c)
	}
	// The flag replaces the file's list.
	c, err = load(getenv, "--canary", "claude-sonnet-4-5, claude-sonnet-4-5,", "--canary-budget", "0")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual([]string(c.CanaryModels), []string{"claude-sonnet-4-5"}) || c.CanaryBudget != 0 {
		t.Fatalf("flag over file: %v %d", c.CanaryModels, c.CanaryBudget)
	}
	pc := c.Probe(getenv, "test")
	if pc.FastInterval != 15*time.Second || pc.CanaryInterval != 10*time.Minute || len(pc.CanaryModels) != 1 {
		t.Errorf("probe config %v", pc)
	}
	// The fast interval never goes below the timeout; 0 turns it off.
	if c, err := load(getenv, "--fast-interval", "2s", "--timeout", "5s"); err != nil || c.Probe(getenv, "").FastInterval != 5*time.Second {
		t.Errorf("fast below timeout: %v", err)
	}
	if c, err := load(getenv, "--fast-interval", "0"); err != nil || c.Probe(getenv, "").FastInterval >= 0 {
		t.Errorf("fast 0: %v", err)
	}
	for args, want := range map[string]string{
		"--canary=bad\x1bmodel": "--canary badodel: model name",
		"--canary-interval=5s":  "--canary-interval 5s must be longer than --timeout",
		"--canary-budget=-1":    "--canary-budget -1 must not be negative",
		"--fast-interval=-5s":   "--fast-interval -5s must not be negative (0 turns fast probing off)",
	} {
		if _, err := load(getenv, args); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", args, err, want)
		}
	}
}
