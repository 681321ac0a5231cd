package diagnose

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/check"
	"downforai/probe/judge"
)

// Evidence is everything the verdict, the findings, `downforai diagnose`
// and the report draw on. The dashboard builds it from what it holds; the
// command line from one round of probes plus the stored history.
type Evidence struct {
	// Now is the clock; its Location is the reader's zone, which the
	// report's local times of day are in (a dashboard viewer's over ssh).
	Now     time.Time
	Version string
	Status  *probe.Status
	Recent  map[probe.Target][]probe.Result // oldest first
	Local   *probe.LocalReport
	// StaleAfter and Recover are the dashboard's stale limit and
	// --recover-threshold, so the findings judge as the banner does; zero
	// values are the judge's defaults (never stale, two successes).
	StaleAfter time.Duration
	Recover    int
	// Horizon is the dashboard's judge.Input.Horizon: how far back its
	// window reaches (0: no limit; Gather's results are already within it).
	Horizon time.Duration
	// Sessions is what Claude Code's own calls showed; nil when the
	// transcripts were not read.
	Sessions *probe.SessionsReport
	// Note says where the evidence came from when that matters ("one fresh
	// round of probes: the database is in use by another downforai").
	Note string
	// RecordedErr is why Gather could not read the recorded rounds ("" when
	// it read them, even none): the round is then judged alone, and the
	// basis says so as check's does.
	RecordedErr string
	// Rounds is how many recorded rounds of our probes Gather read beside
	// its own (judge.Recorded.Rounds).
	Rounds int
}

// Input is the evidence as Judge's input.
func (e Evidence) Input() judge.Input {
	recent := e.Recent
	if r := e.Sessions; r != nil && len(r.Recent) > 0 && len(recent[probe.TargetSessions]) == 0 {
		// The sessions' calls are one more input of the verdict.
		recent = make(map[probe.Target][]probe.Result, len(e.Recent)+1)
		for t, rs := range e.Recent {
			recent[t] = rs
		}
		recent[probe.TargetSessions] = r.Recent
	}
	return judge.Input{Status: e.Status, Recent: recent, Now: e.Now, Local: e.Local, StaleAfter: e.StaleAfter, Horizon: e.Horizon, Recover: e.Recover}
}

// Verdict judges the evidence.
func (e Evidence) Verdict() probe.Verdict { return judge.Judge(e.Input()) }

// Gather runs one round of checks on a fresh engine (recording into rec when
// it is not nil), merges the outcomes after what h already holds (h may be
// nil), and returns the evidence. It is how `downforai diagnose` and
// `downforai report` see the present when no dashboard is running.
//
// Of h, only results within horizon count (judge.Horizon: older ones say
// what was), as `check` weighs them, so both say the same of one database.
func Gather(ctx context.Context, checks []probe.Check, rec probe.Recorder, h probe.History, horizon time.Duration, version string) Evidence {
	ev := Evidence{Recent: map[probe.Target][]probe.Result{}, Version: version}
	if h != nil {
		var targets []probe.Target
		for _, c := range checks {
			targets = append(targets, c.Target)
		}
		targets = probe.WithEngineTargets(h, targets)
		past, err := judge.ReadRecorded(h, targets, time.Now(), horizon)
		if err != nil {
			ev.RecordedErr = err.Error()
		} else {
			ev.Recent, ev.Status, ev.Rounds = past.Recent, past.Status, past.Rounds
		}
	}
	eng := probe.NewEngine(checks, rec)
	// A change (or a failure with nothing recorded) is asked again after
	// the recorded rounds' spacing, as check asks it: one probe is no
	// persistence.
	for _, e := range check.Confirm(ctx, eng, eng.RunOnce(ctx), ev.Recent, 0) {
		ev.Add(e)
	}
	ev.Now = time.Now()
	return ev
}

// Add takes one engine event into the evidence.
func (e *Evidence) Add(ev probe.Event) {
	if e.Recent == nil {
		e.Recent = map[probe.Target][]probe.Result{}
	}
	if ev.Local != nil {
		e.Local = ev.Local
	}
	if ev.Status != nil {
		st := *ev.Status
		e.Status = &st
	}
	if t := ev.Result.Target; t != "" && t != probe.TargetLocal {
		e.Recent[t] = append(e.Recent[t], ev.Result)
	}
}

// Finding is one catalogue entry the evidence points at, with what matched:
// a probe result or a local check.
type Finding struct {
	Entry  catalogue.Entry
	Result *probe.Result     // the newest probe result that matched, nil for a local check
	Local  *probe.LocalCheck // the local check that matched, nil for a probe result
	// Aside is set when the finding is no cause: a local check that found
	// a problem while every probe passes. It says what the finding means
	// then; the finding is shown as a local finding, never as the
	// matching problem.
	Aside string
	// Fix is, for an aside, the one fix that acts on what the check found
	// (catalogue.FixFor): nothing fails, so the entry's whole list — for
	// the problem seen failing — is not what to do now.
	Fix string
}

// FindingHeading is what the finding is called above it: the matching
// problem, or a local finding while nothing fails.
func FindingHeading(f Finding) string {
	if f.IsCause() {
		return "Matching problem: "
	}
	return "Local finding: "
}

// IsCause reports whether the finding explains something failing now.
func (f Finding) IsCause() bool { return f.Aside == "" }

// keyRejected reports whether the key probe's newest judged answer was a
// rejection of the credential.
func keyRejected(rs []probe.Result) bool {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Class != probe.ClassUnknown {
			return rs[i].Class == probe.ClassAuth
		}
	}
	return false
}

// Findings lists the catalogue entries the evidence points at, the one
// that explains the verdict first: failing probes among the last few of
// each target, then local checks that found a problem, then warnings. An
// entry the live evidence contradicts (an invalid key while the key just
// got 200) is never among them, nor a failure a newer healthy answer of
// the same target has overtaken.
func Findings(e Evidence) []Finding {
	v := e.Verdict()
	type scored struct {
		f     Finding
		score int
	}
	var all []scored
	for _, t := range probe.Targets() {
		rs := e.Recent[t]
		if v.Kind == probe.VerdictOperational || v.Kind == probe.VerdictUnknown {
			// One verdict per moment: a failure the verdict does not
			// hold (a single blip, before two in a row) is no problem
			// to lead Troubleshooting or the report with.
			break
		}
		for i := len(rs) - 1; i >= 0 && i >= len(rs)-judge.Window; i-- {
			if rs[i].Class.Up() {
				break // healthy now: older failures are history
			}
			en, ok := catalogue.MatchLive(rs[i], e.Local)
			if !ok {
				continue
			}
			r := rs[i]
			score := 200
			if fitsVerdict(en, v.Kind) {
				score = 300
			}
			if en.ID == catalogue.EntryCodeNotInstalled {
				break // a fact the local checks state, not a problem
			}
			en = throughGateway(en, r, e.Local)
			en = acknowledged(en, r, v, e.Status)
			en = duringMaintenance(en, r, v, e.Status, e.Now)
			if v.Kind == probe.VerdictLocalConfig {
				// The judge's "nothing answers at HOST, where every URL
				// set points": the fixes are that server's.
				en = atOneServer(en, r, e.Local)
			}
			all = append(all, scored{Finding{Entry: en, Result: &r}, score})
			break // the newest matching result of the target speaks for it
		}
	}
	if e.Local != nil {
		for i := range e.Local.Checks {
			c := e.Local.Checks[i]
			if c.Level < probe.LocalWarn {
				continue
			}
			// A key's format is a heuristic: it explains a rejection the
			// key probe saw, and is never a problem on its own.
			if c.ID == probe.CheckKeyFormat && !keyRejected(e.Recent[probe.TargetAPIKey]) {
				continue
			}
			en, ok := catalogue.ForCheck(c)
			if !ok {
				continue
			}
			score := 100
			if c.Level == probe.LocalFail {
				score = 250
				if fitsVerdict(en, v.Kind) {
					score = 290
				}
			}
			f := Finding{Entry: en, Local: &c}
			if v.Kind == probe.VerdictOperational {
				// One verdict per moment: a check that fails while every
				// probe passes is what it means then, not the cause of
				// anything failing (cold6 D19(2)).
				f.Aside = aside(c, e)
				f.Fix, _ = catalogue.FixFor(c, e.Local)
			}
			all = append(all, scored{f, score})
		}
	}
	// Equal scores keep Targets order: the API speaks before claude.ai.
	slices.SortStableFunc(all, func(a, b scored) int { return b.score - a.score })
	var out []Finding
	seen := map[catalogue.EntryID]bool{}
	in := e.Input()
	for _, s := range all {
		if seen[s.f.Entry.ID] {
			continue
		}
		seen[s.f.Entry.ID] = true
		// A local finding's aside is what the live probes say of it;
		// a cause they contradict is none.
		if s.f.IsCause() && LiveFor(&s.f.Entry, in).Contradicted {
			continue
		}
		out = append(out, s.f)
	}
	return out
}

// viaProbes are the local checks of what our probes go through as well:
// the proxy, the resolver, the API URL. The others are Claude Code's
// alone (its login, its credential, this clock's agreement).
var viaProbes = map[string]bool{probe.CheckProxy: true, probe.CheckDNS: true, probe.CheckBaseURL: true}

// aside says what a local check's finding means while every probe passes.
func aside(c probe.LocalCheck, e Evidence) string {
	var newest time.Time
	for _, rs := range e.Recent {
		for _, r := range rs {
			if r.Class != probe.ClassUnknown && r.Time.After(newest) {
				newest = r.Time
			}
		}
	}
	s := "every probe passes"
	if !newest.IsZero() {
		s += " (newest " + newest.UTC().Format("15:04:05 MST") + ")"
	}
	s += ": not the cause of anything failing now"
	switch {
	case !viaProbes[c.ID]:
		s += "; our probes do not depend on it, Claude Code does"
	case c.Level == probe.LocalFail:
		s += "; our probes go the same way, so likely it failed only when checked"
		if e.Local != nil && !e.Local.Time.IsZero() {
			s += " (" + e.Local.Time.UTC().Format("15:04:05 MST") + ")"
		}
		s += ": the next local check tells"
	}
	return s
}

func fitsVerdict(en catalogue.Entry, k probe.VerdictKind) bool {
	switch k {
	case probe.VerdictLocalCredential:
		return en.Class == probe.ClassAuth
	case probe.VerdictLocalQuota:
		return en.Class == probe.ClassBilling || en.Class == probe.ClassRateLimited
	case probe.VerdictLocalNetwork:
		return en.Group == catalogue.GroupNetwork
	case probe.VerdictLocalConfig:
		return en.ID == catalogue.EntryGateway
	case probe.VerdictOutage, probe.VerdictUnacknowledged, probe.VerdictFailing, probe.VerdictDegraded, probe.VerdictMaintenance:
		return en.Side == catalogue.SideAnthropic
	}
	return false
}

// Headroom is one rate-limit gauge: how much of a limit is left.
type Headroom struct {
	Name             string // requests, tokens
	Remaining, Limit int64
	Reset            time.Time
}

// Fraction is Remaining/Limit in [0, 1].
func (h Headroom) Fraction() float64 {
	if h.Limit <= 0 {
		return 0
	}
	return min(max(float64(h.Remaining)/float64(h.Limit), 0), 1)
}

// ResetPast reports whether the limit's reset time is not after now: its
// count is from before a reset that has happened since, not what is left
// now ("resets 11:23:00" said of a time long past, beside no age — cold
// walk of Dec 7).
func (h Headroom) ResetPast(now time.Time) bool {
	return !h.Reset.IsZero() && !h.Reset.After(now)
}

// RateHeadroom reads the gauges from the newest key-probe result that
// carried anthropic-ratelimit-* headers, and that result's time.
func RateHeadroom(recent map[probe.Target][]probe.Result) ([]Headroom, probe.Result, bool) {
	rs := recent[probe.TargetAPIKey]
	for i := len(rs) - 1; i >= 0; i-- {
		rl := rs[i].RateLimit
		if rl.RequestsLimit == 0 && rl.TokensLimit == 0 {
			continue
		}
		var hs []Headroom
		if rl.RequestsLimit > 0 {
			hs = append(hs, Headroom{"requests", rl.RequestsRemaining, rl.RequestsLimit, rl.RequestsReset})
		}
		if rl.TokensLimit > 0 {
			hs = append(hs, Headroom{"tokens", rl.TokensRemaining, rl.TokensLimit, rl.TokensReset})
		}
		return hs, rs[i], true
	}
	return nil, probe.Result{}, false
}

// LocalChecks are the local checks as they stand against the live
// probes: the credential in effect is no ✔ while the key probe's newest
// answer rejects it — the check looked at where it came from, the probe
// at whether it works — nor "no proxy" while a proxy answered 407 on the
// path. nil when the checks have not run.
func LocalChecks(l *probe.LocalReport, recent map[probe.Target][]probe.Result) []probe.LocalCheck {
	if l == nil {
		return nil
	}
	out := append([]probe.LocalCheck(nil), l.Checks...)
	proxyOnThePath(out, recent, gatewayAt(l))
	probe.KeyFormatLive(out, l, recent[probe.TargetAPIKey])
	var last probe.Result
	rs := recent[probe.TargetAPIKey]
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Class != probe.ClassUnknown {
			last = rs[i]
			break
		}
	}
	if last.Class != probe.ClassAuth {
		return out
	}
	for i := range out {
		if out[i].ID != "credential" || out[i].Level >= probe.LocalFail {
			continue
		}
		out[i].Level = probe.LocalFail
		what := "the API rejects it"
		if catalogue.OAuthInKeyVar(last, l) {
			what = "the API rejects it: a subscription token is no API key"
		}
		out[i].Text += fmt.Sprintf(" — %s (%d at %s)", what, last.HTTPStatus, last.Time.UTC().Format("15:04:05 MST"))
	}
	return out
}

// proxyOnThePath turns the Proxy check's "direct connection" (no proxy in
// the environment, or none the API's requests use) into a warning while the
// newest answer of an HTTP probe is a proxy's 407: our requests were sent
// to no proxy, yet one answered on the path.
//
// gateway is the API URL the user set ("the gateway at --api-url (…)"),
// "" under Anthropic's own: the other place a proxy may sit. Under
// Anthropic's URL "or ANTHROPIC_BASE_URL pointing at one" named a setting
// nobody had set; under --api-url it named the wrong one (cold walk).
func proxyOnThePath(checks []probe.LocalCheck, recent map[probe.Target][]probe.Result, gateway string) {
	var hit probe.Result
	for _, t := range []probe.Target{probe.TargetAPI, probe.TargetAPIKey, probe.TargetClaudeAI, probe.TargetStatus} {
		rs := recent[t]
		for i := len(rs) - 1; i >= 0; i-- {
			if rs[i].Class == probe.ClassUnknown {
				continue
			}
			if rs[i].HTTPStatus == 407 && rs[i].Time.After(hit.Time) {
				hit = rs[i]
			}
			break
		}
	}
	if hit.Target == "" {
		return
	}
	for i := range checks {
		c := &checks[i]
		if c.Level >= probe.LocalWarn || !probe.ProxyDirect(*c) {
			continue
		}
		c.Level = probe.LocalWarn
		base, but := strings.TrimSuffix(c.Text, ": direct connection"), ", but"
		if strings.Contains(base, " but ") {
			but = "; yet"
		}
		or := ""
		if gateway != "" && viaAPIURL(hit.Target) {
			or = ", or " + strings.TrimPrefix(gateway, "the gateway at ") + " pointing at one"
		}
		c.Text = fmt.Sprintf("%s%s a proxy answered 407 on the path (%s, %s): a transparent or corporate proxy%s",
			base, but, hit.Target.Label(), hit.Time.UTC().Format("15:04:05 MST"), or)
	}
}
