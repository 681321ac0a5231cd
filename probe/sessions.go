package probe

import (
	"strconv"
	"strings"
	"time"
)

// TargetSessions is Claude Code's own sessions on this machine: one Result
// per API call they made, read from the session transcripts Claude Code
// writes (probe/transcript). It is passive — downforai sends nothing — and
// its results carry the time the call happened, not the time they were read.
const TargetSessions Target = "code_sessions"

// SessionDetail is what a session Result keeps beyond the Result's own
// fields (status, class, error type, message, request id). It is written to
// Result.Detail as "claude-code 2.1.44 · claude-opus-4-6 · session
// 1a2b3c4d · attempt 3 of 10 · gave up", which reads as it is in an export
// and parses back with ParseSessionDetail.
type SessionDetail struct {
	Version string // Claude Code's version, "" when the record had none
	Model   string // the model answered or asked, "" when unknown
	Session string // a hash of the session id, never the id itself
	// Attempt and MaxAttempts are Claude Code's retry counter on a retry
	// record ("attempt 3 of 10"); zero elsewhere.
	Attempt, MaxAttempts int
	// GaveUp marks the error Claude Code showed after it stopped retrying
	// (or did not retry at all): what the user saw.
	GaveUp bool
}

// String is the Detail form.
func (d SessionDetail) String() string {
	var parts []string
	if d.Version != "" {
		parts = append(parts, "claude-code "+d.Version)
	}
	if d.Model != "" {
		parts = append(parts, d.Model)
	}
	if d.Session != "" {
		parts = append(parts, "session "+d.Session)
	}
	if d.Attempt > 0 {
		a := "attempt " + strconv.Itoa(d.Attempt)
		if d.MaxAttempts > 0 {
			a += " of " + strconv.Itoa(d.MaxAttempts)
		}
		parts = append(parts, a)
	}
	if d.GaveUp {
		parts = append(parts, "gave up")
	}
	return strings.Join(parts, " · ")
}

// ParseSessionDetail reads what SessionDetail.String wrote; parts it does
// not recognise are the model.
func ParseSessionDetail(s string) SessionDetail {
	var d SessionDetail
	for _, p := range strings.Split(s, " · ") {
		switch {
		case p == "":
		case p == "gave up":
			d.GaveUp = true
		case strings.HasPrefix(p, "claude-code "):
			d.Version = strings.TrimPrefix(p, "claude-code ")
		case strings.HasPrefix(p, "session "):
			d.Session = strings.TrimPrefix(p, "session ")
		case strings.HasPrefix(p, "attempt "):
			n, m, _ := strings.Cut(strings.TrimPrefix(p, "attempt "), " of ")
			d.Attempt, _ = strconv.Atoi(n)
			d.MaxAttempts, _ = strconv.Atoi(m)
		default:
			d.Model = p
		}
	}
	return d
}

// Tokens counts tokens by kind, as the Messages API's usage object does.
type Tokens struct {
	Input         int64 // input_tokens
	Output        int64 // output_tokens
	CacheCreation int64 // cache_creation_input_tokens
	CacheRead     int64 // cache_read_input_tokens
}

// Total is every kind together.
func (t Tokens) Total() int64 { return t.Input + t.Output + t.CacheCreation + t.CacheRead }

// Add adds o to t.
func (t *Tokens) Add(o Tokens) {
	t.Input += o.Input
	t.Output += o.Output
	t.CacheCreation += o.CacheCreation
	t.CacheRead += o.CacheRead
}

// UsageBlock is one 5-hour window of Claude Code use as its transcripts
// show it (the way ccusage's "blocks" computes them): it starts at the
// first request after the previous block ended, floored to the UTC hour,
// and lasts five hours. It measures consumption; the plan's limit is not
// published as a number of tokens.
type UsageBlock struct {
	Start, End  time.Time // End = Start + 5 h
	First, Last time.Time // the first and the newest request in it
	Tokens      Tokens
	Models      []string // in order of first use
	Requests    int
}

// BlockLength is how long a usage window lasts.
const BlockLength = 5 * time.Hour

// Active reports whether the block is the one running at now.
func (b UsageBlock) Active(now time.Time) bool {
	return !now.Before(b.Start) && now.Before(b.End) && now.Sub(b.Last) < BlockLength
}

// BurnPerMinute is tokens per minute between the block's first and newest
// request; 0 when they are less than a minute apart (too soon to say).
func (b UsageBlock) BurnPerMinute() float64 {
	d := b.Last.Sub(b.First)
	if d < time.Minute {
		return 0
	}
	return float64(b.Tokens.Total()) / d.Minutes()
}

// Projected is the total the block reaches at its end if the burn rate
// holds from now on; the total so far when there is no rate yet.
func (b UsageBlock) Projected(now time.Time) int64 {
	left := b.End.Sub(now)
	if left < 0 {
		left = 0
	}
	return b.Tokens.Total() + int64(b.BurnPerMinute()*left.Minutes())
}

// CodeWindow is Claude Code's usage as its transcripts show it.
type CodeWindow struct {
	// Current is the block running now; nil when Claude Code was not used
	// in the last five hours.
	Current *UsageBlock
	// Blocks are the last seven days' blocks, oldest first, the current
	// one included.
	Blocks []UsageBlock
}

// SessionProgress is how far the reading of existing transcripts got.
type SessionProgress struct {
	Files      int   // transcripts found
	Done, Size int64 // bytes read and bytes to read, over every file
	Reading    bool  // the backlog is still being read
	// Unread and UnreadFiles are what a read stopped short of (its time
	// ran out, as check's and diagnose's is bounded): the bytes left and
	// the files not read to their end. The newest files are read first,
	// so what is left is the oldest.
	Unread       int64
	UnreadFiles  int
	UnreadNewest time.Time // when the newest of those files was last written
}

// Percent is Done of Size, 100 when there is nothing to read.
func (p SessionProgress) Percent() int {
	if p.Size <= 0 {
		return 100
	}
	return int(min(100, p.Done*100/p.Size))
}

// SessionsReport is the transcript follower's view of Claude Code's
// sessions: the calls of the last hour, the usage window and how far the
// reading is. The follower publishes one on Event.Sessions after every
// read that changed something, and at least every half minute.
type SessionsReport struct {
	Time time.Time
	// Dir says where the transcripts are read from, for people:
	// "~/.claude/projects" or "$CLAUDE_CONFIG_DIR/projects" — never the
	// expanded path.
	Dir string
	// Found is false when there is no transcript directory: Claude Code
	// was never used on this account, or keeps its transcripts elsewhere.
	Found    bool
	Progress SessionProgress
	// Recent are the session Results of the last hour, oldest first
	// (bounded: the newest successes give way before any error does).
	Recent []Result
	Window CodeWindow
	// Err is why reading failed ("" when it works).
	Err string
	// Skipped counts lines that could not be read (torn, not JSON, too
	// long) since the start.
	Skipped int
}

// RetryAttempt reports whether a session Result is one failed attempt
// Claude Code retried (its retry record, "attempt 3 of 10"), not a call's
// outcome.
func RetryAttempt(r Result) bool {
	return r.Target == TargetSessions && ParseSessionDetail(r.Detail).Attempt > 0
}

// RetryOutcomeWithin is how long after a retry the record that ends its
// call — the answer, or the error Claude Code showed — may come and still be
// that call's: Claude Code waits up to about 40 s before an attempt, and an
// answer may stream for minutes (its request timeout, API_TIMEOUT_MS, is 10
// minutes by default).
const RetryOutcomeWithin = 11 * time.Minute

// SessionCalls folds Claude Code's retries into the calls they were made
// for: the retry records of one session, attempt after attempt, and the
// answer or shown error that ends them are one call, and that outcome
// decides it (3 retried 529s then an answer is one call that succeeded;
// then the error shown, one call that failed). A run of retries with no
// outcome yet is one call still failing, its newest attempt standing for
// it. rs is oldest first, and so is the result; results of other targets
// pass through as they are.
//
// A call is its newest record, and whether a record is a call depends only
// on the records within RetryOutcomeWithin after it (the one that ends or
// continues its call) and before it (the calls under way): so the calls of
// a stretch of time are SessionCalls of its records and those that far
// either side, kept within the stretch (SessionCallsIn), which is how the
// store's rollups count them.
func SessionCalls(rs []Result) []Result {
	type open struct {
		at      int // index in out of the call's newest record
		attempt int
		last    time.Time
	}
	out := make([]Result, 0, len(rs))
	gone := make([]bool, 0, len(rs))
	chains := map[string]open{}
	for _, r := range rs {
		if r.Target != TargetSessions {
			out, gone = append(out, r), append(gone, false)
			continue
		}
		d := ParseSessionDetail(r.Detail)
		for k, c := range chains {
			if r.Time.Sub(c.last) > RetryOutcomeWithin {
				delete(chains, k) // abandoned: that call stands as its last attempt
			}
		}
		if _, ok := chains[d.Session]; !ok && d.Session == "" && len(chains) == 1 {
			// A record without its session id (some versions write none on
			// one kind of record) belongs to the one call under way.
			for k := range chains {
				d.Session = k
			}
		}
		c, ok := chains[d.Session]
		switch {
		case d.Attempt > 0 && ok && d.Attempt > c.attempt:
			gone[c.at] = true // the same call, one attempt further
		case d.Attempt > 0:
			// The first attempt of a new call.
		case ok:
			gone[c.at] = true // the outcome of the retried call
		}
		out, gone = append(out, r), append(gone, false)
		if d.Attempt > 0 {
			chains[d.Session] = open{at: len(out) - 1, attempt: d.Attempt, last: r.Time}
		} else {
			delete(chains, d.Session)
		}
	}
	kept := out[:0]
	for i, r := range out {
		if !gone[i] {
			kept = append(kept, r)
		}
	}
	return kept
}

// SessionCallsIn is the calls of rs (oldest first) whose record is in
// [from, to): rs should reach RetryOutcomeWithin either side of that, so a
// call's retries and its outcome are seen together.
func SessionCallsIn(rs []Result, from, to time.Time) []Result {
	var out []Result
	for _, r := range SessionCalls(rs) {
		if !r.Time.Before(from) && (to.IsZero() || r.Time.Before(to)) {
			out = append(out, r)
		}
	}
	return out
}

// SessionStats are counts over a report's recent calls.
type SessionStats struct {
	Since time.Time
	// Requests counts calls that succeeded or failed: a call Claude Code
	// retried is one (SessionCalls), decided by its outcome.
	Requests  int
	Errors    int            // failed calls
	ByKind    map[string]int // "529 overloaded" → count
	Kinds     []string       // ByKind's keys, most frequent first
	LastError *Result        // the newest failure
}

// Stats counts the recent calls at or after since.
func (r *SessionsReport) Stats(since time.Time) SessionStats {
	st := SessionStats{Since: since, ByKind: map[string]int{}}
	if r == nil {
		return st
	}
	calls := SessionCalls(r.Recent)
	for i := range calls {
		res := &calls[i]
		if res.Time.Before(since) {
			continue
		}
		st.Requests++
		if !res.Class.Failing() {
			continue
		}
		st.Errors++
		k := SessionErrorKind(*res)
		if st.ByKind[k] == 0 {
			st.Kinds = append(st.Kinds, k)
		}
		st.ByKind[k]++
		if st.LastError == nil || !res.Time.Before(st.LastError.Time) {
			st.LastError = res
		}
	}
	// Most frequent first; first seen breaks ties (a stable sort).
	for i := 1; i < len(st.Kinds); i++ {
		for j := i; j > 0 && st.ByKind[st.Kinds[j]] > st.ByKind[st.Kinds[j-1]]; j-- {
			st.Kinds[j], st.Kinds[j-1] = st.Kinds[j-1], st.Kinds[j]
		}
	}
	return st
}

// SessionErrorKind names a failed session call for a count: "529
// overloaded", "429", "network reset".
func SessionErrorKind(r Result) string {
	switch {
	case r.HTTPStatus == 529 || (r.HTTPStatus == 0 && r.Class == ClassOverloaded):
		return "529 overloaded"
	case r.HTTPStatus != 0:
		return strconv.Itoa(r.HTTPStatus)
	case r.Class == ClassNetwork && r.ErrorType != "":
		return "network " + r.ErrorType
	}
	// In words, beside "529 overloaded": "rate limited", not the class
	// code "rate_limited" (cold2 C8).
	return strings.ReplaceAll(r.Class.String(), "_", " ")
}
