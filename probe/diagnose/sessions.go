package diagnose

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"downforai/probe"
	"downforai/probe/catalogue"
	"downforai/probe/judge"
)

// Windows of the sessions line.
const (
	SessionsErrorWindow = 15 * time.Minute // "3 API errors in the last 15 min"
	SessionsCallWindow  = time.Hour        // "no errors in the last hour, 42 requests"
)

// SessionsLine is the one line the dashboard shows for Claude Code's own
// calls: "3 API errors in the last 15 min: 529 overloaded ×2, 429 ×1 · last
// 14:02:11 req_…", or "no errors in the last hour, 42 requests". worst is
// the class to colour it by (probe.ClassOK when nothing failed, probe.ClassUnknown when
// there is nothing to say).
func SessionsLine(r *probe.SessionsReport, now time.Time, loc *time.Location) (line string, worst probe.Class) {
	switch {
	case r == nil:
		return "reading Claude Code's transcripts…", probe.ClassUnknown
	case r.Err != "":
		return probe.Line(r.Err, 200), probe.ClassUnknown
	case !r.Found:
		return "no transcripts in " + r.Dir + " (Claude Code not used on this account?)", probe.ClassUnknown
	}
	var reading string
	if p := r.Progress; p.Reading {
		reading = fmt.Sprintf("reading the history: %d%% of %s", p.Percent(), bytesWord(p.Size))
	}
	recent := r.Stats(now.Add(-SessionsErrorWindow))
	hour := r.Stats(now.Add(-SessionsCallWindow))
	var s string
	switch {
	case recent.Errors > 0:
		worst = probe.ClassOK
		var kinds []string
		for _, k := range recent.Kinds {
			kinds = append(kinds, fmt.Sprintf("%s ×%d", k, recent.ByKind[k]))
		}
		s = fmt.Sprintf("%d API error%s in the last 15 min: %s", recent.Errors, probe.Plural(recent.Errors), strings.Join(kinds, ", "))
		if e := recent.LastError; e != nil {
			worst = e.Class
			s += " · last " + e.Time.In(loc).Format("15:04:05")
			if e.RequestID != "" {
				s += " " + e.RequestID
			}
		}
	case hour.Errors > 0:
		worst = probe.ClassOK
		s = fmt.Sprintf("no errors in the last 15 min; %d in the last hour, %d request%s", hour.Errors, hour.Requests, probe.Plural(hour.Requests))
	case hour.Requests > 0:
		worst = probe.ClassOK
		s = fmt.Sprintf("no errors in the last hour, %d request%s", hour.Requests, probe.Plural(hour.Requests))
	default:
		worst = probe.ClassUnknown
		s = "no calls in the last hour"
		if c := r.Window.Current; c != nil {
			s += " (the last " + ago(now.Sub(c.Last)) + " ago)"
		}
	}
	if reading != "" {
		s = reading + " · " + s
	}
	if u := UnreadWords(r.Progress, now); u != "" {
		s += " · " + u
	}
	return s, worst
}

// UnreadWords says what a read cut short left ("older transcripts not
// read: 1.2 GB in 14 files, the newest written 2d ago"), "" when it read
// everything. The newest files are read first: when the newest left was
// written before the last 15 minutes, the calls the verdict weighs were
// all read; when not, it says so.
func UnreadWords(p probe.SessionProgress, now time.Time) string {
	if p.Unread <= 0 {
		return ""
	}
	s := fmt.Sprintf("older transcripts not read: %s in %d file%s", bytesWord(p.Unread), p.UnreadFiles, probe.Plural(p.UnreadFiles))
	if !p.UnreadNewest.IsZero() {
		s += ", the newest written " + ago(max(now.Sub(p.UnreadNewest), 0)) + " ago"
		if now.Sub(p.UnreadNewest) < SessionsErrorWindow {
			s += ": recent calls may be among them"
		}
	}
	return s
}

// NoWindow is what the usage line says with no local 5-hour block: no
// answer with token usage in the last 5 hours. Not "no calls" — failed
// calls are counted as calls on the sessions line — and not "no window
// open": the plan's window at Anthropic may be (a session limit is hit
// inside one).
const NoWindow = "no answered call in the last 5 h"

// Reset is when Anthropic says the plan's 5-hour window resets, and where
// that was read.
type Reset struct {
	At time.Time
	// FromUsage: the usage call's answer (--code-usage), asked at Asked;
	// else the limit message of a session call at Asked.
	FromUsage bool
	Asked     time.Time
}

// Source names where the reset was read, for a clause: "Anthropic's usage
// answer", "your session's limit message".
func (r Reset) Source() string {
	if r.FromUsage {
		return "Anthropic's usage answer"
	}
	return "your session's limit message"
}

// PlanReset is Anthropic's own word on when the 5-hour window resets: the
// usage call's five_hour reset when it answered, else the reset named by
// the newest usage-limit message of the sessions' calls ("You've hit your
// session limit · resets 12:50am (America/Los_Angeles)") — each only while
// still to come. false when neither says: the transcripts' block is then
// all there is, an estimate.
func PlanReset(u *probe.CodeUsage, r *probe.SessionsReport, now time.Time, loc *time.Location) (Reset, bool) {
	if l, ok := u.Limit("five_hour"); ok && !u.Rejected && u.Unavailable == "" && l.ResetsAt.After(now) {
		return Reset{At: l.ResetsAt, FromUsage: true, Asked: u.Time}, true
	}
	if r == nil {
		return Reset{}, false
	}
	for i := len(r.Recent) - 1; i >= 0; i-- {
		c := r.Recent[i]
		if c.Class != probe.ClassRateLimited {
			continue
		}
		// The message read as a pasted one, at the time it was shown: a
		// clock it names is the next after that.
		lim, ok := ReadLimit(Diagnose(c.Message), nil, nil, c.Time, loc)
		if !ok {
			continue
		}
		if (lim.Kind != LimitSession && lim.Kind != LimitPlan) || lim.Source != ResetFromMessage || lim.DateOnly || !lim.Reset.After(now) {
			return Reset{}, false // another allowance, no hour, or the newest limit's reset has passed
		}
		return Reset{At: lim.Reset, Asked: c.Time}, true
	}
	return Reset{}, false
}

// EstimateWords marks what the transcripts' 5-hour block says: an
// estimate of the window, counted the way ccusage does.
const EstimateWords = "estimated from your sessions"

// WindowLine is the compact usage line. Anthropic's reset leads when it
// is known ("plan 5-hour 61%, resets 15:12, in 1h 12m · 2.1 M tokens so
// far · burn 31 k/min"); else the transcripts' block, marked an estimate
// ("1h 12m left (estimated from your sessions) · 2.1 M tokens so far ·
// burn 31 k/min"). One countdown, never two that disagree.
func WindowLine(r *probe.SessionsReport, u *probe.CodeUsage, now time.Time, loc *time.Location) string {
	var w probe.CodeWindow
	if r != nil {
		w = r.Window
	}
	var parts []string
	reset, known := PlanReset(u, r, now, loc)
	l, planned := u.Limit("five_hour")
	planned = planned && !u.Rejected && u.Unavailable == ""
	switch {
	case known && reset.FromUsage:
		parts = append(parts, fmt.Sprintf("plan 5-hour %.0f%%, resets %s, in %s", l.Utilization, probe.ResetClock(reset.At, now, loc), Countdown(reset.At.Sub(now))))
		planned = false
	case known:
		parts = append(parts, fmt.Sprintf("limit resets %s, in %s (%s)", probe.ResetClock(reset.At, now, loc), Countdown(reset.At.Sub(now)), reset.Source()))
	}
	if c := w.Current; c != nil {
		if !known {
			parts = append(parts, Countdown(c.End.Sub(now))+" left ("+EstimateWords+")")
		}
		parts = append(parts, TokenCount(c.Tokens.Total())+" tokens so far")
		if b := c.BurnPerMinute(); b > 0 {
			parts = append(parts, "burn "+TokenCount(int64(b))+"/min")
		}
	} else {
		// The local window is counted from answers' tokens only; a failed
		// call carries none, and Anthropic's own window may be open (the
		// plan's percentage beside this says so). So say what was seen.
		parts = append(parts, NoWindow)
	}
	if planned {
		parts = append(parts, fmt.Sprintf("plan 5-hour %.0f%%", l.Utilization))
	}
	return strings.Join(parts, " · ")
}

// TokenCount is a token count for people: "950", "31 k", "2.1 M".
func TokenCount(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10)
	case n < 1_000_000:
		return fmt.Sprintf("%.0f k", float64(n)/1e3)
	case n < 10_000_000:
		return fmt.Sprintf("%.1f M", float64(n)/1e6)
	}
	return fmt.Sprintf("%.0f M", float64(n)/1e6)
}

// Countdown is how long until a reset, or since one: "1h 12m", "12m",
// "<1m", "3d 4h" from two days. It is the one form for every window,
// limit and reset line — Live, Troubleshooting, diagnose and the pasted
// error — so the same reset never reads "1h 12m" in one place and
// "1 h 12 min" in another. Minutes are padded after hours ("1h 05m": a
// countdown that keeps its width) and truncated, never rounded up: a
// reset is not nearer than it says.
func Countdown(d time.Duration) string {
	return probe.Span{Compact: true, Least: time.Minute, Under: "<1m", Pad: true, DaysFrom: 48 * time.Hour}.Format(d)
}

func ago(d time.Duration) string { return Countdown(d) }

// refusedWhat is which credential a session's 401 refused, as far as its
// words say: an OAuth token's expiry or revocation is Claude Code's login;
// words about a key are a key; else either, and Local checks say which
// Claude Code sends here (a key in the environment beats the login).
func refusedWhat(e probe.Result) string {
	m, _ := catalogue.MatchResult(e)
	switch {
	case m.ID == catalogue.EntryOAuthExpired, m.ID == catalogue.EntryOAuthRevoked, m.ID == catalogue.EntryOAuthNotSupported, m.ID == catalogue.EntryOAuthOrgNotAllowed:
		return "Claude Code's login is refused — run /login"
	case strings.Contains(strings.ToLower(e.Message), "key"):
		return "the key Claude Code sent is refused — check it (Local checks show the one in effect, masked)"
	}
	return "the credential Claude Code sent is refused — Local checks show which it sends here: /login for its login, else the key"
}

func bytesWord(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// SessionsSay compares what Claude Code's calls met with what our probes
// see, in sentences with times: "your sessions got 529 at 14:02:11 — our
// API probe also sees 529 (14:02:30): Anthropic overloaded, not yet
// acknowledged". It says nothing when the sessions had no error in the
// last 15 minutes, and nothing of probes older than staleAfter (0: any
// age). Nor does it compare with an API probe that does not go where
// Claude Code calls (local: --api-url given to downforai alone): it says
// so instead.
func SessionsSay(r *probe.SessionsReport, recent map[probe.Target][]probe.Result, st *probe.Status, local *probe.LocalReport, now time.Time, staleAfter time.Duration, loc *time.Location) []string {
	if r == nil {
		return nil
	}
	stats := r.Stats(now.Add(-SessionsErrorWindow))
	e := stats.LastError
	if e == nil {
		return nil
	}
	at := e.Time.In(loc).Format("15:04:05")
	what := probe.SessionErrorKind(*e)
	if e.HTTPStatus == 0 && e.Class != probe.ClassNetwork {
		what = classPhrase(e.Class)
	}
	// The API probe that speaks to this error: one failing the same way
	// if any does, else the newest.
	api, fresh := latestAPI(recent, now, staleAfter, func(r probe.Result) bool {
		return r.Class == e.Class || (e.Class.ProviderSide() && r.Class.ProviderSide())
	})
	probeAt := ""
	if fresh {
		probeAt = " (" + api.Time.In(loc).Format("15:04:05") + ")"
	}
	lead := fmt.Sprintf("your sessions got %s at %s", what, at)
	if stats.Errors > 1 {
		lead = fmt.Sprintf("your sessions got %d errors in 15 min, the last %s at %s", stats.Errors, what, at)
	}
	var out []string
	ours, where, elsewhere := judge.ProbedElsewhere(local)
	switch {
	case elsewhere:
		out = append(out, lead+" — "+ours+", not where Claude Code calls ("+where+"), so it does not compare")
	case !fresh:
		out = append(out, lead+" — our API probes have no fresh answer to compare")
	case e.Class.ProviderSide() && api.Class.ProviderSide():
		s := fmt.Sprintf("%s — our API probe also sees %s%s: Anthropic %s", lead, probe.SessionErrorKind(api), probeAt, providerWord(api.Class))
		if apiAcknowledged(st) {
			s += ", acknowledged on the status page"
		} else if st != nil {
			s += ", not yet acknowledged"
		}
		out = append(out, s)
	case e.Class.ProviderSide() && api.Class.Up():
		out = append(out, fmt.Sprintf("%s while our API probe passes%s: likely the model or path Claude Code uses (our probe reads /v1/models)", lead, probeAt))
	case e.Class == probe.ClassRateLimited && api.Class.Up():
		// The plan's limit is a fact only in the sessions' own words ("You've
		// hit your session limit"); a bare 429 may be a key's rate limit.
		whose := "likely a rate limit of your plan or API key"
		if m, ok := catalogue.MatchResult(*e); ok && m.ID == catalogue.EntryUsageLimit {
			whose = "your plan's limit"
		}
		out = append(out, fmt.Sprintf("%s while the API answers%s: %s, not an outage", lead, probeAt, whose))
	case e.Class == probe.ClassAuth && !api.Class.Failing():
		out = append(out, fmt.Sprintf("%s while the API answers%s: %s", lead, probeAt, refusedWhat(*e)))
	case e.Class == probe.ClassNetwork && api.Class.Up():
		out = append(out, fmt.Sprintf("%s while our probes reach the API from this machine%s: Claude Code's own path differs (its proxy settings, a VPN?)", lead, probeAt))
	case e.Class == probe.ClassNetwork && api.Class == probe.ClassNetwork:
		out = append(out, fmt.Sprintf("%s — our API probe fails the same way%s: the network between this machine and Anthropic", lead, probeAt))
	default:
		out = append(out, fmt.Sprintf("%s; our API probe: %s%s", lead, classPhrase(api.Class), probeAt))
	}
	return out
}

// latestAPI is the latest fresh result of one of the API's two targets:
// the first that prefer accepts, else the newest. false when neither has a
// fresh one.
func latestAPI(recent map[probe.Target][]probe.Result, now time.Time, staleAfter time.Duration, prefer func(probe.Result) bool) (probe.Result, bool) {
	var best probe.Result
	found := false
	for _, t := range []probe.Target{probe.TargetAPIKey, probe.TargetAPI} {
		rs := recent[t]
		if len(rs) == 0 {
			continue
		}
		r := rs[len(rs)-1]
		if r.Class == probe.ClassUnknown || (staleAfter > 0 && now.Sub(r.Time) > staleAfter) {
			continue
		}
		switch {
		case prefer != nil && prefer(r) && !(found && prefer(best)):
			best, found = r, true
		case !found || (r.Time.After(best.Time) && (prefer == nil || !prefer(best))):
			best, found = r, true
		}
	}
	return best, found
}

func apiAcknowledged(st *probe.Status) bool {
	if st == nil {
		return false
	}
	for _, s := range probe.Services() {
		if s.Key != "api" {
			continue
		}
		if c, ok := st.Component(s.ComponentID, s.ComponentName); ok && c.Status != "operational" && c.Status != "" {
			return true
		}
		for _, in := range st.Incidents {
			for _, id := range in.Components {
				if id == s.ComponentID {
					return true
				}
			}
		}
	}
	return false
}

func providerWord(c probe.Class) string {
	switch c {
	case probe.ClassOverloaded:
		return "overloaded"
	case probe.ClassServer:
		return "failing (server errors)"
	}
	return "answering wrongly"
}

func classPhrase(c probe.Class) string {
	switch c {
	case probe.ClassOK, probe.ClassSlow:
		return "passes"
	case probe.ClassRateLimited:
		return "rate limited"
	case probe.ClassAuth:
		return "credential refused"
	case probe.ClassBilling:
		return "billing refused"
	case probe.ClassOverloaded:
		return "overloaded"
	case probe.ClassServer:
		return "server error"
	case probe.ClassNetwork:
		return "network failure"
	case probe.ClassUnexpected:
		return "an unexpected answer"
	}
	return "no data"
}
