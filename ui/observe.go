package ui

import (
	"fmt"
	"strings"

	"downforai/probe"
	"downforai/probe/judge"
)

// observe turns the rings and the official status into plain sentences:
// failures first, then the official news (incidents, maintenance, a page
// that cannot be read), then what is healthy with the page's all-clear
// first. When room is short the list is cut from the end, so what fails
// is what stays.
func observe(b *board) []observation {
	var official, bad, good []observation
	var pageOK, recovered []observation
	if o := b.verdict.Official; o.State != probe.OfficialFresh && b.hasData() {
		// What the page said is not a current fact: say what we know of
		// it, with its age, and nothing it listed.
		official = append(official, observation{toneMuted, symUnknown, pageStanding(b, o), obsOther})
	} else if st := b.status; st != nil {
		for _, in := range st.Incidents {
			sym, tn := impactLook(in.Impact)
			official = append(official, observation{tn, sym,
				fmt.Sprintf("status page: %s (%s)", probe.Line(in.Name, 80), probe.StatusWord(in.Status)), obsIncident})
		}
		for _, mt := range st.Maintenances {
			if mt.Status != "in_progress" && mt.Status != "verifying" {
				continue
			}
			official = append(official, observation{toneInfo, symInfo,
				fmt.Sprintf("status page: maintenance %s (%s)", probe.Line(mt.Name, 80), probe.StatusWord(mt.Status)), obsMaintenance})
		}
		if len(official) == 0 && st.Description != "" {
			sym, tn := symOK, toneGood
			if st.Indicator != "none" {
				sym, tn = impactLook(st.Indicator)
			}
			o := observation{tn, sym, "status page: " + probe.Line(st.Description, 80), obsOther}
			if tn == toneGood {
				pageOK = append(pageOK, o)
			} else {
				official = append(official, o)
			}
		}
	}
	for _, t := range b.targets {
		// What the verdict weighs: after a restart, the database's
		// results older than the horizon are no current fact (they stay
		// in the strips and History).
		all := b.counted(t, b.results(t))
		rs := judge.InWindow(t, all, b.now, b.horizon)
		if len(rs) == 0 {
			continue
		}
		last := rs[len(rs)-1]
		if t == probe.TargetSessions {
			continue // compared with our probes below, not counted as probes
		}
		if t == probe.TargetCode {
			good, bad = observeCode(last, good, bad)
			continue
		}
		if o, ok := observeFailures(t, rs, b.local, len(rs) < len(all)); ok {
			if !last.Class.Failing() {
				if judge.Alternating(t, rs, b.recover) {
					// Taking turns: the newest answer is one more turn, not a
					// recovery, and it is what the banner's "Unstable" is about.
					bad = append(bad, observeAlternating(b, t, rs))
					continue
				}
				// Failures of the last few probes, but the newest answered:
				// no current fact, and not to lead the list (cold2 C5, C10).
				recovered = append(recovered, observeRecovered(b, t, rs))
				continue
			}
			bad = append(bad, o)
			continue
		}
		if o, ok := observeHealthy(t, last); ok {
			good = append(good, o)
		}
	}
	bad = append(bad, observeSessions(b)...)
	out := append(bad, official...)
	out = append(out, recovered...)
	out = append(out, pageOK...)
	return append(out, good...)
}

// pageStanding is the status page as a fact we do not have right now:
// "status page: could not be read since 14:02:10 (HTML challenge); last
// read 13:58:02: All Systems Operational".
func pageStanding(b *board, o probe.Official) string {
	var s string
	switch o.State {
	case probe.OfficialUnreadable:
		s = "status page: could not be read"
		if !o.Since.IsZero() {
			s += " since " + clock(b.now, o.Since)
		}
		if o.Why != "" {
			s += " (" + o.Why + ")"
		}
	case probe.OfficialForeign:
		s = "status page: " + o.Why + ": nothing on it is about Claude"
	case probe.OfficialStale:
		s = "status page: not read for " + age(b.now.Sub(o.Read))
	default:
		return "status page: not read yet"
	}
	if st := b.status; st != nil && !o.Read.IsZero() && o.State != probe.OfficialForeign {
		desc := probe.Line(st.Description, 60)
		if desc == "" {
			desc = "no overall status"
		}
		s += "; last read " + clock(b.now, o.Read) + " (" + age(b.now.Sub(o.Read)) + " ago): " + desc
	}
	return s
}

// observeFailures reports the failure among the last few probes that the
// target got last, then the commonest other one: "3 of the last 12 API
// probes got no answer (timed out); before, 4 got 529 overloaded". The
// newest failure leads: a line under "right now" that named the commonest
// class said 529 while the API timed out, and "no answer" beside a banner
// quoting the key's fresh 429 (cold5 D1, D20).
func observeFailures(t probe.Target, rs []probe.Result, local *probe.LocalReport, older bool) (observation, bool) {
	if len(rs) > judge.Window {
		rs, older = rs[len(rs)-judge.Window:], true
	}
	return failuresSaid(t, rs, local, older)
}

// failuresSaid is observeFailures over every result of rs: a run of
// failures that ended is counted whole, not its newest Window.
func failuresSaid(t probe.Target, rs []probe.Result, local *probe.LocalReport, older bool) (observation, bool) {
	// A network failure is counted by its kind too: "the last 11 got no
	// answer (timed out)" of 7 timeouts and 4 refusals named one kind for
	// both (cold M3).
	type kind struct {
		c   probe.Class
		net string
	}
	kindOf := func(r probe.Result) kind {
		if r.Class == probe.ClassNetwork {
			return kind{r.Class, r.ErrorType}
		}
		return kind{r.Class, ""}
	}
	counts := map[kind]int{}
	var newest kind
	last := map[kind]probe.Result{}
	for _, r := range rs {
		if !r.Class.Failing() {
			continue
		}
		k := kindOf(r)
		counts[k]++
		last[k] = r
		newest = k
	}
	how := func(k kind) string {
		if s, ok := gatewayHow(last[k], local); ok {
			return s
		}
		return failedHow(t, k.c, last[k].HTTPStatus, last[k].ErrorType)
	}
	if counts[newest] == 0 {
		return observation{}, false
	}
	var other kind
	for k, n := range counts {
		if k == newest || n < counts[other] {
			continue
		}
		// The commonest, then the worse, then by name: never map order.
		if n > counts[other] || k.c.Severity() > other.c.Severity() ||
			k.c.Severity() == other.c.Severity() && (k.c < other.c || k.c == other.c && k.net < other.net) {
			other = k
		}
	}
	one, many := t.Noun()
	lead := probe.OfTheLast(counts[newest], len(rs), one, many)
	if older && len(rs) == 1 {
		// Older probes lie outside the window: the one in it is no
		// "only … so far" (cold M7: said after 119 claude.ai probes).
		lead = "the newest " + one
	}
	text := lead + " " + singular(counts[newest], how(newest))
	if counts[other] > 0 {
		text += fmt.Sprintf("; before, %d %s", counts[other], singular(counts[other], how(other)))
	}
	rest := -counts[newest] - counts[other]
	for _, n := range counts {
		rest += n
	}
	if rest > 0 {
		// Every failure counted: "6 got 407; before, 5 got 401" said 11
		// of a run of 20 (cold walk of Dec 7).
		text += fmt.Sprintf(", and %d more failed otherwise", rest)
	}
	sym, tn := classLook(newest.c)
	return observation{tn, sym, text, obsOther}, true
}

// singular makes failedHow's verb agree with a count of one: "the only
// claude.ai probe so far was rate limited", not "were".
func singular(n int, what string) string {
	if rest, ok := strings.CutPrefix(what, "were "); ok && n == 1 {
		return "was " + rest
	}
	return what
}

// observeRecovered is a target whose newest probes answer after
// failures among the last few: "API probes succeed again since 14:02:10,
// after 8 in a row from 13:58:10 got no answer (connection refused)". The
// failures are the run that ended at the recovery, counted over every
// result kept, not the window: "after 10 of the last 12" shrank round by
// round as the window slid, beside a strip still drawing ten × (cold walk
// of Dec 7).
func observeRecovered(b *board, t probe.Target, rs []probe.Result) observation {
	since := rs[len(rs)-1].Time
	for i := len(rs) - 1; i >= 0 && !rs[i].Class.Failing(); i-- {
		since = rs[i].Time
	}
	all := b.counted(t, b.results(t))
	end := len(all)
	for end > 0 && !all[end-1].Time.Before(since) {
		end--
	}
	start := end
	for start > 0 && all[start-1].Class.Failing() {
		start--
	}
	run := all[start:end]
	one, many := t.Noun()
	subject := many
	if r, ok := b.latest(probe.TargetAPIKey); t == probe.TargetAPI && ok && r.Class.Failing() {
		// The probe with the key fails now (a 429, a 529): "API probes
		// succeed again" beside it would say the API answers this user.
		subject = "API probes without a key"
	}
	text := fmt.Sprintf("%s succeed again since %s", subject, clock(b.now, since))
	o, ok := failuresSaid(t, run, b.local, false)
	if !ok {
		return observation{toneWarn, symWarn, text, obsOther}
	}
	n, what, _ := strings.Cut(o.text, " "+many+" ")
	if len(run) == 1 {
		_, what, _ = strings.Cut(o.text, " "+one+" so far ")
		return observation{toneWarn, symWarn, fmt.Sprintf("%s, after one failure at %s (it %s)", text, clock(b.now, run[0].Time), what), obsOther}
	}
	if strings.HasPrefix(n, "the last ") {
		return observation{toneWarn, symWarn, fmt.Sprintf("%s, after %d in a row from %s %s", text, len(run), clock(b.now, run[0].Time), what), obsOther}
	}
	first, _, _ := strings.Cut(n, " ")
	return observation{toneWarn, symWarn, fmt.Sprintf("%s, after %d in a row from %s: %s %s", text, len(run), clock(b.now, run[0].Time), first, what), obsOther}
}

// observeAlternating is a target whose probes take turns failing and
// answering and whose newest one answered: "API probes take turns failing
// and answering: 5 of the last 12 got 529 overloaded; the newest answered
// at 14:02:10". Not "succeed again since …" (live2): the banner says
// Unstable, and the next probe may well fail.
func observeAlternating(b *board, t probe.Target, rs []probe.Result) observation {
	if len(rs) > judge.Window {
		rs = rs[len(rs)-judge.Window:]
	}
	o, _ := observeFailures(t, rs, b.local, false)
	_, many := t.Noun()
	n, what, _ := strings.Cut(o.text, " "+many+" ")
	how := "take turns failing and answering"
	if judge.MostlyFailing(t, rs, b.recover) {
		// "take turns" read as half and half beside 10 of 12 failing.
		how = "fail most of the time, answering now and then"
	}
	return observation{toneWarn, symWarn, fmt.Sprintf("%s %s: %s %s; the newest answered at %s", many, how, n, what, clock(b.now, rs[len(rs)-1].Time)), obsOther}
}

// failedHow is what the probes of one class got, as the end of "3 of the
// last 5 API probes …": every class reads as English, and says who
// answered when it was not the target ("got 407 from a proxy").
// netWords is a network failure's kind in words: "(network: reset)" read
// as "your network" beside a banner that says Anthropic's side reset the
// connection after it was made.
func netWords(errType string) string {
	switch errType {
	case probe.NetDNS:
		return "DNS lookup failed"
	case probe.NetRefused:
		return "connection refused"
	case probe.NetReset:
		return "connection reset"
	case probe.NetTimeout:
		return "timed out"
	case probe.NetTLS:
		return "TLS handshake failed"
	case probe.NetConnect:
		return "could not connect"
	}
	return probe.Line(errType, 20)
}

func failedHow(t probe.Target, c probe.Class, code int, errType string) string {
	switch {
	case t.IsModel() && errType == "not_found_error":
		// The row's and the incident's words: one 404, one name (cold5 D18).
		return "got 404: no such model (check --canary)"
	case c == probe.ClassNetwork && (code == 407 || errType == probe.NetProxy):
		if code == 0 {
			return "got no answer: a proxy on the way refused them"
		}
		return fmt.Sprintf("got %d from a proxy on the way, not from the service", code)
	case c == probe.ClassNetwork:
		what := "got no answer"
		if code != 0 {
			// The status line came, the rest did not.
			what = fmt.Sprintf("got a %d whose answer broke off", code)
		}
		if errType != "" {
			what += " (" + netWords(errType) + ")"
		}
		return what
	case errType == probe.ErrNotAnthropic:
		return fmt.Sprintf("got %d from a filter, proxy or portal on the way, not from Anthropic", code)
	case errType == probe.ErrBaseURLV1:
		return "got 404 Not Found: the API URL ends in /v1, so they asked /v1/v1/…"
	case errType == probe.ErrBaseURL404 && !t.IsModel():
		// The verdict's words: /v1/models alone tells neither way.
		return "got 404 Not Found at /v1/models under the API URL set: a gateway that does not list models, or a wrong URL"
	case errType == probe.ErrBaseURL404:
		return "got 404 Not Found at a path every Anthropic API serves: likely the API URL set"
	case code == 200 && c != probe.ClassUnexpected:
		// The answer began well and failed in its stream (a canary).
		switch errType {
		case "stream_stalled":
			return "got 200, then the stream stalled"
		case "stream_incomplete":
			return "got 200, then the stream broke off"
		case "":
			return "got 200, then an error in the stream"
		}
		return "got 200, then an error in the stream (" + probe.Line(errType, 30) + ")"
	}
	// With an HTTP status to quote, and without (a stream or process that
	// failed before one).
	withCode, without := "failed (%d "+classWord(c)+")", "failed ("+classWord(c)+")"
	switch c {
	case probe.ClassOverloaded:
		withCode, without = "got %d overloaded", "were overloaded"
	case probe.ClassServer:
		withCode, without = "got %d server error", "got a server error"
	case probe.ClassRateLimited:
		withCode, without = "were rate limited (%d)", "were rate limited"
	case probe.ClassAuth:
		withCode, without = "got %d: the credential was refused", "were refused: the credential was not accepted"
	case probe.ClassBilling:
		withCode, without = "got %d: refused for billing (credit, plan or a disabled organisation)", "were refused for billing (credit, plan or a disabled organisation)"
	case probe.ClassUnexpected:
		withCode, without = "got an answer of the wrong shape (HTTP %d)", "got an answer of the wrong shape"
	}
	if code == 0 {
		return without
	}
	return fmt.Sprintf(withCode, code)
}

func observeHealthy(t probe.Target, r probe.Result) (observation, bool) {
	ms := fmt.Sprintf("%d ms", r.Latency().Milliseconds())
	sym, tn := classLook(r.Class)
	switch {
	case r.Class == probe.ClassSlow:
		return observation{tn, sym, fmt.Sprintf("%s is slow: %s, over the latency budget", t.Label(), ms), obsOther}, true
	case !r.Class.Up():
		return observation{}, false
	case t == probe.TargetStatus:
		return observation{tn, sym, "the status page answers in " + ms, obsLatency}, true
	case t == probe.TargetAPI:
		return observation{tn, sym, fmt.Sprintf("the API front door answers in %s (HTTP %d without a key, as expected)", ms, r.HTTPStatus), obsLatency}, true
	case t == probe.TargetAPIKey:
		s := "your key works: the API answers in " + ms
		if rl := r.RateLimit; rl.RequestsLimit > 0 {
			s += fmt.Sprintf("; %d of %d requests left", rl.RequestsRemaining, rl.RequestsLimit)
		}
		return observation{tn, sym, s, obsLatency}, true
	}
	return observation{tn, sym, fmt.Sprintf("%s answers in %s", t.Label(), ms), obsLatency}, true
}

func observeCode(r probe.Result, good, bad []observation) ([]observation, []observation) {
	sym, tn := classLook(r.Class)
	detail := probe.Line(r.Detail, 60)
	switch {
	case r.Class.Failing():
		msg := probe.Line(r.Message, 80)
		if msg == "" {
			msg = classWord(r.Class)
		}
		return good, append(bad, observation{tn, sym, "Claude Code CLI: " + msg, obsOther})
	case r.Class.Up():
		if detail == "" {
			detail = "works"
		}
		return append(good, observation{tn, sym, "Claude Code CLI: " + detail, obsOther}), bad
	case detail != "":
		return append(good, observation{tn, sym, "Claude Code CLI: " + detail, obsOther}), bad
	}
	return good, bad
}
