package probe

import "slices"

// Service is one of the things a user cares about — the Claude app, the
// Claude API, Claude Code — with the official component and our own targets
// that speak for it.
type Service struct {
	Key           string // short stable key: claude_ai, api, claude_code
	Name          string // name for people
	ComponentID   string // Statuspage component id
	ComponentName string // fallback when the id is missing
	Targets       []Target
}

// Services lists the three services the dashboard watches, in display
// order; the slice (and each service's Targets) is the caller's own.
func Services() []Service {
	out := slices.Clone(services)
	for i := range out {
		out[i].Targets = slices.Clone(out[i].Targets)
	}
	return out
}

// services are the watched services. Component ids are from
// reference/anthropic-formats.md §1.4.
var services = []Service{
	{Key: "claude_ai", Name: "Claude (claude.ai)", ComponentID: "rwppv331jlwc", ComponentName: "claude.ai", Targets: []Target{TargetClaudeAI}},
	{Key: "api", Name: "Claude API", ComponentID: "k8w3r06qmzrp", ComponentName: "Claude API (api.anthropic.com)", Targets: []Target{TargetAPI, TargetAPIKey}},
	{Key: "claude_code", Name: "Claude Code", ComponentID: "yyzkbfz2thpt", ComponentName: "Claude Code", Targets: []Target{TargetCode}},
}

// ConsoleComponentID is the Claude Console's (platform.claude.com)
// Statuspage component id (reference/anthropic-formats.md §1.4): not one
// of Services, but named in enough incidents that the dashboard gives it a
// short name of its own.
const ConsoleComponentID = "0qbwn08sd68x"

// IsWatched reports whether the component id belongs to one of Services.
func IsWatched(componentID string) bool {
	for _, s := range services {
		if s.ComponentID == componentID {
			return true
		}
	}
	return false
}
