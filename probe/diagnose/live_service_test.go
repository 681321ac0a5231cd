package diagnose

import (
	"testing"

	"downforai/probe"
	"downforai/probe/catalogue"
)

// TestServiceOfAnAppEntry: claude.ai's own words are about claude.ai
// wherever its probe stands among the entry's targets — not the API's
// because the API's probe was listed first.
func TestServiceOfAnAppEntry(t *testing.T) {
	for _, c := range []struct {
		e    catalogue.Entry
		want string
	}{
		{catalogue.Entry{App: true, Targets: []probe.Target{probe.TargetClaudeAI}}, "claude_ai"},
		{catalogue.Entry{App: true, Targets: []probe.Target{probe.TargetAPI, probe.TargetClaudeAI}}, "claude_ai"},
		{catalogue.Entry{App: true, Targets: []probe.Target{probe.TargetAPI}}, "api"},
		{catalogue.Entry{Targets: []probe.Target{probe.TargetClaudeAI}}, "api"},
	} {
		if got := serviceOf(&c.e); got != c.want {
			t.Errorf("app %v targets %v: %s, want %s", c.e.App, c.e.Targets, got, c.want)
		}
	}
}
