// Which incident a failure belongs to: its side (category), its subject,
// and the unstable targets' own incidents.

package judge

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"downforai/probe"
)

// openUnstable opens an incident when the banner's rule calls a target
// unstable at one of its successes and no incident of ours holds it: of
// the subject of its newest failure in the window.
func (d *Detector) openUnstable(t probe.Target, tr *targetRun, changed map[*probe.LocalIncident]bool) {
	if !tr.unstable {
		return
	}
	for _, l := range d.open {
		if slices.Contains(l.Targets, t) {
			return
		}
	}
	for i := len(tr.window) - 1; i >= 0; i-- {
		r := tr.window[i]
		if !r.Class.Failing() {
			continue
		}
		subject, kind, service := d.subject(r, category(r))
		if kind == probe.KindYourNetwork {
			return // the network-wide rule decides that one
		}
		if l := d.open[subject]; l != nil {
			// The API's other target is already in one: this one joins.
			// What it held so far was the other target's steady run.
			if !l.Unstable && l.Kind != probe.KindYourNetwork && l.Failures > 0 {
				steady := l.Failures
				l.Unstable = true
				l.SteadyBefore, l.SteadyStatus, l.SteadyError = l.Class(), l.HTTPStatus, l.ErrorType
				l.SteadyClasses = copyClasses(l.Classes)
				if steady == 0 || !l.SteadyBefore.Failing() {
					l.SteadyBefore, l.SteadyClasses = probe.ClassUnknown, nil
				}
			}
			d.foldWindow(l, tr, subject)
			l.Unstable = true
			changed[l] = true
			return
		}
		l := &probe.LocalIncident{Subject: subject, Kind: kind, Service: service, Opened: d.now(),
			Classes: map[probe.Class]int{}, Hung: true, Unstable: true}
		d.foldWindow(l, tr, subject)
		l.ID = fmt.Sprintf("%016x/%s", uint64(l.FirstFailure.UnixNano()), subject)
		d.open[subject] = l
		changed[l] = true
		return
	}
}

// foldWindow adds the failures of subject in tr's window to l, and counts
// its other results as probed; the streak, part of the window, is then
// folded.
func (d *Detector) foldWindow(l *probe.LocalIncident, tr *targetRun, subject string) {
	pending := len(tr.streak)
	ended := d.endedBefore(tr)
	for i, r := range tr.window {
		if i >= len(tr.window)-pending {
			break // the current streak: fold adds it
		}
		if !r.Time.After(ended) {
			// An incident of this target that closed counted these: a
			// flap after a recovered run of 529s began after it, not at
			// the old run's last failure (the banner said "failing since"
			// a time of neither).
			continue
		}
		if classify(r, true) == sNone {
			continue
		}
		if r.Class.Failing() {
			if subj, _, _ := d.subject(r, category(r)); subj == subject {
				addFailure(l, r)
				d.hung(l, r)
				continue
			}
			l.Others++
		}
		l.Probes++
	}
}

// endedBefore is when the newest closed incident of tr's target ended:
// the results of its window until then were that incident's.
func (d *Detector) endedBefore(tr *targetRun) time.Time {
	var ended time.Time
	if len(tr.window) == 0 {
		return ended
	}
	t := tr.window[len(tr.window)-1].Target
	for _, l := range d.recent {
		if e := l.End(); slices.Contains(l.Targets, t) && e.After(ended) {
			ended = e
		}
	}
	return ended
}

// hung clears l.Hung when r is a network failure other than a timeout or
// reset after the connection (and TLS) were made: the judge's "accepted
// the connection, then did not answer". An HTTP answer (a 529) says
// nothing of it.
func (d *Detector) hung(l *probe.LocalIncident, r probe.Result) {
	if !hangs(r, d.local) {
		l.Hung = false
	}
}

// hangs reports whether r leaves an incident's Hung as it is (hung).
func hangs(r probe.Result, local *probe.LocalReport) bool {
	return r.Class != probe.ClassNetwork || classify(r, https(r.Target, local)) == sAnthropic
}

// category sorts a failure by whose side it points at; network failures are
// decided later, against the other targets.
func category(r probe.Result) string {
	switch {
	case r.Target == probe.TargetSessions:
		return sessionCategory(r)
	case r.Target == probe.TargetCode:
		return "yours" // the local CLI
	case r.Target.IsModel() && r.ErrorType == "not_found_error":
		return "yours" // a canary of a model that does not exist: the setting
	case r.Class == probe.ClassNetwork:
		return "net"
	case r.Class.UserSide():
		return "yours"
	case r.ErrorType == probe.ErrBaseURLV1, r.ErrorType == probe.ErrBaseURL404:
		// A URL the user set that is not the API's: the setting
		// (cold5 D34), never Anthropic's incident.
		return "yours"
	case r.ErrorType == ErrNotAnthropic,
		r.Class == probe.ClassUnexpected && (r.Target == probe.TargetAPI || r.Target == probe.TargetAPIKey) && (r.ErrorType == "html" || r.ErrorType == "not_json"):
		// Someone else answered (a proxy's, a filter's page): the path
		// from here, never Anthropic's incident (cold2 C12).
		return "yours"
	}
	return "provider"
}

// subject names the incident a failure belongs to.
func (d *Detector) subject(r probe.Result, cat string) (string, probe.IncidentKind, string) {
	if r.Target == probe.TargetSessions {
		return sessionSubject(cat)
	}
	if cat == "net" {
		if d.open["network"] != nil || d.networkWide() {
			return "network", probe.KindYourNetwork, ""
		}
		// One host not answering while others do: a timeout or reset is
		// the server's doing; a name, route or proxy failure is ours.
		if r.ErrorType == probe.NetTimeout || r.ErrorType == probe.NetReset {
			cat = "provider"
		} else {
			cat = "yours"
		}
	}
	if cat == "provider" && r.Target.IsModel() {
		// One incident per model, of the Claude API's component.
		return "provider:" + string(r.Target), probe.KindProvider, "api"
	}
	if cat == "provider" {
		if s, ok := probe.ServiceOf(r.Target); ok {
			return "provider:" + s.Key, probe.KindProvider, s.Key
		}
		return "provider:" + string(r.Target), probe.KindProvider, ""
	}
	return "yours:" + string(r.Target) + yoursKind(r), probe.KindYourSide, ""
}

// yoursKind tells apart the failures of one target on the user's side
// that are different troubles: the credential refused (""), the quota or
// billing (":quota"), the path answering or failing in Anthropic's place
// (":path": a proxy's 407, a block page, DNS, a URL set wrong). A proxy's
// 407 after 401s was counted into "credential rejected · all 12 probes
// failed" (cold walk of Dec 7); now it ends that one and opens its own.
func yoursKind(r probe.Result) string {
	switch {
	case r.Target == probe.TargetCode || r.Target.IsModel() || r.Target == probe.TargetSessions:
		return ""
	case r.Class == probe.ClassBilling || r.Class == probe.ClassRateLimited:
		return ":quota"
	case r.Class == probe.ClassAuth:
		return ""
	}
	return ":path"
}

// becomeUnstable marks l unstable, as tr's target now is by the banner's
// rule, and — the first time, on an incident that failed steadily until
// then — records that steady run (SteadyBefore): its failures are l's
// less the turns' (those of tr's window from its first success after a
// failure of l's subject, else its first success), its status that of
// the newest failure of its commonest class before that success (a 529
// just before the turns does not make 500s "failing (529)"). pending says tr's newest result is a failure of l's subject
// not yet folded into l. A steady run older than the window, with none of
// the turns' failures folded yet, is l's newest failure; one older with
// some folded has no status known ("failing, then unstable, …").
func (d *Detector) becomeUnstable(l *probe.LocalIncident, tr *targetRun, pending bool) {
	if l.Unstable || l.Kind == probe.KindYourNetwork {
		return
	}
	l.Unstable = true
	if l.Failures == 0 {
		return
	}
	w := tr.window
	if pending && len(w) > 0 {
		w = w[:len(w)-1]
	}
	ours := make([]bool, len(w))
	first, turned := -1, -1 // the window's first success; its first after a failure of ours
	for i, r := range w {
		if r.Class.Failing() {
			subj, _, _ := d.subject(r, category(r))
			ours[i] = subj == l.Subject
		}
		if r.Class.Up() && first < 0 {
			first = i
		}
		if r.Class.Up() && turned < 0 && slices.Contains(ours[:i], true) {
			turned = i
		}
	}
	if turned < 0 {
		turned = first
	}
	turns := map[probe.Class]int{}
	var pre []probe.Result // ours before the turns, oldest first
	for i, r := range w {
		switch {
		case !ours[i]:
		case turned >= 0 && i > turned:
			turns[r.Class]++
		default:
			pre = append(pre, r)
		}
	}
	steady := map[probe.Class]int{}
	n := 0
	for c, k := range l.Classes {
		if k -= turns[c]; k > 0 {
			steady[c] = k
			n += k
		}
	}
	if n == 0 {
		return
	}
	latest := l.LastClass
	if len(pre) > 0 {
		latest = pre[len(pre)-1].Class
	}
	c := probe.MostClass(steady, latest)
	l.SteadyBefore, l.SteadyClasses = c, steady
	for i := len(pre) - 1; i >= 0; i-- {
		if pre[i].Class == c {
			l.SteadyStatus, l.SteadyError = pre[i].HTTPStatus, pre[i].ErrorType
			return
		}
	}
	if len(turns) == 0 && l.LastClass == c {
		l.SteadyStatus, l.SteadyError = l.HTTPStatus, l.ErrorType
	}
}

// nameGateway keeps on each incident r's failure just joined, when it is
// the gateway at the API URL the user set answering for itself
// (probe.GatewayAnswer), the setting that URL came from, as the banner
// names it (judge's apiURLSetting): "unreachable through the gateway at
// ANTHROPIC_BASE_URL", not "at the API URL set". Unknown while no local
// checks have said which URL is in use.
func (d *Detector) nameGateway(r probe.Result, changed map[*probe.LocalIncident]bool) {
	_, answered := probe.GatewayAnswer(r)
	// A connection refused or failed at that URL is the gateway's too.
	network := r.Class == probe.ClassNetwork && (r.Target == probe.TargetAPI || r.Target == probe.TargetAPIKey)
	if !answered && !network || d.local == nil || strings.TrimSpace(d.local.APIURL) == "" || !probe.UserBaseURL(d.local.APIURL) {
		return
	}
	setting := probe.Line(d.local.APIURLFrom, 100)
	if setting == "" {
		setting = "--api-url / ANTHROPIC_BASE_URL"
	}
	for l := range changed {
		if l.LastFailure.Equal(r.Time) && slices.Contains(l.Targets, r.Target) && (l.Gateway() || network && (l.Unreached() || l.Kind == probe.KindProvider)) {
			l.GatewaySetting = setting
		}
	}
}

// unstableFor reports whether tr's target is unstable by the banner's rule
// with failures of subj among the turns: one of them, in its window, gave
// way to an answer. A proxy's steady 407 run after a flap of 529s is no
// unstable 407 ("Your side, API reachability: was unstable, now a proxy
// answered …" — cold walk of Dec 7): the turns were Anthropic's incident's.
func (d *Detector) unstableFor(tr *targetRun, subj string) bool {
	if !tr.unstable {
		return false
	}
	for i := 0; i+1 < len(tr.window); i++ {
		r := tr.window[i]
		if !r.Class.Failing() || tr.window[i+1].Class.Failing() {
			continue
		}
		if s, _, _ := d.subject(r, category(r)); s == subj {
			return true
		}
	}
	return false
}
