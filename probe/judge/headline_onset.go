// One probe failing after successes: a blip (not yet a verdict) or an
// outage's onset (it agrees with the page).

package judge

import (
	"slices"
	"strings"

	"downforai/probe"
)

// blip is "the newest Claude API probe failed (529 overloaded) after
// successes — a second failure in a row changes the verdict" when an HTTP
// probe's newest answer failed while its state is still up; of both API
// probes, "the newest Claude API probes, without a key and with your key,
// failed (…)", and of another service too, "…; also the newest Claude
// (claude.ai) probe failed (…)" — one failure on each read as one alone.
func (j judgement) blip() (string, bool) {
	var out []string
	for _, s := range probe.Services() {
		if ws := j.newestFailedAll(s); len(ws) > 0 {
			out = append(out, blipWords(s, ws))
		}
	}
	if len(out) == 0 {
		return "", false
	}
	return strings.Join(out, "; also ") + " — a second failure in a row changes the verdict", true
}

// onset is the outage's sentence in the round its page turned and our
// newest probe failed, the one before having succeeded (service): the
// failure of the same moment as the rows, the page's worst first — "Anthropic
// outage: Claude API failing from here (529 overloaded; the newest
// probe, after successes) — acknowledged on the status page (…)."
func (j judgement) onset(svs []probe.ServiceVerdict, k probe.VerdictKind, lead probe.ServiceVerdict) (string, bool) {
	var first *probe.ServiceVerdict
	var fw view
	var also []string
	seen := map[string]bool{}
	order := append([]probe.ServiceVerdict{lead}, svs...)
	slices.SortStableFunc(order, func(a, b probe.ServiceVerdict) int {
		return componentSeverity(b.Official) - componentSeverity(a.Official) // the page's worst first
	})
	for _, o := range order {
		if o.Kind != k || seen[o.Service.Key] {
			continue
		}
		seen[o.Service.Key] = true
		f, ok := j.newestFailed(o.Service)
		switch {
		case !ok:
		case f.state != sAnthropic && f.state != sUnreach:
			// A refusal of the credential, a proxy or a block page
			// answering: no agreement with the page's outage — a 401
			// on the key under a major outage read "Anthropic outage:
			// Claude API failing from here (401 credential rejected…)"
			// for a round (cold walk of Dec 7).
		case first == nil:
			first, fw = &o, f
		default:
			also = append(also, o.Service.Name+" ("+failureWords(f)+"; "+o.Official.String()+" on the status page)")
		}
	}
	if first == nil {
		return "", false
	}
	ack := first.Official.String()
	if _, _, inc, _ := j.component(first.Service); inc != nil {
		ack = probe.Line(inc.Name, 80)
	}
	h := "Anthropic outage: " + first.Service.Name + " failing from here (" + failureWords(fw) + "; the newest probe, after successes) — acknowledged on the status page (" + ack + ")."
	if len(also) > 0 {
		h += " Also failing from here: " + strings.Join(also, ", ") + "."
	}
	return h, true
}

// newestFailed is the view of the first of s's HTTP probes whose newest
// answer failed while its state is still up: one failure after
// successes is not yet a verdict, but never "our probes succeed" beside
// it (cold6 E1: the first round of an outage said so beside ✖ rows).
func (j judgement) newestFailed(s probe.Service) (view, bool) {
	if ws := j.newestFailedAll(s); len(ws) > 0 {
		return ws[0], true
	}
	return view{}, false
}

// newestFailedAll is newestFailed of each of s's HTTP probes.
func (j judgement) newestFailedAll(s probe.Service) []view {
	var out []view
	for _, t := range s.Targets {
		v, ok := j.views[t]
		if !ok || !v.state.up() || t == probe.TargetCode {
			continue
		}
		if st := classify(v.latest, https(t, j.in.local())); st.failing() {
			out = append(out, view{target: t, state: st, evidence: v.latest})
		}
	}
	return out
}

// blipWords is "the newest Claude API probe failed (529 overloaded)
// after successes"; of both API probes "the newest Claude API probes,
// without a key and with your key, failed (529 overloaded) after
// successes", or each with its own when they differ.
func blipWords(s probe.Service, ws []view) string {
	if len(ws) == 1 {
		return "the newest " + s.Name + " probe failed (" + failureWords(ws[0]) + ") after successes"
	}
	var whose, what []string
	for _, w := range ws {
		whose = append(whose, keyWords(w.target))
		what = append(what, keyWords(w.target)+" ("+failureWords(w)+")")
	}
	if slices.IndexFunc(ws, func(w view) bool { return failureWords(w) != failureWords(ws[0]) }) < 0 {
		return "the newest " + s.Name + " probes, " + probe.AndList(whose) + ", failed (" + failureWords(ws[0]) + ") after successes"
	}
	return "the newest " + s.Name + " probes failed after successes: " + strings.Join(what, ", ")
}

// keyWords is which of the API's probes t is: "without a key", "with
// your key"; the target's name otherwise.
func keyWords(t probe.Target) string {
	switch t {
	case probe.TargetAPI:
		return "without a key"
	case probe.TargetAPIKey:
		return "with your key"
	}
	return string(t)
}
