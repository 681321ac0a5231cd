package probe

import (
	"fmt"
	"time"
)

// JudgeInput is what Judge looks at.
type JudgeInput struct {
	Status     *Status             // latest official snapshot, nil if none
	Recent     map[Target][]Result // recent own results per target, oldest first
	Now        time.Time
	StaleAfter time.Duration // data older than this makes the verdict stale; 0 = never
	Local      *LocalReport  // latest local checks, nil if none (see refineLocal)
}

// Window is how many recent results per target Judge weighs: "3 of the
// last 5" everywhere a sentence counts probes.
const Window = 5

// Judge fuses the official status with our own probes into a Verdict, then
// sharpens it with the local checks and the evidence (verdict_local.go).
func Judge(in JudgeInput) Verdict {
	return refineLocal(judge(in), in)
}

func judge(in JudgeInput) Verdict {
	v := Verdict{}
	var newest time.Time
	for _, rs := range in.Recent {
		if n := len(rs); n > 0 && rs[n-1].Time.After(newest) {
			newest = rs[n-1].Time
		}
	}
	if in.Status != nil && in.Status.Fetched.After(newest) {
		newest = in.Status.Fetched
	}
	if newest.IsZero() {
		v.Kind = VerdictUnknown
		v.Headline = "Checking… no data yet."
		for _, s := range Services {
			v.Services = append(v.Services, ServiceVerdict{Service: s})
		}
		return v
	}
	if in.StaleAfter > 0 && in.Now.Sub(newest) > in.StaleAfter {
		v.Stale = true
	}

	// A network failure on every HTTP target at once is the user's network,
	// whatever the services say individually.
	if netDown(in.Recent) {
		v.Kind = VerdictLocalNetwork
		v.Headline = "Your network: no Anthropic host answers from here."
		v.Facts = append(v.Facts, "every HTTP probe failed at the network level (DNS, connect, TLS or timeout)")
	}

	worst := VerdictUnknown
	for _, s := range Services {
		sv := judgeService(s, in)
		if v.Kind == VerdictLocalNetwork && sv.Kind != VerdictUnknown {
			sv.Kind = VerdictLocalNetwork
		}
		v.Services = append(v.Services, sv)
		if rank(sv.Kind) > rank(worst) {
			worst = sv.Kind
		}
	}
	if v.Kind == VerdictLocalNetwork {
		return v
	}
	v.Kind = worst
	for _, sv := range v.Services {
		if sv.Kind == worst {
			v.Facts = append(v.Facts, sv.Facts...)
		}
	}
	if len(v.Facts) > 3 {
		v.Facts = v.Facts[:3]
	}
	v.Headline = headline(worst, v.Services)
	return v
}

func rank(k VerdictKind) int { return int(k) }

func headline(k VerdictKind, svs []ServiceVerdict) string {
	names := ""
	for _, sv := range svs {
		if sv.Kind == k {
			if names != "" {
				names += ", "
			}
			names += sv.Service.Name
		}
	}
	switch k {
	case VerdictOperational:
		return "All clear: Anthropic reports no problem and our probes succeed."
	case VerdictDegraded:
		return "Degraded: " + names + " slow or partly impaired."
	case VerdictMaintenance:
		return "Maintenance: " + names + " under scheduled maintenance."
	case VerdictConflicting:
		return "Conflicting: Anthropic reports a problem with " + names + " but our probes succeed."
	case VerdictLocalQuota:
		return "Your side: quota, rate limit or billing on your account."
	case VerdictLocalCredential:
		return "Your side: your API key or login is rejected."
	case VerdictLocalNetwork:
		return "Your network: " + names + " unreachable from here."
	case VerdictUnacknowledged:
		return "Anthropic problem, not yet acknowledged: " + names + " failing from here."
	case VerdictOutage:
		return "Anthropic outage: " + names + "."
	}
	return "Not enough data yet."
}

func judgeService(s Service, in JudgeInput) ServiceVerdict {
	sv := ServiceVerdict{Service: s, Kind: VerdictUnknown}
	if c, ok := in.Status.Component(s.ComponentID, s.ComponentName); ok {
		sv.Official = c.Status
	}
	var provider, user, network, slow, ok, total int
	// remote counts results of targets that reach Anthropic over the
	// network; the local CLI checks say nothing about Anthropic's side, so
	// only remote results can contradict the status page.
	var remote, remoteUp int
	var userClass Class
	userMajority := false
	for _, t := range s.Targets {
		rs := in.Recent[t]
		if n := len(rs); n > 0 {
			last := rs[n-1]
			if sv.Latest == nil || last.Time.After(sv.Latest.Time) {
				l := last
				sv.Latest = &l
			}
		}
		if len(rs) > Window {
			rs = rs[len(rs)-Window:]
		}
		var tUser, tTotal int
		var tUserClass Class
		for _, r := range rs {
			if r.Class == ClassUnknown {
				// "not installed", "no key configured", no data: says
				// nothing either way, and must not dilute the rest.
				continue
			}
			total++
			tTotal++
			if t != TargetCode {
				remote++
				if r.Class.Up() {
					remoteUp++
				}
			}
			switch {
			case r.Class == ClassOK:
				ok++
			case r.Class == ClassSlow:
				slow++
			case r.Class.ProviderSide():
				provider++
			case r.Class.UserSide():
				user++
				tUser++
				tUserClass = r.Class
			case r.Class == ClassNetwork:
				network++
			}
		}
		// A credential or quota problem shows on the one target that uses
		// the credential; judged per target so the reachability probe's
		// successes next to it cannot outvote it.
		if tUser > 0 && tUser*2 >= tTotal && !userMajority {
			userMajority = true
			userClass = tUserClass
		}
	}
	officialBad := sv.Official.Outage()
	officialDegraded := sv.Official == ComponentDegraded
	failing := provider*2 > total && total > 0
	if failing {
		sv.Facts = append(sv.Facts, fmt.Sprintf("%d of the last %d %s probes failed on Anthropic's side", provider, total, s.Name))
	}
	if sv.Official != "" {
		sv.Facts = append(sv.Facts, fmt.Sprintf("Anthropic reports %s as %s", s.Name, sv.Official))
	}
	switch {
	case officialBad && failing:
		sv.Kind = VerdictOutage
	case failing && (officialDegraded || sv.Official == ComponentMaintenance):
		sv.Kind = VerdictOutage
	case failing:
		sv.Kind = VerdictUnacknowledged
	case userMajority:
		if userClass == ClassAuth {
			sv.Kind = VerdictLocalCredential
		} else {
			sv.Kind = VerdictLocalQuota
		}
		sv.Facts = append(sv.Facts, fmt.Sprintf("%d of the last %d probes got %s", user, total, userClass))
	case network*2 > total && total > 0:
		sv.Kind = VerdictLocalNetwork
		sv.Facts = append(sv.Facts, fmt.Sprintf("%d of the last %d probes failed at the network level", network, total))
	case officialBad && remote > 0 && remoteUp == remote && ok+slow == total:
		sv.Kind = VerdictConflicting
	case officialBad:
		sv.Kind = VerdictOutage
	case sv.Official == ComponentMaintenance:
		sv.Kind = VerdictMaintenance
	case officialDegraded || (slow > 0 && slow*2 >= total) || provider > 0:
		sv.Kind = VerdictDegraded
		if provider > 0 && !failing {
			sv.Facts = append(sv.Facts, fmt.Sprintf("%d of the last %d probes failed on Anthropic's side", provider, total))
		}
	case total > 0 || sv.Official == ComponentOperational:
		sv.Kind = VerdictOperational
	}
	return sv
}

func netDown(recent map[Target][]Result) bool {
	seen := 0
	for _, t := range []Target{TargetStatus, TargetAPI, TargetAPIKey, TargetClaudeAI} {
		rs := recent[t]
		if len(rs) == 0 || rs[len(rs)-1].Class == ClassUnknown {
			continue // e.g. api_key with no key configured
		}
		seen++
		if rs[len(rs)-1].Class != ClassNetwork {
			return false
		}
	}
	return seen >= 2
}
