package probe

import (
	"fmt"
	"strings"
)

// Price is a model family's list price in US dollars per million tokens.
type Price struct{ Input, Output float64 }

// PriceSource is where the price table comes from and when it was read:
// every cost downforai shows is an estimate from it, and says so.
const PriceSource = "anthropic.com/pricing, Nov 2025"

// priceTable is the list price per model family, by the start of its
// name (ModelName); the first match wins, so a specific version comes
// before its family. Canaries cost input tokens almost only (max_tokens
// is 1), so the long-context and batch prices do not apply.
var priceTable = []struct {
	family string
	price  Price
}{
	{"Claude Opus 4.5", Price{5, 25}},
	{"Claude Opus 4.6", Price{5, 25}},
	{"Claude Opus", Price{15, 75}},  // Opus 4.1, 4, 3
	{"Claude Sonnet", Price{3, 15}}, // Sonnet 4.5, 4, 3.7
	{"Claude Haiku 4", Price{1, 5}},
	{"Claude Haiku 3.5", Price{0.8, 4}},
	{"Claude Haiku 3", Price{0.25, 1.25}},
}

// ModelPrice is the list price of model id (PriceSource), and false for a
// model whose family the table does not know.
func ModelPrice(id string) (Price, bool) {
	p, _, ok := modelPrice(id)
	return p, ok
}

func modelPrice(id string) (Price, string, bool) {
	n := ModelName(id)
	for _, e := range priceTable {
		// "Claude Haiku 4" is Haiku 4.5's family, not "Claude Haiku 40".
		if n == e.family || strings.HasPrefix(n, e.family+" ") || strings.HasPrefix(n, e.family+".") {
			return e.price, e.family, true
		}
	}
	return Price{}, "", false
}

// canaryRate is the dollars per token a canary's tokens cost at p: a
// dozen input tokens and one output token, so one in ten is priced as
// output, a little above the truth.
func canaryRate(p Price) float64 { return (0.9*p.Input + 0.1*p.Output) / 1e6 }

// CostEstimate is what canaries' tokens likely cost, and from which price.
type CostEstimate struct {
	Dollars float64 // at the dearest known price of the models; 0 when !Known
	Known   bool    // every model has a list price
	// Basis names the price used: "Claude Opus 4.5's list price, $5 input
	// / $25 output per million tokens".
	Basis   string
	Unknown []string // models without a known price
}

// EstimateCanaryCost estimates what tokens of canaries of models cost.
// The day's count is not kept per model, so it is priced at the dearest
// model's list price (an estimate from above); a model the table does
// not know makes the cost unknown rather than a guess.
func EstimateCanaryCost(tokens int64, models []string) CostEstimate {
	var e CostEstimate
	worst := -1.0
	for _, m := range models {
		p, family, ok := modelPrice(m)
		if !ok {
			e.Unknown = append(e.Unknown, m)
			continue
		}
		if r := canaryRate(p); r > worst {
			worst = r
			e.Basis = fmt.Sprintf("%s's list price, $%s input / $%s output per million tokens", family, dollars(p.Input), dollars(p.Output))
		}
	}
	if len(e.Unknown) > 0 || worst < 0 {
		return CostEstimate{Unknown: e.Unknown}
	}
	e.Known, e.Dollars = true, float64(tokens)*worst
	return e
}

// dollars is a price without trailing zeros: "5", "0.8", "1.25".
func dollars(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}
