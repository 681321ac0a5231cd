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

// MostlyFailing reports whether t's recent results rs (oldest first)
// failed two times in three or more, in the window and in its newest
// half, as the banner's "failing from here most of the time" judges them
// (recover is --recover-threshold): the same view as Alternating, so the
// Live tab's line agrees with the banner beside it.
func MostlyFailing(t probe.Target, rs []probe.Result, recover int) bool {
	if len(rs) > Window {
		rs = rs[len(rs)-Window:]
	}
	return watch(t, rs, recover, true).mostFail
}
