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

// MostlyFailing reports whether rs (oldest first, the newest Window of
// them) failed two times in three or more, in the whole and in the newest
// half: a target unstable that way is failing with answers now and then,
// as the banner says it ("failing from here most of the time").
func MostlyFailing(rs []probe.Result) bool {
	if len(rs) > Window {
		rs = rs[len(rs)-Window:]
	}
	var fails []bool
	for _, r := range rs {
		if r.Class != probe.ClassUnknown {
			fails = append(fails, r.Class.Failing())
		}
	}
	return mostlyFailed(fails)
}
