package diagnose

import (
	"fmt"
	"strings"

	"downforai/probe"
)

// gatewayAt names the API URL the user set, where the API probes went:
// "the gateway at ANTHROPIC_BASE_URL (http://127.0.0.1:4000)". What
// answers there is that gateway, not Anthropic, whose own API was not
// asked (issue 19). "" under Anthropic's own API URL, or when no local
// report says which URL is in use.
func gatewayAt(l *probe.LocalReport) string {
	if l == nil || strings.TrimSpace(l.APIURL) == "" || !probe.UserBaseURL(l.APIURL) {
		return ""
	}
	from := "--api-url / ANTHROPIC_BASE_URL"
	if l.APIURLFrom != "" {
		from = probe.Line(l.APIURLFrom, 100)
	}
	return "the gateway at " + from + " (" + probe.MaskURL(strings.TrimRight(strings.TrimSpace(l.APIURL), "/")) + ")"
}

// viaAPIURL reports whether target t's probes go to the API URL (the
// model list, with or without the key, and the canaries' messages), not
// to claude.ai, the status page or Claude Code.
func viaAPIURL(t probe.Target) bool {
	return t == probe.TargetAPI || t == probe.TargetAPIKey || t.IsModel()
}

// answeredBy is who answered the probes of a network entry's targets that
// all answered: "Anthropic answers from here (each of the last 3
// probes)", or, under a gateway the user set, the gateway by name with
// what it says of Anthropic (not asked), and claude.ai and the status page
// on their own. gw is gatewayAt's; viaGW of the seen probes went to it.
func answeredBy(gw string, seen, viaGW int) string {
	switch {
	case gw == "" || viaGW == 0:
		return "Anthropic answers from here (" + eachOf(seen) + ")"
	case viaGW == seen:
		return probe.Capital(gw) + " answers from here (" + eachOf(seen) + "; Anthropic's own API is not probed directly)"
	}
	return fmt.Sprintf("%s answers from here (%s; Anthropic's own API is not probed directly), and so do claude.ai and the status page (%s)",
		probe.Capital(gw), eachOfNoun(viaGW, "API probe", "API probes"), eachOfNoun(seen-viaGW, "probe", "probes"))
}

// eachOfNoun is eachOf naming the probes: "each of the last 4 API probes".
func eachOfNoun(n int, one, many string) string {
	if n == 1 {
		return "the only " + one + " so far"
	}
	return fmt.Sprintf("each of the last %d %s", n, many)
}

// gatewayOnly reports whether every target in hit is one of the API URL's.
func gatewayOnly(hit map[probe.Target]bool) bool {
	for t := range hit {
		if !viaAPIURL(t) {
			return false
		}
	}
	return len(hit) > 0
}

// gatewayNetwork is the FAQ's network answer when the API probe went to
// the gateway gw: whether it answers this machine, then claude.ai and the
// status page (failing and answered of them, by their newest probes).
func gatewayNetwork(gw string, answers bool, failing, answered int) string {
	s := probe.Capital(gw) + " answers this machine (Anthropic's own API is not probed directly)"
	if !answers {
		s = probe.Capital(gw) + " fails from this machine at the network level (Anthropic's own API is not probed directly)"
	}
	switch {
	case failing+answered == 0:
	case failing == 0 && answers:
		s += ", and so do claude.ai and the status page"
	case failing == 0:
		s += "; claude.ai and the status page answer"
	case answered == 0 && !answers:
		s += ", and so do claude.ai and the status page"
	case answered == 0:
		s += "; claude.ai and the status page fail from it at the network level"
	default:
		s += fmt.Sprintf("; %d of claude.ai and the status page fails from it at the network level", failing)
	}
	if answers && failing == 0 {
		return s + ": a program that cannot connect likely takes another path (proxy, VPN, container network), or another base URL."
	}
	return s + "."
}
