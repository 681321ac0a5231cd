package judge

import "downforai/probe"

// Alternating reports whether t's recent results rs (oldest first) take
// turns failing and answering, as the banner's "Unstable: 5 of the last 12"
// judges them (recover is --recover-threshold). The Live tab asks it so
// that a probe answering in the middle of a flap is not told as a recovery
// ("succeed again since …") under a banner that says Unstable.
func Alternating(t probe.Target, rs []probe.Result, recover int) bool {
	if len(rs) > Window {
		rs = rs[len(rs)-Window:]
	}
	return watch(t, rs, recover, true).unstable
}
