package config

import (
	"errors"
	"slices"
	"strings"
	"time"

	"downforai/probe"
)

// Models is a list of model ids: --canary takes them comma-separated
// (each use replaces the list, so a flag beats the file's canary_models),
// the file as a TOML array.
type Models []string

// String is the list comma-separated, as Set reads it.
func (m *Models) String() string { return strings.Join(*m, ",") }

// Set replaces the list with the comma-separated ids in s; empty items are
// dropped, duplicates kept once.
func (m *Models) Set(s string) error {
	var out Models
	for _, id := range strings.Split(s, ",") {
		id = strings.TrimSpace(id)
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	*m = out
	return nil
}

// Type names the value in flag help.
func (m *Models) Type() string { return "models" }

// Defaults of the canary and adaptive-probing settings.
const (
	DefaultCanaryInterval = probe.DefaultCanaryInterval
	DefaultCanaryBudget   = probe.DefaultCanaryBudget
	DefaultFastInterval   = probe.DefaultFastInterval
)

// validateCanary refuses canary and fast-probing settings that cannot
// work.
func (c Config) validateCanary() error {
	seen := map[string]bool{}
	for _, m := range c.CanaryModels {
		if err := probe.ValidModel(m); err != nil {
			return errors.New(c.Named("canary_models") + ": " + err.Error())
		}
		if seen[m] {
			return c.refuse("canary_models", "names "+probe.Quote(m)+" twice")
		}
		seen[m] = true
	}
	if c.CanaryInterval <= c.Timeout {
		return c.clash("canary_interval", "must be longer than", "timeout")
	}
	if c.CanaryBudget < 0 {
		return c.refuse("canary_budget", "must not be negative (0 pauses the canaries)")
	}
	if c.FastInterval < 0 {
		return c.refuse("fast_interval", "must not be negative (0 turns fast probing off)")
	}
	return nil
}

// probeFast is the engine's fast interval: never below the timeout (a
// probe never overlaps its next), and -1 (off) for 0.
func (c Config) probeFast() time.Duration {
	if c.FastInterval == 0 {
		return -1
	}
	return max(time.Duration(c.FastInterval), time.Duration(c.Timeout))
}
