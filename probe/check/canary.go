package check

import (
	"fmt"
	"io"
	"strings"

	"downforai/probe"
)

// modelResults are the round's canary results, in check order.
func (r Report) modelResults() []probe.Result {
	var out []probe.Result
	for _, res := range r.Results {
		if res.Target.IsModel() {
			out = append(out, res)
		}
	}
	return out
}

// tokensToday is the day's canary token use and budget as the newest
// canary said it.
func (r Report) tokensToday() (spent, limit int64, models []string, ok bool) {
	for _, res := range r.modelResults() {
		id, _ := res.Target.Model()
		models = append(models, id)
		if s, l, found := probe.ParseTokensToday(res.Detail); found {
			spent, limit, ok = max(spent, s), l, true
		}
	}
	return spent, limit, models, ok
}

// writeCanaries prints the canary section under the table: what each
// model said, and what the canaries cost.
func (r Report) writeCanaries(w io.Writer) {
	ms := r.modelResults()
	if len(ms) == 0 {
		return
	}
	fmt.Fprintln(w, "\nCanaries (one streaming request per model, max_tokens 1; they cost tokens):")
	texts := map[probe.Target]string{}
	for _, mv := range r.Verdict.Models {
		texts[mv.Target] = mv.Text
	}
	for _, res := range ms {
		text := texts[res.Target]
		if text == "" {
			text = res.Target.Label() + ": " + probe.Line(res.Message, 100)
		}
		fmt.Fprintf(w, "  %-18s %-22s %-8s %s\n", probe.Line(res.Target.Label(), 18), probeText(res), latency(res), probe.Line(text, 0))
	}
	if spent, limit, models, ok := r.tokensToday(); ok {
		fmt.Fprintf(w, "  tokens today: %d of %d\n", spent, limit)
		fmt.Fprintf(w, "  cost: %s\n", costWords(spent, limit, models))
	}
}

// jsonCanaries is check --json's canary section.
type jsonCanaries struct {
	TokensToday   int64       `json:"tokens_today"`
	Budget        int64       `json:"budget"`
	EstimatedCost *float64    `json:"estimated_cost_usd"` // null when a model has no known list price
	CostBasis     string      `json:"cost_basis,omitempty"`
	CostUnknown   []string    `json:"cost_unknown_models,omitempty"`
	Models        []jsonModel `json:"models"`
}

type jsonModel struct {
	Model   string    `json:"model"`
	Name    string    `json:"name"`
	Verdict string    `json:"verdict"`
	Failing bool      `json:"failing"`
	Text    string    `json:"text"`
	Probe   jsonProbe `json:"probe"`
}

func (r Report) jsonCanaries() *jsonCanaries {
	ms := r.modelResults()
	if len(ms) == 0 {
		return nil
	}
	out := &jsonCanaries{Models: []jsonModel{}}
	spent, limit, models, _ := r.tokensToday()
	out.TokensToday, out.Budget = spent, limit
	if e := probe.EstimateCanaryCost(spent, models); e.Known {
		out.EstimatedCost, out.CostBasis = &e.Dollars, e.Basis+" ("+probe.PriceSource+")"
	} else {
		out.CostUnknown = e.Unknown
	}
	byTarget := map[probe.Target]probe.ModelVerdict{}
	for _, mv := range r.Verdict.Models {
		byTarget[mv.Target] = mv
	}
	for _, res := range ms {
		id, _ := res.Target.Model()
		mv := byTarget[res.Target]
		out.Models = append(out.Models, jsonModel{Model: id, Name: res.Target.Label(), Verdict: mv.Kind.Key(),
			Failing: mv.Failing, Text: probe.Line(mv.Text, 0), Probe: toJSONProbe(res)})
	}
	return out
}

// costWords is the canaries' cost for people: an estimate that names the
// list price it uses, or unknown for a model without one — never a guess.
func costWords(spent, limit int64, models []string) string {
	e := probe.EstimateCanaryCost(spent, models)
	if !e.Known {
		return "unknown — no list price known for " + strings.Join(e.Unknown, ", ")
	}
	day := probe.EstimateCanaryCost(limit, models)
	return fmt.Sprintf("≈ $%.4f today (an estimate), at most ≈ $%.2f a day for the whole budget — at %s (%s)",
		e.Dollars, day.Dollars, e.Basis, probe.PriceSource)
}
