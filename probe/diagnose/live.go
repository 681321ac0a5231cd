package diagnose

import (
	"fmt"
	"slices"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/judge"
)

// Live is what the live probes and local checks say right now about a
// catalogue entry: sentences for people, and whether they confirm the
// entry (the same failure from here) or contradict it (the key works,
// Anthropic answers normally).
type Live struct {
	Lines        []string
	Confirmed    bool
	Contradicted bool
	// AskedNoModel is set when every probe weighed is one of the API's
	// (GET /v1/models): they answering says nothing about inference, so
	// a pasted 529 or 500 is not contradicted as a fact, only likely.
	AskedNoModel bool
	Verdict      probe.Verdict
	// gateway is gatewayAt's when the API probes weighed went to a URL the
	// user set: who answered them, not Anthropic; viaGW of the probes
	// weighed went there. answered is answeredBy's, without counts: who
	// answered the probes weighed, each named as what it is.
	gateway  string
	viaGW    int
	answered string
}

// LiveSays is LiveFor's sentences.
func LiveSays(e *catalogue.Entry, in judge.Input) []string { return LiveFor(e, in).Lines }

// LiveFor asks the live probes and local checks about entry e (nil for
// only the verdict): "Anthropic is overloaded: 4 of the last 5 API probes
// got 529 overloaded_error", "The key downforai probes with works …",
// then what the entry's local checks found and the live verdict.
func LiveFor(e *catalogue.Entry, in judge.Input) Live {
	l := Live{Verdict: judge.Judge(in)}
	if e != nil {
		l.probes(e, in)
		if e.Side == catalogue.SideAnthropic || e.App && e.Side != catalogue.SideYours || loginService(e) {
			// Whether others see it too is the status page's to say,
			// with the age of its read: never assumed from the paste.
			l.Lines = append(l.Lines, pageSaysOf(l.Verdict, in.Status, in.Now, serviceOf(e)))
			if s := codeElsewhere(in.Local); s != "" {
				l.Lines = append(l.Lines, s)
			}
		}
		if in.Local != nil {
			// As they stand against the live probes: a key of an odd
			// length that the API just accepted is a note, not "truncated?"
			// beside "the key downforai probes with works" (cold M5).
			for _, c := range LocalChecks(in.Local, in.Recent) {
				// A local check that passes says something too ("no
				// proxy in the environment"); one that could not run does not.
				if slices.Contains(e.Locals, c.ID) && c.Level != probe.LocalSkip {
					l.Lines = append(l.Lines, "Local check, "+c.Name+": "+c.Text)
				}
			}
		}
	}
	l.Lines = append(l.Lines, "Live verdict: "+l.Verdict.Headline)
	return l
}

// probes weighs the recent results of the entry's targets.
func (l *Live) probes(e *catalogue.Entry, in judge.Input) {
	targets := e.Targets
	if len(targets) == 0 && e.Side == catalogue.SideRequest {
		// A request problem: the API answering normally is all there is
		// to know, and it does not contradict the paste.
		targets = []probe.Target{probe.TargetAPI, probe.TargetAPIKey}
	}
	if len(targets) == 0 {
		if e.Side == catalogue.SideProvider {
			// Another provider's answer: nothing here speaks to it, and
			// Anthropic's probes passing contradicts nothing.
			l.Lines = append(l.Lines, "downforai probes Anthropic's own API, not the provider that answered: its probes neither confirm nor contradict this error.")
		}
		return
	}
	// healthy counts the results that speak against the entry: for an
	// Anthropic-side problem any normal answer (a 401 included: Anthropic
	// answered), for a network problem any answer at all, for the user's
	// own problems only success.
	healthy := func(r probe.Result) bool {
		if e.ID == catalogue.EntryForbidden {
			return r.Class.Up() // any other answer may be the same refusal
		}
		switch e.Side {
		case catalogue.SideAnthropic, catalogue.SideRequest:
			return !r.Class.ProviderSide() && r.Class != probe.ClassNetwork
		case catalogue.SideNetwork, catalogue.SideEitherSide:
			return r.Class != probe.ClassNetwork && r.ErrorType != probe.ErrNotAnthropic
		}
		return r.Class.Up()
	}
	var seen, same, good int
	seenOf := map[probe.Target]int{}
	var sample probe.Result
	hit := map[probe.Target]bool{}
	keyWorks := false
	var past pastRun
	var other otherRun
	for _, t := range targets {
		past.add(t, in.Recent[t], func(r probe.Result) bool { return sameAs(e, r, in.Local) }, healthy)
		rs := in.Recent[t]
		if len(rs) > judge.Window {
			rs = rs[len(rs)-judge.Window:]
		}
		// Newest first: once this target answered healthily, the same
		// failure before that is history, not what happens now.
		overtaken := false
		for i := len(rs) - 1; i >= 0; i-- {
			r := rs[i]
			if r.Class == probe.ClassUnknown && !(t == probe.TargetCode && r.Detail == "not installed") {
				continue
			}
			isSame := sameAs(e, r, in.Local)
			if isSame && overtaken {
				break
			}
			seen++
			seenOf[t]++
			switch {
			case isSame:
				same++
				hit[t] = true
				if sample.Time.IsZero() {
					sample = r // the newest
				}
			case healthy(r):
				good++
				overtaken = true
				keyWorks = keyWorks || (t == probe.TargetAPIKey && r.Class.Up())
				if !r.Class.Up() && seenOf[t] == 1 && r.Time.After(other.refused.Time) {
					other.refused = r // answered, though refused: no failure of this kind, no success either
				}
			default:
				other.add(t, r, seenOf[t] == 1)
			}
		}
	}
	// "1 of the last 3 claude.ai probes" counts claude.ai's alone.
	one, noun, of := "probe", "probes", seen
	if len(hit) == 1 {
		for t := range hit {
			one, noun = t.Noun()
			of = seenOf[t]
		}
	}
	say := func(format string, a ...any) { l.Lines = append(l.Lines, fmt.Sprintf(format, a...)) }
	// Under a gateway the user set, the API probes' answers are its own:
	// every sentence names it, and none says Anthropic answered.
	gw := gatewayAt(in.Local)
	for t, n := range seenOf {
		if gw != "" && viaAPIURL(t) {
			l.viaGW += n
		}
	}
	if l.viaGW > 0 {
		l.gateway = gw
	}
	gw = l.gateway
	l.answered = answeredBy(in.Local, gw, seenOf, false)
	// through is ", through the gateway at …" after a count, "" without one.
	through := ""
	if gw != "" {
		through = ", through " + gw
	}
	// The newest answers decide; the same failure before them is history,
	// said with its times after whatever the live answers say (cold5 D8).
	defer func() {
		if s := past.words(in.Now.Location()); s != "" {
			l.Lines = append(l.Lines, s)
		}
	}()
	switch {
	case seen == 0:
		say("No live probe speaks to this yet (%s).", e.Confirm)
	case same > 0:
		l.Confirmed = true
		lead := "Confirmed from here"
		switch {
		case e.ID == catalogue.EntryOverloaded:
			lead = "Anthropic is overloaded"
		case e.ID == catalogue.EntryThrottled:
			lead = "Anthropic is limiting requests"
		case e.Side == catalogue.SideAnthropic:
			lead = "Anthropic is failing"
		case e.Side == catalogue.SideNetwork, e.Side == catalogue.SideEitherSide:
			lead = "It fails from here too"
		}
		if gw != "" && gatewayOnly(hit) && sample.RequestID == "" {
			// The gateway's answer, relayed or its own: not one we saw
			// Anthropic give. With Anthropic's request-id it is
			// Anthropic's answer passed on, as the judge weighs it.
			lead = probe.Capital(gw) + " answers the same"
		}
		say("%s: %s got %s.", lead, probe.OfTheLast(same, of, one, noun), describeResult(sample))
	case good == seen && e.App && e.Side != catalogue.SideYours:
		// claude.ai's page while claude.ai answers here: shown for one
		// account, session or chat alone too (three threads found it so),
		// not "another path" (cold walk).
		if pageTrouble(l.Verdict, in.Status, serviceOf(e)) {
			// The page reports it: some users or regions are hit, and
			// the probes from here are not among them — no contradiction.
			say("%s, but the status page reports trouble with it (below): likely some users or regions are hit, not every request.", answeredBy(in.Local, gw, seenOf, true))
			break
		}
		say("%s: no outage seen from here; the page was likely for your account, session or one conversation alone, or brief — log out and in, or start a new chat.", answeredBy(in.Local, gw, seenOf, true))
		l.Contradicted = true
	case good == seen && e.App:
		// claude.ai refusing where the user connects from, while it
		// serves this machine: the page came over another path.
		say("%s: this machine's connection is served; the page likely came over another path (a VPN or proxy exiting in another country) or from another device.", answeredBy(in.Local, gw, seenOf, true))
	case good == seen:
		switch e.Side {
		case catalogue.SideRequest:
			if gw != "" {
				say("%s answers normally from here (%s): nothing is down there; the request itself was refused.", probe.Capital(gw), eachOf(seen))
				return
			}
			say("The API answers normally from here (%s): nothing is down; the request itself was refused.", eachOf(seen))
			return
		case catalogue.SideAnthropic:
			if l.AskedNoModel = apiOnly(targets); l.AskedNoModel {
				if gw != "" {
					say("Our API probes go to %s, and it answers normally (%s), but they list models and ask none, and Anthropic's own API is not probed directly: the error was likely brief, or is on the model or path the failing program uses.", gw, eachOf(seen))
					break
				}
				say("Our API probes answer normally from here (%s), but they list models and ask none: the error was likely brief, or is on the model or path the failing program uses.", eachOf(seen))
				break
			}
			if gw != "" {
				say("%s: the error was likely brief, or came from something in between.", answeredBy(in.Local, gw, seenOf, true))
				break
			}
			say("The API answers normally from here (%s): the error was likely brief, or came from something in between.", eachOf(seen))
		case catalogue.SideNetwork, catalogue.SideEitherSide:
			if e.ID == catalogue.EntryForbidden {
				if gw != "" {
					say("The key downforai probes with is let in (%s%s): the pasted 403 likely came with another credential, or over another path (proxy, VPN, another base URL), or for a model the probes do not ask.", eachOf(seen), through)
					break
				}
				say("The key downforai probes with is let in from here (%s): the pasted 403 likely came with another credential, or over another path (proxy, VPN, ANTHROPIC_BASE_URL), or for a model the probes do not ask.", eachOf(seen))
				break
			}
			say("%s: the failing program likely takes another path (proxy, VPN, container network), or it was brief.", answeredBy(in.Local, gw, seenOf, true))
		default:
			switch {
			case !keyWorks && gw != "":
				say("%s answers fine from here (%s): the problem is likely on your side.", probe.Capital(gw), eachOf(seen))
				return
			case !keyWorks:
				say("The API answers fine from here (%s): the problem is likely on your side.", eachOf(seen))
				return
			case e.Group == catalogue.GroupCredential:
				say("The key downforai probes with works (%s%s): the failing program likely uses another credential or environment.", eachOf(seen), through)
			case e.ID == catalogue.EntryRateLimited:
				say("The key downforai probes with answers normally now (%s%s): per-minute limits refill, so this one has likely passed.", eachOf(seen), through)
				return
			default:
				// Credit and billing stop messages, not the model list
				// this probe reads: it cannot tell.
				say("The key downforai probes with reads the model list (%s%s), which this problem does not stop: the probes cannot confirm or deny it.", eachOf(seen), through)
				return
			}
		}
		l.Contradicted = true
	default:
		say("%s", other.words(l.Verdict, good, seen, seenOf, in.Now))
	}
}

// loginService reports whether e is a rejection of the Claude login
// itself (expired, revoked, not found): Anthropic's login service has
// produced them for everyone at once in its incidents, so what the status
// page says belongs beside them.
func loginService(e *catalogue.Entry) bool {
	return e.ID == catalogue.EntryOAuthExpired || e.ID == catalogue.EntryOAuthRevoked
}

// serviceOf is the key of the service entry e is about: claude.ai's for
// claude.ai's own words that its probe confirms (wherever it stands
// among the entry's targets), else the API's.
func serviceOf(e *catalogue.Entry) string {
	if e.App && slices.Contains(e.Targets, probe.TargetClaudeAI) {
		return "claude_ai"
	}
	return "api"
}

// pageTrouble reports whether the status page, read fresh, shows the
// service key in trouble (any component state but operational, or an
// incident open on it).
func pageTrouble(v probe.Verdict, st *probe.Status, key string) bool {
	if st == nil || !v.Official.Drives {
		return false
	}
	s, status := serviceOnPage(st, key)
	if status != "" && status != probe.ComponentOperational {
		return true
	}
	return s.ComponentID != "" && slices.ContainsFunc(st.Incidents, func(in probe.Incident) bool { return slices.Contains(in.Components, s.ComponentID) })
}

// sameAs reports whether probe result r is the failure entry e names.
// For a 403 that does not say whose (EntryForbidden), any 403 a probe gets
// is: its body then says which it is.
func sameAs(e *catalogue.Entry, r probe.Result, l *probe.LocalReport) bool {
	if e.ID == catalogue.EntryForbidden && r.HTTPStatus == 403 {
		return true
	}
	if e.App && e.Side != catalogue.SideYours && slices.Contains(e.Targets, r.Target) &&
		r.Class.ProviderSide() && r.ErrorType != probe.ErrNotAnthropic {
		// claude.ai's own error page or capacity message: its host (or the
		// API behind it) failing on its side now is the same thing seen
		// from here, whatever entry the probe's answer matches itself.
		return true
	}
	m, ok := catalogue.MatchLive(r, l)
	return ok && m.ID == e.ID
}

// apiOnly reports whether every target is a probe of the API's front door
// (the model list, with or without the key), none a canary or another host.
func apiOnly(targets []probe.Target) bool {
	for _, t := range targets {
		if t != probe.TargetAPI && t != probe.TargetAPIKey {
			return false
		}
	}
	return len(targets) > 0
}

// eachOf is "each of the last 12 probes", "the only probe so far": every
// one of them answered.
func eachOf(n int) string {
	if n == 1 {
		return "the only probe so far"
	}
	return fmt.Sprintf("each of the last %d probes", n)
}

// pastRun is the same failure as the entry's, seen before the newest
// answers of its targets overtook it: when it ran and since when they
// answer normally.
type pastRun struct {
	n           int
	first, last probe.Result // the run's oldest and newest failure
	since       time.Time    // the first healthy answer after it, the latest of the targets'
	targets     []probe.Target
}

// add walks target t's results newest first: while its newest judged
// answers are healthy, the same failures just before them (back to the
// healthy answer before those) are a past run. A target whose newest
// judged answer is not healthy adds nothing: that is the present.
func (p *pastRun) add(t probe.Target, rs []probe.Result, same, healthy func(probe.Result) bool) {
	var since time.Time
	n := 0
	var first, last probe.Result
walk:
	for i := len(rs) - 1; i >= 0; i-- {
		r := rs[i]
		if r.Class == probe.ClassUnknown {
			continue
		}
		isSame := same(r)
		switch {
		case isSame && since.IsZero():
			return // the newest judged answer is this failure: the present
		case isSame:
			if n == 0 {
				last = r
			}
			first, n = r, n+1
		case healthy(r) && n == 0:
			since = r.Time // still the newest healthy answers
		case healthy(r):
			break walk // the healthy answer before the run
		case n == 0:
			return // other trouble newest, or between: not this run
		}
	}
	if n == 0 {
		return
	}
	if p.n == 0 || first.Time.Before(p.first.Time) {
		p.first = first
	}
	if p.n == 0 || last.Time.After(p.last.Time) {
		p.last = last
	}
	if since.After(p.since) {
		p.since = since
	}
	p.n += n
	p.targets = append(p.targets, t)
}

// words is "Earlier, 529 overloaded_error from 14:02:10 to 14:10:30
// UTC (6 API probes); answering normally since 14:11:00 UTC.", "" without
// a past run.
func (p pastRun) words(loc *time.Location) string {
	if p.n == 0 {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	one, noun := "probe", "probes"
	if len(p.targets) == 1 {
		one, noun = p.targets[0].Noun()
	}
	clock := func(t time.Time) string { return t.In(loc).Format("15:04:05 MST") }
	when := fmt.Sprintf("at %s (1 %s)", clock(p.first.Time), one)
	if p.n > 1 {
		when = fmt.Sprintf("from %s to %s (%d %s)", p.first.Time.In(loc).Format("15:04:05"), clock(p.last.Time), p.n, noun)
	}
	return fmt.Sprintf("Earlier, %s %s; answering normally since %s.", describeResult(p.last), when, clock(p.since))
}

// otherRun is the failures among an entry's targets' recent results that
// are neither the entry's own nor healthy for it: other trouble, current
// while a target's newest judged answer is one of them.
type otherRun struct {
	n       int
	targets []probe.Target
	last    probe.Result // the newest of them
	now     probe.Result // the newest of those that are a target's newest answer
	nowOf   probe.Target // now's target
	// refused is the newest of the targets' newest answers that is healthy
	// for the entry but no success (a 400 credit refusal beside a pasted
	// 529): the API answers, not normally.
	refused probe.Result
}

// add counts r, target t's; newest says it is t's newest judged answer.
func (o *otherRun) add(t probe.Target, r probe.Result, newest bool) {
	o.n++
	if !slices.Contains(o.targets, t) {
		o.targets = append(o.targets, t)
	}
	if o.last.Time.IsZero() || r.Time.After(o.last.Time) {
		o.last = r
	}
	if newest && (o.now.Time.IsZero() || r.Time.After(o.now.Time)) {
		o.now, o.nowOf = r, t
	}
}

// words weighs the other trouble by the newest run (issue 19). It is over
// when every target's newest answer is healthy — "The API probes failed
// earlier (5 of the last 12, the last at 14:02:10 UTC, 3 min ago, 529
// overloaded_error) and answer now: that trouble is likely over." — pointed to
// the verdict only when that is not all clear. It is current when a
// target's newest answer is one of them: pointed to the verdict, unless
// that is all clear, which then has likely not caught up yet. good of
// seen are the answers healthy for the entry. Past the stale limit the
// newest answers are no current fact: said with their time, to the
// verdict.
func (o otherRun) words(v probe.Verdict, good, seen int, seenOf map[probe.Target]int, now time.Time) string {
	loc := now.Location()
	if loc == nil {
		loc = time.UTC
	}
	at := func(t time.Time) string {
		return fmt.Sprintf("at %s, %s ago", t.In(loc).Format("15:04:05 MST"), probe.Words(now.Sub(t)))
	}
	allClear := v.Kind == probe.VerdictOperational && !v.Stale
	if o.now.Time.IsZero() {
		many, of := "probes", seen
		if len(o.targets) == 1 {
			_, many = o.targets[0].Noun()
			of = seenOf[o.targets[0]]
		}
		s := fmt.Sprintf("The %s failed earlier (%d of the last %d, the last %s, %s)", many, o.n, of, at(o.last.Time), describeResult(o.last))
		if r := o.refused; !r.Time.IsZero() {
			// "… and answer now" of probes refused every time (cold walk
			// of Dec 7): they answer, with another problem than this one.
			return s + fmt.Sprintf(" and answer now, though not normally: the newest got %s %s — another problem than this one; see the verdict.", describeResult(r), at(r.Time))
		}
		switch {
		case v.Stale && !v.Checked.IsZero():
			return s + " and answered normally when last probed, " + at(v.Checked) + ": no current fact; see the verdict."
		case allClear:
			return s + " and answer now: that trouble is likely over."
		}
		return s + " and answer now; the live verdict weighs more than these probes: see it."
	}
	one, _ := o.nowOf.Noun()
	when := "now"
	if v.Stale {
		when = "in their newest answers, no current fact"
	}
	s := fmt.Sprintf("The live probes show other trouble %s (the newest %s got %s %s; %s healthy for this)",
		when, one, describeResult(o.now), at(o.now.Time), probe.OfTheLast(good, seen, "probe", "probes"))
	if allClear {
		return s + ": likely too new for the live verdict to count."
	}
	return s + ": see the verdict."
}
