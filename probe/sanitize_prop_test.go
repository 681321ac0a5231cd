package probe

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostileAlphabet is what generated strings are made of: the pieces of
// every escape sequence a terminal acts on (ESC, CSI/OSC/DCS/APC/PM/SOS
// introducers in 7- and 8-bit form, their parameters and terminators),
// C0 and C1 controls, bidi and zero-width characters, bytes that are not
// UTF-8, blanks, newlines, wide and combining characters, and plain text.
var hostileAlphabet = []string{
	"\x1b", "[", "]", "P", "_", "^", "X", "\\", ";", "0", "2", "52", "J", "m", "c", "?1049h",
	"\x07", "\x00", "\x08", "\x0d", "\x7f", "\u009b", "\u009d", "\u0090", "\u009c", "\u0085",
	"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
	"\u200e", "\u200f", "\u061c", "\ufeff", "\u200b",
	"\xff", "\xc3", "\xe2\x80", "\xed\xa0\x80",
	" ", "  ", "\t", "\n", "\r\n",
	"a", "Elevated errors", "é", "漢字", "🔥", "e\u0301",
}

// hostileString builds one string of up to n pieces.
func hostileString(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range rng.IntN(n + 1) {
		b.WriteString(hostileAlphabet[rng.IntN(len(hostileAlphabet))])
	}
	return b.String()
}

// TestSanitizeProperties checks, over many generated hostile strings, what
// every caller relies on: the output is valid UTF-8, holds no control
// character (but newlines when multiline), no ESC, no bidi override, is
// bounded, is a fixed point (sanitising twice changes nothing, so a value
// read back from the store and drawn is drawn as stored), and keeps plain
// text. Line adds a rune bound. The seed is fixed: a failure reproduces.
func TestSanitizeProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 20000 {
		s := hostileString(rng, 40)
		if i%500 == 0 {
			s = strings.Repeat(s+"x", MaxTextLen/(len(s)+1)+2) // over the byte bound
		}
		for _, multiline := range []bool{false, true} {
			out := Sanitize(s, multiline)
			if !utf8.ValidString(out) {
				t.Fatalf("Sanitize(%q, %v) = %q: not UTF-8", s, multiline, out)
			}
			if len(out) > MaxTextLen {
				t.Fatalf("Sanitize(%q) is %d bytes", s, len(out))
			}
			if r, bad := firstUnsafe(out, multiline); bad {
				t.Fatalf("Sanitize(%q, %v) = %q holds %U", s, multiline, out, r)
			}
			if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
				t.Fatalf("Sanitize(%q, %v) = %q: blanks not folded and trimmed", s, multiline, out)
			}
			if again := Sanitize(out, multiline); again != out {
				t.Fatalf("not a fixed point: Sanitize(%q) = %q, again %q", s, out, again)
			}
		}
		if n := 1 + rng.IntN(80); utf8.RuneCountInString(Line(s, n)) > n {
			t.Fatalf("Line(%q, %d) = %q: over %d runes", s, n, Line(s, n), n)
		}
	}
}

// TestSanitizeKeepsPlainText: text with nothing to remove comes out as it
// went in, so the sanitiser never eats what people need to read.
func TestSanitizeKeepsPlainText(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	words := []string{"Elevated", "errors", "on", "Claude", "Opus", "4.5", "(claude.ai)", "req_011CSHoEeqs5C35K2UUqR7Fy", "Überlastung", "漢字", "🔥", "—", "…"}
	for range 5000 {
		var ws []string
		for range 1 + rng.IntN(12) {
			ws = append(ws, words[rng.IntN(len(words))])
		}
		in := strings.Join(ws, " ")
		if got := Sanitize(in, false); got != in {
			t.Fatalf("Sanitize(%q) = %q", in, got)
		}
		multi := strings.Join(ws, "\n")
		if got := Sanitize(multi, true); got != multi {
			t.Fatalf("Sanitize(%q, true) = %q", multi, got)
		}
	}
}
