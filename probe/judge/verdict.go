package judge

import (
	"fmt"
	"time"

	"downforai/probe"
)

// Input is what Judge looks at.
type Input struct {
	Status     *probe.Status                   // latest official snapshot, nil if none
	Recent     map[probe.Target][]probe.Result // recent own results per target, oldest first
	Now        time.Time
	StaleAfter time.Duration      // data older than this makes the verdict stale; 0 = never
	Local      *probe.LocalReport // latest local checks, nil if none (see refineLocal)
}

// Window is how many recent results per target Judge weighs: "3 of the
// last 5" everywhere a sentence counts probes.
const Window = 5

// Judge fuses the official status with our own probes into a Verdict, then
// sharpens it with the local checks and the evidence (verdict_local.go).
func Judge(in Input) probe.Verdict {
	return refineLocal(judge(in), in)
}

func judge(in Input) probe.Verdict {
	v := probe.Verdict{}
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
		v.Kind = probe.VerdictUnknown
		v.Headline = "Checking… no data yet."
		for _, s := range probe.Services() {
			v.Services = append(v.Services, probe.ServiceVerdict{Service: s})
		}
		return v
	}
	if in.StaleAfter > 0 && in.Now.Sub(newest) > in.StaleAfter {
		v.Stale = true
	}

	// A network failure on every HTTP target at once is the user's network,
	// whatever the services say individually.
	if netDown(in.Recent) {
		v.Kind = probe.VerdictLocalNetwork
		v.Headline = "Your network: no Anthropic host answers from here."
		v.Facts = append(v.Facts, "every HTTP probe failed at the network level (DNS, connect, TLS or timeout)")
	}

	worst := probe.VerdictUnknown
	for _, s := range probe.Services() {
		sv := judgeService(s, in)
		if v.Kind == probe.VerdictLocalNetwork && sv.Kind != probe.VerdictUnknown {
			sv.Kind = probe.VerdictLocalNetwork
		}
		v.Services = append(v.Services, sv)
		if rank(sv.Kind) > rank(worst) {
			worst = sv.Kind
		}
	}
	if v.Kind == probe.VerdictLocalNetwork {
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

func rank(k probe.VerdictKind) int { return int(k) }

func headline(k probe.VerdictKind, svs []probe.ServiceVerdict) string {
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
	case probe.VerdictOperational:
		return "All clear: Anthropic reports no problem and our probes succeed."
	case probe.VerdictDegraded:
		return "Degraded: " + names + " slow or partly impaired."
	case probe.VerdictMaintenance:
		return "Maintenance: " + names + " under scheduled maintenance."
	case probe.VerdictConflicting:
		return "Conflicting: Anthropic reports a problem with " + names + " but our probes succeed."
	case probe.VerdictLocalQuota:
		return "Your side: quota, rate limit or billing on your account."
	case probe.VerdictLocalCredential:
		return "Your side: your API key or login is rejected."
	case probe.VerdictLocalNetwork:
		return "Your network: " + names + " unreachable from here."
	case probe.VerdictUnacknowledged:
		return "Anthropic problem, not yet acknowledged: " + names + " failing from here."
	case probe.VerdictOutage:
		return "Anthropic outage: " + names + "."
	}
	return "Not enough data yet."
}

// judgeService is one service's verdict: its latest result, the tally of
// its recent results, the row of the decision table (decide) and the facts
// that row rests on.
func judgeService(s probe.Service, in Input) probe.ServiceVerdict {
	sv := probe.ServiceVerdict{Service: s, Kind: probe.VerdictUnknown}
	if c, ok := in.Status.Component(s.ComponentID, s.ComponentName); ok {
		sv.Official = c.Status
	}
	var t tally
	for _, tg := range s.Targets {
		rs := in.Recent[tg]
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
		t.add(tg, rs)
	}
	sv.Kind = decide(t, sv.Official)
	sv.Facts = serviceFacts(s, t, sv.Official, sv.Kind)
	return sv
}

// tally counts one service's recent judged results (class unknown — "not
// installed", "no key configured" — says nothing either way and must not
// dilute the rest).
type tally struct {
	provider, user, network, slow, ok, total int
	// remote counts results of targets that reach Anthropic over the
	// network; the local CLI checks say nothing about Anthropic's side, so
	// only remote results can contradict the status page.
	remote, remoteUp int
	// userMajority is set by the first target whose results are at least
	// half user failures; userClass is that target's newest user class.
	userMajority bool
	userClass    probe.Class
}

// add counts one target's recent results.
func (t *tally) add(tg probe.Target, rs []probe.Result) {
	var tUser, tTotal int
	var tUserClass probe.Class
	for _, r := range rs {
		if r.Class == probe.ClassUnknown {
			continue
		}
		t.total++
		tTotal++
		if tg != probe.TargetCode {
			t.remote++
			if r.Class.Up() {
				t.remoteUp++
			}
		}
		switch {
		case r.Class == probe.ClassOK:
			t.ok++
		case r.Class == probe.ClassSlow:
			t.slow++
		case r.Class.ProviderSide():
			t.provider++
		case r.Class.UserSide():
			t.user++
			tUser++
			tUserClass = r.Class
		case r.Class == probe.ClassNetwork:
			t.network++
		}
	}
	// A credential or quota problem shows on the one target that uses
	// the credential; judged per target so the reachability probe's
	// successes next to it cannot outvote it.
	if tUser > 0 && tUser*2 >= tTotal && !t.userMajority {
		t.userMajority = true
		t.userClass = tUserClass
	}
}

// failing: more than half of the judged results are Anthropic's failures.
func (t tally) failing() bool { return t.provider*2 > t.total && t.total > 0 }

// decide is the per-service decision table (doc.go): the first row that
// holds.
func decide(t tally, official probe.ComponentStatus) probe.VerdictKind {
	bad := official.Outage()
	degraded := official == probe.ComponentDegraded
	maintenance := official == probe.ComponentMaintenance
	allUp := t.remote > 0 && t.remoteUp == t.remote && t.ok+t.slow == t.total
	switch {
	case bad && t.failing():
		return probe.VerdictOutage
	case t.failing() && (degraded || maintenance):
		return probe.VerdictOutage
	case t.failing():
		return probe.VerdictUnacknowledged
	case t.userMajority && t.userClass == probe.ClassAuth:
		return probe.VerdictLocalCredential
	case t.userMajority:
		return probe.VerdictLocalQuota
	case t.network*2 > t.total && t.total > 0:
		return probe.VerdictLocalNetwork
	case bad && allUp:
		return probe.VerdictConflicting
	case bad:
		return probe.VerdictOutage
	case maintenance:
		return probe.VerdictMaintenance
	case degraded || (t.slow > 0 && t.slow*2 >= t.total) || t.provider > 0:
		return probe.VerdictDegraded
	case t.total > 0 || official == probe.ComponentOperational:
		return probe.VerdictOperational
	}
	return probe.VerdictUnknown
}

// serviceFacts are the facts behind the service's verdict k: Anthropic's
// failures, the official word, then what the row decided on.
func serviceFacts(s probe.Service, t tally, official probe.ComponentStatus, k probe.VerdictKind) []string {
	var facts []string
	if t.failing() {
		facts = append(facts, fmt.Sprintf("%d of the last %d %s probes failed on Anthropic's side", t.provider, t.total, s.Name))
	}
	if official != "" {
		facts = append(facts, fmt.Sprintf("Anthropic reports %s as %s", s.Name, official))
	}
	switch k {
	case probe.VerdictLocalCredential, probe.VerdictLocalQuota:
		facts = append(facts, fmt.Sprintf("%d of the last %d probes got %s", t.user, t.total, t.userClass))
	case probe.VerdictLocalNetwork:
		facts = append(facts, fmt.Sprintf("%d of the last %d probes failed at the network level", t.network, t.total))
	case probe.VerdictDegraded:
		if t.provider > 0 && !t.failing() {
			facts = append(facts, fmt.Sprintf("%d of the last %d probes failed on Anthropic's side", t.provider, t.total))
		}
	}
	return facts
}

func netDown(recent map[probe.Target][]probe.Result) bool {
	seen := 0
	for _, t := range []probe.Target{probe.TargetStatus, probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI} {
		rs := recent[t]
		if len(rs) == 0 || rs[len(rs)-1].Class == probe.ClassUnknown {
			continue // e.g. api_key with no key configured
		}
		seen++
		if rs[len(rs)-1].Class != probe.ClassNetwork {
			return false
		}
	}
	return seen >= 2
}
