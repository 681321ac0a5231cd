package judge

import (
	"downforai/probe"
	"downforai/probe/catalogue"
)

// worseOff reports whether a is worse off than b, both failing the same
// way: the page says worse of it (major before partial before degraded),
// or, the same there, its failure is the more severe (529 before 503).
func (j judgement) worseOff(a, b probe.ServiceVerdict) bool {
	av, bv := j.leadView(a), j.leadView(b)
	if !av.state.failing() || !bv.state.failing() || av.unstable != bv.unstable {
		return false
	}
	if sa, sb := componentSeverity(a.Official), componentSeverity(b.Official); sa != sb {
		return sa > sb
	}
	return av.evidence.Class.Severity() > bv.evidence.Class.Severity()
}

func componentSeverity(s probe.ComponentStatus) int {
	switch s {
	case probe.ComponentMajorOutage:
		return 3
	case probe.ComponentPartialOutage:
		return 2
	case probe.ComponentDegraded:
		return 1
	}
	return 0
}

// refusalLeads keeps the user's own refusal the verdict when what outranks
// it rests only on Claude Code's recorded session calls: a live probe of
// ours being refused the credential or quota (401, 403, 429, billing) is
// what every request with it meets now, while the sessions' errors are
// minutes old and may be over. The outage is then said beside it ("Also
// failing from here: …"), as the rule for an acknowledged outage has it;
// a live failure of ours that outranks the refusal still leads.
func (j judgement) refusalLeads(svs []probe.ServiceVerdict, lead int) int {
	if j.leadView(svs[lead]).target != probe.TargetSessions {
		return lead
	}
	best := -1
	for i, sv := range svs {
		if i == lead || !j.probed(sv.Service) {
			continue
		}
		if sv.Kind != probe.VerdictLocalCredential && sv.Kind != probe.VerdictLocalQuota {
			continue
		}
		if w := j.leadView(sv); w.target == probe.TargetSessions || !w.state.failing() {
			continue
		}
		if best < 0 || sv.Kind.Rank() > svs[best].Kind.Rank() {
			best = i
		}
	}
	if best < 0 {
		return lead
	}
	return best
}

// ownLimit reports whether Claude Code's sessions are refused now in words
// that name the user's own account: the plan's usage limit ("You've hit
// your session limit"), the credit balance, a login refused (401). Those
// words beat "the API fails too": every call of the user's meets the
// limit whatever the API does, so the API failing from here is said
// beside it, not instead (a bare 429 without them stays "likely", and
// yields to a failure our probes see).
func (j judgement) ownLimit() bool {
	v, ok := j.views[probe.TargetSessions]
	if !ok || v.state != sAccount || v.unstable {
		return false
	}
	r := v.evidence
	if r.Class == probe.ClassBilling || r.Class == probe.ClassAuth {
		return true
	}
	e, _ := catalogue.MatchResult(r)
	return e.ID == catalogue.EntryUsageLimit
}

// ownLimitLeads puts Claude Code first when its sessions hit their own
// limit (ownLimit) and what would lead is a failure on Anthropic's side:
// the API at 529 read "not yet acknowledged" over "Your plan's limit"
// (cold4). A failure of the path from here still leads: it stops every
// call before any limit is met.
func (j judgement) ownLimitLeads(svs []probe.ServiceVerdict, lead int) int {
	if !j.ownLimit() {
		return lead
	}
	switch svs[lead].Kind {
	case probe.VerdictUnacknowledged, probe.VerdictFailing, probe.VerdictOutage, probe.VerdictMaintenance, probe.VerdictDegraded:
	default:
		return lead
	}
	for i, sv := range svs {
		if sv.Service.Key == "claude_code" && sv.Kind.Local() && j.leadView(sv).target == probe.TargetSessions {
			return i
		}
	}
	return lead
}
