package catalogue

import (
	"testing"

	"downforai/probe"
)

func TestMatchResultBranches(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    probe.Result
		want EntryID // "" for none
	}{
		{"a challenge page by its detail", probe.Result{Target: probe.TargetClaudeAI, Class: probe.ClassUnexpected, Detail: "challenge"}, EntryChallenge},
		{"Claude Code's odd exit is no catalogue problem", probe.Result{Target: probe.TargetCode, Class: probe.ClassUnexpected, ErrorType: "exit", Message: "exit status 3"}, ""},
		{"the error type alone, without a message", probe.Result{Target: probe.TargetAPI, Class: probe.ClassServer, ErrorType: "api_error"}, EntryServerError},
		{"a message without a type", probe.Result{Target: probe.TargetAPI, Class: probe.ClassOverloaded, Message: "Overloaded"}, EntryOverloaded},
		{"a proxy failure", probe.Result{Target: probe.TargetAPI, Class: probe.ClassNetwork, ErrorType: probe.NetProxy}, EntryProxy},
		{"a timeout", probe.Result{Target: probe.TargetAPI, Class: probe.ClassNetwork, ErrorType: probe.NetTimeout}, EntryTimeout},
		{"a clock that is behind", probe.Result{Target: probe.TargetAPI, Class: probe.ClassNetwork, ErrorType: probe.NetTLS,
			Message: "TLS handshake failed: x509: certificate is not yet valid"}, EntryClockSkew},
	} {
		e, ok := MatchResult(tt.r)
		if ok != (tt.want != "") || e.ID != tt.want {
			t.Errorf("%s: %s %v, want %q", tt.name, e.ID, ok, tt.want)
		}
	}
}
