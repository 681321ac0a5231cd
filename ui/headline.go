package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// shortScreenRows is the tallest terminal whose banner caps the
	// headline: at 80×24 an uncut headline of an outage with its details
	// took 11 of the 24 rows, leaving the tab little (cold D35).
	shortScreenRows = 30
	// shortHeadlineLines is how many lines the headline keeps there.
	shortHeadlineLines = 3
	// headlineMore ends a cut headline and says where the rest is.
	headlineMore = " … (in full: press 3)"
)

// headlineCap is how many lines the banner gives the headline at this
// terminal's height; 0 is no cap.
func headlineCap(height int) int {
	if height > shortScreenRows {
		return 0
	}
	return shortHeadlineLines
}

// capHeadline wraps a headline to w cells in at most n lines (n <= 0: no
// cap). A headline longer than that keeps its whole sentences that fit,
// then says it goes on; when not even the first sentence fits, its
// words that do. cut reports whether anything was left out.
func capHeadline(s string, w, n int) (lines []string, cut bool) {
	all := wrap(s, w)
	if n <= 0 || len(all) <= n {
		return all, false
	}
	ends := sentenceEnds(s)
	for i := len(ends) - 1; i >= 0; i-- {
		if ls := wrap(s[:ends[i]]+headlineMore, w); len(ls) <= n {
			return ls, true
		}
	}
	words := strings.Fields(s)
	for i := len(words) - 1; i > 0; i-- {
		head := strings.TrimRight(strings.Join(words[:i], " "), ",;:—-")
		if ls := wrap(head+headlineMore, w); len(ls) <= n {
			return ls, true
		}
	}
	// Too narrow for even a word and the pointer: the first lines.
	return all[:n], true
}

// sentenceEnds are the byte offsets just after each sentence of s but the
// last: a '.', '!' or '?' followed by a blank and then a capital letter
// or a digit, so "2.0.14 (Claude Code)" or "e.g. a proxy" go on.
func sentenceEnds(s string) []int {
	var ends []int
	for i := 0; i+2 < len(s); i++ {
		switch s[i] {
		case '.', '!', '?':
		default:
			continue
		}
		if s[i+1] != ' ' {
			continue
		}
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(s[i+1:], " "))
		if unicode.IsUpper(r) || unicode.IsDigit(r) {
			ends = append(ends, i+1)
		}
	}
	return ends
}
