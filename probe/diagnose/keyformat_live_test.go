package diagnose

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// TestPasteSeesTheKeyFormatAsItStands (cold M5): a pasted "Invalid API key"
// while the key downforai probes with, 99 characters long, gets 200: the
// live lines say it works and its length is a note ("the API accepted it"),
// never "truncated?" two lines below "works", as the dashboard's Local
// checks and the report already said it.
func TestPasteSeesTheKeyFormatAsItStands(t *testing.T) {
	const odd = "ANTHROPIC_API_KEY is 99 characters, API keys have 108: truncated? (only the API's answer can tell; see the key probe)"
	l := &probe.LocalReport{Time: probetest.Now,
		Credentials: []probe.CredentialInfo{{Source: "ANTHROPIC_API_KEY", Kind: "API key", Masked: "sk-ant-api03-…Xy7A", Header: "x-api-key", Probed: true}},
		Checks:      []probe.LocalCheck{{ID: probe.CheckKeyFormat, Name: "Key format", Level: probe.LocalWarn, Class: probe.ClassAuth, Text: odd}},
		KeyLength:   probe.KeyLength{Var: "ANTHROPIC_API_KEY", Len: 99},
	}
	ev := Evidence{Now: probetest.Now, Status: probetest.Official(nil), Recent: probetest.Healthy(), Local: l}
	en, _ := catalogue.ByID(catalogue.EntryInvalidKey)
	got := strings.Join(LiveFor(&en, ev.Input()).Lines, "\n")
	if strings.Contains(got, "truncated?") || !strings.Contains(got, "the API accepted it at") {
		t.Errorf("the key probe's 200 is not folded into the key-format line:\n%s", got)
	}
}
