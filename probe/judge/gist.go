package judge

import (
	"strings"
	"unicode/utf8"

	"downforai/probe"
)

// gist is a probe's message for a sentence, at most max runes: when it
// is longer and a parenthetical detail would be cut inside, it ends
// before the detail — "127.0.0.1:443 answered with a malformed HTTP
// response", not "… HTTP response (ma…"; the evidence (Why we say so,
// check, report) quotes it whole. A parenthesis in its first third is
// kept (the cut would say too little), and otherwise it is probe.Line's.
func gist(msg string, max int) string {
	s := probe.Line(msg, 0)
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	head := string(r[:max-1])
	// The parenthesis open where the cut falls, if any.
	open := -1
	for i, c := range head {
		switch c {
		case '(':
			open = i
		case ')':
			open = -1
		}
	}
	if open > 0 && utf8.RuneCountInString(head[:open]) >= max/3 {
		return strings.TrimRight(head[:open], " :,;")
	}
	return probe.Line(s, max)
}
