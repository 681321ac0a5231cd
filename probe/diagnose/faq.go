package diagnose

import (
	"fmt"
	"strings"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/judge"
)

// FAQLive is what the live probes say right now about a FAQ question: the
// sentences that end its answer, each with its age, then the live verdict.
func FAQLive(q catalogue.Question, e Evidence) []string {
	var out []string
	say := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	latest := func(t probe.Target) (probe.Result, bool) {
		rs := e.Recent[t]
		if len(rs) == 0 {
			return probe.Result{}, false
		}
		return rs[len(rs)-1], true
	}
	ago := func(r probe.Result) string { return probe.Words(e.Now.Sub(r.Time)) + " ago" }
	check := func(id string) {
		if c, ok := e.Local.Check(id); ok && c.Level != probe.LocalSkip {
			say("Local check, %s: %s", c.Name, c.Text)
		}
	}
	switch q.Live {
	case "key", "override":
		if p, ok := e.Local.Probed(); ok {
			say("downforai probes with %s %s from %s.", p.Kind, p.Masked, p.Source)
		}
		if r, ok := latest(probe.TargetAPIKey); ok {
			say("The API probe with that key: %s (%s).", resultWords(r, e.Local), ago(r))
		} else {
			say("No API probe with a key yet: downforai finds no credential to probe with, or has not probed.")
		}
		check(probe.CheckCredential)
		if q.Live == "override" {
			check(probe.CheckOverride)
			check(probe.CheckCodeAuth)
			check(probe.CheckBaseURL)
		}
	case "api":
		if r, ok := latest(probe.TargetAPI); ok {
			say("The API without a key: %s (%s).", resultWords(r, e.Local), ago(r))
		}
		if r, ok := latest(probe.TargetAPIKey); ok {
			say("The API with your key: %s (%s).", resultWords(r, e.Local), ago(r))
		}
	case "overload":
		var seen, over int
		for _, t := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey} {
			rs := e.Recent[t]
			if len(rs) > judge.Window {
				rs = rs[len(rs)-judge.Window:]
			}
			for _, r := range rs {
				seen++
				if r.HTTPStatus == 529 || r.Class == probe.ClassOverloaded {
					over++
				}
			}
		}
		switch {
		case seen == 0:
		case over == 0:
			say("%s got 529 overloaded_error; they read the model list and ask no model, so a model may still be overloaded (a canary of it would tell: --canary).", probe.Capital(probe.OfTheLast(0, seen, "API probe", "API probes")))
		default:
			say("%s got 529 overloaded_error.", probe.Capital(probe.OfTheLast(over, seen, "API probe", "API probes")))
		}
		say("%s", pageSays(e.Verdict(), e.Status, e.Now))
	case "usage":
		if hs, r, ok := RateHeadroom(e.Recent); ok {
			var parts []string
			for _, h := range hs {
				p := fmt.Sprintf("%s %d/%d left", h.Name, h.Remaining, h.Limit)
				switch {
				case h.ResetPast(e.Now):
					p += ", counted before its reset at " + h.Reset.UTC().Format("15:04:05 UTC")
				case !h.Reset.IsZero():
					p += ", resets " + h.Reset.UTC().Format("15:04:05 UTC")
				}
				parts = append(parts, p)
			}
			say("Your key's API rate limits (%s): %s.", ago(r), strings.Join(parts, "; "))
		}
		say("A subscription's session and weekly windows: Claude Code's /usage shows them; downforai estimates the current window from your sessions' transcripts (Live, under Claude Code) and, with --code-usage, reads Anthropic's figures.")
		check(probe.CheckCodeAuth)
	case "network":
		// Under a gateway the user set, the API probe asks the gateway,
		// not Anthropic: it is named, and not counted as Anthropic's host.
		gw := gatewayAt(e.Local)
		if s, ok := networkNamed(e.Local, gw, latest); ok {
			// claude.ai or the status page at a URL the user set: each
			// host named as what it is, none counted as Anthropic's.
			say("%s", s)
			break
		}
		gwAnswers, gwSeen := false, false
		var failing, answered int
		for _, t := range []probe.Target{probe.TargetAPI, probe.TargetStatus, probe.TargetClaudeAI} {
			if r, ok := latest(t); ok {
				fails := r.Class == probe.ClassNetwork || r.ErrorType == probe.ErrNotAnthropic
				switch {
				case gw != "" && t == probe.TargetAPI:
					gwSeen, gwAnswers = true, !fails
				case fails:
					failing++
				default:
					answered++
				}
			}
		}
		if gwSeen {
			say("%s", gatewayNetwork(gw, gwAnswers, failing, answered))
			break
		}
		switch {
		case failing+answered == 0:
		case failing == 0:
			say("Anthropic's hosts answer this machine (%s): a program that cannot connect likely takes another path (proxy, VPN, container network).", probe.OfAll(answered, answered, "host probed", "hosts probed"))
		default:
			switch {
			case failing+answered == 1:
				say("The one Anthropic host probed fails from this machine at the network level.")
			case answered == 0:
				say("All %d of Anthropic's hosts probed fail from this machine at the network level.", failing)
			default:
				say("%d of %d of Anthropic's hosts fail from this machine at the network level.", failing, failing+answered)
			}
		}
		check(probe.CheckProxy)
		check(probe.CheckDNS)
	}
	if len(out) == 0 {
		say("No live probe speaks to this yet.")
	}
	say("Live verdict: %s", e.Verdict().Headline)
	return out
}

// resultWords is a result in a few words: "200 OK", "401
// authentication_error \"invalid x-api-key\"", "dns failure".
func resultWords(r probe.Result, l *probe.LocalReport) string {
	if r.Class.Up() {
		if r.HTTPStatus != 0 {
			return probe.StatusText(r.HTTPStatus)
		}
		return r.Class.String()
	}
	line := judge.EvidenceLine(r, l, nil)
	if _, after, ok := strings.Cut(line, "→ "); ok {
		if i := strings.LastIndex(after, " · "); i >= 0 {
			after = after[:i] // the time: the caller says how long ago
		}
		return after
	}
	return describeResult(r)
}

// FormatFAQ is `downforai faq`: every question with its answer, the
// catalogue entries it concerns, and what the live probes say right now.
func FormatFAQ(e Evidence) string {
	var b strings.Builder
	for i, q := range catalogue.FAQ() {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s\n", q.Question)
		for _, p := range q.Answer {
			fmt.Fprintf(&b, "  %s\n", p)
		}
		var see []string
		for _, id := range q.Entries {
			if en, ok := catalogue.ByID(id); ok {
				see = append(see, en.Title+" ("+string(id)+")")
			}
		}
		if len(see) > 0 {
			fmt.Fprintf(&b, "  See: %s\n", strings.Join(see, " · "))
		}
		b.WriteString("  Right now:\n")
		for _, s := range FAQLive(q, e) {
			fmt.Fprintf(&b, "    - %s\n", s)
		}
	}
	if e.Note != "" {
		fmt.Fprintf(&b, "\n(%s)\n", e.Note)
	}
	return probe.Redact(b.String())
}
