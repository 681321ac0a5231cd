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
	p := j.modelParts(mv, v, ts)
	return mv.Name + " failing " + p.failing + p.while + p.tail
}

// modelClause is a failing model's sentence in parts: "(529 overloaded;
// 4 of the last 5 probes failed) since 14:02 UTC", " while Claude Haiku
// 4.5 answers", " — Anthropic's side, not yet acknowledged".
type modelClause struct {
	failing, while, tail string
}

func (j judgement) modelParts(mv probe.ModelVerdict, v view, ts []probe.Target) modelClause {
	what := failureWords(v)
	if mv.Fails > 0 && mv.Class != 0 {
		words := classWords(mv.Class, mv.Status)
		if mv.Status == 200 {
			// An error event inside the 200's stream, or a stream that stopped.
			words = classWords(mv.Class, 0) + " mid-stream"
		}
		what = fmt.Sprintf("%s; %s failed", words, probe.OfTheLast(mv.Fails, mv.Of, "probe", "probes"))
	}
	p := modelClause{failing: fmt.Sprintf("(%s) since %s", what, j.zoned(v.since, "15:04 MST"))}
	up := j.answering(mv.Target, ts)
	key, keyOK := j.views[probe.TargetAPIKey]
	switch {
	case len(up) > 0:
		p.while = " while " + probe.AndList(up) + answerVerb(len(up))
	case keyOK && key.state.up():
		p.while = " while the API accepts your key"
	}
	side := "likely Anthropic's side"
	if (len(up) > 0 || keyOK && key.state.up()) && v.state == sAnthropic &&
		(v.evidence.Class == probe.ClassOverloaded || v.evidence.Class == probe.ClassServer && v.evidence.HTTPStatus >= 500) {
		// Anthropic's own error, while the same key and network work.
		side = "Anthropic's side"
	}
	switch mv.Kind {
	case probe.VerdictOutage:
		p.tail = " — " + side + ", acknowledged on the status page"
		if mv.Incident != "" {
			p.tail = " — " + side + ", acknowledged: " + mv.Incident
		}
	case probe.VerdictUnacknowledged:
		p.tail = " — " + side + ", not yet acknowledged"
	case probe.VerdictFailing:
		p.tail = " — " + side + "; " + j.pageWhy()
	case probe.VerdictMaintenance:
		p.tail = " — during a maintenance of the Claude API"
	case probe.VerdictLocalCredential, probe.VerdictLocalQuota:
		p.tail = " — your key or quota, not an outage"
	case probe.VerdictUnreachable:
		p.tail = " — Anthropic or a firewall between you"
	case probe.VerdictLocalNetwork:
		p.tail = " — your network or proxy"
	case probe.VerdictLocalConfig:
		p.tail = " — the API URL set, not an outage"
	}
	return p
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

// modelHeadline puts the failing models' sentence in the headline when a
// canary is what makes the Claude API fail: "Opus fails while Haiku
// answers" says more than "Claude API failing". Every failing model is
// named, the lead first — never one of two as if it were the only one —
// and the answering ones after "while". An incident that names a model
// acknowledges it.
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
			failing := []probe.ModelVerdict{mv}
			for _, o := range v.Models {
				if o.Target != mv.Target && o.Failing {
					failing = append(failing, o)
				}
			}
			v.Headline = j.modelsSentence(failing) + "."
			j.modelFacts(v, w, failing)
		}
		return
	}
}

// modelsSentence names every failing model, the lead first: the models
// that fail alike share one clause ("Claude Opus 4.5 and Claude Sonnet 4.5
// each failing (529 overloaded; …) since 14:02 UTC"), those of one cause
// one tail ("— Anthropic's side, not yet acknowledged"); the answering
// models after "while", once.
func (j judgement) modelsSentence(failing []probe.ModelVerdict) string {
	if len(failing) == 1 {
		return failing[0].Text
	}
	ts := j.modelTargets()
	type group struct {
		tail  string
		names []string
		parts []modelClause
	}
	var groups []*group
	var while string
	for i, mv := range failing {
		p := j.modelParts(mv, j.views[mv.Target], ts)
		if i == 0 {
			while = p.while
		}
		k := slices.IndexFunc(groups, func(g *group) bool { return g.tail == p.tail })
		if k < 0 {
			groups = append(groups, &group{tail: p.tail})
			k = len(groups) - 1
		}
		groups[k].names = append(groups[k].names, mv.Name)
		groups[k].parts = append(groups[k].parts, p)
	}
	var out []string
	for i, g := range groups {
		alike := true
		for _, p := range g.parts {
			alike = alike && p.failing == g.parts[0].failing
		}
		var s string
		switch {
		case len(g.names) == 1:
			s = g.names[0] + " failing " + g.parts[0].failing
		case alike:
			s = probe.AndList(g.names) + " each failing " + g.parts[0].failing
		default:
			var each []string
			for k, name := range g.names {
				each = append(each, name+" failing "+g.parts[k].failing)
			}
			s = probe.AndList(each)
		}
		if i == 0 {
			s += while
		}
		out = append(out, s+g.tail)
	}
	return strings.Join(out, "; ")
}

// modelFacts puts every failing model's evidence after the lead's, and
// the incidents that name them first.
func (j judgement) modelFacts(v *probe.Verdict, w view, failing []probe.ModelVerdict) {
	var more []string
	for _, mv := range failing[1:] {
		if o, ok := j.views[mv.Target]; ok && o.state.failing() {
			more = append(more, j.evidenceLine(o.evidence, j.in.Local))
		}
	}
	at := slices.Index(v.Facts, j.evidenceLine(w.evidence, j.in.Local)) + 1
	v.Facts = slices.Insert(v.Facts, at, more...)
	var incidents []string
	for _, mv := range failing {
		if f := "status page incident: " + mv.Incident; mv.Incident != "" && !slices.Contains(incidents, f) {
			incidents = append(incidents, f)
		}
	}
	v.Facts = append(incidents, v.Facts...)
}
