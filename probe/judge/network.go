package judge

import "downforai/probe"

// networkWide is the one rule for "your network", shared by the verdict
// and the incident detector: every HTTP target with a judged result fails
// at the network level, and those results come from at least two hosts.
// The API's two probes (without and with a key) ask one host, so the API
// refusing both, while claude.ai and the status page have not answered
// yet, is the API unreachable — never your network. latest gives a
// target's latest result (Target "" or ClassUnknown: none judged yet). The
// first failure, in httpTargets order, is returned as the cause.
func networkWide(latest func(probe.Target) probe.Result) (probe.Result, bool) {
	var cause probe.Result
	hosts := map[string]bool{}
	for _, t := range httpTargets {
		r := latest(t)
		if r.Class == probe.ClassUnknown || r.Target == "" {
			continue
		}
		if r.Class != probe.ClassNetwork {
			return probe.Result{}, false
		}
		if cause.Target == "" {
			cause = r
		}
		hosts[hostOf(t)] = true
	}
	return cause, len(hosts) >= 2
}

// hostOf names the host a target asks: the API's two probes share one.
func hostOf(t probe.Target) string {
	if t == probe.TargetAPIKey {
		return string(probe.TargetAPI)
	}
	return string(t)
}
