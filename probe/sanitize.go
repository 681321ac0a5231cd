package probe

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// MaxTextLen bounds any one remote string we keep, in bytes after cleaning.
const MaxTextLen = 4096

// Sanitize makes a string that came from the network safe to store and to
// draw: escape sequences (CSI, OSC, DCS, APC …) are removed, then every
// remaining C0/C1 control character and bidi override; invalid UTF-8 becomes
// U+FFFD; tabs become spaces; runs of blanks fold to one space. It is on one
// line unless multiline, which keeps single newlines. The result is at most
// MaxTextLen bytes, cut on a rune boundary with "…".
func Sanitize(s string, multiline bool) string {
	if plain(s) {
		return s // nothing to remove, fold or cut
	}
	return sanitize(s, multiline)
}

// plain reports whether s is already what Sanitize makes of it: printable
// ASCII, single blanks between words, within MaxTextLen. Most of what we
// clean (versions, models, request ids, short messages) is, and is then
// returned as it is, without a copy.
func plain(s string) bool {
	if len(s) > MaxTextLen || s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' || (c == ' ' && s[i+1] == ' ') {
			return false
		}
	}
	return true
}

func sanitize(s string, multiline bool) string {
	if s == "" {
		return ""
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	// Strip removes well-formed sequences; a lone ESC or a stray C1 that
	// starts none is caught by the rune filter below. Strip reads bytes, so
	// it does not see a C1 introducer written in UTF-8 (U+009B is C2 9B):
	// spell those in 7-bit form first, or "\u009b31m" would lose only its
	// introducer and leave "31m" on the screen.
	if strings.ContainsAny(s, c1Introducers) {
		s = c1To7bit.Replace(s)
	}
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	newlines := 0
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			if multiline {
				if r == '\r' {
					continue // CR LF is one line break; a lone CR draws nothing
				}
				if newlines < 2 {
					b.WriteByte('\n')
					newlines++
				}
				space = false
				continue
			}
			r = ' '
		case r == '\t':
			r = ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			continue
		case isBidiControl(r):
			continue
		}
		if r == ' ' {
			// No blank at the start, after a blank, or after a line
			// break (newlines > 0 exactly when the last byte written is
			// '\n': a blank is never written after one, and any other
			// rune resets the count).
			if space || b.Len() == 0 || newlines > 0 {
				continue
			}
			space = true
		} else {
			space = false
			newlines = 0
		}
		b.WriteRune(r)
	}
	out := strings.TrimRight(b.String(), " \n")
	return truncateBytes(out, MaxTextLen)
}

// Line is Sanitize on one line, cut to at most max runes with "…" (max <= 0
// means MaxTextLen bytes only).
func Line(s string, max int) string {
	s = Sanitize(s, false)
	if max > 0 && utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max-1]) + "…"
	}
	return s
}

// c1Introducers are the 8-bit C1 controls that begin or end an escape
// sequence; c1To7bit spells each as ESC and its 7-bit partner.
const c1Introducers = "\u0090\u0098\u009b\u009c\u009d\u009e\u009f"

var c1To7bit = strings.NewReplacer(
	"\u0090", "\x1bP", // DCS
	"\u0098", "\x1bX", // SOS
	"\u009b", "\x1b[", // CSI
	"\u009c", "\x1b\\", // ST
	"\u009d", "\x1b]", // OSC
	"\u009e", "\x1b^", // PM
	"\u009f", "\x1b_", // APC
)

func isBidiControl(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E: // LRE RLE PDF LRO RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI RLI FSI PDI
		return true
	case r == 0x200E || r == 0x200F || r == 0x061C: // LRM RLM ALM
		return true
	case r == 0xFEFF: // BOM / zero-width no-break space
		return true
	}
	return false
}

func truncateBytes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
