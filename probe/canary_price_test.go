package probe

import (
	"math"
	"strings"
	"testing"
)

func TestModelPrice(t *testing.T) {
	for _, tt := range []struct {
		id   string
		want Price
		ok   bool
	}{
		{"claude-opus-4-5", Price{5, 25}, true},
		{"claude-opus-4-5-20251101", Price{5, 25}, true},
		{"claude-opus-4-1", Price{15, 75}, true},
		{"claude-sonnet-4-5", Price{3, 15}, true},
		{"claude-haiku-4-5", Price{1, 5}, true},
		{"claude-3-5-haiku-20241022", Price{0.8, 4}, true},
		{"claude-3-haiku-20240307", Price{0.25, 1.25}, true},
		{"claude-nova-1", Price{}, false},
		{"gpt-4o", Price{}, false},
	} {
		if got, ok := ModelPrice(tt.id); got != tt.want || ok != tt.ok {
			t.Errorf("ModelPrice(%q) = %v %v (name %q), want %v %v", tt.id, got, ok, ModelName(tt.id), tt.want, tt.ok)
		}
	}
}

// TestEstimateCanaryCost: the estimate is priced at the dearest model's
// list price and names it; a model the table does not know makes the
// cost unknown, never a guess shown as an estimate.
func TestEstimateCanaryCost(t *testing.T) {
	e := EstimateCanaryCost(10_000, []string{"claude-haiku-4-5", "claude-opus-4-5"})
	if !e.Known || math.Abs(e.Dollars-10_000*(0.9*5+0.1*25)/1e6) > 1e-9 {
		t.Errorf("estimate %+v, want $0.07 at Opus 4.5's price", e)
	}
	if !strings.Contains(e.Basis, "Claude Opus 4.5") || !strings.Contains(e.Basis, "$5 input / $25 output per million") {
		t.Errorf("basis %q does not name the price used", e.Basis)
	}
	u := EstimateCanaryCost(10_000, []string{"claude-haiku-4-5", "claude-nova-1"})
	if u.Known || u.Dollars != 0 || len(u.Unknown) != 1 || u.Unknown[0] != "claude-nova-1" {
		t.Errorf("with an unknown model: %+v, want unknown naming claude-nova-1", u)
	}
	if e := EstimateCanaryCost(5, nil); e.Known {
		t.Errorf("no models: %+v", e)
	}
	if got := dollars(0.8) + " " + dollars(1.25) + " " + dollars(5); got != "0.8 1.25 5" {
		t.Errorf("dollars: %q", got)
	}
}
