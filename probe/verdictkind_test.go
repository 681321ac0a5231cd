package probe

import "testing"

// TestVerdictTitleHedgesLikeItsHeadline: the banner's title never states
// as a fact what the sentence under it only infers.
func TestVerdictTitleHedgesLikeItsHeadline(t *testing.T) {
	for _, c := range []struct {
		kind     VerdictKind
		headline string
		want     string
	}{
		{VerdictLocalNetwork, "Likely your network or a proxy on the path: every Anthropic host and the status page accepted the connection, then did not answer (timed out after 2s).", "Likely your network"},
		{VerdictLocalNetwork, "Your network or proxy: no Anthropic host answers from here (DNS lookup of api.anthropic.com failed: no such host).", "Your network"},
		{VerdictLocalCredential, "Likely your credential: …", "Likely your credential"},
		{VerdictLocalQuota, "Your quota: the API answers 429 rate_limit_error.", "Your quota or billing"},
		// Only a verdict on the user's side is hedged in its title.
		{VerdictUnacknowledged, "Likely an Anthropic problem …", "Not yet acknowledged by Anthropic"},
		{VerdictOperational, "All clear: our probes succeed and Anthropic reports no problem.", "Operational"},
	} {
		if got := (Verdict{Kind: c.kind, Headline: c.headline}).Title(); got != c.want {
			t.Errorf("%v %q: title %q, want %q", c.kind, c.headline, got, c.want)
		}
	}
}
