package diagnose

import (
	"strings"
	"testing"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/probetest"
)

// TestURLsSetAreNamedNotAnthropic: claude.ai and the status page probed
// at URLs the user set (--claude-url, --status-url, a mirror, a fake) are
// not Anthropic answering: what answered there is named by its URL, and no
// sentence says "Anthropic answers from here" of them (issue 19). Only the
// hosts of the targets weighed are named: a server error's probes are the
// API's and claude.ai's, not the status page's.
func TestURLsSetAreNamedNotAnthropic(t *testing.T) {
	const fake = "http://127.0.0.1:19450"
	set := &probe.LocalReport{APIURL: probe.DefaultAPIURL, StatusURL: fake, ClaudeURL: fake + "/"}
	statusOnly := &probe.LocalReport{APIURL: probe.DefaultAPIURL, StatusURL: fake, ClaudeURL: probe.DefaultClaudeURL}
	own := &probe.LocalReport{APIURL: probe.DefaultAPIURL, StatusURL: probe.DefaultStatusURL + "/", ClaudeURL: "https://claude.ai"}
	gwAll := &probe.LocalReport{APIURL: fake, APIURLFrom: "--api-url", StatusURL: fake, ClaudeURL: fake}
	gwOwn := &probe.LocalReport{APIURL: fake, APIURLFrom: "--api-url", StatusURL: probe.DefaultStatusURL, ClaudeURL: probe.DefaultClaudeURL}
	const refused = "Unable to connect to API (ECONNREFUSED)"
	const server = "API Error: 500 Internal server error"
	for _, tc := range []struct {
		name, paste string
		local       *probe.LocalReport
		want        []string
		not         []string
	}{
		{"both set", refused, set,
			[]string{"Anthropic's API answers from here (each of the last 5 API probes), and so do the URL set for claude.ai (" + fake + ") and the URL set for the status page (" + fake + ") (each of the last 10 probes): the failing program likely takes another path",
				"Your pasted error is not what this machine gets now: Anthropic's API answers from here, and so do the URL set for claude.ai (" + fake + ") and the URL set for the status page (" + fake + "), so the failing program likely takes another path"},
			[]string{"Anthropic answers from here"}},
		{"status set", refused, statusOnly,
			[]string{"Anthropic's API answers from here (each of the last 5 API probes), and so do claude.ai and the URL set for the status page (" + fake + ") (each of the last 10 probes)"},
			[]string{"Anthropic answers from here"}},
		{"Anthropic's own, spelled otherwise", refused, own,
			[]string{"Anthropic answers from here (each of the last 15 probes): the failing program likely takes another path",
				"is not what this machine gets now: Anthropic answers from here, so"},
			[]string{"URL set"}},
		{"all at the fake", refused, gwAll,
			[]string{"The gateway at --api-url (" + fake + ") answers from here (each of the last 5 API probes; Anthropic's own API is not probed directly), and so do the URL set for claude.ai (" + fake + ") and the URL set for the status page (" + fake + ") (each of the last 10 probes)",
				"the gateway at --api-url (" + fake + ") answers from here (Anthropic's own API is not probed directly), and so do the URL set for claude.ai (" + fake + ") and the URL set for the status page (" + fake + "), so"},
			[]string{"Anthropic answers from here", "so do claude.ai and the status page"}},
		{"gateway, Anthropic's pages", refused, gwOwn,
			[]string{"answers from here (each of the last 5 API probes; Anthropic's own API is not probed directly), and so do claude.ai and the status page (each of the last 10 probes)"},
			[]string{"URL set"}},
		{"server error under a gateway: no status page weighed", server, gwOwn,
			[]string{"The gateway at --api-url (" + fake + ") answers from here (each of the last 10 API probes; Anthropic's own API is not probed directly), and so does claude.ai (each of the last 5 probes): the error was likely brief"},
			[]string{"and so do claude.ai and the status page"}},
	} {
		recent := probetest.Healthy()
		ev := Evidence{Now: probetest.Now, Recent: recent, Status: probetest.Official(nil), Local: tc.local}
		d := Diagnose(tc.paste)
		if d.Entry == nil || (tc.paste == server && d.Entry.ID != catalogue.EntryServerError) {
			t.Fatalf("%s: %q matched %v", tc.name, tc.paste, d.Entry)
		}
		out := Format(d, ev)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: missing %q:\n%s", tc.name, w, out)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("%s: says %q:\n%s", tc.name, n, out)
			}
		}
	}
}

// TestFAQNetworkNamesTheURLsSet: the FAQ's network answer does not count
// claude.ai and the status page probed at URLs the user set as
// "Anthropic's hosts": each is named by its URL, answering or failing.
func TestFAQNetworkNamesTheURLsSet(t *testing.T) {
	const fake = "http://127.0.0.1:19450"
	var q catalogue.Question
	for _, x := range catalogue.FAQ() {
		if x.Live == "network" {
			q = x
		}
	}
	for _, tc := range []struct {
		name  string
		local *probe.LocalReport
		down  probe.Target // fails at the network level; "" none
		want  string
	}{
		{"set, all answer", &probe.LocalReport{APIURL: probe.DefaultAPIURL, StatusURL: fake, ClaudeURL: fake}, "",
			"Anthropic's API, the URL set for claude.ai (" + fake + ") and the URL set for the status page (" + fake + ") answer this machine: a program that cannot connect likely takes another path"},
		{"status set, API down", &probe.LocalReport{APIURL: probe.DefaultAPIURL, StatusURL: fake}, probe.TargetAPI,
			"claude.ai and the URL set for the status page (" + fake + ") answer this machine; Anthropic's API fails from it at the network level."},
		{"all at the fake", &probe.LocalReport{APIURL: fake, APIURLFrom: "--api-url", StatusURL: fake, ClaudeURL: fake}, "",
			"The gateway at --api-url (" + fake + "), the URL set for claude.ai (" + fake + ") and the URL set for the status page (" + fake + ") answer this machine (Anthropic's own API is not probed directly): a program that cannot connect likely takes another path"},
	} {
		recent := probetest.Healthy()
		if tc.down != "" {
			recent[tc.down] = probetest.Series(tc.down, probe.ClassNetwork)
		}
		ev := Evidence{Now: probetest.Now, Recent: recent, Status: probetest.Official(nil), Local: tc.local}
		got := strings.Join(FAQLive(q, ev), "\n")
		if !strings.Contains(got, tc.want) || strings.Contains(got, "Anthropic's hosts") {
			t.Errorf("%s: want %q, no \"Anthropic's hosts\":\n%s", tc.name, tc.want, got)
		}
	}
}

// TestClaudeCodeElsewhereIsSaid: with Claude Code's base URL not
// Anthropic's (another provider behind an Anthropic-style URL: MiniMax's
// 529s came to Claude Code so, xvirobotics/metabot#192), a pasted
// Anthropic-side error says where Claude Code's requests went, so that
// "Repeated 529 Overloaded errors" is not taken for Anthropic's own
// answer; under Anthropic's URL nothing is added.
func TestClaudeCodeElsewhereIsSaid(t *testing.T) {
	const paste = "API Error: Repeated 529 Overloaded errors"
	const want = "Claude Code's requests go to https://api.minimax.io/anthropic (ANTHROPIC_BASE_URL), not to Anthropic's API"
	for _, tc := range []struct {
		code string
		says bool
	}{{"https://api.minimax.io/anthropic/", true}, {probe.DefaultAPIURL + "/", false}, {"", false}} {
		ev := Evidence{Now: probetest.Now, Recent: probetest.Healthy(), Status: probetest.Official(nil),
			Local: &probe.LocalReport{APIURL: probe.DefaultAPIURL, CodeURL: tc.code}}
		d := Diagnose(paste)
		if d.Entry == nil || d.Entry.ID != catalogue.EntryOverloaded {
			t.Fatalf("%q matched %v", paste, d.Entry)
		}
		if out := Format(d, ev); strings.Contains(out, want) != tc.says {
			t.Errorf("CodeURL %q: says %q %v, want %v:\n%s", tc.code, want, !tc.says, tc.says, out)
		}
	}
}
