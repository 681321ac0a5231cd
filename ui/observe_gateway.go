package ui

import (
	"fmt"
	"strings"

	"downforai/probe"
)

// gatewayHow is what probes got from the gateway at the API URL the user
// set answering for itself (probe.GatewayAnswer), as the banner says it:
// "got 500 (envoy) from the gateway at --api-url (http://127.0.0.1:4000)
// itself, not from Anthropic: "upstream connect error …"" — not "from a filter, proxy or portal on the way, not
// from Anthropic": the user chose that server, and it said what it said
// (issue 19). false for any other result.
func gatewayHow(r probe.Result, local *probe.LocalReport) (string, bool) {
	words, ok := probe.GatewayAnswer(r)
	if !ok {
		return "", false
	}
	// The status and Server ("502 (nginx)": the banner beside it has the
	// status's words, and the line must fit), then what it said: its words
	// quoted (": \"upstream connect error …\""), or what its page was
	// (", a page titled …").
	head, tail := fmt.Sprint(r.HTTPStatus), ": "+words
	if st := probe.StatusText(r.HTTPStatus); strings.HasPrefix(words, st) {
		n := len(st)
		if rest := words[n:]; strings.HasPrefix(rest, " (") {
			if i := strings.Index(rest, ")"); i >= 0 {
				head += rest[:i+1]
				n += i + 1
			}
		}
		tail = words[n:]
	}
	s := "got " + head + " from " + gatewayAt(local) + " itself"
	if r.Class == probe.ClassAuth {
		s += ", refusing the credential sent"
	}
	return s + ", not from Anthropic" + tail, true
}

// gatewayAt names the gateway at the API URL the user set as the banner
// does: "the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000)", the
// setting it came from and the URL, masked; "the gateway at the API URL
// set" until the local checks have said which URL is in use.
func gatewayAt(local *probe.LocalReport) string {
	if local == nil || strings.TrimSpace(local.APIURL) == "" || !probe.UserBaseURL(local.APIURL) {
		return "the gateway at the API URL set"
	}
	setting := probe.Line(local.APIURLFrom, 100)
	if setting == "" {
		setting = "--api-url / ANTHROPIC_BASE_URL"
	}
	return "the gateway at " + setting + " (" + probe.MaskURL(strings.TrimRight(local.APIURL, "/")) + ")"
}
