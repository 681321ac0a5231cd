package judge

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"downforai/probe"
)

// Canaries (one streaming request per model, --canary) speak for the
// Claude API model by model. A canary's result is sorted as the key
// probe's: the key it sends is the user's. A model that does not exist
// (404 not_found_error) is the setting's mistake, not Anthropic's: it is
// said on the model's row and judged as nothing. A model that fails while
// another answers through the same key and network is Anthropic's side
// for certain; with no other answer to compare, "likely".
//
//	a model fails on Anthropic's side, an open incident names it (or "multiple models") → Anthropic outage: "Claude Opus 4.5 failing (529 overloaded, 4 of the last 5) since 14:02 UTC while Claude Haiku 4.5 answers — Anthropic's side, acknowledged: Elevated errors on Claude Opus 4.5."
//	… page fresh, the API operational, no incident names it → Not yet acknowledged: "… — Anthropic's side, not yet acknowledged."

// ModelWindow is how many of a model's latest canaries its sentence counts.
const ModelWindow = 5

// classifyModel sorts one canary's result.
func classifyModel(r probe.Result, https bool) state {
	if r.ErrorType == "not_found_error" || r.Class == probe.ClassUnknown {
		return sNone
	}
	r.Target = probe.TargetAPIKey
	return classify(r, https)
}

// modelTargets are the canary targets with results, in name order.
func (j judgement) modelTargets() []probe.Target {
	var ts []probe.Target
	for t := range j.views {
		if t.IsModel() {
			ts = append(ts, t)
		}
	}
	slices.Sort(ts)
	return ts
}

// modelIncident is the name of an open official incident that names the
// model ("Elevated errors on Claude Opus 4.5") or models in general
// ("Elevated errors for multiple models"), when the page counts.
func (j judgement) modelIncident(id string) string {
	if !j.off.drives || j.off.st == nil {
		return ""
	}
	name := strings.ToLower(strings.TrimPrefix(probe.ModelName(id), "Claude "))
	generic := ""
	for _, inc := range j.off.st.Incidents {
		texts := []string{inc.Name}
		for _, u := range inc.Updates {
			texts = append(texts, u.Body)
		}
		for _, t := range texts {
			lt := strings.ToLower(t)
			if strings.Contains(lt, strings.ToLower(id)) || (name != "" && strings.Contains(lt, name)) {
				return probe.Line(inc.Name, 80)
			}
			if generic == "" && (strings.Contains(lt, "multiple models") || strings.Contains(lt, "all models")) {
				generic = probe.Line(inc.Name, 80)
			}
		}
	}
	return generic
}

// models judges every canary model.
func (j judgement) models() []probe.ModelVerdict {
	var out []probe.ModelVerdict
	ts := j.modelTargets()
	for _, t := range ts {
		out = append(out, j.model(t, ts))
	}
	return out
}

// answering names the other models whose newest canary answered — the
// newest asked, not the newest judged: a model that now gets 404 (no
// such model) answers nothing, whatever it did before (cold5 D18).
func (j judgement) answering(except probe.Target, ts []probe.Target) []string {
	var up []string
	for _, t := range ts {
		rs := j.in.Recent[t]
		if v := j.views[t]; t != except && v.state.up() && v.latest.Class.Up() && len(rs) > 0 && rs[len(rs)-1].Class.Up() {
			up = append(up, t.Label())
		}
	}
	return up
}

func (j judgement) model(t probe.Target, ts []probe.Target) probe.ModelVerdict {
	v := j.views[t]
	id, _ := t.Model()
	mv := probe.ModelVerdict{Target: t, Model: id, Name: t.Label(), Kind: probe.VerdictUnknown, Latest: v.latest, Since: v.since}
	// The last ModelWindow judged canaries.
	judged := kept(j.in.Recent[t], func(r *probe.Result) bool { return classifyModel(*r, true) != sNone })
	if len(judged) > ModelWindow {
		judged = judged[len(judged)-ModelWindow:]
	}
	mv.Of = len(judged)
	counts := map[probe.Class]int{}
	latest := probe.ClassUnknown
	for _, r := range judged {
		if r.Class.Failing() {
			mv.Fails++
			counts[r.Class]++
			latest = r.Class
		}
	}
	if len(counts) > 0 {
		mv.Class = probe.MostClass(counts, latest)
	}
	for i := len(judged) - 1; i >= 0; i-- {
		if judged[i].Class == mv.Class {
			mv.Status = judged[i].HTTPStatus
			break
		}
	}
	mv.Failing = v.state.failing()
	mv.Incident = j.modelIncident(id)
	name := mv.Name
	ttft := func(r probe.Result) string {
		if r.Phases.FirstToken > 0 {
			return "TTFT " + durWords(r.Phases.FirstToken)
		}
		return durWords(r.Latency())
	}
	switch {
	case v.state == sNone:
		last := j.in.Recent[t]
		switch {
		case len(last) == 0:
			mv.Text = name + ": not asked yet"
		case last[len(last)-1].ErrorType == "budget":
			mv.Text = name + ": " + probe.Line(last[len(last)-1].Message, 120)
		case last[len(last)-1].ErrorType == "not_found_error":
			mv.Text = name + ": no such model (404 not_found_error) — check the name given to --canary"
		default:
			mv.Text = name + ": " + probe.Line(last[len(last)-1].Message, 100)
		}
	case v.state == sUp:
		mv.Kind = probe.VerdictOperational
		mv.Text = name + " answers (" + ttft(v.latest) + ")"
	case v.state == sSlow:
		mv.Kind = probe.VerdictDegraded
		mv.Text = name + " slow (" + ttft(v.latest) + ")"
	default:
		mv.Kind = j.modelKind(v, mv.Incident)
		mv.Text = j.modelSentence(mv, v, ts)
	}
	return mv
}

// modelKind is the verdict of a failing model.
func (j judgement) modelKind(v view, incident string) probe.VerdictKind {
	comp, onPage, inc, mnt := j.component(apiService())
	switch {
	case v.state == sAccount && v.evidence.Class == probe.ClassAuth:
		return probe.VerdictLocalCredential
	case v.state == sAccount:
		return probe.VerdictLocalQuota
	case v.state == sConfig:
		return probe.VerdictLocalConfig
	case v.state == sPath || v.state.local():
		return probe.VerdictLocalNetwork
	case v.state == sUnreach:
		return probe.VerdictUnreachable
	case comp == probe.ComponentMaintenance || mnt != nil:
		return probe.VerdictMaintenance
	case incident != "" || inc != nil || comp.Outage() || comp == probe.ComponentDegraded:
		return probe.VerdictOutage
	case j.off.drives && onPage:
		return probe.VerdictUnacknowledged
	}
	return probe.VerdictFailing
}

func apiService() probe.Service {
	for _, s := range probe.Services() {
		if s.Key == "api" {
			return s
		}
	}
	return probe.Service{}
}

// modelSentence is the failing model's sentence: "Claude Opus 4.5 failing
// (529 overloaded, 4 of the last 5) since 14:02 UTC while Claude Haiku 4.5
// answers — Anthropic's side, not yet acknowledged".
func (j judgement) modelSentence(mv probe.ModelVerdict, v view, ts []probe.Target) string {
	what := failureWords(v)
	if mv.Fails > 0 && mv.Class != 0 {
		words := classWords(mv.Class, mv.Status)
		if mv.Status == 200 {
			// An error event inside the 200's stream, or a stream that stopped.
			words = classWords(mv.Class, 0) + " mid-stream"
		}
		what = fmt.Sprintf("%s; %s failed", words, probe.OfTheLast(mv.Fails, mv.Of, "probe", "probes"))
	}
	s := fmt.Sprintf("%s failing (%s) since %s", mv.Name, what, j.zoned(v.since, "15:04 MST"))
	up := j.answering(mv.Target, ts)
	key, keyOK := j.views[probe.TargetAPIKey]
	switch {
	case len(up) > 0:
		s += " while " + strings.Join(up, " and ") + answerVerb(len(up))
	case keyOK && key.state.up():
		s += " while the API accepts your key"
	}
	side := "likely Anthropic's side"
	if (len(up) > 0 || keyOK && key.state.up()) && v.state == sAnthropic &&
		(v.evidence.Class == probe.ClassOverloaded || v.evidence.Class == probe.ClassServer && v.evidence.HTTPStatus >= 500) {
		// Anthropic's own error, while the same key and network work.
		side = "Anthropic's side"
	}
	switch mv.Kind {
	case probe.VerdictOutage:
		if mv.Incident != "" {
			return s + " — " + side + ", acknowledged: " + mv.Incident
		}
		return s + " — " + side + ", acknowledged on the status page"
	case probe.VerdictUnacknowledged:
		return s + " — " + side + ", not yet acknowledged"
	case probe.VerdictFailing:
		return s + " — " + side + "; " + j.pageWhy()
	case probe.VerdictMaintenance:
		return s + " — during a maintenance of the Claude API"
	case probe.VerdictLocalCredential, probe.VerdictLocalQuota:
		return s + " — your key or quota, not an outage"
	case probe.VerdictUnreachable:
		return s + " — Anthropic or a firewall between you"
	case probe.VerdictLocalNetwork:
		return s + " — your network or proxy"
	case probe.VerdictLocalConfig:
		return s + " — the API URL set, not an outage"
	}
	return s
}

func answerVerb(n int) string {
	if n > 1 {
		return " answer"
	}
	return " answers"
}

// durWords is "412 ms", "4.1 s".
func durWords(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// modelHeadline puts the leading model's sentence in the headline when a
// canary is what makes the Claude API fail: "Opus fails while Haiku
// answers" says more than "Claude API failing". An incident that names
// the model acknowledges it.
func (j judgement) modelHeadline(v *probe.Verdict, lead int) {
	if lead < 0 || lead >= len(v.Services) || v.Services[lead].Service.Key != "api" {
		return
	}
	w := j.leadView(v.Services[lead])
	if !w.target.IsModel() || w.unstable || !w.state.failing() {
		return
	}
	for _, mv := range v.Models {
		if mv.Target != w.target {
			continue
		}
		switch mv.Kind {
		case probe.VerdictOutage, probe.VerdictUnacknowledged, probe.VerdictFailing:
			if mv.Kind.Rank() > v.Kind.Rank() {
				v.Kind, v.Services[lead].Kind = mv.Kind, mv.Kind
			}
			v.Headline = mv.Text + "."
			if mv.Incident != "" {
				v.Facts = append([]string{"status page incident: " + mv.Incident}, v.Facts...)
			}
		}
		return
	}
}
