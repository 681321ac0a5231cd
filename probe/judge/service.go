// The judgement of one service: its targets' views against its official
// component (the decision table's rows, service by service).

package judge

import (
	"fmt"
	"slices"
	"strings"

	"downforai/probe"
)

// component is the service's official status, when a page that counts was
// read: the status, whether the page lists it, and the open incident or
// maintenance in progress that names it.
func (j judgement) component(s probe.Service) (st probe.ComponentStatus, onPage bool, inc, mnt *probe.Incident) {
	if !j.off.drives {
		return "", false, nil, nil
	}
	c, ok := j.off.st.Component(s.ComponentID, s.ComponentName)
	if ok {
		st = c.Status
	}
	for i := range j.off.st.Incidents {
		in := j.off.st.Incidents[i]
		if !in.Final() && !in.Maintenance() && slices.Contains(in.Components, s.ComponentID) && inc == nil {
			inc = &in
		}
	}
	for i := range j.off.st.Maintenances {
		in := j.off.st.Maintenances[i]
		if (in.Status == "in_progress" || in.Status == "verifying") && slices.Contains(in.Components, s.ComponentID) && mnt == nil {
			mnt = &in
		}
	}
	return st, ok, inc, mnt
}

// worst is the state that speaks for the service among its targets' views:
// someone else answering beats a local fault, which beats Anthropic's
// side, then a host refusing, then your account, then up.
func worst(vs []view) view {
	order := []state{sConfig, sPath, sProxy, sTLS, sDNS, sNoRoute, sAnthropic, sUnreach, sAccount, sLimited, sCLI, sSlow, sUp, sNone}
	best := view{}
	bi := len(order)
	for _, v := range vs {
		s := v.state
		if v.unstable {
			s = sAnthropic // ranked with the failures, said as unstable
		}
		i := slices.Index(order, s)
		if v.unstable && !v.state.failing() {
			// On and off, answering now: below a credential or quota
			// refused now (a 429 on the key after a blip is the user's
			// limit, not the blip), above a slow answer: with the CLI's
			// problems, the rank right after sLimited.
			i = slices.Index(order, sCLI)
		}
		if i >= 0 && i < bi {
			best, bi = v, i
		}
	}
	return best
}

// service judges one service: its targets' views against its official
// component, in three steps — the views that judge it (serviceViews), the
// decision table (serviceKind), then what is said beside it.
func (j judgement) service(s probe.Service) probe.ServiceVerdict {
	sv := probe.ServiceVerdict{Service: s, Kind: probe.VerdictUnknown}
	comp, onPage, inc, mnt := j.component(s)
	sv.Official = comp
	sv.NotOnPage = j.off.drives && !onPage
	vs, noModelList, unjudged, keyless := j.serviceViews(s, &sv)
	w := worst(vs)
	// Only probes that cross the network can contradict the page: the
	// local CLI answering says nothing about Anthropic's side.
	remote := false
	for _, v := range vs {
		if v.target != probe.TargetCode && v.target != probe.TargetSessions && v.state != sNone {
			remote = true
		}
	}
	if w.target == probe.TargetSessions && w.state != sNone {
		comp, onPage, inc, mnt = j.sessionsComponent(comp, onPage, inc, mnt)
	}
	sv.Kind = j.serviceKind(s, w, comp, onPage, inc, mnt, remote)
	if (j.oneCall(w) || j.sessionsBeforeLocal(w)) && (sv.Kind == probe.VerdictUnacknowledged || sv.Kind == probe.VerdictFailing) {
		// One failed call, while our probes pass, is an observation,
		// not an outage: red needs persistence, as a probe's does. Nor
		// do calls that failed before our API probe stopped reaching
		// the API from here outrank that live local failure.
		sv.Kind = probe.VerdictDegraded
	}
	if s.Key == "claude_code" && (sv.Kind.Rank() <= probe.VerdictConflicting.Rank() || j.loginRefusalLeads(w)) {
		if c, ok := codeLoginProblem(j.in.Local); ok {
			sv.Kind = probe.VerdictLocalCredential
			sv.Facts = append(sv.Facts, c.Text)
		}
	}
	sv.Gateway = sv.Kind == probe.VerdictUnreachable && j.throughGatewayFails(w)
	sv.Facts = append(sv.Facts, j.serviceFacts(sv, w, inc, mnt)...)
	switch {
	case keyless != nil && !anyJudged(vs):
		// The gateway answered for itself; the API was not asked. What
		// the page reports of it stands (a major outage still leads),
		// but no "operational" of ours (issue 19).
		if sv.Kind.Rank() <= probe.VerdictOperational.Rank() {
			sv.Kind = probe.VerdictUnknown
		} else {
			// What stands is the page's: said as Anthropic's report.
			sv.PageOnly = j.off.drives
		}
		sv.Facts = append(sv.Facts, j.keylessFact(*keyless))
	case unjudged != nil && len(vs) == 0:
		// Nothing else of ours judged it: the page's report is not ours.
		sv.Kind = probe.VerdictUnknown
		sv.Facts = append(sv.Facts, unlistedFact)
	case unjudged != nil:
		// A canary asked /v1/messages there and did not answer (529,
		// a timeout): its own fact says what it got; the 404 is a note.
		sv.Facts = append(sv.Facts, "GET /v1/models answers 404 Not Found under the API URL set (a gateway that lists no models, or a wrong URL)")
	case noModelList != nil:
		sv.Facts = append(sv.Facts, "GET /v1/models answers 404 Not Found under the API URL set (a gateway that lists no models?) while the canaries' /v1/messages answers there")
	}
	if s.Key == "claude_code" && sv.Kind.Rank() > probe.VerdictOperational.Rank() {
		// First, so the verdict's three facts keep it when services merge.
		sv.Facts = append(j.sessionsFacts(w), sv.Facts...)
	}
	return sv
}

// anyJudged reports whether any of the views says something (not sNone).
func anyJudged(vs []view) bool {
	return slices.ContainsFunc(vs, func(v view) bool { return v.state != sNone })
}

// ackedDuring reports whether the page showed a problem (an indicator
// other than none) while this failure went on, though it shows none now:
// Anthropic acknowledged it and has marked it resolved while our probes
// still fail. That is not "not yet acknowledged".
func (j judgement) ackedDuring(w view) bool {
	if !j.off.drives || j.off.st.Indicator != "none" {
		// The page shows a problem now: whether it names this service
		// is known (its component, its incidents), and a problem of
		// another service is no acknowledgment of this one.
		return false
	}
	for _, r := range j.in.Recent[probe.TargetStatus] {
		if r.Time.Before(w.since) || !r.Class.Up() {
			continue
		}
		if ind := r.Detail; ind != "" && ind != "none" && ind != "maintenance" {
			return true
		}
	}
	return false
}

// serviceViews are the views of the service's targets that judge it, with
// sv.Latest set to the newest result among them; noModelList is the API's
// /v1/models 404 under a user's URL, unjudged the same when nothing else
// (no canary's /v1/messages) says whether the API answers there; keyless
// the keyless probe's view of a gateway that asks for a key of its own
// when none is set (keyUnasked).
func (j judgement) serviceViews(s probe.Service, sv *probe.ServiceVerdict) (vs []view, noModelList, unjudged, keyless *view) {
	for _, t := range j.targets(s) {
		v, ok := j.views[t]
		if !ok {
			continue
		}
		if j.keyUnasked(v) {
			// The gateway asked for a key of its own and none is set:
			// its answer is not the API's, so it judges nothing.
			keyless = &v
			continue
		}
		if j.modelsUnlisted(v) {
			// Not every API path 404s: the canaries' /v1/messages
			// answers under the same URL, so it is the API's (a gateway
			// that lists no models), not the setting; said as a fact.
			// With no /v1/messages asked there, neither is known: the
			// API is not judged (issue 19 leftover 3).
			if !j.messagesAnswer() {
				unjudged = &v
			}
			noModelList = &v
			continue
		}
		vs = append(vs, v)
		if v.latest.Target != "" && (sv.Latest == nil || v.latest.Time.After(sv.Latest.Time)) {
			l := v.latest
			sv.Latest = &l
		}
	}
	if keyless != nil && sv.Latest == nil {
		l := keyless.latest
		sv.Latest = &l
	}
	if unjudged != nil && sv.Latest == nil {
		// The 404 is the newest result only when nothing else judged
		// the API: a canary's 529 is the failure to name, not the 404.
		l := unjudged.latest
		sv.Latest = &l
	}
	return vs, noModelList, unjudged, keyless
}

// serviceKind is the decision table of one service: the state that speaks
// for it among its views (w), against its component on the page, an open
// incident or maintenance, and whether any probe of ours across the
// network judged it (remote). The first row that holds decides.
func (j judgement) serviceKind(s probe.Service, w view, comp probe.ComponentStatus, onPage bool, inc, mnt *probe.Incident, remote bool) probe.VerdictKind {
	acked := comp.Outage() || comp == probe.ComponentDegraded || inc != nil
	switch {
	case w.unstable && (comp == probe.ComponentMaintenance || mnt != nil):
		return probe.VerdictMaintenance
	case w.unstable && acked:
		return probe.VerdictOutage
	case w.mostly() && j.off.drives && onPage:
		return probe.VerdictUnacknowledged
	case w.mostly():
		return probe.VerdictFailing
	case w.unstable:
		return probe.VerdictDegraded
	case w.state == sConfig || j.configuredHost(w) != "" || j.gatewayDown(w) != "" || j.claudeDown(w) != "":
		return probe.VerdictLocalConfig
	case w.state == sPath || w.state.local():
		return probe.VerdictLocalNetwork
	case j.gatewayCut(w):
		// The gateway the user set took the connection, then cut it or
		// hung: not Anthropic seen failing, whose host we did not ask.
		return probe.VerdictUnreachable
	case w.state == sAnthropic && (comp == probe.ComponentMaintenance || mnt != nil):
		return probe.VerdictMaintenance
	case w.state == sAnthropic && (acked || j.ackedDuring(w)):
		return probe.VerdictOutage
	case w.state == sAnthropic && j.off.drives && onPage:
		return probe.VerdictUnacknowledged
	case w.state == sAnthropic:
		return probe.VerdictFailing
	case w.state == sUnreach:
		return probe.VerdictUnreachable
	case w.state == sAccount && w.evidence.Class == probe.ClassAuth:
		return probe.VerdictLocalCredential
	case w.state == sAccount:
		return probe.VerdictLocalQuota
	case w.state == sLimited, w.state == sCLI:
		return probe.VerdictDegraded
	case w.state.up() && comp.Outage() && remote:
		if _, failed := j.newestFailed(s); failed {
			// The newest probe failed: it agrees with the page, whatever
			// the one before said (cold6 E1: "Conflicting: … but our
			// probes succeed" beside ✖ rows at an outage's onset).
			return probe.VerdictOutage
		}
		return probe.VerdictConflicting
	case w.state.up() && (comp == probe.ComponentMaintenance || mnt != nil):
		return probe.VerdictMaintenance
	case w.state == sSlow || (w.state.up() && comp == probe.ComponentDegraded):
		return probe.VerdictDegraded
	case w.state.up() && remote:
		return probe.VerdictOperational
	case comp.Outage():
		// Nothing of ours speaks for it (Claude Code without the CLI):
		// what Anthropic reports is the fact we have.
		return probe.VerdictOutage
	case comp == probe.ComponentMaintenance || mnt != nil:
		return probe.VerdictMaintenance
	case comp == probe.ComponentDegraded:
		return probe.VerdictDegraded
	case comp == probe.ComponentOperational, w.state.up():
		return probe.VerdictOperational
	}
	return probe.VerdictUnknown
}

// serviceFacts are the service's own facts: our probes, then the page.
func (j judgement) serviceFacts(sv probe.ServiceVerdict, w view, inc, mnt *probe.Incident) []string {
	var facts []string
	name := sv.Service.Name
	switch {
	case w.unstable && w.target == probe.TargetSessions:
		// sessionsFacts says it, as calls, not probes.
	case w.unstable:
		facts = append(facts, j.unstableOf(sv, w))
	case w.state.failing():
		facts = append(facts, j.evidenceLine(w.evidence, j.in.Local))
		if w.pending > 0 {
			facts = append(facts, fmt.Sprintf("the last %d probe%s succeeded: recovering", w.pending, probe.Plural(w.pending)))
		}
	}
	if k, ok := j.views[probe.TargetAPIKey]; ok && sv.Service.Key == "api" && !w.state.failing() {
		if alt, ok := strings.CutPrefix(k.latest.Detail, probe.AlsoPrefix); ok {
			facts = append(facts, "the credential Claude Code sends works; also set, not sent by it: "+alt)
		}
	}
	switch {
	case sv.NotOnPage:
		facts = append(facts, name+" is not on the status page")
	case sv.Official != "":
		facts = append(facts, j.pageSays(name+" as "+sv.Official.String()))
	}
	if inc != nil {
		facts = append(facts, fmt.Sprintf("status page incident: %s (%s)", probe.Line(inc.Name, 80), probe.StatusWord(inc.Status)))
	}
	if mnt != nil {
		facts = append(facts, "maintenance in progress: "+probe.Line(mnt.Name, 80)+j.until(mnt))
	}
	return facts
}

// pageSays is "Anthropic reports X", with the read's age when the page can
// no longer be read.
func (j judgement) pageSays(what string) string {
	if j.off.state == probe.OfficialFresh {
		return "Anthropic reports " + what
	}
	return "Anthropic reported " + what + " (last read " + j.clockIn(j.off.read) + ")"
}

// until is " until 16:00 UTC" for a maintenance with an end.
func (j judgement) until(m *probe.Incident) string {
	if m == nil || m.ScheduledUntil.IsZero() {
		return ""
	}
	return " until " + j.zoned(m.ScheduledUntil, "15:04 MST")
}
