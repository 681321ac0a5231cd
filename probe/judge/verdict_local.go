package judge

import (
	"fmt"
	"strings"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
)

// refineLocal sharpens Judge's verdict with the local checks and the
// evidence behind it, so the headline says which credential, which error,
// which incident, which DNS failure — and with at most three facts:
//
//   - your credential: the key probe's rejection (status, error type,
//     message, request id), the masked credential and its source, a key
//     format problem; or, with Anthropic all green, Claude Code's own login
//     expired or missing;
//   - your quota or billing: the rejection and the retry-after;
//   - your network or proxy: the DNS or proxy check that failed;
//   - Anthropic outage: the official incident's name;
//   - not yet acknowledged: the failing probes against the green page.
func refineLocal(v probe.Verdict, in Input) probe.Verdict {
	l := in.Local
	switch v.Kind {
	case probe.VerdictUnknown:
		if c, ok := failing(l, "key_format"); ok {
			v.Kind = probe.VerdictLocalCredential
			v.Headline = "Your credential: " + c.Text + "."
			v.Facts = []string{c.Text}
		}
	case probe.VerdictOperational, probe.VerdictDegraded, probe.VerdictMaintenance, probe.VerdictConflicting:
		c, ok := codeLoginProblem(l)
		if !ok {
			break
		}
		for i := range v.Services {
			if v.Services[i].Service.Key == "claude_code" {
				v.Services[i].Kind = probe.VerdictLocalCredential
				v.Services[i].Facts = append([]string{c.Text}, v.Services[i].Facts...)
			}
		}
		if v.Kind == probe.VerdictOperational {
			v.Kind = probe.VerdictLocalCredential
			v.Headline = "Your credential: " + c.Text + "."
			v.Facts = []string{c.Text, "Anthropic reports no problem and our probes succeed"}
		}
	case probe.VerdictLocalCredential, probe.VerdictLocalQuota:
		r, ok := latestUserFailure(in.Recent)
		if !ok {
			break
		}
		e, _ := catalogue.MatchResult(r)
		word := "Your credential"
		if v.Kind == probe.VerdictLocalQuota {
			word = "Your quota or billing"
		}
		cred := "your API key or login"
		if p, ok := l.Probed(); ok {
			cred = p.Source
		}
		switch {
		case e.ID == "" && r.Class == probe.ClassAuth:
			v.Headline = fmt.Sprintf("%s: the API rejects %s.", word, cred)
		case e.ID == "":
			v.Headline = word + ": requests refused for quota, rate limit or billing."
		case r.Class == probe.ClassAuth:
			v.Headline = fmt.Sprintf("%s: the API rejects %s — %s.", word, cred, e.Title)
		default:
			v.Headline = fmt.Sprintf("%s: %s on %s.", word, e.Title, cred)
		}
		facts := []string{EvidenceLine(r, l, time.UTC)}
		if p, ok := l.Probed(); ok {
			facts = append(facts, fmt.Sprintf("credential: %s, %s %s", p.Source, p.Kind, p.Masked))
		}
		if c, ok := failing(l, "key_format"); ok {
			facts = append(facts, "key format: "+c.Text)
		}
		v.Facts = append(facts, v.Facts...)
	case probe.VerdictLocalNetwork:
		var facts []string
		for _, id := range []string{"dns", "proxy"} {
			if c, ok := failing(l, id); ok {
				facts = append(facts, c.Name+": "+c.Text)
			}
		}
		if r, ok := latestOf(in.Recent, probe.ClassNetwork); ok && len(facts) == 0 {
			facts = append(facts, r.Target.Label()+": "+r.Message)
		}
		cause := ""
		if len(facts) > 0 {
			cause = " (" + strings.SplitN(facts[0], ": ", 2)[1] + ")"
		}
		if strings.HasPrefix(v.Headline, "Your network: no Anthropic host answers") {
			v.Headline = "Your network or proxy: no Anthropic host answers from here" + cause + "."
		}
		v.Facts = append(facts, v.Facts...)
	case probe.VerdictOutage:
		if in.Status != nil && len(in.Status.Incidents) > 0 {
			inc := in.Status.Incidents[0]
			v.Headline = strings.TrimSuffix(v.Headline, ".") + " — acknowledged on the status page (" + probe.Line(inc.Name, 80) + ")."
			fact := fmt.Sprintf("status page incident: %s (%s)", probe.Line(inc.Name, 80), probe.Line(inc.Status, 20))
			// Our own failures first, then the acknowledgement.
			v.Facts = append(v.Facts[:min(len(v.Facts), 1)], append([]string{fact}, v.Facts[min(len(v.Facts), 1):]...)...)
		} else {
			v.Headline = strings.TrimSuffix(v.Headline, ".") + " — acknowledged on the status page."
		}
	case probe.VerdictUnacknowledged:
		v.Headline = strings.TrimSuffix(v.Headline, ".") + " while the status page shows no problem."
		if r, ok := latestProviderFailure(in.Recent); ok {
			v.Facts = append([]string{EvidenceLine(r, l, time.UTC)}, v.Facts...)
		}
	}
	v.Facts = dedupeStrings(v.Facts)
	if len(v.Facts) > 3 {
		v.Facts = v.Facts[:3]
	}
	return v
}

// failing returns the local check with the id when it found a problem.
func failing(l *probe.LocalReport, id string) (probe.LocalCheck, bool) {
	c, ok := l.Check(id)
	return c, ok && c.Level == probe.LocalFail
}

// codeLoginProblem is Claude Code's own login, missing or expired for
// good, when nothing in the environment stands in for it.
func codeLoginProblem(l *probe.LocalReport) (probe.LocalCheck, bool) {
	if l == nil {
		return probe.LocalCheck{}, false
	}
	if len(l.Credentials) > 0 && l.Credentials[0].Source != "Claude Code login" {
		return probe.LocalCheck{}, false
	}
	for _, id := range []string{"code_login", "code_auth"} {
		if c, ok := failing(l, id); ok {
			return c, true
		}
	}
	return probe.LocalCheck{}, false
}

func latestUserFailure(recent map[probe.Target][]probe.Result) (probe.Result, bool) {
	for _, t := range []probe.Target{probe.TargetAPIKey, probe.TargetAPI, probe.TargetClaudeAI} {
		rs := recent[t]
		for i := len(rs) - 1; i >= 0 && i >= len(rs)-Window; i-- {
			if rs[i].Class.UserSide() {
				return rs[i], true
			}
		}
	}
	return probe.Result{}, false
}

func latestProviderFailure(recent map[probe.Target][]probe.Result) (probe.Result, bool) {
	var best probe.Result
	found := false
	for _, t := range []probe.Target{probe.TargetAPIKey, probe.TargetAPI, probe.TargetClaudeAI} {
		rs := recent[t]
		for i := len(rs) - 1; i >= 0 && i >= len(rs)-Window; i-- {
			if rs[i].Class.ProviderSide() && (!found || rs[i].Time.After(best.Time)) {
				best, found = rs[i], true
				break
			}
		}
	}
	return best, found
}

func latestOf(recent map[probe.Target][]probe.Result, c probe.Class) (probe.Result, bool) {
	var best probe.Result
	found := false
	for _, rs := range recent {
		if n := len(rs); n > 0 && rs[n-1].Class == c && (!found || rs[n-1].Time.After(best.Time)) {
			best, found = rs[n-1], true
		}
	}
	return best, found
}

// dedupeStrings drops repeated strings, keeping the first of each.
func dedupeStrings(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Endpoint is what the target's probe asks, for evidence lines:
// "GET https://api.anthropic.com/v1/models".
func Endpoint(t probe.Target, l *probe.LocalReport) string {
	var api, status, web string
	if l != nil {
		api, status, web = probe.MaskURL(strings.TrimRight(l.APIURL, "/")), probe.MaskURL(strings.TrimRight(l.StatusURL, "/")), probe.MaskURL(strings.TrimRight(l.ClaudeURL, "/"))
	}
	switch t {
	case probe.TargetAPI, probe.TargetAPIKey:
		return "GET " + api + "/v1/models"
	case probe.TargetStatus:
		return "GET " + status + "/api/v2/summary.json"
	case probe.TargetClaudeAI:
		return "GET " + web + "/"
	case probe.TargetCode:
		return "claude --version"
	}
	return t.Label()
}

// EvidenceLine is one failing result as evidence: endpoint, status, error
// type, message, request id and time, e.g.
//
//	GET https://api.anthropic.com/v1/models → 401 authentication_error "invalid x-api-key" · request-id req_011C… · 14:02:11 UTC
func EvidenceLine(r probe.Result, l *probe.LocalReport, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	s := Endpoint(r.Target, l) + " →"
	if r.HTTPStatus != 0 {
		s += fmt.Sprintf(" %d", r.HTTPStatus)
	}
	if r.ErrorType != "" {
		s += " " + r.ErrorType
	}
	if m := apiMessage(r); m != "" {
		s += " " + probe.Quote(m)
	}
	if r.RequestID != "" {
		s += " · request-id " + r.RequestID
	}
	s += " · " + r.Time.In(loc).Format("15:04:05 MST")
	return probe.Redact(probe.Line(s, 0))
}

// apiMessage is the result's message without the "401 authentication_error: "
// prefix ClassifyAPIError puts before Anthropic's own words.
func apiMessage(r probe.Result) string {
	m := r.Message
	if r.ErrorType != "" {
		if _, after, ok := strings.Cut(m, r.ErrorType+": "); ok {
			return after
		}
	}
	return m
}
