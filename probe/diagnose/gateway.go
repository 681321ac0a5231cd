package diagnose

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"downforai/probe"
	"downforai/probe/catalogue"
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

// answeredBy is who answered the probes of an entry's targets that all
// answered, seenOf counting them per target: "Anthropic answers from here
// (each of the last 3 probes)" while every one went to Anthropic's own
// hosts. Else each is named as what it is: a gateway the user set (gw,
// gatewayAt's) with what it says of Anthropic (not asked), claude.ai and
// the status page by the URL set for them when it is not Anthropic's
// (--claude-url, --status-url: a mirror, a fake, a proxy), and only the
// targets weighed. counted false leaves the counts out, for the sentence
// that says the paste is not what this machine gets.
func answeredBy(l *probe.LocalReport, gw string, seenOf map[probe.Target]int, counted bool) string {
	seen, api, rest := 0, 0, 0
	var others []string // the hosts other than the API URL, named
	setURL := false
	for _, t := range []probe.Target{probe.TargetClaudeAI, probe.TargetStatus} {
		if n := seenOf[t]; n > 0 {
			name, set := hostName(l, t)
			others, setURL = append(others, name), setURL || set
			rest += n
		}
	}
	for t, n := range seenOf {
		seen += n
		if viaAPIURL(t) {
			api += n
		}
	}
	count := func(s string) string {
		if !counted {
			return ""
		}
		return " (" + s + ")"
	}
	if (gw == "" || api == 0) && !setURL {
		return "Anthropic answers from here" + count(eachOf(seen))
	}
	lead := ""
	switch {
	case api > 0 && gw != "":
		if counted {
			n := eachOf(seen)
			if api < seen {
				n = eachOfNoun(api, "API probe", "API probes")
			}
			lead = probe.Capital(gw) + " answers from here (" + n + "; Anthropic's own API is not probed directly)"
		} else {
			lead = probe.Capital(gw) + " answers from here (Anthropic's own API is not probed directly)"
		}
	case api > 0:
		lead = "Anthropic's API answers from here" + count(eachOfNoun(api, "API probe", "API probes"))
	}
	if rest == 0 || len(others) == 0 {
		return lead
	}
	names := strings.Join(others, " and ")
	if lead == "" {
		verb := " answers from here"
		if len(others) > 1 {
			verb = " answer from here"
		}
		return sentence(names) + verb + count(eachOf(rest))
	}
	verb := ", and so does "
	if len(others) > 1 {
		verb = ", and so do "
	}
	return lead + verb + names + count(eachOfNoun(rest, "probe", "probes"))
}

// hostName names where target t's probes went: "claude.ai", "the status
// page", or, at a URL the user set that is not Anthropic's own, "the URL
// set for the status page (http://127.0.0.1:19450)" — what answered there
// may be anything, and is not called Anthropic's. set reports the latter.
func hostName(l *probe.LocalReport, t probe.Target) (name string, set bool) {
	name, raw, own := "claude.ai", "", []string{"claude.ai", "www.claude.ai"}
	if t == probe.TargetStatus {
		name, own = "the status page", []string{"status.claude.com", "status.anthropic.com"}
		if l != nil {
			raw = l.StatusURL
		}
	} else if l != nil {
		raw = l.ClaudeURL
	}
	if strings.TrimSpace(raw) == "" {
		return name, false // not known: the default
	}
	if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && slices.Contains(own, strings.ToLower(u.Hostname())) {
		return name, false
	}
	return "the URL set for " + name + " (" + probe.MaskURL(strings.TrimRight(strings.TrimSpace(raw), "/")) + ")", true
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

// uncapital is answeredBy's sentence inside another: "the gateway at …",
// "the URL set for …"; "Anthropic" keeps its capital.
func uncapital(s string) string {
	if rest, ok := strings.CutPrefix(s, "The "); ok {
		return "the " + rest
	}
	return s
}

// networkNamed is the FAQ's network answer when claude.ai or the status
// page was probed at a URL the user set: which hosts answer this machine
// and which fail from it at the network level, each named (the API URL's
// as gw when the user set one); ok false when both are Anthropic's own,
// for the sentences that count Anthropic's hosts.
func networkNamed(l *probe.LocalReport, gw string, latest func(probe.Target) (probe.Result, bool)) (string, bool) {
	set := false
	for _, t := range []probe.Target{probe.TargetClaudeAI, probe.TargetStatus} {
		if _, s := hostName(l, t); s {
			if _, ok := latest(t); ok {
				set = true
			}
		}
	}
	if !set {
		return "", false
	}
	var answer, fail []string
	for _, t := range []probe.Target{probe.TargetAPI, probe.TargetClaudeAI, probe.TargetStatus} {
		r, ok := latest(t)
		if !ok {
			continue
		}
		name := "Anthropic's API"
		switch {
		case t != probe.TargetAPI:
			name, _ = hostName(l, t)
		case gw != "":
			name = gw
		}
		if r.Class == probe.ClassNetwork || r.ErrorType == probe.ErrNotAnthropic {
			fail = append(fail, name)
		} else {
			answer = append(answer, name)
		}
	}
	// Said once, after who answered: the gateway is what was asked.
	aside := ""
	if _, ok := latest(probe.TargetAPI); ok && gw != "" {
		aside = " (Anthropic's own API is not probed directly)"
	}
	verb := func(names []string, one, many string) string {
		if len(names) == 1 {
			return names[0] + one
		}
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + many
	}
	switch {
	case len(fail) == 0:
		return sentence(verb(answer, " answers this machine", " answer this machine")) + aside + ": a program that cannot connect likely takes another path (proxy, VPN, container network), or another base URL.", true
	case len(answer) == 0:
		return sentence(verb(fail, " fails from this machine at the network level", " fail from this machine at the network level")) + aside + ".", true
	}
	return sentence(verb(answer, " answers this machine; ", " answer this machine; ")) + verb(fail, " fails from it at the network level", " fail from it at the network level") + aside + ".", true
}

// sentence starts a sentence with s: capitalised, but claude.ai keeps
// its own spelling.
func sentence(s string) string {
	if strings.HasPrefix(s, "claude.ai") {
		return s
	}
	return probe.Capital(s)
}

// codeElsewhere says where Claude Code's requests go when its base URL
// (ANTHROPIC_BASE_URL) is not Anthropic's API: the 529 or 5xx it shows
// is then what answered there (a relay, another provider such as MiniMax
// or GLM behind an Anthropic-style URL), Anthropic's only if that passed
// Anthropic's answer on. "" when Claude Code calls Anthropic, or when
// which URL it calls is not known.
func codeElsewhere(l *probe.LocalReport) string {
	if l == nil || strings.TrimSpace(l.CodeURL) == "" || !probe.UserBaseURL(l.CodeURL) {
		return ""
	}
	return "Claude Code's requests go to " + probe.MaskURL(strings.TrimRight(strings.TrimSpace(l.CodeURL), "/")) +
		" (ANTHROPIC_BASE_URL), not to Anthropic's API: an error Claude Code shows is what answered there — Anthropic's only if it passed Anthropic's answer on (with Anthropic's request id, req_…)."
}

// At is d said of where Claude Code's requests go (the local report's
// CodeURL): under a base URL that is not Anthropic's API, an entry on
// Anthropic's side says the service there answered, likely relaying its
// upstream — not "Anthropic's API said" — unless the paste carries
// Anthropic's request id (req_…): then it is Anthropic's answer passed on,
// in Anthropic's words. d unchanged when the URL is not known.
func (d Diagnosis) At(l *probe.LocalReport) Diagnosis {
	if d.Entry == nil || l == nil || strings.HasPrefix(d.RequestID, "req_") {
		return d
	}
	e := d.Entry.At(l.CodeURL, "where Claude Code's requests go, ANTHROPIC_BASE_URL")
	d.Entry = &e
	return d
}

// throughGateway is en as said of r, a probe that went to the gateway
// the user set as the API URL: an answer in the gateway's own words (no
// Anthropic request-id) is the service at that URL saying it
// (catalogue's Elsewhere words), never "Anthropic's API said"; Anthropic's
// answer passed on as it came is Anthropic's, unchanged. A network
// failure there names the gateway in its fixes in place of those about
// api.anthropic.com, whose host our probes did not ask (cold walk: "Allow
// api.anthropic.com (160.79.104.0/23) in the firewall" beside a gateway's
// reset). en unchanged under Anthropic's own URL; the catalogue's entry
// is never changed in place.
func throughGateway(en catalogue.Entry, r probe.Result, l *probe.LocalReport) catalogue.Entry {
	gw := gatewayAt(l)
	if gw == "" || !viaAPIURL(r.Target) {
		return en
	}
	if r.HTTPStatus != 0 && r.RequestID == "" {
		from := "--api-url / ANTHROPIC_BASE_URL"
		if l.APIURLFrom != "" {
			from = probe.Line(l.APIURLFrom, 100)
		}
		en = en.At(l.APIURL, from)
	}
	if r.Class == probe.ClassNetwork && r.HTTPStatus == 0 {
		fix := []string{"The probes went to " + gw + ", not api.anthropic.com: check that the gateway runs and that this machine reaches its host and port (a firewall or VPN between); its logs, or whoever runs it, say whether it reaches Anthropic."}
		for _, f := range en.Fix {
			if !strings.Contains(f, "api.anthropic.com") {
				fix = append(fix, f)
			}
		}
		en.Fix = fix
	}
	return en
}

// atOneServer is entry en for a network failure of r while every URL set
// points at one server that is not Anthropic's (probe.LocalReport.OneServer):
// no probe went to Anthropic or crossed the path to it, so the fixes lead
// with that server, and none sends the user to Anthropic's hosts or their
// firewall (cold walk: "Allow api.anthropic.com in the firewall" under a
// banner that said no Anthropic host was asked).
func atOneServer(en catalogue.Entry, r probe.Result, l *probe.LocalReport) catalogue.Entry {
	host, ok := l.OneServer()
	if !ok || r.Class != probe.ClassNetwork || r.HTTPStatus != 0 {
		return en
	}
	fix := []string{"Every URL set — the API's, claude.ai's and the status page's — points at " + host +
		", not at Anthropic: check that the server there runs and listens on that port; unset --api-url, --claude-url, --status-url (and ANTHROPIC_BASE_URL) to probe Anthropic itself."}
	for _, f := range en.Fix {
		if !strings.Contains(f, "Anthropic") && !strings.Contains(f, "anthropic.com") && !strings.Contains(f, "claude.ai") &&
			!strings.HasPrefix(f, "The probes went to ") {
			fix = append(fix, f)
		}
	}
	en.Fix = fix
	return en
}
