package judge

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"downforai/probe"
)

// Window is how many recent results per target the verdict weighs: enough
// to see a target alternate ("Unstable: 6 of the last 12").
const Window = 12

// DefaultPageID is the id of Claude's Statuspage page (status.claude.com).
const DefaultPageID = "tymt9n04zgry"

// state is what one target's probes say, sorted by who it points at.
type state uint8

const (
	sNone      state = iota // nothing judged: no data, not installed, no credential
	sUp                     // answered as it should
	sSlow                   // answered, over the latency budget
	sAccount                // your credential, quota or billing refused (the key probe only)
	sLimited                // the host rate-limits this address (429 without a credential), or likely Anthropic does (a bare 429 "Rate limited" on the key while its limits show room)
	sAnthropic              // Anthropic's side: 529, 5xx/504 from Anthropic, a timeout or reset after connecting
	sUnreach                // refused, or reset or timed out before a connection was made: Anthropic or a firewall
	sPath                   // someone else answered: a proxy, a gateway, a captive portal, a block page
	sDNS                    // the name did not resolve
	sTLS                    // the TLS handshake failed: interception, or a broken certificate
	sProxy                  // the proxy refused, failed or asked for credentials
	sNoRoute                // no route to the host from this machine
	sCLI                    // the local claude CLI failed
	sConfig                 // a URL the user set is not the API's: a 404 at a path every Anthropic API serves (probe.ErrBaseURLV1, ErrBaseURL404)
)

func (s state) up() bool      { return s == sUp || s == sSlow }
func (s state) failing() bool { return s != sNone && !s.up() }

// network reports the states that are about the path from this machine.
func (s state) network() bool {
	switch s {
	case sUnreach, sPath, sDNS, sTLS, sProxy, sNoRoute:
		return true
	}
	return false
}

// local reports the states a component of this machine or its network
// explains: "your network" needs one of these.
func (s state) local() bool {
	return s == sDNS || s == sTLS || s == sProxy || s == sNoRoute || s == sPath
}

// connected reports whether a failed exchange got past connecting (and the
// TLS handshake, on https): a timeout or reset then is the server's doing.
func connected(r probe.Result, https bool) bool {
	return r.Phases.Connect > 0 && (!https || r.Phases.TLS > 0)
}

// classify sorts one result by who it points at.
func classify(r probe.Result, https bool) state {
	switch {
	case r.Target == probe.TargetSessions:
		return classifySession(r)
	case r.Target.IsModel():
		return classifyModel(r, https) // models.go
	case r.Class == probe.ClassUnknown:
		return sNone
	case r.Class == probe.ClassOK:
		return sUp
	case r.Class == probe.ClassSlow:
		return sSlow
	case r.Target == probe.TargetCode && r.Class.UserSide():
		return sAccount // Claude Code's own login, checked live
	case r.Target == probe.TargetCode:
		return sCLI
	case r.ErrorType == probe.ErrBaseURLV1, r.ErrorType == probe.ErrBaseURL404:
		return sConfig
	case r.ErrorType == ErrNotAnthropic:
		if _, ok := probe.GatewayAnswer(r); ok && r.HTTPStatus >= 500 {
			// The gateway the user set reports its upstream failed (its
			// own 5xx): the API unreachable through it — not Anthropic
			// seen failing, not someone on the path in its place.
			return sUnreach
		}
		if _, ok := probe.GatewayAnswer(r); ok && r.Class == probe.ClassAuth {
			// It refuses the credential sent: your credential, at the
			// gateway (its key may be one it issued, not Anthropic's).
			return sAccount
		}
		return sPath
	case r.Class == probe.ClassNetwork:
		switch r.ErrorType {
		case probe.NetDNS:
			return sDNS
		case probe.NetTLS:
			return sTLS
		case probe.NetProxy:
			if ProxyAnswered(r) && r.HTTPStatus >= 500 {
				// The proxy's report that it could not reach the host:
				// the host, or the proxy's route to it — the proxy
				// itself works when it tunnels the others (networkDown
				// says so when it reaches none).
				return sUnreach
			}
			return sProxy
		case probe.NetTimeout, probe.NetReset:
			if connected(r, https) {
				return sAnthropic
			}
			return sUnreach
		case probe.NetConnect:
			if strings.HasPrefix(r.Message, "cannot reach") {
				return sNoRoute
			}
		}
		return sUnreach
	case r.Class == probe.ClassRateLimited && r.Target == probe.TargetAPIKey && !yourLimit(r):
		return sLimited
	case r.Class.UserSide() && r.Target == probe.TargetAPIKey:
		return sAccount
	case r.Class == probe.ClassRateLimited:
		return sLimited
	case r.Class == probe.ClassUnexpected && (r.Target == probe.TargetAPI || r.Target == probe.TargetAPIKey) &&
		(r.ErrorType == "html" || r.ErrorType == "not_json"):
		// The API speaks JSON: a 200 HTML page is a portal or a proxy.
		return sPath
	}
	return sAnthropic
}

// ErrNotAnthropic is the ErrorType of an answer that did not come from
// Anthropic (no request-id, no Anthropic error body, not its CDN): a
// proxy's, a gateway's, a captive portal's or a filter's page.
const ErrNotAnthropic = "not_anthropic"

// view is one target's recent probes, judged.
type view struct {
	target   probe.Target
	state    state        // the effective state: it changes when two probes in a row agree
	unstable bool         // it went up and down repeatedly in the window
	fails    int          // failing probes in the window
	total    int          // judged probes in the window
	latest   probe.Result // the newest judged result
	from     time.Time    // the oldest judged result's time: the window begins there
	evidence probe.Result // the newest result of the effective state
	since    time.Time    // when the effective state began
	pending  int          // successes in a row so far while the state is still a failure
	// relapse is when the answers began that had ended the failure the
	// state is again (relapseUps of them): a failure soon after
	// recovering from the same failure is that failure again, at once.
	relapse    time.Time
	relapseUps int
	class      probe.Class // the most frequent failing class in the window
	status     int         // the HTTP status of that class's newest result
	classState state       // whose that class's newest result points at (sAnthropic, sPath, …)
	mostFail   bool        // two thirds of the window failed, and of its newest half (mostlyFailed)
	// others are the newest failure of each other class in the window,
	// in the order they first failed; othersBefore is set when all of
	// them came before class's first failure.
	others       []probe.Result
	othersBefore bool
}

// InWindow is what of t's results rs (oldest first) the verdict weighs at
// now: none older than horizon before now (0: no limit) — a window counts
// what is recent, and a failure ages out of it. The key probe waits out a
// Retry-After, so its last 12 results could reach minutes back: the banner
// and /metrics said "Unstable: 5 of the last 12 Claude API probes failed
// (401 …)" from failures long over while check, which reads the database
// within the horizon, said all clear (verdicts5 W2). The newest result
// always counts: it is what the target says now, however long its next
// probe waits. The canaries, asked minutes apart, and Claude Code's
// sessions, weighed by their own freshness, keep theirs. Window, the count,
// is watch's to apply, over the results it judges.
func InWindow(t probe.Target, rs []probe.Result, now time.Time, horizon time.Duration) []probe.Result {
	if horizon <= 0 || len(rs) == 0 || t.IsModel() || t == probe.TargetSessions {
		return rs
	}
	since := now.Add(-horizon)
	i := len(rs) - 1
	for i > 0 && !rs[i-1].Time.Before(since) {
		i--
	}
	return rs[i:]
}

// afterGap is rs (oldest first) from the newest gap on: two results of
// the target further apart than the stale limit (a restart, a machine
// asleep) mean we did not look in between, so what came before says what
// was, not what is — it neither holds a failure ("recovering") nor makes
// the target "Unstable" over the results after it, and the first result
// after the gap counts at once, as on a first start (cold4 C6: "Unstable:
// 6 of the last 12" for a minute after a restart, every row ok). The page's
// reads have the same rule (readPage); the canaries, asked minutes apart,
// have none.
func afterGap(t probe.Target, rs []probe.Result, staleAfter time.Duration) []probe.Result {
	if staleAfter <= 0 || t.IsModel() {
		return rs
	}
	for i := len(rs) - 1; i > 0; i-- {
		if rs[i].Time.Sub(rs[i-1].Time) > staleAfter {
			return rs[i:]
		}
	}
	return rs
}

// watch judges one target's results (oldest first) with hysteresis: the
// effective state moves to a new failure when two probes in a row show it
// (at once for a refusal with a Retry-After, which no probe may confirm
// sooner),
// and back to up after recover successes in a row. The first result counts
// at once, so a fault shows on the first screen.
func watch(t probe.Target, rs []probe.Result, recover int, https bool) view {
	v := view{target: t}
	if recover < 1 {
		recover = DefaultRecoverThreshold
	}
	judged := kept(rs, func(r *probe.Result) bool { return classify(*r, https) != sNone })
	states := make([]state, len(judged))
	for i := range judged {
		states[i] = classify(judged[i], https)
	}
	if len(states) > Window {
		states, judged = states[len(states)-Window:], judged[len(judged)-Window:]
	}
	if len(states) == 0 {
		if n := len(rs); n > 0 {
			v.latest = rs[n-1]
		}
		return v
	}
	v.total = len(states)
	v.latest, v.from = judged[len(judged)-1], judged[0].Time
	v.state, v.since, v.evidence = states[0], judged[0].Time, judged[0]
	succ := 0
	// A recovery holds once the target has answered twice as many times
	// in a row as it took to recover: a failure of the kind it recovered
	// from before that is the same failure again, not a blip (cold walk
	// of Dec 7: a minute of 529s, two answers, a 529 on both probes read
	// "✔ Operational … One failure, not yet a verdict").
	var from state // the failure the up state recovered from, until the recovery holds
	var fromAt time.Time
	ups := 0
	for i := 1; i < len(states); i++ {
		s, r := states[i], judged[i]
		switch {
		case s == v.state || (s.up() && v.state.up()):
			if s.up() && v.state.up() {
				v.state = s // ok and slow trade places at once: both are up
				if ups++; ups >= 2*recover {
					from = sNone
				}
			}
			v.evidence, succ = r, 0
		case s.up():
			succ++
			if succ >= recover {
				from, fromAt, ups = v.state, judged[i-succ+1].Time, succ
				v.state, v.since, v.evidence, succ = s, fromAt, r, 0
				v.relapse = time.Time{}
			}
		case s == from && v.state.up():
			v.state, v.since, v.evidence, succ = s, r.Time, r, 0
			v.relapse, v.relapseUps, from = fromAt, ups, sNone
		case states[i-1] == s:
			v.state, v.since, v.evidence, succ = s, judged[i-1].Time, r, 0
			v.relapse, from = time.Time{}, sNone
		case (s == sAccount || s == sLimited) && r.RateLimit.RetryAfter > 0:
			// Refused with a Retry-After: the next probe waits it out, so no
			// second one can confirm sooner; the refusal is the state now.
			v.state, v.since, v.evidence, succ = s, r.Time, r, 0
			v.relapse, from = time.Time{}, sNone
		default:
			succ = 0
		}
	}
	v.pending = succ
	// Up, but slow in at least half of the window's answers: slow.
	if v.state.up() {
		ups, slows := 0, 0
		for _, s := range states {
			if s.up() {
				ups++
			}
			if s == sSlow {
				slows++
			}
		}
		v.state = sUp
		if slows > 0 && slows*2 >= ups {
			v.state = sSlow
		}
	}

	// Instability: failures and successes taking turns, over and over,
	// and still going on in the newest half of the window.
	flips, ups := 0, 0
	counts := map[probe.Class]int{}
	latest := probe.ClassUnknown
	for i, s := range states {
		if s.up() {
			ups++
		} else {
			v.fails++
			counts[judged[i].Class]++
			latest = judged[i].Class
		}
		if i > 0 && s.up() != states[i-1].up() {
			flips++
		}
	}
	half := states[len(states)/2:]
	mixed := false
	for _, s := range half {
		if s.up() != half[0].up() {
			mixed = true
		}
	}
	v.unstable = flips >= 3 && v.fails >= 2 && ups >= 2 && mixed
	fails := make([]bool, len(states))
	for i, s := range states {
		fails[i] = !s.up()
	}
	v.mostFail = mostlyFailed(fails)
	if v.unstable && (refusedNow(states, recover) || v.state == sAccount || v.state == sLimited) {
		// On and off before, refused the credential or quota now: the
		// refusal is what every request meets, the blip is history (a 429
		// on the key after a few 529s read "Unstable … (overloaded)"). A
		// refusal with a Retry-After is the state at once (above), the
		// next probe waiting it out: one is enough here too.
		v.unstable = false
	}
	if len(counts) > 0 {
		v.class = probe.MostClass(counts, latest)
	}
	if v.unstable {
		// Say what the failures in progress are: when the newest half
		// fails one way, again and again, that way — not older ones of
		// another kind still in the window ("failed
		// (network)" from timeouts that had ended, beside 529s now —
		// cold5 D5).
		recent := map[probe.Class]int{}
		for i := len(states) / 2; i < len(states); i++ {
			if !states[i].up() {
				recent[judged[i].Class]++
			}
		}
		for c, n := range recent {
			if len(recent) == 1 && n >= 2 {
				v.class = c // one kind, over and over: that is what goes on
			}
		}
	}
	for i := len(judged) - 1; i >= 0; i-- {
		if judged[i].Class == v.class && !states[i].up() {
			v.status, v.classState = judged[i].HTTPStatus, states[i]
			break
		}
	}
	v.others, v.othersBefore = otherClasses(states, judged, v.class)
	return v
}

// mostly reports whether the target, unstable, fails on Anthropic's side
// at least twice as often as it answers: failing, with answers now and
// then — not
// Degraded (cold walk of Dec 7: "▲ Degraded … Unstable: 19 of 24 Claude
// API probes … failed (529 overloaded)", exit 1 as for a local fault,
// while a steady 529 was exit 2).
func (w view) mostly() bool {
	return w.unstable && w.mostFail && w.classState == sAnthropic
}

// mostlyFailed reports whether at least two thirds of a window (oldest
// first) failed, in the whole of it and in its newest half: what goes on
// now, not timeouts that ended before the flapping began.
func mostlyFailed(fails []bool) bool {
	two := func(fs []bool) bool {
		n := 0
		for _, f := range fs {
			if f {
				n++
			}
		}
		return len(fs) > 0 && 3*n >= 2*len(fs)
	}
	return two(fails) && two(fails[len(fails)/2:])
}

// failedOf says how many of the window's probes failed, and over how long:
// "5 of 12 Claude API probes in the last 6 min" (one and many name the
// probe). The window is a count and a time: the count alone ("5 of the
// last 12") hid that the 12 could reach back a quarter of an hour.
func (w view) failedOf(one, many string) string {
	noun := many
	if w.total == 1 {
		noun = one
	}
	return fmt.Sprintf("%d of %d %s in the last %s", w.fails, w.total, noun, lastWords(w.latest.Time.Sub(w.from)))
}

// lastWords is a window's length for "in the last …", rounded up so that
// every probe counted is inside it: "minute", "6 min", "1 h 5 min".
func lastWords(d time.Duration) string {
	if d <= time.Minute {
		return "minute"
	}
	return probe.Span{Units: 2, Least: time.Minute}.Format(d + time.Minute - 1)
}

// official is what we know of the status page, with its age and source.
type official struct {
	st      *probe.Status // the last snapshot read, nil if none
	state   probe.OfficialState
	read    time.Time    // when st was read
	since   time.Time    // unreadable since: the first failed read after read; zero while only one read failed (a since we did not observe)
	why     string       // why it is unreadable, for people
	last    probe.Result // the newest read, good or not
	drives  bool         // st is fresh enough to count as a current fact
	foreign string       // the other page's name, when it is not Claude's
}

// readPage judges the status page's reads against the last snapshot.
func readPage(st *probe.Status, rs []probe.Result, now time.Time, staleAfter time.Duration) official {
	o := official{st: st, state: probe.OfficialNone}
	judged := judged(rs)
	if st != nil {
		o.read = st.Fetched
		// The store keeps a snapshot once, stamped with the first read
		// of its content: a later good read of the same page is when it
		// was last read (check on the dashboard's database said the
		// page was read 20 s ago while the dashboard said 8 s — cold6
		// E5). A read of other content would have stored its own.
		for _, r := range judged {
			if r.Class.Up() && r.Time.After(o.read) && (r.Detail == "" || r.Detail == st.Indicator) {
				o.read = r.Time
			}
		}
	}
	if n := len(judged); n > 0 {
		o.last = judged[n-1]
	}
	failedLast := o.last.Class.Failing() && (st == nil || o.last.Time.After(o.read))
	switch {
	case failedLast:
		o.state = probe.OfficialUnreadable
		o.since = o.last.Time
		n := 0
		for i := len(judged) - 1; i >= 0 && judged[i].Class.Failing() && (st == nil || judged[i].Time.After(o.read)); i-- {
			if n > 0 && staleAfter > 0 && o.since.Sub(judged[i].Time) > staleAfter {
				break // no reads for longer than the stale limit: the run we saw begins after the gap
			}
			o.since, n = judged[i].Time, n+1
		}
		if n < 2 {
			// One failed read (check has no other) is a fact about
			// that moment: "since" it would only ever say "now".
			o.since = time.Time{}
		}
		o.why = UnreadableWhy(o.last)
		if o.last.ErrorType == ErrForeignPage {
			o.state, o.foreign = probe.OfficialForeign, o.last.Detail
		}
	case st == nil:
	case staleAfter > 0 && now.Sub(o.read) > staleAfter:
		o.state = probe.OfficialStale
	default:
		o.state = probe.OfficialFresh
	}
	// A foreign page after a good read of Claude's is like an unreadable one:
	// the last good read still drives, said with its time, until stale
	// (cold walk: a degraded read 27 s old was dropped for "Claude answers
	// from here"). A page foreign from the start left nothing of Claude's.
	o.drives = st != nil && (staleAfter <= 0 || now.Sub(o.read) <= staleAfter)
	return o
}

// ErrForeignPage is the ErrorType of a status page that answered with
// another page than Claude's; Detail names it.
const ErrForeignPage = "foreign_page"

// UnreadableWhy says in a few words why the status page could not be read
// from one failed read: "HTML challenge", "503 Service Unavailable".
func UnreadableWhy(r probe.Result) string {
	switch r.ErrorType {
	case ErrForeignPage:
		name := r.Detail
		if name == "" {
			name = "another page id"
		}
		return "not Claude's status page (" + probe.Line(name, 40) + ")"
	case "html":
		if strings.Contains(r.Message, "challenge") {
			return "HTML challenge"
		}
		return "an HTML page, not JSON"
	case "not_json", "wrong_shape":
		return "not status JSON"
	case "too_large":
		return "a body over 1 MiB"
	case probe.NetTimeout:
		return "timed out"
	case probe.NetReset:
		return "connection reset"
	case probe.NetRefused:
		return "connection refused"
	case probe.NetDNS:
		return "DNS lookup failed"
	case probe.NetTLS:
		return "TLS handshake failed"
	case probe.NetProxy:
		if r.HTTPStatus != 0 {
			return "the proxy answered " + strconv.Itoa(r.HTTPStatus)
		}
		return "proxy failed"
	}
	if r.HTTPStatus != 0 && r.HTTPStatus != 200 {
		return probe.StatusText(r.HTTPStatus)
	}
	if r.Class == probe.ClassNetwork {
		return "network error"
	}
	return probe.Line(r.Message, 60)
}

// yourLimit reports whether a 429 on the key probe is the key's own rate
// limit: its anthropic-ratelimit headers show a limit used up, or, without
// them, the API's words name your account's limit. A bare "Rate limited"
// while the headers show room is what Claude Code calls the server
// limiting requests, "not your usage limit": likely Anthropic's.
func yourLimit(r probe.Result) bool {
	if used, known := r.RateLimit.UsedUp(); known {
		return used
	}
	m := strings.ToLower(apiMessage(r))
	return !bareRateLimited(m)
}

// bareRateLimited reports whether the API's message is only "Rate
// limited" (with "please try again later" at most): no word of whose
// limit.
func bareRateLimited(lower string) bool {
	m := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(lower), "."))
	m = strings.TrimSpace(strings.TrimSuffix(m, "please try again later"))
	m = strings.TrimSpace(strings.TrimSuffix(m, "."))
	return m == "rate limited"
}

// refusedNow reports whether the newest results, as many as end a failure,
// are all refusals of the credential or quota.
func refusedNow(states []state, recover int) bool {
	if len(states) < recover {
		return false
	}
	for _, s := range states[len(states)-recover:] {
		if s != sAccount && s != sLimited {
			return false
		}
	}
	return true
}
