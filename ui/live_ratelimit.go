package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"downforai/probe"
	"downforai/probe/diagnose"
)

// rateLimitSection is your key's headroom from the anthropic-ratelimit-*
// headers of its newest probe.
func (l liveTab) rateLimitSection() section {
	b, st := l.b, l.st
	if !b.hasKey {
		return section{}
	}
	r, ok := b.latest(probe.TargetAPIKey)
	if !ok {
		return section{}
	}
	head := st.heading.Render("Your key's rate limit: ")
	rl := r.RateLimit
	when := "last probe " + ago(b.now, r.Time)
	var parts []string
	if rl.RequestsLimit > 0 {
		parts = append(parts, fmt.Sprintf("%s of %s requests left", count(rl.RequestsRemaining), count(rl.RequestsLimit)))
	}
	if rl.TokensLimit > 0 {
		parts = append(parts, fmt.Sprintf("%s of %s tokens left", count(rl.TokensRemaining), count(rl.TokensLimit)))
	}
	if rl.RetryAfter > 0 {
		p := "retry after " + wait(rl.RetryAfter)
		if next := r.Time.Add(rl.RetryAfter); r.Class.Failing() && next.After(b.now) {
			// The next probe with the key waits it out: until then its
			// row is this answer, not a new one (a credit refusal that
			// came meanwhile is not seen yet — cold walk of Dec 7).
			p += ", so the key is not probed again before " + clock(b.now, next)
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return l.wrappedSection(head, "Your key's rate limit: ", l.rateLimitUnknown(r))
	}
	// When the requests refill matters only while few are left; the time
	// moves with every answer, which would rewrite the line each probe.
	if reset := rl.RequestsReset; !reset.IsZero() && rl.RequestsRemaining*10 < rl.RequestsLimit {
		parts = append(parts, "resets "+clock(b.now, reset))
	}
	// The age is kept; what is least needed goes first when it is too wide.
	w := l.w - ansi.StringWidth("Your key's rate limit: ")
	text := strings.Join(parts, " · ") + " (" + when + ")"
	for len(parts) > 1 && ansi.StringWidth(text) > w {
		parts = parts[:len(parts)-1]
		text = strings.Join(parts, " · ") + " (" + when + ")"
	}
	return section{lines: []string{head + st.text.Render(probe.CutWords(text, w))}}
}

// wrappedSection is a one-heading section whose text is a sentence of
// facts (what is not known, why, and what was known when): wrapped under
// its heading whole where the lines allow, never cut off there; where
// they do not, one line cut at a word (Troubleshooting and report have it
// whole).
func (l liveTab) wrappedSection(head, plain, text string) section {
	st := l.st
	w := l.w - ansi.StringWidth(plain)
	one := []string{head + st.text.Render(probe.CutWords(text, w))}
	if ansi.StringWidth(text) <= w || w < 20 {
		return section{lines: one}
	}
	var lines []string
	for i, part := range wrap(text, w) {
		lead := head
		if i > 0 {
			lead = strings.Repeat(" ", ansi.StringWidth(plain))
		}
		lines = append(lines, lead+st.text.Render(part))
	}
	return section{lines: lines, more: func(n int) []string {
		if n >= len(lines) {
			return lines
		}
		return one
	}}
}

// rateLimitUnknown says why the newest key probe tells no headroom — no
// answer at all, or an answer without the headers — and what the last
// probe that had them said, with its time: the headroom of a minute ago
// is a fact of a minute ago, not of now.
func (l liveTab) rateLimitUnknown(r probe.Result) string {
	b := l.b
	text := "the last answer, " + ago(b.now, r.Time) + ", carried no anthropic-ratelimit headers"
	if r.HTTPStatus == 0 {
		text = "the last probe, " + ago(b.now, r.Time) + ", got no answer"
		if r.Message != "" {
			text += " (" + probe.Line(r.Message, 60) + ")"
		}
	}
	hs, old, ok := diagnose.RateHeadroom(map[probe.Target][]probe.Result{probe.TargetAPIKey: b.results(probe.TargetAPIKey)})
	if !ok {
		return "not known — " + text
	}
	var known []string
	for _, h := range hs {
		known = append(known, fmt.Sprintf("%s of %s %s left", count(h.Remaining), count(h.Limit), h.Name))
	}
	return "not known now — " + text + "; at " + clock(b.now, old.Time) + ": " + strings.Join(known, " · ")
}

// count is a number with thousands separators: "40,000".
func count(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
